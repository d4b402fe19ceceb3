"""Keep capability tokens out of every log line.

Edit and share links carry their token in the path (/a/<token>/..., /s/<token>/...), and a token
can travel elsewhere in a request line too: in a query string (`?next=/a/<token>/`, or as a form
sends it, `?next=%2Fa%2F<token>%2F`), in a parameter of its own (`?token=...`), in a Referer.
Anything that logs (Django's request and server loggers, gunicorn's access and error logs) passes
through `RedactTokensFilter`, which replaces, before the line is written:

- whatever follows /a/ or /s/ in a path, with the slashes written plainly or percent-encoded
  once or twice (%2F, %252F), when it is long enough to be a token or a mistyped one;
- the value of any parameter whose name speaks of a token, key, secret, share or edit link;
- any run of 32 or more URL-safe base64 characters, wherever it stands (a token is 43 of them;
  nothing else worth logging looks like that).
"""

import logging
import re

from advisor.web.capability_urls import COMPARISON_PREFIX, EDIT_PREFIX, SHARE_PREFIX

MARK = "[redacted]"
_SLASH = r"(?:/|%2[Ff]|%252[Ff])"
_URLSAFE = "A-Za-z0-9_\\-"
_PREFIX = f"[{EDIT_PREFIX}{SHARE_PREFIX}{COMPARISON_PREFIX}]"
_IN_PATH = re.compile(rf"({_SLASH}{_PREFIX}{_SLASH})[{_URLSAFE}]{{8,}}")
_IN_PARAMETER = re.compile(
    r"([?&;](?:[A-Za-z0-9_.\-]*(?:token|key|secret|share|edit))=)[^&;\s\"'#]+", re.IGNORECASE
)
_RUN = re.compile(rf"[{_URLSAFE}]{{32,}}")
_HEX = frozenset("0123456789abcdefABCDEF")


def _redact_run(match: re.Match) -> str:
    run = match.group(0)
    # Right after a "%", the first two characters are the rest of a %XX escape: keep them.
    start = match.start()
    if start and match.string[start - 1] == "%" and set(run[:2]) <= _HEX:
        return run[:2] + MARK
    return MARK


def redact(text: str) -> str:
    text = _IN_PATH.sub(rf"\1{MARK}", text)
    text = _IN_PARAMETER.sub(rf"\1{MARK}", text)
    return _RUN.sub(_redact_run, text)


def _redact_value(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        # Mutate in place: gunicorn passes a dict subclass whose lookups must keep working.
        for key, item in value.items():
            value[key] = _redact_value(item)
        return value
    if isinstance(value, tuple):
        return tuple(_redact_value(item) for item in value)
    return value


class RedactTokensFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            record.args = _redact_value(record.args)
        # Django attaches the request to error records; its path would be printed by handlers
        # that format it, so replace it with a redacted string.
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            record.request = redact(request.path)
        return True
