"""The PDF report: the same Report context as the result page, rendered with WeasyPrint.

Safety:
- Resources come only through `StaticFilesFetcher`, which serves the app's own static files
  (read from disk, never over the network) and data: URLs, and refuses everything else.
- User text reaches the HTML only through Django's autoescaping.
- A render runs on a worker thread with a deadline (`RENDER_TIMEOUT` seconds). Python cannot stop
  a thread, so the deadline bounds how long a request waits, and the inputs bound the work: every
  answer has a maximum size, so the largest report is a few pages. One worker per process also
  means renders queue rather than compete for the CPU (WeasyPrint's font stack is not documented
  as thread-safe, so they would be serialised anyway).

Downloads do not render: advisor.reports.tasks renders each document once, in the background
worker, and keeps it as a file; the views stream that file.
"""

import datetime as dt
import logging
import mimetypes
import posixpath
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string

from advisor.reports.context import SITE_NAME, Report

logger = logging.getLogger(__name__)

# Bump when templates/report/pdf.html or static/css/print.css change what a PDF looks like, so
# cached copies are not served after a deploy.
LAYOUT_VERSION = "1"
RENDER_TIMEOUT = float(getattr(settings, "PDF_RENDER_TIMEOUT", 20))
STATIC_TYPES = {".css", ".svg", ".png", ".jpg", ".jpeg", ".woff", ".woff2", ".ttf", ".otf"}
DATA_URL_LIMIT = 2_000_000

_renderer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf")


class RefusedURL(ValueError):
    """The PDF asked for something outside the app's own static files."""


class RenderTimeout(RuntimeError):
    """The render took longer than RENDER_TIMEOUT."""


def _weasyprint():
    # Imported on first use: it takes a noticeable fraction of a second and only PDF downloads
    # and the CLI need it.
    import weasyprint

    return weasyprint


def base_url() -> str:
    """What relative URLs in the PDF's HTML resolve against. Resources under it are read from
    disk by the fetcher; links keep pointing at the site."""
    return f"{settings.SITE_ORIGIN}/"


def static_root() -> str:
    """The absolute URL the static files are served under, as the PDF's HTML refers to them."""
    if urlsplit(settings.STATIC_URL).scheme:
        return settings.STATIC_URL
    site = urlsplit(settings.SITE_ORIGIN)
    return f"{site.scheme}://{site.netloc}{settings.STATIC_URL}"


def make_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves only the app's static files and data: URLs."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = urlsplit(static_root())

    class StaticFilesFetcher(URLFetcher):
        def __init__(self) -> None:
            # Deliberately skip URLFetcher.__init__: it installs urllib handlers for http, https,
            # ftp and file (and loads the system's CA bundle, ~70 ms). With no handlers at all,
            # even a call that reached the inherited opener could open nothing. These are the
            # attributes WeasyPrint reads from a fetcher.
            urllib.request.OpenerDirector.__init__(self)
            self._timeout = 0
            self._http_headers = {}
            self._allowed_protocols = ("data",)
            self._fail_on_errors = False
            self._request = None

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url[:5].lower() == "data:":
                return _data_response(url, URLFetcherResponse)
            name = _static_name(url, root)
            path = _static_file(name)
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticFilesFetcher()


def _refuse(url: str, why: str) -> RefusedURL:
    logger.warning("PDF render refused a resource (%s): %.200s", why, url)
    return RefusedURL(f"refused: {why}")


def _data_response(url: str, response_class: Any) -> Any:
    if len(url) > DATA_URL_LIMIT:
        raise _refuse(url[:64], "data URL too large")
    # Only ever a data: URL here; DataHandler decodes it in memory and opens nothing.
    request = urllib.request.Request(url)  # noqa: S310
    with urllib.request.DataHandler().data_open(request) as data:
        body = data.read()
        content_type = data.headers.get("Content-Type", "text/plain")
    return response_class(url, body=body, headers={"Content-Type": content_type})


def _static_name(url: str, root: Any) -> str:
    """The static file name a URL asks for, or RefusedURL when it is not one of ours."""
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise _refuse(url, "malformed URL") from error
    if (parts.scheme.lower(), parts.netloc.lower()) != (root.scheme.lower(), root.netloc.lower()):
        raise _refuse(url, "not this site's static files")
    if not parts.path.startswith(root.path):
        raise _refuse(url, "outside the static files")
    name = unquote(parts.path[len(root.path) :])
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or posixpath.normpath(name) != name
        or any(segment in ("", ".", "..") for segment in name.split("/"))
    ):
        raise _refuse(url, "not a plain static file path")
    if posixpath.splitext(name)[1].lower() not in STATIC_TYPES:
        raise _refuse(url, "not a stylesheet, image or font")
    return name


def _static_file(name: str) -> Path:
    """The file on disk for a static name: the collected copy when there is one, else the one
    the finders would serve in development."""
    candidates = []
    try:
        if staticfiles_storage.exists(name):
            candidates.append(Path(staticfiles_storage.path(name)))
    except (NotImplementedError, ValueError, OSError):
        pass
    found = finders.find(name)
    if isinstance(found, str):
        candidates.append(Path(found))
    for path in candidates:
        if path.is_file():
            return path
    raise _refuse(name, "no such static file")


# ---------------------------------------------------------------------------------------------
# Rendering


def report_html(report: Report, share_url: str | None = None) -> str:
    context = {"report": report, "site_name": SITE_NAME, "share_url": share_url}
    return render_to_string("report/pdf.html", context)


def render_pdf(report: Report, share_url: str | None = None) -> bytes:
    """The PDF of a report, or RenderTimeout when it takes longer than RENDER_TIMEOUT.
    `share_url` is printed in the footer as the way back to the live page."""
    return html_pdf(report_html(report, share_url))


def html_pdf(html: str) -> bytes:
    """Any of the app's print HTML as a PDF, with the same fetcher and deadline as a report."""
    future = _renderer.submit(_write_pdf, html, base_url())
    try:
        return future.result(timeout=RENDER_TIMEOUT)
    except FutureTimeout as error:
        future.cancel()
        raise RenderTimeout(f"the PDF took longer than {RENDER_TIMEOUT:g} s to render") from error


def render_document_bytes(report: Report, share_url: str | None = None) -> bytes:
    """The PDF of a report, rendered on the calling thread: for the background worker, which
    does nothing else meanwhile."""
    return _write_pdf(report_html(report, share_url), base_url())


def _write_pdf(html: str, base: str) -> bytes:
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=html, base_url=base, url_fetcher=make_fetcher())
    # PDF/UA: tagged structure, document title and language, for screen readers.
    return document.write_pdf(pdf_variant="pdf/ua-1")


def warm_up() -> None:
    """Import WeasyPrint and render a line with the report's stylesheet, so that the first real
    download in this process does not also pay for loading fonts (a second or more). For a
    server's worker start-up hook; harmless to call more than once."""
    html = '<link rel="stylesheet" href="/static/css/print.css"><p class="report-title">Ready</p>'
    _renderer.submit(_write_pdf, html, base_url()).result(timeout=RENDER_TIMEOUT * 3)


def assessment_pdf(
    assessment: Any, report: Report | None = None, *, today: dt.date | None = None
) -> bytes:
    """The PDF of a completed assessment, rendered now in this process (downloads use the
    stored copy made by advisor.reports.tasks instead)."""
    if report is None:
        report = Report.from_assessment(assessment, today=today or dt.date.today())
    return render_pdf(report, assessment.share_url)
