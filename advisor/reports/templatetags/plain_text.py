"""Filters for the text and Markdown renderings of a report (templates with autoescape off)."""

import re

from django import template

register = template.Library()

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


@register.filter
def md(text: object) -> str:
    """Escape text so Markdown shows it literally (answers are untrusted)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


@register.filter
def md_cell(text: object) -> str:
    """A table cell: pipes escaped, on one line."""
    return str(text).replace("|", "\\|").replace("\n", " ")


@register.filter
def underline(text: object, char: str = "=") -> str:
    return char * len(str(text))


@register.filter
def ljust(text: object, width: int) -> str:
    return str(text).ljust(int(width))
