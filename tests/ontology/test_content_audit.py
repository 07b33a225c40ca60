"""Issue 8, content audit: licences and quotations, whose rules are whose, and one table of readings.

- A framework whose licence maturity-graph has not verified (mm:licenceStatus) quotes nothing of
  its source: no mm:sourceText, and no quoted phrase of the source in its graph, its shapes or its
  docs page. The seeds in ../shared/seeds (beside the repository) are the source texts; without them
  those checks skip.
- Every rule and parameter says whose it is (mm:authority), and what is marked as the source's is
  found in the source.
- Every threshold takes its default from one quantifier reading, the same value everywhere, and
  docs/readings.md shows the table the graph holds.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import DCTERMS, RDF, RDFS, SH

from tests.conftest import SHARED

ROOT = Path(__file__).parents[2]
SEEDS = SHARED / "seeds"
MM = Namespace("https://w3id.org/maturity-graph/mm#")
FRAMEWORK_IDS = ("sbd", "ztmm", "ctemmm", "csmm", "cnamm", "samm")
SEED_OF = {"csmm": "csmm.txt", "cnamm": "cnamm.txt", "ctemmm": "ctemmm-v1.0.0.txt",
           "sbd": "sbd-maturity-model.txt", "ztmm": "ztmm-v2.0.txt"}
QUOTED = re.compile(r"\"([^\"]+)\"|\u201c([^\u201d]+)\u201d|(?<!\w)'(.+?)'(?!\w)")


@cache
def graph(*paths: Path) -> Graph:
    g = Graph()
    for path in paths:
        g.parse(path, format="turtle")
    return g


def framework_file(fw_id: str) -> Path:
    return ROOT / "ontology" / "frameworks" / f"{fw_id}.ttl"


def content() -> Graph:
    return graph(ROOT / "ontology" / "mm.ttl", *(framework_file(f) for f in FRAMEWORK_IDS))


def framework_node(g: Graph, fw_id: str):
    return next(s for s in g.subjects(DCTERMS.identifier, Literal(fw_id)) if (s, RDF.type, MM.Framework) in g)


def unquotable() -> list[str]:
    """Frameworks whose source may not be quoted (licence unverified or not stated)."""
    g = content()
    return [f for f in FRAMEWORK_IDS if g.value(framework_node(g, f), MM.licenceStatus) != MM.LicenceVerified]


def _normal(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9%]+", text.lower()))


def _names(g: Graph) -> set[str]:
    """Names the encoding carries on purpose (labels, identifiers, headings it cites): structure, not quotation."""
    found = set()
    for p in (RDFS.label, DCTERMS.identifier, DCTERMS.title, MM.sourceTable, MM.sourceRow, MM.sourceColumn):
        found |= {_normal(str(o)) for o in g.objects(None, p)}
    return found


def quoted_phrases_of_the_source(text: str, seed: str, names: set[str]) -> list[str]:
    """Quoted spans of three words or more that the source contains and that are not names."""
    seed = _normal(seed)
    found = []
    for match in QUOTED.finditer(text):
        span = _normal(next(g for g in match.groups() if g))
        if len(span.split()) >= 3 and span in seed and span not in names:
            found.append(span)
    return found


def copied_runs(text: str, seed: str, names: set[str], n: int = 6) -> list[str]:
    """Runs of n words the text shares with the source, other than names and numbers: a quotation
    whose quote marks are missing or unbalanced still shows up here."""
    def runs(words: list[str]) -> set[str]:
        return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}
    shared = runs(_normal(text).split()) & runs(_normal(seed).split())
    return sorted(r for r in shared if not re.search(r"\d", r) and not any(r in name for name in names))


def quoted_phrases_in(path: Path, seed: str, names: set[str]) -> list[str]:
    """In Turtle, the quotations inside literals (the literals themselves are quoted by the syntax)."""
    if path.suffix != ".ttl":
        text = path.read_text(encoding="utf-8")
        return quoted_phrases_of_the_source(text, seed, names) + copied_runs(text, seed, names)
    return [hit for o in sorted(set(graph(path).objects())) if isinstance(o, Literal)
            for hit in quoted_phrases_of_the_source(str(o), seed, names)]


# --------------------------------------------------------------------------- licences and quotations


def test_every_framework_states_its_licence_status():
    g = content()
    statuses = {f: g.value(framework_node(g, f), MM.licenceStatus) for f in FRAMEWORK_IDS}
    assert statuses == {"sbd": MM.LicenceVerified, "ztmm": MM.LicenceVerified, "ctemmm": MM.LicenceUnverified,
                        "csmm": MM.LicenceUnverified, "cnamm": MM.LicenceNotStated, "samm": MM.LicenceVerified}


@pytest.mark.parametrize("fw_id", ["ctemmm", "csmm", "cnamm"])
def test_no_cell_text_without_a_verified_licence(fw_id):
    assert fw_id in unquotable()
    g = graph(framework_file(fw_id))
    assert not list(g.subject_objects(MM.sourceText)), fw_id
    # and every criterion still says where it comes from
    for crit in g.subjects(RDF.type, MM.Criterion):
        assert list(g.objects(crit, MM.source)), crit


@pytest.mark.parametrize("fw_id", ["ctemmm", "csmm", "cnamm"])
def test_no_quoted_phrase_of_an_unquotable_source(fw_id):
    """CNAMM's comments quoted two phrases of the CSNP page, CSMM's its gate sentence and its
    "weighted by severity" (issue 8); a quoted name or cited heading is structure and allowed."""
    seed_path = SEEDS / SEED_OF[fw_id]
    if not seed_path.exists():
        pytest.skip("seed text not available")
    seed = seed_path.read_text(encoding="utf-8")
    names = _names(graph(framework_file(fw_id)))
    files = [framework_file(fw_id), *sorted((ROOT / "shapes" / fw_id).glob("*.ttl")), ROOT / "docs" / f"{fw_id}.md"]
    found = {f.name: hits for f in files if (hits := quoted_phrases_in(f, seed, names))}
    assert not found


def test_the_quotation_check_can_fail():
    seed = (SEEDS / "cnamm.txt")
    if not seed.exists():
        pytest.skip("seed text not available")
    text = "The source says scores are weighted 'based on your organization's context' and that is all."
    assert quoted_phrases_of_the_source(text, seed.read_text(encoding="utf-8"), set()) == [
        "based on your organization s context"]
    assert quoted_phrases_of_the_source('It names "Strategy and Risk Governance".', seed.read_text(encoding="utf-8"),
                                        {"strategy and risk governance"}) == []
    unbalanced = 'A "quote mark earlier. CNAMM provides weighted scores based on your organization\'s context.'
    assert "weighted scores based on your organization" in copied_runs(unbalanced, seed.read_text(encoding="utf-8"),
                                                                        set())


def test_scoring_page_quotes_no_unquotable_source():
    """docs/scoring.md covers CSMM and CNAMM, whose licences are not verified."""
    for fw_id in ("csmm", "cnamm"):
        seed = SEEDS / SEED_OF[fw_id]
        if seed.exists():
            names = _names(graph(framework_file(fw_id)))
            assert not quoted_phrases_in(ROOT / "docs" / "scoring.md", seed.read_text(encoding="utf-8"), names), fw_id


def test_ztmm_docs_attribute_no_vendor_line_to_cisa():
    """docs/ztmm.md presented a line of a vendor's ZTMM explainer (seeds/ztmm-v2.0.txt is that page,
    not CISA's text) as if it were the model's; CISA's own words are in frameworks-src/ztmm."""
    text = _normal((ROOT / "docs" / "ztmm.md").read_text(encoding="utf-8"))
    assert "evidence pack is the maturity" not in text
    seed = SEEDS / "ztmm-v2.0.txt"
    if seed.exists():
        assert "the evidence pack is the maturity, not the assertion" in seed.read_text(encoding="utf-8").lower()


