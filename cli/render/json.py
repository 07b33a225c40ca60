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
    """`value` with every non-finite float replaced by None, through dicts, lists and tuples; the same object
    where nothing changes, so a large body is not copied for nothing."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        found = {k: finite(v) for k, v in value.items()}
        return value if all(found[k] is v for k, v in value.items()) else found
    if isinstance(value, (list, tuple)):
        items = [finite(v) for v in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    return value


def json_bytes(body) -> bytes:
    """The body as UTF-8 JSON text and a newline. Encoded piece by
    piece: a portfolio's JSON is tens of megabytes, and json.dumps with an indent holds every piece of it in
    a list before joining them."""
    encoder = json.JSONEncoder(indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    out = io.BytesIO()
    for piece in encoder.iterencode(finite(body)):
        # These characters can only stand inside JSON strings, where a \uXXXX escape means the same.
        if _ESCAPE.search(piece):
            piece = _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", piece)
        out.write(piece.encode("utf-8"))
    out.write(b"\n")
    return out.getvalue()


def envelope(status: str, results: list, **extra) -> bytes:
    return json_bytes({"status": status, "results": results, **extra})
