"""Assessments side by side: the answers that differ, then what each one leads to.

One table, built here and laid out by the web page, the PDF, the CSV and the `advise --compare`
command: the answers that differ between the columns (highlighted), the answers they share, and
for each column the recommendation, its confidence, every option's total with its plausible
range, the break-even and the first roadmap step.

Results are read defensively (result-v1 and result-v2 shapes both appear in stored snapshots):
a missing field shows as "-", never as an error.

The rest of the module is the web comparison's: which assessments may stand beside one
(its variants, assessments whose share link the owner pasted, and "what would change" rows
assessed on the fly), the comparison's own share link, its CSV and its PDF.
"""

import hashlib
import json
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.cache import cache
from django.db.models import F, Q
from django.http import Http404
from django.template.loader import render_to_string

from advisor.assessments.links import assessment_for_share
from advisor.assessments.models import Assessment, family_root
from advisor.assessments.tokens import derive_share_token, token_hash, well_formed
from advisor.engine import QUESTIONS, AnswersInvalid, assess
from advisor.engine.text import money
from advisor.reports import spreadsheet
from advisor.reports.context import (
    APPROACH_ORDER,
    SITE_NAME,
    approach_label,
    assessed_doc,
    display,
    question_label,
    short_label,
)

MISSING = "-"
# The assessment itself and up to five others: beyond that the columns stop being readable.
MAX_COLUMNS = 6
KIND_LABELS = {
    "self": "This assessment",
    "variant": "Variant",
    "shared": "Shared with you",
    "what_if": "What if (not saved)",
    "file": "",
}


# ---------------------------------------------------------------------------------------------
# The table


@dataclass(frozen=True)
class Column:
    name: str
    result: Mapping[str, Any]
    answers: Mapping[str, Any]  # the complete answers the result was judged on
    kind: str = "file"  # a KIND_LABELS key
    note: str = ""  # e.g. what a what-if changes

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, "")


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    values: tuple[str, ...]
    differs: bool

    def cells(self, columns: Sequence[Column]) -> list[tuple[Column, str]]:
        return list(zip(columns, self.values, strict=True))


@dataclass(frozen=True)
class SideBySide:
    columns: tuple[Column, ...]
    differing: tuple[Row, ...]  # answers that are not the same in every column
    same: tuple[Row, ...]  # answers every column shares
    outcome: tuple[Row, ...]  # recommendation, confidence, costs, break-even, first step
    notes: tuple[str, ...] = field(default=())

    def cards(self) -> list[dict[str, Any]]:
        """The table turned on its side, one card per column, for narrow screens."""
        return [
            {
                "column": column,
                "differing": [(row.label, row.values[index]) for row in self.differing],
                "outcome": [(row.label, row.values[index], row.differs) for row in self.outcome],
            }
            for index, column in enumerate(self.columns)
        ]


def complete_answers(doc: Mapping[str, Any], result: Mapping[str, Any]) -> dict[str, Any]:
    """The answers a result was judged on: the result's own copy when it has one (defaults
    filled in), else the document as given."""
    kept = result.get("answers")
    return dict(kept) if isinstance(kept, Mapping) and kept else dict(doc)


def _distinct(values: Iterable[Any]) -> int:
    return len({json.dumps(v, sort_keys=True, default=str) for v in values})


def _answer(qid: str, value: Any) -> str:
    return MISSING if value is None else display(qid, value)


def _confidence(result: Mapping[str, Any]) -> str:
    value = result.get("confidence")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return MISSING
    return f"{value:.0%}" if value <= 1 else f"{value:.0f}%"


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _options(result: Mapping[str, Any]) -> Mapping[str, Any]:
    costs = result.get("costs")
    options = costs.get("options") if isinstance(costs, Mapping) else None
    return options if isinstance(options, Mapping) else {}


def option_total(result: Mapping[str, Any], approach: str) -> str:
    """The option's total, with its plausible low and high when known."""
    option = _options(result).get(approach)
    if not isinstance(option, Mapping) or not _number(option.get("total_usd")):
        return MISSING
    text = money(option["total_usd"])
    low, high = option.get("total_low_usd"), option.get("total_high_usd")
    if _number(low) and _number(high):
        text += f" ({money(low)}\u2013{money(high)})"
    if result.get("approach") == approach:
        text += ", recommended"
    return text


