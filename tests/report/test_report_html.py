"""`report_html` and `mgraph report` without a browser: the page's content, escaping and self-containment."""
from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maturity_graph import StoreSpec, assess, report_html
from maturity_graph.cli import main
from maturity_graph.report.model import display_label
from tests.report.examples import EXAMPLES, SETS, evidence_paths, hostile_evidence

NORTHWIND = EXAMPLES / "northwind-devices" / "sbd-evidence.ttl"
KESTREL = [EXAMPLES / "kestrel-logistics" / "cnamm-evidence.ttl", EXAMPLES / "kestrel-logistics" / "cnamm-weighted.ttl"]


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside each <table>'s cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def northwind() -> str:
    store = StoreSpec().open()
    return report_html(assess([NORTHWIND], store=store), sources=[NORTHWIND], store=store)


@given(label=st.text(min_size=1, max_size=40), id_=st.from_regex(r"[A-Z][A-Z0-9-]{0,8}", fullmatch=True))
@settings(max_examples=200, deadline=None)
def test_display_label_names_the_id_once(label: str, id_: str) -> None:
    shown = display_label(label, id_)
    assert shown.startswith(label)
    if label == id_:
        assert shown == label
    else:  # the id in brackets exactly once, or as often as the label itself has it
        assert shown.count(f"({id_})") == max(1, label.count(f"({id_})"))


def test_display_label_does_not_repeat_an_abbreviation_the_label_holds() -> None:
    assert display_label("Security Testing (SAST/SCA) (SST)", "SST") == "Security Testing (SAST/SCA) (SST)"
    assert display_label("Secure Development Lifecycle (SDL)", "SDL") == "Secure Development Lifecycle (SDL)"
    assert display_label("Risk Assessment", "RSK") == "Risk Assessment (RSK)"


