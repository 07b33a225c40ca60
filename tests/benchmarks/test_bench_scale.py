"""The scale benchmark measures each child itself: its peak memory, its exit, and a timeout that stops it."""
from __future__ import annotations

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
