"""Compiled SHACL programs kept on disk between processes: a run reads them instead of parsing and compiling.

Building the shapes graphs of the bundled frameworks and compiling them costs about half a second per
process. A program is stored as JSON (encoding.py: nothing executable, unlike pickle) under a key that
digests everything it is made from: the bytes and names of its shape files, settings the caller applies to
the graph (threshold overrides), the source and .rq fragments of this package, and the package, rdflib and
pyoxigraph versions. A changed input is a new key, so an entry is never stale; old entries stay until
deleted. The folder is $MGRAPH_CACHE_DIR, else $XDG_CACHE_HOME/maturity-graph, else ~/.cache/maturity-graph;
MGRAPH_CACHE_DIR=off turns the cache off. A folder that cannot be made or written, or a file that cannot
be read back, only costs the compile: the cache never fails a command.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import pyoxigraph
import rdflib
from rdflib import BNode, Graph

from .compiler import ShapesProgram, compile_shapes
from .encoding import EncodingError, decode_program, encode_program

log = logging.getLogger(__name__)
FORMAT = "maturity-graph compiled SHACL program 1"
OFF = "off"


def cached_program(sources: Sequence[Traversable], build: Callable[[], Graph], *,
                   settings: Sequence[str] = ()) -> ShapesProgram:
    """The program compiled from `build()`, read from the cache while `sources` (the files `build` parses)
    and `settings` (what else `build` applies) are unchanged; `build` runs again only if pyshacl needs it."""
    folder = cache_dir()
    if folder is None:
        return compile_shapes(build())
    try:
        key = program_key(sources, settings)
    except OSError as err:  # a missing shape file: build() reports it as broken content
        log.debug("SHACL cache not used: %s", err)
        return compile_shapes(build())
    path = folder / "shacl" / f"{key}.json"
    program = read_program(path, key)
    if program is not None:
        log.debug("SHACL cache: compiled program read from %s", path)
        program.build = build
        return program
    program = compile_shapes(build())
    write_program(path, key, program)
    return program


def cache_dir() -> Path | None:
    """$MGRAPH_CACHE_DIR, else $XDG_CACHE_HOME/maturity-graph, else ~/.cache/maturity-graph; None if turned off."""
    setting = os.environ.get("MGRAPH_CACHE_DIR", "")
    if setting == OFF:
        return None
    if setting:
        return Path(setting)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # the XDG base directory spec ignores a relative path
        return Path(xdg) / "maturity-graph"
    try:
        return Path.home() / ".cache" / "maturity-graph"
    except RuntimeError:  # no home directory to be found
        return None


def program_key(sources: Sequence[Traversable], settings: Sequence[str] = ()) -> str:
    """A digest of everything a compiled program depends on (see the module docstring)."""
    from .. import __version__

    digest = hashlib.sha256()
    for part in (FORMAT, __version__, rdflib.__version__, pyoxigraph.__version__, own_code()):
        _add(digest, part.encode())
    _add(digest, f"{len(sources)} sources".encode())
    for source in sources:
        _add(digest, source.name.encode())
        _add(digest, source.read_bytes())
    _add(digest, f"{len(settings)} settings".encode())
    for setting in settings:
        _add(digest, setting.encode())
    return digest.hexdigest()


@cache
def own_code() -> str:
    """The digest of the package's code and queries: a change to the compiler, or to the code that builds
    the shapes graphs it compiles (the catalogue, the threshold overrides), makes every key new."""
    return code_digest(files("maturity_graph"))


def code_digest(folder: Traversable) -> str:
    """A digest of the .py and .rq files under a folder, by path and bytes."""
    digest = hashlib.sha256()
    for path, item in sorted(_code_files(folder, "")):
        _add(digest, path.encode())
        _add(digest, item.read_bytes())
    return digest.hexdigest()


def _code_files(folder: Traversable, prefix: str) -> list[tuple[str, Traversable]]:
    found = []
    for item in folder.iterdir():
        if item.is_dir() and item.name != "__pycache__":
            found += _code_files(item, f"{prefix}{item.name}/")
        elif item.name.endswith((".py", ".rq")):
            found.append((f"{prefix}{item.name}", item))
    return found


def read_program(path: Path, key: str) -> ShapesProgram | None:
    """The program stored at `path` under `key`; None if there is none or the file is not one (it is rewritten)."""
    try:
        data = json.loads(path.read_bytes())
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
            raise EncodingError("not a cached program of this key")
        return decode_program(data.get("program"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError) as err:  # JSON and UTF-8 decoding errors are ValueErrors
        log.debug("SHACL cache: %s ignored: %s", path, err)
        return None


def write_program(path: Path, key: str, program: ShapesProgram) -> None:
    """Store the program atomically (a temporary file renamed over the entry); a failure is only logged."""
    if any(isinstance(shape.node, BNode) for shape in program.fallback):
        # pyshacl would run these shapes on a graph built anew, whose blank nodes have other ids
        log.debug("SHACL cache: a program with blank-node fallback shapes is not stored")
        return
    try:
        text = json.dumps({"format": FORMAT, "key": key, "program": encode_program(program)},
                          separators=(",", ":"))
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, ValueError) as err:
        log.debug("SHACL cache: %s not written: %s", path, err)
        return
    log.debug("SHACL cache: compiled program written to %s", path)


def _add(digest: hashlib._Hash, data: bytes) -> None:
    """Each part with its length first, so no two different sequences of parts digest alike."""
    digest.update(len(data).to_bytes(8, "big"))
    digest.update(data)
