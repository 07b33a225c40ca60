"""Writing a result where the user asked: standard output, a device or pipe, or a file that appears whole.

What a target names decides how it is written:

- ``-``: standard output.
- an existing device or FIFO (after following symlinks, so ``/dev/null`` or a link to it):
  opened and written directly, never replaced by a regular file; nothing can make such a write atomic.
- a regular file or a new path: a temporary file in the same folder, renamed over the target once
  complete, so a failure never leaves a half-written file. A new file gets ``0o666`` less the umask
  (the kernel applies it); a replaced file keeps its mode (and, for root, its owner).
- a symlink to a regular file (or to a path that does not exist yet): the file the link points to is
  replaced and the link is kept, as the shell's ``>`` would write through it. A link that another user
  planted in a shared sticky folder such as /tmp is refused, as Linux's fs.protected_symlinks does.

A target that is one of the inputs (the same file, through a symlink or a hard link) is refused
before anything is written, so an input is never overwritten. Every failure to write is an
InputError naming the target: a full disk or a denied permission is the user's to fix, not a bug.
"""
from __future__ import annotations

import errno
import io
import os
import secrets
import stat
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

STDOUT = "-"
_TEMP_NAME_KEEP = 100  # characters of the target's name kept in the temporary file's name (NAME_MAX is 255)


def write_output(data: bytes, target: str | Path | None, *, inputs: Iterable[str | Path] = ()) -> None:
    """Write `data` to `target` (None or ``-`` is standard output); see the module docstring for how."""
    with open_output(STDOUT if target is None else target, inputs=inputs) as stream:
        stream.write(data)


@contextmanager
def open_output(target: str | Path, *, inputs: Iterable[str | Path] = ()) -> Iterator[io.RawIOBase]:
    """Yield a binary stream to `target`; a regular file appears, complete, only if the block succeeds."""
    path = os.fspath(target)
    if path == STDOUT:
        stdout = _StdoutSink()
        yield stdout
        stdout.finish()
        return
    _refuse_inputs(path, inputs)
    _refuse_planted_symlink(path)
    info = _stat(path)
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise InputError("the output is a folder; name a file", path=path)
    if info is not None and stat.S_ISSOCK(info.st_mode):
        raise InputError("the output is a socket, which cannot be opened as a file", path=path)
    if info is not None and not stat.S_ISREG(info.st_mode):
        fd = _open_special(path)
        if fd is not None:
            with _FdSink(fd, path) as device:
                yield device
            return
        info = _stat(path)  # it became a regular file between the two looks: write it the safe way
    with _replacing(path, info) as sink:
        yield sink


def _stat(path: str) -> os.stat_result | None:
    """The target's status after following symlinks; None if there is nothing there (or a dangling link)."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as err:
        raise InputError(f"cannot write the output: {err.strerror or err}", path=path) from None


def _refuse_inputs(path: str, inputs: Iterable[str | Path]) -> None:
    """An output that is an input file (same device and inode: symlinks and hard links included) is refused."""
    try:
        out = os.stat(path)
    except OSError:
        return  # nothing there yet, so it is no input
    if not stat.S_ISREG(out.st_mode):
        return  # writing to a device or pipe destroys no file
    for given in inputs:
        try:
            seen = os.stat(given)
        except (OSError, ValueError):
            continue  # a missing input is reported by whoever reads it
        if (seen.st_dev, seen.st_ino) == (out.st_dev, out.st_ino):
            raise InputError(f"the output is the input file {os.fspath(given)}; write the result to another file",
                             path=path)


def _refuse_planted_symlink(path: str) -> None:
    """Refuse to follow a symlink another user owns in a world-writable sticky folder (the /tmp attack)."""
    try:
        link = os.lstat(path)
    except OSError:
        return
    if not stat.S_ISLNK(link.st_mode):
        return
    try:
        folder = os.stat(os.path.dirname(os.path.abspath(path)))
    except OSError:
        return
    shared = folder.st_mode & stat.S_ISVTX and folder.st_mode & stat.S_IWOTH
    if shared and link.st_uid not in (os.geteuid(), folder.st_uid):
        raise InputError("the output is a symlink another user made in a shared folder; not following it",
                         path=path)


def _open_special(path: str) -> int | None:
    """Open an existing device, FIFO or socket for writing; None if it turned out to be a regular file."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as err:
        raise InputError(f"cannot write the output: {err.strerror or err}", path=path) from None
    if stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    return fd


