"""Issue 8, item 5 and part of 10: where -o writes, what it refuses, and how a failed write ends.

Devices are made with mknod inside tmp_path (char 1,3 is null, 1,7 is full), so a regression that
replaces the target with a regular file breaks a node of the test's own, never the machine's
/dev/null; the one test that touches the real /dev/null checks a private node first.
"""
from __future__ import annotations

import errno
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from maturity_graph.cli import main
from tests.conftest import REPO

MGRAPH = shutil.which("mgraph") or str(Path(sys.executable).with_name("mgraph"))
EXAMPLE = REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl"
TEMPLATE = ("evidence", "template", "--framework", "sbd")  # quick, and reads no input
HEADER = "framework,dimension,capability,"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def device(path: Path, minor: int) -> Path:
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("mknod needs root (CAP_MKNOD)")
    return path


@pytest.fixture
def evidence(tmp_path) -> Path:
    path = tmp_path / "evidence.ttl"
    path.write_bytes(EXAMPLE.read_bytes())
    return path


@pytest.fixture
def umask():
    """Set the umask for one test and put the old one back."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


# --------------------------------------------------------------------------- devices, FIFOs, sockets


def test_a_null_device_stays_a_device(capsys, tmp_path, evidence):
    null = device(tmp_path / "null", 3)
    code, out, err = run(capsys, *TEMPLATE, "-o", null)
    assert (code, out, err) == (0, "", "")
    assert stat.S_ISCHR(os.stat(null).st_mode)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_symlink_to_a_device_writes_to_the_device(capsys, tmp_path, evidence):
    null = device(tmp_path / "null", 3)
    link = tmp_path / "out.txt"
    link.symlink_to(null)
    code, _, err = run(capsys, *TEMPLATE, "-o", link)
    assert (code, err) == (0, "")
    assert link.is_symlink() and os.readlink(link) == str(null)
    assert stat.S_ISCHR(os.stat(null).st_mode)


def test_the_real_dev_null_stays_a_device(capsys, tmp_path, evidence):
    private = device(tmp_path / "null", 3)
    assert run(capsys, *TEMPLATE, "-o", private)[0] == 0
    assert stat.S_ISCHR(os.stat(private).st_mode), "a device is replaced: not trying the real /dev/null"
    code, out, err = run(capsys, *TEMPLATE, "-o", "/dev/null")
    assert (code, out, err) == (0, "", "")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_fifo_receives_the_output(capsys, tmp_path, evidence):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, out, err = run(capsys, *TEMPLATE, "-o", fifo)
    reader.join(timeout=60)
    assert (code, out, err) == (0, "", "")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert received[0].decode("utf-8").startswith(HEADER)


def test_a_full_device_is_exit_2_with_one_line(capsys, tmp_path, evidence):
    full = device(tmp_path / "full", 7)
    code, out, err = run(capsys, *TEMPLATE, "-o", full)
    assert (code, out) == (2, "")
    assert "No space left on device" in one_line(err) and str(full) in err
    assert stat.S_ISCHR(os.stat(full).st_mode)


def test_the_real_dev_full_is_exit_2(tmp_path, evidence):
    private = tmp_path / "null"
    device(private, 3)
    done = subprocess.run([MGRAPH, *TEMPLATE, "-o", str(private)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and stat.S_ISCHR(os.stat(private).st_mode), done.stderr
    done = subprocess.run([MGRAPH, *TEMPLATE, "-o", "/dev/full"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "/dev/full: cannot write the output: No space left on device" in one_line(done.stderr)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_standard_output_on_a_full_disk_is_exit_2(tmp_path):
    with open("/dev/full", "wb") as full:
        done = subprocess.run([MGRAPH, "frameworks"], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=300)
    assert done.returncode == 2
    assert "cannot write to standard output: No space left on device" in one_line(done.stderr)


def test_a_socket_is_refused(capsys, tmp_path, evidence):
    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        code, _, err = run(capsys, *TEMPLATE, "-o", path)
    finally:
        server.close()
    assert code == 2 and "socket" in one_line(err)


# --------------------------------------------------------------------------- outputs that are inputs


@pytest.mark.parametrize("how", ["same", "symlink", "hardlink", "relative"])
def test_an_output_that_is_an_input_is_refused(capsys, tmp_path, evidence, how, monkeypatch):
    before = evidence.read_bytes()
    evidence.chmod(0o640)
    target = {"same": evidence, "symlink": tmp_path / "link.ttl", "hardlink": tmp_path / "hard.ttl",
              "relative": Path("sub/../evidence.ttl")}[how]
    if how == "symlink":
        target.symlink_to(evidence)
    if how == "hardlink":
        os.link(evidence, target)
    if how == "relative":
        (tmp_path / "sub").mkdir()
        monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "assess", evidence, "-f", "json", "-o", target)
    assert code == 2 and out == ""
    line = one_line(err)
    assert "the output is the input file" in line and str(evidence) in line and str(target) in line
    assert evidence.read_bytes() == before
    assert stat.S_IMODE(evidence.stat().st_mode) == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("argv", [
    ["query", "{q}", "{ev}", "-o", "{q}"],
    ["query", "{q}", "{ev}", "-o", "{ev}"],
    ["diff", "{ev}", "{ev2}", "-o", "{ev2}"],
    ["evidence", "import", "--from", "prowler", "{scan}", "-o", "{scan}"],
    ["crosswalk", "apply", "{ev}", "--from", "sbd", "--to", "ztmm", "-o", "{ev}"],
], ids=["query-file", "query-evidence", "diff", "evidence-import", "crosswalk-apply"])
def test_every_command_refuses_its_inputs(capsys, tmp_path, evidence, argv):
    files = {"ev": evidence, "ev2": tmp_path / "ev2.ttl", "q": tmp_path / "q.rq", "scan": tmp_path / "scan.json"}
    files["ev2"].write_bytes(EXAMPLE.read_bytes())
    files["q"].write_text("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    files["scan"].write_bytes((REPO / "examples" / "fernhill-payments" / "prowler-scan.ocsf.json").read_bytes())
    before = {name: path.read_bytes() for name, path in files.items()}
    code, _, err = run(capsys, *[a.format(**files) for a in argv])
    assert code == 2
    assert "the output is the input file" in one_line(err)
    assert {name: path.read_bytes() for name, path in files.items()} == before


# --------------------------------------------------------------------------- standard output


def test_dash_is_standard_output(capsys, tmp_path, evidence, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *TEMPLATE, "-o", "-")
    assert (code, err) == (0, "")
    assert out.startswith(HEADER)
    assert not (tmp_path / "-").exists()


def test_a_file_named_dash_is_dot_slash_dash(capsys, tmp_path, evidence, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, *TEMPLATE, "-o", "./-")
    assert (code, out) == (0, "")
    assert (tmp_path / "-").read_text(encoding="utf-8").startswith(HEADER)


# --------------------------------------------------------------------------- modes and replacement


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_honours_the_umask(capsys, tmp_path, evidence, umask, mask, mode):
    umask(mask)
    out_file = tmp_path / "out.txt"
    assert run(capsys, *TEMPLATE, "-o", out_file)[0] == 0
    assert stat.S_IMODE(out_file.stat().st_mode) == mode


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o755])
def test_a_replaced_file_keeps_its_mode(capsys, tmp_path, evidence, umask, mode):
    umask(0o077)
    out_file = tmp_path / "out.txt"
    out_file.write_text("old\n", encoding="utf-8")
    out_file.chmod(mode)
    assert run(capsys, *TEMPLATE, "-o", out_file)[0] == 0
    assert stat.S_IMODE(out_file.stat().st_mode) == mode
    assert out_file.read_text(encoding="utf-8").startswith(HEADER)


def test_a_symlink_to_a_file_replaces_the_file_and_keeps_the_link(capsys, tmp_path, evidence):
    (tmp_path / "reports").mkdir()
    real = tmp_path / "reports" / "2026.txt"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "latest.txt"
    link.symlink_to(Path("reports") / "2026.txt")
    assert run(capsys, *TEMPLATE, "-o", link)[0] == 0
    assert link.is_symlink() and os.readlink(link) == os.path.join("reports", "2026.txt")
    assert real.read_text(encoding="utf-8").startswith(HEADER)
    assert not [p for p in (tmp_path / "reports").iterdir() if p.name.endswith(".tmp")]


def test_a_symlink_planted_in_a_shared_sticky_folder_is_refused(capsys, tmp_path, evidence):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    link = shared / "report.txt"
    link.symlink_to(victim)
    os.lchown(link, 4242, 4242)
    code, _, err = run(capsys, *TEMPLATE, "-o", link)
    assert code == 2 and "symlink another user made" in one_line(err)
    assert victim.read_text(encoding="utf-8") == "precious\n"


# --------------------------------------------------------------------------- failures


def test_a_folder_is_a_usage_error_in_one_line(capsys, tmp_path, evidence):
    code, _, err = run(capsys, *TEMPLATE, "-o", tmp_path)
    assert code == 2 and "is a directory" in one_line(err)


def test_a_missing_folder_is_exit_2(capsys, tmp_path, evidence):
    code, _, err = run(capsys, *TEMPLATE, "-o", tmp_path / "nope" / "out.txt")
    assert code == 2 and "the folder to write into does not exist" in one_line(err)


def test_permission_denied_is_exit_2(capsys, tmp_path, evidence, monkeypatch):
    """As root nothing is denied, so the denial is made: creating any file in tmp_path fails with EACCES."""
    real_open = os.open

    def denied(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and str(tmp_path) in os.fspath(path):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    code, _, err = run(capsys, *TEMPLATE, "-o", tmp_path / "out.txt")
    assert code == 2 and "Permission denied" in one_line(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evidence.ttl"]


def test_a_read_only_place_is_exit_2(tmp_path, evidence):
    """sysfs refuses new files even to root: a real denial, in a subprocess."""
    if not os.path.isdir("/sys/kernel"):
        pytest.skip("no sysfs")
    done = subprocess.run([MGRAPH, *TEMPLATE, "-o",
                           "/sys/kernel/mgraph-test-output.txt"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "cannot write the output" in one_line(done.stderr)


def test_a_disk_that_fills_while_writing_leaves_nothing(capsys, tmp_path, evidence, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    out_file = tmp_path / "out.txt"
    out_file.write_text("old\n", encoding="utf-8")
    code, _, err = run(capsys, *TEMPLATE, "-o", out_file)
    assert code == 2 and "No space left on device" in one_line(err)
    assert out_file.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evidence.ttl", "out.txt"]