def break_even(result: Mapping[str, Any]) -> str:
    costs = result.get("costs") if isinstance(result.get("costs"), Mapping) else {}
    point = costs.get("break_even")
    if isinstance(point, Mapping) and point.get("approach") and point.get("against"):
        mine, other = short_label(str(point["approach"])), short_label(str(point["against"]))
        if point["approach"] == point["against"]:
            return f"{mine} is the cheapest option"
        at = point.get("monthly_queries")
        if not _number(at):
            return f"{mine} vs {other}: no crossover"
        side = "above" if point.get("cheaper_above", True) else "below"
        return f"{mine} vs {other}: cheaper {side} {at:,.0f} calls/month"
    at = costs.get("break_even_monthly_queries")
    if "break_even_monthly_queries" not in costs:
        return MISSING
    return "never" if not _number(at) else f"{at:,.0f} calls/month"


def first_step(result: Mapping[str, Any]) -> str:
    roadmap = result.get("roadmap")
    if isinstance(roadmap, Sequence) and roadmap and isinstance(roadmap[0], Mapping):
        return str(roadmap[0].get("action") or MISSING)
    return MISSING


def _recommendation(result: Mapping[str, Any]) -> str:
    approach = result.get("approach")
    if not approach:
        return MISSING
    return str(result.get("approach_label") or approach_label(str(approach)))


def _row(key: str, label: str, values: list[str]) -> Row:
    return Row(key, label, tuple(values), _distinct(values) > 1)


def side_by_side(columns: Sequence[Column]) -> SideBySide:
    differing, same = [], []
    for qid, question in QUESTIONS.items():
        if qid == "project_name":
            continue
        raw = [column.answers.get(qid) for column in columns]
        row = Row(qid, question.label, tuple(_answer(qid, v) for v in raw), _distinct(raw) > 1)
        (differing if row.differs else same).append(row)
    results = [column.result for column in columns]
    approaches = [a for a in APPROACH_ORDER if any(a in _options(r) for r in results)]
    outcome = [
        _row("approach", "Recommendation", [_recommendation(r) for r in results]),
        _row("confidence", "Confidence", [_confidence(r) for r in results]),
        *(
            _row(f"total:{a}", f"Total cost: {short_label(a)}", _totals(results, a))
            for a in approaches
        ),
        _row("break_even", "Break-even", [break_even(r) for r in results]),
        _row("first_step", "First step", [first_step(r) for r in results]),
    ]
    horizons = {(_options_horizon(r)) for r in results} - {None}
    notes = []
    ranges = "in brackets, the plausible low and high"
    if len(horizons) == 1:
        notes.append(f"Totals cover {horizons.pop()} months; {ranges}.")
    elif horizons:
        notes.append(f"Totals cover each column's own horizon; {ranges}.")
    return SideBySide(tuple(columns), tuple(differing), tuple(same), tuple(outcome), tuple(notes))


def _totals(results: Sequence[Mapping[str, Any]], approach: str) -> list[str]:
    return [option_total(r, approach) for r in results]


def _options_horizon(result: Mapping[str, Any]) -> int | None:
    costs = result.get("costs")
    months = costs.get("horizon_months") if isinstance(costs, Mapping) else None
    return months if _number(months) else None


def as_text(table: SideBySide, fmt: str) -> str:
    """The table as plain text (aligned columns) or Markdown; differing answers marked *."""
    header = ["", *[column.name for column in table.columns]]
    rows = [[f"* {row.label}", *row.values] for row in table.differing]
    rows += [[row.label, *row.values] for row in table.outcome]
    if fmt == "markdown":

        def cell(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")

        lines = ["| " + " | ".join(cell(c) for c in header) + " |"]
        lines.append("|" + "---|" * len(header))
        lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return "".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n"
        for row in [header, *rows]
    )


# ---------------------------------------------------------------------------------------------
# CSV and PDF

CSV_HEADER = ("Assessment", *spreadsheet.HEADER)


def as_csv(table: SideBySide) -> str:
    """Every option's line items for every column, the column named in the first cell; the same
    encoding and formula neutralising as the single result's CSV."""
    rows = (
        (column.name, *row)
        for column in table.columns
        for row in spreadsheet.line_item_rows(column.result)
    )
    return spreadsheet.write_rows(CSV_HEADER, rows)


def comparison_html(table: SideBySide, *, title: str, share_url: str | None) -> str:
    context = {"table": table, "title": title, "site_name": SITE_NAME, "share_url": share_url}
    return render_to_string("report/compare_pdf.html", context)


