"""Broken framework packs (issue 12): `mgraph framework build|check` on each is exit 2 with one line naming the
file and the line or row, never an internal error, and nothing is written."""
from __future__ import annotations

from tests.badinput.harness import Case
from tests.packs.conftest import HEADER, MANIFEST, ROWS
from tests.packs.test_pack_crosswalk_check import sssom


def _sheet(rows: list[str], header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def _manifest(old: str, new: str) -> str:
    assert old in MANIFEST, old
    return MANIFEST.replace(old, new, 1)


def _row(index: int, cells: dict[int, str]) -> list[str]:
    parts = ROWS[index].split(",")
    for column, value in cells.items():
        parts[column] = value
    return [*ROWS[:index], ",".join(parts), *ROWS[index + 1:]]


def _with_column(name: str, values: dict[int, str]) -> str:
    """The sheet with one more column, empty but on the rows given (index into ROWS)."""
    return _sheet([f"{row},{values.get(i, '')}" for i, row in enumerate(ROWS)], f"{HEADER},{name}")


def build(case_id: str, message: str, *, manifest: str | bytes = MANIFEST, sheet: str | bytes | None = None,
          sheet_name: str = "requirements.csv", extra: dict[str, str | bytes] | None = None) -> Case:
    files: dict[str, str | bytes] = {"pack/framework.yaml": manifest,
                                     f"pack/{sheet_name}": _sheet(ROWS) if sheet is None else sheet}
    return Case(id=case_id, argv=["framework", "build", "pack", "-o", "out"], files={**files, **(extra or {})},
                message=message)


def check(case_id: str, message: str, **kwargs) -> Case:
    case = build(case_id, message, **kwargs)
    return Case(id=case.id, argv=["framework", "check", "pack"], files=case.files, message=message)


# Ten nested anchors, each nine aliases of the one before: a few lines standing for 9**10 items.
LAUGHS = ", ".join(f"&l{i} [{', '.join([f'*l{i - 1}' if i else 'lol'] * 9)}]" for i in range(10))

CASES = [
    # --- framework.yaml
    build("pack-yaml-not-yaml", r"framework\.yaml:\d+: not valid YAML", manifest="id: [acme\n"),
    build("pack-yaml-a-list", r"framework\.yaml:1: must be a YAML mapping", manifest="- id\n- label\n"),
    build("pack-yaml-not-utf8", r"framework\.yaml: not UTF-8", manifest=MANIFEST.encode() + b"\xff\xfe"),
    build("pack-yaml-bad-id", r"framework\.yaml: .*line 1: id 'ACME' must be", manifest=_manifest("acme-psm", "ACME")),
    build("pack-yaml-bundled-id", r"framework\.yaml: .*id 'ztmm' is the id of a bundled framework",
          manifest=_manifest("id: acme-psm", "id: ztmm")),
    build("pack-yaml-stage-gap", r"framework\.yaml: .*rank 4 \(Measured\) stands where rank 3",
          manifest=_manifest("{rank: 3, label: Measured}", "{rank: 4, label: Measured}")),
    build("pack-yaml-billion-laughs", r"framework\.yaml: .*line 2: label must be text, not a list",
          manifest=_manifest("label: Acme Product Security Model", f"label: [{LAUGHS}]")),
    build("pack-yaml-python-tag", r"framework\.yaml:\d+: not valid YAML",
          manifest=MANIFEST + "x: !!python/object/apply:os.system ['true']\n"),
    build("pack-yaml-capability-method", r"framework\.yaml: .*roll_up capability must be cumulative or "
          r"coverage-sum, not 'highest'", manifest=_manifest("capability: cumulative", "capability: highest")),
    build("pack-yaml-decimal-places", r"framework\.yaml: .*roll_up decimal_places must be a whole number from 0 to "
          r"6, not 9", manifest=_manifest("capability: cumulative", "capability: cumulative\n  decimal_places: 9")),
    build("pack-yaml-attribution-without-licence-url", r"framework\.yaml: .*give the licence's terms as licence_url",
          manifest=_manifest("licence: proprietary", "licence: proprietary\nattribution: Acme Ltd")),
    build("pack-yaml-group-roll-up-without-groups", r"framework\.yaml: .*roll_up group needs capability groups",
          manifest=_manifest("capability: cumulative", "capability: cumulative\n  group: average")),
    # --- the sheet
    build("pack-sheet-missing", r"pack: no requirements sheet", sheet="", sheet_name="notes.txt"),
    build("pack-sheet-missing-column", r"requirements\.csv:1: the header lacks the column\(s\) source_ref",
          sheet=_sheet([r.rsplit(",", 1)[0] for r in ROWS], HEADER.rsplit(",", 1)[0])),
    build("pack-sheet-unknown-stage", r"requirements\.csv: .*row 3: stage 'Optimised' is not a stage",
          sheet=_sheet(_row(1, {4: "Optimised"}))),
    build("pack-sheet-duplicate-id", r"requirements\.csv: .*row 7: requirement_id 'POL-1' is used again",
          sheet=_sheet(_row(5, {5: "POL-1"}))),
    build("pack-sheet-bad-threshold", r"requirements\.csv: .*row 5: threshold 'lots' must be",
          sheet=_sheet(_row(3, {8: "lots"}))),
    build("pack-sheet-unknown-concept", r"requirements\.csv: .*row 2: unknown concept id\(s\) 'mfa-everywhere'",
          sheet=_sheet(_row(0, {9: "mfa-everywhere"}))),
    build("pack-sheet-empty-text", r"requirements\.csv: .*row 4: the requirement text is empty",
          sheet=_sheet(_row(2, {6: ""}))),
    build("pack-sheet-not-utf8", r"requirements\.csv:\d+: the file is not UTF-8",
          sheet=_sheet(ROWS).encode() + b"\xff\n"),
    build("pack-sheet-xlsx-not-a-workbook", r"requirements\.xlsx: the file is not an Excel workbook",
          sheet=b"dimension,capability\n", sheet_name="requirements.xlsx"),
    build("pack-sheet-unknown-reading", r"requirements\.csv: .*row 5: reading 'mostly' is not a reading",
          sheet=_with_column("reading", {3: "mostly"})),
    build("pack-sheet-reading-not-its-share", r"requirements\.csv: .*row 5: threshold 0\.9 is not the share of the "
          r"reading all", sheet=_with_column("reading", {3: "all"})),
    build("pack-sheet-reading-without-threshold", r"requirements\.csv: .*row 2: reading names where a threshold",
          sheet=_with_column("reading", {0: "all"})),
    build("pack-sheet-groups-without-group-roll-up", r"framework\.yaml: .*the sheet groups capabilities",
          sheet=_with_column("group", {i: "Governance practices" if i < 4 else "Engineering practices"
                                       for i in range(len(ROWS))})),
    build("pack-sheet-capability-without-group", r"requirements\.csv: .*row 6: capability 'Code Review' has no group",
          sheet=_with_column("group", dict.fromkeys(range(4), "Governance practices")),
          manifest=_manifest("capability: cumulative", "capability: cumulative\n  group: average")),
    build("pack-sheet-only-header", r"requirements\.csv:2: the sheet has no requirement rows", sheet=HEADER + "\n"),
    # --- where to build, and what to check
    Case(id="pack-build-into-the-pack", argv=["framework", "build", "pack", "-o", "pack"],
         files={"pack/framework.yaml": MANIFEST, "pack/requirements.csv": _sheet(ROWS)},
         message=r"pack: the output folder is the pack itself"),
    Case(id="pack-build-into-a-full-folder", argv=["framework", "build", "pack", "-o", "notes"],
         files={"pack/framework.yaml": MANIFEST, "pack/requirements.csv": _sheet(ROWS), "notes/a.txt": "mine"},
         message=r"notes: the output folder is not empty and holds no built pack"),
    Case(id="pack-check-neither", argv=["framework", "check", "notes"], files={"notes/a.txt": "mine"},
         message=r"notes: neither a framework pack"),
    Case(id="pack-check-built-bad-turtle", argv=["framework", "check", "built"],
         files={"built/ontology/frameworks/x.ttl": "@prefix : <urn:x#> .\n:a :b \n"},
         message=r"x\.ttl"),
    check("pack-check-bad-row", r"requirements\.csv: .*row 2: stage 'Ad hoc' is the baseline",
          sheet=_sheet(_row(0, {4: "Ad hoc"}))),
    # --- the pack's crosswalks: a file that is not SSSOM (an unknown relation) is bad input, named with its line
    check("pack-check-crosswalk-not-sssom",
          r"pack/crosswalks/acme-psm--sbd\.sssom\.tsv:17: strm_relation 'kinda' is not one of",
          extra={"pack/crosswalks/acme-psm--sbd.sssom.tsv": sssom([("acme-psm:pol-stage-2", "kinda",
                                                                   "sbd:security-policy-ownership-level-2")])}),
]
