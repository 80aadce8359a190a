"""Demo data for the communication app, seeded by `manage.py seed_demo` after the plans."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction

from tandem.accounts.models import User
from tandem.communication import actions
from tandem.communication.models import ContactEntry, Message, MessageRead
from tandem.communication.queries import team_users
from tandem.core import clock
from tandem.demo.personas import CASE_MANAGER, MADRE, PARENT
from tandem.people.models import StudentGuardian
from tandem.people.relations import case_managers

CONTACTS = {
    PARENT: (
        (
            40,
            "phone",
            "English",
            "",
            "Called to introduce myself as case manager and set a time for the annual review.",
            "Send the draft plan a week before the meeting.",
        ),
        (12, "email", "English", "", "Sent the reading log and asked how homework is going.", ""),
        (
            2,
            "in_person",
            "English",
            "",
            "Talked at pick-up about the revision request; explained what happens next.",
            "Answer the revision request.",
        ),
    ),
    MADRE: (
        (
            35,
            "phone",
            "Spanish",
            "Luis Ortega (district interpreter)",
            "Explained the progress report in Spanish; mother asked for math homework in Spanish.",
            "Ask the teacher for Spanish homework.",
        ),
        (
            9,
            "letter",
            "Spanish",
            "",
            "Mailed the Spanish meeting notice and procedural safeguards.",
            "",
        ),
    ),
}

THREADS = {
    PARENT: (
        ("family", 6, "Hi, reading homework is taking over two hours a night. Is that normal?"),
        (
            "team",
            5,
            "Thank you for telling us. That is too long. Please stop after 20 minutes "
            "and write down where {subject} stopped. We will look at the reading goal together.",
        ),
        ("family", 5, "Thank you, we will do that tonight."),
    ),
    MADRE: (
        ("family", 4, "Hola, ¿puedo recibir las tareas de matemáticas en español?"),
        ("team", 3, "Hola, sí. La maestra enviará las tareas en español a partir del lunes."),
    ),
}


def _children(email: str) -> list[Any]:
    return [
        link.student
        for link in StudentGuardian.objects.filter(
            guardian__user__email=email, educational_rights_holder=True
        )
        .select_related("student__district")
        .order_by("-student__date_of_birth", "student_id")
    ]


def seed(plan: Any, *, log: Callable[[str], None] = lambda _: None) -> None:
    """Contact logs, message threads (with read receipts) and notifications for the demo families."""
    started = time.perf_counter()
    users = {u.email: u for u in User.objects.filter(email__in=[PARENT, MADRE, CASE_MANAGER])}
    kids = {email: _children(email) for email in (PARENT, MADRE)}
    everyone = [s for group in kids.values() for s in group]
    if not everyone or ContactEntry.objects.filter(student__in=everyone).exists():
        log("  communication: nothing to add")
        return
    now = clock.now()
    contacts = messages = 0
    with transaction.atomic():
        for email, children in kids.items():
            parent = users.get(email)
            if parent is None:
                continue
            for student in children:
                managers = [s.user for s in case_managers(student) if s.user_id] or team_users(
                    student
                )
                staff = managers[0] if managers else users.get(CASE_MANAGER)
                if staff is None:
                    continue
                for days, method, language, interpreter, summary, follow_up in CONTACTS[email]:
                    try:
                        actions.add_contact(
                            actor=staff,
                            student=student,
                            contacted_on=(now - timedelta(days=days)).date(),
                            method=method,
                            family_member=f"{parent.first_name} {parent.last_name}".strip(),
                            language=language,
                            interpreter=interpreter,
                            summary=summary,
                            follow_up=follow_up,
                            follow_up_on=(now - timedelta(days=days - 7)).date()
                            if follow_up
                            else None,
                            follow_up_owner=staff if follow_up else None,
                        )
                        contacts += 1
                    except Exception as error:  # noqa: BLE001 - staff without write access
                        log(f"  contact skipped for {student}: {error}")
                        break
                for side, days, body in THREADS[email]:
                    author = parent if side == "family" else staff
                    # The thread is sent for each child: the pronoun follows the child's sex
                    # (the Morgans have a son and a daughter), "they" when not F or M.
                    subject = {"F": "she", "M": "he"}.get(student.sex, "they")
                    try:
                        message = actions.send_message(
                            actor=author, student=student, body=body.format(subject=subject)
                        )
                    except Exception as error:  # noqa: BLE001
                        log(f"  message skipped for {student}: {error}")
                        break
                    sent = now - timedelta(days=days, hours=2)
                    Message.objects.filter(pk=message.pk).update(sent_at=sent)
                    MessageRead.objects.filter(message=message).update(read_at=sent)
                    messages += 1
                # the family has read everything but the last reply; the team has read it all
                for reader in (staff, parent):
                    actions.mark_thread_read(reader=reader, student=student)
                last = Message.objects.filter(student=student, from_family=False).last()
                if last is not None:
                    MessageRead.objects.filter(message=last, reader=parent).delete()
    log(
        f"  {contacts} contacts, {messages} portal messages ({time.perf_counter() - started:.1f} s)"
    )
