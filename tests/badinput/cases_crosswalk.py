"""Broken mapping files and impossible crosswalk requests (issue 8, item 10): each is exit 2 with one
line naming the file (and line) or the framework, never an internal error."""
from __future__ import annotations

import os
from pathlib import Path

from tests.badinput.harness import REPO, Case

GOOD = (REPO / "tests" / "data" / "crosswalk" / "good.sssom.tsv").read_text(encoding="utf-8")
HEADER_DATE = "# mapping_date: '2026-11-24'"
FIRST_ROW = next(line for line in GOOD.splitlines() if line.startswith("ztmm:"))
EVIDENCE = str(REPO / "examples" / "lakeview-agency" / "ztmm-2026q1.ttl")
assert HEADER_DATE in GOOD and FIRST_ROW


def header(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


def row(cells: dict[int, str] | None = None, *, raw: str | None = None) -> str:
    """The good file with its first row changed: some cells replaced, or the whole line."""
    parts = FIRST_ROW.split("\t")
    for index, value in (cells or {}).items():
        parts[index] = value
    return GOOD.replace(FIRST_ROW, raw if raw is not None else "\t".join(parts), 1)


def check(case_id: str, text: str | bytes, message: str, name: str = "m.sssom.tsv") -> Case:
    return Case(id=case_id, argv=["crosswalk", "check", name], files={name: text}, message=message)


BILLION_LAUGHS = "".join(
    f"# l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9) if i else ', '.join(['lol'] * 9)}]\n" for i in range(10)
) + ("# mapping_set_id: https://w3id.org/maturity-graph/crosswalk/x--y\n"
     "# license: https://www.apache.org/licenses/LICENSE-2.0\n# curie_map: *l9\nsubject_id\n")


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "pipe.sssom.tsv")


