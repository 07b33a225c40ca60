"""Making text from evidence, file names and error messages safe to show on a terminal.

Evidence is written by others: a label holding ESC [ 2 J or an OSC 8 hyperlink would act on the
reader's terminal, and a bidi override (U+202E) would make a table say something other than what
it holds. Such characters are shown as escapes instead (``\\x1b``, ``\\u202e``); the text keeps
every other character. Backslashes are left alone, so escaping twice changes nothing.
"""
from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, the bidi embeddings, overrides, isolates and
# marks, the line and paragraph separators (str.splitlines breaks on them), and lone surrogates
# (undecodable bytes of a file name), which would fail to encode.
_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff"
_UNSAFE_IN_TEXT = re.compile(f"[{_UNSAFE}]")
_UNSAFE_IN_LINE = re.compile(f"[{_UNSAFE}\t\n]")


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str, *, one_line: bool = False) -> str:
    """`text` with every control, bidi and separator character shown as an escape.

    Tabs and newlines are kept unless `one_line`, which escapes them too (an error line stays one line).
    """
    return (_UNSAFE_IN_LINE if one_line else _UNSAFE_IN_TEXT).sub(_escaped, text)
