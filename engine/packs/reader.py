"""read_pack(): a framework pack folder (framework.yaml + requirements.csv/.xlsx) read and validated.

Every problem a GRC engineer can make is reported at once, as RowErrors naming the file and the line
(framework.yaml) or the sheet row (header = row 1), so one round of fixes is enough.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from ..errors import InputError, RowErrors
from ..inputs import MIB, read_input, size_limit
from .model import (
    AVERAGE,
    COVERAGE_SUM,
    CUMULATIVE,
    LOWEST,
    WEIGHTED,
    Pack,
    PackCapability,
    PackDimension,
    PackGroup,
    PackRequirement,
    PackRollUp,
    PackStage,
    Reading,
)

MANIFEST = "framework.yaml"
SHEETS = ("requirements.csv", "requirements.xlsx")
CROSSWALKS = "crosswalks"
MAX_MANIFEST_BYTES = 1 * MIB
BASE = "https://w3id.org/maturity-graph/"
CONCEPTS = "https://w3id.org/maturity-graph/concept/"

PACK_ID = re.compile(r"[a-z][a-z0-9-]{1,31}")
IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
ABSOLUTE_IRI = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
# IRI local names the builder gives its own nodes (framework_graph.py, shapes_graph.py): no part or requirement
# may take one, or two nodes would become one.
RESERVED = re.compile(
    r"^(model|licence|evidence-policy|chosen-by-pack-author|(capability|group|dimension|overall)-rollup)$"
    r"|^(stage|pack-row)-[0-9]+$|^measure-|-rollup-weight-|-stage-[0-9]+(-source(-[0-9]+)?)?$"
    r"|-(source|threshold|evidence|accepted|observation|measure|value)$")
REQUIRED_COLUMNS = ("dimension", "capability", "stage", "requirement_id", "requirement", "source_ref")
OPTIONAL_COLUMNS = ("dimension_id", "group", "group_id", "capability_id", "measure", "threshold", "reading",
                    "concepts")
KEYS = {"id", "label", "version", "licence", "licence_url", "attribution", "author", "publisher", "source", "stages",
        "roll_up", "roll_up_published", "validity_days", "target", "namespace"}
REQUIRED_KEYS = ("id", "label", "version", "licence", "source", "stages", "roll_up", "validity_days")


def is_pack(path: str | Path) -> bool:
    """A folder holding framework.yaml: a pack to build."""
    return (Path(path) / MANIFEST).is_file()


def is_built(path: str | Path) -> bool:
    """A folder laid out like the bundled content, with at least one framework file: a built pack."""
    folder = Path(path) / "ontology" / "frameworks"
    return folder.is_dir() and any(folder.glob("*.ttl"))


def read_pack(path: str | Path) -> Pack:
    """The pack in folder `path`, validated; RowErrors lists every bad line of framework.yaml, then (once it is
    good) every bad row of the sheet, then every roll-up weight or target the sheet does not back."""
    folder = Path(path)
    if folder.name == MANIFEST and folder.is_file():
        folder = folder.parent
    if not folder.is_dir():
        raise InputError("not a folder; a framework pack is a folder holding framework.yaml", path=folder)
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise InputError(f"no {MANIFEST} here; a framework pack is a folder holding {MANIFEST} and a "
                         "requirements sheet (docs/packs.md)", path=folder)
    manifest = read_input(manifest_path, limit=size_limit(MAX_MANIFEST_BYTES), what=f"a pack's {MANIFEST}")
    fields = _Manifest(manifest_path, manifest)
    sheet_path = _sheet_path(folder)
    sheet = _Sheet(sheet_path, fields.stages)
    fields.cross_check(sheet)
    return Pack(
        path=folder, sheet=sheet_path, id=fields.id, label=fields.label, version=fields.version,
        licence=fields.licence, licence_url=fields.licence_url, attribution=fields.attribution, author=fields.author,
        publisher=fields.publisher,
        source_url=fields.source_url, source_title=fields.source_title, stages=fields.stages,
        validity_days=fields.validity_days, target=fields.target, namespace=fields.namespace,
        shapes_namespace=fields.shapes_namespace, capability_roll_up=fields.capability_roll_up,
        decimal_places=fields.decimal_places,
        group_roll_up=fields.group_roll_up, dimension_roll_up=fields.dimension_roll_up,
        overall_roll_up=fields.overall_roll_up,
        roll_up_published=fields.roll_up_published, dimensions=tuple(sheet.dimensions.values()),
        capabilities=tuple(sheet.capabilities.values()), requirements=tuple(sheet.requirements),
        groups=tuple(sheet.groups.values()),
        crosswalks=tuple(sorted((folder / CROSSWALKS).glob("*.sssom.tsv"))) if (folder / CROSSWALKS).is_dir()
        else (), manifest=manifest)


def _sheet_path(folder: Path) -> Path:
    found = [folder / name for name in SHEETS if (folder / name).is_file()]
    if not found:
        raise InputError(f"no requirements sheet; add {' or '.join(SHEETS)} (docs/packs.md)", path=folder)
    if len(found) > 1:
        raise InputError(f"both {' and '.join(SHEETS)} are here; keep one", path=folder)
    return found[0]


def slug(text: str) -> str:
    """ASCII letters, digits and hyphens, lower case: an IRI's local name (STYLE.md (d))."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def initials(label: str) -> str:
    """The upper-case initials of a label's words: the identifier a part gets when the sheet gives none."""
    return "".join(word[0] for word in re.findall(r"[A-Za-z0-9]+", label)).upper()


