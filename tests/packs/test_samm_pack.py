"""The SAMM pack (ontology/packs/samm): the conversion script against the SAMM core model, and SAMM's
published scoring reproduced on the pack's structure from worked examples (samm_scoring_examples.yaml)."""
from __future__ import annotations

import csv
import functools
import importlib.util
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import REPO, SHARED

SOURCE = SHARED / "frameworks-src" / "samm"
SCRIPT = REPO / "ontology" / "packs" / "samm" / "make_pack.py"
PACK = REPO / "ontology" / "packs" / "samm"
EXAMPLES = Path(__file__).with_name("samm_scoring_examples.yaml")
OUTPUTS = ("framework.yaml", "requirements.csv")
REF = re.compile(r"^(?P<code>[GDIVO]-[A-Z]{2}-[1-3]-[AB]) question:(?P<question>[0-9a-f]{32}) "
                 r"(?:quality:(?P<index>[1-9][0-9]*)|answerSet:(?P<answers>[0-9a-f]{32}))$")

needs_source = pytest.mark.skipif(not (SOURCE / "model").is_dir(),
                                  reason=f"the SAMM core model is not at {SOURCE} (shared folder absent)")


def run(source: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), str(source), "-o", str(out)],
                          capture_output=True, text=True, timeout=120, check=False)


def rows_of(pack: Path) -> list[dict[str, str]]:
    with (pack / "requirements.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def model_folder(folder: str) -> dict[str, dict[str, Any]]:
    """One folder of the SAMM model, by file stem, read on its own (not through the script)."""
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted((SOURCE / "model" / folder).glob("*.yml"))}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samm") / "pack"
    result = run(SOURCE, out)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"make_pack: 385 requirements written to {out}"
    return out


@needs_source
def test_samm_structure_five_functions_thirty_streams_three_levels(built: Path) -> None:
    manifest = yaml.safe_load((built / "framework.yaml").read_text(encoding="utf-8"))
    rows = rows_of(built)
    assert manifest["id"] == "samm" and manifest["licence"] == "CC BY-SA 4.0"
    assert [s["rank"] for s in manifest["stages"]] == [1, 2, 3]
    assert not any(s.get("baseline") for s in manifest["stages"])  # SAMM has no level 0 with content
    assert {r["dimension"] for r in rows} == {"Governance", "Design", "Implementation", "Verification", "Operations"}
    streams = {r["capability_id"] for r in rows}
    assert len(streams) == 30
    assert len({s[:-2] for s in streams}) == 15  # two streams, A and B, per practice
    assert {r["stage"] for r in rows} == {"1", "2", "3"}
    for stream in streams:
        measured = [r for r in rows if r["capability_id"] == stream and r["measure"]]
        assert sorted(r["stage"] for r in measured) == ["1", "2", "3"], stream  # one question per level
    assert len({r["requirement_id"] for r in rows}) == len(rows)


@needs_source
def test_every_question_gives_its_quality_criteria_and_one_measured_coverage_row(built: Path) -> None:
    questions, answer_sets = model_folder("questions"), model_folder("answer_sets")
    sets_by_id = {doc["id"]: doc for doc in answer_sets.values()}
    rows = rows_of(built)
    by_activity: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_activity[row["requirement_id"].rsplit("-", 1)[0]].append(row)
    assert sorted(by_activity) == sorted(questions) and len(questions) == 90
    for code, question in questions.items():
        mine = by_activity[code]
        criteria = [r["requirement"] for r in mine if not r["measure"]]
        assert criteria == [" ".join(c.split()) for c in question["quality"]], code
        assert all(r["threshold"] == "" for r in mine if not r["measure"])
        [measured] = [r for r in mine if r["measure"]]
        assert question["text"].strip() in measured["requirement"]
        assert measured["threshold"] == "1" and {r["stage"] for r in mine} == {code.split("-")[2]}
        scale = sorted(sets_by_id[question["answerSet"]]["values"], key=lambda v: v["order"])
        stated = [float(part.rsplit(" = ", 1)[1]) for part in measured["measure"].split(": ", 1)[1].split("; ")]
        assert stated == [float(v["value"]) for v in scale] == [0, 0.25, 0.5, 1], code
        assert measured["measure"].split(": ", 1)[1].startswith("No = 0; Yes")  # YAML's `No` kept as the word
    assert sum(len(q["quality"]) for q in questions.values()) + 90 == len(rows)


