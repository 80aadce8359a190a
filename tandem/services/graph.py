"""Delivered against mandated, week by week: one SVG graph per service, and the same numbers as rows.

Drawn on the server with matplotlib (Agg) in the style of the progress graphs
(`tandem.progress.graphs`: its lock, fonts, colours and SVG settings), so the two kinds of graph
look alike and the same data give the same bytes. The weeks are those of the service's own
accounting (`tandem.rules.services.account`, through `queries.minutes_for_student`): from the
service's start to the current week, never weeks still to come. Each week shows the minutes
mandated (a step line) and the minutes delivered plus made up (bars, capped as the totals cap
them: extra minutes do not carry over). The SVG carries a <title> and a <desc> in words, and the
page shows the weeks in a table next to it (the graph's text alternative).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
from django.utils.formats import date_format  # noqa: E402
from django.utils.safestring import SafeString, mark_safe  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from django.utils.translation import pgettext  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from tandem.progress.graphs import _COLORS, _LOCK, _RC, _escape  # noqa: E402
from tandem.rules import services as rules  # noqa: E402

_DELIVERED = _COLORS["points"]
_MANDATED = _COLORS["goal"]
_SHORT = _COLORS["trend"]


@dataclass(frozen=True, slots=True)
class Week:
    """One week's figures, as the graph draws them and the table lists them."""

    start: date
    mandated: int
    delivered: int  # delivered in the week itself, at most the mandate
    made_up: int  # made up for the week, at most what delivery left short

    @property
    def served(self) -> int:
        return self.delivered + self.made_up

    @property
    def percent(self) -> int | None:
        if self.mandated == 0:
            return None
        return (200 * min(self.mandated, self.served) + self.mandated) // (2 * self.mandated)

    @property
    def short(self) -> bool:
        return self.mandated > 0 and self.served < self.mandated


def weeks_of(periods: Sequence[rules.Period], *, today: date) -> list[Week]:
    """The periods that have begun by `today`, each as a Week (the same capping as `totals`)."""
    weeks = []
    for period in periods:
        if period.start > today:
            break
        one = rules.totals([period])
        weeks.append(Week(period.start, one.mandated, one.delivered, one.made_up))
    return weeks


def _tick(value: float, _position: int) -> str:
    return date_format(mdates.num2date(value).date(), "M j")


def summary(weeks: Sequence[Week]) -> str:
    """The graph in words: the span, the totals and the weeks short of the mandate."""
    if not weeks:
        return str(_("No week of this service has begun yet."))
    mandated = sum(w.mandated for w in weeks)
    served = sum(w.served for w in weeks)
    short = sum(1 for w in weeks if w.short)
    return _(
        "%(n)s weeks from %(first)s to %(last)s: %(served)s of %(mandated)s mandated minutes "
        "delivered or made up; %(short)s weeks below the mandate. The numbers are in the table."
    ) % {
        "n": len(weeks),
        "first": date_format(weeks[0].start, "DATE_FORMAT"),
        "last": date_format(weeks[-1].start + timedelta(days=6), "DATE_FORMAT"),
        "served": served,
        "mandated": mandated,
        "short": short,
    }


def minutes_graph_svg(
    weeks: Sequence[Week], *, name: str, key: str, width: float = 7.0, height: float = 3.0
) -> SafeString:
    """The graph as an SVG string (no XML prolog), with a <title> and <desc> for screen readers.

    `key` (the service's public id) makes the element ids unique on a page of several graphs.
    """
    title = _("Minutes delivered against mandated: %(service)s") % {"service": name}
    rc = dict(_RC, **{"svg.hashsalt": f"tandem-minutes-{key}"})
    with _LOCK, matplotlib.rc_context(rc):
        fig = Figure(figsize=(width, height), dpi=72)
        ax = fig.add_subplot(1, 1, 1)
        if weeks:
            starts = [w.start for w in weeks]
            ax.bar(
                starts,
                [w.delivered for w in weeks],
                width=5,
                align="edge",
                color=_DELIVERED,
                label=_("Delivered"),
            )
            ax.bar(
                starts,
                [w.made_up for w in weeks],
                bottom=[w.delivered for w in weeks],
                width=5,
                align="edge",
                color=_DELIVERED,
                alpha=0.45,
                hatch="//",
                label=_("Made up"),
            )
            ax.step(
                [*starts, weeks[-1].start + timedelta(days=7)],
                [*(w.mandated for w in weeks), weeks[-1].mandated],
                where="post",
                color=_MANDATED,
                linewidth=1.4,
                linestyle="--",
                label=_("Mandated"),
            )
            short = [w for w in weeks if w.short]
            if short:
                ax.plot(
                    [w.start + timedelta(days=2.5) for w in short],
                    [w.mandated for w in short],
                    linestyle="none",
                    marker="v",
                    markersize=5,
                    color=_SHORT,
                    label=_("Week below the mandate"),
                )
            ax.set_xlim(starts[0] - timedelta(days=2), starts[-1] + timedelta(days=9))
            top = max(max(w.mandated for w in weeks), max(w.served for w in weeks), 1)
            ax.set_ylim(0, top * 1.15)
            ax.legend(
                loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=4, fontsize=7, frameon=False
            )
        # Ticks on the weeks' Mondays, at most about eight of them.
        step = max(1, -(-len(weeks) // 8))
        ax.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO, interval=step))
        ax.xaxis.set_major_formatter(FuncFormatter(_tick))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(title)
        ax.set_xlabel(_("Week starting"))
        ax.set_ylabel(pgettext("length in minutes", "Minutes"), fontsize=8)
        ax.grid(True, axis="y", linewidth=0.3, alpha=0.6)
        fig.subplots_adjust(left=0.09, right=0.98, top=0.88, bottom=0.3)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 width="100%"', svg, count=1)
    # matplotlib numbers its elements (axes_1, line2d_1) the same in every figure: prefix them,
    # and what refers to them, so several graphs on one page never share an id.
    prefix = f"mg-{key}-"
    svg = re.sub(r'\bid="', f'id="{prefix}', svg)
    svg = re.sub(r"url\(#", f"url(#{prefix}", svg)
    svg = re.sub(r'href="#', f'href="#{prefix}', svg)
    ids = f"minutes-graph-title-{key} minutes-graph-desc-{key}"
    svg = re.sub(
        r"<svg ([^>]*)>",
        lambda m: (
            f'<svg {m.group(1)} role="img" aria-labelledby="{ids}">'
            f'<title id="minutes-graph-title-{key}">{_escape(title)}</title>'
            f'<desc id="minutes-graph-desc-{key}">{_escape(summary(weeks))}</desc>'
        ),
        svg,
        count=1,
    )
    return mark_safe(svg)  # noqa: S308 - our own matplotlib output, text escaped above
