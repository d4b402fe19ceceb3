"""Every download and command-line format of a report, each rendered from the one Report.

JSON is the stored answers and result exactly as kept; text and Markdown are templates over the
same Report the page and the PDF use, so all of them show the same words and figures.
"""

import json
from collections.abc import Callable, Mapping
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string

from advisor.reports.context import SITE_NAME, Report


def as_json(report: Report) -> str:
    """The web download: the answers document and the stored result."""
    return json.dumps(report.export(), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def result_json(result: Mapping[str, Any]) -> str:
    """The command line's JSON: the result document alone (result-v2), as the engine gave it."""
    return json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def _text_template(name: str) -> Callable[[Report], str]:
    def render(report: Report) -> str:
        text = render_to_string(name, {"report": report, "site_name": SITE_NAME})
        # Templates keep one blank line between blocks however their tags fall.
        lines: list[str] = []
        for line in text.splitlines():
            line = line.rstrip()
            if line or (lines and lines[-1]):
                lines.append(line)
        return "\n".join(lines).strip("\n") + "\n"

    return render


as_text = _text_template("report/report.txt")
as_markdown = _text_template("report/report.md")

# --format name -> renderer. A renderer that returns bytes (the PDF) is written to a file.
FORMATS: dict[str, Callable[[Report], str]] = {
    "json": lambda report: result_json(report.result),
    "text": as_text,
    "markdown": as_markdown,
}
