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

import orjson

# The characters written as \uXXXX escapes, as (first, last) code points.
_ESCAPED = ((0x7F, 0x9F), (0x61C, 0x61C), (0x200E, 0x200F), (0x202A, 0x202E), (0x2066, 0x2069), (0x2028, 0x2029),
            (0xD800, 0xDFFF))
_ESCAPE = re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in _ESCAPED) + "]")
# The same characters in UTF-8, to look for them in orjson's bytes (which never hold surrogates)
_ESCAPE_UTF8 = re.compile(b"|".join(re.escape(chr(c).encode("utf-8")) for a, b in _ESCAPED for c in range(a, b + 1)
                                    if not 0xD800 <= c <= 0xDFFF))


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
    """The body as UTF-8 JSON text and a newline: by orjson (a portfolio's JSON is tens of megabytes, which
    the standard encoder takes seconds to indent), or by the standard encoder for what orjson refuses
    (lone surrogates, integers beyond 64 bits, keys that are not strings) and to raise TypeError, as
    json.dumps does, on values JSON has no form for."""
    try:
        data = orjson.dumps(body, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
                            | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME)
    except orjson.JSONEncodeError:
        return _standard_json_bytes(body)
    # orjson writes non-finite floats as null already; these characters can only stand inside JSON strings
    if _ESCAPE_UTF8.search(data):
        data = _ESCAPE.sub(_escaped, data.decode("utf-8")).encode("utf-8")
    return data


def _standard_json_bytes(body) -> bytes:
    """json_bytes by the standard encoder, piece by piece (json.dumps with an indent holds every piece of it in
    a list before joining them)."""
    encoder = json.JSONEncoder(indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    out = io.BytesIO()
    for piece in encoder.iterencode(finite(body)):
        if _ESCAPE.search(piece):
            piece = _ESCAPE.sub(_escaped, piece)
        out.write(piece.encode("utf-8"))
    out.write(b"\n")
    return out.getvalue()


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def envelope(status: str, results: list, **extra) -> bytes:
    return json_bytes({"status": status, "results": results, **extra})


def envelope_of(body: dict, listed: str, status: str = "ok") -> bytes:
    """A result's as_dict() as the envelope: its `listed` list becomes `results`, the rest stays beside it."""
    rest = dict(body)
    return envelope(status, rest.pop(listed), **rest)
