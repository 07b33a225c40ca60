"""A Linux seccomp filter that takes the network away from the process that installs it.

The query checker decides what may run; this filter makes sure a checker bug is not a network
hole. Once installed, creating any socket fails with EPERM, whatever its address family:
AF_UNIX too, because a local resolver (nscd, systemd-resolved) would look a name up, and so
leak it, on our behalf. io_uring is refused as well (it can open sockets without the socket
system call), and so is every system call made through a foreign ABI (x32, 32-bit compat), which
has other numbers. The filter cannot be removed and is inherited by every thread and process
the installer starts later, so it is only ever installed in the forked child that runs one query.
"""
from __future__ import annotations

import ctypes
import os
import platform
from collections.abc import Callable

# struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6];
_NR, _ARCH = 0, 4
_X32_SYSCALL_BIT = 0x40000000

# Per architecture: the audit arch, then the system calls refused (socket, socketpair, io_uring_setup).
_ARCHES = {
    "x86_64": (0xC000003E, (41, 53, 425)),
    "aarch64": (0xC00000B7, (198, 199, 425)),
}
_MACHINES = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}

_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_RET_ALLOW = 0x7FFF0000
_RET_EPERM = 0x00050000 | 1  # SECCOMP_RET_ERRNO | EPERM
_PR_SET_SECCOMP, _PR_SET_NO_NEW_PRIVS, _SECCOMP_MODE_FILTER = 22, 38, 2


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def _arch() -> str | None:
    return _MACHINES.get(platform.machine().lower())


def unavailable() -> str | None:
    """Why this platform has no network sandbox, or None when it has one."""
    if platform.system() != "Linux":
        return f"no network sandbox on {platform.system() or 'this system'} (it needs Linux seccomp)"
    if _arch() is None:
        return f"no network sandbox on {platform.machine() or 'this'} processors (x86_64 and aarch64 only)"
    return None


def program(arch: str) -> list[tuple[int, int, int, int]]:
    """The BPF program as (code, jt, jf, k) instructions: refuse foreign ABIs and the listed calls, allow the rest."""
    audit_arch, refused = _ARCHES[arch]
    body: list[tuple[int, int, int, int]] = [(_LD_W_ABS, 0, 0, _NR)]
    if arch == "x86_64":
        body.append((_JGE_K, 0xFF, 0, _X32_SYSCALL_BIT))  # jump target patched below
    body.extend((_JEQ_K, 0xFF, 0, nr) for nr in refused)
    body.append((_RET_K, 0, 0, _RET_ALLOW))
    deny = len(body)
    body = [(code, deny - i - 1 if jt == 0xFF else jt, jf, k) for i, (code, jt, jf, k) in enumerate(body)]
    head = [(_LD_W_ABS, 0, 0, _ARCH), (_JEQ_K, 1, 0, audit_arch), (_RET_K, 0, 0, _RET_EPERM)]
    return head + body + [(_RET_K, 0, 0, _RET_EPERM)]


def _resolve_prctl() -> Callable[..., int] | None:
    """prctl(2), looked up now: a forked child must not call into the dynamic loader (another thread
    of the parent may have held its lock at the fork)."""
    if platform.system() != "Linux":
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    function.restype = ctypes.c_int
    return function


prctl = _resolve_prctl()


def install() -> None:
    """Install the filter in this process; raises OSError when the kernel refuses it."""
    arch = _arch()
    reason = unavailable() or (None if prctl else "no prctl in the C library")
    if reason or arch is None or prctl is None:
        raise OSError(reason)
    instructions = program(arch)
    filters = (_SockFilter * len(instructions))(*(_SockFilter(*i) for i in instructions))
    prog = _SockFprog(len(instructions), filters)
    if prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"prctl(PR_SET_NO_NEW_PRIVS): {os.strerror(err)}")
    if prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"prctl(PR_SET_SECCOMP): {os.strerror(err)}")
