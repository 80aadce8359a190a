"""The student search and the audit log download as CSV and XLSX: every row found (not only the
page), cells safe from formula injection, each student named in the log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.web.pages import record_of_access
from tests.downloads import read_download


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_student_search_downloads_every_student_found(world, fmt):
    world.leo.preferred_last_name = "=HYPERLINK(1)"
    world.leo.save()
    response = world.client_for("director").get(reverse("student_search"), {"download": fmt})
    rows = read_download(response, fmt)
    assert rows[0] == ["Student", "Student id", "Grade", "School", "Date of birth"]
    names = [row[0] for row in rows[1:]]
    assert "Lopez, Maya" in names and "'=HYPERLINK(1), Leo" in names
    assert not any("Oak" in row[3] for row in rows[1:])  # Riverside's director: Riverside only
    event = AuditEvent.objects.get(action="students.exported")
    assert event.detail["students_listed"]["count"] == len(rows) - 1
    assert event in record_of_access(world.maya, with_refusals=False)


def test_a_teacher_downloads_only_the_students_they_may_see(world):
    rows = read_download(
        world.client_for("teacher").get(reverse("student_search"), {"download": "csv"}), "csv"
    )
    shown = world.client_for("teacher").get(reverse("student_search"))
    assert len(rows) - 1 == shown.context["page"].paginator.count


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_audit_log_downloads_its_search(world, fmt):
    world.client_for("case_manager").get(reverse("student", args=[world.maya.public_id]))
    response = world.client_for("director").get(
        reverse("audit_log"), {"action": "student.viewed", "download": fmt}
    )
    rows = read_download(response, fmt)
    assert rows[0][:4] == ["When", "Who", "What they did", "Code"]
    assert rows[1][3] == "student.viewed" and rows[1][4] == "Maya Lopez"
    assert AuditEvent.objects.filter(action="audit_log.exported").exists()
    assert (
        world.client_for("teacher").get(reverse("audit_log"), {"download": fmt}).status_code == 404
    )
