"""Pressing Save while the autosave is on its way (issue 11): no conflict with yourself.

The autosave's answer is held back by the test; Save pressed meanwhile waits for it and is then
sent with the new revision, and the section saves with everything typed. A conflict with another
person is still shown (tests/browser/test_plan_editor.py walks that one).
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import parse_qs

import pytest

from tests.browser.test_plan_editor import _open_a_draft, _type_into

pytestmark = pytest.mark.browser


def test_save_pressed_during_an_autosave_is_queued_not_a_conflict(page) -> None:  # type: ignore[no-untyped-def]
    token = uuid.uuid4().hex[:6]
    first, second = f" Draws maps {token}.", f" Builds models {token}."
    home = _open_a_draft(page)
    page.goto(home + "sections/strengths/")
    before = int(page.locator("#id_revision").input_value() or 0)

    held: list = []
    posts: list[tuple[bool, dict]] = []

    def hold_the_autosave(route) -> None:  # type: ignore[no-untyped-def]
        request = route.request
        if request.method == "POST":
            autosave = bool(request.headers.get("hx-request"))
            posts.append((autosave, parse_qs(request.post_data or "")))
            if autosave and not held:
                held.append(route)  # answered later, after Save is pressed
                return
        route.continue_()

    pattern = re.compile(r".*/sections/strengths/$")
    page.route(pattern, hold_the_autosave)
    _type_into(page, first)
    for _ in range(100):  # the autosave goes out about a second after typing stops
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the autosave was not sent"
    _type_into(page, second)
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_timeout(500)
    # Save waits: nothing but autosaves has been sent.
    assert posts and all(autosave for autosave, _data in posts)
    held[0].continue_()
    page.wait_for_url(re.compile(r"saved=1"), timeout=15_000)
    page.unroute(pattern)

    body = page.locator("main").inner_text()
    assert "Someone else saved this section" not in body
    text = page.locator("#id_text").input_value()
    assert first.strip() in text and second.strip() in text
    # The Save went out last, after the autosaves, with the newest revision they made.
    saves = [data for autosave, data in posts if not autosave]
    assert len(saves) == 1 and not posts[-1][0]
    sent = int(saves[0]["revision"][0])
    assert sent > before
    assert int(page.locator("#id_revision").input_value()) == sent + 1
