"""Runs every case of the bad-input corpus (tests/badinput/cases_*.py) through the real command."""
from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from tests.badinput.harness import Case, ConnectionCounter, Zygote, lay_out, snapshot

HERE = Path(__file__).parent


def _cases() -> list[Case]:
    found: list[Case] = []
    for path in sorted(HERE.glob("cases_*.py")):
        module = importlib.import_module(f"tests.badinput.{path.stem}")
        found.extend(module.CASES)
    ids = [c.id for c in found]
    duplicated = {i for i in ids if ids.count(i) > 1}
    assert not duplicated, f"case ids used twice: {sorted(duplicated)}"
    return found


@pytest.fixture(scope="module")
def zygote():
    warm = Zygote()
    yield warm
    warm.close()


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c.id)
def test_bad_input(case: Case, zygote: Zygote, module_listener: ConnectionCounter, tmp_path: Path) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    lay_out(case, folder, module_listener.port)
    before = snapshot(folder)
    connections = module_listener.count
    argv = [a.replace("{dir}", str(folder)).replace("{port}", str(module_listener.port))
            .replace("{repo}", str(HERE.parents[1])) for a in case.argv]

    outcome = zygote.run(argv, cwd=folder, timeout=case.timeout)

    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    assert outcome.seconds < case.timeout, f"took {outcome.seconds:.1f} s (limit {case.timeout} s)"
    assert "Traceback" not in outcome.stderr + outcome.stdout
    assert outcome.exit == case.exit, f"exit {outcome.exit}, expected {case.exit}; stderr: {outcome.stderr!r}"
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}: {outcome.stderr!r}"
    assert re.search(case.message, lines[0]), f"{lines[0]!r} does not match {case.message!r}"
    assert module_listener.count == connections, "the command connected to the network"
    assert outcome.peak_rss_mb < case.max_rss_mb, f"peak RSS {outcome.peak_rss_mb:.0f} MB"
    after = snapshot(folder)
    changed = [name for name, state in before.items() if after.get(name) != state]
    assert not changed, f"inputs changed: {changed}"
