"""Seconds and peak memory of mgraph on whole estates, against the load floor and pyshacl; asserts nothing.

    python benchmarks/bench_scale.py [--sizes 10k,100k,1M] [--quick] [--steps] [--keep DIR] [--seed 7] [--repeat 1]
    python benchmarks/bench_scale.py --portfolio [--products 1000 --accounts 500] [--quick] [--steps] ...

For each size an estate is generated (benchmarks/estate.py: attestations and observations on every
bundled model and a Prowler scan of many AWS accounts, imported with `mgraph evidence
import`, all in one N-Triples file). Every figure comes from a fresh child process, one at a time:
wall seconds from spawn to exit, peak RSS from the kernel (wait4's ru_maxrss). The floor is
pyoxigraph loading the same file into an in-memory store; pyshacl validates the evidence with
shapes/core/evidence.ttl and is stopped after 60 s. Targets of issue 9 are printed next to the
figures. Figures depend on the machine and its load; record them in docs/scale.md.

mgraph keeps compiled shape programs between runs (docs/shacl.md); the children share a cache folder of
their own, emptied at the start. The first assessment of the first size runs with it empty (it compiles
and fills it) and is printed as such; every other figure is a warm run, as a user's second run is.

`--portfolio` measures the portfolio of issue 10 instead (benchmarks/portfolio_estate.py): one SbD
assessment per product and one CSMM assessment per cloud account in one graph (1,000 and 500 make
about 1M triples; `--products 50,1000 --accounts 25,500` runs several sizes, `--quick` 20 and 10),
against the same targets, with the cost per assessment (assess beyond validate, over the assessments).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from estate import ESTATE_ASSESSMENT, ESTATE_SUBJECT, Estate, build_estate, parse_size, size_name
from portfolio_estate import ORGANISATION, Portfolio, build_portfolio, portfolio_name

PYSHACL_TIMEOUT = 60.0
TARGET_FLOOR_RATIO = 3.0  # 1M triples end to end, at most this many times the floor
TARGET_PEAK_MB = 700.0  # 1M triples end to end
TARGET_SMALL_SECONDS = 1.0  # 10k triples, beyond start-up
PORTFOLIO_FULL = (1000, 500)  # issue 10: products and cloud accounts, about 1M triples
PORTFOLIO_QUICK = (20, 10)
# Input size guards are safety limits, not costs: lift them so the biggest estate is read at all. Python
# may keep compiled bytecode, as an installed wheel has it (pip compiles on install): a machine that sets
# PYTHONDONTWRITEBYTECODE would otherwise compile every module of an editable install in every child.
CHILD_ENV = {"MGRAPH_MAX_INPUT_MB": "4096", "PYTHONDONTWRITEBYTECODE": ""}

# The floor: the least any tool that reads this file into a store must spend. Store.load, not bulk_load:
# as fast within noise, and a third less memory (1M triples: 409 against 630 MB).
FLOOR_CODE = """
import sys, pyoxigraph
store = pyoxigraph.Store()
store.load(path=sys.argv[1], format=pyoxigraph.RdfFormat.N_TRIPLES)
print(len(store))
"""
# The oracle as mgraph runs it (validate/shacl.py): evidence plus bundled content, shapes/core, no inference.
PYSHACL_CODE = """
import sys
from importlib import resources
import pyshacl, rdflib
from maturity_graph import load_catalogue
data = rdflib.Graph()
data.parse(sys.argv[1], format="nt")
data += load_catalogue().content_graph
shapes = rdflib.Graph()
shapes.parse(data=resources.files("maturity_graph.content").joinpath("shapes/core/evidence.ttl").read_text(),
             format="turtle")
conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False,
                                       allow_warnings=True, do_owl_imports=False)
