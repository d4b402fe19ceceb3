"""The interview: starting an assessment, its steps, the check-answers page, and what the owner
can do with a finished one (share links, duplicate, re-run).

Every page works as a plain form. With htmx, a step form posts in the background and the server
answers with the next step's wizard fragment (the redirect is followed inside the request), so
the page swaps without a reload and the address bar follows the step.
"""

import hashlib
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.forms import BoundField
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_cookie, vary_on_headers
from django_htmx.http import push_url

from advisor.assessments import links, models_list, remembered
from advisor.assessments import steps as wizard
from advisor.assessments.forms import GroupField, StepForm, group_parts, step_form_class
from advisor.assessments.links import assessment_for_owner
from advisor.assessments.models import Assessment, mark_variant
from advisor.engine import QUESTIONS, AnswersInvalid, Step, assess
from advisor.web.headers import capability_page

COPY_SUFFIX = " (copy)"
RETURN_PARAM, RETURN_TO_CHECK = "return", "check"


def _step_or_404(slug: str) -> Step:
    step = wizard.step_for(slug)
    if step is None:
        raise Http404("No such step.")
    return step


def _step_url(assessment: Assessment, step: Step) -> str:
    return reverse("assessment-step", args=[assessment.edit_token, step.slug])


def check_url(assessment: Assessment) -> str:
    return reverse("assessment-check", args=[assessment.edit_token])


def _wants_fragment(request: HttpRequest) -> bool:
    """An htmx request aimed at the wizard container gets just that container back. A history
    restore (back button with nothing cached) needs the whole page."""
    return bool(
        request.htmx
        and not request.htmx.history_restore_request
        and request.htmx.target == "wizard"
    )