# --------------------------------------------------------------------------- whose rule is it


RULE_CLASSES = (MM.RollUp, MM.Threshold, MM.Weighting, MM.EvidencePolicy, MM.QuantifierReading, MM.UnpublishedStageRule)


def test_every_rule_and_parameter_says_whose_it_is():
    g = content()
    missing = [s for cls in RULE_CLASSES for s in g.subjects(RDF.type, cls) if g.value(s, MM.authority) is None]
    assert not missing


def test_rules_marked_as_the_sources_are_in_the_source():
    """Roll-ups marked mm:PublishedBySource: SbD's domain roll-up, which its source states, and OWASP SAMM's
    published scoring (docs/samm.md cites where SAMM states each rule: its blog and toolbox).
    CSMM's overall score was marked so although its formula and lowest-pillar level are ours."""
    g = content()
    published = {str(r) for r in g.subjects(MM.authority, MM.PublishedBySource) if (r, RDF.type, MM.RollUp) in g}
    samm = "https://w3id.org/maturity-graph/framework/samm/2.0/"
    assert published == {"https://w3id.org/maturity-graph/framework/sbd/2025-06-18/dimension-rollup",
                         *(f"{samm}{level}-rollup" for level in ("capability", "group", "dimension", "overall"))}
    scoring = (ROOT / "docs" / "samm.md").read_text(encoding="utf-8").split("## SAMM's scoring, as published", 1)[1]
    for rule in ("**sum** of its three activities' answers", "**average** of its two streams",
                 "**average** of its three practices", "**average** of the five business functions"):
        assert rule in scoring.split("\n## ", 1)[0], rule
    seed = SEEDS / SEED_OF["sbd"]
    if seed.exists():
        assert "lowest level you consistently achieve" in seed.read_text(encoding="utf-8")
    csmm = graph(framework_file("csmm"))
    overall = Namespace("https://w3id.org/maturity-graph/framework/csmm/unversioned/")["overall-score"]
    assert csmm.value(overall, MM.authority) == MM.ChosenByMaturityGraph
    # the pillar weights it uses are the source's, and the source shows them
    seed = SEEDS / SEED_OF["csmm"]
    for weighting in csmm.objects(overall, MM.weighting):
        assert csmm.value(weighting, MM.authority) == MM.PublishedBySource
        if seed.exists():
            percent = int(Decimal(str(csmm.value(weighting, MM.weight))) * 100)
            assert f"{percent}% |" in seed.read_text(encoding="utf-8")


