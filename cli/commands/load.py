"""`mgraph load`: put the bundled content and evidence files into named graphs of a store that outlives the run."""
from __future__ import annotations

from pathlib import Path

import click

from maturity_graph import StoreSpec, load_into, loadable

from ..options import store_options
from ..render.terminal import terminal_safe


@click.command("load")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@store_options
@click.option("--content/--no-content", default=True, show_default=True,
              help="Also (re)load the bundled content (vocabulary and frameworks) into graph:content.")
def load_command(files: tuple[Path, ...], store_spec: StoreSpec, content: bool) -> int:
    """Load FILES (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML) into a store, one named graph per file.

    The store is --store-dir DIR or --endpoint URL with --update-endpoint URL. Each file goes into
    graph:evidence/<file name>, replacing what that graph held; prints one line per graph loaded.
    """
    if store_spec.directory is None and not store_spec.remote:
        raise click.UsageError("give a store to load into: --store-dir DIR or --endpoint URL --update-endpoint URL")
    if not files and not content:
        raise click.UsageError("nothing to load: give FILES, or leave out --no-content")
    loadable(files)
    store = store_spec.open()
    try:
        loaded = load_into(store, files, content=content)
    finally:
        store.close()
    for graph in loaded:
        fields = [str(graph.graph), f"{graph.triples} triples", graph.source]
        click.echo("\t".join(terminal_safe(field, one_line=True) for field in fields))
    return 0
