"""Converts the OWASP SAMM v2 core model (YAML) into a maturity-graph framework pack.

Run as `python ontology/packs/samm/make_pack.py /path/to/frameworks-src/samm -o ontology/packs/samm`.
It reads `model/` of owaspsamm/core unchanged, checks every file it reads, and writes `framework.yaml` and
`requirements.csv` (docs/samm.md and the README beside this file say why the model maps as it does).
The same source always gives the same bytes, so the committed pack is proven to be this script's output.

OWASP SAMM, by the OWASP SAMM project, https://owaspsamm.org/, is licensed CC BY-SA 4.0
(https://creativecommons.org/licenses/by-sa/4.0/). The pack quotes SAMM's questions, quality criteria and
answer scales, so the pack is an adaptation shared under CC BY-SA 4.0 as well.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ATTRIBUTION = "OWASP SAMM, by the OWASP SAMM project, https://owaspsamm.org/"
LICENCE = "CC BY-SA 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"
# SAMM's levels count activities met in full: a level's coverage question answered "most or all" (1) is the
# reading of "a 1 out of 1 rating" (owaspsamm.org FAQ). Chosen by maturity-graph; SAMM itself publishes scores.
LEVEL_THRESHOLD = "1"
# SAMM publishes no period for which an assessment stays current; a yearly reassessment is ours.
VALIDITY_DAYS = 365
COLUMNS = ["dimension_id", "dimension", "group_id", "group", "capability_id", "capability", "stage", "requirement_id",
           "requirement", "measure", "threshold", "reading", "concepts", "source_ref"]
# The reading of SAMM's answer scale a level's threshold takes (docs/readings.md): the answer worth 1.
LEVEL_READING = "top-of-scale"
# Our tagging of each activity with the shared concepts (ontology/concepts.ttl), for crosswalks and the bundled
# content checks; maturity-graph's curation, not SAMM's.
CONCEPTS_FILE = Path(__file__).with_name("activity-concepts.tsv")
GUID = re.compile(r"^[0-9a-f]{32}$")
FOLDERS = {"business_functions": "Function", "security_practices": "Practice", "streams": "Stream",
           "maturity_levels": "MaturityLevel", "practice_levels": "PracticeLevel", "activities": "Activity",
           "questions": "Question", "answer_sets": "AnswerSet"}


class SourceError(Exception):
    """The SAMM source is not as this script expects; the message is one line naming the file."""


@dataclass(frozen=True)
class Doc:
    """One YAML document of the model, with the file it came from (for messages and source_ref)."""

    path: Path
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return self.path.stem

    def where(self) -> str:
        return f"{self.path.parent.name}/{self.path.name}"

    def fail(self, problem: str) -> SourceError:
        return SourceError(f"{self.where()}: {problem}")

    def text(self, key: str) -> str:
        value = self.data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"'{key}' must be a non-empty string")
        return " ".join(value.split())

    def guid(self, key: str) -> str:
        value = self.data.get(key)
        if not isinstance(value, str) or not GUID.match(value):
            raise self.fail(f"'{key}' must be a 32-digit lower-case hexadecimal identifier")
        return value

    def integer(self, key: str) -> int:
        value = self.data.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(f"'{key}' must be an integer")
        return value


def _load_folder(model: Path, folder: str) -> dict[str, Doc]:
    """Every document of one folder, by GUID; each must be a mapping of the folder's type."""
    where = model / folder
    if not where.is_dir():
        raise SourceError(f"{folder}/: folder not found under {model}")
    docs: dict[str, Doc] = {}
    for path in sorted(where.glob("*.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as err:
            line = getattr(getattr(err, "problem_mark", None), "line", None)
            at = f" at line {line + 1}" if isinstance(line, int) else ""
            raise SourceError(f"{folder}/{path.name}: not readable YAML{at}") from None
        if not isinstance(data, dict):
            raise SourceError(f"{folder}/{path.name}: expected a YAML mapping")
        doc = Doc(path, data)
        if data.get("type") != FOLDERS[folder]:
            raise doc.fail(f"'type' must be {FOLDERS[folder]}")
        guid = doc.guid("id")
        if guid in docs:
            raise doc.fail(f"id {guid} is also the id of {docs[guid].where()}")
        docs[guid] = doc
    if not docs:
        raise SourceError(f"{folder}/: no .yml files")
    return docs


def _ref(doc: Doc, key: str, targets: dict[str, Doc]) -> Doc:
    guid = doc.guid(key)
    if guid not in targets:
        raise doc.fail(f"'{key}' {guid} names no document")
    return targets[guid]


def _answer_text(doc: Doc, value: object) -> str:
    """YAML 1.1 reads the answer `No` as false: SAMM means the word, so it is read back as the word."""
    if value is False:
        return "No"
    if value is True:
        return "Yes"
    if not isinstance(value, str) or not value.strip():
        raise doc.fail("every answer needs a text")
    return " ".join(value.split())


def _measure(doc: Doc) -> str:
    """The answer scale as one label: each answer with the coverage value SAMM gives it, in SAMM's order."""
    values = doc.data.get("values")
    if not isinstance(values, list) or len(values) < 2:
        raise doc.fail("'values' must list at least two answers")
    answers: list[tuple[int, str, int | float]] = []
    for value in values:
        if not isinstance(value, dict):
            raise doc.fail("every answer must be a mapping")
        order, number = value.get("order"), value.get("value")
        if not isinstance(order, int) or isinstance(order, bool):
            raise doc.fail("every answer needs an integer 'order'")
        if not isinstance(number, (int, float)) or isinstance(number, bool) or not 0 <= number <= 1:
            raise doc.fail("every answer needs a 'value' between 0 and 1")
        answers.append((order, _answer_text(doc, value.get("text")), number))
    answers.sort()
    if len({a[0] for a in answers}) != len(answers):
        raise doc.fail("two answers share one 'order'")
    scale = "; ".join(f"{text} = {number!r}" for _, text, number in answers)  # repr: the value, digit for digit
    return f"SAMM answer set {doc.name}: {scale}"


def _quality(doc: Doc) -> list[str]:
    criteria = doc.data.get("quality")
    if not isinstance(criteria, list) or not criteria:
        raise doc.fail("'quality' must list the question's quality criteria")
    if not all(isinstance(c, str) and c.strip() for c in criteria):
        raise doc.fail("every quality criterion must be a non-empty string")
    return [" ".join(c.split()) for c in criteria]


def _source_title(root: Path) -> str:
    """Names the core model's commit where SOURCES.md beside the model records it."""
    sources = root / "SOURCES.md"
    found = re.search(r"commit ([0-9a-f]{7,40})", sources.read_text(encoding="utf-8")) if sources.is_file() else None
    at = f", commit {found.group(1)}" if found else ""
    return f"OWASP SAMM v2 core model (github.com/owaspsamm/core{at}, folder model/)"


def read_rows(root: Path) -> tuple[list[dict[str, str]], list[tuple[int, str]]]:
    """The pack's rows in SAMM's order (function, practice, stream, level), and its stages (rank, label)."""
    model = root / "model"
    if not model.is_dir():
        raise SourceError(f"{root}: no model/ folder (expected the owaspsamm/core model)")
    docs = {folder: _load_folder(model, folder) for folder in FOLDERS}
    functions, practices, streams = docs["business_functions"], docs["security_practices"], docs["streams"]
    levels, practice_levels = docs["maturity_levels"], docs["practice_levels"]
    activities, questions, answer_sets = docs["activities"], docs["questions"], docs["answer_sets"]

    numbers = sorted(d.integer("number") for d in levels.values())
    if numbers != list(range(1, len(numbers) + 1)):
        raise SourceError(f"maturity_levels/: level numbers {numbers} are not 1..N")
    stages = [(n, f"Maturity level {n}") for n in numbers]

    question_of: dict[str, Doc] = {}
    for question in questions.values():
        activity = _ref(question, "activity", activities)
        if activity.data["id"] in question_of:
            raise question.fail(f"a second question for activity {activity.where()}")
        question_of[activity.data["id"]] = question
    activity_at: dict[tuple[str, int], Doc] = {}
    for activity in activities.values():
        stream = _ref(activity, "stream", streams)
        practice_level = _ref(activity, "level", practice_levels)
        number = _ref(practice_level, "maturityLevel", levels).integer("number")
        if _ref(practice_level, "practice", practices) is not _ref(stream, "practice", practices):
            raise activity.fail("its stream and its practice level belong to different practices")
        if (stream.data["id"], number) in activity_at:
            raise activity.fail(f"a second activity for stream {stream.where()} at level {number}")
        activity_at[(stream.data["id"], number)] = activity

    rows: list[dict[str, str]] = []
    for function in sorted(functions.values(), key=lambda d: d.integer("order")):
        f_name = function.text("name")
        f_code = f_name[0].upper()
        mine = [p for p in practices.values() if _ref(p, "function", functions) is function]
        if not mine:
            raise function.fail("no security practice belongs to this business function")
        for practice in sorted(mine, key=lambda d: d.integer("order")):
            p_code = f"{f_code}-{practice.text('shortName')}"
            own = [s for s in streams.values() if _ref(s, "practice", practices) is practice]
            if sorted(s.text("letter") for s in own) != ["A", "B"]:
                raise practice.fail("a practice must have exactly the streams A and B")
            for stream in sorted(own, key=lambda d: d.integer("order")):
                s_code = f"{p_code}-{stream.text('letter')}"
                if stream.name != s_code:
                    raise stream.fail(f"the file name should be {s_code}.yml (its practice and letter)")
                for number, _ in stages:
                    cell = activity_at.get((stream.data["id"], number))
                    if cell is None:
                        raise stream.fail(f"no activity at maturity level {number}")
                    rows.extend(_activity_rows(function, practice, stream, cell, number, question_of,
                                               answer_sets, f_code, s_code))
    if len(activity_at) != len(activities) or len(question_of) != len(activities):
        raise SourceError(f"{model}: {len(activities)} activities but {len(question_of)} with a question")
    return rows, stages


def _activity_rows(function: Doc, practice: Doc, stream: Doc, activity: Doc, number: int,
                   question_of: dict[str, Doc], answer_sets: dict[str, Doc], f_code: str,
                   s_code: str) -> list[dict[str, str]]:
    """One row per quality criterion (the checks an assessor makes), then the measured coverage question."""
    a_code = f"{s_code[:-2]}-{number}-{s_code[-1]}"
    if activity.name != a_code:
        raise activity.fail(f"the file name should be {a_code}.yml (its stream and level)")
    found = question_of.get(activity.data["id"])
    if found is None:
        raise activity.fail("no question measures this activity")
    question = found
    if question.name != a_code:
        raise question.fail(f"the file name should be {a_code}.yml (its activity)")
    q_guid, text = question.guid("id"), question.text("text")
    scale = _ref(question, "answerSet", answer_sets)
    base = {"dimension_id": f_code, "dimension": function.text("name"), "group_id": s_code[:-2],
            "group": practice.text("name"), "capability_id": s_code,
            "capability": f"{practice.text('name')}: {stream.text('name')}", "stage": str(number)}
    rows = [base | {"requirement_id": f"{a_code}-QC{i}", "requirement": criterion, "measure": "", "threshold": "",
                    "reading": "", "source_ref": f"{a_code} question:{q_guid} quality:{i}"}
            for i, criterion in enumerate(_quality(question), start=1)]
    rows.append(base | {"requirement_id": f"{a_code}-COV",
                        "requirement": f"How widely the activity is in place, on SAMM's answer scale to: {text}",
                        "measure": _measure(scale), "threshold": LEVEL_THRESHOLD, "reading": LEVEL_READING,
                        "source_ref": f"{a_code} question:{q_guid} answerSet:{scale.data['id']}"})
    return rows


def read_concepts(path: Path) -> dict[str, str]:
    """activity -> its concept ids, `; `-separated, from our tagging file (activity, concepts, rationale)."""
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            rows = list(csv.DictReader(stream, delimiter="\t"))
    except OSError as err:
        raise SourceError(f"{path}: cannot read the concept tagging ({err.strerror})") from err
    found: dict[str, str] = {}
    for number, row in enumerate(rows, start=2):
        activity, concepts = (row.get("activity") or "").strip(), (row.get("concepts") or "").strip()
        if not activity or not concepts or not (row.get("rationale") or "").strip():
            raise SourceError(f"{path}: line {number}: an activity, its concepts and a rationale are all needed")
        if activity in found:
            raise SourceError(f"{path}: line {number}: {activity} is tagged twice")
        found[activity] = "; ".join(c.strip() for c in concepts.split(";") if c.strip())
    return found


def tag_concepts(rows: list[dict[str, str]], concepts: dict[str, str]) -> None:
    """Each row takes its activity's concepts; every activity must be tagged, and nothing else."""
    activities = {row["requirement_id"].rsplit("-", 1)[0] for row in rows}
    if missing := sorted(activities - set(concepts)):
        raise SourceError(f"{CONCEPTS_FILE.name}: no concepts for {', '.join(missing)}")
    if unknown := sorted(set(concepts) - activities):
        raise SourceError(f"{CONCEPTS_FILE.name}: {', '.join(unknown)} is no SAMM activity")
    for row in rows:
        row["concepts"] = concepts[row["requirement_id"].rsplit("-", 1)[0]]


def framework_yaml(root: Path, stages: list[tuple[int, str]]) -> str:
    """framework.yaml: what SAMM is and its published scoring as roll-ups (docs/samm.md)."""
    header = (
        "# Generated by ontology/packs/samm/make_pack.py from the OWASP SAMM v2 core model: do not edit by hand.\n"
        f"# {ATTRIBUTION}, licensed {LICENCE} ({LICENCE_URL}).\n"
        "# This pack quotes SAMM's questions, quality criteria and answer scales: it is an adaptation, shared\n"
        f"# under {LICENCE} as well. The roll-ups below are SAMM's published scoring (docs/samm.md): a stream\n"
        "# scores the sum of its levels' answers, a practice the average of its streams, a business function the\n"
        "# average of its practices, the whole the average of the functions. The stage shown beside a stream's\n"
        "# score, and each coverage question's threshold (1, most or all), are chosen by maturity-graph.\n")
    body = {
        "id": "samm",
        "label": "OWASP Software Assurance Maturity Model (SAMM)",
        "version": "2.0",
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "author": "maturity-graph",
        "attribution": f"{ATTRIBUTION}, licensed {LICENCE}; this adaptation quotes SAMM's quality criteria, "
                       f"questions and answer scales and is shared under the same licence.",
        "publisher": "OWASP SAMM project",
        "source": {"url": "https://owaspsamm.org/", "title": _source_title(root)},
        "stages": [{"rank": rank, "label": label} for rank, label in stages],
        "roll_up": {"capability": "coverage-sum", "group": "average", "dimension": "average", "overall": "average",
                    "decimal_places": 3},
        "roll_up_published": True,
        "validity_days": VALIDITY_DAYS,
    }
    return header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=120)


def requirements_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _write(path: Path, text: str) -> None:
    """Whole file or nothing: a temporary file beside the target, then a rename."""
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.chmod(temp, 0o644)  # mkstemp makes it private; the pack is content to share
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Convert the OWASP SAMM v2 core model into a framework pack.")
    parser.add_argument("source", type=Path, help="folder holding model/ of owaspsamm/core (and SOURCES.md)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="pack folder to write")
    args = parser.parse_args(argv)
    try:
        rows, stages = read_rows(args.source)
        tag_concepts(rows, read_concepts(CONCEPTS_FILE))
        out: Path = args.output
        if not out.parent.is_dir():
            raise SourceError(f"{out}: the folder to write into does not exist")
        out.mkdir(exist_ok=True)
        texts = {"framework.yaml": framework_yaml(args.source, stages), "requirements.csv": requirements_csv(rows)}
        for name, text in texts.items():
            _write(out / name, text)
    except (SourceError, OSError) as err:
        print(f"make_pack: error: {err}", file=sys.stderr)
        return 2
    print(f"make_pack: {len(rows)} requirements written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
