"""The server's pieces (engine/dataset_server.py): the address it binds, and finding a server that reads our store."""
from __future__ import annotations

import socket
import sys
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maturity_graph import InputError, MaturityGraphError
from maturity_graph.dataset_server import Address, check_versions, oxigraph_command


@given(st.ip_addresses())
@settings(max_examples=60, deadline=None)
def test_any_ip_address_binds_as_oxigraph_reads_it(ip):
    address = Address.parse(str(ip), 7878)
    assert address.loopback == ip.is_loopback
    assert address.bind == (f"[{ip}]:7878" if ip.version == 6 else f"{ip}:7878")
    assert address.base_url.startswith("http://") and address.base_url.endswith(":7878")


@given(st.text(max_size=40))
@settings(max_examples=100, deadline=None)
def test_any_other_bind_text_is_one_input_error(text):
    try:
        address = Address.parse(text, 7878)
    except InputError as err:
        assert "--bind" in str(err) and "\n" not in str(err).replace(text, "")
    else:
        assert address.host in (text.strip().strip("[]"), "127.0.0.1")


def test_localhost_is_loopback_and_the_any_address_is_not():
    assert Address.parse("localhost", 80).loopback
    assert Address.parse("::1", 80).base_url == "http://[::1]:80"
    anywhere = Address.parse("0.0.0.0", 8000)
    assert not anywhere.loopback and anywhere.base_url == "http://127.0.0.1:8000"
    with pytest.raises(InputError, match="not between 1 and 65535"):
        Address.parse("127.0.0.1", 0)


def test_a_port_something_listens_on_is_refused_without_connecting_to_it(listener):
    with pytest.raises(InputError, match=f"port {listener.port} on 127.0.0.1 is in use; choose another with --port"):
        Address.parse("127.0.0.1", listener.port).check_free()
    assert listener.count == 0


def test_a_free_port_passes():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    Address.parse("127.0.0.1", port).check_free()


def fake_server(folder: Path, version: str) -> str:
    command = folder / "oxigraph"
    command.write_text(f"#!/bin/sh\necho 'oxigraph {version}'\n", encoding="utf-8")
    command.chmod(0o755)
    return str(command)


def test_a_server_of_another_release_series_is_refused_naming_the_extra(tmp_path):
    major, minor = pyoxigraph.__version__.split(".")[:2]
    with pytest.raises(MaturityGraphError, match=r"install matching versions with pip install '.*\[serve\]'"):
        check_versions(fake_server(tmp_path, f"{major}.{int(minor) + 1}.0"))
    assert check_versions(fake_server(tmp_path, f"{major}.{minor}.99")) == f"{major}.{minor}.99"


def test_a_missing_server_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(MaturityGraphError, match=r"needs the Oxigraph server, .*pip install 'maturity-graph\[serve\]'"):
        oxigraph_command()
