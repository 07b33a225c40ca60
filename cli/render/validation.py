"""What `mgraph validate` writes: conforms, or a table of the violations (file, node, property, problem)."""
from __future__ import annotations

from maturity_graph import ValidationResult

from .json import envelope
from .registry import RENDERERS, Kind, Options
from .table import table
from .terminal import terminal_safe


@RENDERERS.register(Kind.VALIDATION, "table")
def _table(result: ValidationResult, options: Options) -> bytes:
    if result.conforms:
        return terminal_safe(f"{', '.join(result.files)}: conforms\n").encode("utf-8")
    rows = [[v.file or "", v.focus, v.path or "", v.message + (f" (value {v.value})" if v.value else "")]
            for v in result.violations]
    text = table(["FILE", "NODE", "PROPERTY", "PROBLEM"], rows)
    return f"{text}\n{len(result.violations)} violation(s)\n".encode()


@RENDERERS.register(Kind.VALIDATION, "json")
def _json(result: ValidationResult, options: Options) -> bytes:
    return envelope("conforms" if result.conforms else "violations", [v.as_dict() for v in result.violations],
                    files=result.files)