def _clean(text: str) -> str:
    """One line, single spaces: labels are printed and compared (label-whitespace)."""
    return " ".join(text.split())


@cache
def bundled_concepts() -> frozenset[str]:
    """The local names of the shared concept scheme's concepts (ontology/concepts.ttl)."""
    from .. import bundled

    graph = Graph().parse(data=bundled.content_dir("ontology", "concepts.ttl").read_text(encoding="utf-8"),
                          format="turtle")
    return frozenset(str(c)[len(CONCEPTS):] for c in graph.subjects(RDF.type, SKOS.Concept)
                     if str(c).startswith(CONCEPTS))


@cache
def bundled_readings() -> dict[str, Reading]:
    """The readings of vague quantifiers (mm:QuantifierReading in ontology/mm.ttl) a threshold may take its value
    from, by the id a sheet names them with (`mm:ReadingTopOfScale` is `top-of-scale`)."""
    from .. import bundled
    from ..namespaces import MM

    graph = Graph().parse(data=bundled.content_dir("ontology", "mm.ttl").read_text(encoding="utf-8"), format="turtle")
    found = {}
    for reading in graph.subjects(RDF.type, MM.QuantifierReading):
        name = re.sub(r"(?<!^)(?=[A-Z])", "-", str(reading).rsplit("#", 1)[1].removeprefix("Reading")).lower()
        found[name] = Reading(str(reading), Decimal(str(graph.value(reading, MM.share))),
                              str(graph.value(reading, MM.authority)))
    return found


@cache
def _bundled_frameworks() -> dict[str, str]:
    """The bundled frameworks' IRIs by id, read from the bundled files alone: a pack may be rebuilt while an earlier
    build of it is loaded as content, and the content loader builds packs through this reader."""
    from .. import bundled
    from ..store import open_store

    store = open_store()
    try:
        for node in bundled.turtle_files("ontology", "frameworks"):
            store.load(node.read_bytes(), fmt="turtle", source=f"ontology/frameworks/{node.name}")
        rows = store.query(bundled.query_text(__package__, "framework-ids.rq")).rows
    finally:
        store.close()
    return {str(row[0]): str(row[1]) for row in rows}


def _project_prefixes() -> dict[str, str]:
    from ..prefixes import prefix_map

    return prefix_map()


# --------------------------------------------------------------------------- framework.yaml