@needs_source
def test_every_source_ref_names_a_question_and_its_criterion_or_answer_set(built: Path) -> None:
    questions = model_folder("questions")
    for row in rows_of(built):
        found = REF.match(row["source_ref"])
        assert found, row["source_ref"]
        question = questions[found["code"]]
        assert question["id"] == found["question"]
        if found["index"]:
            index = int(found["index"])
            assert index <= len(question["quality"])
            assert row["requirement"] == " ".join(question["quality"][index - 1].split())
        else:
            assert question["answerSet"] == found["answers"]


@needs_source
def test_rerunning_gives_identical_bytes(built: Path, tmp_path: Path) -> None:
    again = run(SOURCE, tmp_path / "again")
    assert again.returncode == 0, again.stderr
    for name in OUTPUTS:
        assert (tmp_path / "again" / name).read_bytes() == (built / name).read_bytes(), name


@needs_source
def test_committed_pack_is_what_the_script_writes(built: Path) -> None:
    for name in OUTPUTS:
        assert (PACK / name).read_bytes() == (built / name).read_bytes(), f"rerun {SCRIPT.name}: {name} differs"


def _break_yaml(model: Path) -> str:
    (model / "questions" / "D-SA-1-A.yml").write_text("activity: [unclosed\n", encoding="utf-8")
    return r"questions/D-SA-1-A\.yml: not readable YAML at line 2"


def _drop_quality(model: Path) -> str:
    path = model / "questions" / "I-SB-2-B.yml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    del doc["quality"]
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return r"questions/I-SB-2-B\.yml: 'quality' must list the question's quality criteria"


def _dangling_stream(model: Path) -> str:
    path = model / "activities" / "O-IM-3-B.yml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["stream"] = "0" * 32
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return r"activities/O-IM-3-B\.yml: 'stream' 0{32} names no document"


def _missing_activity(model: Path) -> str:
    for folder in ("activities", "questions"):
        (model / folder / "V-ST-2-A.yml").unlink()
    return r"streams/V-ST-A\.yml: no activity at maturity level 2"


def _answer_out_of_range(model: Path) -> str:
    path = model / "answer_sets" / "A.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 1\n", "value: 4\n"), encoding="utf-8")
    return r"answer_sets/A\.yml: every answer needs a 'value' between 0 and 1"


def _wrong_type(model: Path) -> str:
    path = model / "streams" / "G-EG-B.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("type: Stream", "type: Practice"), encoding="utf-8")
    return r"streams/G-EG-B\.yml: 'type' must be Stream"


@needs_source
@pytest.mark.parametrize("damage", [_break_yaml, _drop_quality, _dangling_stream, _missing_activity,
                                    _answer_out_of_range, _wrong_type], ids=lambda f: f.__name__.strip("_"))
def test_a_source_not_as_expected_fails_in_one_line_naming_the_file(damage: Any, tmp_path: Path) -> None:
    source = tmp_path / "samm"
    shutil.copytree(SOURCE, source)
    source.chmod(0o755)  # the shared copy is read-only; the damaged copy must be writable
    for path in source.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    expected = damage(source / "model")
    out = tmp_path / "pack"
    result = run(source, out)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert re.fullmatch(r"make_pack: error: " + expected, lines[0]), lines[0]
    assert not out.exists()  # nothing half-written


