"""`mgraph serve`: a read-only SPARQL endpoint over a run's content, evidence and results (Oxigraph's server)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from maturity_graph import serve_dataset

from ..exit import ExitStatus
from ..options import as_date, as_of_option, engine_option, framework_option, subject_option, with_crosswalks_option
from ..render.dataset import dataset_summary
from ..render.terminal import terminal_safe

LOOPBACK = "127.0.0.1"


def _say(text: str) -> None:
    click.echo(terminal_safe(text, one_line=True), err=True)


@click.command("serve")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--port", type=int, default=7878, show_default=True, metavar="N", help="The port to listen on.")
@click.option("--bind", default=None, metavar="ADDRESS",
              help=f"The IP address to listen on [default: {LOOPBACK}, this machine only]. Any other address makes "
                   "the endpoint reachable from other machines, without authentication (a warning says so).")
@click.option("--store-dir", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help="Build the store in DIR (new or empty) and keep it after the server stops; by default it is "
                   "built in a temporary directory removed when the server stops.")
@framework_option(multiple=True)
@subject_option()
@as_of_option()
@with_crosswalks_option("the results mark what came that way; the carried evidence is not served")
@engine_option()
def serve_command(files: tuple[Path, ...], port: int, bind: str | None, store_dir: Path | None,
                  frameworks: tuple[str, ...], subjects: tuple[str, ...], as_of: dt.datetime | None,
                  with_crosswalks: bool, engine: str) -> int:
    """Assess FILES and serve the bundled content, each evidence file and the results, each in its named graph, as a
    read-only SPARQL 1.1 endpoint at http://ADDRESS:PORT/query (Oxigraph's server: pip install
    'maturity-graph[serve]'). Stop it with Ctrl-C or SIGTERM."""
    address = bind if bind is not None else LOOPBACK
    with serve_dataset(list(files), bind=address, port=port, store_dir=store_dir, frameworks=list(frameworks) or None,
                       as_of=as_date(as_of), subjects=subjects, with_crosswalks=with_crosswalks,
                       engine=engine) as served:
        if not served.address.loopback:
            _say(f"mgraph: warning: listening on {served.address.bind}: other machines can query the endpoint, "
                 "and it has no authentication")
        for line in dataset_summary(served.dataset):
            click.echo(line, err=True)
        kept = "kept after the server stops" if not served.temporary else "removed when the server stops"
        _say(f"mgraph: store: {served.store_dir} ({kept})")
        _say(f"mgraph: SPARQL endpoint (read-only): {served.endpoint}")
        _say(f"mgraph: query page: {served.page}")
        _say("mgraph: serving; stop with Ctrl-C or SIGTERM")
        served.wait()
    _say("mgraph: server stopped")
    return ExitStatus.OK
