"""The seccomp filter behind the query sandbox (issue 8, item 1): what it refuses, on each architecture."""
from __future__ import annotations

import os
import socket
import struct

import pytest

from maturity_graph.queries import seccomp

EPERM = 0x00050001
ALLOW = 0x7FFF0000


def run_bpf(program, nr: int, arch: int) -> int:
    """Evaluate a seccomp BPF program (the subset it uses) on one system call, as the kernel would."""
    data = struct.pack("<iI", nr, arch) + bytes(48)
    pc, acc = 0, 0
    while True:
        code, jt, jf, k = program[pc]
        if code == 0x20:  # ld [k]
            acc = struct.unpack_from("<I", data, k)[0]
            pc += 1
        elif code == 0x15:  # jeq #k
            pc += 1 + (jt if acc == k else jf)
        elif code == 0x35:  # jge #k
            pc += 1 + (jt if acc >= k else jf)
        elif code == 0x06:  # ret #k
            return k
        else:
            raise AssertionError(f"unexpected instruction {code:#x}")


@pytest.mark.parametrize("arch, audit, refused, allowed", [
    ("x86_64", 0xC000003E, [41, 53, 425, 0x40000000 + 41], [0, 1, 42, 59, 231]),
    ("aarch64", 0xC00000B7, [198, 199, 425], [63, 64, 203, 221]),
])
def test_the_program_refuses_sockets_and_foreign_abis_and_allows_the_rest(arch, audit, refused, allowed):
    program = seccomp.program(arch)
    for nr in refused:
        assert run_bpf(program, nr, audit) == EPERM, nr
    for nr in allowed:  # read, write, connect (harmless without a socket), execve, exit_group ...
        assert run_bpf(program, nr, audit) == ALLOW, nr
    assert run_bpf(program, 0, 0x40000003) == EPERM  # i386 compat calls have other numbers: refused


@pytest.mark.skipif(seccomp.unavailable() is not None, reason=seccomp.unavailable() or "")
def test_the_installed_filter_refuses_every_socket_family():
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, which leaves through os._exit
        code = 0
        try:
            seccomp.install()
            for family in (socket.AF_INET, socket.AF_INET6, socket.AF_UNIX):
                try:
                    socket.socket(family).close()
                    code = 10 + family
                except PermissionError:
                    pass
        except BaseException:  # noqa: BLE001 - whatever it is, the child must not return into pytest
            code = 99
        os._exit(code)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