def comparison_pdf(table: SideBySide, *, title: str, share_url: str | None) -> bytes:
    """The comparison as a PDF, through the report's renderer and static-only fetcher. Kept in
    the shared cache under a hash of its HTML, so a repeat download is a cache read."""
    from advisor.reports import pdf

    html = comparison_html(table, title=title, share_url=share_url)
    key = "comparison-pdf:" + hashlib.sha256(html.encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        body = pdf.html_pdf(html)
        cache.set(key, body)
    return body


# ---------------------------------------------------------------------------------------------
# What may stand beside an assessment


def stored_doc(assessment: Assessment) -> dict[str, Any]:
    """The answers the stored result was judged on (as the report shows them)."""
    result = assessment.result or {}
    return assessed_doc(result) if assessment.result_is_outdated else dict(assessment.answers)


def column_of(assessment: Assessment, kind: str) -> Column:
    result = assessment.result or {}
    return Column(
        name=assessment.project_name,
        result=result,
        answers=complete_answers(stored_doc(assessment), result),
        kind=kind,
    )


def family(assessment: Assessment) -> list[Assessment]:
    """The original and every variant of it, besides `assessment` itself, oldest first."""
    root = family_root(assessment)
    return list(
        Assessment.objects.filter(Q(pk=root.pk) | Q(variant_of__original=root))
        .exclude(pk=assessment.pk)
        .order_by("created_at", "pk")
    )


def what_if_rows(assessment: Assessment) -> list[dict[str, Any]]:
    rows = (assessment.result or {}).get("what_would_change") or []
    # The same rows, in the same order, as the report's "what would change" list.
    return [row for row in rows if isinstance(row, Mapping) and "question" in row]


def what_if_member(row: Mapping[str, Any]) -> dict[str, Any]:
    changes = row.get("changes")
    if not isinstance(changes, Mapping) or not changes:
        changes = {row["question"]: row.get("to")}
    return {"kind": "what_if", "question": row["question"], "changes": dict(changes)}


def what_if_column(assessment: Assessment, member: Mapping[str, Any]) -> Column | None:
    """The stored answers with the member's answers changed, assessed now and kept nowhere."""
    changes = member.get("changes")
    if not isinstance(changes, Mapping) or not set(changes) <= set(QUESTIONS):
        return None
    try:
        result = assess({**stored_doc(assessment), **changes})
    except AnswersInvalid:
        return None
    described = "; ".join(f"{QUESTIONS[q].label} {display(q, v)}" for q, v in changes.items())
    return Column(
        name=f"What if: {described}",
        result=result,
        answers=complete_answers({}, result),
        kind="what_if",
        note=described,
    )


def columns(base: Assessment, members: Sequence[Mapping[str, Any]]) -> tuple[list[Column], int]:
    """The base assessment's column, then one per member still available; and how many members
    are no longer available (a variant gone, a share link revoked, a what-if that no longer
    assesses)."""
    ids = {str(m.get("id")) for m in members if m.get("kind") in ("variant", "shared")}
    found = {str(a.public_id): a for a in Assessment.objects.filter(public_id__in=_uuids(ids))}
    in_family = {str(a.public_id) for a in family(base)}
    out = [column_of(base, "self")]
    missing = 0
    for member in members:
        kind = member.get("kind")
        column = None
        if kind == "what_if":
            column = what_if_column(base, member)
        elif kind in ("variant", "shared"):
            other = found.get(str(member.get("id")))
            live = other is not None and other.result is not None and other.pk != base.pk
            if live and kind == "variant" and str(other.public_id) in in_family:
                column = column_of(other, "variant")
            elif live and kind == "shared" and _share_still_live(other, member):
                column = column_of(other, "shared")
        if column is None:
            missing += 1
        else:
            out.append(column)
    return out, missing


def _uuids(ids: Iterable[str]) -> list[str]:
    shape = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    return [i for i in ids if shape.fullmatch(i)]


def _share_still_live(assessment: Assessment, member: Mapping[str, Any]) -> bool:
    return assessment.share_token_hash is not None and assessment.share_generation == member.get(
        "generation"
    )


def shared_member(assessment: Assessment) -> dict[str, Any]:
    return {
        "kind": "shared",
        "id": str(assessment.public_id),
        "generation": assessment.share_generation,
    }


SHARE_LINK = re.compile(r"/s/([A-Za-z0-9_-]+)/?")


def token_from_link(text: str) -> str | None:
    """The share token in a pasted share link (the whole address, its path, or the token)."""
    text = text.strip()
    match = SHARE_LINK.search(text)
    token = match.group(1) if match else text
    return token if well_formed(token) else None


def shared_assessment(text: str) -> Assessment:
    """The assessment a pasted share link opens; Http404 alike for anything else."""
    token = token_from_link(text)
    if token is None:
        raise Http404("Not a share link.")
    return assessment_for_share(token)


# ---------------------------------------------------------------------------------------------
# The comparison's own share link: derived like an assessment's, from the comparison's own id.


def _derive(comparison: Any, generation: int) -> str:
    return derive_share_token(f"comparison:{comparison.public_id}", generation)


def current_share_token(comparison: Any) -> str | None:
    if not comparison.share_token_hash:
        return None
    token = _derive(comparison, comparison.share_generation)
    if not secrets.compare_digest(token_hash(token), comparison.share_token_hash):
        return None
    return token


def create_comparison(base: Assessment, members: Sequence[Mapping[str, Any]]) -> Any:
    from advisor.reports.models import Comparison

    comparison = Comparison(assessment=base, members=list(members))
    comparison.share_token_hash = token_hash(_derive(comparison, comparison.share_generation))
    comparison.save()
    return comparison


def comparison_for_share(token: str) -> Any:
    from advisor.reports.models import Comparison

    if not well_formed(token):
        raise Http404("No comparison at this address.")
    try:
        comparison = Comparison.objects.select_related("assessment").get(
            share_token_hash=token_hash(token)
        )
    except Comparison.DoesNotExist:
        raise Http404("No comparison at this address.") from None
    if comparison.assessment.result is None:
        raise Http404("No comparison at this address.")
    return comparison


def rotate_share_token(comparison: Any) -> None:
    """A new share link (or one after a revocation); the old one stops working at once."""
    from advisor.reports.models import Comparison

    generation = comparison.share_generation + 1
    digest = token_hash(_derive(comparison, generation))
    Comparison.objects.filter(pk=comparison.pk).update(
        share_generation=generation, share_token_hash=digest
    )
    comparison.share_generation, comparison.share_token_hash = generation, digest


def revoke_share_token(comparison: Any) -> None:
    from advisor.reports.models import Comparison

    Comparison.objects.filter(pk=comparison.pk).update(
        share_token_hash=None, share_generation=F("share_generation") + 1
    )
    comparison.refresh_from_db(fields=["share_generation", "share_token_hash"])


# ---------------------------------------------------------------------------------------------
# The owner's picker: variants, what-ifs and pasted share links

MAX_LINKS = MAX_COLUMNS - 1


def pasted_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class PickerForm(forms.Form):
    """What to put beside the assessment. Works as a plain GET or POST form."""

    variant = forms.MultipleChoiceField(
        label="Variants", required=False, widget=forms.CheckboxSelectMultiple
    )
    change = forms.MultipleChoiceField(
        label="What would change the answer", required=False, widget=forms.CheckboxSelectMultiple
    )
    links = forms.CharField(
        label="Share links you hold",
        required=False,
        max_length=MAX_LINKS * 200,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text="One read-only share link per line.",
    )

    def __init__(self, *args: Any, base: Assessment, candidates: Sequence[Assessment], **kw: Any):
        super().__init__(*args, **kw)
        self.base = base
        self.candidates = {str(a.public_id): a for a in candidates if a.result is not None}
        self.unassessed = [a for a in candidates if a.result is None]
        self.fields["variant"].choices = [(i, a.project_name) for i, a in self.candidates.items()]
        self.what_ifs = what_if_rows(base)
        self.fields["change"].choices = [
            (str(index), _what_if_label(row)) for index, row in enumerate(self.what_ifs)
        ]
        self.shared: list[Assessment] = []

    def clean_links(self) -> str:
        text = self.cleaned_data.get("links", "")
        lines = pasted_lines(text)
        if len(lines) > MAX_LINKS:
            raise forms.ValidationError(f"can hold at most {MAX_LINKS} links, one per line.")
        problems, seen = [], {self.base.pk}
        for number, line in enumerate(lines, start=1):
            try:
                other = shared_assessment(line)
            except Http404:
                problems.append(f"line {number} is not a share link that works (it may be off).")
                continue
            if other.result is None:
                problems.append(f"line {number} opens an assessment with no recommendation yet.")
            elif other.pk not in seen:
                seen.add(other.pk)
                self.shared.append(other)
        if problems:
            raise forms.ValidationError(problems)
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        count = len(data.get("variant") or ()) + len(data.get("change") or ()) + len(self.shared)
        if count > MAX_COLUMNS - 1:
            raise forms.ValidationError(
                f"Pick at most {MAX_COLUMNS - 1} to stand beside this assessment "
                f"(you picked {count})."
            )
        return data

    def members(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        chosen = [{"kind": "variant", "id": i} for i in data.get("variant") or ()]
        chosen += [what_if_member(self.what_ifs[int(i)]) for i in data.get("change") or ()]
        chosen += [shared_member(a) for a in self.shared]
        return chosen


def _what_if_label(row: Mapping[str, Any]) -> str:
    qid = str(row["question"])
    to = row.get("display") or display(qid, row.get("to"))
    approach = short_label(str(row.get("approach") or "")) or MISSING
    return f"{question_label(qid)}: {to} (would recommend {approach})"
