"""Plan PDFs made once and kept (frozen versions), made by the worker when large, under a time
limit, taken over from a dead worker, and tried again on request; the pages that say so."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.plans import actions_drafts, actions_versions, pdf_document
from tandem.plans.models import PdfFailure, PdfStatus, PlanPdf
from tandem.plans.pdf_worker import render_one, render_plan_pdf
from tests.plans.test_pages import MEETING, TODAY, active_plan, draft_plan

pytestmark = pytest.mark.django_db

PARAGRAPH = "Maya reads 62 words correct per minute and loses meaning in longer texts. " * 20


def large_draft(world: Any) -> Any:
    """A draft over INLINE_MAX_BYTES: four sections with long present levels and concerns."""
    plan = draft_plan(world)
    actor = world.users["case_manager"]
    long_text = (PARAGRAPH * 14)[:20_000]
    section = plan.sections.get(key="plaafp")
    actions_drafts.save_section(
        actor=actor,
        plan=plan,
        key="plaafp",
        content={"text": long_text, "effect": long_text},
        expected_revision=section.revision,
    )
    for key in ("strengths", "parent_concerns"):
        actions_drafts.save_section(
            actor=actor, plan=plan, key=key, content={"text": long_text}, expected_revision=0
        )
    plan.refresh_from_db()
    assert not pdf_document.target_for(plan, None).is_small
    return plan


def _pdf_url(plan: Any) -> str:
    return reverse("plan_pdf", args=[plan.public_id])


def _only_row(plan: Any) -> PlanPdf:
    return PlanPdf.objects.get(plan=plan, version__isnull=True)


def test_version_pdf_is_kept_once_and_served_from_storage(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("parent")
    url = reverse("plan_version_pdf", args=[plan.public_id, 1])
    first = client.get(url)
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    kept = PlanPdf.objects.get(plan=plan, key="v1", language="en")
    assert kept.status == PdfStatus.READY and kept.size == len(first.content)
    second = client.get(url)
    assert second.content == first.content
    again = PlanPdf.objects.get(pk=kept.pk)
    # Not made again: still the one render, the same file, the same moment.
    assert PlanPdf.objects.filter(plan=plan, key="v1").count() == 1
    assert (again.file.name, again.rendered_at, again.sha256) == (
        kept.file.name,
        kept.rendered_at,
        kept.sha256,
    )
    assert AuditEvent.objects.filter(action="plan.pdf", student=world.maya).count() == 2


def test_a_kept_file_that_changed_on_disk_is_made_again(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("case_manager")
    url = reverse("plan_version_pdf", args=[plan.public_id, 2])
    client.get(url)
    kept = PlanPdf.objects.get(plan=plan, key="v2", language="en")
    with kept.file.storage.open(kept.file.name, "wb") as handle:
        handle.write(b"not the PDF")
    response = client.get(url)
    assert response.content.startswith(b"%PDF")
    assert PlanPdf.objects.get(pk=kept.pk).status == PdfStatus.READY


def test_finalizing_queues_the_versions_pdfs_in_the_familys_language_and_english(
    world, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    parent = world.users["parent"].guardian
    parent.preferred_language = "es"
    parent.save()
    plan = draft_plan(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        actions_versions.finalize_plan(
            actor=world.users["case_manager"], plan=plan, effective_from=MEETING, today=TODAY
        )
    assert len(callbacks) >= 2
    rows = PlanPdf.objects.filter(plan=plan, key="v1")
    assert sorted(rows.values_list("language", "status")) == [
        ("en", PdfStatus.READY),
        ("es", PdfStatus.READY),
    ]


def test_a_large_draft_is_made_by_the_worker_then_served(world) -> None:  # type: ignore[no-untyped-def]
    plan = large_draft(world)
    client = world.client_for("case_manager")
    waiting = client.get(_pdf_url(plan))
    assert waiting.status_code == 202
    page = waiting.content.decode()
    assert "Your PDF is being prepared" in page
    assert "Open the PDF" not in page  # nothing claims a PDF before there is one
    assert 'hx-trigger="every 10s"' in page and "Check again" in page
    poll = client.get(_pdf_url(plan), HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and "being prepared" in poll.content.decode()
    row = _only_row(plan)
    assert row.status == PdfStatus.QUEUED

    assert render_plan_pdf.call(row.pk) == "ready"

    done = client.get(_pdf_url(plan), HTTP_HX_REQUEST="true")
    assert done.status_code == 286 and "Open the PDF" in done.content.decode()
    served = client.get(_pdf_url(plan))
    assert served.status_code == 200 and served.content.startswith(b"%PDF")
    assert served["Content-Disposition"].endswith('-draft.pdf"')


def test_a_new_save_supersedes_the_drafts_queued_pdf(world) -> None:  # type: ignore[no-untyped-def]
    plan = large_draft(world)
    client = world.client_for("case_manager")
    client.get(_pdf_url(plan))
    old = _only_row(plan)
    section = plan.sections.get(key="strengths")
    actions_drafts.save_section(
        actor=world.users["case_manager"],
        plan=plan,
        key="strengths",
        content={"text": "She loves maps. " + section.content["text"][:19_000]},
        expected_revision=section.revision,
    )
    assert render_one(old.pk) == "superseded"
    assert not PlanPdf.objects.filter(pk=old.pk).exists()
    assert client.get(_pdf_url(plan)).status_code == 202  # the new content, queued anew


def test_a_render_past_the_time_limit_fails_and_can_be_tried_again(world, settings) -> None:  # type: ignore[no-untyped-def]
    plan = large_draft(world)
    client = world.client_for("case_manager")
    client.get(_pdf_url(plan))
    row = _only_row(plan)
    settings.PDF_RENDER_SECONDS = 0.01

    assert render_one(row.pk) == "failed"

    row.refresh_from_db()
    assert (row.status, row.failure, row.file.name) == (PdfStatus.FAILED, PdfFailure.TIMED_OUT, "")
    assert "still rendering" in row.detail
    assert list(Path(settings.MEDIA_ROOT).rglob("*")) == []  # nothing half-written kept
    page = client.get(_pdf_url(plan))
    assert page.status_code == 200
    text = page.content.decode()
    assert "The PDF could not be made" in text
    assert "took longer than the limit of 0.01 seconds" in text
    assert "Try again" in text and "Open the PDF" not in text

    retried = client.post(reverse("plan_pdf_retry", args=[plan.public_id]), {"lang": "en"})
    assert retried.status_code == 302
    row.refresh_from_db()
    assert row.status == PdfStatus.QUEUED
    assert AuditEvent.objects.filter(action="plan.pdf_retried", student=world.maya).exists()
    settings.PDF_RENDER_SECONDS = 60
    assert render_one(row.pk) == "ready"
    assert client.get(_pdf_url(plan)).content.startswith(b"%PDF")


def test_a_dead_workers_render_is_taken_over_after_its_lease(
    world, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    plan = large_draft(world)
    client = world.client_for("case_manager")
    client.get(_pdf_url(plan))
    row = _only_row(plan)
    # What a worker that died mid-render leaves: the row taken, its lease still running.
    PlanPdf.objects.filter(pk=row.pk).update(
        status=PdfStatus.RENDERING, lease_until=clock.now() + timedelta(minutes=1), attempts=1
    )
    assert render_one(row.pk) == "skipped"  # while the lease runs, the row is the worker's
    with django_capture_on_commit_callbacks() as callbacks:
        assert client.get(_pdf_url(plan)).status_code == 202
    assert callbacks == []  # nothing queued again yet

    PlanPdf.objects.filter(pk=row.pk).update(lease_until=clock.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks() as callbacks:
        assert client.get(_pdf_url(plan)).status_code == 202
    assert len(callbacks) == 1  # the page that finds it abandoned queues it again

    assert render_one(row.pk) == "ready"
    row.refresh_from_db()
    assert (row.status, row.attempts) == (PdfStatus.READY, 2)


# --- personas ---------------------------------------------------------------------------------


@pytest.fixture
def failed(world) -> Any:  # type: ignore[no-untyped-def]
    plan = large_draft(world)
    world.client_for("case_manager").get(_pdf_url(plan))
    PlanPdf.objects.filter(plan=plan).update(
        status=PdfStatus.FAILED, failure=PdfFailure.ERROR, detail="RenderFailed: test"
    )
    return plan


def test_reader_sees_the_failure_without_the_retry_button(world, failed) -> None:  # type: ignore[no-untyped-def]
    page = world.client_for("teacher").get(_pdf_url(failed)).content.decode()
    assert "Something went wrong while making it" in page
    assert "Try again" not in page and "case manager can ask" in page


@pytest.mark.parametrize("persona", ["teacher", "parent"])
def test_read_only_role_cannot_post_the_retry(world, failed, persona) -> None:  # type: ignore[no-untyped-def]
    response = world.client_for(persona).post(reverse("plan_pdf_retry", args=[failed.public_id]))
    assert response.status_code == 403
    assert PlanPdf.objects.get(plan=failed).status == PdfStatus.FAILED


@pytest.mark.parametrize("persona", ["stranger", "oak_director", "uncle"])
def test_outsider_gets_404(world, failed, persona) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for(persona)
    assert client.get(_pdf_url(failed)).status_code == 404
    assert client.post(reverse("plan_pdf_retry", args=[failed.public_id])).status_code == 404
    assert PlanPdf.objects.get(plan=failed).status == PdfStatus.FAILED


def test_the_waiting_page_is_in_the_readers_language(world) -> None:  # type: ignore[no-untyped-def]
    plan = large_draft(world)
    user = world.users["case_manager"]
    user.preferred_language = "es"
    user.save()
    page = world.client_for("case_manager").get(_pdf_url(plan)).content.decode()
    assert '<html lang="es">' in page
