"""PDFs from the same templates as the pages (WeasyPrint), with tagged headings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import weasyprint
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(
    request: HttpRequest, template: str, context: dict[str, Any], *, language: str | None = None
) -> bytes:
    """The PDF of `template`, in `language` if given, else the active one."""
    if language:
        with translation.override(language):
            html = render_to_string(template, context, request=request)
    else:
        html = render_to_string(template, context, request=request)
    return html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    """The PDF of a page's HTML, here and now (tandem/documents/isolated.py for a time limit)."""
    return weasyprint.HTML(string=html, base_url=str(Path(settings.BASE_DIR))).write_pdf(
        pdf_tags=True
    )


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
