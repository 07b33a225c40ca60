"""Charts for the HTML report, drawn by matplotlib as SVG text to inline (docs/report.md says why).

Text stays text in the SVG (svg.fonttype "none"): it is small, selectable, read by screen readers and
sharp in print. Each chart's ids are salted with its own key, so several charts inline in one page
never share an id, and the output has no date, so the same result gives the same file.
"""
from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.projections.polar import PolarAxes

# Wong's colour-blind-safe palette (Nature Methods 8, 441): bars/polygon and the target line.
ACHIEVED = "#0072B2"
TARGET = "#D55E00"
HEAT_MAP = "YlGnBu"  # matplotlib's sequential map for stage ranks: light (low) to dark (high)
FONT = ["DejaVu Sans"]  # shipped with matplotlib, so layout is the same on every machine


@dataclass(frozen=True)
class Chart:
    """An inline SVG and its text alternative (the same values, in words)."""

    svg: str
    alt: str


def _svg(figure: Figure, key: str) -> str:
    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": key, "font.family": FONT}):
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    text = out.getvalue()
    return text[text.index("<svg"):]  # no XML declaration or DOCTYPE inside HTML


def radar(key: str, axes: Sequence[str], ranks: Sequence[float], *, scale: Sequence[str],
          target: int | None, alt: str) -> Chart:
    """Stage reached per dimension on a polar grid of the framework's stages, with the target ring."""
    with matplotlib.rc_context({"font.family": FONT}):
        figure = Figure(figsize=(6.4, 5.2))
        ax = figure.add_subplot(projection="polar")
        assert isinstance(ax, PolarAxes)
        angles = [2 * math.pi * n / len(axes) for n in range(len(axes))]
        ax.set_theta_offset(math.pi / 2)
        ax.set_theta_direction(-1)
        closed = [*angles, angles[0]]
        ax.fill(closed, [*ranks, ranks[0]], color=ACHIEVED, alpha=0.25)
        ax.plot(closed, [*ranks, ranks[0]], color=ACHIEVED, linewidth=2, label="stage reached")
        if target is not None:
            ax.plot(closed, [target] * len(closed), color=TARGET, linewidth=1.5, linestyle="--", label="target")
        ax.set_ylim(0, len(scale))
        ax.set_yticks(range(1, len(scale) + 1))
        ax.set_yticklabels([str(n) for n in range(1, len(scale) + 1)], fontsize=8)
        ax.set_xticks(angles)
        ax.set_xticklabels([_wrap(a, 18) for a in axes], fontsize=8)
        ax.legend(loc="upper right", bbox_to_anchor=(1.25, 1.12), fontsize=8, frameon=False)
        return Chart(_svg(figure, key), alt)


def bars(key: str, labels: Sequence[str], values: Sequence[float | None], *, low: float, high: float,
         ticks: Sequence[tuple[float, str]], target: float | None, xlabel: str, alt: str,
         empty: Sequence[str] = ()) -> Chart:
    """One horizontal bar per result (a stage rank or a score) on the model's scale, target as a line.

    A None value has no bar; `empty` says why beside it ("not assessed", "below the first stage")."""
    with matplotlib.rc_context({"font.family": FONT}):
        height = 0.9 + 0.28 * len(labels)
        figure = Figure(figsize=(7.2, height))
        ax = figure.add_subplot()
        rows = list(range(len(labels)))
        ax.barh(rows, [0.0 if v is None else v - low for v in values], left=low, color=ACHIEVED, height=0.6)
        for row, value in enumerate(values):
            if value is None:
                why = empty[row] if row < len(empty) else "not assessed"
                ax.text(low, row, f" {why}", va="center", fontsize=8, color="#333333")
        if target is not None:
            ax.axvline(target, color=TARGET, linestyle="--", linewidth=1.5, label="target")
            ax.legend(loc="lower right", fontsize=8, frameon=False)
        ax.set_yticks(rows)
        ax.set_yticklabels(labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(low, high)
        ax.set_xticks([t for t, _ in ticks])
        ax.set_xticklabels([t for _, t in ticks], fontsize=8)
        ax.set_xlabel(xlabel, fontsize=8)
        ax.grid(axis="x", color="#dddddd")
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return Chart(_svg(figure, key), alt)


def stage_colours(ranks: int) -> dict[int, tuple[str, str]]:
    """Background and text colour of a heat-map cell per stage rank (0: below the first stage).

    The text colour is black or white, whichever has the higher WCAG contrast on the background.
    """
    colours = matplotlib.colormaps[HEAT_MAP]
    found = {}
    for rank in range(ranks + 1):
        red, green, blue, _ = colours(0.08 + 0.84 * rank / max(ranks, 1))
        background = to_hex((red, green, blue))
        found[rank] = (background, _readable_on((red, green, blue)))
    return found


def _readable_on(rgb: tuple[float, float, float]) -> str:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
    on_black = (luminance + 0.05) / 0.05
    on_white = 1.05 / (luminance + 0.05)
    return "#000000" if on_black >= on_white else "#ffffff"


def _wrap(text: str, width: int) -> str:
    """Break a long axis label over lines at spaces, so labels round a radar do not overlap."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)
