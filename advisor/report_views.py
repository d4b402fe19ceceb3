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

from advisor import pdf
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


@capability_page
@require_safe
def assessment_result(request: HttpRequest, token: str) -> HttpResponse:
    assessment = assessment_for_owner(token)
    if assessment.result is None:
        return redirect("assessment-resume", token)
    return render(
        request, "report/result.html", {"assessment": assessment, "report": _report(assessment)}
    )


@no_referrer
@capability_page
@require_safe
def share_result(request: HttpRequest, token: str) -> HttpResponse:
    assessment = _shared_with_result(token)
    report = _report(assessment, share_url=assessment.share_url)
    return render(request, "report/share.html", {"report": report, "token": token})


def _export(assessment: Assessment) -> HttpResponse:
    report = _report(assessment)
    body = json.dumps(report.export(), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return _attachment(response, report.filename("json"))


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


def _pdf(assessment: Assessment) -> HttpResponse:
    report = _report(assessment)
    try:
        body = pdf.assessment_pdf(assessment, report)
    except pdf.RenderTimeout:
        response = HttpResponse(
            "The PDF is taking too long to prepare. Please try again in a minute.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response.headers["Retry-After"] = "60"
        return response
    return _attachment(HttpResponse(body, content_type="application/pdf"), report.filename("pdf"))


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
