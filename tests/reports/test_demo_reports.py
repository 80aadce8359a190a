"""Every issued progress report in the demo world reads as issued, in English and in Spanish.

The PDF the family keeps was once rendered before the status became issued and then frozen, so
every issued report said "Draft: not yet sent to the family". This opens each issued PDF of a
freshly seeded demo world, reads its text, and fails on "Draft" or "Borrador".
"""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from tandem.reports.actions import render_report_pdf
from tandem.reports.models import ProgressReport, ReportStatus

pytestmark = pytest.mark.django_db

DRAFT_WORDS = ("draft", "borrador")


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def test_every_issued_demo_report_pdf_reads_as_issued_in_both_languages() -> None:
    call_command("seed_demo", "--students", "120", stdout=StringIO())
    issued = list(
        ProgressReport.objects.filter(status=ReportStatus.ISSUED).select_related(
            "student__district", "student__school", "plan", "issued_by"
        )
    )
    assert issued, "the demo issues last period's reports"
    for report in issued:
        text = pdf_text(bytes(report.pdf))
        assert report.student.legal_last_name in text
        for word in DRAFT_WORDS:
            assert word not in text.lower(), f"{report.public_id}: {word!r} in the issued PDF"
        # The same report rendered in both languages (the family's copy is in one of them).
        rows = list(report.goals.order_by("position"))
        for language in ("en", "es"):
            report.language = language
            text = pdf_text(render_report_pdf(report, rows)).lower()
            for word in DRAFT_WORDS:
                assert word not in text, f"{report.public_id} ({language}): {word!r}"
            assert ("issued" if language == "en" else "emitido") in text