def test_a_missing_source_folder_fails_in_one_line(tmp_path: Path) -> None:
    result = run(tmp_path / "nowhere", tmp_path / "pack")
    assert result.returncode == 2
    assert result.stderr.strip() == f"make_pack: error: {tmp_path / 'nowhere'}: no model/ folder " \
                                    "(expected the owaspsamm/core model)"
    assert not (tmp_path / "pack").exists()


@functools.cache
def _script_module() -> Any:
    spec = importlib.util.spec_from_file_location("samm_make_pack", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def writable_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("samm-source") / "samm"
    shutil.copytree(SOURCE, source)
    source.chmod(0o755)
    for path in source.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return source


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)


@needs_source
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(criteria=st.lists(TEXT, min_size=1, max_size=6),
       values=st.lists(st.one_of(st.integers(0, 1), st.floats(0, 1, allow_nan=False)), min_size=2, max_size=5))
def test_criteria_and_answer_values_come_through_word_for_word_and_digit_for_digit(
        writable_source: Path, criteria: list[str], values: list[float]) -> None:
    question = writable_source / "model" / "questions" / "D-SA-1-A.yml"
    answers = writable_source / "model" / "answer_sets" / "A.yml"
    q_doc = yaml.safe_load(question.read_text(encoding="utf-8"))
    a_doc = yaml.safe_load(answers.read_text(encoding="utf-8"))
    q_doc["quality"] = criteria
    a_doc["values"] = [{"text": f"answer {i}", "value": v, "order": i} for i, v in enumerate(values)]
    question.write_text(yaml.safe_dump(q_doc, allow_unicode=True), encoding="utf-8")
    answers.write_text(yaml.safe_dump(a_doc, allow_unicode=True), encoding="utf-8")
    rows, _ = _script_module().read_rows(writable_source)
    mine = [r for r in rows if r["requirement_id"].startswith("D-SA-1-A-")]
    assert [r["requirement"] for r in mine[:-1]] == [" ".join(c.split()) for c in criteria]
    stated = [part.rsplit(" = ", 1)[1] for part in mine[-1]["measure"].split(": ", 1)[1].split("; ")]
    assert [float(v) for v in stated] == [float(v) for v in values]
    assert [type(v)(s) if isinstance(v, float) else int(s) for v, s in zip(values, stated, strict=True)] == values


# SAMM's published scoring, reproduced on the committed pack's structure.

def samm_scores(rows: list[dict[str, str]], answers: dict[str, float], not_met: set[str]) -> dict[str, Any]:
    """SAMM's rule as samm_scoring_examples.yaml states it, over the pack: a question's value (0 unless its
    quality criteria are all met), stream = sum over its levels, practice = mean of its two streams,
    business function = mean of its practices, overall = mean of the functions."""
    streams: dict[str, float] = defaultdict(float)
    practices_of: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        stream, function = row["capability_id"], row["dimension_id"]
        practices_of[function].add(stream[:-2])
        if row["measure"]:
            activity = row["requirement_id"].removesuffix("-COV")
            value = 0.0 if activity in not_met else answers.get(activity, 0.0)
            streams[stream] += value
    practices = {p: (streams[f"{p}-A"] + streams[f"{p}-B"]) / 2 for ps in practices_of.values() for p in ps}
    functions = {f: sum(practices[p] for p in ps) / len(ps) for f, ps in practices_of.items()}
    return {"streams": dict(streams), "practices": practices, "business_functions": functions,
            "overall": sum(functions.values()) / len(functions)}


def _examples() -> list[dict[str, Any]]:
    return list(yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))["examples"])


def test_scoring_examples_cite_the_sources_they_list() -> None:
    data = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))
    cited = {s for rule in data["rule"].values() for s in ([rule["source"]] if isinstance(rule["source"], str)
                                                          else rule["source"])}
    for example in data["examples"]:
        cited |= {example["source"]} if isinstance(example["source"], str) else set(example["source"])
    assert cited == set(data["sources"])
    assert all(s["url"].startswith("https://") for s in data["sources"].values())
    assert any(e["provenance"]["published"] for e in data["examples"])  # at least one of SAMM's own numbers