def test_the_unpublished_stage_rule_is_ours_and_on_every_gated_score_over_a_gap():
    g = content()
    assert g.value(MM.StageLeftOut, MM.authority) == MM.ChosenByMaturityGraph
    for rule in g.subjects(MM.method, MM.WeightedGatedScore):
        framework = g.value(None, MM.rollUp, rule)
        gaps = [c for c in g.subjects(MM.gap, None) if (c, RDF.type, MM.Criterion) in g
                and (framework, MM.hasDimension / MM.hasCapability, g.value(c, MM.capability)) in g]
        if gaps:
            assert g.value(rule, MM.unpublishedStage) == MM.StageLeftOut, rule


# --------------------------------------------------------------------------- one table of readings


def readings(g: Graph) -> dict:
    return {r: {"share": Decimal(str(g.value(r, MM.share))), "words": {str(w) for w in g.objects(r, MM.quantifier)},
                "authority": g.value(r, MM.authority), "label": str(g.value(r, RDFS.label))}
            for r in g.subjects(RDF.type, MM.QuantifierReading)}


def thresholds(g: Graph) -> list:
    return list(g.subjects(RDF.type, MM.Threshold))


def test_every_threshold_takes_its_default_from_its_reading():
    g = content()
    table = readings(g)
    assert thresholds(g)
    for t in thresholds(g):
        reading = g.value(t, MM.reading)
        assert reading in table, t
        assert Decimal(str(g.value(t, MM.defaultValue))) == table[reading]["share"], t
        if table[reading]["authority"] == MM.ChosenByMaturityGraph:
            assert g.value(t, MM.authority) == MM.ChosenByMaturityGraph, t


