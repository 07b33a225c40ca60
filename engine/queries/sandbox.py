"""Running someone else's query in a child process that has no network and a time, row and memory budget.

The checker (safety.py) decides what text runs; this is the second wall, so that a checker bug is
not a network hole and a runaway query is not a hung or crashed `mgraph`. The store is filled in
this process; the query runs in a fork of it (copy-on-write, so nothing is loaded twice) that

1. takes the network away (seccomp.py: no socket can be created, whatever the address family),
2. caps its address space at its current size plus the memory budget (RLIMIT_AS), so running out
   of memory is a refused allocation, not the machine's OOM killer or an abort in this process,
3. dies with this process (PR_SET_PDEATHSIG) and ignores Ctrl-C, which is ours to handle,
4. runs the query, keeps at most max_rows + 1 rows, and sends them back pickled through a pipe.

This process waits on the pipe with a deadline and kills the child on timeout or Ctrl-C. Where
fork or seccomp are not available the query runs unsandboxed, relying on the checker; that is
logged (visible with `mgraph -v`).
"""
from __future__ import annotations

import logging
import os
import pickle
import selectors
import signal
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import islice

from rdflib import Graph
from rdflib.term import Node

from ..errors import QueryRejected, StoreError
from ..store import QueryResult, Store
from . import seccomp

try:  # POSIX only; imported here, not in the forked child (see _child)
    import fcntl
    import resource
except ImportError:  # pragma: no cover - Windows: no fork either, the query runs in process
    fcntl = resource = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

MIB = 1024 * 1024
_STDERR_KEPT = 4096
_PR_SET_PDEATHSIG = 1
# Child exit statuses, for when it could not send a message.
_EXIT_NO_MEMORY = 12


@dataclass(frozen=True)
class QueryLimits:
    """How long a query may run (seconds), how many rows or triples it may return, how much memory it may use (MiB)."""

    timeout: float = 60.0
    max_rows: int = 100_000
    max_memory: int = 2048

    def __post_init__(self) -> None:
        if not self.timeout > 0 or self.max_rows < 1 or self.max_memory < 1:
            raise ValueError(f"query limits must be positive: {self}")


def unavailable() -> str | None:
    """Why queries on this platform run without the network sandbox, or None when they run in it."""
    if not hasattr(os, "fork"):
        return "no network sandbox on this system (it needs fork)"
    return seccomp.unavailable()


def run_sandboxed(
    store: Store,
    text: str,
    *,
    bindings: Mapping[str, Node] | None = None,
    union: bool = True,
    limits: QueryLimits = QueryLimits(),
) -> QueryResult:
    """Run one already-checked query on `store` in a sandboxed child and return its whole answer."""
    if not hasattr(os, "fork"):
        log.info("%s; relying on the query check, without a timeout or memory budget", unavailable())
        try:
            return _result(_answer(store, text, bindings, union, limits))
        except _TooManyRows:
            raise QueryRejected(_rows_message(limits)) from None
    parent = os.getpid()
    data_r, data_w = os.pipe()
    err_r, err_w = os.pipe()
    open_fds = {data_r, data_w, err_r, err_w}
    pid = 0
    # Ctrl-C is held back across the fork, so that it reaches this process once pid is known.
    blocked = _block_sigint()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # Python 3.12+ warns of fork with threads; see _child
            pid = os.fork()
        if pid == 0:
            _child(store, text, bindings, union, limits, data_w, err_w)  # never returns
        for fd in (data_w, err_w):
            os.close(fd)
            open_fds.discard(fd)
        _unblock_sigint(blocked)
        data, stderr, timed_out = _collect(data_r, err_r, limits)
    except BaseException:  # Ctrl-C (KeyboardInterrupt) or an oversized answer: the child must not outlive us
        if os.getpid() != parent:  # never let the child unwind into the caller's stack
            os._exit(1)
        if pid:
            _kill(pid)
        raise
    finally:
        _unblock_sigint(blocked)
        for fd in open_fds:
            os.close(fd)
    if timed_out:
        _kill(pid)
        raise QueryRejected(_timeout_message(limits))
    return _decode(data, stderr, _reap(pid), limits)


