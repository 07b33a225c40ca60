"""engine/packs/reader.py: a pack is read whole, and every mistake is reported at once with its file and row."""
from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from maturity_graph import InputError, MaturityGraphError, RowErrors, is_built, is_pack, read_pack
from tests.packs.conftest import HEADER, MANIFEST, ROWS, write_pack


def _errors(folder: Path) -> RowErrors:
    with pytest.raises(RowErrors) as caught:
        read_pack(folder)
    return caught.value


def test_reads_the_small_model(pack_dir: Path) -> None:
    pack = read_pack(pack_dir)
    assert (pack.id, pack.version, pack.target) == ("acme-psm", "1.0", 2)
    assert [d.id for d in pack.dimensions] == ["GOV", "ENG"]
    assert [(c.id, c.dimension) for c in pack.capabilities] == [("POL", "GOV"), ("TRN", "GOV"), ("CR", "ENG")]
    assert [s.baseline for s in pack.stages] == [True, False, False]
    assert [r.row for r in pack.requirements] == [2, 3, 4, 5, 6, 7]
    measured = [r for r in pack.requirements if r.threshold is not None]
    assert [(r.id, r.measure, r.threshold) for r in measured] == [("TRN-2", "training completion", Decimal("0.9"))]
    assert pack.overall_roll_up is not None and dict(pack.overall_roll_up.weights) == {"GOV": 1, "ENG": 2}
    assert pack.requirements[0].concepts == ("security-policy",)


def test_identifiers_derived_from_labels(tmp_path: Path) -> None:
    header = "dimension,capability,stage,requirement_id,requirement,source_ref"
    rows = [
        "Secure Engineering,Code Review Practice,2,CR-1,Changes are reviewed.,s1",
        "Secure Engineering,Code Review Practice,3,CR-2,Reviews are measured.,s2",
    ]
    manifest = MANIFEST.replace("  overall: {weighted: {weights: {GOV: 1, ENG: 2}}}\n", "  overall: average\n")
    pack = read_pack(write_pack(tmp_path / "p", manifest=manifest, header=header, rows=rows))
    assert [(d.id, d.slug) for d in pack.dimensions] == [("SE", "secure-engineering")]
    assert [(c.id, c.slug) for c in pack.capabilities] == [("CRP", "code-review-practice")]


def test_xlsx_sheet(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p")
    (folder / "requirements.csv").unlink()
    book = Workbook()
    sheet = book.active
    for line in [HEADER, *ROWS]:
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    (folder / "requirements.xlsx").write_bytes(buffer.getvalue())
    pack = read_pack(folder)
    assert pack.sheet.name == "requirements.xlsx"
    assert len(pack.requirements) == 6 and pack.requirements[3].threshold == Decimal("0.9")


def test_is_pack_and_is_built(pack_dir: Path, tmp_path: Path) -> None:
    assert is_pack(pack_dir) and not is_built(pack_dir)
    assert not is_pack(tmp_path / "nothing")


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("id: acme-psm", "id: Acme_PSM", r"line 1: id 'Acme_PSM' must be"),
    ("id: acme-psm", "id: sbd", r"line 1: id 'sbd' is the id of a bundled framework"),
    ("id: acme-psm", "id: samm", r"line 1: id 'samm' is the id of a bundled framework"),
    ("id: acme-psm", "id: ev", r"line 1: id 'ev' is a prefix of the project's prefix table"),
    ("id: acme-psm", "id: mm", r"line 1: id 'mm' is a prefix of the project's prefix table"),
    ("  - {rank: 3, label: Measured}", "  - {rank: 4, label: Measured}", r"rank 4 \(Measured\) stands where rank 3"),
    ("  - {rank: 2, label: Managed}", "  - {rank: 2, label: Managed, baseline: true}", r"only the first stage"),
    ("validity_days: 365", "validity_days: 0", r"line 17: validity_days must be"),
    ("target: 2", "target: 7", r"line 18: target must be the rank"),
    ("  capability: cumulative", "  capability: highest", r"roll_up capability must be cumulative"),
    ('version: "1.0"', "version: 1.0", r"line 3: version must be text"),
    ("licence: proprietary\n", "licence: proprietary\ncolour: blue\n", r"unknown field 'colour'"),
    ("  overall: {weighted: {weights: {GOV: 1, ENG: 2}}}", "  overall: {weighted: {weights: {GOV: 1, OPS: 2}}}",
     r"weighs 'OPS', which is no dimension or capability id"),
    ("  overall: {weighted: {weights: {GOV: 1, ENG: 2}}}", "  overall: {weighted: {weights: {GOV: 1, ENG: x}}}",
     r"the weight of 'ENG' must be a number"),
])
def test_manifest_errors_name_the_line(pack_dir: Path, old: str, new: str, expected: str) -> None:
    assert old in MANIFEST
    write_pack(pack_dir, manifest=MANIFEST.replace(old, new))
    error = _errors(pack_dir)
    assert error.path == str(pack_dir / "framework.yaml")
    assert any(re.search(expected, row) for row in error.rows), error.rows