def _render_wizard(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    fragment = _wants_fragment(request)
    name = f"{template}#wizard" if fragment else template
    return render(request, name, {**context, "fragment": fragment}, status=status)


def posted_revision(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return None


def conflict(request: HttpRequest, assessment: Assessment, reload_url: str) -> HttpResponse:
    context = {"assessment": assessment, "reload_url": reload_url}
    response = _render_wizard(request, "assessments/conflict.html", context, status=409)
    return push_url(response, False) if request.htmx else response


def _progress(assessment: Assessment, current: str) -> list[dict[str, Any]]:
    visited = wizard.visited_slugs(assessment.saved_steps, current)
    return [
        {
            "step": step,
            "number": number,
            "current": step.slug == current,
            "done": wizard.step_is_complete(step, assessment.answers, assessment.saved_steps),
            "url": _step_url(assessment, step) if step.slug in visited else None,
        }
        for number, step in enumerate(wizard.STEPS, start=1)
    ]


def _all_steps_done(assessment: Assessment) -> bool:
    return wizard.first_incomplete_step(assessment.answers, assessment.saved_steps) is None


def _wizard_context(assessment: Assessment, current: str) -> dict[str, Any]:
    return {
        "assessment": assessment,
        "progress": _progress(assessment, current),
        "check_url": check_url(assessment) if _all_steps_done(assessment) else None,
        "on_check_page": current == "check",
    }


# Starting, resuming and listing


@vary_on_cookie  # the list of your assessments comes from a cookie
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    assessments = remembered.remembered_assessments(request)[:5]
    response = render(request, "home.html", {"assessments": assessments})
    if assessments:
        add_never_cache_headers(response)  # it lists this browser's private links
    return response


@require_http_methods(["GET", "POST"])
def start_assessment(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        assessment = links.create_assessment()
        response = redirect(_step_url(assessment, wizard.STEPS[0]))
        return remembered.remember(request, response, assessment.edit_token)
    return render(request, "assessments/start.html", {"steps": wizard.STEPS})


@vary_on_cookie
@capability_page  # the list is made of private links
@require_GET
def my_assessments(request: HttpRequest) -> HttpResponse:
    context = {"assessments": remembered.remembered_assessments(request)}
    return render(request, "assessments/list.html", context)


@require_POST
def forget_assessment(request: HttpRequest) -> HttpResponse:
    response = redirect("assessment-list")
    return remembered.forget(request, response, request.POST.get("token", ""))


def _resume_url(assessment: Assessment) -> str:
    if assessment.is_complete:
        return reverse("assessment-result", args=[assessment.edit_token])
    step = wizard.first_incomplete_step(assessment.answers, assessment.saved_steps)
    return _step_url(assessment, step) if step else check_url(assessment)


@capability_page
@require_GET
def resume(request: HttpRequest, token: str) -> HttpResponse:
    assessment = assessment_for_owner(token)
    response = redirect(_resume_url(assessment))
    return remembered.remember(request, response, token)


# The steps


@cache
def _model_options() -> SafeString:
    """The pick list of models: current ones first, grouped by provider (any priced model is
    still accepted when typed), escaped once per process rather than node by node."""
    choices = models_list.pick_list()
    return format_html_join(
        "", '<option value="{}" label="{}">', ((c.name, c.label) for c in choices)
    )


def _field_html(field: BoundField) -> SafeString:
    """A field's crispy markup. Crispy takes most of a step's render time (a dozen nested
    templates per field), and on a form that was not posted a field's markup depends only on
    its form class and its value: so it is rendered once per value in this process, and every
    founder who sees the field with that value gets the same markup. Posted forms (with what
    was typed, and errors) are rendered afresh."""
    form = field.form
    if isinstance(field.field, GroupField):
        return render_to_string(
            "assessments/_group_field.html", {"field": field, "parts": group_parts(field)}
        )
    if form.is_bound:
        return as_crispy_field(field)
    # Hashed: values are founders' text, and the key must stay short and free of spaces.
    value = hashlib.blake2b(repr(field.value()).encode(), digest_size=16).hexdigest()
    key = f"field:{type(form).__name__}:{field.name}:{value}"
    return caches["renders"].get_or_set(key, lambda: as_crispy_field(field))


def _question_rows(form: StepForm, answers: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "question": q,
            "field": form[q.id],
            # Called by the template only for the fields it shows.
            "field_html": partial(_field_html, form[q.id]),
            "conditional": q.applies is not None,
            "shown": q.applies_to(answers),
        }
        for q in form.questions
    ]


def _render_step(
    request: HttpRequest, assessment: Assessment, step: Step, form: StepForm
) -> HttpResponse:
    answers = assessment.answers
    if form.is_bound:
        # Show the conditional questions that the answers just typed make relevant.
        answers, _ = wizard.merge_step(answers, assessment.unknown, form.settled())
    context = {
        **_wizard_context(assessment, step.slug),
        "step": step,
        "form": form,
        "rows": _question_rows(form, answers),
        "step_url": _step_url(assessment, step),
        "previous": wizard.step_before(step),
        "is_last": wizard.step_after(step) is None,
        "more": request.GET.get("more") == "1",
        "returns_to_check": _returns_to_check(request) and _all_steps_done(assessment),
        "model_options": _model_options() if "model" in step.question_ids else "",
    }
    return _render_wizard(request, "assessments/step.html", context)


def _conditional_fragment(request: HttpRequest, assessment: Assessment, step: Step) -> HttpResponse:
    """Re-render one conditional question against the values currently in the form, so it
    appears or disappears as the founder types (htmx only; nothing is saved)."""
    qid = request.GET.get("question", "")
    if qid not in step.question_ids or QUESTIONS[qid].applies is None:
        raise Http404("No such question.")
    form_class = step_form_class(step)
    typed = form_class(request.GET, stored=assessment.answers, unknown=assessment.unknown)
    typed.is_valid()
    answers, _ = wizard.merge_step(assessment.answers, assessment.unknown, typed.settled())
    initial = dict(typed.initial)
    if request.GET.get(qid):
        initial[qid] = request.GET[qid]
    form = form_class(stored=assessment.answers, unknown=assessment.unknown, initial=initial)
    row = next(row for row in _question_rows(form, answers) if row["question"].id == qid)
    if row["shown"] == (qid in request.GET.getlist("shown")):
        # Nothing to add or take away; leave whatever the founder is choosing alone.
        return HttpResponse(status=204)
    context = {"row": row, "step_url": _step_url(assessment, step)}
    return render(request, "assessments/step.html#conditional", context)


def _returns_to_check(request: HttpRequest) -> bool:
    """A step opened from a "Change" link on the check-answers page goes back there once saved."""
    data = request.POST if request.method == "POST" else request.GET
    return data.get(RETURN_PARAM) == RETURN_TO_CHECK


def _next_url(request: HttpRequest, assessment: Assessment, step: Step, form: StepForm) -> str:
    if request.POST.get("go") == "back":
        before = wizard.step_before(step)
        return _step_url(assessment, before or step)
    hidden = [
        q.id
        for q in form.conditional
        if q.applies_to(assessment.answers) and q.id not in form.shown
    ]
    returning = _returns_to_check(request)
    if hidden:
        # Without JavaScript a follow-up question appears only once its trigger is saved.
        back = f"&{RETURN_PARAM}={RETURN_TO_CHECK}" if returning else ""
        return f"{_step_url(assessment, step)}?more=1{back}#q-{hidden[0]}"
    if returning and _all_steps_done(assessment):
        return check_url(assessment)
    after = wizard.step_after(step)
    return _step_url(assessment, after) if after else check_url(assessment)


def _save_step(request: HttpRequest, assessment: Assessment, step: Step) -> HttpResponse:
    revision = posted_revision(request)
    step_url = _step_url(assessment, step)
    if revision != assessment.revision:
        return conflict(request, assessment, step_url)
    form = step_form_class(step)(
        request.POST, stored=assessment.answers, unknown=assessment.unknown
    )
    valid = form.is_valid()
    if not valid and request.POST.get("go") != "back":
        response = _render_step(request, assessment, step, form)
        return push_url(response, False) if request.htmx else response
    # Going back saves whatever is valid so far; a step counts as done only when all of it is.
    answers, unknown = wizard.merge_step(assessment.answers, assessment.unknown, form.settled())
    fields: dict[str, Any] = {"answers": answers, "unknown": unknown}
    if valid and step.slug not in assessment.saved_steps:
        fields["saved_steps"] = [*assessment.saved_steps, step.slug]
    if assessment.is_complete and (answers != assessment.answers or unknown != assessment.unknown):
        fields["status"] = Assessment.Status.DRAFT  # the stored result no longer matches
    # Saving what is already stored adds no revision: other open tabs, the stored result and the
    # rendered PDFs all stay current.
    changed = {name: value for name, value in fields.items() if getattr(assessment, name) != value}
    if changed and not assessment.save_if_current(revision, **changed):
        return conflict(request, assessment, step_url)
    return HttpResponseRedirect(_next_url(request, assessment, step, form))


@vary_on_headers("HX-Request", "HX-Target")
@capability_page
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, token: str, slug: str) -> HttpResponse:
    assessment = assessment_for_owner(token)
    current = _step_or_404(slug)
    if request.method == "POST":
        return _save_step(request, assessment, current)
    if request.GET.get("fragment") == "question":
        return _conditional_fragment(request, assessment, current)
    form = step_form_class(current)(stored=assessment.answers, unknown=assessment.unknown)
    response = _render_step(request, assessment, current, form)
    return remembered.remember(request, response, token)


# Checking the answers and running the engine


def _errors_by_step(invalid: AnswersInvalid) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for error in invalid.errors:
        question = QUESTIONS.get(error.field)
        slug = question.step if question else wizard.STEPS[0].slug
        label = question.label if question else error.field
        grouped.setdefault(slug, []).append(f"{label} {error.message}")
    return grouped


def _render_check(
    request: HttpRequest,
    assessment: Assessment,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    summaries = wizard.summaries(assessment.answers, assessment.unknown, assessment.saved_steps)
    sections = [
        {
            "summary": summary,
            "url": _step_url(assessment, summary.step),
            "errors": (errors or {}).get(summary.step.slug, []),
        }
        for summary in summaries
    ]
    context = {
        **_wizard_context(assessment, "check"),
        "sections": sections,
        "ready": _all_steps_done(assessment),
        "has_errors": bool(errors),
    }
    return _render_wizard(request, "assessments/check.html", context)


def _run_assessment(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    revision = posted_revision(request)
    if revision != assessment.revision:
        return conflict(request, assessment, check_url(assessment))
    if not _all_steps_done(assessment):
        return _render_check(request, assessment)
    try:
        result = assess(dict(assessment.answers))
    except AnswersInvalid as invalid:
        return _render_check(request, assessment, _errors_by_step(invalid))
    if not assessment.save_result(revision, result):
        return conflict(request, assessment, check_url(assessment))
    return redirect("assessment-result", assessment.edit_token)


@vary_on_headers("HX-Request", "HX-Target")
@capability_page
@require_http_methods(["GET", "POST"])
def check_answers(request: HttpRequest, token: str) -> HttpResponse:
    assessment = assessment_for_owner(token)
    if request.method == "POST":
        return _run_assessment(request, assessment)
    return _render_check(request, assessment)


# The owner's actions on a finished assessment


@capability_page
@require_GET
def share_link(request: HttpRequest, token: str) -> HttpResponse:
    assessment = assessment_for_owner(token)
    context = {"assessment": assessment, "changed": request.GET.get("changed", "")}
    return render(request, "assessments/share.html", context)


def _back_to_share_page(token: str, changed: str) -> HttpResponse:
    return HttpResponseRedirect(f"{reverse('assessment-share', args=[token])}?changed={changed}")


@dataclass(frozen=True)
class Confirmation:
    """A question asked before a change that cannot be undone: as a page without JavaScript,
    in a dialog with it (the same markup, fetched by htmx)."""

    title: str
    consequences: tuple[str, ...]
    button: str
    danger: bool = False


ROTATE = Confirmation(
    "Replace the share link?",
    (
        "The current share link stops working at once, for everybody who has it.",
        "A new share link is made; you send it to the people who should see the report.",
        "Your private link and your answers do not change.",
    ),
    "Replace the link",
)
REVOKE = Confirmation(
    "Turn off sharing?",
    (
        "The share link stops working at once, for everybody who has it.",
        "You can make a new share link later; the old one never comes back.",
        "Your private link and your answers do not change.",
    ),
    "Turn off sharing",
    danger=True,
)
DELETE = Confirmation(
    "Delete this assessment?",
    (
        "Its answers, every saved revision, the stored result and any PDFs made from it are "
        "deleted for good.",
        "Your private link and the share link stop working; they lead to a page that says so.",
        "This cannot be undone. To keep a copy, download the data (JSON) or the PDF first.",
    ),
    "Delete for good",
    danger=True,
)


def _confirm(
    request: HttpRequest, assessment: Assessment, confirmation: Confirmation, action: str
) -> HttpResponse:
    cancel = (
        reverse("assessment-result", args=[assessment.edit_token])
        if assessment.result
        else reverse("assessment-share", args=[assessment.edit_token])
    )
    context = {
        "assessment": assessment,
        "confirmation": confirmation,
        "action": reverse(action, args=[assessment.edit_token]),
        "cancel_url": cancel,
        "in_dialog": bool(request.htmx and request.htmx.target == "confirm-dialog"),
    }
    template = "assessments/confirm.html"
    return render(request, f"{template}#dialog" if context["in_dialog"] else template, context)


@vary_on_headers("HX-Request", "HX-Target")
@capability_page
@require_http_methods(["GET", "POST"])
def rotate_share_link(request: HttpRequest, token: str) -> HttpResponse:
    assessment = assessment_for_owner(token)
    if request.method == "GET":
        return _confirm(request, assessment, ROTATE, "assessment-share-rotate")
    was_live = assessment.share_token_hash is not None
    links.rotate_share_token(assessment)
    return _back_to_share_page(token, "rotated" if was_live else "created")


@vary_on_headers("HX-Request", "HX-Target")
@capability_page
@require_http_methods(["GET", "POST"])
def revoke_share_link(request: HttpRequest, token: str) -> HttpResponse:
    assessment = assessment_for_owner(token)
    if request.method == "GET":
        return _confirm(request, assessment, REVOKE, "assessment-share-revoke")
    links.revoke_share_token(assessment)
    return _back_to_share_page(token, "revoked")


def _forget_stored_pdfs(assessment: Assessment) -> None:
    """Rendered PDFs live in the shared database cache under keys that carry the assessment's
    public id (one per revision); they go with it rather than waiting to expire."""
    backend = caches["default"]
    if not isinstance(backend, DatabaseCache):
        return  # other backends cannot be searched by key; their entries expire on their own
    db = connections[router.db_for_write(backend.cache_model_class)]
    table = db.ops.quote_name(backend._table)  # the cache's own table name
    with db.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE cache_key LIKE %s",  # noqa: S608 (a quoted name)
            [f"%:{assessment.public_id}:%"],
        )


@vary_on_headers("HX-Request", "HX-Target")
@capability_page
@require_http_methods(["GET", "POST"])
def delete_assessment(request: HttpRequest, token: str) -> HttpResponse:
    assessment = assessment_for_owner(token)
    if request.method == "GET":
        return _confirm(request, assessment, DELETE, "assessment-delete")
    with transaction.atomic():
        _forget_stored_pdfs(assessment)
        assessment.delete()
    response = redirect("assessment-deleted")
    return remembered.forget(request, response, token)


@require_GET
def assessment_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "assessments/deleted.html")


def _copy_name(name: str) -> str:
    limit = QUESTIONS["project_name"].max_length or 120
    return name[: limit - len(COPY_SUFFIX)] + COPY_SUFFIX


@capability_page
@require_POST
def duplicate(request: HttpRequest, token: str) -> HttpResponse:
    original = assessment_for_owner(token)
    fields = original.snapshot_fields()
    if fields["answers"].get("project_name"):
        fields["answers"]["project_name"] = _copy_name(fields["answers"]["project_name"])
    copy = links.create_assessment(**fields)
    mark_variant(original, copy)
    response = redirect(check_url(copy))
    return remembered.remember(request, response, copy.edit_token)
