"""Start-up (issue 9): `mgraph --version` loads no RDF library, a command loads only what it calls."""
from __future__ import annotations

import ast
import json
import subprocess
import sys

import click

import maturity_graph
from maturity_graph.cli import COMMANDS, cli
from tests.conftest import REPO

HEAVY = ("rdflib", "rdflib.plugins.sparql", "pyshacl", "yaml", "openpyxl", "maturity_graph.assessment.pipeline")


def loaded_after(code: str) -> dict[str, bool]:
    """Which of HEAVY a fresh interpreter has imported after running `code`."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps({{m: m in sys.modules for m in {HEAVY!r}}}))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_version_loads_no_rdf_library() -> None:
    loaded = loaded_after("from maturity_graph.cli import main\nmain(['--version'])")
    assert not any(loaded.values()), loaded


def test_frameworks_loads_neither_the_sparql_parser_nor_pyshacl() -> None:
    loaded = loaded_after("from maturity_graph.cli import main\nmain(['frameworks', '-f', 'json'])")
    assert loaded["rdflib"]
    assert not loaded["rdflib.plugins.sparql"] and not loaded["pyshacl"] and not loaded["yaml"]
    assert not loaded["maturity_graph.assessment.pipeline"]


def test_a_public_name_loads_its_module_on_first_use() -> None:
    assert loaded_after("import maturity_graph") == dict.fromkeys(HEAVY, False)
    assert loaded_after("from maturity_graph import assess")["maturity_graph.assessment.pipeline"]


def test_the_lazy_table_and_the_type_checking_imports_agree() -> None:
    """engine/__init__.py names each public name twice (for type checkers, and for __getattr__)."""
    tree = ast.parse((REPO / "engine" / "__init__.py").read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If))
    imported = {("." + (node.module or ""), alias.asname or alias.name)
                for node in block.body if isinstance(node, ast.ImportFrom) for alias in node.names}
    table = {(module, name) for module, names in maturity_graph._MODULES.items() for name in names}
    assert imported == table
    assert {name for _, name in table} | {"__version__"} == set(maturity_graph.__all__)


def test_every_command_is_listed_and_found() -> None:
    ctx = click.Context(cli)
    assert cli.list_commands(ctx) == sorted(COMMANDS)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None and command.name == name
    assert cli.get_command(ctx, "no-such-command") is None