def test_a_bundled_id_is_one_problem(pack_dir: Path) -> None:
    """`samm` is a bundled id and a prefix of the table: said once, as the clash with the bundled model."""
    write_pack(pack_dir, manifest=MANIFEST.replace("id: acme-psm", "id: samm"))
    assert [row for row in _errors(pack_dir).rows if "samm" in row] == [
        "line 1: id 'samm' is the id of a bundled framework; choose another"]


def test_manifest_reports_every_problem_at_once(pack_dir: Path) -> None:
    manifest = MANIFEST.replace("id: acme-psm", "id: X").replace("validity_days: 365", "validity_days: -1")
    write_pack(pack_dir, manifest=manifest.replace("licence: proprietary\n", ""))
    rows = _errors(pack_dir).rows
    assert len(rows) == 3, rows
    assert {r.split(":")[0] for r in rows} >= {"line 1", "line 16"}
    assert any("'licence' is missing" in r for r in rows)


def _row(cells: dict[int, str], base: str = ROWS[0]) -> str:
    parts = base.split(",")
    for index, value in cells.items():
        parts[index] = value
    return ",".join(parts)


# Each planted mistake, the sheet row it is in, and what the message must say.
SHEET_ERRORS = [
    ("bad-id", {5: "POL 1"}, 2, r"requirement_id 'POL 1' must be"),
    ("stage-unknown", {4: "Optimised"}, 2, r"stage 'Optimised' is not a stage of framework.yaml"),
    ("stage-baseline", {4: "Ad hoc"}, 2, r"stage 'Ad hoc' is the baseline"),
    ("threshold-above-1", {7: "availability", 8: "1.5"}, 2, r"threshold '1.5' must be a number from 0 to 1"),
    ("threshold-not-number", {7: "availability", 8: "most"}, 2, r"threshold 'most'"),
    ("threshold-without-measure", {8: "0.5"}, 2, r"needs both a measure and a threshold"),
    ("unknown-concept", {9: "security-policy;no-such-concept"}, 2, r"unknown concept id\(s\) 'no-such-concept'"),
    ("empty-text", {6: "  "}, 2, r"the requirement text is empty"),
    ("empty-source-ref", {10: ""}, 2, r"source_ref is empty"),
    ("bad-capability-id", {3: "P O L"}, 2, r"capability_id 'P O L' must be"),
    ("id-takes-a-built-name", {5: "POL-stage-2"}, 2, r"requirement POL-stage-2 would get the IRI 'pol-stage-2', a "
                                                     r"name the builder gives its own nodes"),
    ("id-takes-a-shape-name", {5: "TLS-VALUE"}, 2, r"would get the IRI 'tls-value'"),
]


@pytest.mark.parametrize(("name", "cells", "row", "expected"), SHEET_ERRORS, ids=[e[0] for e in SHEET_ERRORS])
def test_sheet_error_names_its_row(pack_dir: Path, name: str, cells: dict[int, str], row: int, expected: str) -> None:
    write_pack(pack_dir, rows=[_row(cells), *ROWS[1:]])
    error = _errors(pack_dir)
    assert error.path == str(pack_dir / "requirements.csv")
    assert len(error.rows) == 1, error.rows
    assert error.rows[0].startswith(f"row {row}: "), error.rows
    assert re.search(expected, error.rows[0]), error.rows


def test_duplicate_requirement_id_names_both_rows(pack_dir: Path) -> None:
    write_pack(pack_dir, rows=[*ROWS, _row({5: "CR-1"}, ROWS[4])])
    (row,) = _errors(pack_dir).rows
    assert row == "row 8: requirement_id 'CR-1' is used again (first in row 6)"


