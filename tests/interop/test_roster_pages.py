"""The district administrator's roster page: upload, dry run with refusals, CSV, apply."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.interop.models import ImportStatus, RosterImport
from tandem.people.models import ClassSection, Student


def zipped(folder: Path) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for path in sorted(folder.iterdir()):
            z.write(path, f"oneroster/{path.name}")  # files in a folder inside the zip
    return SimpleUploadedFile("roster.zip", buffer.getvalue(), content_type="application/zip")


@pytest.fixture(autouse=True)
def _run_tasks(monkeypatch):  # type: ignore[no-untyped-def]
    """Tasks are queued when the request's transaction commits; the test backend runs them at
    once. A test's transaction never commits, so each post runs its callbacks as it ends."""
    from django.test import Client, TestCase

    post = Client.post

    def post_and_run(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with TestCase.captureOnCommitCallbacks(execute=True):
            return post(self, *args, **kwargs)

    monkeypatch.setattr(Client, "post", post_and_run)


def upload(world, folder: Path, persona: str = "director"):  # type: ignore[no-untyped-def]
    client = world.client_for(persona)
    data = {"district": world.riverside.pk, "archive": zipped(folder)}
    return client, client.post(reverse("roster_imports"), data)


def test_director_uploads_reads_the_dry_run_downloads_refusals_and_applies(world, roster_dir):
    client, response = upload(world, roster_dir)
    record = RosterImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "roster_import", args=[record.public_id]
    )
    assert not Student.objects.filter(sis_id="usr-222-66778899").exists()  # a dry run
    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200 and "Dry run: nothing has changed yet" in text
    assert "usr-222-987654" in text and "this user is not a student (teacher)" in text
    csv_response = client.get(reverse("roster_import_problems", args=[record.public_id]))
    assert csv_response["Content-Type"].startswith("text/csv")
    lines = csv_response.content.decode().splitlines()
    assert lines[0] == "severity,file,row,column,value,reason"
    assert "refused,enrollments,3,userSourcedId,usr-222-987654," in "\n".join(lines)
    assert AuditEvent.objects.filter(action="roster.problems_downloaded").exists()

    applied = client.post(reverse("roster_import_apply", args=[record.public_id]))
    assert applied.status_code == 302
    record.refresh_from_db()
    assert record.status == ImportStatus.APPLIED
    assert Student.objects.filter(sis_id="usr-222-66778899", district=world.riverside).exists()
    assert ClassSection.objects.filter(name="Introduction to Physics").exists()
    assert "Roster applied" in client.get(applied["Location"]).content.decode()
    # Applying the same upload twice is refused; nothing changes.
    again = client.post(reverse("roster_import_apply", args=[record.public_id]))
    assert again.status_code == 400 and "applied already" in again.content.decode()


def test_the_page_polls_while_it_runs_and_reloads_when_done(world, roster_dir):
    client, _response = upload(world, roster_dir)
    record = RosterImport.objects.get()
    RosterImport.objects.filter(pk=record.pk).update(
        status=ImportStatus.APPLYING, progress="enrollments.csv: 10,000"
    )
    url = reverse("roster_import", args=[record.public_id])
    polled = client.get(url, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in polled.content.decode()
    assert "enrollments.csv: 10,000" in polled.content.decode()
    assert "HX-Refresh" not in polled
    # While one roster is being applied, another of the district waits.
    _client, second = upload(world, roster_dir)
    other = RosterImport.objects.exclude(pk=record.pk).get()
    refused = client.post(reverse("roster_import_apply", args=[other.public_id]))
    assert refused.status_code == 400 and "being applied" in refused.content.decode()
    RosterImport.objects.filter(pk=record.pk).update(status=ImportStatus.APPLIED)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true" and "hx-trigger" not in done.content.decode()


def test_an_apply_that_fails_changes_nothing_and_says_why(world, roster_dir, monkeypatch):
    client, _response = upload(world, roster_dir)
    record = RosterImport.objects.get()
    students = Student.objects.count()

    def boom(run):  # type: ignore[no-untyped-def]
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("tandem.interop.roster_classes.enrollments", boom)
    client.post(reverse("roster_import_apply", args=[record.public_id]))
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED and "the disk is full" in record.message
    assert Student.objects.count() == students
    page = client.get(reverse("roster_import", args=[record.public_id])).content.decode()
    assert "Nothing was changed." in page and "the disk is full" in page


def test_a_file_that_is_not_a_roster_is_refused_on_its_field(world):
    client = world.client_for("director")
    bad = SimpleUploadedFile("roster.zip", b"not a zip", content_type="application/zip")
    response = client.post(reverse("roster_imports"), {"district": world.riverside.pk,
                                                       "archive": bad})  # fmt: skip
    assert response.status_code == 200
    assert "not a zip file" in response.content.decode()
    assert not RosterImport.objects.exists()


def test_list_page_queries_do_not_grow(world, roster_dir, django_assert_max_num_queries):
    client = world.client_for("director")
    for _ in range(3):
        client.post(reverse("roster_imports"), {"district": world.riverside.pk,
                                                "archive": zipped(roster_dir)})  # fmt: skip
    with django_assert_max_num_queries(12):
        assert client.get(reverse("roster_imports")).status_code == 200


@pytest.mark.parametrize("persona", ["teacher", "contractor", "parent", "principal",
                                     "case_manager", "psych"])  # fmt: skip
def test_others_cannot_reach_the_roster_pages(world, roster_dir, persona):
    _client, _response = upload(world, roster_dir)
    record = RosterImport.objects.get()
    client = world.client_for(persona)
    assert client.get(reverse("roster_imports")).status_code == 404
    assert client.get(reverse("roster_import", args=[record.public_id])).status_code == 404
    post = client.post(reverse("roster_import_apply", args=[record.public_id]))
    assert post.status_code == 404
    upload_attempt = client.post(reverse("roster_imports"), {"district": world.riverside.pk,
                                                             "archive": zipped(roster_dir)})  # fmt: skip
    assert upload_attempt.status_code == 404
    assert RosterImport.objects.count() == 1
    assert RosterImport.objects.get().status == ImportStatus.CHECKED


def test_another_districts_director_cannot_touch_this_import(world, roster_dir):
    upload(world, roster_dir)
    record = RosterImport.objects.get()
    oak = world.client_for("oak_director")
    assert oak.get(reverse("roster_import", args=[record.public_id])).status_code == 404
    assert oak.get(reverse("roster_import_problems", args=[record.public_id])).status_code == 404
    assert oak.post(reverse("roster_import_apply", args=[record.public_id])).status_code == 404
    # Nor upload into Riverside: the district is not one of theirs (a form error, nothing kept).
    response = oak.post(reverse("roster_imports"), {"district": world.riverside.pk,
                                                    "archive": zipped(roster_dir)})  # fmt: skip
    assert response.status_code == 200 and "district" in response.context["form"].errors
    assert RosterImport.objects.count() == 1
    assert not Student.objects.filter(sis_id="usr-222-66778899").exists()


def test_anonymous_is_sent_to_sign_in(world):
    response = world.client_for("anonymous").get(reverse("roster_imports"))
    assert response.status_code == 302 and "login" in response["Location"]
