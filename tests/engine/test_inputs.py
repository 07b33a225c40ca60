"""Input files (issue 8, item 6): regular files only, under a size limit, for every importer and loader."""
from __future__ import annotations

import os
import threading

import pytest

from maturity_graph import load_evidence
from maturity_graph.errors import InputError
from maturity_graph.evidence.prowler import parse_prowler
from maturity_graph.evidence.spreadsheet import import_sheet
from maturity_graph.inputs import LIMIT_ENV, MIB, read_input, size_limit

READERS = {
    "evidence.ttl": lambda p: load_evidence([p]),
    "sheet.csv": import_sheet,
    "sheet.xlsx": import_sheet,
    "scan.json": parse_prowler,
}


@pytest.mark.parametrize("name", sorted(READERS))
def test_a_device_is_refused_before_reading(tmp_path, name):
    """A symlink to /dev/zero never ends (was MemoryError); /dev/null stands in for it here."""
    link = tmp_path / name
    link.symlink_to("/dev/null")
    with pytest.raises(InputError, match="not a regular file") as info:
        READERS[name](link)
    assert str(link) in str(info.value)


@pytest.mark.parametrize("name", sorted(READERS))
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)

    def unblock() -> None:  # should a reader wait for a writer, this makes the test fail instead of hang
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass

    timer = threading.Timer(5, unblock)
    timer.start()
    try:
        with pytest.raises(InputError, match="not a regular file"):
            READERS[name](fifo)
    finally:
        timer.cancel()


@pytest.mark.parametrize("name", sorted(READERS))
def test_a_file_over_the_limit_is_refused_naming_the_limit(tmp_path, monkeypatch, name):
    path = tmp_path / name
    path.write_bytes(b" " * (2 * MIB))
    monkeypatch.setenv(LIMIT_ENV, "1")
    with pytest.raises(InputError, match=rf"2\.0 MiB, over the 1\.0 MiB limit .*{LIMIT_ENV}"):
        READERS[name](path)


def test_missing_and_directory(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_input(tmp_path / "nope.ttl", limit=10, what="an RDF file")
    with pytest.raises(InputError, match="is a directory"):
        read_input(tmp_path, limit=10, what="an RDF file")


def test_the_limit_is_exact(tmp_path):
    path = tmp_path / "x"
    path.write_bytes(b"12345")
    assert read_input(path, limit=5, what="x") == b"12345"
    with pytest.raises(InputError):
        read_input(path, limit=4, what="x")


def test_the_environment_raises_the_limit(monkeypatch):
    monkeypatch.delenv(LIMIT_ENV, raising=False)
    assert size_limit(7) == 7
    monkeypatch.setenv(LIMIT_ENV, "512")
    assert size_limit(7) == 512 * MIB
    for bad in ("0", "-1", "lots"):
        monkeypatch.setenv(LIMIT_ENV, bad)
        with pytest.raises(InputError, match=LIMIT_ENV):
            size_limit(7)
