"""Reading RDF (issue 8, items 6 and 10): a byte-order mark is skipped, an oversized term is an InputError."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from maturity_graph import assess, load_evidence
from maturity_graph.errors import InputError
from maturity_graph.rdf import OXIGRAPH_TOKEN_LIMIT, parse_triples
from tests.conftest import REPO

NORTHWIND = REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl"


def test_a_turtle_file_with_a_byte_order_mark_is_read(tmp_path):
    """Was refused: '\\ufeff is not a valid subject'. Windows editors write the mark."""
    path = tmp_path / "bom.ttl"
    path.write_bytes(b"\xef\xbb\xbf" + NORTHWIND.read_bytes())
    assert len(load_evidence([path]).graph) == len(load_evidence([NORTHWIND]).graph)
    assert assess([path]).framework("sbd") is not None


@pytest.mark.parametrize("fmt", [ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.JSON_LD])
def test_every_syntax_skips_the_mark(fmt):
    data = {
        ox.RdfFormat.TURTLE: b"<urn:a> <urn:b> 'c' .",
        ox.RdfFormat.N_TRIPLES: b'<urn:a> <urn:b> "c" .\n',
        ox.RdfFormat.JSON_LD: b'{"@id": "urn:a", "urn:b": "c"}',
    }[fmt]
    assert len(parse_triples(b"\xef\xbb\xbf" + data, fmt=fmt, source="x")) == 1


def test_a_literal_over_oxigraphs_buffer_is_an_input_error(tmp_path):
    """Was MemoryError (exit 3): Oxigraph refuses a token above 16 MiB."""
    path = tmp_path / "long.ttl"
    with path.open("wb") as stream:
        stream.write(b'<urn:a> <urn:b> "')
        stream.write(b"x" * (OXIGRAPH_TOKEN_LIMIT + 1024 * 1024))
        stream.write(b'" .\n')
    with pytest.raises(InputError, match="longer than the parser's limit of 16 MiB") as info:
        load_evidence([path])
    assert str(path) in str(info.value)
