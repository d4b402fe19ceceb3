"""The result as a page, a PDF and a JSON download, for the owner and for the share link, and
the owner's re-run with today's engine.

Every view shows the STORED result snapshot; only the re-run calls the engine. The owner's views
take the edit token, the share views the share token; both 404 alike for unknown, revoked and
unfinished assessments.
"""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from advisor.assessments.links import assessment_for_owner, assessment_for_share
from advisor.assessments.models import Assessment
from advisor.assessments.views import check_url, conflict, posted_revision
from advisor.engine import AnswersInvalid, assess
from advisor.reports import exports, pdf, spreadsheet
from advisor.reports.compare import compare_results
from advisor.reports.context import Report, report_for
from advisor.web.headers import capability_page, no_referrer


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


def _report(assessment: Assessment) -> Report:
    return report_for(assessment, today=timezone.localdate())


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    # Report.filename is ASCII letters, digits and hyphens only, so quoting it is enough.
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


View = Callable[[HttpRequest, str], HttpResponse]


def _downloads(build: Callable[[Assessment], HttpResponse]) -> tuple[View, View]:
    """A download's two views: through the owner's edit link and through the share link."""

    @no_referrer
    @capability_page
    @require_safe
    def owner(request: HttpRequest, token: str) -> HttpResponse:
        return build(_owned_with_result(token))

    @no_referrer
    @capability_page
    @require_safe
    def share(request: HttpRequest, token: str) -> HttpResponse:
        return build(_shared_with_result(token))

    return owner, share


@capability_page
@require_safe
def assessment_result(request: HttpRequest, token: str) -> HttpResponse:
    assessment = assessment_for_owner(token)
    if assessment.result is None:
        return redirect("assessment-resume", token)
    context = {"assessment": assessment, "report": _report(assessment)}
    return render(request, "report/result.html", context)


@no_referrer
@capability_page
@require_safe
def share_result(request: HttpRequest, token: str) -> HttpResponse:
    assessment = _shared_with_result(token)
    # The token in the address, not one derived again: it is the link this reader was given.
    context = {"report": _report(assessment), "token": token, "share_url": assessment.share_url}
    return render(request, "report/share.html", context)


def _export(assessment: Assessment) -> HttpResponse:
    report = _report(assessment)
    response = HttpResponse(exports.as_json(report), content_type="application/json; charset=utf-8")
    return _attachment(response, report.filename("json"))


assessment_export, share_export = _downloads(_export)


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


assessment_pdf, share_pdf = _downloads(_pdf)


def _csv(assessment: Assessment) -> HttpResponse:
    body = spreadsheet.as_csv(assessment.result)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    return _attachment(response, _report(assessment).filename("csv"))


assessment_csv, share_csv = _downloads(_csv)


# Re-running a stored assessment with today's engine and prices


@capability_page
@require_http_methods(["GET", "POST"])
def rerun(request: HttpRequest, token: str) -> HttpResponse:
    """What today's engine and prices say about the stored answers, beside the stored result.
    Nothing is saved until the owner keeps the new result."""
    assessment = assessment_for_owner(token)
    if assessment.result is None:
        return redirect(check_url(assessment))
    try:
        fresh = assess(dict(assessment.answers))
    except AnswersInvalid:
        return redirect(check_url(assessment))
    comparison = compare_results(assessment.result, fresh)
    context = {
        "assessment": assessment,
        "comparison": comparison,
        "changed": any(row.changed for row in comparison),
    }
    return render(request, "assessments/rerun.html", context)


@capability_page
@require_POST
def keep_rerun(request: HttpRequest, token: str) -> HttpResponse:
    assessment = assessment_for_owner(token)
    rerun_url = reverse("assessment-rerun", args=[token])
    revision = posted_revision(request)
    if revision != assessment.revision:
        return conflict(request, assessment, rerun_url)
    try:
        fresh = assess(dict(assessment.answers))
    except AnswersInvalid:
        return redirect(check_url(assessment))
    saved = assessment.save_if_current(
        revision, result=fresh, status=Assessment.Status.COMPLETE, completed_at=timezone.now()
    )
    if not saved:
        return conflict(request, assessment, rerun_url)
    return redirect("assessment-result", token)
