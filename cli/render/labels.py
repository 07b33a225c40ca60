"""How a result's stage reads in text output."""
from __future__ import annotations


def stage_text(result) -> str:
    if result.stage is not None:
        return result.stage.label
    return "below the first stage" if result.assessed else "not assessed"
