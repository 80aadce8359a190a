"""The checker's reading made ready for a page: highlighting, flags in other languages."""

from __future__ import annotations

import re

from django.utils import translation

from tandem.goals import checking
from tandem.rules.goals import FlagCode, check_accommodation, check_goal
from tests.goals.conftest import GUIDE_GOAL


def test_highlighting_escapes_the_text_and_labels_every_part() -> None:
    text = "By June 2026, <b>Maya</b> will read aloud 90 words correct per minute <script>."
    html = str(checking.highlighted(check_goal(text)))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html
    assert 'data-part="timeframe"><span class="text-bold font-body-3xs">Timeframe:</span>' in html


def test_highlighted_parts_keep_the_text_whole() -> None:
    analysis = check_goal(GUIDE_GOAL)
    html = str(checking.highlighted(analysis))
    plain = html
    for label in ("Timeframe", "Condition", "Learner", "Behavior", "Criterion", "Measurement"):
        plain = plain.replace(f'<span class="text-bold font-body-3xs">{label}:</span> ', "")
    plain = re.sub(r"<[^>]+>", "", plain)
    assert plain == GUIDE_GOAL


def test_every_flag_code_has_a_translatable_explanation() -> None:
    assert set(FlagCode) <= set(checking.FLAG_TEXT)


def test_flags_in_another_language_use_the_translated_explanations() -> None:
    analysis = check_goal("Maya will improve reading skills 80% of the time.")
    with translation.override("es"):
        views = checking.flag_views(analysis.text, analysis.flags)
    codes = {v.code for v in views}
    assert FlagCode.VAGUE_VERB in codes
    vague = next(v for v in views if v.code == FlagCode.VAGUE_VERB)
    assert '"improve"' in vague.message
    with translation.override("es"):
        acc = checking.flag_views("Breaks as needed", check_accommodation("Breaks as needed"))
    assert acc and '"as needed"' in acc[0].message


def test_smart_rows_say_what_cannot_be_judged() -> None:
    rows = {r.key: r for r in checking.smart_rows(check_goal(GUIDE_GOAL), linked_need=False)}
    assert rows["achievable"].verdict == "unknown"
    assert rows["relevant"].verdict == "unknown"
    assert {rows[k].verdict for k in ("specific", "measurable", "time_bound")} == {"yes"}
