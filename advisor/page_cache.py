"""Rendered pages and downloads, kept in each app process per revision of an assessment.

An owner's or a reader's page takes milliseconds to render (the report context, its SVG charts,
a crispy form, hundreds of template nodes), and the same page is asked for again and again until
its assessment changes. So a page is rendered once per key and kept here; a later request for it
costs the token lookup and a few string replacements.

Keys. A key names the assessment (public_id), its revision (every save of answers or result adds
one), the state of its share link (generation, and whether a link is live) and the variant: which
page, owner or share, full page or htmx fragment. A key therefore never changes meaning: a change
makes a new key, and entries for old revisions age out of the least-recently-used list. The share
variant and the owner variants are distinct keys, so one is never served for the other.

Secrets. Nothing a request adds to a page is kept. A page is rendered with random placeholders
instead of the CSP nonce, the CSRF token, the edit token and the share token, and each response
gets its own values put back. So every response carries a fresh nonce that matches its own CSP
header, and a kept page holds no capability token. A share page is rendered with no edit token at
all, so there is none to put back.

Why in the process rather than the shared cache table: a hit then costs no query and a first view
only the token lookup; the cache table does not fill with HTML; and a restart (every deploy)
starts empty, so nothing rendered by older code or templates is ever served. The price is at most
one render per worker per revision. Rendered PDFs, which take most of a second, are also kept in
the shared cache (see advisor.pdf); `recent()` keeps a copy here too.

Off when DEBUG is on, so template edits show at once during development.
"""

import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token

from advisor.models import Assessment

_REQUEST_ATTRIBUTE = "_page_placeholders"


@dataclass(frozen=True)
class Placeholders:
    """Stand-ins for the per-request values, drawn at random for each rendered page so that no
    answer typed by a founder can contain one. Shaped like the real values, so that URLs
    reverse and escaping leaves them alone."""

    nonce: str
    csrf: str
    edit: str
    share: str

    @classmethod
    def draw(cls) -> "Placeholders":
        return cls(
            nonce=secrets.token_urlsafe(16),
            csrf=secrets.token_hex(32),
            edit=secrets.token_urlsafe(32),
            share=secrets.token_urlsafe(32),
        )


@dataclass(frozen=True)
class Page:
    """A rendered page cut at its placeholders: bytes as rendered, and between them the names
    ("nonce", "csrf", "edit", "share") of the values each response puts back."""

    pieces: tuple[bytes | str, ...]
    content_type: str

    @classmethod
    def cut(cls, body: bytes, content_type: str, marks: Placeholders) -> "Page":
        names = {getattr(marks, name).encode(): name for name in ("nonce", "csrf", "edit", "share")}
        pattern = re.compile(b"|".join(re.escape(mark) for mark in names))
        pieces: list[bytes | str] = []
        start = 0
        for found in pattern.finditer(body):
            pieces += [body[start : found.start()], names[found.group()]]
            start = found.end()
        pieces.append(body[start:])
        return cls(tuple(pieces), content_type)

    @property
    def size(self) -> int:
        return sum(len(piece) for piece in self.pieces)


class Recent:
    """A least-recently-used map bounded by the total size of its values, safe across threads."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, value: Any, size: int) -> None:
        if size > self.budget:
            return
        with self._lock:
            if key in self._entries:
                self._size -= self._entries.pop(key)[1]
            self._entries[key] = (value, size)
            self._size += size
            while self._size > self.budget:
                self._size -= self._entries.popitem(last=False)[1][1]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0

    def __len__(self) -> int:
        return len(self._entries)


_recent = Recent(getattr(settings, "PAGE_CACHE_BYTES", 32 * 1024 * 1024))


def enabled() -> bool:
    return not settings.DEBUG and _recent.budget > 0


def clear() -> None:
    _recent.clear()


def recent[T](key: tuple, compute: Callable[[], T], size: Callable[[T], int]) -> T:
    """`compute()`, or what it returned before for this key in this process. For values that a
    key fully determines (a rendered PDF, an export)."""
    if not enabled():
        return compute()
    value = _recent.get(key)
    if value is None:
        value = compute()
        _recent.put(key, value, size(value))
    return value


class Shown:
    """The assessment as a template sees it, with the tokens it may show. Everything else is the
    assessment's own; the share and private link URLs are built by the model's own properties,
    from these tokens."""

    share_url = property(Assessment.share_url.fget)
    edit_url = property(Assessment.edit_url.fget)

    def __init__(self, assessment: Assessment, edit_token: str | None, share_token: str | None):
        self._assessment = assessment
        self.edit_token = edit_token
        self.share_token = share_token

    def __getattr__(self, name: str) -> Any:
        if name == "_assessment":  # not set yet (a copy being made)
            raise AttributeError(name)
        return getattr(self._assessment, name)

    def __str__(self) -> str:
        return str(self._assessment)


def page_key(assessment: Assessment, variant: tuple, share_token: str | None) -> tuple:
    return (
        "page",
        *variant,
        assessment.public_id,
        assessment.revision,
        assessment.share_generation,
        share_token is not None,
        settings.SITE_ORIGIN,
    )


def page(
    request: HttpRequest,
    assessment: Assessment,
    variant: tuple,
    render: Callable[[Shown], HttpResponse],
    *,
    edit_token: str | None,
    share_token: str | None,
) -> HttpResponse:
    """The response `render` gives for this variant of the assessment's page, rendered at most
    once per key. `render` gets the assessment as a `Shown`, and must build every link and token
    it shows from it: `edit_token` is None on pages a share link opens."""
    if not enabled():
        return render(Shown(assessment, edit_token, share_token))
    key = page_key(assessment, variant, share_token)
    kept = _recent.get(key)
    if kept is None:
        marks = Placeholders.draw()
        shown = Shown(
            assessment,
            marks.edit if edit_token is not None else None,
            marks.share if share_token is not None else None,
        )
        setattr(request, _REQUEST_ATTRIBUTE, marks)
        try:
            response = render(shown)
        finally:
            delattr(request, _REQUEST_ATTRIBUTE)
        rendered = Page.cut(response.content, response["Content-Type"], marks)
        response.content = _fill(rendered, request, edit_token, share_token)
        if response.status_code == 200 and not response.cookies:
            _recent.put(key, rendered, rendered.size)
        return response
    return HttpResponse(
        _fill(kept, request, edit_token, share_token), content_type=kept.content_type
    )


def _fill(
    kept: Page, request: HttpRequest, edit_token: str | None, share_token: str | None
) -> bytes:
    # Asking for the nonce or the CSRF token has effects (the nonce goes into the CSP header,
    # the CSRF cookie is set), so only when the page shows them.
    values: dict[str, Callable[[], str | None]] = {
        "nonce": lambda: str(get_nonce(request)),
        "csrf": lambda: get_token(request),
        "edit": lambda: edit_token,
        "share": lambda: share_token,
    }
    found: dict[str, bytes] = {}
    for piece in kept.pieces:
        if isinstance(piece, str) and piece not in found:
            value = values[piece]()
            if value is None:  # a page keyed without this token cannot show one
                raise ValueError(f"no {piece} value for a page that shows one")
            found[piece] = value.encode()
    return b"".join(found[piece] if isinstance(piece, str) else piece for piece in kept.pieces)


def placeholders(request: HttpRequest) -> dict[str, Any]:
    """Context processor, listed last: while a page is rendered for keeping, templates show the
    placeholders instead of this request's nonce and CSRF token."""
    marks = getattr(request, _REQUEST_ATTRIBUTE, None)
    if marks is None:
        return {}
    return {"csp_nonce": marks.nonce, "csrf_token": marks.csrf}
