"""A read-only SPARQL endpoint over a run's dataset: Oxigraph's own server as a child process.

The dataset (engine/dataset.py) is built into an on-disk Oxigraph store, which is then closed and
served by `oxigraph serve-read-only` (the `oxigraph` package, the `serve` extra): a real SPARQL 1.1
Protocol server whose read-only mode refuses every update, rather than an HTTP server of our own.
It listens on loopback unless told otherwise; the store lives in a temporary directory removed
when the server stops, unless the caller names a directory to keep it in.
"""
from __future__ import annotations

import ctypes
import datetime as dt
import errno
import gc
import ipaddress
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import IO, NoReturn

import pyoxigraph

from .dataset import Dataset, DatasetStore, fill_dataset
from .errors import InputError, MaturityGraphError, StoreError
from .evidence.load import EvidenceSet
from .store.loading import loadable

log = logging.getLogger(__name__)

SERVE_EXTRA = "serve"
INSTALL_HINT = f"pip install 'maturity-graph[{SERVE_EXTRA}]'"
# How long the server may take to answer its first query (it opens the store, then listens).
READY_SECONDS = 30.0
_STOP_SECONDS = 10.0
_PR_SET_PDEATHSIG = 1


class ServerStopped(MaturityGraphError):
    """The Oxigraph server ended on its own while serving."""


@dataclass(frozen=True)
class Address:
    """Where the server listens: an IP address (or localhost) and a port."""

    host: str
    port: int

    @classmethod
    def parse(cls, bind: str, port: int) -> Address:
        """An IP address or `localhost` (a host name would need a name lookup, which may use the network)."""
        if not 1 <= port <= 65535:
            raise InputError(f"port {port} is not between 1 and 65535 (--port)")
        text = bind.strip().removeprefix("[").removesuffix("]")
        if text.lower() == "localhost":
            text = "127.0.0.1"
        try:
            ipaddress.ip_address(text)
        except ValueError:
            raise InputError(f"{bind!r} is not an IP address (--bind): give one such as 127.0.0.1, ::1 or "
                             "0.0.0.0") from None
        return cls(text, port)

    @property
    def ip(self) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
        return ipaddress.ip_address(self.host)

    @property
    def loopback(self) -> bool:
        return self.ip.is_loopback

    @property
    def bind(self) -> str:
        """host:port as `oxigraph --bind` reads it (IPv6 in brackets)."""
        return f"[{self.host}]:{self.port}" if self.ip.version == 6 else f"{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The URL this machine reaches the server at (loopback for the any-address)."""
        host = self.host
        if self.ip.is_unspecified:
            host = "::1" if self.ip.version == 6 else "127.0.0.1"
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    def check_free(self) -> None:
        """Fail now, before the assessment, if something already listens there (binding connects to nothing)."""
        family = socket.AF_INET6 if self.ip.version == 6 else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
            try:
                probe.bind((self.host, self.port))
            except OSError as err:
                if err.errno == errno.EADDRINUSE:
                    raise InputError(f"port {self.port} on {self.host} is in use; choose another with --port") from None
                if err.errno == errno.EACCES:
                    raise InputError(f"port {self.port} on {self.host}: permission denied (ports below 1024 need "
                                     "privileges); choose another with --port") from None
                raise InputError(f"cannot listen on {self.bind}: {err.strerror or err} (--bind, --port)") from None


@dataclass
class ServedDataset:
    """A running server: its endpoint, its query page, and the store it serves."""

    address: Address
    store_dir: Path
    temporary: bool
    dataset: Dataset
    process: subprocess.Popen[bytes]
    log: IO[bytes]

    @property
    def endpoint(self) -> str:
        return f"{self.address.base_url}/query"

    @property
    def page(self) -> str:
        return f"{self.address.base_url}/"

    def wait(self) -> NoReturn:
        """Until SIGTERM (which ends the serve_dataset block as a normal stop), Ctrl-C (KeyboardInterrupt), or the
        server ending by itself (ServerStopped)."""
        status = self.process.wait()  # SIGTERM raises Terminated here, which serve_dataset takes as a stop
        raise ServerStopped(f"the Oxigraph server stopped by itself (exit status {status}): {_last_line(self.log)}")


