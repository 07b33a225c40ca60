"""docs/cli.md is the --help of every command; this test regenerates it and fails on drift.

Regenerate with: MGRAPH_WRITE_DOCS=1 python -m pytest tests/cli/test_reference.py
Everything after the HAND_WRITTEN marker is prose kept as it is (output, formats, safety).
"""
from __future__ import annotations

import os

import click

from maturity_graph.cli import cli
from tests.conftest import REPO

DOC = REPO / "docs" / "cli.md"
HAND_WRITTEN = "<!-- Hand-written from here on: tests/cli/test_reference.py keeps it as it is. -->\n"


def commands(group: click.Group, prefix: str):
    yield prefix, group
    if isinstance(group, click.Group):
        ctx = click.Context(group)
        for name in group.list_commands(ctx):  # not group.commands: the top-level group loads its commands lazily
            command = group.get_command(ctx, name)
            assert command is not None
            yield from commands(command, f"{prefix} {name}")


def hand_written() -> str:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    return text[text.index(HAND_WRITTEN):] if HAND_WRITTEN in text else ""


def reference() -> str:
    parts = ["# `mgraph` command reference\n\nGenerated from `--help` by `tests/cli/test_reference.py`; do not edit by"
             " hand, except the sections after the command reference ([output and formats](#output-and-formats)).\n"]
    for path, command in commands(cli, "mgraph"):
        ctx = click.Context(command, info_name=path, terminal_width=100, max_content_width=100,
                            help_option_names=["-h", "--help"])
        parts.append(f"\n## `{path}`\n\n```\n{command.get_help(ctx).rstrip()}\n```\n")
    tail = hand_written()
    return "".join(parts) + ("\n" + tail if tail else "")


def test_cli_reference_is_current():
    text = reference()
    if os.environ.get("MGRAPH_WRITE_DOCS") == "1":
        DOC.write_text(text, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == text, "docs/cli.md is stale: regenerate it (see this file's docstring)"
