"""Progress monitoring: baseline, aim line, trend line, decision rules, mastery and summaries.

Pure Python (standard library only), no clock and no database: plain values in, answers with
their reasons out. The science, with sources, is in PROGRESS.md section 1:

* 1.0 time axis in weeks since the goal start (whole days / 7); baseline = median of 3 probes;
  aim line from (baseline week, baseline) to (target week, target value).
* 1.1 four-point rule and median of the last three points; 1.2 trend-line rule with a
  tolerance band (AIMSweb) and projection to the goal date; 1.3 OLS (default) and Tukey
  tri-split trend lines, with the standard error of the slope and of the line; 1.4 rate of
  improvement; 1.5 minimum points and the preliminary badge.
* 1.7 mastery against criterion-referenced goals.

Conventions chosen here (each configurable in `ProgressSettings` or documented where used):

* A derived baseline uses the first three points as baseline probes. Those probes then do not
  count as monitoring points ("at least 6 data points, not counting baseline"); an entered
  baseline leaves every point a monitoring point.
* A point with `instruction_change=True` starts a new phase: the rules and the trend use only
  the points from the latest change on, and count their minimum again, while the aim line stays.
* A point within 1e-9 of the aim line is "on the line" and counts as neither above nor below.
* The median of the last three points is judged at the week of the middle point (the median of
  their three weeks), where that median score belongs in time.
* The trend rule asks for a change (or a higher goal) only when the trend is clearly off the
  aim line: its slope, or its projection at the goal date, lies beyond both the tolerance and
  the 95% range the scores give (Student t on the OLS standard errors; for a Tukey line, the
  same formulas on the scatter around it). Inside that range the answer is "continue": the
  difference is within the measure's normal week-to-week variation. The range is in the
  analysis for the graph (`Analysis.trend_band`, `Projection.low` / `.high`).
* For a goal to decrease a behaviour every rule is mirrored; `RAISE_GOAL` then means "make the
  goal more ambitious" (a lower target).
* Headline: the first rule in `ProgressSettings.rules` (default trend, median of the last
  three, four-point) that can decide. Ties between disagreeing rules are resolved by that
  order, never by a vote, because trend and median rules are more accurate than data-point
  rules (Van Norman & Christ, PROGRESS.md 1.1). When no rule can decide, the headline is the
  "not enough data" answer of the rule that needs the fewest more points.

Mapping of the goal checker's criterion atoms (tandem/rules/goals.py) onto mastery criteria:

* accuracy percent X  -> `Threshold(X, unit="%")`
* m_of_n (m, n) with a percent, reading (i) -> `MOfLastN(Threshold(X, unit="%"), m=m, n=n)`;
  reading (ii), m correct of n items -> `TrialsCorrect(correct=m, total=n)`
* consecutive (k, sessions) -> `Consecutive(level, k=k)` (windows in sessions, not days)
* rate N -> `MedianOfLast(Threshold(N, unit="wcpm"))`
* error_limit N, duration max, frequency ceiling, prompt_level (district ordinal, lower is less
  intrusive) -> `Threshold(N, Comparison.AT_MOST, unit=...)` inside any of the windows above
* duration min, frequency floor, rubric score S -> `Threshold(S, Comparison.AT_LEAST, ...)`
* several atoms on one goal -> evaluate each against its own series, then `all_met(...)`.

The package, by job (each module imports only the ones above it):

* `model`: enums, points, settings, a goal's series and the time axis;
* `wording`: numbers and dates as people write them;
* `lines`: baseline, aim line, trend lines, rate of improvement, projection;
* `decisions`: the decision rules and their combination;
* `analysis`: one goal's whole analysis (`analyze_goal`);
* `mastery`, `validation`, `narrative`: mastery criteria, data-point checks, parents' sentences.

Import from `tandem.rules.progress`; the modules are its parts, not separate interfaces.
"""

from __future__ import annotations

from tandem.rules.progress.analysis import (
    Analysis,
    BandPoint,
    analyze_goal,
)
from tandem.rules.progress.decisions import (
    Decision,
    Recommendation,
    four_point_rule,
    median_of_last_three_rule,
    recommend,
    trend_rule,
)
from tandem.rules.progress.lines import (
    TREND_CONFIDENCE,
    AimLine,
    Baseline,
    Projection,
    TrendLine,
    aim_line,
    determine_baseline,
    fit_trend,
    ols_trend,
    project,
    t_critical,
    tukey_sections,
    tukey_trend,
    two_point_roi,
)
from tandem.rules.progress.mastery import (
    Comparison,
    Consecutive,
    LatestLevel,
    Mastery,
    MasteryCriterion,
    MedianOfLast,
    MOfLastN,
    Session,
    Threshold,
    TrialsCorrect,
    all_met,
    evaluate_mastery,
)
from tandem.rules.progress.model import (
    DEFAULT_SETTINGS,
    RULE_LABELS,
    BaselineSource,
    DecisionKind,
    Direction,
    GoalSeries,
    Point,
    ProgressSettings,
    Rule,
    TrendMethod,
    WeekPoint,
    weeks_since,
)
from tandem.rules.progress.narrative import (
    NARRATIVE_TEMPLATES,
    Narrative,
    Pronoun,
    Sentence,
    narrate,
)
from tandem.rules.progress.validation import (
    PointRejected,
    validate_point,
)
from tandem.rules.progress.wording import (
    fmt_number,
)

__all__ = [
    "BandPoint",
    "TREND_CONFIDENCE",
    "t_critical",
    "AimLine",
    "aim_line",
    "Analysis",
    "Baseline",
    "BaselineSource",
    "Comparison",
    "Consecutive",
    "DEFAULT_SETTINGS",
    "Decision",
    "DecisionKind",
    "Direction",
    "GoalSeries",
    "LatestLevel",
    "MOfLastN",
    "Mastery",
    "MasteryCriterion",
    "MedianOfLast",
    "NARRATIVE_TEMPLATES",
    "Narrative",
    "Point",
    "PointRejected",
    "ProgressSettings",
    "Projection",
    "Pronoun",
    "RULE_LABELS",
    "Recommendation",
    "Rule",
    "Sentence",
    "Session",
    "Threshold",
    "TrendLine",
    "TrendMethod",
    "TrialsCorrect",
    "WeekPoint",
    "all_met",
    "analyze_goal",
    "determine_baseline",
    "evaluate_mastery",
    "fit_trend",
    "fmt_number",
    "four_point_rule",
    "median_of_last_three_rule",
    "narrate",
    "ols_trend",
    "project",
    "recommend",
    "trend_rule",
    "tukey_sections",
    "tukey_trend",
    "two_point_roi",
    "validate_point",
    "weeks_since",
]