def _block_sigint() -> bool:
    if not hasattr(signal, "pthread_sigmask"):
        return False
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    return True


def _unblock_sigint(blocked: bool) -> None:
    if blocked:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _collect(data_r: int, err_r: int, limits: QueryLimits) -> tuple[bytes, bytes, bool]:
    """Read the child's answer and its stderr until both close or the deadline passes."""
    deadline = time.monotonic() + limits.timeout
    chunks: list[bytes] = []
    size = 0
    stderr = b""
    with selectors.DefaultSelector() as selector:
        selector.register(data_r, selectors.EVENT_READ)
        selector.register(err_r, selectors.EVENT_READ)
        while selector.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                return b"", stderr, True
            for key, _ in selector.select(min(left, 60.0)):  # a huge or infinite timeout is a loop, not an overflow
                chunk = os.read(key.fd, 1 << 16)
                if not chunk:
                    selector.unregister(key.fd)
                elif key.fd == err_r:
                    stderr = (stderr + chunk)[:_STDERR_KEPT]
                else:
                    size += len(chunk)
                    if size > limits.max_memory * MIB:  # the answer alone is over budget
                        raise QueryRejected(_memory_message(limits))
                    chunks.append(chunk)
    return b"".join(chunks), stderr, False


def _decode(data: bytes, stderr: bytes, status: int, limits: QueryLimits) -> QueryResult:
    """Turn what the child sent, or how it died, into an answer or one error."""
    if data:
        message = pickle.loads(data)  # noqa: S301 - written by our own fork into our own pipe
        kind = message[0]
        if kind == "ok":
            if message[2]:
                log.info("%s; relying on the query check", message[2])
            return _result(message[1])
        if kind == "rows":
            raise QueryRejected(_rows_message(limits))
        if kind == "memory":
            raise QueryRejected(_memory_message(limits))
        if kind == "error":
            raise StoreError(message[1])
        raise RuntimeError(f"the query runner failed: {message[1]}")
    said = stderr.decode("utf-8", "replace")
    if "overflowed its stack" in said:
        raise QueryRejected("the query is nested too deeply for the query engine")
    if any(sign in said for sign in ("memory allocation", "out of memory", "MemoryError")):
        raise QueryRejected(_memory_message(limits))
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == _EXIT_NO_MEMORY:
        raise QueryRejected(_memory_message(limits))
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:  # not ours: the kernel's OOM killer
        raise QueryRejected(_memory_message(limits))
    if os.WIFSIGNALED(status):
        raise StoreError(f"the query engine stopped on signal {signal.Signals(os.WTERMSIG(status)).name}")
    last = said.strip().splitlines()[-1:] or [f"exit status {os.WEXITSTATUS(status)}"]
    raise StoreError(f"the query engine stopped without an answer: {last[0]}")


def _timeout_message(limits: QueryLimits) -> str:
    return f"the query ran longer than {limits.timeout:g} s (raise the limit with --timeout)"


def _rows_message(limits: QueryLimits) -> str:
    return f"the query returned more than {limits.max_rows} rows (raise the limit with --max-rows)"


def _memory_message(limits: QueryLimits) -> str:
    return f"the query needed more than {limits.max_memory} MiB of memory (raise the limit with --max-memory)"


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _reap(pid)


def _reap(pid: int) -> int:
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return 0


