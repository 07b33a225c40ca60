"""build_pack(): a pack folder turned into a built pack, laid out like the bundled content root.

DIR/ontology/frameworks/<id>.ttl, DIR/shapes/<id>/<id>.ttl, DIR/crosswalks/*.sssom.tsv (copied) and DIR/pack.yaml
(framework.yaml as read). Everything is written into a temporary folder beside DIR and renamed into place, so DIR
is either the old build or the new one, never half of one.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from ..errors import InputError
from ..prefixes import prefix_map
from .framework_graph import to_framework_graph
from .model import Pack
from .reader import is_built, read_pack
from .shapes_graph import to_shapes_graph

BUILT_MANIFEST = "pack.yaml"
PREFIX_LINE = re.compile(r"^@prefix ([\w.-]*): [^\n]*\n", re.MULTILINE)


@dataclass(frozen=True)
class BuiltPack:
    """A pack as built: where its files are, and how much it holds."""

    pack: Pack
    path: Path
    framework_file: Path
    shapes_file: Path
    dimensions: int
    capabilities: int
    stages: int
    criteria: int
    requirements: int
    measured: int

    def as_dict(self) -> dict[str, object]:
        return {"id": self.pack.id, "version": self.pack.version, "path": str(self.path),
                "framework_file": str(self.framework_file), "shapes_file": str(self.shapes_file),
                "dimensions": self.dimensions, "capabilities": self.capabilities, "stages": self.stages,
                "criteria": self.criteria, "requirements": self.requirements, "measured": self.measured}


def build_pack(pack_dir: str | Path, out_dir: str | Path) -> BuiltPack:
    """Read and validate the pack in `pack_dir`, then write the built pack to `out_dir` (replacing an earlier
    build there; any other non-empty folder is refused)."""
    pack = read_pack(pack_dir)
    out = Path(out_dir)
    _refuse_target(pack, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))  # private (0700), beside DIR
    try:
        staging = scratch / "build"
        staging.mkdir()  # the umask's mode, as a folder the user made
        write_built(pack, staging)
        _swap(staging, out, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return _built(pack, out)


def write_built(pack: Pack, folder: Path) -> None:
    """The built pack's files, into an existing empty folder (a temporary one: build_pack renames it)."""
    framework_file, shapes_file = _files(pack, folder)
    framework_file.parent.mkdir(parents=True)
    shapes_file.parent.mkdir(parents=True)
    framework_file.write_bytes(serialise(to_framework_graph(pack), pack))
    shapes_file.write_bytes(serialise(to_shapes_graph(pack), pack))
    if pack.crosswalks:
        (folder / "crosswalks").mkdir()
        for path in pack.crosswalks:
            shutil.copyfile(path, folder / "crosswalks" / path.name)
    (folder / BUILT_MANIFEST).write_bytes(pack.manifest)


def serialise(graph: Graph, pack: Pack) -> bytes:
    """Turtle with the project's prefixes and the pack's own (`<id>:`, `<id>sh:`), declaring only those the text
    uses, as the bundled files do (rdflib also declares some it abbreviates away: xsd for plain numbers, rdf for
    lists); the same graph gives the same bytes (rdflib's Turtle writer sorts subjects and predicates, and writes
    no blank node ids here)."""
    named = Graph(bind_namespaces="none")
    for prefix, namespace in {**prefix_map(), pack.id: pack.namespace, f"{pack.id}sh": pack.shapes_namespace}.items():
        named.bind(prefix, namespace)
    for triple in graph:
        named.add(triple)
    text = named.serialize(format="turtle")
    body = PREFIX_LINE.sub("", text)

    def used(line: re.Match[str]) -> str:
        return line.group(0) if re.search(rf"(?<![\w.:/#-]){re.escape(line.group(1))}:", body) else ""

    return PREFIX_LINE.sub(used, text).encode("utf-8")


def _files(pack: Pack, folder: Path) -> tuple[Path, Path]:
    return (folder / "ontology" / "frameworks" / f"{pack.id}.ttl", folder / "shapes" / pack.id / f"{pack.id}.ttl")


def _refuse_target(pack: Pack, out: Path) -> None:
    resolved = out.resolve()
    if resolved == pack.path.resolve():
        raise InputError("the output folder is the pack itself; build into another folder (-o DIR)", path=out)
    if out.exists() and not out.is_dir():
        raise InputError("the output exists and is not a folder", path=out)
    if out.is_dir() and any(out.iterdir()) and not is_built(out):
        raise InputError("the output folder is not empty and holds no built pack; give a new or empty folder",
                         path=out)


def _swap(staging: Path, out: Path, scratch: Path) -> None:
    """Put the new build where `out` is: a rename, with an earlier build moved into `scratch` first (and removed
    with it), or moved back if the rename fails."""
    old = scratch / "old"
    if out.exists():
        os.replace(out, old)
    try:
        os.replace(staging, out)
    except OSError:
        if old.exists():
            os.replace(old, out)
        raise


def _built(pack: Pack, out: Path) -> BuiltPack:
    framework_file, shapes_file = _files(pack, out)
    held = {(r.capability, r.stage) for r in pack.requirements}
    baselines = sum(1 for s in pack.stages if s.baseline)
    return BuiltPack(pack=pack, path=out, framework_file=framework_file, shapes_file=shapes_file,
                     dimensions=len(pack.dimensions), capabilities=len(pack.capabilities), stages=len(pack.stages),
                     criteria=len(held) + baselines * len(pack.capabilities), requirements=len(pack.requirements),
                     measured=sum(1 for r in pack.requirements if r.threshold is not None))
