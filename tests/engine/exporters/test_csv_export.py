"""export/csv.py: one row per mapping, with labels and frameworks as well as ids."""
from __future__ import annotations

import csv
import io

from maturity_graph.exporters import export
from maturity_graph.exporters.csv import CSV_COLUMNS


def test_csv_has_labels_and_frameworks(mappings):
    buffer = io.StringIO()
    export(mappings, "csv", buffer, source_framework="ztmm", target_framework="csmm")
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == len(mappings)
    row = next(r for r in rows if r["subject_id"] == "ztmm:identity-authentication-advanced")
    assert row["subject_label"] == "Identity: Authentication at Advanced"
    assert row["object_label"] == "Identity & Access Management at L1 Exposed"
    assert (row["subject_framework"], row["object_framework"]) == ("ztmm@2.0", "csmm@unversioned")
    assert (row["relation"], row["strength"], row["confidence"], row["review_status"]) == (
        "subset_of", "6", "0.8", "reviewed")
    assert row["comment"].startswith("Both ask for MFA")
    assert all(r["subject_label"] and r["object_label"] for r in rows)
