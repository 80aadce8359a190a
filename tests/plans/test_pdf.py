"""Plan PDFs: the same templates as the pages, in the parent's language, "Draft" on drafts."""

from __future__ import annotations

import pytest
import weasyprint

from tandem.accounts.models import AuditEvent
from tandem.documents import pdf
from tests.plans.test_pages import active_plan, draft_plan


@pytest.fixture
def rendered(monkeypatch):  # type: ignore[no-untyped-def]
    """The HTML handed to WeasyPrint, still rendered into a real PDF."""
    seen: list[str] = []
    real = weasyprint.HTML

    def capture(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(kwargs["string"])
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf.weasyprint, "HTML", capture)
    return seen


def test_version_pdf(world, rendered) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    response = world.client_for("parent").get(f"/plans/{plan.public_id}/versions/1/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    html = rendered[-1]
    assert "Riverside Unified" in html
    assert "Version 1 (Original)" in html
    assert "counter(page)" in html and "counter(pages)" in html
    assert "30 minutes, 2 times a week" in html
    assert "@top-center" not in html  # no draft mark on a finalized version
    assert AuditEvent.objects.filter(action="plan.pdf").exists()


def test_draft_pdf_says_draft_on_every_page(world, rendered) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    response = world.client_for("case_manager").get(f"/plans/{plan.public_id}/pdf/")
    assert response.content.startswith(b"%PDF")
    html = rendered[-1]
    assert '@top-center { content: "Draft"' in html


def test_pdf_in_the_parents_language(world, rendered) -> None:  # type: ignore[no-untyped-def]
    parent = world.users["parent"].guardian
    parent.preferred_language = "es"
    parent.save()
    plan = draft_plan(world)
    client = world.client_for("case_manager")
    assert client.get(f"/plans/{plan.public_id}/pdf/").content.startswith(b"%PDF")
    assert 'lang="es"' in rendered[-1]
    client.get(f"/plans/{plan.public_id}/pdf/?lang=en")
    assert 'lang="en"' in rendered[-1]


@pytest.mark.parametrize("persona", ["stranger", "oak_director", "uncle"])
def test_pdf_out_of_reach_is_404(world, persona) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for(persona)
    assert client.get(f"/plans/{plan.public_id}/pdf/").status_code == 404
    assert client.get(f"/plans/{plan.public_id}/versions/1/pdf/").status_code == 404


def test_teacher_on_roster_gets_the_pdf(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    response = world.client_for("teacher").get(f"/plans/{plan.public_id}/pdf/")
    assert response.content.startswith(b"%PDF")
