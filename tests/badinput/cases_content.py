"""Bad content folders given to `mgraph --content` (issue 12, item 3): each is exit 2 with one line naming the
folder, or the file (and line), or both sources of a clashing framework id."""
from __future__ import annotations

from pathlib import Path

from tests.badinput.harness import Case
from tests.engine.test_content_roots import built_pack


def _broken_framework(folder: Path) -> None:
    path = built_pack(folder / "pack") / "ontology" / "frameworks" / "acme.ttl"
    path.write_text(path.read_text(encoding="utf-8").replace(" ;\n", " ;;; <\n", 3), encoding="utf-8")


def _broken_shapes(folder: Path) -> None:
    path = sorted((built_pack(folder / "pack") / "shapes" / "acme").glob("*.ttl"))[0]
    path.write_bytes(path.read_bytes() + b"\n\xff\xfe not utf-8\n")


def _no_shapes(folder: Path) -> None:
    for path in (built_pack(folder / "pack") / "shapes" / "acme").glob("*.ttl"):
        path.unlink()


def _broken_crosswalk(folder: Path) -> None:
    path = built_pack(folder / "pack", crosswalk=True) / "crosswalks" / "acme--ztmm.sssom.tsv"
    path.write_text(path.read_text(encoding="utf-8").replace("\tintersects_with\t", "\toverlaps\t", 1),
                    encoding="utf-8")


def _empty_framework_file(folder: Path) -> None:
    (folder / "pack" / "ontology" / "frameworks").mkdir(parents=True)
    (folder / "pack" / "ontology" / "frameworks" / "x.ttl").write_text("", encoding="utf-8")


def _file(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")


def content(case_id: str, make, message: str, *argv: str) -> Case:
    return Case(id=case_id, argv=["--content", "{dir}/pack", *(argv or ("frameworks",))], make=make, message=message)


CASES = [
    content("content-missing-folder", None, r"pack: no such content folder"),
    content("content-empty-folder", lambda d: (d / "pack").mkdir(), r"pack: is neither a framework pack"),
    content("content-a-file", lambda d: (d / "pack").write_text("x", encoding="utf-8"), r"pack: is a file"),
    content("content-frameworks-folder-empty", lambda d: (d / "pack" / "ontology" / "frameworks").mkdir(parents=True),
            r"pack: is neither"),
    content("content-framework-not-turtle", _broken_framework, r"pack/ontology/frameworks/acme\.ttl:\d+: .*Turtle"),
    content("content-shapes-not-utf8", _broken_shapes, r"pack/shapes/acme/[a-z-]+\.ttl(:\d+)?: "),
    content("content-framework-without-shapes", _no_shapes, r"acme.*no shapes in .*pack/shapes/acme"),
    content("content-file-defines-no-framework", _empty_framework_file, r"x\.ttl: .*defines no framework"),
    content("content-id-clash-with-bundled", lambda d: built_pack(d / "pack", "sbd", "Mine", namespace_id="mine"),
            r"pack/ontology/frameworks/sbd\.ttl: .*'sbd'.*bundled"),
    content("content-bad-pack-crosswalk-export", _broken_crosswalk,
            r"acme--ztmm\.sssom\.tsv:\d+: .*overlaps", "crosswalk", "export", "--from", "acme", "--to", "ztmm"),
    content("content-pack-manifest-not-yaml", lambda d: _file(d / "pack" / "framework.yaml", "id: [\n"),
            r"pack/framework\.yaml:\d+: .*YAML"),
    Case(id="content-after-the-command-name", argv=["assess", "--content", "{dir}/elsewhere", "x.ttl"],
         message=r"elsewhere: no such content folder"),
    content("content-pack-then-unknown-framework", lambda d: built_pack(d / "pack"), r"nosuch",
            "evidence", "template", "--framework", "nosuch"),
]
