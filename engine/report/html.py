"""`report_html`: the AssessmentResult as one self-contained HTML page (templates/report.html.j2).

Autoescaping is on for every value: labels, reasons and names come from evidence, and evidence text
holding HTML or a script is shown as text. The page loads nothing: its style sheet is inlined, its
charts are inline SVG, it has no script, and its Content-Security-Policy forbids fetching anything.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from os import PathLike, fspath

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..assessment.result import AssessmentResult
from ..store.interface import Store
from .freshness import evidence_uses
from .model import build_report


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader(__package__ or "maturity_graph.report", "templates"),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def report_html(result: AssessmentResult, *, sources: Sequence[str | PathLike[str]] = (),
                store: Store | None = None) -> str:
    """The report of one assessment result; `sources` names the input files, `store` the run's store
    (where the evidence items' dates are read; without it the items are listed undated)."""
    from .. import __version__

    report = build_report(result, sources=[fspath(s) for s in sources], evidence=evidence_uses(result, store),
                          version=str(__version__))
    return _environment().get_template("report.html.j2").render(report=report)
