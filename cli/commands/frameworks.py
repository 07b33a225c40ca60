"""`mgraph frameworks`: the bundled frameworks and their sizes."""
from __future__ import annotations

import click

from maturity_graph import load_catalogue

from ..render import frameworks as _frameworks_formats  # noqa: F401 - registers the formats
from ..render.registry import RENDERERS, Kind


@click.command("frameworks")
@RENDERERS.option(Kind.FRAMEWORKS)
def frameworks_command(fmt: str) -> int:
    """List the bundled frameworks with their counts."""
    RENDERERS.write(Kind.FRAMEWORKS, fmt, load_catalogue(), None)
    return 0