class _Manifest:
    """framework.yaml's fields, each checked; every problem is kept with its line, then raised together."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        self.problems: list[str] = []
        self.lines: dict[str, int] = {}
        self.stage_lines: list[int] = []
        raw = self._parse(data)
        self.id = self._id(raw.get("id"))
        self.label = self._text(raw, "label")
        self.version = self._text(raw, "version")
        if self.version and not VERSION.fullmatch(self.version):
            self._bad("version", f"version {_shown(self.version)} must be letters, digits, '.', '_' or '-' (it is part "
                                 "of the framework's IRIs)")
        self.licence = self._text(raw, "licence")
        self.licence_url = self._iri(raw.get("licence_url"), "licence_url") if "licence_url" in raw else None
        self.publisher = self._text(raw, "publisher") if "publisher" in raw else None
        self.attribution = self._text(raw, "attribution") if "attribution" in raw else None
        self.author = self._text(raw, "author") if "author" in raw else None
        if self.attribution is not None and self.licence_url is None:
            self._bad("attribution", "attribution says the pack quotes its source under its licence: give the "
                                     "licence's terms as licence_url too")
        self.source_url, self.source_title = self._source(raw.get("source"))
        self.stages = self._stages(raw.get("stages"))
        self.validity_days = self._validity(raw.get("validity_days"))
        self.target = self._target(raw.get("target")) if raw.get("target") is not None else None
        self.roll_up_published = self._flag(raw, "roll_up_published")
        self.decimal_places: int | None = None
        self.capability_roll_up, self.group_roll_up, self.dimension_roll_up, self.overall_roll_up = \
            self._roll_up(raw.get("roll_up"))
        self.namespace, self.shapes_namespace = self._namespaces(raw.get("namespace"))
        if self.id:
            self._clash()
        self._raise()

    def _clash(self) -> None:
        """The id names the pack's prefixes (`<id>:`, `<id>sh:`): it may not be a bundled framework's id, nor a prefix
        the project's table binds to another namespace. The bundled pack's own source (ontology/packs/samm) is
        both, with the same IRIs, and is fine."""
        if _bundled_frameworks().get(self.id) not in (None, self.namespace + "model"):
            self._bad("id", f"id {_shown(self.id)} is the id of a bundled framework; choose another")
            return
        table = _project_prefixes()
        if table.get(self.id, self.namespace) != self.namespace \
                or table.get(f"{self.id}sh", self.shapes_namespace) != self.shapes_namespace:
            self._bad("id", f"id {_shown(self.id)} is a prefix of the project's prefix table; choose another")

    # -- reporting

    def _bad(self, key: str, message: str, *, line: int | None = None) -> None:
        where = line if line is not None else self.lines.get(key)
        self.problems.append(f"line {where}: {message}" if where else message)

    def _raise(self) -> None:
        if self.problems:
            raise RowErrors(f"{len(self.problems)} problem(s) in the pack's {MANIFEST}", self.problems,
                            path=self.path)

    # -- parsing

    def _parse(self, data: bytes) -> dict[str, Any]:
        try:
            text = data.decode("utf-8-sig")
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            raw = yaml.safe_load(text)
        except UnicodeDecodeError as err:
            raise InputError(f"not UTF-8 text (byte {err.start})", path=self.path) from None
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            problem = getattr(err, "problem", None) or "not valid YAML"
            raise InputError(f"not valid YAML: {problem}", path=self.path,
                             line=mark.line + 1 if mark is not None else None) from None
        if not isinstance(raw, dict) or not isinstance(node, yaml.MappingNode):
            raise InputError("must be a YAML mapping of fields (id, label, version, ...)", path=self.path, line=1)
        for key_node, value_node in node.value:
            self.lines[str(key_node.value)] = key_node.start_mark.line + 1
            if key_node.value == "stages" and isinstance(value_node, yaml.SequenceNode):
                self.stage_lines = [item.start_mark.line + 1 for item in value_node.value]
        for key in sorted(set(map(str, raw)) - KEYS):
            self._bad(key, f"unknown field {_shown(key)}; the fields are {', '.join(sorted(KEYS))}")
        for key in REQUIRED_KEYS:
            if raw.get(key) is None:
                self.problems.append(f"the required field {_shown(key)} is missing")
        return {str(k): v for k, v in raw.items()}

    def _text(self, raw: Mapping[str, Any], key: str) -> str:
        value = raw.get(key)
        if value is None:
            return ""
        if not isinstance(value, str) or not value.strip():
            self._bad(key, f"{key} must be text, not {_shown(value)} (quote it)")
            return ""
        return _clean(value)

    def _iri(self, value: Any, key: str) -> str | None:
        if not isinstance(value, str) or not ABSOLUTE_IRI.fullmatch(value.strip()):
            self._bad(key, f"{key} must be an http(s) URL, not {_shown(value)}")
            return None
        return value.strip()

    def _flag(self, raw: Mapping[str, Any], key: str) -> bool:
        value = raw.get(key, False)
        if not isinstance(value, bool):
            self._bad(key, f"{key} must be true or false, not {_shown(value)}")
            return False
        return value

    def _id(self, value: Any) -> str:
        if value is None:
            return ""
        if not isinstance(value, str) or not PACK_ID.fullmatch(value):
            self._bad("id", f"id {_shown(value)} must be 2 to 32 characters: a lower-case letter, then "
                            "lower-case letters, digits or '-'")
            return ""
        return value

    def _source(self, value: Any) -> tuple[str, str]:
        if value is None:
            return "", ""
        if not isinstance(value, dict):
            self._bad("source", "source must be a mapping with url and title")
            return "", ""
        url = self._iri(value.get("url"), "source") or ""
        title = value.get("title")
        if not isinstance(title, str) or not title.strip():
            self._bad("source", "source needs a title (text): the document the pack encodes")
            title = ""
        return url, _clean(title)

    def _stages(self, value: Any) -> tuple[PackStage, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or len(value) < 2:
            self._bad("stages", "stages must be a list of at least two {rank, label} entries")
            return ()
        stages: list[PackStage] = []
        for index, item in enumerate(value):
            line = self.stage_lines[index] if index < len(self.stage_lines) else self.lines.get("stages")
            if not isinstance(item, dict) or set(map(str, item)) - {"rank", "label", "baseline", "id"}:
                self._bad("stages", f"stage {index + 1} must be a mapping of rank, label and optionally baseline "
                                    "and id", line=line)
                continue
            rank, label, baseline = item.get("rank"), item.get("label"), item.get("baseline", False)
            if isinstance(rank, bool) or not isinstance(rank, int):
                self._bad("stages", f"stage {index + 1}: rank must be a whole number, not {_shown(rank)}", line=line)
                continue
            if not isinstance(label, str) or not label.strip():
                self._bad("stages", f"stage {rank}: label must be text", line=line)
                continue
            if not isinstance(baseline, bool):
                self._bad("stages", f"stage {rank}: baseline must be true or false", line=line)
                continue
            stage_id = item.get("id", f"S{rank}")
            if not isinstance(stage_id, str) or not IDENTIFIER.fullmatch(stage_id):
                self._bad("stages", f"stage {rank}: id {_shown(stage_id)} must be letters, digits, '.', '_' or '-'",
                          line=line)
                continue
            stages.append(PackStage(rank=rank, label=_clean(label), id=stage_id, baseline=baseline))
        stages.sort(key=lambda s: s.rank)
        for expected, stage in enumerate(stages, start=1):
            if stage.rank != expected:
                self._bad("stages", f"stage ranks must run 1, 2, 3 ... without gaps or repeats: rank {stage.rank} "
                                    f"({stage.label}) stands where rank {expected} should")
                break
        if any(s.baseline for s in stages[1:]):
            self._bad("stages", "only the first stage (rank 1) may be the baseline")
        for kind, values in (("label", [s.label.lower() for s in stages]), ("id", [s.id for s in stages])):
            if len(set(values)) != len(values):
                self._bad("stages", f"two stages share a {kind}")
        return tuple(stages)

    def _validity(self, value: Any) -> int:
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            self._bad("validity_days", f"validity_days must be a whole number of days above 0, not {_shown(value)}")
            return 0
        return value

    def _target(self, value: Any) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or value not in {s.rank for s in self.stages}:
            self._bad("target", f"target must be the rank of one of the stages, not {_shown(value)}")
            return None
        return value

    def _roll_up(self, value: Any) -> tuple[str, PackRollUp | None, PackRollUp | None, PackRollUp | None]:
        """The capability method, then the group, dimension and overall roll-ups (None where not given)."""
        if value is None:
            return CUMULATIVE, None, None, None
        if not isinstance(value, dict):
            self._bad("roll_up", "roll_up must be a mapping: capability, and optionally group, dimension and overall")
            return CUMULATIVE, None, None, None
        for key in sorted(set(map(str, value)) - {"capability", "group", "dimension", "overall", "decimal_places"}):
            self._bad("roll_up", f"roll_up has an unknown level {_shown(key)}; use capability, group, dimension and "
                                 "overall (and decimal_places)")
        places = value.get("decimal_places")
        if places is not None:
            if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= 6:
                self._bad("roll_up", f"roll_up decimal_places must be a whole number from 0 to 6, not {_shown(places)}")
            else:
                self.decimal_places = places
        capability = value.get("capability")
        if capability not in (CUMULATIVE, COVERAGE_SUM):
            self._bad("roll_up", f"roll_up capability must be {CUMULATIVE} or {COVERAGE_SUM}, "
                                 f"not {_shown(capability)}")
            capability = CUMULATIVE
        group, dimension, overall = (self._level(value.get(at), at) for at in ("group", "dimension", "overall"))
        return str(capability), group, dimension, overall

    def _level(self, value: Any, level: str) -> PackRollUp | None:
        if value is None:
            return None
        if value in (LOWEST, AVERAGE):
            return PackRollUp(value)
        weights = value.get(WEIGHTED, {}).get("weights") if isinstance(value, dict) and len(value) == 1 and \
            isinstance(value.get(WEIGHTED), dict) else None
        if not isinstance(weights, dict) or not weights:
            self._bad("roll_up",
                      f"roll_up {level} must be lowest, average or {{weighted: {{weights: {{id: number}}}}}}")
            return None
        found: list[tuple[str, Decimal]] = []
        for part, weight in weights.items():
            number = _decimal(weight) if not isinstance(weight, bool) else None
            if number is None or number < 0:
                self._bad("roll_up", f"roll_up {level}: the weight of {_shown(part)} must be a number of at least 0, "
                                     f"not {_shown(weight)}")
                continue
            found.append((str(part), number))
        if found and not any(w > 0 for _, w in found):
            self._bad("roll_up", f"roll_up {level}: at least one weight must be above 0")
        return PackRollUp(WEIGHTED, tuple(found))

    def _namespaces(self, value: Any) -> tuple[str, str]:
        if value is not None and (not isinstance(value, str) or not ABSOLUTE_IRI.fullmatch(value)
                                  or value[-1] not in "/#"):
            self._bad("namespace", f"namespace must be an http(s) IRI ending in / or #, not {_shown(value)}")
            value = None
        if value is not None:
            return value, value.rstrip("/#") + "/shapes/"
        return f"{BASE}framework/{self.id}/{self.version}/", f"{BASE}shapes/{self.id}/{self.version}/"

    # -- what needs the sheet

    def cross_check(self, sheet: _Sheet) -> None:
        """Roll-up weights name the parts the sheet defines; a stage above the baseline has requirements."""
        if self.group_roll_up is not None and not sheet.groups:
            self._bad("roll_up", "roll_up group needs capability groups: fill the sheet's group column")
        if sheet.groups and self.group_roll_up is None:
            self._bad("roll_up", "the sheet groups capabilities (its group column) but roll_up gives no group roll-up")
        dimension_parts = (set(sheet.groups), "group") if self.group_roll_up is not None else \
            (set(sheet.capabilities), "capability")
        for level, rule, parts, kind in (
                ("group", self.group_roll_up, set(sheet.capabilities), "capability"),
                ("dimension", self.dimension_roll_up, *dimension_parts),
                ("overall", self.overall_roll_up, set(sheet.dimensions) | set(sheet.capabilities),
                 "dimension or capability")):
            if rule is None or rule.method != WEIGHTED:
                continue
            named = [part for part, _ in rule.weights]
            for part in named:
                if part not in parts:
                    self._bad("roll_up", f"roll_up {level} weighs {_shown(part)}, which is no {kind} id of the sheet "
                                         f"(ids: {', '.join(sorted(parts))})")
            if level == "overall" and named and set(named) <= parts:
                dims = [p for p in named if p in sheet.dimensions]
                if dims and len(dims) != len(named):
                    self._bad("roll_up", "roll_up overall weighs dimensions and capabilities together; weigh one kind")
                whole = set(sheet.dimensions) if dims else set(sheet.capabilities)
                if missing := sorted(whole - set(named)):
                    self._bad("roll_up", f"roll_up overall gives no weight to {', '.join(missing)}; give every part "
                                         "a weight (0 leaves it out)")
            elif level != "overall" and (missing := sorted(parts - set(named))):
                self._bad("roll_up", f"roll_up {level} gives no weight to {', '.join(missing)}; give every "
                                     f"{kind} a weight (0 leaves it out)")
        self._raise()


def _shown(value: Any) -> str:
    """A value for a message: short, and never the expansion of a YAML structure (aliases can make a few lines
    of YAML stand for billions of items)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        text = repr(value)
        return text if len(text) <= 60 else text[:57] + "...'"
    return f"a {type(value).__name__}"


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


