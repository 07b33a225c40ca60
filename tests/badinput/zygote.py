"""A warm `mgraph` that forks one fresh process per bad-input case.

Starting Python and loading the bundled content takes seconds; the corpus has over a hundred
cases. This process does both once, then for each request (one JSON line on stdin) forks a child
that runs `mgraph` with the case's arguments, folder and files as its own process would, and
answers with the child's exit status, peak RSS and wall time (one JSON line on stdout). The
child is a real process: its own memory, file descriptors, signals and exit code.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import time


def _child(request: dict) -> None:
    try:
        os.chdir(request["cwd"])
        stdin = os.open(os.devnull, os.O_RDONLY)
        out = os.open(request["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        err = os.open(request["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        for fd, target in ((stdin, 0), (out, 1), (err, 2)):
            os.dup2(fd, target)
            os.close(fd)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        sys.argv = ["mgraph", *request["argv"]]
        from maturity_graph.cli import main

        code = main(request["argv"])
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(int(code or 0))
    except BaseException as err:  # the harness reports it: the case fails on exit 99 and this line
        os.write(2, f"zygote: {type(err).__name__}: {err}\n".encode())
        os._exit(99)


def serve() -> None:
    import maturity_graph
    from maturity_graph import load_catalogue

    for name in maturity_graph.__all__:  # the package imports its modules on first use: import them all now, once
        getattr(maturity_graph, name)
    catalogue = load_catalogue()
    catalogue.defined_terms  # noqa: B018 - warm the caches every case would otherwise build
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            _child(request)
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() - started > request["timeout"]:
                os.kill(pid, signal.SIGKILL)
                done, status, usage = os.wait4(pid, 0)
                break
            time.sleep(0.01)
        print(json.dumps({"exit": os.waitstatus_to_exitcode(status), "peak_rss_kb": usage.ru_maxrss,
                          "seconds": time.monotonic() - started}), flush=True)


if __name__ == "__main__":
    serve()
