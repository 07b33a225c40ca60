"""The wheel carries the ontology, shapes and queries, and `mgraph` runs from anywhere (issue 2)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
                   check=True, capture_output=True, timeout=600)
    return next(out.glob("maturity_graph-*.whl"))


def test_wheel_contains_content(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("maturity_graph/content/ontology/mm.ttl", "maturity_graph/content/ontology/frameworks/sbd.ttl",
                     "maturity_graph/content/shapes/core/evidence.ttl", "maturity_graph/assessment/stage-reached.rq",
                     "maturity_graph/queries/gaps-to-next-stage.rq", "maturity_graph/cli/__init__.py"):
        assert expected in names
    shapes = [n for n in names if n.startswith("maturity_graph/content/shapes/sbd/")]
    assert len(shapes) == len(list((REPO / "shapes" / "sbd").glob("*.ttl")))


def test_installed_wheel_runs_outside_the_repo(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--quiet", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    # Dependencies come from this interpreter's site-packages, appended after the venv's own
    # (so the wheel just installed wins), and nothing is downloaded.
    Path(site, "deps-from-test-runner.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    example = REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl"
    located = subprocess.run([str(python), "-c", "import maturity_graph; print(maturity_graph.__file__)"],
                             cwd=elsewhere, check=True, capture_output=True, text=True).stdout
    assert str(env_dir) in located
    done = subprocess.run([str(bindir / "mgraph"), "assess", str(example), "--format", "json"],
                          cwd=elsewhere, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    overall = next(r for r in json.loads(done.stdout)["results"] if r["kind"] == "overall")
    assert overall["stage"] == {"rank": 2, "label": "Level 2: Developing"}
