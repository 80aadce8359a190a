"""Prior written notice (34 CFR 300.503): an action proposed or refused, with every element."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.accounts.models import Language
from tandem.people.models import Student
from tandem.referrals.models.referral import Referral


class NoticeAction(models.TextChoices):
    PROPOSES = "proposes", _("Proposes")
    REFUSES = "refuses", _("Refuses")


def _notice_element(name: Any, number: int) -> models.TextField:  # type: ignore[type-arg]
    message = _("Prior written notice must state %(element)s (34 CFR 300.503(b)(%(number)s)).")
    blank = lazy(lambda: str(message) % {"element": name, "number": number}, str)()
    return models.TextField(name, error_messages={"blank": blank})


class PriorWrittenNotice(models.Model):
    """Notice to the parent of an action proposed or refused, with the 300.503(b) elements."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="notices", verbose_name=_("student")
    )
    referral = models.ForeignKey(
        Referral,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("referral"),
    )
    action = models.CharField(_("action"), max_length=10, choices=NoticeAction.choices)
    # 34 CFR 300.503(b)(1)-(7): every element is required.
    action_described = _notice_element(_("the action proposed or refused"), 1)
    reasons = _notice_element(_("why the action is proposed or refused"), 2)
    evaluation_basis = _notice_element(
        _("each evaluation procedure, assessment, record or report used"), 3
    )
    procedural_safeguards_statement = _notice_element(
        _("procedural safeguards and how to get a copy"), 4
    )
    sources_of_help = _notice_element(_("sources of help"), 5)
    options_considered = _notice_element(_("other options considered and why rejected"), 6)
    other_factors = _notice_element(_("other relevant factors"), 7)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    issued_on = models.DateField(_("issued on"))
    # 300.503(a): the notice goes out a reasonable time before the district acts; the day it
    # would act is what the notice's deadline counts back from (blank for a refusal).
    proposed_action_on = models.DateField(
        _("the proposed action takes effect on"), null=True, blank=True
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prior written notice")
        verbose_name_plural = _("prior written notices")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.action_described[:60]}"

    def clean(self) -> None:
        # Empty elements are refused by the fields; whitespace is empty too.
        errors = {
            name: self._meta.get_field(name).error_messages["blank"]
            for name in NOTICE_ELEMENTS
            if getattr(self, name) and not getattr(self, name).strip()
        }
        if errors:
            raise ValidationError(errors)


NOTICE_ELEMENTS = (
    "action_described",
    "reasons",
    "evaluation_basis",
    "procedural_safeguards_statement",
    "sources_of_help",
    "options_considered",
    "other_factors",
)