def test_page_fetches_nothing_and_runs_nothing(northwind: str) -> None:
    parsed = parse(northwind)
    assert not [t for t, _ in parsed.tags if t in ("script", "link", "iframe", "object", "embed", "img", "base")]
    external = [(t, a) for t, a in parsed.tags for k in ("src", "href", "xlink:href", "action")
                if (a.get(k) or "#").split(":")[0] not in ("#",) and not (a.get(k) or "#").startswith(("#", "data:"))]
    assert external == []
    assert not re.search(r"url\((?!#)", northwind), "a style sheet URL would be fetched"
    csp = [a for t, a in parsed.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")


def test_page_holds_the_facts_of_the_result(northwind: str) -> None:
    text = " ".join(parse(northwind).text)
    result = assess([NORTHWIND])
    fa = result.frameworks[0]
    assert "2026-03-31" in text and "Northwind Devices Ltd" in text and str(NORTHWIND) in text
    for gap in (g for r in fa.of_kind("capability") for g in r.gaps):
        assert gap.id in text and gap.reason in text
    # evidence freshness: an item, its date, validity and expiry (2025-11-04 + 365 days)
    assert re.search(r"Firmware hardening checklist.*2025-11-04\s*365\s*2026-11-04\s*218", " ".join(text.split()))


def test_accessible_structure(northwind: str) -> None:
    parsed = parse(northwind)
    tags = [t for t, _ in parsed.tags]
    assert tags.count("h1") == 1 and "h2" in tags and "h3" in tags
    assert tags.count("table") == tags.count("caption")
    assert all(a.get("scope") in ("col", "row") for t, a in parsed.tags if t == "th")
    charts = [a for t, a in parsed.tags if t == "div" and a.get("role") == "img"]
    assert len(charts) == 2 and all(a.get("aria-label") for a in charts)
    assert parsed.tags[0] == ("html", {"lang": "en"})


def test_hostile_evidence_text_is_escaped(tmp_path: Path) -> None:
    evidence = hostile_evidence(tmp_path)
    html = report_html(assess([evidence]), sources=[evidence])
    assert "<script" not in html and "<b>" not in html and "<img" not in html
    assert html.count("&lt;script&gt;window.__pwned = 1&lt;/script&gt;") >= 3
    assert not [t for t, _ in parse(html).tags if t in ("script", "img", "b")]


def test_overrides_and_scores_of_a_weighted_cnamm() -> None:
    store = StoreSpec().open()
    result = assess(KESTREL, store=store)
    html = report_html(result, sources=KESTREL, store=store)
    overrides = result.frameworks[0].overrides
    assert len(overrides) == 8
    text = " ".join(" ".join(parse(html).text).split())
    for n, o in enumerate(overrides, 1):
        assert f"[{n}] {o.kind} {o.id}" in text
    overall = result.frameworks[0].of_kind("overall")[0]
    assert f"score {overall.score.normalize():f}" in text
    gauges = [a["aria-label"] or "" for t, a in parse(html).tags if t == "div" and a.get("role") == "img"]
    assert len(gauges) == 1 and gauges[0].startswith("Score on a scale of 0 to 5: ")
    assert gauges[0].endswith(f"Overall {overall.score.normalize():f}.")
    for function in result.frameworks[0].of_kind("capability"):
        assert function.label in gauges[0]


def test_crosswalk_carried_results_are_marked(tmp_path: Path) -> None:
    example = next(e for e in SETS if e.with_crosswalks)
    paths = evidence_paths(example, tmp_path)
    result = assess(paths, frameworks=list(example.frameworks), with_crosswalks=True)
    carried = [r for r in result.results if r.via_crosswalk]
    assert carried
    html = report_html(result, sources=paths)
    text = " ".join(" ".join(parse(html).text).split())
    for r in carried:
        assert f"carried from {', '.join(r.via_crosswalk)}" in text


def test_portfolio_heat_map_has_a_row_per_subject() -> None:
    path = EXAMPLES / "alder-robotics" / "portfolio-2026q1.ttl"
    result = assess([path])
    html = report_html(result, sources=[path])
    for fw_id in {fa.framework for fa in result.frameworks}:
        members = [fa for fa in result.frameworks if fa.framework == fw_id]
        table = html.split(f'id="portfolio-{fw_id}"', 1)[1].split("</section>", 1)[0]
        body = table.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        assert body.count("<tr>") == len(members)
        assert "LOWEST" in table and "MEDIAN" in table
    assert "<svg" not in html  # a portfolio's chart is its heat map, a table


def test_same_result_same_page() -> None:
    first = report_html(assess([NORTHWIND]), sources=[NORTHWIND])
    assert report_html(assess([NORTHWIND]), sources=[NORTHWIND]) == first


def test_cli_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    assert main(["report", str(NORTHWIND), "-o", str(out)]) == 0
    written = out.read_text(encoding="utf-8")
    assert written.startswith("<!DOCTYPE html>") and "Level 2: Developing" in written
    assert main(["report", str(NORTHWIND)]) == 0  # standard output is a pipe here, not a terminal
    assert capsys.readouterr().out == written
    assert not list(tmp_path.glob(".report.html*"))  # no temporary file left


def test_cli_refuses_to_print_html_on_a_terminal(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["report", str(NORTHWIND)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.strip() == ("mgraph: usage error: give -o FILE: the report is an HTML page for a "
                                         "browser, not for a terminal (try 'mgraph report --help')")


def test_cli_options_reach_the_assessment(tmp_path: Path) -> None:
    out = tmp_path / "q1.html"
    path = EXAMPLES / "alder-robotics" / "portfolio-2026q1.ttl"
    assert main(["report", str(path), "--subject", "AMR-MAKO", "--framework", "sbd", "--as-of", "2026-03-01",
                 "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "AMR-MAKO" in html and "ARM-HERON" not in html and "portfolio-sbd" not in html
    assert "2026-03-01" in html and "csmm" not in html.lower().split("<main>", 1)[1]


def test_templates_and_queries_are_package_data() -> None:
    """The wheel carries what report_html reads through importlib (templates, .rq files) and the package itself."""
    import fnmatch
    import tomllib

    from tests.conftest import REPO

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "maturity_graph.report" in config["packages"]
    patterns = config["package-data"].get("maturity_graph.report", []) + config["package-data"]["*"]
    folder = REPO / "engine" / "report"
    files = [p.relative_to(folder).as_posix() for p in folder.rglob("*")
             if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert {"templates/report.html.j2", "templates/report.css", "evidence-dates.rq"} <= set(files)
    for name in files:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), f"{name} is not package data"


def test_every_example_file_is_rendered() -> None:
    """A new example must join an evidence set in tests/report/examples.py (sheets are the Turtle's twins)."""
    import fnmatch

    from tests.report.examples import SHEETS

    used = {name for example in SETS for name in example.files}
    files = {p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*") if p.is_file()
             and not any(fnmatch.fnmatch(p.name, pattern) for pattern in SHEETS)}
    assert files == used
