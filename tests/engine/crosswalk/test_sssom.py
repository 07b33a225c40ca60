"""crosswalk/sssom.py: the SSSOM mapping-set format, read strictly and written deterministically."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from maturity_graph.crosswalk.model import Mapping, Relation
from maturity_graph.crosswalk.sssom import (
    COLUMNS,
    bundled_mapping_sets,
    mapping_iris,
    mappings_graph,
    parse_sssom,
    parse_sssom_text,
    sssom_text,
    to_mapping_set,
    to_sssom_rows,
    write_sssom,
)
from maturity_graph.errors import InputError
from maturity_graph.namespaces import MM

DATA = Path(__file__).parents[2] / "data" / "crosswalk"
GOOD = DATA / "good.sssom.tsv"
ZTMM = "https://w3id.org/maturity-graph/framework/ztmm/2.0/"
CSMM = "https://w3id.org/maturity-graph/framework/csmm/unversioned/"


def _lines(text: str) -> list[str]:
    return text.splitlines()


def test_parse_good_file():
    parsed = parse_sssom(GOOD)
    assert parsed.name == "ztmm--csmm"
    assert len(parsed.mappings) == 6
    first = next(m for m in parsed.mappings if m.object == URIRef(CSMM + "iam-l1") and m.relation is Relation.SUBSET_OF)
    assert first.subject == URIRef(ZTMM + "identity-authentication-advanced")
    assert (first.strength, first.confidence, first.rationale, first.review_status) == (6, 0.8, "semantic", "reviewed")
    assert first.reviewer == ("mgraph:maintainers",)
    assert first.date == dt.date(2026, 11, 24)
    assert parsed.labels[URIRef(CSMM + "iam-l1")].startswith("Identity & Access Management")
    assert all(line > 20 for line in parsed.lines)


def test_round_trip_parse_write_parse(tmp_path):
    first = parse_sssom(GOOD)
    out = tmp_path / "again.sssom.tsv"
    with out.open("w", encoding="utf-8") as stream:
        write_sssom(first, stream)
    second = parse_sssom(out)
    assert second.mappings == first.mappings
    assert second.metadata == first.metadata
    assert second.labels == first.labels
    assert out.read_text(encoding="utf-8") == GOOD.read_text(encoding="utf-8"), "the fixture is in canonical form"


def test_writer_is_deterministic_and_sorted():
    parsed = parse_sssom(GOOD)
    shuffled = to_mapping_set(list(reversed(parsed.mappings)), name="ztmm--csmm", labels=parsed.labels)
    text = sssom_text(shuffled)
    assert text == sssom_text(to_mapping_set(parsed.mappings, name="ztmm--csmm", labels=parsed.labels))
    lines = _lines(text)
    header = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    assert lines[header].split("\t") == list(COLUMNS)
    rows = lines[header + 1:]
    assert rows == sorted(rows)
    for key in ("mapping_set_id", "license", "creator_id", "mapping_date", "curie_map", "extension_definitions"):
        assert any(line.startswith(f"# {key}:") for line in lines[:header]), key


def test_not_related_is_related_match_with_not_modifier():
    m = Mapping(URIRef(ZTMM + "identity-authentication"), URIRef(CSMM + "storage-pillar"),
                frozenset({Relation.NOT_RELATED}))
    (row,) = to_sssom_rows([m])
    assert (row["predicate_id"], row["predicate_modifier"], row["strm_relation"]) == (
        "skos:relatedMatch", "Not", "not_related")


def test_composed_mapping_with_several_relations_cannot_be_written():
    m = Mapping(URIRef(ZTMM + "a"), URIRef(CSMM + "b"), frozenset({Relation.EQUAL, Relation.SUBSET_OF}))
    with pytest.raises(InputError, match="several relations"):
        to_sssom_rows([m])


def _row_line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def _mutate(column: str, value: str, row_needle: str = (
        "csmm:iam-l1\tIdentity & Access Management at L1 Exposed\tsemapv:ManualMappingCuration"
        "\torcid:0000-0002-1825-0097\tmgraph:maintainers\t0.8")):
    text = GOOD.read_text(encoding="utf-8")
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    columns = lines[header].split("\t")
    number = _row_line(text, row_needle)
    cells = lines[number - 1].split("\t")
    cells[columns.index(column)] = value
    lines[number - 1] = "\t".join(cells)
    return "\n".join(lines) + "\n", number


MALFORMED_CELLS = [
    ("strm_relation", "overlaps", "strm_relation 'overlaps'"),
    ("strm_rationale", "gut-feeling", "strm_rationale"),
    ("review_status", "approved", "review_status"),
    ("strm_strength", "11", "strm_strength '11'"),
    ("strm_strength", "0", "strm_strength '0'"),
    ("strm_strength", "5.5", "strm_strength"),
    ("confidence", "1.2", "confidence 1.2"),
    ("confidence", "high", "not a number"),
    ("predicate_id", "skos:exactMatch", "disagrees with strm_relation"),
    ("predicate_modifier", "Not", "must not have predicate_modifier"),
    ("object_id", "nist:ac-2", "prefix 'nist'"),
    ("object_id", "https://example.org/x", "not a CURIE"),
    ("author_id", "orcid:1|nobody", "not a CURIE"),
    ("mapping_date", "24/11/2026", "not an ISO date"),
    ("mapping_date", "2025-02-30", "not an ISO date"),
    ("subject_id", "", "subject_id is empty"),
]


@pytest.mark.parametrize("column, value, message", MALFORMED_CELLS, ids=[f"{c}={v}" for c, v, _ in MALFORMED_CELLS])
def test_malformed_cell_is_one_input_error_with_line(column, value, message):
    text, line = _mutate(column, value)
    with pytest.raises(InputError, match=message) as info:
        parse_sssom_text(text, source="bad.sssom.tsv")
    assert (info.value.path, info.value.line) == ("bad.sssom.tsv", line)
    assert str(info.value).startswith(f"bad.sssom.tsv:{line}: ")


def test_missing_required_column():
    text = GOOD.read_text(encoding="utf-8").replace("\tstrm_relation\t", "\tstrm_relation_x\t")
    with pytest.raises(InputError, match="unknown column 'strm_relation_x'") as info:
        parse_sssom_text(text, source="bad.sssom.tsv")
    assert info.value.line == _row_line(text, "subject_id\t")
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    cols = lines[header].split("\t")
    keep = [i for i, c in enumerate(cols) if c != "strm_relation_x"]
    dropped = "\n".join(lines[:header] + ["\t".join(line.split("\t")[i] for i in keep) for line in lines[header:]])
    with pytest.raises(InputError, match="missing required column"):
        parse_sssom_text(dropped, source="bad.sssom.tsv")


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("# license: https://www.apache.org/licenses/LICENSE-2.0\n", "", "lacks license"),
        ("# mapping_date: '2026-11-24'", "# mapping_date: 'soon'", "not an ISO date"),
        ("#   ztmm: https://w3id.org/maturity-graph/framework/ztmm/2.0/", "#   ztmm: https://example.org/ztmm/",
         "ontology/prefixes.ttl binds"),
        ("# curie_map:", "# curie_map: [", "not valid YAML"),
        # an impossible date, quoted or not, is reported with its line (it used to escape as a ValueError)
        ("# mapping_date: '2026-11-24'", "# mapping_date: 2025-02-30", "'2025-02-30' is not an ISO date"),
        ("# mapping_date: '2026-11-24'", "# mapping_date: '2025-02-30'", "'2025-02-30' is not an ISO date"),
        ("# mapping_date: '2026-11-24'", "# mapping_date: 2025-13-01T10:00:00", "not an ISO date"),
    ],
)
def test_malformed_header(old, new, message):
    text = GOOD.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(InputError, match=message) as info:
        parse_sssom_text(text.replace(old, new), source="bad.sssom.tsv")
    assert info.value.line is not None


def test_missing_file_is_input_error(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        parse_sssom(tmp_path / "nope.sssom.tsv")


def test_mappings_graph_has_every_property():
    parsed = parse_sssom(GOOD)
    graph = mappings_graph(parsed)
    nodes = mapping_iris(parsed)
    assert len(set(graph.subjects(RDF.type, MM.Mapping))) == 6 == len(set(nodes))
    node = URIRef("https://w3id.org/maturity-graph/mapping/ztmm--csmm/ztmm-identity-authentication-advanced--csmm-iam-l1")
    assert node in nodes
    assert graph.value(node, MM.inMappingSet) == URIRef("https://w3id.org/maturity-graph/crosswalk/ztmm--csmm")
    assert graph.value(node, MM.mapsFrom) == URIRef(ZTMM + "identity-authentication-advanced")
    assert graph.value(node, MM.relation) == MM.SubsetOf
    assert graph.value(node, MM.rationale) == MM.Semantic
    assert graph.value(node, MM.reviewStatus) == MM.Reviewed
    assert graph.value(node, MM.strength).toPython() == 6
    assert str(graph.value(node, MM.mappingDate).datatype) == "http://www.w3.org/2001/XMLSchema#date"
    assert graph.value(node, MM.reviewer) == URIRef("https://w3id.org/maturity-graph/maintainers")
    assert graph.value(node, MM.justification) == URIRef("https://w3id.org/semapv/vocab/ManualMappingCuration")


def test_duplicate_pairs_get_distinct_iris():
    parsed = parse_sssom(DATA / "conflicting-relations.sssom.tsv")
    nodes = mapping_iris(parsed)
    assert len(nodes) == 2 and len(set(nodes)) == 2 and str(nodes[1]).endswith("-2")


def test_bundled_mapping_sets_parse():
    for mapping_set in bundled_mapping_sets():
        assert mapping_set.mappings, mapping_set.path


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("# mapping_date: '2026-11-24'", "# mapping_date: !!timestamp 2025-02-30", "cannot be read"),
        ("# mapping_date: '2026-11-24'", "# mapping_date: " + "[" * 5000 + "]" * 5000, "nested too deeply"),
    ],
    ids=["explicit-timestamp-tag", "deeply-nested"],
)
def test_header_values_the_yaml_library_cannot_build_are_input_errors(old, new, message):
    text = GOOD.read_text(encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        parse_sssom_text(text.replace(old, new), source="bad.sssom.tsv")
    assert str(info.value).startswith("bad.sssom.tsv:")
