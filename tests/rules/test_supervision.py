"""Supervision of assistants: the rule per state, its phases, and a period's figures."""

from __future__ import annotations

from datetime import date

import pytest

from tandem.rules import supervision as sup
from tandem.rules.supervision import Period


@pytest.mark.parametrize(
    ("state", "discipline", "on", "key", "measured"),
    [
        ("CA", "slpa", date(2025, 1, 6), "CA-slpa", True),
        ("CA", "slpa", date(2024, 6, 30), "US-slpa", True),  # before CA's rule took effect
        ("TX", "slpa", date(2025, 1, 6), "US-slpa", True),  # no Texas percentage on file
        ("IL", "cota", date(2025, 1, 6), "IL-cota", True),
        ("TX", "cota", date(2025, 1, 6), "TX-cota", False),  # repealed in 2019
        ("CA", "pta", date(2025, 1, 6), "US-pta", False),  # general supervision: no minimum
    ],
)
def test_rule_for_state_falls_back_to_default(state, discipline, on, key, measured):
    rule = sup.rule_for(state, discipline, on=on)
    assert (rule.key, rule.measured) == (key, measured)
    assert rule.citation


@pytest.mark.parametrize(
    ("since", "period_start", "total", "direct", "index", "assumed"),
    [
        # ASHA default: 90 workdays (18 weeks of five) at 30/20, then 20/10.
        (date(2025, 1, 6), date(2025, 1, 6), 30, 20, 0, False),
        (date(2025, 1, 6), date(2025, 5, 5), 30, 20, 0, False),  # 17 weeks: 85 workdays
        (date(2025, 1, 6), date(2025, 5, 12), 20, 10, 1, False),  # 18 weeks: 90 workdays
        (None, date(2025, 5, 12), 30, 20, 0, True),  # start unknown: the stricter phase
    ],
)
def test_phase_by_workdays_since_supervision_began(
    since, period_start, total, direct, index, assumed
):
    rule = sup.rule_for("US", "slpa", on=period_start)
    req = sup.requirement(rule, period_start=period_start, supervised_since=since)
    assert req.phase is not None
    assert (req.phase.total_percent, req.phase.direct_percent) == (total, direct)
    assert (req.index, req.assumed_start) == (index, assumed)


def test_california_later_phase_is_borrowed_from_the_default():
    rule = sup.rule_for("CA", "slpa", on=date(2025, 1, 6))
    first = sup.requirement(rule, period_start=date(2025, 3, 31), supervised_since=date(2025, 1, 6))
    later = sup.requirement(rule, period_start=date(2025, 4, 7), supervised_since=date(2025, 1, 6))
    assert first.phase == sup.Phase(20, 20, first_days=90)  # day 84 of 90
    assert later.phase is not None and later.phase.borrowed  # day 91
    assert (later.phase.total_percent, later.phase.direct_percent) == (20, 10)


@pytest.mark.parametrize(
    ("minutes", "direct", "indirect", "need_total", "need_direct", "below"),
    [
        (300, 60, 30, 90, 60, False),  # 30% of 300 = 90, 20% = 60: met exactly
        (300, 50, 40, 90, 60, True),  # total met, direct short by 10
        (300, 60, 20, 90, 60, True),  # direct met, total short by 10
        (301, 61, 30, 91, 61, False),  # 90.3 -> 91, 60.2 -> 61: rounded up
        (0, 0, 0, 0, 0, False),  # no sessions: nothing required
    ],
)
def test_measure_against_the_first_phase(minutes, direct, indirect, need_total, need_direct, below):
    rule = sup.rule_for("US", "slpa", on=date(2025, 1, 6))
    req = sup.requirement(rule, period_start=date(2025, 1, 6), supervised_since=date(2025, 1, 6))
    fig = sup.measure(
        req,
        start=date(2025, 1, 6),
        end=date(2025, 1, 12),
        today=date(2025, 1, 20),
        service_minutes=minutes,
        direct=direct,
        indirect=indirect,
    )
    assert (fig.required_total, fig.required_direct, fig.below) == (need_total, need_direct, below)


def test_a_period_in_progress_is_never_flagged():
    rule = sup.rule_for("US", "slpa", on=date(2025, 1, 6))
    req = sup.requirement(rule, period_start=date(2025, 1, 6), supervised_since=None)
    fig = sup.measure(
        req,
        start=date(2025, 1, 6),
        end=date(2025, 1, 12),
        today=date(2025, 1, 12),
        service_minutes=300,
        direct=0,
        indirect=0,
    )
    assert fig.short_total == 90 and not fig.below


def test_no_minimum_requires_nothing():
    rule = sup.rule_for("TX", "cota", on=date(2025, 1, 6))
    req = sup.requirement(rule, period_start=date(2025, 1, 6), supervised_since=date(2020, 1, 1))
    fig = sup.measure(
        req,
        start=date(2025, 1, 1),
        end=date(2025, 1, 31),
        today=date(2025, 3, 1),
        service_minutes=900,
        direct=0,
        indirect=0,
    )
    assert req.phase is None and fig.required_total == 0 and not fig.below


def test_negative_minutes_are_refused():
    rule = sup.rule_for("US", "slpa", on=date(2025, 1, 6))
    req = sup.requirement(rule, period_start=date(2025, 1, 6), supervised_since=None)
    with pytest.raises(ValueError):
        sup.measure(
            req,
            start=date(2025, 1, 6),
            end=date(2025, 1, 12),
            today=date(2025, 1, 20),
            service_minutes=-1,
            direct=0,
            indirect=0,
        )


@pytest.mark.parametrize(
    ("period", "today", "count", "first", "last"),
    [
        (Period.WEEK, date(2025, 1, 8), 3, (date(2024, 12, 23), date(2024, 12, 29)),
         (date(2025, 1, 6), date(2025, 1, 12))),
        (Period.MONTH, date(2025, 3, 31), 3, (date(2025, 1, 1), date(2025, 1, 31)),
         (date(2025, 3, 1), date(2025, 3, 31))),
        (Period.MONTH, date(2024, 2, 10), 1, (date(2024, 2, 1), date(2024, 2, 29)),
         (date(2024, 2, 1), date(2024, 2, 29))),
    ],
)  # fmt: skip
def test_last_periods_oldest_first(period, today, count, first, last):
    found = sup.last_periods(period, today, count)
    assert len(found) == count and found[0] == first and found[-1] == last
