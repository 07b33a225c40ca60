"""Markdown output: GitHub-flavoured tables whose cells show evidence text as text."""
from __future__ import annotations

import re
from collections.abc import Sequence

from maturity_graph import xml_safe

# What a cell's text could turn into markup, a link, an HTML tag or another column
_MARKUP = re.compile(r"([\\`*_\[\]<>|~&])")


def markdown_cell(value: object) -> str:
    """One table cell: on one line, markup characters escaped, controls shown as escapes."""
    if value is None:
        return ""
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return _MARKUP.sub(r"\\\1", xml_safe(" ".join(text.split())))


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(markdown_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
