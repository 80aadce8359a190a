"""The transfer of rights at the age of majority (34 CFR 300.520): the only writer.

When a student reaches the age of majority under state law, the rights the parents held under
IDEA pass to the student. Tandem records it as the student's own rights-holding link
(`Relationship.SELF`), so every notice, signature and portal page reaches the student exactly as
it reached the parent, and the parents' links keep the day their rights passed
(`rights_transferred_on`), so they still receive every notice (300.520(a)(1)(i)). The student
and the parents are told of the transfer (300.520(a)(3)), each in their own language, and the
student, given an email address, gets a portal account of their own.

A student a court found incompetent keeps a guardian who holds the rights: the team records
that guardian as the rights holder instead of using this transfer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require
from tandem.accounts.models import Language, User
from tandem.audit.catalogue import Action
from tandem.communication.deliveries import record_delivery
from tandem.core import clock
from tandem.people.models import Guardian, Relationship, Student, StudentGuardian
from tandem.people.relations import holds_own_rights, majority_on
from tandem.portal.actions import invitation_link, portal_account

LANGUAGES = {code for code, _label in Language.choices}


@dataclass(frozen=True)
class Told:
    """One person told of the transfer: by email when they have an address, else on paper."""

    name: str
    email: str
    language: str
    student_name: str
    on: date
    link: str = ""  # the student's invitation link, when an account was made


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


@transaction.atomic
def transfer_rights(
    *, actor: User, student: Student, email: str, language: str, base_url: str
) -> Guardian:
    """Record that `student`'s rights passed to them; tell them and their parents.

    Refused, changing nothing, before the age of majority, when the rights already passed, or
    when the email is another account's.
    """
    require(actor, student, Cap.EDIT_PROFILE)
    student = Student.objects.select_for_update(of=("self",)).get(pk=student.pk)
    on = majority_on(student)
    if on is None:
        raise _refuse("email", _("The state's rules give no age of majority for this student."))
    if on > clock.today():
        raise _refuse(
            "email",
            _("%(name)s reaches the age of majority on %(day)s. Rights pass on that day.")
            % {"name": student.display_name, "day": on.isoformat()},
        )
    if holds_own_rights(student) is not None:
        raise _refuse("email", _("%(name)s already holds their own rights.") % {"name": student})
    parents = list(
        StudentGuardian.objects.select_for_update(of=("self",))
        .filter(student=student, educational_rights_holder=True)
        .select_related("guardian")
    )
    own = Guardian.objects.create(
        district=student.district,
        first_name=student.first_name,
        last_name=student.last_name,
        email=email.strip().lower(),
        preferred_language=language if language in LANGUAGES else Language.ENGLISH,
    )
    StudentGuardian.objects.create(
        student=student,
        guardian=own,
        relationship=Relationship.SELF,
        educational_rights_holder=True,
        primary_contact=True,
    )
    for link in parents:
        link.educational_rights_holder = False
        link.primary_contact = False
        link.rights_transferred_on = on
        link.save(
            update_fields=["educational_rights_holder", "primary_contact", "rights_transferred_on"]
        )
    user = portal_account(actor, own) if own.email else None
    told = [_told(own, student, on, user, base_url)]
    told += [_told(link.guardian, student, on, None, base_url) for link in parents]
    _deliver(actor, student, own, on)
    audit.record(
        actor=actor,
        action=Action.RIGHTS__TRANSFERRED,
        student=student,
        target=own,
        detail={
            "on": on.isoformat(),
            "parents": [str(link.guardian.public_id) for link in parents],
            "account": bool(user),
        },
    )
    transaction.on_commit(lambda: _send(told))
    return own


def _told(guardian: Guardian, student: Student, on: date, user: User | None, base: str) -> Told:
    language = guardian.preferred_language if guardian.preferred_language in LANGUAGES else "en"
    return Told(
        name=guardian.first_name,
        email=guardian.email,
        language=language,
        student_name=student.first_name,
        on=on,
        link=invitation_link(user, base) if user is not None else "",
    )


def _deliver(actor: User, student: Student, own: Guardian, on: date) -> None:
    """The notice in the student's portal papers, titled in their language."""
    with translation.override(own.preferred_language or "en"):
        title = _("Your rights in special education are now yours (%(day)s)") % {
            "day": on.isoformat()
        }
    url = reverse("portal_child", args=[student.public_id]) + "#rights"
    record_delivery(
        student=student, guardian=own, kind="notice", title=title, url=url, sent_by=actor
    )


def _send(told: list[Told]) -> None:
    """Email each person told, in their language; those without email are served on paper."""
    for person in told:
        if not person.email:
            continue
        with translation.override(person.language):
            context = {"person": person}
            subject = render_to_string("portal/email/rights_transferred_subject.txt", context)
            body = render_to_string("portal/email/rights_transferred.txt", context)
        send_mail(subject.strip(), body, None, [person.email])
