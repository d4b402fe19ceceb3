"""python manage.py advise FILE: print the recommendation for one answers document.

Invalid input prints one "field: message" line per problem on standard error, nothing on
standard output, and exits with status 2.
"""

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from advisor.engine import AnswersInvalid, FieldError, assess
from advisor.engine.render import RENDERERS

INVALID = 2

Renderer = Callable[[dict[str, Any], Any], str | bytes]


def _from_result(render: Callable[[dict[str, Any]], str | bytes]) -> Renderer:
    return lambda result, doc: render(result)


def _pdf(result: dict[str, Any], doc: Any) -> bytes:
    # The same report as the web download; WeasyPrint loads only when a PDF is asked for.
    from advisor.pdf import answers_pdf

    return answers_pdf(doc, result)


# --format name -> renderer(result, answers document as read). A renderer that returns bytes,
# such as the PDF, is written to the file named by --output.
FORMATS: dict[str, Renderer] = {
    **{name: _from_result(render) for name, render in RENDERERS.items()},
    "pdf": _pdf,
}


class Command(BaseCommand):
    help = "Print the advisor's recommendation for an answers file (JSON); - reads standard input."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="answers document (JSON), or - for standard input")
        parser.add_argument("--format", dest="output_format", choices=list(FORMATS), default="json")
        parser.add_argument("-o", "--output", help="write to this file instead of standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        doc = self._read(options["file"])
        try:
            result = assess(doc)
        except AnswersInvalid as invalid:
            self._fail(invalid.errors)
        rendered = FORMATS[options["output_format"]](result, doc)
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
