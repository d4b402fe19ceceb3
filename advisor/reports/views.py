"""The result as a page, a PDF and a JSON download, for the owner and for the share link, and
the owner's re-run with today's engine, and comparisons of an assessment with its variants.

Every view shows the STORED result snapshot; only the re-run calls the engine. The owner's views
take the edit token, the share views the share token; both 404 alike for unknown, revoked and
unfinished assessments.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from advisor.assessments.links import assessment_for_owner, assessment_for_share
from advisor.assessments.models import Assessment
from advisor.assessments.views import check_url, conflict, posted_revision
from advisor.engine import ENGINE_VERSION, AnswersInvalid, assess
from advisor.reports import comparisons, exports, pdf, spreadsheet, tasks
from advisor.reports.compare import compare_results
from advisor.reports.context import Report, report_for
from advisor.reports.models import Comparison, StoredPDF
from advisor.web import ratelimit
from advisor.web.headers import capability_page, no_referrer

logger = logging.getLogger(__name__)

# How often the PDF's progress page checks again.
PROGRESS_CHECK_SECONDS = 2


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
    report = _report(assessment)
    context = {
        "assessment": assessment,
        "report": report,
        "token": token,
        "current_engine": ENGINE_VERSION,
        "judged_by_older_engine": report.engine_version != ENGINE_VERSION,
    }
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


def _pdf_unavailable(request: HttpRequest, reason: str, retry_after: int) -> HttpResponse:
    response = render(
        request, "report/pdf_unavailable.html", {"reason": reason, "retry_after": retry_after}
    )
    response.status_code = 503
    response.headers["Retry-After"] = str(retry_after)
    response.headers["Cache-Control"] = "no-store"
    return response


def _pdf(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """Streams the stored PDF; while it is being rendered, a page that checks again."""
    try:
        stored = tasks.request_render(assessment)
    except tasks.RenderLimited as limited:
        response = render(
            request, "report/pdf_429.html", {"retry_after": limited.retry_after}, status=429
        )
        response.headers["Retry-After"] = str(limited.retry_after)
        response.headers["Cache-Control"] = "no-store"
        return response
    except (DatabaseError, OSError):
        logger.exception("Could not look up or queue a PDF")
        return _pdf_unavailable(request, "busy", 30)
    if stored.state == StoredPDF.State.READY:
        try:
            file = stored.path.open("rb")
        except FileNotFoundError:  # dropped just now to make room: the next check queues it
            return _pdf_progress(request)
        tasks.touch(stored)
        if request.htmx:  # the progress page's check: let the browser fetch the file itself
            response = HttpResponse(status=204)
            response.headers["HX-Redirect"] = request.path
            return response
        return FileResponse(
            file, as_attachment=True, filename=stored.filename, content_type="application/pdf"
        )
    if stored.state == StoredPDF.State.FAILED:
        disk_full = stored.failure == StoredPDF.Failure.DISK_FULL
        return _pdf_unavailable(
            request, "disk_full" if disk_full else "failed", tasks.RETRY_FAILED_AFTER
        )
    return _pdf_progress(request)


def _pdf_progress(request: HttpRequest) -> HttpResponse:
    template = "report/pdf_progress.html" + ("#status" if request.htmx else "")
    response = render(request, template, {"retry_after": PROGRESS_CHECK_SECONDS}, status=202)
    response.headers["Retry-After"] = str(PROGRESS_CHECK_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


@no_referrer
@capability_page
@require_safe
def assessment_pdf(request: HttpRequest, token: str) -> HttpResponse:
    return _pdf(request, _owned_with_result(token))


@no_referrer
@capability_page
@require_safe
def share_pdf(request: HttpRequest, token: str) -> HttpResponse:
    return _pdf(request, _shared_with_result(token))


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
    saved = assessment.save_result(revision, fresh)
    if not saved:
        return conflict(request, assessment, rerun_url)
    return redirect("assessment-result", token)


# Comparing an assessment with its variants, what-ifs and assessments shared with the owner


def _compare_fragment(request: HttpRequest) -> bool:
    return bool(
        request.htmx
        and not request.htmx.history_restore_request
        and request.htmx.target == "compare-region"
    )


def _render_compare(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    name = (
        "report/compare.html#compare-region"
        if _compare_fragment(request)
        else "report/compare.html"
    )
    return render(request, name, context)


def _comparison_table(base: Assessment, members: list[dict[str, Any]]) -> tuple[Any, int]:
    cols, missing = comparisons.columns(base, members)
    return comparisons.side_by_side(cols), missing


@vary_on_headers("HX-Request", "HX-Target")
@capability_page
@require_http_methods(["GET", "POST"])
def compare(request: HttpRequest, token: str) -> HttpResponse:
    """Pick what to put beside the assessment and see it side by side. GET takes variants and
    what-ifs (a "what would change" row links here); pasted share links come by POST, so they
    never sit in an address. Nothing is saved unless the owner saves the comparison."""
    base = assessment_for_owner(token)
    if base.result is None:
        return redirect("assessment-resume", token)
    data = request.POST if request.method == "POST" else (request.GET or None)
    if data is not None:
        # Each pasted link is a token lookup, and counts as one against the same limit.
        for _ in comparisons.pasted_lines(data.get("links", ""))[: comparisons.MAX_LINKS + 1]:
            refused = ratelimit.check(request, "token-lookup")
            if refused is not None:
                return refused
    form = comparisons.PickerForm(data, base=base, candidates=comparisons.family(base))
    context: dict[str, Any] = {"assessment": base, "form": form, "table": None}
    if form.is_bound and form.is_valid():
        members = form.members()
        if request.method == "POST" and request.POST.get("save") and members:
            refused = ratelimit.check(request, "create-assessment")
            if refused is not None:
                return refused
            comparison = comparisons.create_comparison(base, members)
            return redirect(comparison.owner_url(token))
        if members:
            context["table"], context["missing"] = _comparison_table(base, members)
    return _render_compare(request, context)


def _owned_comparison(token: str, comparison_id: Any) -> Comparison:
    base = _owned_with_result(token)
    try:
        comparison = Comparison.objects.get(public_id=comparison_id, assessment=base)
    except Comparison.DoesNotExist:
        raise Http404("No comparison at this address.") from None
    comparison.assessment = base  # carries the edit token
    return comparison


def _comparison_title(comparison: Comparison) -> str:
    return f"{comparison.assessment.project_name} compared"


def _comparison_filename(comparison: Comparison, extension: str) -> str:
    stem = slugify(comparison.assessment.project_name)[:50].strip("-") or "assessment"
    return f"{stem}-comparison-{comparison.created_at:%Y-%m-%d}.{extension}"


@capability_page
@require_safe
def comparison_owner(request: HttpRequest, token: str, comparison_id: Any) -> HttpResponse:
    comparison = _owned_comparison(token, comparison_id)
    table, missing = _comparison_table(comparison.assessment, comparison.members)
    context = {
        "assessment": comparison.assessment,
        "comparison": comparison,
        "table": table,
        "missing": missing,
        "changed": request.GET.get("changed", ""),
    }
    return render(request, "report/compare_saved.html", context)


def _back_to_comparison(comparison: Comparison, token: str, changed: str) -> HttpResponse:
    return HttpResponseRedirect(f"{comparison.owner_url(token)}?changed={changed}")


@capability_page
@require_POST
def comparison_share_rotate(request: HttpRequest, token: str, comparison_id: Any) -> HttpResponse:
    comparison = _owned_comparison(token, comparison_id)
    was_live = comparison.share_token_hash is not None
    comparisons.rotate_share_token(comparison)
    return _back_to_comparison(comparison, token, "rotated" if was_live else "created")


@capability_page
@require_POST
def comparison_share_revoke(request: HttpRequest, token: str, comparison_id: Any) -> HttpResponse:
    comparison = _owned_comparison(token, comparison_id)
    comparisons.revoke_share_token(comparison)
    return _back_to_comparison(comparison, token, "revoked")


@no_referrer
@capability_page
@require_safe
def comparison_share(request: HttpRequest, token: str) -> HttpResponse:
    comparison = comparisons.comparison_for_share(token)
    table, missing = _comparison_table(comparison.assessment, comparison.members)
    context = {
        "comparison": comparison,
        "table": table,
        "missing": missing,
        "token": token,
        "share_url": comparison.share_url,
    }
    return render(request, "report/compare_share.html", context)


def _comparison_csv(comparison: Comparison) -> HttpResponse:
    table, _ = _comparison_table(comparison.assessment, comparison.members)
    response = HttpResponse(comparisons.as_csv(table), content_type="text/csv; charset=utf-8")
    return _attachment(response, _comparison_filename(comparison, "csv"))


def _comparison_pdf(comparison: Comparison) -> HttpResponse:
    table, _ = _comparison_table(comparison.assessment, comparison.members)
    try:
        body = comparisons.comparison_pdf(
            table, title=_comparison_title(comparison), share_url=comparison.share_url
        )
    except pdf.RenderTimeout:
        response = HttpResponse(
            "The PDF is taking too long to prepare. Please try again in a minute.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response.headers["Retry-After"] = "60"
        return response
    response = HttpResponse(body, content_type="application/pdf")
    return _attachment(response, _comparison_filename(comparison, "pdf"))


def _comparison_downloads(build: Callable[[Comparison], HttpResponse]) -> tuple[Any, Any]:
    """A comparison download through the owner's edit link and through its share link."""

    @no_referrer
    @capability_page
    @require_safe
    def owner(request: HttpRequest, token: str, comparison_id: Any) -> HttpResponse:
        return build(_owned_comparison(token, comparison_id))

    @no_referrer
    @capability_page
    @require_safe
    def share(request: HttpRequest, token: str) -> HttpResponse:
        return build(comparisons.comparison_for_share(token))

    return owner, share


comparison_owner_csv, comparison_share_csv = _comparison_downloads(_comparison_csv)
comparison_owner_pdf, comparison_share_pdf = _comparison_downloads(_comparison_pdf)
