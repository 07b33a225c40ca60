"""A real Oxigraph server on loopback for the remote-store tests, and a stub server for what a real one never does.

The `oxigraph` package on PyPI installs the `oxigraph` command (`oxigraph serve`); without it the
tests that need a server skip, saying so.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from maturity_graph.store import Store, open_store

STARTUP_SECONDS = 30.0


def oxigraph_binary() -> str | None:
    """The `oxigraph` command: beside this Python (a virtualenv's bin) or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    return shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def oxigraph_server(location: Path, *extra: str) -> Iterator[str]:
    """Start `oxigraph serve` on a free loopback port with its data in `location`; yield its base URL; stop it."""
    binary = oxigraph_binary()
    if binary is None:
        raise FileNotFoundError("the oxigraph command is not installed (pip install oxigraph)")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (location.parent / f"{location.name}.log").open("wb")
    process = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *extra],
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph serve exited with status {process.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1) as answer:
                answer.read()
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise RuntimeError(f"oxigraph serve did not answer at {base} within {STARTUP_SECONDS:g} s")


class Recorded:
    """What a stub server saw: each request's path, headers and body."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []


@contextmanager
def stub_server(answer: Callable[[BaseHTTPRequestHandler], tuple[int, str, bytes, dict[str, str]]]
                ) -> Iterator[tuple[str, Recorded]]:
    """A loopback HTTP server answering every POST with `answer(handler)` = (status, content type, body, headers)."""
    seen = Recorded()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            seen.requests.append((self.path, dict(self.headers.items()), body))
            status, content_type, payload, headers = answer(self)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def store_of_kind(kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """An empty store: "oxigraph" (embedded, in memory) or "endpoint" (a private Oxigraph server of its own, so
    module-scoped fixtures never share data); skips when the oxigraph command is missing."""
    if kind == "oxigraph":
        yield open_store()
        return
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph, in the test extra)")
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-private") / "data") as base:
        yield open_store(endpoint=f"{base}/query", update_endpoint=f"{base}/update")