def _child(store: Store, text: str, bindings: Mapping[str, Node] | None, union: bool, limits: QueryLimits, data_w: int,
           err_w: int) -> None:
    """In the fork: fence, run, send, and leave through os._exit (no atexit handlers, no inherited buffers flushed).

    Only this thread exists in the fork, whatever threads the parent had, and a lock another thread
    held stays held; so the child touches nothing but the store (not in use by any other thread of the
    parent) and the pipes, and imports or looks up nothing (that is done at import time).
    """
    code = 0
    message: tuple[object, ...]
    try:
        _ignore_sigint()
        _unblock_sigint(hasattr(signal, "pthread_sigmask"))
        data_w = _only_fds(data_w, err_w)
        unfenced = _fence(limits)
        message = ("ok", _answer(store, text, bindings, union, limits), unfenced)
    except _TooManyRows:
        message = ("rows",)
    except MemoryError:
        message = ("memory",)
    except StoreError as err:
        message = ("error", str(err))
    except BaseException as err:  # a bug in this package: the parent raises it as an internal error (exit 3)
        message = ("internal", f"{type(err).__name__}: {err}")
    try:
        _write_all(data_w, pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
    except MemoryError:
        code = _EXIT_NO_MEMORY
    except BaseException:  # the parent has gone or closed the pipe: nothing left to tell
        code = 1
    os._exit(code)


def _ignore_sigint() -> None:
    """Ctrl-C is the parent's to handle (it kills us); a child that cannot ignore it is killed all the same."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:
        pass


def _only_fds(data_w: int, err_w: int) -> int:
    """Leave the child with stdin and stdout on /dev/null, stderr into err_w, the answer pipe on fd 3, nothing else.

    Rust writes "memory allocation of N bytes failed" to stderr before it aborts; we read it there.
    """
    high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 3) for fd in (data_w, err_w, os.open(os.devnull, os.O_RDWR))]
    data, err, null = high
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.dup2(err, 2)
    if data != 3:
        os.dup2(data, 3)
    os.closerange(4, _MAX_FD)
    return 3


def _fence(limits: QueryLimits) -> str | None:
    """Before the query starts: no network, a memory cap, death with the parent. Says why there is no network fence."""
    unfenced = seccomp.unavailable()
    if unfenced is None:
        try:
            seccomp.install()
        except OSError as err:  # a kernel without seccomp filters: the checker still refused SERVICE
            unfenced = f"no network sandbox: the kernel refused the seccomp filter ({err})"
    if seccomp.prctl is not None:
        seccomp.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() == 1:  # the parent died before the line above
            os._exit(1)
    current = _address_space()
    if current is not None:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = current + limits.max_memory * MIB
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        if cap < 2**62:  # beyond that the budget is no limit at all
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    return unfenced


def _address_space() -> int | None:
    """This process's virtual size in bytes (Linux), the base the memory budget is added to."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


# What the child sends back: kind, variables, rows (triples for kind "graph"), ASK's boolean.
Answer = tuple[str, list[str], list[tuple[Node | None, ...]], bool | None]


class _TooManyRows(Exception):
    """The answer has more than max_rows rows."""


def _answer(store: Store, text: str, bindings: Mapping[str, Node] | None, union: bool, limits: QueryLimits) -> Answer:
    """Run the query; keep at most max_rows rows (one more proves there are too many). A plain, picklable tuple."""
    answer = store.stream(text, bindings=bindings, union=union)
    if answer.kind == "ask":
        return ("ask", [], [], answer.boolean)
    rows = list(islice(answer.rows, limits.max_rows + 1))
    if len(rows) > limits.max_rows:
        raise _TooManyRows
    return (answer.kind, answer.variables, rows, None)


def _result(answer: Answer) -> QueryResult:
    kind, variables, rows, boolean = answer
    if kind == "ask":
        return QueryResult(kind="ask", boolean=boolean)
    if kind == "graph":
        graph = Graph()
        graph.addN((s, p, o, graph) for s, p, o in rows if s is not None and p is not None and o is not None)
        return QueryResult(kind="graph", graph=graph)
    return QueryResult(kind="select", variables=variables, rows=rows)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


_MAX_FD = os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 1024
