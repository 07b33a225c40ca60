"""The `mgraph` command: parse arguments, call the library, print. Nothing else."""
from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
from importlib import import_module
from pathlib import Path
from typing import NoReturn

import click

from maturity_graph import MaturityGraphError, RowErrors, forget_content, use_content

from .exit import ExitStatus, release_kept
from .render.terminal import terminal_safe

# Each command and the module under commands/ that defines it. A command's module (and the part of the
# library it calls) is imported only when that command runs, or when --help lists them all: start-up
# (`mgraph --version`) stays short and `mgraph frameworks` never loads the SPARQL parser or pyshacl.
COMMANDS = {
    "assess": ("assess", "assess_command"),
    "crosswalk": ("crosswalk", "crosswalk_group"),
    "diff": ("diff", "diff_command"),
    "evidence": ("evidence", "evidence_group"),
    "export": ("export", "export_group"),
    "framework": ("framework", "framework_group"),
    "frameworks": ("frameworks", "frameworks_command"),
    "load": ("load", "load_command"),
    "query": ("query", "query_command"),
    "report": ("report", "report_command"),
    "roadmap": ("roadmap", "roadmap_command"),
    "serve": ("serve", "serve_command"),
    "trend": ("trend", "trend_command"),
    "validate": ("validate", "validate_command"),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use (click's documented lazy-loading pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, name = COMMANDS[cmd_name]
            command = getattr(import_module(f".commands.{module}", __name__), name)
            _take_content(command)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)


CONTENT_HELP = ("Add the frameworks (and crosswalks) of DIR to the bundled ones: a built pack (mgraph framework "
                "build) or a pack folder with framework.yaml (built on the fly). Repeatable; MGRAPH_CONTENT adds "
                "folders too (separated as PATH is).")


def _take_content(command: click.Command) -> None:
    """Every command takes --content too (`mgraph assess --content DIR ...`), adding to the group's own."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _take_content(sub)
    elif not any(param.name == "content" for param in command.params):
        command.params.append(click.Option(
            ["--content"], multiple=True, type=click.Path(path_type=Path), metavar="DIR", expose_value=False,
            is_eager=True, callback=_command_content,
            help="Add the frameworks and crosswalks of DIR (a built pack, or a pack folder built on the fly) to the "
                 "bundled ones. Repeatable; MGRAPH_CONTENT adds folders too (mgraph --help)."))


def _command_content(ctx: click.Context, param: click.Parameter, value: tuple[Path, ...]) -> None:
    if value:
        use_content([*ctx.find_root().obj["content"], *value])


def _say(text: str) -> None:
    """One line on stderr; messages quote file names and evidence, so nothing in them reaches the terminal raw."""
    click.echo(terminal_safe(text, one_line=True), err=True)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="maturity-graph", prog_name="mgraph")
@click.option("-v", "--verbose", count=True, help="More detail on stderr; -v also shows tracebacks of internal errors.")
@click.option("--content", "content", multiple=True, type=click.Path(path_type=Path), metavar="DIR",
              help=CONTENT_HELP + " Give it here (before the command) or after the command's name.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, content: tuple[Path, ...]) -> None:
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
    # The content every command sees: checked (and packs built) before the command runs; packs built on the
    # fly are removed when it ends.
    ctx.call_on_close(forget_content)
    ctx.obj["content"] = content
    use_content(content)


def main(argv: list[str] | None = None) -> int:
    """Entry point: maps every failure to one line on stderr and an exit status.

    As the `mgraph` command (no argv), the process ends the way short-lived tools such as mypy end it.
    The garbage collector runs less often, because a command allocates many small objects that live
    until it ends (at 1M triples its passes cost about 10% and find almost nothing). The process exits
    without freeing memory object by object: freeing an in-memory store of 1M triples alone takes
    about a second. Output is flushed first and every file the command wrote is already renamed into
    place, so nothing is lost.
    """
    if argv is None:
        gc.set_threshold(50_000, 20, 20)
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
    except RowErrors as err:  # many bad rows: one a line, each still made safe for the terminal
        first, *rest = err.lines()
        _say(f"mgraph: error: {first}")
        for line in rest:
            _say(line)
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
        _exit_now(status)
    release_kept()
    return status


def _exit_now(status: int) -> NoReturn:
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that went away (a closed pipe) is not a failure
            stream.flush()
    os._exit(status)
