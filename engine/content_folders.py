"""Where the content comes from: the bundled content root, plus the folders MGRAPH_CONTENT and --content add.

A content root is a folder laid out as the bundled content is (ontology/frameworks/<id>.ttl,
shapes/<id>/*.ttl, crosswalks/*.sssom.tsv), so a built framework pack is just one more root. A pack
folder (framework.yaml) is built first, into a temporary folder, by the builder `mgraph framework
build` uses. This is the one place that reads MGRAPH_CONTENT; the catalogue is built (and cached)
per tuple of roots, so the bundled-only default costs what it always did.
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path

from . import bundled
from .errors import InputError

ENV = "MGRAPH_CONTENT"
PACK_FILE = "framework.yaml"
FRAMEWORKS = ("ontology", "frameworks")
LAYOUT = ("a framework pack (with framework.yaml) or a built pack (with ontology/frameworks/<id>.ttl, "
          "as mgraph framework build writes)")


@dataclass(frozen=True)
class ContentRoot:
    """One folder of content. Roots compare by `key` (the folder's resolved path), so catalogues cache per set."""

    key: str
    folder: Traversable = field(compare=False)
    name: str = field(compare=False)  # how messages name it: the folder (or pack) as the user gave it
    bundled: bool = field(default=False, compare=False)
    pack: Path | None = field(default=None, compare=False)  # the pack folder it was built from, on the fly

    def joinpath(self, *parts: str) -> Traversable:
        node = self.folder
        for part in parts:
            node = node.joinpath(part)
        return node

    def files(self, *parts: str, suffix: str) -> list[Traversable]:
        """The files of one folder of this root whose names end with `suffix`, sorted (none if it is absent)."""
        return bundled.files_ending(self.joinpath(*parts), suffix)

    def source(self, *parts: str) -> str:
        """How a file of this root is named in messages: relative for the bundled content, else its path. A pack's
        crosswalk files are copied into its build as they are, so they are named by the pack's own file (the one to
        fix), not by the temporary copy."""
        if self.bundled:
            return "/".join(parts)
        if self.pack is not None and parts[:1] == ("crosswalks",):
            return str(self.pack.joinpath(*parts))
        return str(self.joinpath(*parts))

    def describe(self) -> str:
        """The root in a sentence: 'the bundled content', 'pack DIR' or 'DIR'."""
        if self.bundled:
            return "the bundled content"
        return f"pack {self.pack}" if self.pack is not None else self.name


BUNDLED = ContentRoot(key="bundled:", folder=bundled.content_root(), name="bundled content", bundled=True)


def content_roots(extra: Sequence[str | os.PathLike[str]] = ()) -> tuple[ContentRoot, ...]:
    """The bundled root, then each folder MGRAPH_CONTENT names (separated as PATH is), then `extra`.

    A folder named twice counts once. A pack folder is built here; a folder that is neither a pack nor a
    built pack is an InputError naming it.
    """
    return _resolve(os.environ.get(ENV, ""), tuple(os.fspath(p) for p in extra))


def use_content(extra: Sequence[str | os.PathLike[str]] = ()) -> tuple[ContentRoot, ...]:
    """Make MGRAPH_CONTENT and `extra` the content every later load_catalogue() call sees (the CLI's --content).

    The folders are checked (and packs built) now, so a bad one fails before any work is done.
    """
    global _USED
    _USED = content_roots(extra)
    return _USED


def forget_content() -> None:
    """Back to reading MGRAPH_CONTENT alone, and the packs built on the fly removed (the end of a CLI command)."""
    global _USED
    _USED = None
    _resolve.cache_clear()
    for folder in list(_BUILT.values()):
        shutil.rmtree(folder.parent, ignore_errors=True)
    _BUILT.clear()


def active_roots() -> tuple[ContentRoot, ...]:
    """The roots load_catalogue() uses when given none: what use_content() chose, else MGRAPH_CONTENT's."""
    return _USED if _USED is not None else content_roots()


_USED: tuple[ContentRoot, ...] | None = None
_BUILT: dict[tuple[str, tuple[tuple[str, int, int], ...]], Path] = {}  # (pack, fingerprint) -> built folder
atexit.register(forget_content)


@lru_cache(maxsize=16)
def _resolve(env: str, extra: tuple[str, ...]) -> tuple[ContentRoot, ...]:
    given = [p for p in env.split(os.pathsep) if p] + list(extra)
    roots: dict[str, ContentRoot] = {}
    for raw in given:
        root = _root(raw, from_env=raw not in extra)
        roots.setdefault(root.key, root)
    return (BUNDLED, *roots.values())


def _root(raw: str, *, from_env: bool) -> ContentRoot:
    where = f"{raw} (in {ENV})" if from_env else raw
    path = Path(raw).expanduser()
    try:
        if not path.exists():
            raise InputError("no such content folder", path=where)
        if not path.is_dir():
            raise InputError(f"is a file, not a content folder: give {LAYOUT}", path=where)
        if (path / PACK_FILE).is_file():
            built = _build(path.resolve())
            return ContentRoot(key=str(built), folder=built, name=raw, pack=path)
        frameworks = path.joinpath(*FRAMEWORKS)
        if frameworks.is_dir() and any(f.name.endswith(".ttl") for f in frameworks.iterdir()):
            return ContentRoot(key=str(path.resolve()), folder=path, name=raw)
    except OSError as err:
        raise InputError(f"cannot read the content folder: {err.strerror or err}", path=where) from None
    raise InputError(f"is neither {LAYOUT}", path=where)


def _build(pack: Path) -> Path:
    """The pack built into a temporary folder, once per process while its files are unchanged."""
    key = (str(pack), _fingerprint(pack))
    if key in _BUILT:
        return _BUILT[key]
    try:
        from .packs import build_pack  # imported only when a pack is given: it reads YAML and spreadsheets
    except ImportError:
        raise InputError("is a framework pack, but this installation cannot build packs; "
                         "build it with mgraph framework build and give the built folder", path=pack) from None
    scratch = Path(tempfile.mkdtemp(prefix="mgraph-pack-"))
    out = scratch / "built"
    try:
        build_pack(pack, out)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    _BUILT[key] = out
    return out


def _fingerprint(pack: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every file of the pack: a changed pack is built again."""
    found = []
    for path in sorted(pack.rglob("*")):
        if path.is_file():
            info = path.stat()
            found.append((str(path.relative_to(pack)), info.st_size, info.st_mtime_ns))
    return tuple(found)
