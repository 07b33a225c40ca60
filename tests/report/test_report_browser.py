"""Every example's report, opened from a file:// URL in headless Chromium (issue 11, item 2).

Each page must load without a console error and without attempting one request besides itself,
show every scorecard label and stage of its AssessmentResult, render for print (a PDF), and leave a
screenshot in the artifacts folder (conftest.py: $MGRAPH_TEST_ARTIFACTS, else pytest's tmp folder).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from maturity_graph import AssessmentResult, StoreSpec, assess, report_html
from tests.report.examples import HOSTILE, SETS, ExampleSet, evidence_paths, hostile_evidence

# Row header and stage cell of every scorecard row, per section (the sections in the page's order).
SCORECARDS = """() => [...document.querySelectorAll('section.framework')].map(s => ({
  id: s.id,
  rows: [...s.querySelectorAll('table.scorecard tbody tr')].map(tr => [
    tr.querySelector('th').textContent, tr.querySelector('td.stage').textContent])
}))"""


def expected_stage(result: Any) -> str:
    if result.stage is not None:
        return result.stage.label
    return "below the first stage" if result.assessed else "not assessed"


class Page:
    """A report opened in a fresh page, with every console error and request recorded."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.url = path.resolve().as_uri()
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.refused: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.context.route("**/*", self._only_the_page)
        self.page.goto(self.url, wait_until="load")

    def _only_the_page(self, route: Any) -> None:
        if route.request.url == self.url:
            route.continue_()
        else:
            self.refused.append(route.request.url)
            route.abort()

    def close(self) -> None:
        self.context.close()


def render(example: ExampleSet, folder: Path) -> tuple[AssessmentResult, Path]:
    store = StoreSpec().open()
    paths = evidence_paths(example, folder)
    result = assess(paths, frameworks=list(example.frameworks) or None, with_crosswalks=example.with_crosswalks,
                    store=store)
    out = folder / f"{example.name}.html"
    out.write_text(report_html(result, sources=paths, store=store), encoding="utf-8")
    store.close()
    return result, out


@pytest.mark.parametrize("example", SETS, ids=lambda e: e.name)
def test_example_report_in_chromium(example: ExampleSet, browser: Any, artifacts: Path, tmp_path: Path) -> None:
    result, path = render(example, tmp_path)
    opened = Page(browser, path)
    try:
        page = opened.page
        assert opened.errors == [], f"console errors: {opened.errors}"
        assert opened.refused == [], f"the page tried to fetch: {opened.refused}"
        assert set(opened.requests) <= {opened.url}, f"requests besides the page: {opened.requests}"

        sections = page.evaluate(SCORECARDS)
        assert len(sections) == len(result.frameworks)
        for fa, section in zip(result.frameworks, sections, strict=True):
            rows = section["rows"]
            assert len(rows) == len(fa.results), (section["id"], len(rows), len(fa.results))
            for r in fa.results:
                found = [stage for header, stage in rows if r.label in header and (r.id in header or r.id in r.label)]
                assert expected_stage(r) in found, f"{section['id']}: {r.kind} {r.id} {r.label!r} shows {found}"
            for header, _ in rows:
                for r in fa.results:
                    assert header.count(f"({r.id})") <= 1, f"duplicated id in {header!r}"

        portfolios = {fa.framework for fa in result.frameworks if sum(
            1 for other in result.frameworks if other.framework == fa.framework) > 1}
        assert page.locator("table.heat").count() == len(portfolios)
        if not portfolios:  # a single subject gets its charts, each with a text alternative
            charts = page.locator("figure .chart[role=img] svg")
            assert charts.count() >= 1
            for label in page.locator("figure .chart[role=img]").evaluate_all("els => els.map(e => e.ariaLabel)"):
                assert label and ("Stage" in label or "Score" in label), label
        if example.with_crosswalks:
            assert page.locator(".carried").count() >= 1, "crosswalk-carried results are not marked"

        page.screenshot(path=artifacts / f"{example.name}.png", full_page=True)
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none"
        pdf = page.pdf(format="A4", print_background=True)
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
        (artifacts / f"{example.name}.pdf").write_bytes(pdf)
        assert opened.errors == [] and opened.refused == []
    finally:
        opened.close()
    assert (artifacts / f"{example.name}.png").stat().st_size > 10_000


def test_evidence_markup_is_shown_as_text_and_never_runs(browser: Any, tmp_path: Path) -> None:
    evidence = hostile_evidence(tmp_path)
    store = StoreSpec().open()
    html = report_html(assess([evidence], store=store), sources=[evidence], store=store)
    path = tmp_path / "hostile.html"
    path.write_text(html, encoding="utf-8")
    opened = Page(browser, path)
    try:
        page = opened.page
        assert page.evaluate("window.__pwned") is None
        assert page.locator("script").count() == 0
        assert page.locator("main b, header b, main img, header img").count() == 0
        text = page.inner_text("body")
        assert text.count(HOSTILE) >= 3  # organisation, assessment and evidence item, each as typed
        assert opened.refused == [], f"the page tried to fetch: {opened.refused}"  # the <img src=x> never loads
        assert opened.errors == []
    finally:
        opened.close()
