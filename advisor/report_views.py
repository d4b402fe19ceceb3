"""The result as a page, a PDF and a JSON download, for the owner and for the share link.

Every view shows the STORED result snapshot; nothing here runs the engine. The owner's views
take the edit token, the share views the share token; both 404 alike for unknown, revoked and
unfinished assessments.
"""

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from advisor import page_cache, pdf
from advisor.access import assessment_for_owner, assessment_for_share, capability_page
from advisor.models import Assessment
from advisor.report import Report


def no_referrer(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send no referrer at all from pages without forms. (The owner's result page has forms, and
    with no-referrer browsers post them with `Origin: null`, which fails the CSRF check; it keeps
    capability_page's same-origin.)"""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    return wrapper


def _shared_with_result(token: str) -> Assessment:
    assessment = assessment_for_share(token)
    if assessment.result is None:
        raise Http404("No assessment at this address.")
    return assessment


def _owned_with_result(token: str) -> Assessment:
    assessment = assessment_for_owner(token)
    if assessment.result is None:
        raise Http404("No assessment at this address.")
    return assessment


def _report(assessment: Assessment, share_url: str | None = None) -> Report:
    return Report.from_assessment(assessment, share_url=share_url, today=timezone.localdate())


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    # Report.filename is ASCII letters, digits and hyphens only, so quoting it is enough.
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _dated(assessment: Assessment) -> str:
    """What a kept report depends on beyond the revision: the date it shows, which is today's
    only for a result stored without a completion time."""
    engine_version = (assessment.result or {}).get("engine_version", "")
    today = "" if assessment.completed_at else timezone.localdate().isoformat()
    return f"{engine_version}:{today}"


def _download_key(kind: str, assessment: Assessment) -> tuple:
    # Downloads hold no token and are the same for owner and share link.
    return (kind, assessment.public_id, assessment.revision, _dated(assessment))


@capability_page
@require_safe
def assessment_result(request: HttpRequest, token: str) -> HttpResponse:
    assessment = assessment_for_owner(token)
    if assessment.result is None:
        return redirect("assessment-resume", token)

    def render_page(shown: page_cache.Shown) -> HttpResponse:
        context = {"assessment": shown, "report": _report(shown)}
        return render(request, "report/result.html", context)

    return page_cache.page(
        request,
        assessment,
        ("result", _dated(assessment)),
        render_page,
        edit_token=token,
        share_token=assessment.share_token,
    )


@no_referrer
@capability_page
@require_safe
def share_result(request: HttpRequest, token: str) -> HttpResponse:
    assessment = _shared_with_result(token)

    def render_page(shown: page_cache.Shown) -> HttpResponse:
        report = _report(shown, share_url=shown.share_url)
        return render(request, "report/share.html", {"report": report, "token": shown.share_token})

    # The token in the address, not one derived again: it is the link this reader was given.
    return page_cache.page(
        request,
        assessment,
        ("share", _dated(assessment)),
        render_page,
        edit_token=None,
        share_token=token,
    )


def _export_body(assessment: Assessment) -> tuple[str, str]:
    report = _report(assessment)
    body = json.dumps(report.export(), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    return report.filename("json"), body


def _export(assessment: Assessment) -> HttpResponse:
    filename, body = page_cache.recent(
        _download_key("export", assessment),
        lambda: _export_body(assessment),
        size=lambda kept: len(kept[1]),
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return _attachment(response, filename)


@no_referrer
@capability_page
@require_safe
def assessment_export(request: HttpRequest, token: str) -> HttpResponse:
    return _export(_owned_with_result(token))


@no_referrer
@capability_page
@require_safe
def share_export(request: HttpRequest, token: str) -> HttpResponse:
    return _export(_shared_with_result(token))


def _pdf_download(assessment: Assessment) -> tuple[str, bytes]:
    report = _report(assessment)
    return report.filename("pdf"), pdf.assessment_pdf(assessment, report)


def _pdf(assessment: Assessment) -> HttpResponse:
    try:
        # The shared cache has every PDF rendered by any process; this process keeps the ones it
        # served lately too, which saves reading a large value from the database each time.
        filename, body = page_cache.recent(
            ("pdf", pdf.cache_key(assessment), _dated(assessment)),
            lambda: _pdf_download(assessment),
            size=lambda kept: len(kept[1]),
        )
    except pdf.RenderTimeout:
        response = HttpResponse(
            "The PDF is taking too long to prepare. Please try again in a minute.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response.headers["Retry-After"] = "60"
        return response
    return _attachment(HttpResponse(body, content_type="application/pdf"), filename)


@no_referrer
@capability_page
@require_safe
def assessment_pdf(request: HttpRequest, token: str) -> HttpResponse:
    return _pdf(_owned_with_result(token))


@no_referrer
@capability_page
@require_safe
def share_pdf(request: HttpRequest, token: str) -> HttpResponse:
    return _pdf(_shared_with_result(token))
