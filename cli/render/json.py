"""JSON output: a stable envelope, sorted keys, no timestamps."""
from __future__ import annotations

import json


def envelope(status: str, results: list, **extra) -> bytes:
    body = {"status": status, "results": results, **extra}
    return (json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
