"""Which subject each cloud account of a scan is assessed as: the `--subject-map` file, read and checked.

A scan of an estate covers many accounts; the import assesses each account on its own. An
organisation often assesses a product or a business unit instead, drawing on several accounts
(prod and staging of one product): a CSV with the columns `account` and `subject` (and optionally
`subject_id` and `kind`) says so. Accounts mapped to one subject become one assessment of it;
accounts the file does not name keep one assessment each. The file is small and hand-written, so
it is read whole and every mistake is an InputError naming its line.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from ..errors import InputError
from ..inputs import MIB, read_input, size_limit
from .subjects import KINDS, kind_class

MAX_MAP_BYTES = 16 * MIB
COLUMNS = ("account", "subject", "subject_id", "kind")
REQUIRED = ("account", "subject")


@dataclass(frozen=True)
class SubjectSpec:
    """A subject named by the user: its label, identifier and class when given (else decided by the import)."""

    label: str
    identifier: str | None = None
    kind: URIRef | None = None

    @property
    def key(self) -> str:
        """What makes two rows the same subject: the identifier when given, else the label."""
        return self.identifier if self.identifier is not None else self.label


@dataclass(frozen=True)
class SubjectMap:
    """Account id -> the subject it is assessed as; `path` for messages."""

    path: Path
    subjects: Mapping[str, SubjectSpec]

    def get(self, account: str) -> SubjectSpec | None:
        return self.subjects.get(account)


def read_subject_map(path: str | Path) -> SubjectMap:
    """Read a subject map CSV; InputError naming the file and line for anything wrong in it."""
    path = Path(path)
    data = read_input(path, limit=size_limit(MAX_MAP_BYTES), what="a subject map (CSV)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(f"the subject map is not UTF-8 text (bad byte at offset {err.start})",
                         path=path, line=line) from None
    return parse_subject_map(text, path)


def parse_subject_map(text: str, path: Path) -> SubjectMap:
    """The subject map held in `text` (CSV, comma-delimited, a header row first)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    end = 0
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise InputError("the subject map is empty; row 1 must name the columns account and subject "
                             "(and optionally subject_id, kind)", path=path, line=1)
        names = [cell.strip().lower() for cell in header]
        unknown = [name for name in names if name not in COLUMNS]
        missing = [name for name in REQUIRED if name not in names]
        doubled = sorted({name for name in names if names.count(name) > 1})
        if unknown or missing or doubled:
            problem = (f"unknown column {unknown[0]!r:.60}" if unknown else
                       f"no column {missing[0]!r}" if missing else f"the column {doubled[0]!r} twice")
            raise InputError(f"the subject map header has {problem}; its columns are "
                             f"{', '.join(COLUMNS)} (account and subject required)", path=path, line=1)
        end = reader.line_num
        subjects: dict[str, SubjectSpec] = {}
        where: dict[str, int] = {}  # account -> its line, for messages
        seen: dict[str, tuple[SubjectSpec, int]] = {}
        for row in reader:
            line, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(names):
                raise InputError(f"the row has {len(row)} fields but the header has {len(names)}",
                                 path=path, line=line)
            cells = {name: cell.strip() for name, cell in zip(names, row, strict=True)}
            spec = _spec(cells, path, line)
            account = cells["account"]
            if account in where:
                raise InputError(f"account {account!r:.80} is mapped twice (first at line {where[account]})",
                                 path=path, line=line)
            known = seen.get(spec.key)
            if known is not None and known[0] != spec:
                raise InputError(f"subject {spec.key!r:.80} is given differently at line {known[1]} "
                                 "(the same subject needs the same subject, subject_id and kind on every row)",
                                 path=path, line=line)
            seen.setdefault(spec.key, (spec, line))
            where[account] = line
            subjects[account] = spec
    except csv.Error as err:
        raise InputError(f"the subject map cannot be read after line {end}: {err}", path=path, line=end + 1) from None
    if not subjects:
        raise InputError("the subject map has a header but maps no account", path=path)
    return SubjectMap(path, subjects)


def _spec(cells: Mapping[str, str], path: Path, line: int) -> SubjectSpec:
    for name in REQUIRED:
        if not cells[name]:
            raise InputError(f"the row has no {name}; every row maps one account to one subject", path=path, line=line)
    for name, value in cells.items():
        if not value.isprintable():
            raise InputError(f"the {name} {value!r:.60} holds a control character", path=path, line=line)
    word = cells.get("kind", "")
    kind = kind_class(word) if word else None
    if word and kind is None:
        raise InputError(f"unknown kind {word!r:.60}; known kinds: {', '.join(KINDS)}", path=path, line=line)
    return SubjectSpec(cells["subject"], cells.get("subject_id") or None, kind)
