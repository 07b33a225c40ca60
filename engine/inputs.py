"""Reading the user's input files: regular files only, under a size limit, each read exactly once.

A path may name a device (a symlink to /dev/zero never ends), a FIFO (opening it waits for a
writer) or a file far larger than any evidence; each would hang the command or exhaust memory
before a parser could complain. So the file is opened without blocking, checked to be a regular
file, and read only up to its limit.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from .errors import InputError

MIB = 1024 * 1024
LIMIT_ENV = "MGRAPH_MAX_INPUT_MB"


def size_limit(default: int) -> int:
    """The size limit in bytes for one kind of input: its default, or MGRAPH_MAX_INPUT_MB (in MiB) when set."""
    raw = os.environ.get(LIMIT_ENV, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise InputError(f"{LIMIT_ENV}={raw!r} is not a whole number of MiB above 0")
    return value * MIB


def read_input(path: str | Path, *, limit: int, what: str) -> bytes:
    """The bytes of a regular file no larger than `limit`; InputError naming the file otherwise."""
    path = Path(path)
    with open_input(path, limit=limit, what=what) as stream:
        size = os.fstat(stream.fileno()).st_size
        try:
            data = stream.read(min(size, limit) + 1)  # one byte more shows whether the size was true
            if len(data) > size:  # it grew, or it is a /proc file that says 0: read on to the limit
                data += stream.read(limit + 1 - len(data))
        except OSError as err:
            raise InputError(f"cannot read the file: {err.strerror or err}", path=path) from None
    if len(data) > limit:  # the file grew while it was read, or its size was not what stat said
        raise InputError(_too_big(len(data), limit, what), path=path)
    return data


def open_input(path: str | Path, *, limit: int, what: str) -> BinaryIO:
    """A binary stream on a regular file no larger than `limit` (by its size now), for readers that stream.

    The same checks as read_input, made before the first byte is read; the caller reads and closes it.
    """
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except IsADirectoryError:
        raise InputError(f"is a directory, not {what}", path=path) from None
    except OSError as err:
        raise InputError(f"cannot read the file: {err.strerror or err}", path=path) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"is a directory, not {what}", path=path)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                f"is not a regular file (a device, pipe or socket); give {what} saved as a file", path=path
            )
        if info.st_size > limit:
            raise InputError(_too_big(info.st_size, limit, what), path=path)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _too_big(size: int, limit: int, what: str) -> str:
    return (
        f"the file is {_mib(size)}, over the {_mib(limit)} limit for {what}; "
        f"set {LIMIT_ENV} to a larger number of MiB to read it anyway"
    )


def _mib(size: int) -> str:
    return f"{size / MIB:.0f} MiB" if size >= 10 * MIB else f"{size / MIB:.1f} MiB"
