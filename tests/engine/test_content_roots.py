"""Content roots (issue 12, item 3): built packs and MGRAPH_CONTENT folders join the bundled content.

The packs here are real frameworks, not fakes: a bundled model's framework and shapes Turtle with its id,
namespace, version, labels and requirement identifiers rewritten (`built_pack`), so they are different
frameworks the engine has never seen, with everything a built pack holds.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from maturity_graph import InputError, load_catalogue
from maturity_graph.catalogue import Catalogue
from maturity_graph.content_folders import BUNDLED, ENV, active_roots, content_roots, forget_content, use_content
from maturity_graph.crosswalk.check import check_crosswalks
from maturity_graph.crosswalk.curated import curated_mappings
from maturity_graph.crosswalk.sssom import bundled_mapping_sets, curated_files
from tests.conftest import REPO

SOURCE_ID, SOURCE_VERSION, SOURCE_LABEL = "sbd", "2025-06-18", "Secure-by-Design Maturity Model"


def _rewrite(text: str, fw_id: str, label: str, namespace_id: str) -> str:
    """The source model's Turtle (or SSSOM) as another framework's: id, IRIs, version, label, identifiers."""
    text = text.replace(f"/framework/{SOURCE_ID}/{SOURCE_VERSION}", f"/framework/{namespace_id}/1.0")
    text = text.replace(f"/shapes/{SOURCE_ID}/{SOURCE_VERSION}", f"/shapes/{namespace_id}/1.0")
    text = text.replace(f'dcterms:identifier "{SOURCE_ID}"', f'dcterms:identifier "{fw_id}"')
    text = text.replace(f'owl:versionInfo "{SOURCE_VERSION}"', 'owl:versionInfo "1.0"')
    text = text.replace(SOURCE_LABEL, label)
    return re.sub(rf"\b{SOURCE_ID.upper()}-", f"{fw_id.upper()}-", text)


def built_pack(folder: Path, fw_id: str = "acme", label: str = "Acme Product Security Model", *,
               namespace_id: str | None = None, crosswalk: bool = False) -> Path:
    """A built pack (the layout `mgraph framework build` writes) of a new framework made from the bundled sbd."""
    ns = namespace_id or fw_id
    (folder / "ontology" / "frameworks").mkdir(parents=True)
    source = (REPO / "ontology" / "frameworks" / f"{SOURCE_ID}.ttl").read_text(encoding="utf-8")
    (folder / "ontology" / "frameworks" / f"{fw_id}.ttl").write_text(_rewrite(source, fw_id, label, ns),
                                                                     encoding="utf-8")
    shapes = folder / "shapes" / fw_id
    shapes.mkdir(parents=True)
    for path in sorted((REPO / "shapes" / SOURCE_ID).glob("*.ttl")):
        (shapes / path.name).write_text(_rewrite(path.read_text(encoding="utf-8"), fw_id, label, ns), encoding="utf-8")
    if crosswalk:
        (folder / "crosswalks").mkdir()
        (folder / "crosswalks" / f"{fw_id}--ztmm.sssom.tsv").write_text(pack_crosswalk(fw_id, ns), encoding="utf-8")
    return folder


def pack_crosswalk(fw_id: str, namespace_id: str | None = None) -> str:
    """The bundled sbd--ztmm crosswalk as the pack's: its sbd side rewritten to the pack's framework."""
    text = (REPO / "crosswalks" / f"{SOURCE_ID}--ztmm.sssom.tsv").read_text(encoding="utf-8")
    text = _rewrite(text, fw_id, "Acme", namespace_id or fw_id)
    text = text.replace(f"crosswalk/{SOURCE_ID}--ztmm", f"crosswalk/{fw_id}--ztmm")
    text = re.sub(rf"(?m)^(#\s+){SOURCE_ID}:", rf"\g<1>{fw_id}:", text)
    return re.sub(rf"(?m)^{SOURCE_ID}:", f"{fw_id}:", text)


@pytest.fixture(autouse=True)
def _no_content_setting(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(ENV, raising=False)
    forget_content()
    yield
    forget_content()


def test_the_default_is_the_bundled_content_alone() -> None:
    assert content_roots() == (BUNDLED,) == active_roots()
    catalogue = load_catalogue()
    assert catalogue is load_catalogue() is load_catalogue(content_roots())
    assert catalogue.roots == (BUNDLED,)
    bundled = sorted(p.stem for p in (REPO / "ontology" / "frameworks").glob("*.ttl"))
    assert catalogue.ids() == bundled
    assert [f.path for f in curated_files()] == [
        f"crosswalks/{p.name}" for p in sorted((REPO / "crosswalks").glob("*.sssom.tsv"))]


def test_a_built_pack_adds_its_framework(tmp_path: Path) -> None:
    pack = built_pack(tmp_path / "acme")
    roots = content_roots([pack])
    assert roots[0] == BUNDLED and len(roots) == 2
    catalogue = load_catalogue(roots)
    assert catalogue is load_catalogue(content_roots([pack]))  # cached per set of roots
    assert catalogue is not load_catalogue()
    acme, sbd = catalogue.get("acme"), catalogue.get("sbd")
    assert (acme.label, acme.version) == ("Acme Product Security Model", "1.0")
    assert acme.iri != sbd.iri and catalogue.origin(acme) == str(pack) and catalogue.origin(sbd) == "bundled"
    assert catalogue.counts(acme) == catalogue.counts(sbd)
    assert set(catalogue.ids()) == {*load_catalogue().ids(), "acme"}
    ids = [row.id for row in catalogue.requirement_rows(acme)]
    assert ids == [i.replace("SBD-", "ACME-") for i in (row.id for row in catalogue.requirement_rows(sbd))]
    shapes = catalogue.shape_files(acme)
    assert [Path(str(f)).parent for f in shapes[1:]] == [pack / "shapes" / "acme"] * (len(shapes) - 1)
    graph = catalogue.shapes_graph(acme)
    assert len(graph) == len(catalogue.shapes_graph(sbd))
    # the content each run's store loads holds the pack's framework file
    assert str(pack / "ontology" / "frameworks" / "acme.ttl") in [name for name, _ in catalogue.content_files()]


def test_mgraph_content_names_several_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one, two = built_pack(tmp_path / "one", "acme"), built_pack(tmp_path / "two", "zenith", "Zenith Model")
    monkeypatch.setenv(ENV, os.pathsep.join([str(one), "", str(two), str(one)]))
    roots = content_roots()
    assert [r.name for r in roots[1:]] == [str(one), str(two)]  # empty entries skipped, a repeat counted once
    catalogue = load_catalogue()
    assert {"acme", "zenith"} <= set(catalogue.ids())
    assert catalogue.get("zenith").label == "Zenith Model"


def test_use_content_is_what_later_calls_see_until_forgotten(tmp_path: Path) -> None:
    pack = built_pack(tmp_path / "acme")
    use_content([pack])
    assert "acme" in load_catalogue().ids()
    forget_content()
    assert "acme" not in load_catalogue().ids()


def test_an_id_of_a_bundled_framework_is_refused_naming_both(tmp_path: Path) -> None:
    pack = built_pack(tmp_path / "mine", "sbd", "My SbD", namespace_id="mine")
    with pytest.raises(InputError) as caught:
        Catalogue(content_roots([pack]))
    text = str(caught.value)
    assert str(pack / "ontology" / "frameworks" / "sbd.ttl") in text and "bundled" in text and "'sbd'" in text


def test_the_same_id_in_two_folders_is_refused_naming_both(tmp_path: Path) -> None:
    one, two = built_pack(tmp_path / "one"), built_pack(tmp_path / "two", namespace_id="acme2")
    with pytest.raises(InputError) as caught:
        Catalogue(content_roots([one, two]))
    text = str(caught.value)
    assert str(two / "ontology" / "frameworks" / "acme.ttl") in text and str(one) in text


def test_a_framework_iri_of_a_bundled_framework_is_refused(tmp_path: Path) -> None:
    pack = built_pack(tmp_path / "copy", "other", namespace_id=SOURCE_ID)
    text = (pack / "ontology" / "frameworks" / "other.ttl").read_text(encoding="utf-8")
    (pack / "ontology" / "frameworks" / "other.ttl").write_text(
        text.replace("/framework/sbd/1.0/", f"/framework/sbd/{SOURCE_VERSION}/"), encoding="utf-8")
    with pytest.raises(InputError, match=r"other\.ttl.*bundled"):
        Catalogue(content_roots([pack]))


@pytest.mark.parametrize("make, message", [
    (lambda d: d.mkdir(), r"neither a framework pack"),
    (lambda d: d.write_text("x", encoding="utf-8"), r"is a file"),
    (lambda d: None, r"no such content folder"),
    (lambda d: (d / "ontology" / "frameworks").mkdir(parents=True), r"neither a framework pack"),
])
def test_a_folder_that_is_no_pack_is_refused(tmp_path: Path, make, message: str) -> None:
    folder = tmp_path / "x"
    make(folder)
    with pytest.raises(InputError, match=message) as caught:
        content_roots([folder])
    assert caught.value.path == str(folder)


def test_a_bad_folder_in_the_variable_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, str(tmp_path / "missing"))
    with pytest.raises(InputError, match=ENV):
        content_roots()


def test_unreadable_turtle_names_the_file_and_line(tmp_path: Path) -> None:
    pack = built_pack(tmp_path / "acme")
    framework = pack / "ontology" / "frameworks" / "acme.ttl"
    lines = framework.read_text(encoding="utf-8").splitlines()
    lines[20] = "this is not turtle"
    framework.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        Catalogue(content_roots([pack]))
    assert caught.value.path == str(framework) and caught.value.line is not None and caught.value.line >= 21


def test_unreadable_shapes_name_the_file_and_line(tmp_path: Path) -> None:
    pack = built_pack(tmp_path / "acme")
    shapes = sorted((pack / "shapes" / "acme").glob("*.ttl"))[-1]
    shapes.write_text(shapes.read_text(encoding="utf-8") + "\nbroken <\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        Catalogue(content_roots([pack]))
    assert caught.value.path == str(shapes) and caught.value.line is not None


def test_a_framework_without_shapes_is_refused(tmp_path: Path) -> None:
    pack = built_pack(tmp_path / "acme")
    for path in (pack / "shapes" / "acme").glob("*.ttl"):
        path.unlink()
    with pytest.raises(InputError, match=r"no shapes") as caught:
        Catalogue(content_roots([pack]))
    assert str(pack / "shapes" / "acme") in str(caught.value)


def test_a_file_that_defines_no_framework_is_refused(tmp_path: Path) -> None:
    pack = built_pack(tmp_path / "acme")
    (pack / "ontology" / "frameworks" / "empty.ttl").write_text("@prefix ex: <https://example.org/> .\n",
                                                                 encoding="utf-8")
    with pytest.raises(InputError, match=r"empty\.ttl.*defines no framework"):
        Catalogue(content_roots([pack]))


def test_pack_crosswalks_join_the_curated_ones(tmp_path: Path) -> None:
    pack = built_pack(tmp_path / "acme", crosswalk=True)
    catalogue = load_catalogue(content_roots([pack]))
    files = curated_files(catalogue.roots)
    assert files[-1].path == str(pack / "crosswalks" / "acme--ztmm.sssom.tsv")
    assert len(bundled_mapping_sets(catalogue.roots)) == len(bundled_mapping_sets()) + 1
    ours, theirs = (curated_mappings(fw, "ztmm", catalogue=catalogue) for fw in ("acme", "sbd"))
    assert len(ours) == len(theirs) > 0
    assert [str(m.object) for m in ours] == [str(m.object) for m in theirs]
    result = check_crosswalks(catalogue=catalogue)
    assert str(pack / "crosswalks" / "acme--ztmm.sssom.tsv") in result.files
    assert result.ok, [f.message for f in result.errors()]


def test_a_bad_pack_crosswalk_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    pack = built_pack(tmp_path / "acme", crosswalk=True)
    path = pack / "crosswalks" / "acme--ztmm.sssom.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("acme:"))
    cells = lines[row].split("\t")
    cells[12] = "overlaps"
    lines[row] = "\t".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    catalogue = load_catalogue(content_roots([pack]))
    result = check_crosswalks(catalogue=catalogue)
    bad = [f for f in result.findings if f.file == str(path)]
    assert bad and bad[0].line == row + 1 and "overlaps" in bad[0].message
    with pytest.raises(InputError) as caught:
        curated_mappings("acme", "ztmm", catalogue=catalogue)
    assert caught.value.path == str(path) and caught.value.line == row + 1
