"""Every bundled example as the evidence sets the report is rendered from, with the store each was assessed in.

examples/*/ holds Turtle evidence (assessed as is), Prowler scans (imported first, then assessed
with the folder's attestations) and spreadsheets (the same evidence as a sheet, which tests/examples
checks against the Turtle). test_every_example_file_is_rendered keeps this list complete.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import REPO

EXAMPLES = REPO / "examples"
FERNHILL_ASSESSMENT = "https://example.org/fernhill-csmm-2026-11"  # ex:fernhill-csmm-2026-11 of attestations.ttl
SCAN = "fernhill-payments/prowler-scan.ocsf.json"


@dataclass(frozen=True)
class ExampleSet:
    name: str
    files: tuple[str, ...]  # relative to examples/; a Prowler scan is imported before assessing
    frameworks: tuple[str, ...] = ()
    with_crosswalks: bool = False
    subjects: tuple[str, ...] = field(default_factory=tuple)


SETS = [
    ExampleSet("northwind", ("northwind-devices/sbd-evidence.ttl",)),
    ExampleSet("lakeview-q1", ("lakeview-agency/ztmm-2026q1.ttl",)),
    ExampleSet("lakeview-q3", ("lakeview-agency/ztmm-2026q3.ttl",)),
    ExampleSet("alder-q1", ("alder-robotics/portfolio-2026q1.ttl",)),
    ExampleSet("alder-q3", ("alder-robotics/portfolio-2026q3.ttl",)),
    ExampleSet("brightwater", ("brightwater-health/ctemmm-evidence.ttl",)),
    ExampleSet("kestrel", ("kestrel-logistics/cnamm-evidence.ttl",)),
    ExampleSet("kestrel-weighted", ("kestrel-logistics/cnamm-evidence.ttl", "kestrel-logistics/cnamm-weighted.ttl")),
    ExampleSet("harbour-lane", ("harbour-lane-software/samm-evidence.ttl",)),
    ExampleSet("fernhill-csmm", (SCAN, "fernhill-payments/attestations.ttl"), frameworks=("csmm",)),
    ExampleSet("fernhill-ztmm-crosswalks", (SCAN, "fernhill-payments/attestations.ttl"), frameworks=("ztmm",),
               with_crosswalks=True),
]

# Sheets hold the same evidence as the Turtle beside them (tests/examples compares the two).
SHEETS = ("*.xlsx", "*.csv")


def evidence_paths(example: ExampleSet, folder: Path) -> list[Path]:
    """The files to assess: Turtle as it is, a Prowler scan imported into `folder` first."""
    from maturity_graph import import_prowler

    paths = []
    for name in example.files:
        if name == SCAN:
            out = folder / "scan.ttl"
            import_prowler(EXAMPLES / name, framework="csmm", assessment=FERNHILL_ASSESSMENT).graph.serialize(
                out, format="turtle")
            paths.append(out)
        else:
            paths.append(EXAMPLES / name)
    return paths


HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror=window.__pwned=2><b>bold</b>'


def hostile_evidence(folder: Path) -> Path:
    """The Northwind example with markup and a script in its organisation, assessment and item labels."""
    text = (EXAMPLES / "northwind-devices" / "sbd-evidence.ttl").read_text(encoding="utf-8")
    for label in ("Northwind Devices Ltd", "Northwind Devices, Secure-by-Design self-assessment, Q1 2026",
                  "Firmware hardening checklist"):
        assert f'"{label}"' in text
        text = text.replace(f'"{label}"', f'"{label} {HOSTILE}"')
    path = folder / "hostile.ttl"
    path.write_text(text, encoding="utf-8")
    return path