print("conforms" if conforms else "violations")
"""


@dataclass(frozen=True)
class Run:
    """One child process: how long it ran, its peak resident memory, how it ended, what it printed."""

    seconds: float
    cpu: float  # user + system seconds: on a busy shared machine the steadier figure
    peak_mb: float
    exit: int | None  # None when it was stopped at the timeout
    stdout: str
    stderr: str
    timeline: tuple[tuple[float, str], ...] = ()  # (seconds since spawn, stderr line) when asked for


@dataclass(frozen=True)
class Startup:
    """Two start-ups: the bare command line (`--version` imports no RDF library since issue 9's second pass),
    and the command line with the library an assessment imports (`assess --help`), which is what
    `--version` measured when issue 9 set its 10k target."""

    bare: Run
    library: Run


def run_child(argv: Sequence[str], *, work: Path, timeout: float | None = None, timeline: bool = False) -> Run:
    """Run argv to the end (or the timeout) and measure it; stdout goes to a file, so output size cannot block it."""
    env = {**os.environ, **CHILD_ENV}
    out_path, err_path = work / "child.out", work / "child.err"
    lines: list[tuple[float, str]] = []
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=out, stderr=subprocess.PIPE if timeline else err, env=env)
        reader = None
        if timeline:
            def read_lines() -> None:
                assert proc.stderr is not None
                for raw in proc.stderr:
                    lines.append((time.perf_counter() - start, raw.decode("utf-8", "replace").rstrip()))
            reader = threading.Thread(target=read_lines, daemon=True)
            reader.start()
        status, usage, stopped = _wait(proc, start, timeout)
        seconds = time.perf_counter() - start
        if reader is not None:
            reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4, so Popen must not wait again
    stderr = "\n".join(line for _, line in lines) if timeline else err_path.read_text("utf-8", "replace")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024 / 1e6,
               None if stopped else proc.returncode,
               out_path.read_text("utf-8", "replace"), stderr, tuple(lines))


def _wait(proc: subprocess.Popen[bytes], start: float,
          timeout: float | None) -> tuple[int, resource.struct_rusage, bool]:
    """Reap the child with wait4 (its own rusage, not the sum of all children); kill it at the timeout."""
    if timeout is None:
        _, status, usage = os.wait4(proc.pid, 0)
        return status, usage, False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            return status, usage, False
        if time.perf_counter() - start > timeout:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            return status, usage, True
        time.sleep(0.01)



def floor_table(path: Path, directory: Path, repeat: int) -> tuple[Table, dict[str, Run]]:
    """A table of runs opened with the floor: what loading the N-Triples into pyoxigraph alone costs."""
    table = Table()
    floor = fastest([sys.executable, "-c", FLOOR_CODE, str(path)], work=directory, repeat=repeat)
    table.floor = floor
    loaded = floor.stdout.strip()
    table.row("floor: pyoxigraph Store().load, in memory", floor,
              f"{int(loaded):,} triples" if loaded.isdigit() else exit_check(floor, ""))
    return table, {"floor": floor}

def fastest(argv: Sequence[str], *, work: Path, repeat: int, timeout: float | None = None) -> Run:
    """The fastest of `repeat` runs: on a shared machine the least disturbed one is the closest to the cost."""
    runs = [run_child(argv, work=work, timeout=timeout) for _ in range(max(1, repeat))]
    finished = [r for r in runs if r.exit is not None]
    return min(finished, key=lambda r: r.seconds) if finished else runs[0]


def mgraph_command() -> list[str]:
    """The mgraph beside this interpreter (the venv's), else the one on PATH."""
    beside = Path(sys.executable).with_name("mgraph")
    found = str(beside) if beside.is_file() else shutil.which("mgraph")
    if not found:
        raise SystemExit("mgraph is not installed next to this Python or on PATH")
    return [found]


class Table:
    """The rows of one size, printed as they come, with ratios against the floor."""

    HEADER = f"{'step':<52}{'seconds':>9}{'cpu s':>8}{'peak MB':>9}{'x floor s':>11}{'x floor MB':>12}  check"

    def __init__(self) -> None:
        self.floor: Run | None = None
        print(self.HEADER)

    def row(self, step: str, run: Run, check: str, *, same_input: bool = True) -> None:
        if run.exit is None:
            print(f"{step:<52}{'-':>9}{run.cpu:>8.1f}{run.peak_mb:>9.0f}{'-':>11}{'-':>12}  {check}")
            return
        ratio_s = ratio_mb = "-"
        if self.floor is not None and run is not self.floor and same_input:
            ratio_s = f"{run.seconds / self.floor.seconds:.1f}x"
            ratio_mb = f"{run.peak_mb / self.floor.peak_mb:.1f}x"
        print(f"{step:<52}{run.seconds:>9.2f}{run.cpu:>8.2f}{run.peak_mb:>9.0f}{ratio_s:>11}{ratio_mb:>12}  {check}",
              flush=True)


def exit_check(run: Run, ok: str) -> str:
    if run.exit == 0:
        return ok
    last = run.stderr.strip().splitlines()[-1:] or ["(nothing on stderr)"]
    return f"exit {run.exit}: {last[0][:80]}"


def assess_check(run: Run) -> str:
    if run.exit != 0:
        return exit_check(run, "")
    try:
        document = json.loads(run.stdout)
        frameworks = sorted({r["framework"] for r in document["results"]})
    except (ValueError, KeyError, TypeError) as err:
        return f"output is not the expected JSON ({err})"
    return f"{len(frameworks)} models: {', '.join(frameworks)}"


def bench_size(triples: int, directory: Path, *, seed: int, steps: bool, repeat: int, mgraph: list[str],
               startup: Startup, cold: bool = False) -> dict[str, Run]:
    """Generate one estate and print its table; returns the runs by step, for the summary."""
    imports: list[Run] = []

    def import_with_cli(scan: Path, out: Path) -> None:
        run = run_child([*mgraph, "evidence", "import", "--from", "prowler", str(scan), "--subject", ESTATE_SUBJECT,
                         "--assessment", ESTATE_ASSESSMENT, "-o", str(out)], work=directory)
        if run.exit != 0:
            raise SystemExit(f"mgraph evidence import failed on {scan}: {run.stderr.strip()[-300:]}")
        imports.append(run)

    began = time.perf_counter()
    estate: Estate = build_estate(triples, directory, seed=seed, importer=import_with_cli)
    size_mb = estate.path.stat().st_size / 1e6
    print(f"\n== {size_name(triples)}: {estate.triples:,} triples ({size_mb:.0f} MB N-Triples): "
          f"{estate.attestations:,} attestations, {estate.observations:,} observations, "
          f"{estate.findings:,} Prowler findings over {estate.accounts} accounts "
          f"(generated in {time.perf_counter() - began:.0f} s); load average {os.getloadavg()[0]:.2f}")
    table, runs = floor_table(estate.path, directory, repeat)
    runs["import"] = imports[0]
    table.row(f"mgraph evidence import --from prowler ({estate.findings:,} findings)", imports[0],
              f"reads the {estate.scan.stat().st_size / 1e6:.0f} MB OCSF scan, not the estate", same_input=False)
    if cold:
        runs["cold"] = run_child([*mgraph, "assess", str(estate.path), "-f", "json"], work=directory)
        table.row("mgraph assess -f json, first run (compiles the shapes, fills the cache)", runs["cold"],
                  assess_check(runs["cold"]))
    runs["validate"] = fastest([*mgraph, "validate", str(estate.path)], work=directory, repeat=repeat)
    table.row("mgraph validate", runs["validate"], exit_check(runs["validate"], "conforms"))
    runs["assess"] = fastest([*mgraph, "assess", str(estate.path), "-f", "json"], work=directory, repeat=repeat)
    table.row("mgraph assess -f json (end to end)", runs["assess"], assess_check(runs["assess"]))
    for label, base in (("mgraph --version", startup.bare), ("mgraph assess --help", startup.library)):
        print(f"{'  of which beyond start-up (' + label + ')':<52}{runs['assess'].seconds - base.seconds:>9.2f}"
              f"{runs['assess'].cpu - base.cpu:>8.2f}")
    runs["pyshacl"] = fastest([sys.executable, "-c", PYSHACL_CODE, str(estate.path)], work=directory,
                              repeat=repeat, timeout=PYSHACL_TIMEOUT)
    table.row("pyshacl: shapes/core/evidence.ttl (parse + validate)", runs["pyshacl"],
              f"did not finish in {PYSHACL_TIMEOUT:.0f} s" if runs["pyshacl"].exit is None
              else exit_check(runs["pyshacl"], runs["pyshacl"].stdout.strip()))
    if steps:
        timed = run_child([*mgraph, "-vv", "assess", str(estate.path), "-f", "json"], work=directory, timeline=True)
        print(f"  assess -vv: when each DEBUG line of maturity_graph appeared ({timed.seconds:.2f} s in all)")
        for at, line in timed.timeline:
            if line.startswith("mgraph: maturity_graph"):
                print(f"  {at:>8.2f}  {line[len('mgraph: '):][:140]}")
    return runs


def summary(results: dict[int, dict[str, Run]], startup: Startup) -> None:
    """The targets of issue 9 against what was measured."""
    print("\n== targets (issue 9)")
    for triples, runs in sorted(results.items()):
        assess, floor = runs["assess"], runs["floor"]
        if triples <= 10_000:
            for label, base in (("mgraph --version", startup.bare), ("mgraph assess --help", startup.library)):
                beyond = assess.seconds - base.seconds
                verdict = "met" if beyond < TARGET_SMALL_SECONDS else "NOT met"
                print(f"{size_name(triples)}: assess {beyond:.2f} s ({assess.cpu - base.cpu:.2f} cpu s) beyond "
                      f"start-up as `{label}` measures it (target < {TARGET_SMALL_SECONDS:.0f} s): {verdict}")
        if triples >= 1_000_000:
            ratio = assess.seconds / floor.seconds
            print(f"{size_name(triples)}: assess {assess.seconds:.1f} s = {ratio:.1f}x the floor "
                  f"(target <= {TARGET_FLOOR_RATIO:.0f}x, {TARGET_FLOOR_RATIO * floor.seconds:.1f} s): "
                  f"{'met' if ratio <= TARGET_FLOOR_RATIO else 'NOT met'}; peak {assess.peak_mb:.0f} MB "
                  f"(target <= {TARGET_PEAK_MB:.0f} MB): {'met' if assess.peak_mb <= TARGET_PEAK_MB else 'NOT met'}")
    ordered = sorted(results.items())
    for (small, a), (big, b) in zip(ordered, ordered[1:], strict=False):
        per = 1e5 / (big - small)
        wall, cpu = (b["assess"].seconds - a["assess"].seconds) * per, (b["assess"].cpu - a["assess"].cpu) * per
        print(f"growth {size_name(small)} -> {size_name(big)}: assess costs {wall:.1f} s ({cpu:.1f} cpu s) "
              "per 100k more triples "
              "(the same from size to size when cost grows linearly)")
    if not any(t >= 1_000_000 for t in results):
        print("1M not run: the end-to-end targets (<= 3x floor, <= 700 MB) need --sizes 1M")


def portfolio_check(run: Run, assessments: int) -> str:
    """How many assessments the JSON lists, and of which frameworks: one per product and one per account."""
    if run.exit != 0:
        return exit_check(run, "")
    try:
        document = json.loads(run.stdout)
        listed = len(document["assessments"])
        frameworks = sorted({r["framework"] for r in document["frameworks"]})
        results = len(document["frameworks"])
    except (ValueError, KeyError, TypeError) as err:
        return f"output is not the expected JSON ({err})"
    verdict = "" if listed == assessments == results else f" (expected {assessments:,})"
    return f"{listed:,} assessments, {results:,} framework results ({', '.join(frameworks)}){verdict}"


def collapsed_timeline(timeline: Sequence[tuple[float, str]]) -> list[str]:
    """The -vv timeline with runs of the same line (numbers aside) folded into one: per-assessment lines
    would otherwise be thousands; each fold says how many, from when to when, and the median gap overall, over
    its first tenth and over its last (a cost that grows with the assessments done: a last tenth above the first)."""
    shown: list[str] = []
    lines = [(at, line[len("mgraph: "):]) for at, line in timeline if line.startswith("mgraph: maturity_graph")]
    i = 0
    while i < len(lines):
        shape = re.sub(r"\d+", "#", lines[i][1])
        j = i + 1
        while j < len(lines) and re.sub(r"\d+", "#", lines[j][1]) == shape:
            j += 1
        if j - i == 1:
            shown.append(f"{lines[i][0]:>8.2f}  {lines[i][1][:140]}")
        else:
            gaps = [b[0] - a[0] for a, b in zip(lines[i:j], lines[i + 1:j], strict=False)]
            tenth = max(1, len(gaps) // 10)
            shown.append(f"{lines[i][0]:>8.2f}  {j - i} x {shape[:110]} (to {lines[j - 1][0]:.2f}, "
                         f"median {median(gaps):.3f} s apart; first tenth {median(gaps[:tenth]):.3f}, "
                         f"last tenth {median(gaps[-tenth:]):.3f})")
        i = j
    return shown


SPLIT_MARKS = (("start-up and bundled content", "maturity_graph.catalogue:"),
               ("loading the evidence", "maturity_graph.run: loaded"),
               ("well-formedness (validate's work)", "maturity_graph.validate.wellformed:"),
               ("the assessments, one by one", "maturity_graph.assessment.pipeline: assessed"))


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def timeline_split(timeline: Sequence[tuple[float, str]], total: float) -> list[tuple[str, float]]:
    """The phases of an assessment, each from the previous mark to the -vv line that ends it; the rest is the end
    (portfolio roll-up, output, exit). A phase whose line is missing is left out."""
    split: list[tuple[str, float]] = []
    before = 0.0
    for phase, mark in SPLIT_MARKS:
        at = next((t for t, line in timeline if mark in line), None)
        if at is not None:
            split.append((phase, at - before))
            before = at
    split.append(("the end: roll-ups across subjects, output, exit", total - before))
    return split


def bench_portfolio(products: int, accounts: int, directory: Path, *, seed: int, steps: bool, repeat: int,
                    mgraph: list[str], startup: Startup) -> tuple[Portfolio, dict[str, Run]]:
    """Generate one portfolio and print its table; returns it and the runs by step, for the summary."""
    imports: list[Run] = []

    def import_with_cli(scan: Path, out: Path) -> None:
        run = run_child([*mgraph, "evidence", "import", "--from", "prowler", str(scan), "--organisation",
                         ORGANISATION, "-f", "nt", "-o", str(out)], work=directory)
        if run.exit != 0:
            raise SystemExit(f"mgraph evidence import failed on {scan}: {run.stderr.strip()[-300:]}")
        imports.append(run)

    began = time.perf_counter()
    portfolio = build_portfolio(products, accounts, directory, seed=seed, importer=import_with_cli)
    n = products + accounts
    print(f"\n== portfolio {portfolio_name(products, accounts)}: {n:,} assessments ({products:,} SbD products, "
          f"{accounts:,} CSMM accounts), {portfolio.triples:,} triples "
          f"({portfolio.path.stat().st_size / 1e6:.0f} MB N-Triples): {portfolio.attestations:,} attestations "
          f"({portfolio.superseded:,} superseded, {portfolio.expired:,} expired), {portfolio.shared} shared items "
          f"drawn on {portfolio.draws:,} times, {portfolio.findings:,} Prowler findings (generated in "
          f"{time.perf_counter() - began:.0f} s); load average {os.getloadavg()[0]:.2f}")
    table, runs = floor_table(portfolio.path, directory, repeat)
    if imports:
        runs["import"] = imports[0]
        table.row(f"mgraph evidence import --from prowler ({portfolio.findings:,} findings)", imports[0],
                  f"reads the {portfolio.scan.stat().st_size / 1e6:.0f} MB OCSF scan, not the portfolio",
                  same_input=False)
    runs["validate"] = fastest([*mgraph, "validate", str(portfolio.path)], work=directory, repeat=repeat)
    table.row("mgraph validate", runs["validate"], exit_check(runs["validate"], "conforms"))
    if steps:  # the measured run itself logs its steps: at 1M a second run would cost minutes
        runs["assess"] = run_child([*mgraph, "-vv", "assess", str(portfolio.path), "-f", "json"], work=directory,
                                   timeline=True)
        table.row("mgraph -vv assess -f json (end to end)", runs["assess"], portfolio_check(runs["assess"], n))
    else:
        runs["assess"] = fastest([*mgraph, "assess", str(portfolio.path), "-f", "json"], work=directory,
                                 repeat=repeat)
        table.row("mgraph assess -f json (end to end)", runs["assess"], portfolio_check(runs["assess"], n))
    floor, validate, assess = runs["floor"], runs["validate"], runs["assess"]
    print(f"{'  validate beyond floor and start-up (assess --help)':<52}"
          f"{validate.seconds - floor.seconds - startup.library.seconds:>9.2f}"
          f"{validate.cpu - floor.cpu - startup.library.cpu:>8.2f}")
    print(f"{'  assess beyond validate: the ' + format(n, ',') + ' assessments':<52}"
          f"{assess.seconds - validate.seconds:>9.2f}{assess.cpu - validate.cpu:>8.2f}")
    print(f"{'  of which per assessment':<52}{(assess.seconds - validate.seconds) / n:>9.3f}"
          f"{(assess.cpu - validate.cpu) / n:>8.3f}")
    if steps:
        print("  where the assessment's wall seconds went (from its -vv lines):")
        for phase, seconds in timeline_split(assess.timeline, assess.seconds):
            print(f"    {phase:<48}{seconds:>9.2f}")
        print("  when each DEBUG line of maturity_graph appeared (seconds since spawn; repeated lines folded):")
        for line in collapsed_timeline(assess.timeline):
            print(f"  {line}")
    return portfolio, runs


def portfolio_summary(results: list[tuple[Portfolio, dict[str, Run]]]) -> None:
    """Issue 10's targets (issue 9's, on the portfolio) against what was measured, and the cost per assessment."""
    print("\n== targets (issue 10: the portfolio, about 1M triples, <= 3x the floor, <= 700 MB)")
    full = PORTFOLIO_FULL[0] + PORTFOLIO_FULL[1]
    for portfolio, runs in results:
        assess, validate, floor = runs["assess"], runs["validate"], runs["floor"]
        n = portfolio.products + portfolio.accounts
        ratio = assess.seconds / floor.seconds
        per = (assess.seconds - validate.seconds) / n
        verdict = ("met" if ratio <= TARGET_FLOOR_RATIO else "NOT met") if n >= full else "(target is for 1000x500)"
        print(f"{portfolio_name(portfolio.products, portfolio.accounts)} ({portfolio.triples:,} triples): assess "
              f"{assess.seconds:.1f} s = {ratio:.1f}x the floor of {floor.seconds:.2f} s {verdict}; peak "
              f"{assess.peak_mb:.0f} MB ({'met' if assess.peak_mb <= TARGET_PEAK_MB else 'NOT met'} against "
              f"{TARGET_PEAK_MB:.0f} MB); {per:.3f} s per assessment beyond validate")
        if n < full:
            scale = full / n
            projected = validate.seconds * scale + per * full
            print(f"  projected to {portfolio_name(*PORTFOLIO_FULL)}, if validate grows with the triples and each "
                  f"assessment keeps costing {per:.3f} s: {projected:.0f} s against a target of about "
                  f"{TARGET_FLOOR_RATIO * floor.seconds * scale:.0f} s")
    for (small, a), (big, b) in zip(results, results[1:], strict=False):
        n_small, n_big = small.products + small.accounts, big.products + big.accounts
        per_small = (a["assess"].seconds - a["validate"].seconds) / n_small
        per_big = (b["assess"].seconds - b["validate"].seconds) / n_big
        print(f"growth {portfolio_name(small.products, small.accounts)} -> {portfolio_name(big.products, big.accounts)}"
              f": {per_small:.3f} -> {per_big:.3f} s per assessment (the same when an assessment's cost does not "
              f"grow with the graph)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="comma-separated triple counts (default 10k,100k,1M)")
    parser.add_argument("--quick", action="store_true",
                        help=f"10k only; --portfolio: {PORTFOLIO_QUICK[0]} products, {PORTFOLIO_QUICK[1]} accounts")
    parser.add_argument("--portfolio", action="store_true",
                        help="measure the portfolio of issue 10 (one assessment per product and per account)")
    parser.add_argument("--products", default=str(PORTFOLIO_FULL[0]),
                        help=f"with --portfolio: products, comma-separated for several sizes ({PORTFOLIO_FULL[0]})")
    parser.add_argument("--accounts", default=str(PORTFOLIO_FULL[1]),
                        help=f"with --portfolio: cloud accounts, one per product count (default {PORTFOLIO_FULL[1]})")
    parser.add_argument("--steps", action="store_true",
                        help="also run assess with -vv and show when each DEBUG line appeared")
    parser.add_argument("--keep", type=Path, help="write the estates to this folder and keep them")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=1, help="run each step this many times, keep the fastest")
    args = parser.parse_args(argv)
    sizes = [10_000] if args.quick else [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    mgraph = mgraph_command()
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        directory = Path(args.keep or tmp)
        directory.mkdir(parents=True, exist_ok=True)
        cache = directory / "compiled-shapes-cache"
        shutil.rmtree(cache, ignore_errors=True)
        CHILD_ENV["MGRAPH_CACHE_DIR"] = str(cache)
        print(f"mgraph {' '.join(mgraph)}; Python {sys.version.split()[0]}; {os.cpu_count()} CPUs; "
              f"load average {os.getloadavg()[0]:.2f}")
        startup = Startup(bare=fastest([*mgraph, "--version"], work=directory, repeat=max(3, args.repeat)),
                          library=fastest([*mgraph, "assess", "--help"], work=directory, repeat=max(3, args.repeat)))
        content = fastest([*mgraph, "frameworks"], work=directory, repeat=args.repeat)
        for label, run in (("start-up: mgraph --version", startup.bare),
                           ("start-up with the library: mgraph assess --help", startup.library)):
            print(f"{label:<52}{run.seconds:>9.2f}{run.cpu:>8.2f}{run.peak_mb:>9.0f}")
        print(f"{'start-up and bundled content: mgraph frameworks':<52}{content.seconds:>9.2f}{content.cpu:>8.2f}"
              f"{content.peak_mb:>9.0f}")
        if args.portfolio:
            bench_portfolios(portfolio_sizes(args), directory, args=args, mgraph=mgraph, startup=startup)
            return
        results = {}
        for triples in sizes:
            results[triples] = bench_size(triples, directory, seed=args.seed, steps=args.steps, repeat=args.repeat,
                                          mgraph=mgraph, startup=startup, cold=triples == sizes[0])
        summary(results, startup)



def portfolio_sizes(args: argparse.Namespace) -> list[tuple[int, int]]:
    """(products, accounts) pairs from --products and --accounts, or the quick size."""
    if args.quick:
        return [PORTFOLIO_QUICK]
    products = [int(p) for p in args.products.split(",") if p.strip()]
    accounts = [int(a) for a in args.accounts.split(",") if a.strip()]
    if len(products) != len(accounts) or not products or min(products + accounts) < 1:
        raise SystemExit("--products and --accounts need the same number of positive counts")
    return list(zip(products, accounts, strict=True))


def bench_portfolios(sizes: list[tuple[int, int]], directory: Path, *, args: argparse.Namespace,
                     mgraph: list[str], startup: Startup) -> None:
    """Fill the cache of compiled shapes on a tiny portfolio first (printed), then measure each size warm."""
    tiny = directory / "tiny"
    tiny.mkdir(exist_ok=True)
    first = build_portfolio(2, 1, tiny, seed=args.seed)
    cold = run_child([*mgraph, "assess", str(first.path), "-f", "json"], work=directory)
    print(f"{'first assess, 2x1 portfolio (compiles, fills the cache)':<52}{cold.seconds:>9.2f}{cold.cpu:>8.2f}"
          f"{cold.peak_mb:>9.0f}  {portfolio_check(cold, 3)}")
    results = [bench_portfolio(products, accounts, directory, seed=args.seed, steps=args.steps, repeat=args.repeat,
                               mgraph=mgraph, startup=startup) for products, accounts in sizes]
    portfolio_summary(results)


if __name__ == "__main__":
    main()
