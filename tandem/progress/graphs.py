"""A goal's graph as SVG, drawn on the server with matplotlib (Agg), the same in pages and PDFs.

Data points, the aim line, the trend line with its 95% range (a shaded band) and the
projection's range at the goal date, dashed lines where instruction changed, and the goal date;
the text alternative states the projection and its range in words. Deterministic: fixed fonts and sizes, no timestamps, element ids derived from a fixed salt,
so the same data give the same bytes. The title and axis labels are in the active language.
"""

from __future__ import annotations

import io
import re
import threading
from datetime import timedelta
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
from django.utils.formats import date_format  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from tandem.core.words import spanish_or_same  # noqa: E402

if TYPE_CHECKING:
    from tandem.progress.queries import GoalProgress

_LOCK = threading.Lock()  # matplotlib's rcParams and font cache are not thread-safe
_RC = {
    "svg.hashsalt": "tandem-progress",
    "svg.fonttype": "none",  # text stays text: searchable, smaller, translatable
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "path.simplify": True,
}
_COLORS = {
    "points": "#005ea2",
    "aim": "#2e8540",
    "trend": "#d54309",
    "phase": "#565c65",
    "goal": "#1b1b1b",
}


def _week_date(start, week: float):  # type: ignore[no-untyped-def]
    return start + timedelta(days=week * 7)


# A family's graph shows the weeks that have data, and a little room after the last point.
DATA_SPAN_MARGIN = timedelta(days=14)
DATA_SPAN_SHORTEST = timedelta(days=35)


