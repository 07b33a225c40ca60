"""Stores and engines given wrongly: --store-dir, --endpoint and its options, mgraph load, --engine (issue 9, item 5).

Endpoints that are down are a closed loopback port (1), never the counting listener: each case also checks
that nothing connected to it.
"""
from __future__ import annotations

from pathlib import Path

from tests.badinput.harness import Case

NORTHWIND = "{repo}/examples/northwind-devices/sbd-evidence.ttl"
DOWN = "http://127.0.0.1:1/query"


def foreign_directory(folder: Path) -> None:
    """A directory holding someone's files: Oxigraph would build a store around them."""
    (folder / "papers").mkdir()
    (folder / "papers" / "notes.txt").write_text("not a store\n", encoding="utf-8")


CASES = [
    Case(id="validate-endpoint-down", argv=["validate", "--endpoint", DOWN],
         message=r"127\.0\.0\.1:1/query: connection refused"),
    Case(id="assess-endpoint-without-update-endpoint", argv=["assess", "--endpoint", DOWN],
         message=r"needs its update endpoint \(--update-endpoint\)"),
    Case(id="assess-endpoint-not-http", argv=["assess", "--endpoint", "ftp://example.org/sparql"],
         message=r"ftp://example\.org/sparql: the endpoint must be an http:// or https:// URL"),
    Case(id="assess-endpoint-credentials-in-url", argv=["validate", "--endpoint", "http://user:pw@127.0.0.1:1/query"],
         message=r"credentials in an environment variable named with --auth-env, not in the URL"),
    Case(id="assess-auth-env-unset", argv=["validate", "--endpoint", DOWN, "--auth-env", "MGRAPH_NO_SUCH_VARIABLE"],
         message=r"MGRAPH_NO_SUCH_VARIABLE \(--auth-env\) is not set or empty"),
    Case(id="assess-update-endpoint-alone", argv=["assess", "--update-endpoint", "http://127.0.0.1:1/update"],
         message=r"--update-endpoint, --graph-store and --auth-env need --endpoint"),
    Case(id="assess-endpoint-timeout-zero", argv=["validate", "--endpoint", DOWN, "--endpoint-timeout", "0"],
         message=r"--endpoint-timeout"),
    Case(id="assess-store-dir-of-other-files", argv=["assess", "--store-dir", "papers"], make=foreign_directory,
         message=r"papers: is not an Oxigraph store"),
    Case(id="assess-store-dir-is-a-file", argv=["assess", "--store-dir", "afile"], files={"afile": "x\n"},
         message=r"'afile' is a file"),
    Case(id="assess-missing-store-dir", argv=["assess", "--store-dir", "nowhere"],
         message=r"nowhere: no store there; fill one with mgraph load"),
    Case(id="validate-missing-store-dir", argv=["validate", "--store-dir", "nowhere"],
         message=r"nowhere: no store there; fill one with mgraph load"),
    Case(id="assess-files-and-a-store", argv=["assess", NORTHWIND, "--store-dir", "store"],
         message=r"give EVIDENCE files or a store holding evidence"),
    Case(id="load-without-a-store", argv=["load", NORTHWIND], message=r"give a store to load into"),
    Case(id="load-scanner-json", argv=["load", "scan.json", "--store-dir", "store"], files={"scan.json": "[]\n"},
         message=r"scan\.json: cannot load '\.json' files straight into a store"),
    Case(id="load-malformed-turtle", argv=["load", "bad.ttl", "--store-dir", "store"],
         files={"bad.ttl": '<http://a> <http://b> "x\n'}, message=r"bad\.ttl:1: not valid Turtle"),
    Case(id="assess-unknown-engine", argv=["assess", NORTHWIND, "--engine", "jena"],
         message=r"Invalid value for '--engine'"),
]
