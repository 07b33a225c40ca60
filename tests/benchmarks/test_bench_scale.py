"""The scale benchmark measures each child itself: its peak memory, its exit, and a timeout that stops it."""
from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))  # bench_scale imports estate as the script it is run as
bench_scale = pytest.importorskip("bench_scale")


MEASURE = """
import sys
sys.path.insert(0, {benchmarks!r})
import bench_scale
from pathlib import Path
big = bench_scale.run_child([sys.executable, "-c", "b = bytearray(300_000_000); b[::4096] = b'x' * len(b[::4096])"],
                            work=Path({work!r}))
small = bench_scale.run_child([sys.executable, "-c", "pass"], work=Path({work!r}))
print(big.exit, big.peak_mb, small.peak_mb)
"""


def test_peak_memory_is_the_childs(tmp_path):
    """Measured from a small parent, as the benchmark runs: a child forked from a large process (pytest after
    thousands of tests) starts with its parent's pages counted in its peak, so the test must not be that parent."""
    code = MEASURE.format(benchmarks=str(REPO / "benchmarks"), work=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    exit_code, big, small = done.stdout.split()
    assert exit_code == "0"
    assert 300 <= float(big) < 600
    assert float(small) < 100  # a fresh measurement, not the maximum over every child so far


def test_exit_status_and_output_are_kept(tmp_path):
    run = bench_scale.run_child([sys.executable, "-c", "import sys; print('out'); sys.exit('bad input')"],
                                work=tmp_path)
    assert (run.exit, run.stdout.strip(), run.stderr.strip()) == (1, "out", "bad input")
    assert "exit 1: bad input" == bench_scale.exit_check(run, "conforms")


def test_timeout_stops_the_child(tmp_path):
    run = bench_scale.run_child([sys.executable, "-c", "import time; time.sleep(30)"], work=tmp_path, timeout=0.5)
    assert run.exit is None
    assert 0.5 <= run.seconds < 10


def test_timeline_times_each_stderr_line(tmp_path):
    code = "import sys, time; print('a', file=sys.stderr, flush=True); time.sleep(0.4); print('b', file=sys.stderr)"
    run = bench_scale.run_child([sys.executable, "-c", code], work=tmp_path, timeline=True)
    (at_a, a), (at_b, b) = run.timeline
    assert (a, b) == ("a", "b")
    assert at_b - at_a >= 0.35


def test_timeline_folds_per_assessment_lines():
    timeline = [(0.5, "mgraph: maturity_graph.run: loaded x.nt: 21397 triples"),
                (1.0, "mgraph: maturity_graph.assessment.requirements: sbd: 89 requirements, 56 unmet"),
                (1.1, "mgraph: maturity_graph.assessment.requirements: sbd: 89 requirements, 52 unmet"),
                (1.3, "mgraph: maturity_graph.assessment.requirements: sbd: 89 requirements, 40 unmet"),
                (1.4, "not a DEBUG line of the engine"),
                (1.6, "mgraph: maturity_graph.assessment.requirements: csmm: 58 requirements, 35 unmet")]
    shown = bench_scale.collapsed_timeline(timeline)
    assert len(shown) == 3
    assert shown[0].split() == ["0.50", "maturity_graph.run:", "loaded", "x.nt:", "21397", "triples"]
    assert "3 x maturity_graph.assessment.requirements: sbd: # requirements, # unmet (to 1.30" in shown[1]
    assert "median 0.200 s apart; first tenth 0.100, last tenth 0.200" in shown[1]
    assert shown[2].endswith("csmm: 58 requirements, 35 unmet")


def test_portfolio_check_counts_assessments(tmp_path):
    document = ('{"assessments": [{}, {}, {}], "frameworks": [{"framework": "sbd"}, {"framework": "sbd"}, '
                '{"framework": "csmm"}]}')
    run = bench_scale.run_child([sys.executable, "-c", f"print({document!r})"], work=tmp_path)
    assert bench_scale.portfolio_check(run, 3) == "3 assessments, 3 framework results (csmm, sbd)"
    assert bench_scale.portfolio_check(run, 4).endswith("(expected 4)")


@pytest.mark.parametrize(("argv", "sizes"), [([], [(1000, 500)]), (["--quick"], [(20, 10)]),
                                             (["--products", "50,1000", "--accounts", "25,500"],
                                              [(50, 25), (1000, 500)])])
def test_portfolio_sizes(argv, sizes):
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--products", default="1000")
    parser.add_argument("--accounts", default="500")
    assert bench_scale.portfolio_sizes(parser.parse_args(argv)) == sizes


def test_portfolio_sizes_must_pair():
    args = argparse.Namespace(quick=False, products="50,100", accounts="25")
    with pytest.raises(SystemExit, match="same number"):
        bench_scale.portfolio_sizes(args)


def test_timeline_split_into_phases():
    timeline = [(0.5, "mgraph: maturity_graph.catalogue: catalogue: 5 frameworks"),
                (1.5, "mgraph: maturity_graph.run: loaded x.nt: 10 triples"),
                (2.0, "mgraph: maturity_graph.validate.wellformed: well-formedness: 0 results"),
                (2.5, "mgraph: maturity_graph.assessment.requirements: sbd: 89 requirements, 40 unmet"),
                (9.0, "mgraph: maturity_graph.assessment.pipeline: assessed 30 assessments")]
    split = dict(bench_scale.timeline_split(timeline, 10.0))
    assert list(split.values()) == [0.5, 1.0, 0.5, 7.0, 1.0]
    assert sum(split.values()) == 10.0
    assert len(bench_scale.timeline_split(timeline[2:], 10.0)) == 3  # phases without their line are left out


def test_graph_churn_counts_the_live_graph():
    churn = pytest.importorskip("bench_graph_churn")
    for fresh in (False, True):
        found = churn.churn(40, 20, 20, fresh_names=fresh)
        assert [number for number, _, _ in found] == [0, 20, 40]  # and each count found the 20 live quads
        assert all(seconds > 0 and peak > 0 for _, seconds, peak in found)
