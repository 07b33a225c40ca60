"""JSON output: a stable envelope, sorted keys, no timestamps, and always valid JSON.

A non-finite number (NaN, Infinity, from a value such as "NaN"^^xsd:double) is written as null:
JSON has no such numbers, and Python's NaN / Infinity tokens break every strict parser. C1
controls, DEL, bidi controls, line separators and lone surrogates are written as \\uXXXX escapes,
so the text is safe on a terminal and still reads back to the same strings.
"""
from __future__ import annotations

import io
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


def _all_finite(value) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_all_finite(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_all_finite(v) for v in value)
    return True


def json_bytes(body) -> bytes:
    """The body as UTF-8 JSON text and a newline, copied (finite) only where it needs to be. Encoded piece by
    piece: a portfolio's JSON is tens of megabytes, and json.dumps with an indent holds every piece of it in
    a list before joining them."""
    encoder = json.JSONEncoder(indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    out = io.BytesIO()
    for piece in encoder.iterencode(body if _all_finite(body) else finite(body)):
        # These characters can only stand inside JSON strings, where a \uXXXX escape means the same.
        if _ESCAPE.search(piece):
            piece = _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", piece)
        out.write(piece.encode("utf-8"))
    out.write(b"\n")
    return out.getvalue()


def envelope(status: str, results: list, **extra) -> bytes:
    return json_bytes({"status": status, "results": results, **extra})
