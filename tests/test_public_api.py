"""The public API is `maturity_graph.__all__` (docs/api.md); the CLI uses nothing else."""
from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import maturity_graph
from tests.conftest import REPO

CLI = REPO / "cli"
API_DOC = REPO / "docs" / "api.md"
PACKAGE = "maturity_graph"
CLI_PACKAGE = "maturity_graph.cli"


def _module_of(path: Path) -> str:
    """The dotted name a cli/ source file is installed as (setuptools maps cli/ to maturity_graph.cli)."""
    parts = list(path.relative_to(CLI).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([CLI_PACKAGE, *parts])


def private_imports(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """Each import in `source` (the text of `module`) that reaches past the public API, as 'line: what'.

    Allowed: the CLI's own modules, and names in maturity_graph.__all__ imported from maturity_graph.
    Relative imports are resolved first, so `from ...errors import X` is caught like the absolute form.
    """
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [(base, alias.name) for alias in node.names]
        else:
            continue
        for name, imported in targets:
            if name == CLI_PACKAGE or name.startswith(CLI_PACKAGE + "."):
                continue
            if name.startswith(PACKAGE + "."):
                found.append(f"{node.lineno}: {name}")
            elif name == PACKAGE and imported is not None and imported not in maturity_graph.__all__:
                found.append(f"{node.lineno}: {PACKAGE}.{imported} (not in __all__)")
    return list(dict.fromkeys(found))


@pytest.mark.parametrize(
    "source",
    [
        "from maturity_graph.rdf import prefixed",
        "import maturity_graph.errors",
        "from maturity_graph import errors",
        "from maturity_graph import bundled",
        "from ...errors import InputError",
        "from ... import output",
        "def f():\n    from maturity_graph.queries.sandbox import QueryLimits",
    ],
)
def test_the_checker_catches_private_imports(source: str) -> None:
    assert private_imports(source, "maturity_graph.cli.commands.query")


@pytest.mark.parametrize(
    "source",
    [
        "from maturity_graph import assess, InputError",
        "import maturity_graph",
        "from ..options import emit",
        "from ..render.json import envelope",
        "from maturity_graph.cli.exit import ExitStatus",
        "import click",
    ],
)
def test_the_checker_allows_public_imports(source: str) -> None:
    assert private_imports(source, "maturity_graph.cli.commands.query") == []


def test_a_package_resolves_relative_imports_from_itself() -> None:
    assert private_imports("from .exit import ExitStatus", CLI_PACKAGE, is_package=True) == []
    assert private_imports("from ..rdf import prefixed", CLI_PACKAGE, is_package=True) == [
        "1: maturity_graph.rdf"
    ]


CLI_SOURCES = sorted(CLI.rglob("*.py"))


def test_cli_sources_are_found() -> None:
    assert CLI / "__init__.py" in CLI_SOURCES and CLI / "commands" / "query.py" in CLI_SOURCES


@pytest.mark.parametrize("path", CLI_SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_cli_imports_only_the_public_api(path: Path) -> None:
    found = private_imports(path.read_text(encoding="utf-8"), _module_of(path), is_package=path.name == "__init__.py")
    assert found == [], f"{path.relative_to(REPO)} imports internals; export them from maturity_graph: {found}"


def test_every_public_name_resolves() -> None:
    assert len(set(maturity_graph.__all__)) == len(maturity_graph.__all__)
    for name in maturity_graph.__all__:
        value = getattr(maturity_graph, name)
        assert not inspect.ismodule(value), f"{name} is a module; the public API holds functions, types and values"


def test_a_star_import_gives_exactly_all() -> None:
    namespace: dict[str, object] = {}
    exec("from maturity_graph import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(maturity_graph.__all__)


def test_no_public_name_is_also_a_submodule() -> None:
    """A function named like a subpackage is replaced by the package once anything imports it
    (that is why assess/ and export/ were renamed assessment/ and exporters/)."""
    submodules = {m.name for m in pkgutil.iter_modules(maturity_graph.__path__)}
    assert {"assessment", "exporters", "crosswalk"} <= submodules
    assert submodules & set(maturity_graph.__all__) == set()


def test_assess_the_function_and_assessment_the_package_are_distinct() -> None:
    package = importlib.import_module("maturity_graph.assessment")
    exporters = importlib.import_module("maturity_graph.exporters")
    assert inspect.ismodule(package) and inspect.ismodule(exporters)
    # importing the packages leaves the functions in place
    assert inspect.isfunction(maturity_graph.assess) and maturity_graph.assess.__module__.startswith(package.__name__)
    assert inspect.isfunction(maturity_graph.export) and maturity_graph.export.__module__ == exporters.__name__
    assert maturity_graph.assessment is package


def _documented() -> set[str]:
    """The names docs/api.md lists: each in a table row's first cell, in backticks."""
    text = API_DOC.read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([A-Za-z_][A-Za-z0-9_]*)`", text, flags=re.MULTILINE))


def test_docs_list_every_public_name_and_nothing_else() -> None:
    assert _documented() == set(maturity_graph.__all__)


def test_docs_say_assess_is_the_function_and_assessment_the_package() -> None:
    text = API_DOC.read_text(encoding="utf-8")
    assert "`maturity_graph.assess`" in text and "`maturity_graph.assessment`" in text
    assert "`maturity_graph.export`" in text and "`maturity_graph.exporters`" in text