def test_every_bad_row_is_reported_at_once(pack_dir: Path) -> None:
    rows = [_row({4: "Optimised"}), ROWS[1], _row({6: ""}, ROWS[2]), *ROWS[3:], _row({5: "POL-1"}, ROWS[4])]
    write_pack(pack_dir, rows=rows)
    reported = _errors(pack_dir).rows
    assert [r.split(":")[0] for r in reported] == ["row 2", "row 4", "row 8"]


def test_requirement_id_taken_by_a_later_dimension(pack_dir: Path) -> None:
    ops = {0: "Operations Center", 1: "", 2: "Runbooks", 3: "RB"}
    write_pack(pack_dir, rows=[_row({5: "OC"}), *ROWS[1:], _row({**ops, 4: "2", 5: "RB-1"}),
                               _row({**ops, 4: "3", 5: "RB-2"})])
    assert _errors(pack_dir).rows == (
        "row 2: requirement_id 'OC' is already the identifier of the dimension 'Operations Center'",)


def test_capability_in_two_dimensions(pack_dir: Path) -> None:
    write_pack(pack_dir, rows=[*ROWS, _row({0: "Engineering", 1: "ENG", 5: "POL-9"})])
    (row,) = _errors(pack_dir).rows
    assert row.startswith("row 8: capability 'Security Policy' is in dimension 'GOV' in row 2")


def test_stage_without_requirement_names_the_capability_row(pack_dir: Path) -> None:
    write_pack(pack_dir, rows=[r for r in ROWS if not r.startswith("Engineering,ENG,Code Review,CR,Measured")])
    (row,) = _errors(pack_dir).rows
    assert row == "row 6: capability 'Code Review' has no requirement at stage(s) Measured; each stage above the " \
                  "baseline needs at least one"


def test_derived_identifier_clash(tmp_path: Path) -> None:
    header = "dimension,capability,stage,requirement_id,requirement,source_ref"
    rows = ["Platform,Secure Build,2,A-1,x.,s", "Platform,Secure Build,3,A-2,y.,s",
            "Platform,Software Bill,2,B-1,z.,s", "Platform,Software Bill,3,B-2,w.,s"]
    manifest = MANIFEST.replace("  overall: {weighted: {weights: {GOV: 1, ENG: 2}}}\n", "")
    error = _errors(write_pack(tmp_path / "p", manifest=manifest, header=header, rows=rows))
    assert error.rows[0].startswith("row 4: capability 'Software Bill' gets the identifier 'SB', as the capability "
                                    "'Secure Build' (row 2) does")


@pytest.mark.parametrize("column", ["dimension", "stage", "requirement_id", "source_ref"])
def test_missing_required_column(pack_dir: Path, column: str) -> None:
    names = HEADER.split(",")
    keep = [i for i, name in enumerate(names) if name != column]
    rows = [",".join(r.split(",")[i] for i in keep) for r in ROWS]
    write_pack(pack_dir, header=",".join(names[i] for i in keep), rows=rows)
    with pytest.raises(InputError) as caught:
        read_pack(pack_dir)
    assert caught.value.line == 1 and f"lacks the column(s) {column}" in str(caught.value)


def test_not_a_pack(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no framework.yaml here"):
        read_pack(tmp_path)
    with pytest.raises(InputError, match="not a folder"):
        read_pack(tmp_path / "absent")


def test_yaml_syntax_error_names_the_line(pack_dir: Path) -> None:
    write_pack(pack_dir, manifest=MANIFEST.replace("target: 2", "target: [2"))
    with pytest.raises(InputError) as caught:
        read_pack(pack_dir)
    assert "not valid YAML" in str(caught.value) and caught.value.line is not None


CELL = st.one_of(st.sampled_from(["", "Managed", "3", "Ad hoc", "0.5", "1.5", "x;y", "security-policy", "POL-1",
                                  "Governance", "GOV", "\"", "é", "\x00"]),
                 st.text(max_size=12))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELL, min_size=0, max_size=13), max_size=6))
def test_reader_raises_only_its_own_errors(tmp_path: Path, rows: list[list[str]]) -> None:
    """Whatever the rows hold, the reader returns a pack or raises a MaturityGraphError, never anything else."""
    folder = tmp_path / "fuzz"
    lines = [",".join('"' + cell.replace('"', '""') + '"' for cell in row) for row in rows]
    write_pack(folder, rows=lines)
    try:
        read_pack(folder)
    except MaturityGraphError:
        pass
