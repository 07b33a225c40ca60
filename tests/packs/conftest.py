"""A small internal model written from scratch as a framework pack (never a file of the repository)."""
from __future__ import annotations

from pathlib import Path

import pytest

MANIFEST = """\
id: acme-psm
label: Acme Product Security Model
version: "1.0"
licence: proprietary
publisher: Acme Ltd
source:
  url: https://intranet.example.org/psm
  title: Acme Product Security Standard v1
stages:
  - {rank: 1, label: Ad hoc, baseline: true}
  - {rank: 2, label: Managed}
  - {rank: 3, label: Measured}
roll_up:
  capability: cumulative
  dimension: lowest
  overall: {weighted: {weights: {GOV: 1, ENG: 2}}}
validity_days: 365
target: 2
"""

HEADER = ("dimension,dimension_id,capability,capability_id,stage,requirement_id,requirement,measure,threshold,"
          "concepts,source_ref")
ROWS = [
    "Governance,GOV,Security Policy,POL,Managed,POL-1,A written product security policy exists.,,,security-policy,"
    "PSS 2.1",
    "Governance,GOV,Security Policy,POL,3,POL-2,The policy is reviewed every year.,,,policy-review,PSS 2.2",
    "Governance,GOV,Training,TRN,Managed,TRN-1,Every engineer takes secure coding training.,,,,PSS 3.1",
    "Governance,GOV,Training,TRN,Measured,TRN-2,Training completion is measured.,training completion,0.9,,PSS 3.2",
    "Engineering,ENG,Code Review,CR,Managed,CR-1,Every change is reviewed before merge.,,,,PSS 4.1",
    "Engineering,ENG,Code Review,CR,Measured,CR-2,Review findings are tracked to closure.,,,,PSS 4.2",
]


def write_pack(folder: Path, *, manifest: str = MANIFEST, header: str = HEADER, rows: list[str] | None = None
               ) -> Path:
    """The pack in `folder` (created), with framework.yaml and requirements.csv as given."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "framework.yaml").write_text(manifest, encoding="utf-8")
    lines = [header, *(ROWS if rows is None else rows)]
    (folder / "requirements.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "acme-pack")
