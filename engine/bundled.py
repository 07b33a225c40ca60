"""Access to what ships inside the package: ontology, shapes, crosswalks and .rq queries.

Everything is found through importlib.resources, never relative to the working directory,
so an installed wheel and a source checkout behave the same.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from .errors import ContentError

CONTENT_PACKAGE = "maturity_graph.content"
# Where a query template takes what is known only when it runs (a day, VALUES rows, another fragment).
SLOT = re.compile(r"\{\{([A-Z_]+)\}\}")


def content_root() -> Traversable:
    return resources.files(CONTENT_PACKAGE)


def content_dir(*parts: str) -> Traversable:
    node = content_root()
    for part in parts:
        node = node.joinpath(part)
    return node


def turtle_files(*parts: str) -> list[Traversable]:
    """The .ttl files of one content folder, sorted by name (empty if the folder is absent)."""
    return files_ending(content_dir(*parts), ".ttl")


def files_ending(folder: Traversable, suffix: str) -> list[Traversable]:
    """The files of a folder (bundled, or of a content root) whose names end with `suffix`, sorted by name."""
    if not folder.is_dir():
        return []
    return sorted((f for f in folder.iterdir() if f.name.endswith(suffix) and f.is_file()), key=lambda f: f.name)


@cache
def query_text(package: str, name: str) -> str:
    """The text of a .rq file that lives next to the module that runs it."""
    try:
        return resources.files(package).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise ContentError(f"bundled query {package}/{name} is missing; the installation is broken") from err


@cache
def sections(package: str, name: str) -> dict[str, str]:
    """The named sections (`#@ name` lines) of a fragment file next to the module that fills them."""
    found = {}
    for section in re.split(r"^#@ ", query_text(package, name), flags=re.MULTILINE)[1:]:
        title, _, body = section.partition("\n")
        found[title.strip()] = body.strip()
    return found


def query_template(package: str, name: str, **slots: str) -> str:
    """A .rq or .ru file next to the module that runs it, with its {{SLOT}}s filled."""
    return fill_slots(query_text(package, name), slots, name=f"{package}/{name}")


def fill_slots(text: str, slots: Mapping[str, str], *, name: str) -> str:
    """A template with its {{SLOT}}s filled; a slot left empty or a value given for no slot is a bug."""
    wanted = set(SLOT.findall(text))
    if wanted != set(slots):
        raise ContentError(f"{name} has slots {sorted(wanted)}, was given {sorted(slots)}")
    return SLOT.sub(lambda m: slots[m.group(1)], text)
