"""python manage.py advise FILE: print the recommendation for one answers document.

Invalid input prints one "field: message" line per problem on standard error, nothing on
standard output, and exits with status 2.
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


class Command(BaseCommand):
    help = "Print the advisor's recommendation for an answers file (JSON); - reads standard input."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="answers document (JSON), or - for standard input")
        parser.add_argument("--format", dest="output_format", choices=FORMAT_NAMES, default="json")
        parser.add_argument("-o", "--output", help="write to this file instead of standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        doc = self._read(options["file"])
        try:
            result = assess(doc)
        except AnswersInvalid as invalid:
            self._fail(invalid.errors)
        rendered = _render(options["output_format"], doc, result)
        self._write(rendered, options["output"], options["output_format"])

    def _read(self, name: str) -> Any:
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as problem:
            self._fail([FieldError("(document)", f"cannot be read: {problem}")])
        try:
            doc = json.loads(text)
        except RecursionError:
            self._fail([FieldError("(document)", "is nested too deeply")])
        except ValueError as problem:  # bad JSON, or a number too long to convert
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
