"""The documents a parent signs: rendered in their language, reduced to text, and hashed.

The text (tags stripped, whitespace folded) is what the hash covers, so the same words give the
same hash whether they were read on a phone, printed, or frozen in the signed PDF.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from tandem.people.models import Student
from tandem.plans.models import Plan, PlanStatus
from tandem.portal.models import DocumentKind
from tandem.portal.plain import service_words
from tandem.referrals.models import AreaOfConcern, Consent, ConsentKind

_SPACES = re.compile(r"\s+")

CONSENT_DOCUMENT_KIND = {
    ConsentKind.INITIAL_EVALUATION: DocumentKind.CONSENT_INITIAL_EVALUATION,
    ConsentKind.REEVALUATION: DocumentKind.CONSENT_REEVALUATION,
    ConsentKind.INITIAL_SERVICES: DocumentKind.CONSENT_INITIAL_SERVICES,
}


@dataclass(frozen=True, kw_only=True)
class SignableDocument:
    """A document as the parent reads it: title, HTML, plain text, hash and its parts."""

    kind: str
    title: str
    html: str
    text: str
    hash: str
    language: str
    parts: list[tuple[str, str]]  # (code, words) the parent may consent to one by one


def text_of(html: str) -> str:
    """The words of an HTML fragment, one space between them."""
    return _SPACES.sub(" ", strip_tags(html)).strip()


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _services_proposed(student: Student) -> list[tuple[str, str]]:
    # The plan sent to the family first, then one being written, then the one in force.
    plans = list(
        Plan.objects.filter(
            student=student, status__in=(PlanStatus.PROPOSED, PlanStatus.DRAFT, PlanStatus.ACTIVE)
        ).order_by("-created_at")
    )
    order = [PlanStatus.PROPOSED, PlanStatus.DRAFT, PlanStatus.ACTIVE]
    plans.sort(key=lambda p: order.index(PlanStatus(p.status)))
    if not plans:
        return []
    plan = plans[0]
    return [(str(s.lineage), service_words(s)) for s in plan.services.order_by("name", "id")]


def consent_parts(consent: Consent) -> list[tuple[str, str]]:
    """The parts of a consent a parent may agree to one by one (in the active language)."""
    if consent.kind == ConsentKind.INITIAL_SERVICES:
        return _services_proposed(consent.student)
    referral = consent.referral
    codes = list(referral.areas_of_concern) if referral is not None else []
    labels = dict(AreaOfConcern.choices)
    return [(code, str(labels.get(code, code))) for code in codes]


def consent_title(consent: Consent, student: Student) -> str:
    name = student.first_name
    if consent.kind == ConsentKind.INITIAL_EVALUATION:
        return _("Consent to evaluate %(name)s") % {"name": name}
    if consent.kind == ConsentKind.REEVALUATION:
        return _("Consent to evaluate %(name)s again") % {"name": name}
    return _("Consent to start services for %(name)s") % {"name": name}


def consent_document(consent: Consent, *, language: str) -> SignableDocument:
    """The consent form for `consent`, in `language`, as the parent reads and signs it."""
    student = consent.student
    with translation.override(language):
        parts = consent_parts(consent)
        title = consent_title(consent, student)
        context: dict[str, Any] = {
            "consent": consent,
            "student": student,
            "title": title,
            "parts": parts,
            "school": student.school,
        }
        html = render_to_string("portal/_consent_document.html", context)
    text = text_of(html)
    return SignableDocument(
        kind=CONSENT_DOCUMENT_KIND.get(consent.kind, DocumentKind.OTHER),
        title=title,
        html=html,
        text=text,
        hash=digest(text),
        language=language,
        parts=parts,
    )
