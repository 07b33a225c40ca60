"""The `mgraph` command: parse arguments, call the library, print. Nothing else."""
from __future__ import annotations

import logging
import sys

import click

from maturity_graph import MaturityGraphError, __version__

from .commands.assess import assess_command
from .commands.crosswalk import crosswalk_group
from .commands.diff import diff_command
from .commands.evidence import evidence_group
from .commands.frameworks import frameworks_command
from .commands.load import load_command
from .commands.query import query_command
from .commands.validate import validate_command
from .exit import ExitStatus
from .render.terminal import terminal_safe


def _say(text: str) -> None:
    """One line on stderr; messages quote file names and evidence, so nothing in them reaches the terminal raw."""
    click.echo(terminal_safe(text, one_line=True), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mgraph")
@click.option("-v", "--verbose", count=True, help="More detail on stderr; -v also shows tracebacks of internal errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: int) -> None:
    """Score security programmes against maturity models, with evidence as an RDF graph."""
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose
    logging.basicConfig(level=logging.DEBUG if verbose > 1 else logging.WARNING, format="mgraph: %(name)s: %(message)s")
    # The library says at INFO what -v is for: a shape pyshacl runs instead of the compiler, a query
    # run without the network sandbox. Set on every call: a process (a test run) can call main() again.
    library = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    logging.getLogger("maturity_graph").setLevel(library)
    if verbose < 2:
        # rdflib logs a traceback for every ill-typed literal; shapes/core reports them properly.
        logging.getLogger("rdflib").setLevel(logging.CRITICAL)
        logging.getLogger("pyshacl").setLevel(logging.ERROR)


cli.add_command(frameworks_command)
cli.add_command(validate_command)
cli.add_command(assess_command)
cli.add_command(diff_command)
cli.add_command(query_command)
cli.add_command(evidence_group)
cli.add_command(crosswalk_group)
cli.add_command(load_command)


def main(argv: list[str] | None = None) -> int:
    """Entry point: maps every failure to one line on stderr and an exit status."""
    verbose = any(a in ("-v", "--verbose") or (a.startswith("-v") and set(a[1:]) == {"v"})
                  for a in (argv or sys.argv[1:]))
    try:
        status = cli.main(args=argv, prog_name="mgraph", standalone_mode=False)
    except click.exceptions.Exit as done:
        status = done.exit_code
    except click.UsageError as err:
        hint = f" (try '{err.ctx.command_path} --help')" if err.ctx is not None else ""
        _say(f"mgraph: usage error: {err.format_message()}{hint}")
        status = ExitStatus.INPUT_ERROR
    except click.ClickException as err:
        _say(f"mgraph: error: {err.format_message()}")
        status = ExitStatus.INPUT_ERROR
    except MaturityGraphError as err:
        _say(f"mgraph: error: {err}")
        status = ExitStatus.INPUT_ERROR
    except (KeyboardInterrupt, click.Abort):
        _say("mgraph: interrupted")
        status = ExitStatus.INTERRUPTED
    except BrokenPipeError:
        status = ExitStatus.OK
    except Exception as err:  # the last resort: a bug, reported in one line
        if verbose:
            raise
        _say(f"mgraph: internal error: {type(err).__name__}: {err} (run with -v for the traceback)")
        status = ExitStatus.INTERNAL_ERROR
    status = int(status or 0)
    if argv is None:
        sys.exit(status)
    return status
