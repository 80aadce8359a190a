"""What the portal's form pages need, built from plain values (a consent, posted data, a day)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tandem.people.models import Guardian, StudentGuardian
from tandem.people.relations import rights_holder, rights_holder_links
from tandem.portal.documents import SignableDocument, consent_document
from tandem.portal.forms import PaperSignatureForm, SignForm
from tandem.referrals.models import Consent, ConsentResponse


def answer(data: dict[str, Any]) -> dict[str, Any]:
    """A signing form's cleaned data as the signing actions take it."""
    return {
        "decision": data["decision"],
        "parts_given": data.get("parts") or [],
        "reason": data["reason"],
        "typed_name": data["typed_name"],
    }


@dataclass
class SignPage:
    document: SignableDocument
    form: SignForm
    done: bool


def sign_page(consent: Consent, data: Any, *, language: str) -> SignPage:
    """The consent in the parent's language and the form to answer it."""
    document = consent_document(consent, language=language)
    form = SignForm(data, parts=document.parts)
    return SignPage(document, form, done=consent.response != ConsentResponse.PENDING)


@dataclass
class PaperPage:
    document: SignableDocument
    form: PaperSignatureForm
    rights: list[StudentGuardian]
    done: bool

    def guardian(self, public_id: str) -> Guardian:
        """The rights holder the form names (the form's choices are exactly these)."""
        return next(
            link.guardian for link in self.rights if str(link.guardian.public_id) == public_id
        )


def paper_page(consent: Consent, data: Any, files: Any, *, today: date) -> PaperPage:
    """The form to record a consent signed on paper, in the first rights holder's language."""
    rights = rights_holder_links(consent.student)
    language = rights[0].guardian.preferred_language if rights else "en"
    document = consent_document(consent, language=language)
    form = PaperSignatureForm(
        data,
        files,
        guardians=[(str(link.guardian.public_id), str(link.guardian)) for link in rights],
        parts=document.parts,
        initial={"language": language, "signed_on": today},
    )
    return PaperPage(document, form, rights, done=consent.response != ConsentResponse.PENDING)


def print_language(consent: Consent, asked: str, languages: tuple[str, ...]) -> str:
    """The language asked for, else the language of the parent who receives notices."""
    if asked in languages:
        return asked
    parent = rights_holder(consent.student)
    return parent.preferred_language if parent is not None else "en"
