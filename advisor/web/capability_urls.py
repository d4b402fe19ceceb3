"""The shape of capability links, in one place.

An edit link is /a/<edit token>/..., a share link /s/<share token>/..., and a comparison's share
link /c/<comparison token>/.... The URLconfs, the rate
limits, log redaction, the error pages and token checks all derive what they need from here.
"""

import re

EDIT_PREFIX = "a"
SHARE_PREFIX = "s"
COMPARISON_PREFIX = "c"
PREFIXES = (f"/{EDIT_PREFIX}/", f"/{SHARE_PREFIX}/", f"/{COMPARISON_PREFIX}/")

# secrets.token_urlsafe(32) and an unpadded base64 SHA-256 digest are both 43 of these.
TOKEN_LENGTH = 43
TOKEN_SHAPE = re.compile(rf"[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}")

# Anything after a prefix that could be a token (or a mistyped one) is treated as one in logs.
_ANY_PREFIX = f"[{EDIT_PREFIX}{SHARE_PREFIX}{COMPARISON_PREFIX}]"
TOKEN_IN_PATH = re.compile(rf"(/{_ANY_PREFIX}/)[A-Za-z0-9_\-]{{8,}}")
_EDIT_PATH = re.compile(rf"/{EDIT_PREFIX}/([A-Za-z0-9_-]{{1,100}})/")


def edit_route(rest: str = "") -> str:
    """A URLconf route under an edit link, e.g. edit_route("check/")."""
    return f"{EDIT_PREFIX}/<str:token>/{rest}"


def share_route(rest: str = "") -> str:
    return f"{SHARE_PREFIX}/<str:token>/{rest}"


def comparison_route(rest: str = "") -> str:
    """A URLconf route under a comparison's share link."""
    return f"{COMPARISON_PREFIX}/<str:token>/{rest}"


def is_capability_path(path: str) -> bool:
    return path.startswith(PREFIXES)


def is_edit_path(path: str) -> bool:
    return path.startswith(PREFIXES[0])


def edit_token_in(path: str) -> str | None:
    """The (unchecked) edit token a path carries, if it is an edit link."""
    match = _EDIT_PATH.match(path)
    return match.group(1) if match else None


def well_formed(token: object) -> bool:
    return isinstance(token, str) and TOKEN_SHAPE.fullmatch(token) is not None
