"""The SPARQL fragments the compiler assembles, read from the .rq files beside this module.

A fragment file holds named sections (`#@ name` lines); `{{SLOT}}` marks where the compiler puts a
term, a path or another fragment. Slots named in lower case with a colon (`{{closure:3}}`) are left
for validate() to fill with what it reads from the data (class closures).
"""
from __future__ import annotations

from functools import cache

from ..bundled import fill_slots, query_text, sections

FILES = ("focus.rq", "constraints.rq", "nested.rq", "fusion.rq", "tests.rq", "subclasses.rq")


@cache
def fragments() -> dict[str, str]:
    """Every named fragment of the package's .rq files (a whole file is a fragment named after it)."""
    found: dict[str, str] = {}
    for name in FILES:
        found[name] = query_text(__package__, name)
        found.update(sections(__package__, name))
    return found


def fill(name: str, **slots: str) -> str:
    """Fragment `name` with its slots filled; a slot left empty or a value given for no slot is a bug."""
    return fill_slots(fragments()[name], slots, name=f"fragment {name}")


def join(name: str, parts: list[str]) -> str:
    """Fold parts with a two-slot fragment (LEFT, RIGHT), such as `union` or `either`."""
    result = parts[0]
    for part in parts[1:]:
        result = fill(name, LEFT=result, RIGHT=part)
    return result
