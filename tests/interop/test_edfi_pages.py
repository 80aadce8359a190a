"""The district administrator's Ed-Fi page: upload the Grand Bend export, read the dry run,
apply it, and see the plans; nobody else reaches it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tandem.interop.models import ImportStatus, RosterImport, Standard
from tandem.people.models import District, Student
from tandem.plans.models import Plan, PlanStatus


def zipped(folder: Path) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for path in sorted(folder.rglob("*.xml")):
            z.write(path, f"grand-bend/{path.relative_to(folder)}")
    return SimpleUploadedFile("grand-bend.zip", buffer.getvalue(), content_type="application/zip")


@pytest.fixture(autouse=True)
def _run_tasks(monkeypatch):  # type: ignore[no-untyped-def]
    """Tasks run when the request's transaction commits; a test's never does, so each post
    runs its callbacks as it ends."""
    from django.test import Client, TestCase

    post = Client.post

    def post_and_run(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with TestCase.captureOnCommitCallbacks(execute=True):
            return post(self, *args, **kwargs)

    monkeypatch.setattr(Client, "post", post_and_run)


def upload(world, folder: Path, persona: str = "director"):  # type: ignore[no-untyped-def]
    client = world.client_for(persona)
    data = {"district": world.riverside.pk, "archive": zipped(folder)}
    return client, client.post(reverse("edfi_imports"), data)


def test_director_checks_and_applies_the_grand_bend_records(world, grand_bend) -> None:  # type: ignore[no-untyped-def]
    district: District = world.riverside
    before = Student.objects.filter(district=district).count()
    client, response = upload(world, grand_bend)
    record = RosterImport.objects.get()
    assert record.standard == Standard.EDFI and record.status == ImportStatus.CHECKED
    assert response["Location"] == reverse("roster_import", args=[record.public_id])
    page = client.get(response["Location"]).content.decode()
    assert "Dry run: nothing has changed yet" in page and "Apply these records" in page
    assert "Plans (special-education and 504 programs)" in page
    assert "StudentProgram.xml" in page and "SpecialEducationExitDate" in page
    assert Student.objects.filter(district=district).count() == before

    applied = client.post(reverse("roster_import_apply", args=[record.public_id]))
    assert applied.status_code == 302
    record.refresh_from_db()
    assert record.status == ImportStatus.APPLIED, record.message
    plans = Plan.objects.filter(student__district=district, imported=True)
    assert plans.filter(status=PlanStatus.ACTIVE).count() == 68
    assert plans.filter(status=PlanStatus.ENDED).count() == 32
    assert "Records applied" in client.get(applied["Location"]).content.decode()
    # The roster page lists rosters only; this page its own uploads.
    assert "grand-bend.zip" in client.get(reverse("edfi_imports")).content.decode()
    assert "grand-bend.zip" not in client.get(reverse("roster_imports")).content.decode()


def test_a_file_that_is_not_an_edfi_export_is_refused_on_its_field(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "users.csv").write_text("sourcedId\n")
    client = world.client_for("director")
    response = client.post(reverse("edfi_imports"), {"district": world.riverside.pk,
                                                     "archive": zipped(tmp_path)})  # fmt: skip
    assert response.status_code == 200
    assert "archive" in response.context["form"].errors
    assert "not an Ed-Fi export" in response.content.decode()
    assert not RosterImport.objects.exists()


def test_list_page_queries_do_not_grow(world, grand_bend, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("director")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("edfi_imports")).status_code == 200


@pytest.mark.parametrize("persona", ["teacher", "contractor", "parent", "principal",
                                     "case_manager", "psych", "oak_director"])  # fmt: skip
def test_others_cannot_reach_or_touch_the_records(world, grand_bend, persona) -> None:  # type: ignore[no-untyped-def]
    upload(world, grand_bend)
    record = RosterImport.objects.get()
    client = world.client_for(persona)
    assert client.get(reverse("roster_import", args=[record.public_id])).status_code == 404
    assert client.post(reverse("roster_import_apply", args=[record.public_id])).status_code == 404
    attempt = client.post(reverse("edfi_imports"), {"district": world.riverside.pk,
                                                    "archive": zipped(grand_bend)})  # fmt: skip
    assert attempt.status_code in (404, 200)  # 200: Oak Valley's director, refused on the district
    assert RosterImport.objects.count() == 1
    assert RosterImport.objects.get().status == ImportStatus.CHECKED
    assert not Plan.objects.filter(imported=True).exists()