def test_one_word_one_share():
    """The inconsistency of issue 8: "most" read 0.8 but "the majority" 0.51; no quantifier 0.8 or 1.0."""
    table = readings(content())
    words = [w for r in table.values() for w in r["words"]]
    assert len(words) == len(set(words))
    by_word = {w: r["share"] for r in table.values() for w in r["words"]}
    assert by_word["most"] == by_word["majority"] == Decimal("0.8")
    g = content()
    unqualified = {Decimal(str(g.value(t, MM.defaultValue))) for t in thresholds(g)
                   if g.value(t, MM.reading) == MM.ReadingUnqualified}
    assert unqualified == {Decimal("1.0")}


def test_the_reading_is_grounded_in_the_cell():
    """A reading named by words applies only where the threshold's cell uses one of them."""
    g = content()
    table = readings(g)
    for t in thresholds(g):
        words = table[g.value(t, MM.reading)]["words"]
        if not words:
            continue
        requirement = g.value(None, MM.threshold, t)
        cell = str(g.value(g.value(None, MM.requires, requirement), MM.sourceText)).lower()
        assert any(re.search(rf"\b{re.escape(w)}\b", cell) for w in words), (t, words, cell)


def test_shapes_apply_the_reading():
    g = content()
    shapes = graph(*sorted((ROOT / "shapes").glob("*/*.ttl")))
    for t in thresholds(g):
        bound = shapes.value(g.value(t, MM.constrains), SH.minInclusive)
        assert Decimal(str(bound)) == Decimal(str(g.value(t, MM.defaultValue))), t


def test_docs_table_is_the_graphs():
    text = (ROOT / "docs" / "readings.md").read_text(encoding="utf-8")
    table = text.split("## The table", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `mm:(\w+)` \| ([^|]+) \| ([\d.]+) \| (source|maturity-graph) \|", table, flags=re.MULTILINE)
    g = content()
    expected = {str(r).rsplit("#", 1)[1]: v for r, v in readings(g).items()}
    assert {name for name, *_ in rows} == set(expected)
    for name, words, share, authority in rows:
        r = expected[name]
        assert Decimal(share) == r["share"], name
        assert {w.strip() for w in words.split(",") if "(" not in w} == r["words"], name
        assert (authority == "source") == (r["authority"] == MM.PublishedBySource), name
    used = text.split("## Where the readings are used", 1)[1].split("\n## ", 1)[0]
    counts = dict(re.findall(r"^\| ([a-z -]+) \| (\d+) \|", used, flags=re.MULTILINE))
    by_label = {}
    for t in thresholds(g):
        label = str(g.value(g.value(t, MM.reading), RDFS.label))
        by_label[label] = by_label.get(label, 0) + 1
    assert {k: int(v) for k, v in counts.items()} == by_label


def test_readme_licence_table_agrees_with_the_graph():
    text = (ROOT / "README.md").read_text(encoding="utf-8").split("## Licences", 1)[1]
    rows = re.findall(r"^\| [^|]+ \| `ontology/frameworks/(\w+)\.ttl`[^|]*\|[^|]+\| "
                      r"(verified|unverified|not stated) \|", text, flags=re.MULTILINE)
    status = {"verified": MM.LicenceVerified, "unverified": MM.LicenceUnverified, "not stated": MM.LicenceNotStated}
    g = content()
    assert {fw: status[s] for fw, s in rows} == {
        f: g.value(framework_node(g, f), MM.licenceStatus) for f in FRAMEWORK_IDS}
