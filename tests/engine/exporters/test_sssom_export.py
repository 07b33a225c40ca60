"""export/sssom.py: the SSSOM export passes `sssom validate` and reads back through parse_sssom."""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from maturity_graph.crosswalk.sssom import parse_sssom
from maturity_graph.exporters import export

SSSOM_CLI = Path(sys.executable).parent / "sssom"


def test_sssom_export_passes_sssom_validate(mappings, tmp_path):
    path = tmp_path / "ztmm--csmm.sssom.tsv"
    with path.open("wb") as stream:  # binary, as open_output gives
        export(mappings, "sssom", stream, source_framework="ztmm", target_framework="csmm")
    run = subprocess.run([str(SSSOM_CLI), "validate", str(path)], check=False, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "ERROR" not in run.stderr


def test_sssom_py_reads_the_header_and_extension_columns(mappings, tmp_path, caplog):
    """No undeclared metadata for sssom-py, and the extension columns declared. (sssom 0.4.21:
    strict=True cannot be used, it raises on every file whose metadata is regular, an inverted
    check; and its data frame drops extension columns, so their values are checked by our own
    parser, test_sssom_export_reads_back.)"""
    from sssom.parsers import parse_sssom_table

    path = tmp_path / "ztmm--csmm.sssom.tsv"
    with path.open("w", encoding="utf-8") as stream:
        export(mappings, "sssom", stream, source_framework="ztmm", target_framework="csmm")
    msdf = parse_sssom_table(path)
    assert "non-standard" not in caplog.text
    assert len(msdf.df) == len(mappings)
    assert [d["slot_name"] for d in msdf.metadata["extension_definitions"]] == [
        "strm_relation", "strm_rationale", "strm_strength", "review_status"
    ]


def test_sssom_export_reads_back(mappings, tmp_path):
    path = tmp_path / "x.sssom.tsv"
    buffer = io.StringIO()
    export(mappings, "sssom", buffer, source_framework="ztmm", target_framework="csmm")
    path.write_text(buffer.getvalue(), encoding="utf-8")
    parsed = parse_sssom(path)
    assert parsed.id == "https://w3id.org/maturity-graph/crosswalk/ztmm--csmm"
    assert ({(m.subject, m.object, m.relation) for m in parsed.mappings}
            == {(m.subject, m.object, m.relation) for m in mappings})
    assert {(m.relation, m.strength, m.rationale, m.review_status) for m in parsed.mappings} == {
        (m.relation, m.strength, m.rationale, m.review_status) for m in mappings
    }
    assert "Identity: Authentication at Advanced" in buffer.getvalue()
