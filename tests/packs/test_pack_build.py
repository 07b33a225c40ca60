"""engine/packs/build.py: a pack becomes the Turtle the bundled models are, deterministically, written whole."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SH

from maturity_graph import InputError, RowErrors, build_pack, is_built
from maturity_graph.namespaces import MM
from tests.packs.conftest import MANIFEST, write_pack

NS = "https://w3id.org/maturity-graph/framework/acme-psm/1.0/"
SHAPES_NS = "https://w3id.org/maturity-graph/shapes/acme-psm/1.0/"


def _graph(path: Path) -> Graph:
    graph = Graph()
    graph.parse(path, format="turtle")
    return graph


def _count(graph: Graph, cls: URIRef) -> int:
    return len(set(graph.subjects(RDF.type, cls)))


def test_built_layout_and_counts(pack_dir: Path, tmp_path: Path) -> None:
    built = build_pack(pack_dir, tmp_path / "out")
    out = tmp_path / "out"
    assert is_built(out)
    assert built.framework_file == out / "ontology" / "frameworks" / "acme-psm.ttl"
    assert built.shapes_file == out / "shapes" / "acme-psm" / "acme-psm.ttl"
    assert (out / "pack.yaml").read_bytes() == (pack_dir / "framework.yaml").read_bytes()
    fw = _graph(built.framework_file)
    counts = {cls: _count(fw, cls) for cls in (MM.Framework, MM.Dimension, MM.Capability, MM.Stage, MM.Criterion,
                                                MM.Requirement, MM.Threshold, MM.RollUp, MM.Weighting)}
    assert counts == {MM.Framework: 1, MM.Dimension: 2, MM.Capability: 3, MM.Stage: 3, MM.Criterion: 9,
                      MM.Requirement: 6, MM.Threshold: 1, MM.RollUp: 3, MM.Weighting: 2}
    assert (built.dimensions, built.capabilities, built.stages, built.criteria, built.requirements,
            built.measured) == (2, 3, 3, 9, 6, 1)
    shapes = _graph(built.shapes_file)
    node_shapes = {s for s in shapes.subjects(SH.targetNode, None)}
    assert node_shapes == {URIRef(SHAPES_NS + r) for r in ("pol-1", "pol-2", "trn-1", "trn-2", "cr-1", "cr-2")}


def test_framework_content(pack_dir: Path, tmp_path: Path) -> None:
    fw = _graph(build_pack(pack_dir, tmp_path / "out").framework_file)
    ns = lambda local: URIRef(NS + local)  # noqa: E731
    model = ns("model")
    assert fw.value(model, MM.targetStage) == ns("stage-2")
    baselines = set(fw.subjects(MM.isBaseline, Literal(True)))
    assert baselines == {ns("pol-stage-1"), ns("trn-stage-1"), ns("cr-stage-1")}
    assert not any(list(fw.objects(b, MM.requires)) for b in baselines)
    # the measured requirement: threshold in the graph, the same number on the shape it constrains
    threshold = fw.value(ns("trn-2"), MM.threshold)
    assert fw.value(threshold, MM.defaultValue).toPython() == Decimal("0.9")
    assert fw.value(threshold, MM.constrains) == URIRef(SHAPES_NS + "trn-2-value")
    assert fw.value(threshold, MM.authority) == ns("chosen-by-pack-author")
    # the weighted overall roll-up, the pack author's rule
    overall = ns("overall-rollup")
    assert fw.value(overall, MM.method) == MM.WeightedAverage
    assert fw.value(overall, MM.authority) == ns("chosen-by-pack-author")
    weights = {fw.value(w, MM.weightOf): fw.value(w, MM.weight).toPython() for w in fw.objects(overall, MM.weighting)}
    assert weights == {ns("gov"): 1, ns("eng"): 2}  # IRIs from the sheet's ids
    assert fw.value(ns("dimension-rollup"), MM.method) == MM.MinimumStage
    assert fw.value(ns("stage-3"), MM.stageValue).toPython() == Decimal(3)
    # provenance: requirement and criterion back to the sheet row, and the source_ref kept
    row = fw.value(ns("trn-2"), PROV.wasDerivedFrom)
    assert (str(fw.value(row, MM.sourceDocument)), str(fw.value(row, MM.sourceRow))) == ("requirements.csv", "5")
    assert row in set(fw.objects(ns("trn-stage-3"), PROV.wasDerivedFrom))
    sources = {str(fw.value(s, MM.sourceRow)) for s in fw.objects(ns("trn-stage-3"), MM.source)}
    assert sources == {"PSS 3.2"}


def test_shapes_content(pack_dir: Path, tmp_path: Path) -> None:
    shapes = _graph(build_pack(pack_dir, tmp_path / "out").shapes_file)
    value = URIRef(SHAPES_NS + "trn-2-value")
    assert shapes.value(value, SH.minInclusive).toPython() == Decimal("0.9")
    assert shapes.value(URIRef(SHAPES_NS + "trn-2-measure"), SH.hasValue) == URIRef(NS + "measure-training-completion")
    evidence = URIRef(SHAPES_NS + "pol-1-evidence")
    assert shapes.value(evidence, SH.qualifiedValueShape) == URIRef(
        "https://w3id.org/maturity-graph/shapes/core/SupportingEvidence")


def test_same_pack_same_bytes(pack_dir: Path, tmp_path: Path) -> None:
    first = build_pack(pack_dir, tmp_path / "a")
    second = build_pack(pack_dir, tmp_path / "b")
    for a, b in ((first.framework_file, second.framework_file), (first.shapes_file, second.shapes_file)):
        assert a.read_bytes() == b.read_bytes()


def test_rebuild_replaces_an_earlier_build(pack_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_pack(pack_dir, out)
    (out / "shapes" / "acme-psm" / "stale.ttl").write_text("# left from before\n", encoding="utf-8")
    build_pack(pack_dir, out)
    assert not (out / "shapes" / "acme-psm" / "stale.ttl").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acme-pack", "out"]  # no temporary folder left


def test_refuses_a_folder_that_is_not_a_build(pack_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "notes"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="not empty and holds no built pack"):
        build_pack(pack_dir, out)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    with pytest.raises(InputError, match="the pack itself"):
        build_pack(pack_dir, pack_dir)


def test_bad_pack_leaves_no_output(pack_dir: Path, tmp_path: Path) -> None:
    write_pack(pack_dir, manifest=MANIFEST.replace("target: 2", "target: 9"))
    with pytest.raises(RowErrors):
        build_pack(pack_dir, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_crosswalks_are_copied(pack_dir: Path, tmp_path: Path) -> None:
    (pack_dir / "crosswalks").mkdir()
    (pack_dir / "crosswalks" / "acme-psm--sbd.sssom.tsv").write_text("# mapping_set_id: x\n", encoding="utf-8")
    build_pack(pack_dir, tmp_path / "out")
    copied = tmp_path / "out" / "crosswalks" / "acme-psm--sbd.sssom.tsv"
    assert copied.read_text(encoding="utf-8") == "# mapping_set_id: x\n"
