"""python manage.py advise FILE [FILE ...]: print the recommendation for answers documents.

`-` reads standard input: one JSON document, or JSON Lines (one document per line). With several
documents, JSON output is JSON Lines (one result per line) and text or Markdown reports follow
each other; --compare prints one side-by-side table instead (text or markdown).

Invalid input prints one "field: message" line per problem on standard error (prefixed with the
file and line when there are several documents), nothing on standard output, and exits with
status 2.
"""

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from advisor.engine import AnswersInvalid, FieldError, assess
from advisor.reports import exports

INVALID = 2
FORMAT_NAMES = ("json", "text", "markdown", "pdf")


def _render(fmt: str, doc: Any, result: dict[str, Any]) -> str | bytes:
    """One report built from the document and its result, in the format asked for. The report
    modules load only when needed: plain JSON needs none of them, the PDF WeasyPrint too."""
    if fmt == "json":
        return exports.result_json(result)
    from advisor.reports.context import Report

    report = Report.from_answers(
        doc, result, title=str(doc.get("project_name") or ""), today=dt.date.today()
    )
    if fmt == "pdf":
        from advisor.reports.pdf import render_pdf

        return render_pdf(report)
    return exports.FORMATS[fmt](report)


def compare_table(
    docs: list[Any], results: list[dict[str, Any]], names: list[str], fmt: str
) -> str:
    """Assessments side by side (advisor.reports.comparisons, as on the web): the answers that
    differ (marked *), then the outcome."""
    from advisor.reports.comparisons import Column, as_text, complete_answers, side_by_side

    columns = [
        Column(name=str(d.get("project_name") or n), result=r, answers=complete_answers(d, r))
        for d, r, n in zip(docs, results, names, strict=True)
    ]
    return as_text(side_by_side(columns), fmt)


class Command(BaseCommand):
    help = (
        "Print the advisor's recommendation for answers files (JSON); - reads standard input "
        "(one document or JSON Lines). --compare prints them side by side."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files", nargs="+", metavar="file", help="answers document (JSON), or - for stdin"
        )
        parser.add_argument("--format", dest="output_format", choices=FORMAT_NAMES, default="json")
        parser.add_argument(
            "--compare", action="store_true", help="one side-by-side table (text or markdown)"
        )
        parser.add_argument("-o", "--output", help="write to this file instead of standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["output_format"]
        named = [doc for name in options["files"] for doc in self._read(name)]
        results, errors = [], []
        for where, doc in named:
            try:
                results.append(assess(doc))
            except AnswersInvalid as invalid:
                prefix = f"{where}: " if len(named) > 1 else ""
                errors += [FieldError(f"{prefix}{e.field}", e.message) for e in invalid.errors]
        if errors:
            self._fail(errors)
        docs = [doc for _, doc in named]
        if options["compare"]:
            if fmt not in ("text", "markdown"):
                self._fail([FieldError("--compare", "prints text or markdown; add --format")])
            names = [where for where, _ in named]
            rendered: str | bytes = compare_table(docs, results, names, fmt)
        elif len(docs) == 1:
            rendered = _render(fmt, docs[0], results[0])
        elif fmt == "pdf":
            self._fail([FieldError("--format", "pdf takes one document at a time")])
        elif fmt == "json":
            rendered = "".join(
                json.dumps(r, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"
                for r in results
            )
        else:
            rendered = "\n".join(
                str(_render(fmt, d, r)) for d, r in zip(docs, results, strict=True)
            )
        self._write(rendered, options["output"], fmt)

    def _read(self, name: str) -> list[tuple[str, Any]]:
        """(where, document) for each document in the file: one, or one per JSON Lines line."""
        label = "stdin" if name == "-" else name
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as problem:
            self._fail([FieldError("(document)", f"cannot be read: {problem}")])
        try:
            return [(label, self._parse(text))]
        except _ExtraData:
            pass
        found = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    found.append((f"{label}:{number}", self._parse(line)))
                except _ExtraData:
                    self._fail([FieldError(f"{label}:{number}", "is not one JSON document")])
        return found

    def _parse(self, text: str) -> Any:
        try:
            doc = json.loads(text)
        except RecursionError:
            self._fail([FieldError("(document)", "is nested too deeply")])
        except json.JSONDecodeError as problem:
            if problem.msg == "Extra data":
                raise _ExtraData from None
            self._fail([FieldError("(document)", f"is not valid JSON: {problem}")])
        except ValueError as problem:  # a number too long to convert
            self._fail([FieldError("(document)", f"is not valid JSON: {problem}")])
        try:
            # A lone surrogate (escaped as \udxxx, or undecodable input) could never be written out.
            json.dumps(doc, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            self._fail([FieldError("(document)", "contains text that is not valid Unicode")])
        return doc

    def _write(self, rendered: str | bytes, output: str | None, fmt: str) -> None:
        if output:
            path = Path(output)
            if isinstance(rendered, bytes):
                path.write_bytes(rendered)
            else:
                path.write_text(rendered, encoding="utf-8")
        elif isinstance(rendered, bytes):
            self._fail([FieldError("--output", f"is needed to write the {fmt} format to a file")])
        else:
            self.stdout.write(rendered, ending="")

    def _fail(self, errors: list[FieldError]) -> NoReturn:
        for error in errors:
            self.stderr.write(str(error))
        sys.exit(INVALID)


class _ExtraData(Exception):
    """More than one JSON document in the text: read it as JSON Lines."""