@contextmanager
def _replacing(path: str, info: os.stat_result | None) -> Iterator[io.RawIOBase]:
    """A temporary file next to the (symlink-resolved) target, renamed over it once complete."""
    real = os.path.realpath(path) if os.path.islink(path) else path
    folder = os.path.dirname(real) or "."
    if not os.path.isdir(folder):
        raise InputError("the folder to write into does not exist", path=path)
    fd, tmp = _create_temp(folder, os.path.basename(real), path, keep=info)
    sink = _FdSink(fd, path)
    try:
        yield sink
        sink.finish()
        try:
            os.replace(tmp, real)
        except OSError as err:
            raise InputError(f"cannot write the output: {err.strerror or err}", path=path) from None
    except BaseException:
        sink.close()
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _create_temp(folder: str, name: str, path: str, *, keep: os.stat_result | None) -> tuple[int, str]:
    """Create the temporary file: mode 0o666 less the umask for a new target, the old file's mode for a replaced one."""
    mode = 0o600 if keep is not None else 0o666
    for _ in range(100):
        tmp = os.path.join(folder, f".{name[:_TEMP_NAME_KEEP]}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
        except FileExistsError:
            continue
        except OSError as err:
            raise InputError(f"cannot write the output: cannot create a file in {folder}: {err.strerror or err}",
                             path=path) from None
        break
    else:
        raise InputError("cannot write the output: no free temporary file name in its folder", path=path)
    if keep is not None:
        try:
            if os.geteuid() == 0 and (keep.st_uid, keep.st_gid) != (os.geteuid(), os.getegid()):
                os.fchown(fd, keep.st_uid, keep.st_gid)  # before fchmod: a chown clears set-id bits
            os.fchmod(fd, stat.S_IMODE(keep.st_mode))
        except OSError:
            pass  # the content is still right; only the mode or owner differs
    return fd, tmp


class _FdSink(io.RawIOBase):
    """A write-only stream on a file descriptor whose failures are InputErrors naming the target."""

    def __init__(self, fd: int, path: str):
        super().__init__()
        self._fd = fd
        self._path = path

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def write(self, data: ReadableBuffer) -> int:
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            try:
                done += os.write(self._fd, view[done:])
            except BrokenPipeError:
                raise
            except OSError as err:
                raise InputError(f"cannot write the output: {err.strerror or err}", path=self._path) from None
        return done

    def finish(self) -> None:
        """Make the bytes durable before the rename, so a full disk shows up here and not later."""
        try:
            os.fsync(self._fd)
        except OSError as err:
            if err.errno not in (errno.EINVAL, errno.EOPNOTSUPP):  # the file system cannot sync; nothing is lost
                raise InputError(f"cannot write the output: {err.strerror or err}", path=self._path) from None
        self.close()

    def close(self) -> None:
        if not self.closed:
            try:
                os.close(self._fd)
            except OSError:
                pass
        super().close()


class _StdoutSink(io.RawIOBase):
    """Standard output, with a full disk or a closed descriptor reported as an InputError."""

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer) -> int:
        try:
            sys.stdout.flush()  # whatever was printed before goes first
            return sys.stdout.buffer.write(data)
        except BrokenPipeError:
            raise
        except OSError as err:
            raise InputError(f"cannot write to standard output: {err.strerror or err}") from None

    def finish(self) -> None:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as err:
            raise InputError(f"cannot write to standard output: {err.strerror or err}") from None
