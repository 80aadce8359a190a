"""Browser test (issue 15): the Riverside director uploads the OneRoster sample with real-world
quirks, reads the dry run's refusals, applies it and finds the new roster; each page axe-clean.

The sample (../shared) has no demographics.csv, so, as a district's SIS export would, the zip
gets one with the three students' birth dates (tests/interop/conftest.py) and a byte order mark
on users.csv, as Excel writes it.
"""

from __future__ import annotations

import zipfile

import pytest

from tests.browser.conftest import assert_accessible, sign_in
from tests.interop.conftest import DEMOGRAPHICS, QUIRKS

pytestmark = pytest.mark.browser

DIRECTOR = "director@riverside.example"


def test_the_director_brings_in_the_quirky_roster(page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    if not QUIRKS.is_dir():
        pytest.skip(f"the shared OneRoster sample is not at {QUIRKS} (set TANDEM_SHARED)")
    export = tmp_path / "roster.zip"
    with zipfile.ZipFile(export, "w") as z:
        for path in sorted(QUIRKS.glob("*.csv")):
            body = path.read_bytes()
            z.writestr(path.name, b"\xef\xbb\xbf" + body if path.name == "users.csv" else body)
        z.writestr("demographics.csv", DEMOGRAPHICS)
    sign_in(page, DIRECTOR)
    page.goto("/district/rosters/")
    assert_accessible(page)
    page.set_input_files("#id_archive", str(export))
    page.locator("main").get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Dry run: nothing has changed yet").wait_for(timeout=60_000)
    assert_accessible(page)
    refusals = page.locator("main table").filter(has_text="usr-222-987654")
    text = refusals.inner_text()
    # Each refusal names its file, row, column and value, and why.
    assert "enrollments" in text and "not a student" in text
    assert "siteAdministrator" in page.locator("main").inner_text()
    page.locator("main").get_by_role("button", name="Apply this roster").click()
    page.get_by_role("heading", name="Roster applied").wait_for(timeout=120_000)
    assert_accessible(page)
    # The new roster: the students found by name, at the school the file brought.
    page.goto("/students/?q=usr-222")
    main = page.locator("main").inner_text()
    assert "History Department" in main or "Mary" in main, main[:500]
    page.goto("/students/?q=Mary")
    assert page.locator("main a", has_text="Mary").first.is_visible()
    assert_accessible(page)
