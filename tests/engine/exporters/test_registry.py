"""export/__init__.py: the registry of formats."""
from __future__ import annotations

import io

import pytest

from maturity_graph.errors import InputError, UnknownFrameworkError
from maturity_graph.exporters import EXPORTERS, export
from maturity_graph.exporters.interface import Exporter


def test_registry_names_every_format():
    assert list(EXPORTERS) == ["sssom", "oscal", "csv", "turtle", "jsonld"]
    for name, exporter in EXPORTERS.items():
        assert isinstance(exporter, Exporter) and exporter.name == name
        assert exporter.media_type and exporter.suffix.startswith(".")


def test_unknown_format_and_framework(mappings):
    with pytest.raises(InputError, match="unknown export format"):
        export(mappings, "xlsx", io.StringIO(), source_framework="ztmm", target_framework="csmm")
    with pytest.raises(UnknownFrameworkError):
        export(mappings, "csv", io.StringIO(), source_framework="nist", target_framework="csmm")


@pytest.mark.parametrize("fmt", list(EXPORTERS))
def test_binary_and_text_streams_get_the_same_output(mappings, fmt):
    text, binary = io.StringIO(), io.BytesIO()
    export(mappings, fmt, text, source_framework="ztmm", target_framework="csmm")
    export(mappings, fmt, binary, source_framework="ztmm", target_framework="csmm")
    assert binary.getvalue().decode("utf-8") == text.getvalue()
