"""One headless Chromium for the report's browser tests, and the folder their screenshots go to.

The browser is Debian's chromium at /usr/bin/chromium driven by Playwright for Python (never a
browser Playwright downloads). Where either is missing the browser tests skip with the reason,
except under CI=true, where they fail: CI must not pass by skipping them.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Screenshots and PDFs of every example's report go here when set (CI can keep the folder); else under
# pytest's temporary folder for the session (printed by the artifacts test's output on -rA).
ARTIFACTS_ENV = "MGRAPH_TEST_ARTIFACTS"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
        pytest.fail(f"{reason}; CI=true, so the browser tests must run, not skip")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright for Python is not installed (pip install '.[test]')")
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    named = os.environ.get(ARTIFACTS_ENV)
    folder = Path(named) if named else tmp_path_factory.mktemp("report-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