# --------------------------------------------------------------------------- the requirements sheet


class _Sheet:
    """The requirements sheet, row by row: dimensions and capabilities in first-seen order, every bad row kept."""

    def __init__(self, path: Path, stages: Sequence[PackStage]) -> None:
        from ..evidence.spreadsheet import read_csv_rows, read_xlsx_rows

        self.path = path
        self.problems: list[str] = []
        self.dimensions: dict[str, PackDimension] = {}
        self.groups: dict[str, PackGroup] = {}
        self.capabilities: dict[str, PackCapability] = {}
        self.requirements: list[PackRequirement] = []
        read = read_csv_rows if path.suffix.lower() == ".csv" else read_xlsx_rows
        sheet = read(path)
        missing = [c for c in REQUIRED_COLUMNS if c not in sheet.columns]
        if missing:
            raise InputError(f"the header lacks the column(s) {', '.join(missing)}; the columns are "
                             f"{', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}", path=path, line=1)
        for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            if sheet.columns.count(name) > 1:
                raise InputError(f"the header names the column {name} twice; keep one", path=path, line=1)
        if not sheet.rows:
            raise InputError("the sheet has no requirement rows below the header", path=path, line=2)
        self.by_stage = {s.label.lower(): s for s in stages} | {str(s.rank): s for s in stages}
        self.stages = stages
        self._labels: dict[tuple[str, str], str] = {}  # (kind, label) -> id
        self._ids: dict[str, tuple[str, str, int]] = {}  # id -> (kind, label, row)
        self._slugs: dict[str, tuple[str, int]] = {}  # IRI local name -> (what, row)
        seen: dict[str, int] = {}
        for index, row in enumerate(sheet.rows):
            self._row(sheet.number(index), {k: _cell(v) for k, v in row.items()}, seen)
        self._cells(stages)
        if self.problems:
            raise RowErrors(f"{len(self.problems)} bad row(s) in the requirements sheet", self.problems, path=path)

    def _bad(self, number: int, message: str) -> None:
        self.problems.append(f"row {number}: {message}")

    def _row(self, number: int, row: Mapping[str, str], seen: dict[str, int]) -> None:
        before = len(self.problems)
        dimension = self._part("dimension", row, number, None)
        group = self._part("group", row, number, dimension) if row.get("group") or row.get("group_id") else None
        capability = self._part("capability", row, number, dimension)
        if capability is not None and dimension is not None:
            self._grouped(capability, group, number)
        stage = self._stage(row.get("stage", ""), number)
        req_id = row.get("requirement_id", "")
        if not req_id:
            self._bad(number, "requirement_id is empty")
        elif not IDENTIFIER.fullmatch(req_id):
            self._bad(number, f"requirement_id {_shown(req_id)} must be letters, digits, '.', '_' or '-' (at most 64)")
        elif req_id in seen:
            self._bad(number, f"requirement_id {_shown(req_id)} is used again (first in row {seen[req_id]})")
        elif req_id in self._ids:
            self._bad(number, f"requirement_id {_shown(req_id)} is already the id of the {self._ids[req_id][0]} "
                              f"{_shown(self._ids[req_id][1])}")
        else:
            seen[req_id] = number
            self._claim(slug(req_id), f"requirement {req_id}", number)
        text = _clean(row.get("requirement", ""))
        if not text:
            self._bad(number, "the requirement text is empty; say what must be true, in your own words")
        source_ref = _clean(row.get("source_ref", ""))
        if not source_ref:
            self._bad(number, "source_ref is empty; say where in the source this row comes from")
        measure, threshold = self._measured(row, number)
        reading = self._reading(row.get("reading", ""), threshold, number)
        concepts = self._concepts(row.get("concepts", ""), number)
        if len(self.problems) == before and dimension and capability and stage:
            self.requirements.append(PackRequirement(
                row=number, dimension=dimension, capability=capability, stage=stage, id=req_id, slug=slug(req_id),
                text=text, source_ref=source_ref, measure=measure, threshold=threshold, reading=reading,
                concepts=concepts))

    def _part(self, kind: str, row: Mapping[str, str], number: int, dimension: str | None) -> str | None:
        """The id of the row's dimension or capability, registering it the first time it is named."""
        label = _clean(row.get(kind, ""))
        given = row.get(f"{kind}_id", "")
        if not label:
            self._bad(number, f"the {kind} is empty")
            return None
        if kind != "dimension" and dimension is None:
            return None  # its dimension is already reported
        if given and not IDENTIFIER.fullmatch(given):
            self._bad(number, f"{kind}_id {_shown(given)} must be letters, digits, '.', '_' or '-' (at most 64)")
            return None
        known = self._labels.get((kind, label.lower()))
        part_id = given or known or initials(label)
        if known is not None:
            if given and given != known:
                self._bad(number, f"{kind} {_shown(label)} has the id {_shown(known)} in an earlier row, "
                                  f"{_shown(given)} here")
                return None
            first_seen = self.capabilities.get(known) if kind == "capability" else self.groups.get(known)
            if first_seen is not None and dimension and first_seen.dimension != dimension:
                self._bad(number, f"{kind} {_shown(label)} is in dimension {_shown(first_seen.dimension)} in "
                                  f"row {first_seen.row}, in {_shown(dimension)} here")
                return None
            return known
        if not part_id:
            self._bad(number, f"the {kind} {_shown(label)} gives no identifier; add a {kind}_id column")
            return None
        if part_id in self._ids:
            other_kind, other, row_of = self._ids[part_id]
            self._bad(number, f"{kind} {_shown(label)} gets the identifier {_shown(part_id)}, as the {other_kind} "
                              f"{_shown(other)} (row {row_of}) does; give each its own in a {kind}_id column")
            return None
        part_slug = slug(given or label)
        if not self._claim(part_slug, f"{kind} {_shown(label)}", number):
            return None
        self._ids[part_id] = (kind, label, number)
        self._labels[(kind, label.lower())] = part_id
        if kind == "dimension":
            self.dimensions[part_id] = PackDimension(part_id, label, part_slug, number)
        elif kind == "group":
            assert dimension is not None
            self.groups[part_id] = PackGroup(part_id, label, part_slug, number, dimension=dimension)
        else:
            assert dimension is not None
            self.capabilities[part_id] = PackCapability(part_id, label, part_slug, number, dimension=dimension)
        return part_id

    def _grouped(self, capability: str, group: str | None, number: int) -> None:
        """A capability is in one group (or none) on every row; when the sheet groups, every capability is in one."""
        cap = self.capabilities[capability]
        if cap.row == number and cap.group is None:
            self.capabilities[capability] = replace(cap, group=group)
        elif cap.group != group:
            self._bad(number, f"capability {_shown(cap.label)} is in group {_shown(cap.group)} in row {cap.row}, "
                              f"in {_shown(group)} here")

    def _claim(self, local: str, what: str, number: int) -> bool:
        """Each IRI local name belongs to one thing of the pack (with the names the builder derives from it)."""
        if not local:
            self._bad(number, f"{what} has no letters or digits to name it by")
            return False
        if RESERVED.search(local):
            self._bad(number, f"{what} would get the IRI {local!r}, a name the builder gives its own nodes; rename "
                              "it or give it an id")
            return False
        if local in self._slugs and self._slugs[local][0] != what:
            other, row_of = self._slugs[local]
            self._bad(number, f"{what} and {other} (row {row_of}) would get the same IRI {_shown(local)}; rename one")
            return False
        self._slugs[local] = (what, number)
        return True

    def _stage(self, value: str, number: int) -> int | None:
        stage = self.by_stage.get(_clean(value).lower())
        if stage is None:
            known = ", ".join(f"{s.rank} ({s.label})" for s in self.stages)
            self._bad(number, f"stage {_shown(value)} is not a stage of framework.yaml; use a rank or label: {known}")
            return None
        if stage.baseline:
            self._bad(number, f"stage {_shown(stage.label)} is the baseline, which needs no requirements")
            return None
        return stage.rank

    def _measured(self, row: Mapping[str, str], number: int) -> tuple[str | None, Decimal | None]:
        measure, threshold = _clean(row.get("measure", "")), row.get("threshold", "").strip()
        if not measure and not threshold:
            return None, None
        if not measure or not threshold:
            self._bad(number, "a measured requirement needs both a measure and a threshold")
            return None, None
        value = _decimal(threshold.rstrip("%"))
        if value is not None and threshold.endswith("%"):
            value = value / 100
        if value is None or not 0 <= value <= 1:
            self._bad(number, f"threshold {_shown(threshold)} must be a number from 0 to 1 (or a percentage)")
            return None, None
        if not slug(measure):
            self._bad(number, f"measure {_shown(measure)} has no letters or digits to name it by")
            return None, None
        return measure, value.normalize() if value != 0 else Decimal(0)

    def _reading(self, value: str, threshold: Decimal | None, number: int) -> str | None:
        """The reading a measured row's threshold comes from (docs/readings.md); the threshold must be its share."""
        name = _clean(value).lower()
        if not name:
            return None
        readings = bundled_readings()
        if threshold is None:
            self._bad(number, "reading names where a threshold comes from: give the row a measure and threshold")
            return None
        if name not in readings:
            self._bad(number, f"reading {_shown(value)} is not a reading of docs/readings.md; use one of "
                              f"{', '.join(sorted(readings))}")
            return None
        reading = readings[name]
        if reading.share != threshold:
            self._bad(number, f"threshold {threshold} is not the share of the reading {name} "
                              f"({reading.share.normalize()}); a threshold takes its reading's share")
            return None
        return reading.iri

    def _concepts(self, value: str, number: int) -> tuple[str, ...]:
        names = [n.strip() for n in value.split(";") if n.strip()]
        names = [n[4:] if n.startswith("cpt:") else n for n in names]
        unknown = [n for n in names if n not in bundled_concepts()]
        if unknown:
            self._bad(number, f"unknown concept id(s) {', '.join(map(repr, unknown))}; use the ids of the shared "
                              "concepts (ontology/concepts.ttl, cpt:<id>), separated by ';'")
            return ()
        return tuple(dict.fromkeys(names))

    def _cells(self, stages: Sequence[PackStage]) -> None:
        """Every capability needs a requirement at every stage above the baseline, or that stage is reached on
        no evidence."""
        if self.problems:
            return
        named = {**{s.id: f"stage {s.label}" for s in stages}, **{i: f"{k} {_shown(label)}"
                                                                   for i, (k, label, _) in self._ids.items()}}
        for req in self.requirements:  # identifiers are unique in a framework (duplicate-identifier)
            if req.id in named:
                self._bad(req.row, f"requirement_id {_shown(req.id)} is already the identifier of the {named[req.id]}")
        if self.groups:
            for cap in self.capabilities.values():
                if cap.group is None:
                    self._bad(cap.row, f"capability {_shown(cap.label)} has no group, and other rows give one; "
                                       "with a group column every capability needs a group")
        held = {(r.capability, r.stage) for r in self.requirements}
        for cap in self.capabilities.values():
            empty = [s.label for s in stages if not s.baseline and (cap.id, s.rank) not in held]
            if empty:
                self._bad(cap.row, f"capability {_shown(cap.label)} has no requirement at stage(s) {', '.join(empty)}; "
                                   "each stage above the baseline needs at least one")


def _cell(value: object) -> str:
    """A sheet cell as text: dates and numbers as the sheet shows them."""
    if isinstance(value, str):
        return value.strip()
    return str(value).strip()

