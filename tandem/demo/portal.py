"""Demo data for the portal app, seeded by `manage.py seed_demo` after the plans.

parent@ (Jessica Morgan) and madre@ (María Hernández) already have portal accounts linked to
their two children (people demo). Here each gets a consent to sign in the portal: the school asks
to evaluate the second child (Lily Morgan, grade 7; Mateo Hernández, grade 4) after the parent
asked for it, written through the referral actions as the Riverside director, with prior written
notice in the parent's language. Deterministic: the dates count back from demo today.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction

from tandem.accounts.models import Language, User
from tandem.core import clock
from tandem.demo import personas
from tandem.demo import referrals as referrals_demo
from tandem.people.models import Student
from tandem.referrals import actions
from tandem.referrals.models import (
    AreaOfConcern,
    CaseReviewDecision,
    ConsentKind,
    ConsentMethod,
    ConsentResponse,
    NoticeAction,
    ReferralSource,
)

# (parent's email, the child's first name, areas of concern, the concern in the parent's words)
FAMILY_CONSENTS = (
    (
        personas.PARENT,
        "Lily",
        [AreaOfConcern.READING, AreaOfConcern.ATTENTION, AreaOfConcern.SOCIAL_EMOTIONAL],
        "Lily's mother asks for an evaluation: reading homework takes hours and Lily "
        "loses track in class.",
    ),
    (
        personas.MADRE,
        "Mateo",
        [AreaOfConcern.SPEECH_LANGUAGE, AreaOfConcern.READING],
        "La madre de Mateo pide una evaluación: a Mateo le cuesta pronunciar y leer en voz alta.",
    ),
)


def _notice(language: str) -> actions.NoticeContent:
    if language == Language.SPANISH:
        return actions.NoticeContent(
            action_described="La escuela propone evaluar a su hijo.",
            reasons="Usted pidió la evaluación y el maestro ve las mismas dificultades.",
            evaluation_basis="Su pedido, las notas del maestro y las pruebas de la clase.",
            procedural_safeguards_statement="Usted tiene derechos. Le damos una copia.",
            sources_of_help="Centro de Información para Padres, 555-0100.",
            options_considered="Seguir solo con apoyo en clase: no basta.",
            other_factors="Ninguno.",
            language=Language.SPANISH,
        )
    return actions.NoticeContent(
        action_described="The school proposes to evaluate your child.",
        reasons="You asked for it, and the teacher sees the same needs.",
        evaluation_basis="Your request, the teacher's notes and class tests.",
        procedural_safeguards_statement="You have rights. A copy is enclosed.",
        sources_of_help="Parent Training and Information Center, 555-0100.",
        options_considered="More help in class only: not enough.",
        other_factors="None.",
    )


def _child(email: str, first: str) -> Student | None:
    return (
        Student.objects.filter(guardian_links__guardian__user__email=email, legal_first_name=first)
        .select_related("district", "school")
        .first()
    )


def seed(plan: Any, *, log: Callable[[str], None] = lambda _: None) -> None:
    """A pending consent for parent@ and madre@ to sign in the portal."""
    started = time.perf_counter()
    director = User.objects.filter(email=personas.DIRECTOR).first()
    if director is None:
        return
    today = referrals_demo.demo_today(clock.today())
    made = 0
    with transaction.atomic():
        for email, first, areas, concern in FAMILY_CONSENTS:
            student = _child(email, first)
            if student is None:
                continue
            if student.consents.filter(response=ConsentResponse.PENDING).exists():
                continue
            guardian_language = (
                student.guardian_links.filter(guardian__user__email=email)
                .values_list("guardian__preferred_language", flat=True)
                .first()
            ) or Language.ENGLISH
            referral = actions.create_referral(
                actor=director,
                student=student,
                source=ReferralSource.PARENT,
                source_name=str(
                    student.guardian_links.filter(guardian__user__email=email).first().guardian  # type: ignore[union-attr]
                ),
                received_on=today - timedelta(days=12),
                areas_of_concern=areas,
                description=concern,
            )
            actions.record_case_review(
                actor=director,
                referral=referral,
                decided_on=today - timedelta(days=7),
                decision=CaseReviewDecision.EVALUATE_SPECIAL_EDUCATION,
                reason="The team agrees an evaluation is needed in each area of concern.",
            )
            actions.issue_prior_written_notice(
                actor=director,
                student=student,
                referral=referral,
                action=NoticeAction.PROPOSES,
                content=_notice(guardian_language),
                issued_on=today - timedelta(days=6),
            )
            actions.request_consent(
                actor=director,
                referral=referral,
                kind=ConsentKind.INITIAL_EVALUATION,
                sent_on=today - timedelta(days=6),
                method=ConsentMethod.PORTAL,
            )
            made += 1
    log(
        f"  {made} consents waiting in the portal for parent@ and madre@ "
        f"({time.perf_counter() - started:.1f} s)"
    )
