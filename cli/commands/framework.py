"""`mgraph framework build|check`: framework packs (docs/packs.md)."""
from __future__ import annotations

from pathlib import Path

import click

from maturity_graph import build_pack, check_pack

from ..exit import ExitStatus
from ..render import packs as _packs_formats  # noqa: F401 - registers the formats
from ..render.registry import RENDERERS, Kind
from ..render.terminal import terminal_safe


@click.group("framework")
def framework_group() -> None:
    """Framework packs: your own model as framework.yaml and a spreadsheet, built and checked."""


@framework_group.command("build")
@click.argument("pack", type=click.Path(path_type=Path))
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path), metavar="DIR",
              help="Folder to write the built pack to (new, empty, or an earlier build, which is replaced).")
def build_command(pack: Path, output: Path) -> int:
    """Build the pack in folder PACK into DIR: the framework graph and its shapes, as the bundled models have them."""
    built = build_pack(pack, output)
    click.echo(terminal_safe(
        f"built {built.pack.id} {built.pack.version} into {built.path}: {built.dimensions} dimension(s), "
        f"{built.capabilities} capabilities, {built.stages} stages, {built.criteria} criteria, "
        f"{built.requirements} requirements ({built.measured} measured)", one_line=True), err=True)
    return ExitStatus.OK


@framework_group.command("check")
@click.argument("path", type=click.Path(path_type=Path), metavar="PACK|DIR")
@RENDERERS.option(Kind.PACK_CHECK)
def check_command(path: Path, fmt: str) -> int:
    """Check a pack (built on the fly) or a built pack with the content checks of the bundled models
    (exit 0 clean, 1 findings, 2 bad input)."""
    result = check_pack(path)
    RENDERERS.write(Kind.PACK_CHECK, fmt, result, None)
    return ExitStatus.OK if result.ok else ExitStatus.FINDINGS
