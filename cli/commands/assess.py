"""`mgraph assess`: the stage reached per capability, dimension and overall, with the gaps."""
from __future__ import annotations

from pathlib import Path

import click

from maturity_graph import assess
from maturity_graph.crosswalk.apply import assess_with_crosswalks

from ..options import as_date, as_of_option, emit, format_option, framework_option, output_option
from ..render.assessment import assessment_text
from ..render.json import envelope


@click.command("assess")
@click.argument("evidence", nargs=-1, required=True, type=click.Path(path_type=Path))
@framework_option(multiple=True)
@as_of_option()
@format_option(["table", "json", "turtle"], "table")
@click.option("--with-crosswalks", is_flag=True,
              help="Also count evidence carried from the other frameworks the evidence speaks about, through "
                   "reviewed curated crosswalks; what came that way is marked.")
@output_option()
def assess_command(evidence, frameworks, as_of, with_crosswalks, fmt, output) -> int:
    """Derive stages from EVIDENCE files (Turtle, N-Triples or JSON-LD)."""
    run = assess_with_crosswalks if with_crosswalks else assess
    result = run(evidence, frameworks=list(frameworks) or None, as_of=as_date(as_of))
    if fmt == "json":
        body = result.as_dict()
        data = envelope("ok", body.pop("results"), **body)
    elif fmt == "turtle":
        data = result.graph.serialize(format="turtle").encode("utf-8")
    else:
        data = assessment_text(result).encode("utf-8")
    emit(data, output)
    return 0
