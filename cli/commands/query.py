"""`mgraph query`: read-only SPARQL over frameworks, evidence and derived results."""
from __future__ import annotations

from pathlib import Path

import click

from maturity_graph import InputError, QueryLimits, named_queries, named_query, prefix_map, run_query

from ..options import as_date, as_of_option, emit, framework_option, output_option, raw_cells_option
from ..render import prefixes as _prefixes_formats  # noqa: F401 - registers the formats
from ..render import query as _query_formats  # noqa: F401 - registers the formats
from ..render.registry import RENDERERS, Kind, Options
from ..render.table import table


def _param(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        params[name.lstrip("?")] = value
    return params


@click.command("query")
@click.argument("args", nargs=-1, type=click.Path(path_type=Path))
@click.option("-q", "--query", "text", default=None, help="The SPARQL query text.")
@click.option("--named", default=None, metavar="NAME", help="A bundled query (see --list).")
@click.option("--list", "list_named", is_flag=True, help="List the bundled named queries and exit.")
@click.option("--prefixes", "list_prefixes", is_flag=True,
              help="List the prefixes every query may use without PREFIX lines (in -f's format) and exit.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind a query variable. Repeatable.")
@framework_option(multiple=True)
@as_of_option()
@RENDERERS.option(Kind.QUERY)
@output_option()
@raw_cells_option()
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=QueryLimits.timeout, show_default=True,
              metavar="SECONDS", help="Stop the query after this long.")
@click.option("--max-rows", type=click.IntRange(min=1), default=QueryLimits.max_rows, show_default=True, metavar="N",
              help="Stop a query that returns more rows (triples for CONSTRUCT and DESCRIBE).")
@click.option("--max-memory", type=click.IntRange(min=1), default=QueryLimits.max_memory, show_default=True,
              metavar="MIB",
              help="Stop a query that needs more memory than this, on top of the loaded graphs.")
def query_command(args, text, named, list_named, list_prefixes, params, frameworks, as_of, fmt, output, raw_cells,
                  timeout, max_rows, max_memory) -> int:
    """Run a query: mgraph query (QUERY_FILE | -q TEXT | --named NAME) [EVIDENCE...].

    The project's prefixes (mm:, ev:, graph:, each framework's, skos:, sh:, ...: see --prefixes) are
    predeclared; a PREFIX the query declares wins over a predeclared one of the same name.

    Queries are read-only and never reach the network. UPDATE, SERVICE and FROM are refused.
    \\u and \\U escapes are expanded before the check, and may only stand for characters outside
    ASCII, so the text checked is the text that runs.

    The query then runs in a child process that cannot open any network connection (a Linux
    seccomp filter on x86_64 and aarch64; elsewhere -v says so and the check alone applies). It is
    stopped, with exit 2, past --timeout, --max-rows or --max-memory; Ctrl-C stops it (exit 130).
    """
    if list_prefixes:
        RENDERERS.write(Kind.PREFIXES, fmt, prefix_map(), output, Options(raw_cells=raw_cells))
        return 0
    if list_named:
        rows = [[q.name, q.description] for q in named_queries().values()]
        emit(table(["NAME", "WHAT A ROW IS"], rows).encode(), None)
        return 0
    if sum(x is not None for x in (text, named)) > 1:
        raise click.UsageError("give one of QUERY_FILE, -q TEXT or --named NAME")
    declared = {}
    evidence = list(args)
    if named is not None:
        query = named_query(named)
        text, declared = query.text, dict(query.params)
    elif text is None:
        if not evidence:
            raise click.UsageError("give QUERY_FILE, -q TEXT or --named NAME")
        path = evidence.pop(0)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError("query file not found", path=path) from None
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(f"cannot read query file: {err}", path=path) from None
    try:
        result = run_query(text, evidence=evidence, frameworks=list(frameworks) or None, as_of=as_date(as_of),
                           params=_param(params), declared=declared, timeout=timeout, max_rows=max_rows,
                           max_memory=max_memory)
    except KeyboardInterrupt:  # the sandbox has killed the query; Abort, because click prints a blank line for this
        raise click.Abort() from None
    RENDERERS.write(Kind.QUERY, fmt, result, output, Options(raw_cells=raw_cells))
    return 0
