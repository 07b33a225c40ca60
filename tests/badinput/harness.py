"""The bad-input corpus: hostile or broken inputs, each run through the real `mgraph` command.

A case is data: the arguments, the files to lay out, and what must happen. The runner checks what
every bad input owes the user (issue 8): the documented exit code, one readable line on stderr,
no traceback, no network connection, bounded time and memory, and inputs left as they were.
"""
from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LAUNCH = "import sys; from maturity_graph.cli import main; sys.argv[0] = 'mgraph'; main()"


@dataclass(frozen=True)
class Case:
    """One bad input. `{dir}`, `{port}` and `{repo}` in argv and file texts are filled in when run."""

    id: str
    argv: list[str]
    files: dict[str, bytes | str] = field(default_factory=dict)
    exit: int = 2
    message: str = ""
    timeout: float = 60
    max_rss_mb: int = 1500
    symlinks: dict[str, str] = field(default_factory=dict)
    make: Callable[[Path], None] | None = None


@dataclass(frozen=True)
class Outcome:
    exit: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float


class ConnectionCounter:
    """A loopback listener that accepts and counts every connection made to it."""

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._socket.settimeout(0.2)
        self.port = self._socket.getsockname()[1]
        self.count = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._socket.accept()
            except (TimeoutError, OSError):
                continue
            self.count += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._socket.close()


def _fill(text: str, folder: Path, port: int) -> str:
    return text.replace("{dir}", str(folder)).replace("{port}", str(port)).replace("{repo}", str(REPO))


def lay_out(case: Case, folder: Path, port: int) -> None:
    for name, content in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(_fill(content, folder, port), encoding="utf-8")
        else:
            path.write_bytes(content.replace(b"{port}", str(port).encode()))
    for name, target in case.symlinks.items():
        (folder / name).symlink_to(_fill(target, folder, port))
    if case.make is not None:
        case.make(folder)


def snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    """Every entry below the folder: its mode and, for regular files, a digest of its bytes."""
    seen = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        digest = ""
        if stat.S_ISREG(info.st_mode):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        elif stat.S_ISLNK(info.st_mode):
            digest = os.readlink(path)
        seen[str(path.relative_to(folder))] = (info.st_mode, digest)
    return seen


class Zygote:
    """A warm mgraph (tests/badinput/zygote.py) that runs each case in a freshly forked process."""

    def __init__(self) -> None:
        self._proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("zygote.py"))],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                      env={**os.environ, "PYTHONPATH": str(REPO)})
        assert self._proc.stdout is not None and json.loads(self._proc.stdout.readline()) == {"ready": True}

    def run(self, argv: list[str], *, cwd: Path, timeout: float) -> Outcome:
        out_path, err_path = cwd.parent / f".{cwd.name}.stdout", cwd.parent / f".{cwd.name}.stderr"
        request = {"argv": argv, "cwd": str(cwd), "out": str(out_path), "err": str(err_path), "timeout": timeout}
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(json.dumps(request) + "\n")
        self._proc.stdin.flush()
        answer = json.loads(self._proc.stdout.readline())
        return Outcome(answer["exit"], out_path.read_text(errors="replace"), err_path.read_text(errors="replace"),
                       answer["seconds"], answer["peak_rss_kb"] / 1024)

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        self._proc.wait(timeout=10)
