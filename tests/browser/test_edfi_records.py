"""Browser test (issue 15): a district administrator brings in Grand Bend's earlier records from
its Ed-Fi export, reads the dry run, applies it, and sees the plans; each page axe-clean.

Grand Bend is a new district with its own administrator, so the seeded Riverside that the other
browser tests read is left as it was.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from tests.browser.conftest import PASSWORD, ROOT, assert_accessible, run_in_live_db, sign_in

pytestmark = pytest.mark.browser

SAMPLE = Path(os.environ.get("TANDEM_SHARED", ROOT.parent / "shared")) / "fixtures/edfi-grand-bend"
ADMIN = "director@grandbend.example"


def test_director_imports_grand_bend_and_sees_its_plans(page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    if not SAMPLE.is_dir():
        pytest.skip(f"the shared Ed-Fi sample is not at {SAMPLE} (set TANDEM_SHARED)")
    export = tmp_path / "grand-bend.zip"
    with zipfile.ZipFile(export, "w") as z:
        for path in sorted(SAMPLE.rglob("*.xml")):
            z.write(path, str(path.relative_to(SAMPLE)))
    run_in_live_db(
        "from datetime import date\n"
        "from tandem.accounts.models import User\n"
        "from tandem.people.models import District, Role, Staff, StaffRole\n"
        "d = District.objects.create(name='Grand Bend ISD', slug='grand-bend', state='TX')\n"
        f"u = User.objects.create_user(email='{ADMIN}', password='{PASSWORD}',"
        " first_name='Gale', last_name='Bend')\n"
        "StaffRole.objects.create(staff=Staff.objects.create(user=u), district=d,"
        " role=Role.DISTRICT_ADMIN, start_date=date(2020, 7, 1))\n"
    )
    sign_in(page, ADMIN)
    page.goto("/district/records/")
    assert_accessible(page)
    page.set_input_files("#id_archive", str(export))
    page.get_by_role("button", name="Check the records").click()
    page.wait_for_load_state()
    page.get_by_role("heading", name="Dry run: nothing has changed yet").wait_for(timeout=60_000)
    main = page.locator("main")
    assert "Plans (special-education and 504 programs)" in main.inner_text()
    assert "SpecialEducationExitDate" in main.inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Apply these records").click()
    page.get_by_role("heading", name="Records applied").wait_for(timeout=120_000)
    assert_accessible(page)
    counted = run_in_live_db(
        "from tandem.plans.models import Plan\n"
        "plans = Plan.objects.filter(student__district__slug='grand-bend', imported=True)\n"
        "print(plans.filter(status='active', kind='iep').count(),"
        " plans.filter(status='ended', kind='iep').count(),"
        " plans.filter(status='active', kind='section_504').count(),"
        " plans.filter(status='active').exclude(annual_review_due=None).count())\n"
    )
    # The shell may print its own lines first (the objects it imports): the last is ours.
    assert counted.strip().splitlines()[-1].split() == ["65", "32", "3", "68"]
    # The director sees them on the list of plans: 65 IEPs in force, each with its next annual
    # review; 32 ended; the 3 Section 504 Plans in force.
    for query, count in (
        ("kind=iep&status=in_force", "65 plans"),
        ("kind=iep&status=ended", "32 plans"),
        ("kind=section_504&status=in_force", "3 plans"),
    ):
        page.goto(f"/plans/?{query}")
        assert count in page.locator("main").inner_text(), query
    page.goto("/plans/?kind=iep&status=in_force")
    assert_accessible(page)
    reviews = page.locator("main td[data-label='Next annual review']").all_inner_texts()
    assert reviews and "—" not in reviews
    # The records leave again: the Ed-Fi export from the records page, and the child count.
    page.goto("/district/records/")
    assert_accessible(page)
    link = page.locator("main a", has_text="Download the Ed-Fi export of Grand Bend ISD")
    with page.expect_download() as got:
        link.click()
    with zipfile.ZipFile(got.value.path()) as z:
        manifest = json.loads(z.read("manifest.json"))
    counts = {r["resource"]: r["count"] for r in manifest["resources"]}
    assert counts["students"] == 960
    assert counts["studentSpecialEducationProgramAssociations"] == 97
    assert counts["studentSection504ProgramAssociations"] == 3
    page.goto("/reports/federal/")  # one district: straight to its child count
    assert "/child-count/" in page.url
    assert_accessible(page)
    csv_link = page.locator("main a[href*='child-count.csv']")
    response = page.request.get(csv_link.get_attribute("href"))
    assert response.ok and "text/csv" in response.headers["content-type"]
    lines = response.text().strip().splitlines()
    assert len(lines) > 1, lines  # a header and the counts of the plans in force