CASES = [
    # --- dates (item 10: used to be exit 3, "day is out of range for month")
    check("crosswalk-check-impossible-header-date", header(HEADER_DATE, "# mapping_date: 2025-02-30"),
          r"m\.sssom\.tsv:6: .*2025-02-30"),
    check("crosswalk-check-impossible-quoted-header-date", header(HEADER_DATE, "# mapping_date: '2025-02-30'"),
          r"m\.sssom\.tsv:6: .*2025-02-30"),
    check("crosswalk-check-explicit-timestamp-tag", header(HEADER_DATE, "# mapping_date: !!timestamp 2025-02-30"),
          r"m\.sssom\.tsv:\d+: .*header"),
    check("crosswalk-check-impossible-row-date", row({10: "2025-02-30"}), r"m\.sssom\.tsv:\d+: .*2025-02-30"),
    check("crosswalk-check-month-13-row-date", row({10: "2026-13-01"}), r"m\.sssom\.tsv:\d+: .*mapping_date"),
    # --- the header
    check("crosswalk-check-header-not-yaml", header("# curie_map:", "# curie_map: ["), r"m\.sssom\.tsv:\d+: .*YAML"),
    check("crosswalk-check-header-is-a-list", "# - a\n# - b\nsubject_id\n", r"m\.sssom\.tsv:1: .*mapping"),
    check("crosswalk-check-header-nested-deeply", header(HEADER_DATE, "# mapping_date: " + "[" * 20000 + "]" * 20000),
          r"m\.sssom\.tsv:\d+: .*(nested|YAML)"),
    check("crosswalk-check-header-billion-laughs", BILLION_LAUGHS, r"m\.sssom\.tsv:\d+: .*curie_map"),
    check("crosswalk-check-no-header", "subject_id\tpredicate_id\n", r"m\.sssom\.tsv:1: .*header"),
    check("crosswalk-check-empty-file", "", r"m\.sssom\.tsv:1: .*header"),
    check("crosswalk-check-header-only", GOOD.split("subject_id\t", 1)[0], r"m\.sssom\.tsv:\d+: .*column"),
    check("crosswalk-check-license-not-iri", header("# license: https://www.apache.org/licenses/LICENSE-2.0",
                                                    "# license: Apache-2.0"), r"m\.sssom\.tsv:\d+: .*license"),
    check("crosswalk-check-curie-map-rebinds-prefix",
          header("#   csmm: https://w3id.org/maturity-graph/framework/csmm/unversioned/", "#   csmm: https://example.org/"),
          r"m\.sssom\.tsv:\d+: .*prefixes\.ttl"),
    check("crosswalk-check-not-utf8", GOOD.encode("utf-8").replace(b"Devices:", b"Devices\xff:", 1),
          r"m\.sssom\.tsv: .*UTF-8"),
    check("crosswalk-check-binary", bytes(range(256)) * 8, r"m\.sssom\.tsv"),
    # --- the rows
    check("crosswalk-check-unknown-relation", row({12: "overlaps"}), r"m\.sssom\.tsv:\d+: .*overlaps"),
    check("crosswalk-check-predicate-disagrees", row({2: "skos:exactMatch"}), r"m\.sssom\.tsv:\d+: .*predicate_id"),
    check("crosswalk-check-unknown-prefix", row({4: "nist:ac-2"}), r"m\.sssom\.tsv:\d+: .*nist"),
    check("crosswalk-check-iri-not-curie", row({0: "https://example.org/x"}), r"m\.sssom\.tsv:\d+: .*CURIE"),
    check("crosswalk-check-strength-out-of-range", row({14: "11"}), r"m\.sssom\.tsv:\d+: .*strm_strength"),
    check("crosswalk-check-confidence-nan", row({9: "nan"}), r"m\.sssom\.tsv:\d+: .*confidence"),
    check("crosswalk-check-confidence-inf", row({9: "inf"}), r"m\.sssom\.tsv:\d+: .*confidence"),
    check("crosswalk-check-review-status-unknown", row({15: "approved"}), r"m\.sssom\.tsv:\d+: .*review_status"),
    check("crosswalk-check-too-many-cells", row(raw=FIRST_ROW + "\textra\tmore"), r"m\.sssom\.tsv:\d+: .*cells"),
    check("crosswalk-check-empty-subject", row({0: ""}), r"m\.sssom\.tsv:\d+: .*subject_id is empty"),
    check("crosswalk-check-duplicate-column", GOOD.replace("\tcomment\t", "\tconfidence\t", 1),
          r"m\.sssom\.tsv:\d+: .*twice"),
    Case(id="crosswalk-check-second-of-two-files-malformed",
         argv=["crosswalk", "check", "good.sssom.tsv", "bad.sssom.tsv"],
         files={"good.sssom.tsv": GOOD, "bad.sssom.tsv": row({12: "overlaps"})}, message=r"bad\.sssom\.tsv:\d+: "),
    Case(id="crosswalk-check-directory", argv=["crosswalk", "check", "folder"], make=lambda d: (d / "folder").mkdir(),
         message=r"folder"),
    Case(id="crosswalk-check-fifo", argv=["crosswalk", "check", "pipe.sssom.tsv"], make=_fifo,
         message=r"pipe\.sssom\.tsv", timeout=30),
    Case(id="crosswalk-check-symlink-to-dev-zero", argv=["crosswalk", "check", "zero.sssom.tsv"],
         symlinks={"zero.sssom.tsv": "/dev/zero"}, message=r"zero\.sssom\.tsv", timeout=30),
    # --- one framework on both sides (item 10: derive used to be exit 3)
    Case(id="crosswalk-derive-same-framework", argv=["crosswalk", "derive", "--from", "sbd", "--to", "sbd"],
         message=r"two different frameworks"),
    Case(id="crosswalk-derive-same-framework-by-version",
         argv=["crosswalk", "derive", "--from", "sbd", "--to", "sbd@2025-06-18", "-f", "json"],
         message=r"two different frameworks"),
    Case(id="crosswalk-export-same-framework",
         argv=["crosswalk", "export", "--from", "csmm", "--to", "csmm", "-f", "oscal"],
         message=r"two different frameworks"),
    Case(id="crosswalk-compose-via-the-source",
         argv=["crosswalk", "compose", "--from", "csmm", "--via", "csmm", "--to", "sbd"],
         message=r"two different frameworks"),
    Case(id="crosswalk-apply-same-framework", argv=["crosswalk", "apply", EVIDENCE, "--from", "ztmm", "--to", "ztmm"],
         message=r"two different frameworks"),
    # --- unknown frameworks
    Case(id="crosswalk-derive-unknown-framework", argv=["crosswalk", "derive", "--from", "sbd", "--to", "nist-csf"],
         message=r"unknown framework 'nist-csf'"),
    Case(id="crosswalk-derive-unknown-version",
         argv=["crosswalk", "derive", "--from", "sbd@1999-01-01", "--to", "ztmm"],
         message=r"sbd@1999-01-01"),
    Case(id="crosswalk-compose-unknown-via",
         argv=["crosswalk", "compose", "--from", "csmm", "--via", "nope", "--to", "sbd"],
         message=r"unknown framework 'nope'"),
    Case(id="crosswalk-export-unknown-framework",
         argv=["crosswalk", "export", "--from", "", "--to", "csmm", "-f", "csv"],
         message=r"unknown framework"),
    Case(id="crosswalk-apply-unknown-framework",
         argv=["crosswalk", "apply", EVIDENCE, "--from", "ztmm", "--to", "../etc"],
         message=r"unknown framework"),
]
