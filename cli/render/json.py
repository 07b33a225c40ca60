"""JSON output: a stable envelope, sorted keys, no timestamps, and always valid JSON.

A non-finite number (NaN, Infinity, from a value such as "NaN"^^xsd:double) is written as null:
JSON has no such numbers, and Python's NaN / Infinity tokens break every strict parser. C1
controls, DEL, bidi controls, line separators and lone surrogates are written as \\uXXXX escapes,
so the text is safe on a terminal and still reads back to the same strings.
"""
from __future__ import annotations

import json
import math
import re

_ESCAPE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def finite(value):
    """`value` with every non-finite float replaced by None, through dicts, lists and tuples."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def json_text(body) -> str:
    text = json.dumps(finite(body), indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    # These characters can only stand inside JSON strings, where a \uXXXX escape means the same.
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def envelope(status: str, results: list, **extra) -> bytes:
    body = {"status": status, "results": results, **extra}
    return (json_text(body) + "\n").encode("utf-8")