@pytest.mark.parametrize("example", _examples(), ids=lambda e: e["id"])
def test_pack_structure_reproduces_samm_published_scores(example: dict[str, Any]) -> None:
    rows = rows_of(PACK)
    measured = {r["requirement_id"].removesuffix("-COV"): r["measure"] for r in rows if r["measure"]}
    if "all_answers" in example:
        answers = dict.fromkeys(measured, float(example["all_answers"]))
    else:
        answers = {k: float(v) for k, v in example["answers"].items()}
    for activity, value in answers.items():
        assert activity in measured, f"{activity} is no SAMM activity of the pack"
        allowed = [float(part.rsplit(" = ", 1)[1]) for part in measured[activity].split(": ", 1)[1].split("; ")]
        assert value in allowed, f"{activity}: {value} is not on its answer scale {allowed}"
    got = samm_scores(rows, answers, set(example.get("quality_not_met", [])))
    expected = example["scores"]
    for level in ("streams", "practices", "business_functions"):
        for part, score in expected.get(level, {}).items():
            assert got[level][part] == pytest.approx(score, abs=1e-9), f"{level} {part}"
    assert got["overall"] == pytest.approx(expected["overall"], abs=1e-9)
    assert all(0 <= s <= 3 for level in ("streams", "practices", "business_functions") for s in got[level].values())


def test_built_pack_carries_what_samm_scores_need(tmp_path: Path) -> None:
    """The pack built by the pack builder (engine/packs) keeps SAMM's structure: per stream three criteria,
    one per level, each with exactly one measured coverage requirement; and the worked examples come out the
    same when streams, levels and functions are read from the built graph instead of the sheet."""
    packs = pytest.importorskip("maturity_graph.packs", reason="the pack builder (engine/packs) is not there")
    from rdflib import Graph
    from rdflib.namespace import DCTERMS, RDF

    from maturity_graph.namespaces import MM

    packs.build_pack(PACK, tmp_path / "built")
    graph = Graph().parse(tmp_path / "built" / "ontology" / "frameworks" / "samm.ttl")
    ident = {s: str(o) for s, o in graph.subject_objects(DCTERMS.identifier)}
    function_of = {cap: ident[dim] for dim, cap in graph.subject_objects(MM.hasCapability)}
    rows: list[dict[str, str]] = []
    levels: dict[str, list[int]] = defaultdict(list)
    for criterion in graph.subjects(RDF.type, MM.Criterion):
        capability = graph.value(criterion, MM.capability)
        rank = int(graph.value(graph.value(criterion, MM.stage), MM.rank))
        measured = [r for r in graph.objects(criterion, MM.requires) if graph.value(r, MM.threshold) is not None]
        assert len(measured) == 1, ident[criterion]
        levels[ident[capability]].append(rank)
        for requirement in graph.objects(criterion, MM.requires):
            rows.append({"capability_id": ident[capability], "dimension_id": function_of[capability],
                         "requirement_id": ident[requirement], "measure": "x" if requirement in measured else ""})
    assert len(levels) == 30 and all(sorted(ranks) == [1, 2, 3] for ranks in levels.values())
    assert len(rows) == len(rows_of(PACK))
    for example in _examples():
        if "all_answers" in example:
            continue  # needs the answer scales, which the sheet test checks
        got = samm_scores(rows, {k: float(v) for k, v in example["answers"].items()},
                          set(example.get("quality_not_met", [])))
        assert got["overall"] == pytest.approx(example["scores"]["overall"], abs=1e-9), example["id"]
        for part, score in example["scores"]["practices"].items():
            assert got["practices"][part] == pytest.approx(score, abs=1e-9), (example["id"], part)
