"""Large Prowler scans made from the Fernhill example, for the streaming and memory tests.

Each finding of examples/fernhill-payments/prowler-scan.ocsf.json is copied over many accounts,
with its account, resource and finding uid rewritten, so the scan looks like one of an estate.
Written a finding at a time, so making a large file takes no more memory than reading a small one.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

from tests.conftest import REPO

EXAMPLE = REPO / "examples" / "fernhill-payments" / "prowler-scan.ocsf.json"


def write_ocsf_scan(path: Path, findings: int, *, indent: int | None = 4) -> int:
    """Write an OCSF JSON array of `findings` findings to `path`; return its size in bytes."""
    templates = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for index in range(findings):
            record = copy.deepcopy(templates[index % len(templates)])
            account = f"{100000000000 + index // len(templates):012d}"
            record["cloud"]["account"]["uid"] = account
            record["finding_info"]["uid"] = f"{record['finding_info']['uid']}-{index}"
            for resource in record.get("resources", []):
                resource["uid"] = f"{resource.get('uid', '')}:{account}"
            out.write(",\n" if index else "\n")
            out.write(json.dumps(record, indent=indent))
        out.write("\n]\n")
    return path.stat().st_size
