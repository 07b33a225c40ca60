"""`mgraph framework check` output: one line a finding, naming the pack rows (table), or the JSON envelope."""
from __future__ import annotations

from maturity_graph import PackCheck

from .json import envelope
from .registry import RENDERERS, Kind, Options
from .terminal import terminal_safe


@RENDERERS.register(Kind.PACK_CHECK, "table")
def _check_table(result: PackCheck, options: Options) -> bytes:
    if not result.findings:
        return f"{result.path}: no findings\n".encode()
    lines = [f.sentence() for f in result.findings]
    errors = sum(1 for f in result.findings if f.level == "error")
    lines.append(f"{len(result.findings)} finding(s), {errors} error(s)")
    return terminal_safe("\n".join(lines) + "\n").encode("utf-8")  # rows and labels come from the pack


@RENDERERS.register(Kind.PACK_CHECK, "json")
def _check_json(result: PackCheck, options: Options) -> bytes:
    return envelope("ok" if result.ok else "findings", [f.as_dict() for f in result.findings],
                    path=str(result.path))
