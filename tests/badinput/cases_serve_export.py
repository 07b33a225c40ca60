"""`mgraph serve` and `mgraph export graph` given wrongly (issue 11, items 4 and 5).

Every serve case names the counting listener's port, which is in use: a case whose own check were missing
would stop at the port (and fail on its message), never start a server. Checking the port binds to it and
connects to nothing, which the runner's connection count confirms.
"""
from __future__ import annotations

from tests.badinput.harness import REPO, Case

NORTHWIND = "{repo}/examples/northwind-devices/sbd-evidence.ttl"
EVIDENCE = (REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl").read_text(encoding="utf-8")

CASES = [
    Case(id="serve-missing-file", argv=["serve", "nope.ttl", "--port", "{port}"],
         message=r"nope\.ttl: file not found"),
    Case(id="serve-port-in-use", argv=["serve", NORTHWIND, "--port", "{port}"],
         message=r"port \d+ on 127\.0\.0\.1 is in use; choose another with --port"),
    Case(id="serve-port-not-an-integer", argv=["serve", NORTHWIND, "--port", "http"],
         message=r"Invalid value for '--port': 'http' is not a valid integer"),
    Case(id="serve-port-out-of-range", argv=["serve", NORTHWIND, "--port", "70000"],
         message=r"port 70000 is not between 1 and 65535 \(--port\)"),
    Case(id="serve-bind-host-name", argv=["serve", NORTHWIND, "--bind", "example.org", "--port", "{port}"],
         message=r"'example\.org' is not an IP address \(--bind\)"),
    Case(id="serve-store-dir-not-empty", argv=["serve", NORTHWIND, "--store-dir", "kept", "--port", "{port}"],
         files={"kept/notes.txt": "mine\n"}, message=r"kept: is not empty; mgraph serve builds a new store there"),
    Case(id="serve-store-dir-is-a-file", argv=["serve", NORTHWIND, "--store-dir", "afile", "--port", "{port}"],
         files={"afile": "x\n"}, message=r"'afile' is a file"),
    Case(id="serve-no-files", argv=["serve", "--port", "{port}"], message=r"Missing argument 'FILES\.\.\.'"),
    Case(id="serve-scanner-json", argv=["serve", "scan.json", "--port", "{port}"], files={"scan.json": "[]\n"},
         message=r"scan\.json: cannot load '\.json' files straight into a store"),
    Case(id="export-graph-missing-file", argv=["export", "graph", "nope.ttl", "-o", "out.trig"],
         message=r"nope\.ttl: file not found"),
    Case(id="export-graph-malformed-turtle", argv=["export", "graph", "bad.ttl", "-o", "out.trig"],
         files={"bad.ttl": '<http://a> <http://b> "x\n'}, message=r"bad\.ttl:1: not valid Turtle"),
    Case(id="export-graph-unknown-format", argv=["export", "graph", NORTHWIND, "-f", "turtle"],
         message=r"Invalid value for '-f' / '--format': 'turtle' is not one of 'trig', 'nquads'"),
    Case(id="export-graph-output-is-the-input", argv=["export", "graph", "ev.ttl", "-o", "ev.ttl"],
         files={"ev.ttl": EVIDENCE}, message=r"ev\.ttl: the output is the input file"),
    Case(id="export-graph-output-folder-missing", argv=["export", "graph", NORTHWIND, "-o", "nowhere/out.trig"],
         message=r"nowhere/out\.trig: the folder to write into does not exist"),
    Case(id="export-graph-no-evidence", argv=["export", "graph", "-o", "out.trig"],
         message=r"Missing argument 'EVIDENCE\.\.\.'"),
]
