"""`samm` is bundled as the pack built: the committed framework, shapes and crosswalk files are what `mgraph framework
build ontology/packs/samm` writes today, byte for byte, and the bundled catalogue lists SAMM with its counts."""
from __future__ import annotations

from pathlib import Path

from maturity_graph import load_catalogue
from maturity_graph.packs import build_pack
from tests.conftest import REPO

PACK = REPO / "ontology" / "packs" / "samm"
BUNDLED = {Path("ontology/frameworks/samm.ttl"): REPO / "ontology" / "frameworks" / "samm.ttl",
           Path("shapes/samm/samm.ttl"): REPO / "shapes" / "samm" / "samm.ttl",
           Path("crosswalks/samm--sbd.sssom.tsv"): REPO / "crosswalks" / "samm--sbd.sssom.tsv",
           Path("crosswalks/ctemmm--samm.sssom.tsv"): REPO / "crosswalks" / "ctemmm--samm.sssom.tsv"}


def test_bundled_samm_is_the_pack_built(tmp_path: Path) -> None:
    build_pack(PACK, tmp_path / "built")
    for relative, bundled in BUNDLED.items():
        assert bundled.read_bytes() == (tmp_path / "built" / relative).read_bytes(), (
            f"{bundled} is not the pack built; refresh it as ontology/packs/samm/README.md says")


def test_samm_is_listed_with_its_counts() -> None:
    catalogue = load_catalogue()
    samm = catalogue.get("samm")
    counts = catalogue.counts(samm)
    assert (counts.dimensions, counts.capabilities, counts.stages, counts.criteria, counts.requirements) == (
        5, 30, 3, 90, 385)
    rows = catalogue.requirement_rows(samm)
    structure = catalogue.structure(samm)
    assert len(structure) == 30 and len({p.dimension for p in structure}) == 5
    assert len({p.group for p in structure}) == 15 and all(p.group_id == p.capability_id[:-2] for p in structure)
    assert len(rows) == 385 and sum(1 for r in rows if r.threshold_default is not None) == 90