class Terminated(KeyboardInterrupt):
    """SIGTERM while serve_dataset runs: before the server is ready an interruption like Ctrl-C; once it serves,
    a normal stop. Either way everything it started is cleaned up."""


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into Terminated for the block (in the main thread: only it may handle signals)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def oxigraph_command() -> str:
    """The `oxigraph` command of the `oxigraph` package: beside this Python (a virtualenv's bin) or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() and os.access(beside, os.X_OK) else shutil.which("oxigraph")
    if found is None:
        raise MaturityGraphError(f"mgraph serve needs the Oxigraph server, which is not installed: {INSTALL_HINT}")
    return found


def check_versions(command: str) -> str:
    """The server must read the store format pyoxigraph writes: both from the same Oxigraph release series."""
    try:
        answer = subprocess.run([command, "--version"], capture_output=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError) as err:
        raise MaturityGraphError(f"{command}: cannot run the Oxigraph server ({err}); reinstall it: "
                                 f"{INSTALL_HINT}") from None
    version = answer.stdout.decode(errors="replace").split()[-1] if answer.stdout.split() else "unknown"
    if _series(version) != _series(pyoxigraph.__version__):
        raise MaturityGraphError(
            f"the Oxigraph server is version {version} but pyoxigraph is {pyoxigraph.__version__}; a store one writes "
            f"is read by the other only within one release series: install matching versions with {INSTALL_HINT}")
    return version


def _series(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])


@contextmanager
def serve_dataset(evidence: EvidenceSet | Iterable[str | Path], *, bind: str = "127.0.0.1", port: int = 7878,
                  store_dir: Path | None = None, frameworks: Sequence[str] | None = None,
                  as_of: dt.date | None = None, subjects: Sequence[str] = (), with_crosswalks: bool = False,
                  engine: str = "sparql") -> Iterator[ServedDataset]:
    """Assess `evidence` into an on-disk store, serve it read-only at http://bind:port/query, and yield once it answers.

    On leaving the block the server is stopped and a temporary store removed (a `store_dir` is kept).
    """
    evidence = evidence if isinstance(evidence, EvidenceSet) else list(evidence)
    if not isinstance(evidence, EvidenceSet):
        loadable(evidence)  # a missing or unreadable file is named before anything starts
    if store_dir is not None:
        _new_store_dir(store_dir)
    address = Address.parse(bind, port)
    address.check_free()
    command = oxigraph_command()
    check_versions(command)
    temporary = store_dir is None
    with _terminate_as_interrupt():
        directory = Path(tempfile.mkdtemp(prefix="mgraph-serve-")) if store_dir is None else store_dir
        try:
            yield from _serve_in(directory, command, address, temporary, evidence, frameworks=frameworks,
                                 as_of=as_of, subjects=subjects, with_crosswalks=with_crosswalks, engine=engine)
        finally:
            if temporary:
                shutil.rmtree(directory, ignore_errors=True)


def _serve_in(directory: Path, command: str, address: Address, temporary: bool,
              evidence: EvidenceSet | list[str | Path], **selection: object) -> Iterator[ServedDataset]:
    dataset = _build(directory, evidence, **selection)
    with tempfile.TemporaryFile() as server_log:
        process = subprocess.Popen(
            [command, "serve-read-only", "--location", str(directory), "--bind", address.bind],
            stdin=subprocess.DEVNULL, stdout=server_log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent_hook())
        try:
            _wait_until_ready(address, process, server_log)
            try:
                yield ServedDataset(address, directory, temporary, dataset, process, server_log)
            except Terminated:
                pass  # SIGTERM once serving is the normal way to stop: the block ends as if it had returned
        finally:
            _stop(process)


def _new_store_dir(directory: Path) -> Path:
    """A store directory to build in: new or empty, so a store served is exactly this run's dataset."""
    if directory.exists() and not directory.is_dir():
        raise InputError("is not a directory (--store-dir)", path=directory)
    if directory.is_dir() and any(directory.iterdir()):
        raise InputError("is not empty; mgraph serve builds a new store there: give a new or empty directory "
                         "(--store-dir)", path=directory)
    return directory


def _build(directory: Path, evidence: EvidenceSet | list[str | Path], **selection: object) -> Dataset:
    """Fill the on-disk store, then close it, so the server opens a store no other process holds."""
    store = DatasetStore(directory)
    try:
        return fill_dataset(store, evidence, **selection)  # type: ignore[arg-type]  # the selection is serve_dataset's
    finally:
        store.close()
        gc.collect()  # query answers still referring to the store keep RocksDB's files open until collected


def _die_with_parent_hook() -> Callable[[], None] | None:
    """For the child, between fork and exec: Linux sends it SIGTERM if mgraph dies (even by SIGKILL), so no server
    is orphaned. prctl is looked up here, before the fork, so the child only makes the one call."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl

    def hook() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)

    return hook


def _wait_until_ready(address: Address, process: subprocess.Popen[bytes], server_log: IO[bytes]) -> None:
    """Ask ASK {} until the server answers: only then is the endpoint worth printing."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback never goes through a proxy
    probe = f"{address.base_url}/query?query=ASK%7B%7D"
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StoreError(f"the Oxigraph server could not start (exit status {process.returncode}): "
                             f"{_last_line(server_log)}")
        try:
            with opener.open(probe, timeout=1) as answer:
                answer.read()
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise StoreError(f"the Oxigraph server did not answer at {address.base_url} within {READY_SECONDS:g} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _last_line(server_log: IO[bytes]) -> str:
    """The server's last words, one line (its own error message when it fails to start)."""
    server_log.flush()
    server_log.seek(0)
    lines = [line.strip() for line in server_log.read().decode(errors="replace").splitlines() if line.strip()]
    return " ".join(lines[-1].split()) if lines else "it printed nothing"
