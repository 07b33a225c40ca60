"""Option decorators shared by several commands."""
from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from maturity_graph import SHACL_ENGINES, StoreSpec, write_output


def output_option(help_text: str = "Write to FILE instead of standard output (a file is written whole or not at "
                                   "all; - is standard output; an input file is refused)."):
    # A str, not a Path: Path("./-") would read as "-", and "./-" must stay a file named "-".
    return click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default=None,
                        help=help_text)


def raw_cells_option():
    return click.option(
        "--raw-cells", is_flag=True,
        help="CSV: write cells exactly as they are. By default a cell starting with = + - @ (or a tab or carriage "
             "return) that is not a number gets a leading ' so a spreadsheet shows it rather than running it.",
    )


def framework_option(multiple: bool = False, required: bool = False):
    return click.option(
        "--framework", "frameworks" if multiple else "framework", multiple=multiple, required=required,
        metavar="ID", help="Framework id, e.g. sbd (or sbd@2025-06-18)." + (" Repeatable." if multiple else ""),
    )


def subject_option():
    return click.option(
        "--subject", "subjects", multiple=True, metavar="NAME",
        help="Only the assessments of this subject (its identifier, label or IRI). Repeatable.",
    )


def as_of_option():
    return click.option(
        "--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
        help="Judge evidence as of this day (YYYY-MM-DD); default: the assessment date in the evidence.",
    )


def with_crosswalks_option(note: str = "what came that way is marked"):
    return click.option(
        "--with-crosswalks", is_flag=True,
        help="Also count evidence carried from the other frameworks the evidence speaks about, through reviewed "
             f"curated crosswalks; {note}.",
    )


def as_date(value) -> dt.date | None:
    return value.date() if value is not None else None


def emit(data: bytes, output: str | Path | None, *, inputs: Iterable[str | Path] | None = None) -> None:
    """Send a result to stdout (no -o, or -o -), a device or pipe, or a file that appears only once complete.

    The output is refused if it is one of `inputs`; by default those are every file the running
    command was given (each of its click.Path parameters but -o), so a new file option is covered too.
    """
    write_output(data, output, inputs=command_inputs() if inputs is None else inputs)


def command_inputs() -> list[str]:
    """The paths given to the running command's file parameters (every click.Path one but -o)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return []
    found = []
    for param in ctx.command.params:
        if param.name == "output" or not isinstance(param.type, click.Path):
            continue
        value = ctx.params.get(param.name)
        values = value if isinstance(value, (list, tuple)) else [value]
        found.extend(os.fspath(v) for v in values if v is not None and os.fspath(v) != "-")
    return found


def store_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Where the run's store lives: --store-dir, or --endpoint with its update, graph store, auth and timeout
    options. The command receives one `store_spec` (maturity_graph.StoreSpec); `store_spec.open()` opens it."""
    options = [
        click.option("--store-dir", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
                     help="Keep the store on disk in DIR (created if absent; reopened by later runs) instead of "
                          "in memory."),
        click.option("--endpoint", metavar="URL", default=None,
                     help="Use the SPARQL 1.1 query endpoint at URL as the store (http or https; see docs/stores.md)."),
        click.option("--update-endpoint", metavar="URL", default=None,
                     help="The endpoint's SPARQL 1.1 Update URL; without it the endpoint is only read."),
        click.option("--graph-store", metavar="URL", default=None,
                     help="The endpoint's Graph Store Protocol URL, for loading files fast (Oxigraph: .../store); "
                          "without it files are sent as SPARQL INSERT DATA to the update endpoint."),
        click.option("--auth-env", metavar="NAME", default=None,
                     help="Name of an environment variable holding the endpoint's credentials: 'user:password' "
                          "(basic) or 'Bearer TOKEN'. Never put credentials on the command line."),
        click.option("--endpoint-timeout", type=click.FloatRange(min=0, min_open=True), default=StoreSpec.timeout,
                     show_default=True, metavar="SECONDS", help="Give up on an endpoint that does not answer within "
                                                                "SECONDS (per wait on the network)."),
    ]

    @functools.wraps(command)
    def with_store(*args: Any, store_dir: Path | None, endpoint: str | None, update_endpoint: str | None,
                   graph_store: str | None, auth_env: str | None, endpoint_timeout: float, **kwargs: Any) -> Any:
        if store_dir is not None and endpoint is not None:
            raise click.UsageError("give either --store-dir or --endpoint, not both")
        if endpoint is None and (update_endpoint or graph_store or auth_env):
            raise click.UsageError("--update-endpoint, --graph-store and --auth-env need --endpoint")
        spec = StoreSpec(directory=store_dir, endpoint=endpoint, update_endpoint=update_endpoint,
                         graph_store=graph_store, auth_env=auth_env, timeout=endpoint_timeout)
        return command(*args, store_spec=spec, **kwargs)

    for option in reversed(options):
        with_store = option(with_store)
    return with_store


def engine_option() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--engine", type=click.Choice(list(SHACL_ENGINES)), default=SHACL_ENGINES[0], show_default=True,
        help="How SHACL shapes run: sparql (compiled to SPARQL queries on the store) or pyshacl (the reference "
             "implementation; slower, for comparison). A shape the compiler does not support is run by pyshacl "
             "either way, and -v says so.",
    )


def reads_store(evidence: tuple[Path, ...], store_spec: StoreSpec) -> bool:
    """Whether the run reads a store the user named (--store-dir, --endpoint) instead of EVIDENCE files."""
    named = store_spec.directory is not None or store_spec.remote
    if named and evidence:
        raise click.UsageError("give EVIDENCE files or a store holding evidence (--store-dir, --endpoint), not both; "
                               "put files into a store with mgraph load")
    if not named and not evidence:
        raise click.UsageError("give EVIDENCE files, or a store holding evidence: --store-dir DIR or --endpoint URL")
    if store_spec.directory is not None and not store_spec.directory.exists():  # reading never creates a store
        raise click.BadParameter(f"{store_spec.directory}: no store there; fill one with mgraph load FILES "
                                 f"--store-dir {store_spec.directory}", param_hint="--store-dir")
    return named