def goal_graph_svg(
    progress: GoalProgress, *, width: float = 7.0, height: float = 3.9, data_span: bool = False
) -> str:
    """The graph as an SVG string (no XML prolog), with a <title> for screen readers.

    `data_span`: the family's view, over the span of data that exists (not the whole year to
    the goal date, which leaves a few weeks of points in one corner), dated in words.
    """
    import matplotlib.pyplot as plt  # noqa: F401 - registers the date converters once

    gp = progress
    analysis = gp.analysis
    unit = gp.metric.unit
    ylabel = str(gp.metric.label)
    title = _("Progress on the %(area)s goal") % {"area": spanish_or_same(gp.goal.area)}
    with _LOCK, matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height), dpi=72)
        ax = fig.add_subplot(1, 1, 1)
        xs = [p.taken_on for p in gp.points]
        ys = [p.value for p in gp.points]
        if xs:
            ax.plot(
                xs,
                ys,
                marker="o",
                markersize=4,
                linewidth=1,
                color=_COLORS["points"],
                label=_("Data points"),
            )
        start, end = gp.start, gp.target_on
        if analysis is not None and analysis.aim is not None:
            aim = analysis.aim
            ax.plot(
                [_week_date(start, aim.start_week), _week_date(start, aim.target_week)],
                [aim.start_value, aim.target_value],
                linestyle="--",
                linewidth=1.2,
                color=_COLORS["aim"],
                label=_("Aim line"),
            )
        band = analysis.trend_band if analysis is not None and analysis.projection else ()
        if band:
            # The trend's 95% range, widening away from the data: shaded, and named in the legend
            # (the hatching keeps it apart from the line without relying on colour).
            ax.fill_between(
                [_week_date(start, b.week) for b in band],
                [b.low for b in band],
                [b.high for b in band],
                facecolor=_COLORS["trend"],
                edgecolor=_COLORS["trend"],
                alpha=0.15,
                hatch="//",
                linewidth=0,
                # xgettext:no-python-format
                label=_("95% range of the trend"),
            )
        projection = analysis.projection if analysis is not None else None
        if projection is not None and projection.low is not None and projection.high is not None:
            ax.errorbar(
                [_week_date(start, projection.week)],
                [projection.value],
                yerr=[[projection.value - projection.low], [projection.high - projection.value]],
                fmt="D",
                markersize=4,
                capsize=4,
                linewidth=1.2,
                color=_COLORS["trend"],
                # xgettext:no-python-format
                label=_("Projection at the goal date, with its 95% range"),
            )
        if analysis is not None and analysis.trend is not None and analysis.monitoring:
            first = min(p.week for p in analysis.monitoring)
            last = analysis.target_week
            trend = analysis.trend
            ax.plot(
                [_week_date(start, first), _week_date(start, last)],
                [trend.value_at(first), trend.value_at(last)],
                linestyle=":",
                linewidth=1.6,
                color=_COLORS["trend"],
                label=_("Trend line"),
            )
        for i, change in enumerate(gp.phase_changes):
            ax.axvline(
                change.changed_on,
                color=_COLORS["phase"],
                linestyle="-.",
                linewidth=1,
                label=_("Instruction changed") if i == 0 else None,
            )
        ax.axvline(end, color=_COLORS["goal"], linewidth=1, label=_("Goal date"))
        if gp.metric.target is not None:
            ax.axhline(gp.metric.target, color=_COLORS["goal"], linewidth=0.5, alpha=0.5)
        if data_span and xs:
            first, last = min(xs), max(xs)
            right = max(last + DATA_SPAN_MARGIN, first + DATA_SPAN_SHORTEST)
            ax.set_xlim(first - timedelta(days=3), right)
        else:
            # Scores recorded after the goal date stay in view.
            ax.set_xlim(min([start, *xs]) - timedelta(days=3), max([end, *xs]) + timedelta(days=7))
        if unit == "%":
            ax.set_ylim(0, 105)
        else:
            ax.set_ylim(bottom=0)
        if data_span and xs:
            # A few ticks, each a day and month in the reader's language ("25 de noviembre").
            ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=5))
            ax.xaxis.set_major_formatter(
                FuncFormatter(
                    lambda value, _pos: date_format(
                        mdates.num2date(value).date(), "MONTH_DAY_FORMAT"
                    )
                )
            )
        else:
            ax.xaxis.set_major_locator(mdates.MonthLocator())
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%m/%y"))
        ax.set_title(title)
        ax.set_xlabel(_("Date"))
        ax.set_ylabel(ylabel + (f" ({unit})" if unit else ""), fontsize=8)
        ax.grid(True, linewidth=0.3, alpha=0.6)
        ax.legend(
            loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=4, fontsize=7, frameon=False
        )
        # Fixed margins: tight_layout would lay the figure out twice for the same result.
        fig.subplots_adjust(left=0.1, right=0.98, top=0.9, bottom=0.22)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    # Scale to the column (the viewBox keeps the shape), in pages and in PDFs alike.
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 width="100%"', svg, count=1)
    summary = _summary(gp)
    svg = re.sub(
        r"<svg ([^>]*)>",
        lambda m: (
            f'<svg {m.group(1)} role="img" aria-labelledby="graph-title-{gp.goal.public_id}">'
            f'<title id="graph-title-{gp.goal.public_id}">{_escape(title)}. {_escape(summary)}'
            "</title>"
        ),
        svg,
        count=1,
    )
    return svg


def _summary(gp: GoalProgress) -> str:
    n = len(gp.points)
    text = _("%(n)s data points; decision: %(decision)s.") % {
        "n": n,
        "decision": gp.decision_words,
    }
    range_words = projection_words(gp)
    if range_words:
        text = f"{text} {range_words}"
    return f"{text} {_('The data are in the table.')}"


def projection_words(gp: GoalProgress) -> str:
    """The projection at the goal date and its 95% range, in words (the graph's band, as text)."""
    from tandem.progress.queries import fmt  # queries imports this module

    analysis = gp.analysis
    projection = analysis.projection if analysis is not None else None
    if projection is None:
        return ""
    unit = gp.metric.unit
    params = {
        "date": date_format(gp.target_on, "DATE_FORMAT"),
        "value": fmt(projection.value, unit),
        "target": fmt(projection.target_value, unit),
    }
    if projection.low is None or projection.high is None:
        return (
            _(
                "At the goal date (%(date)s) the trend line reaches %(value)s; the target is %(target)s."
            )
            % params
        )
    params.update(low=fmt(projection.low, unit), high=fmt(projection.high, unit))
    return (
        _(
            "At the goal date (%(date)s) the trend line reaches %(value)s, with a 95%% range "
            "of %(low)s to %(high)s (the shaded band); the target is %(target)s."
        )
        % params
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
