"""Records rights: disclosures outside the school officials (FERPA 34 CFR 99.32) and a family's
requests to inspect (IDEA 300.613) or amend (300.618) the records.

A disclosure is kept as written (`AppendOnly`): the record of disclosures is kept with the
education records for as long as they are (99.32(a)(2)), and a correction is a new row saying
so, never an edit. A request is answered once; its due date is also stored as a deadline by the
compliance app (inspection) so the district's deadline views show it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core import clock
from tandem.core.models import AppendOnly, PublicId, StudentOwned

TEXT_LIMIT = 2000


class DisclosureKind(models.TextChoices):
    RECORDS_REQUEST = "records_request", _("A request for records from a party")
    TRANSFER = "transfer", _("Records sent to another school or district")
    SUBPOENA = "subpoena", _("A subpoena or court order")
    EMERGENCY = "emergency", _("A health or safety emergency")


class LegalBasis(models.TextChoices):
    """Why the disclosure needed no consent (99.31(a)), or that the parent consented (99.30)."""

    CONSENT = "99.30", _("The parent's written consent (34 CFR 99.30)")
    TRANSFER = (
        "99.31(a)(2)",
        _(
            "Officials of a school where the student seeks or intends to enroll (99.31(a)(2), 99.34)"
        ),
    )
    AUTHORITIES = (
        "99.31(a)(3)",
        _(
            "Federal or state education authorities, for an audit or evaluation (99.31(a)(3), 99.35)"
        ),
    )
    JUVENILE_JUSTICE = (
        "99.31(a)(5)",
        _("State or local juvenile justice officials under state law (99.31(a)(5), 99.38)"),
    )
    STUDIES = "99.31(a)(6)", _("An organization conducting studies for the district (99.31(a)(6))")
    COURT = "99.31(a)(9)", _("A court order or lawfully issued subpoena (99.31(a)(9))")
    EMERGENCY = "99.31(a)(10)", _("A health or safety emergency (99.31(a)(10), 99.36)")


# Which bases fit which kind of disclosure: a subpoena is never "consent", a transfer is the
# enrolling school's. Consent fits any kind (99.30).
BASES_FOR: dict[str, set[str]] = {
    DisclosureKind.RECORDS_REQUEST: {
        LegalBasis.CONSENT,
        LegalBasis.AUTHORITIES,
        LegalBasis.JUVENILE_JUSTICE,
        LegalBasis.STUDIES,
    },
    DisclosureKind.TRANSFER: {LegalBasis.CONSENT, LegalBasis.TRANSFER},
    DisclosureKind.SUBPOENA: {LegalBasis.COURT},
    DisclosureKind.EMERGENCY: {LegalBasis.CONSENT, LegalBasis.EMERGENCY},
}


class Disclosure(PublicId, StudentOwned, AppendOnly):
    """Part of a student's record given to a party outside the school officials (99.32(a))."""

    kind = models.CharField(_("what happened"), max_length=20, choices=DisclosureKind.choices)
    party = models.CharField(_("who received the records"), max_length=200)
    basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    interest = models.TextField(_("their legitimate interest"), max_length=TEXT_LIMIT)
    records = models.TextField(_("which records"), max_length=TEXT_LIMIT)
    disclosed_on = models.DateField(_("date released"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("released by"),
    )
    recorded_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["-disclosed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.party} ({self.disclosed_on})"


class RequestKind(models.TextChoices):
    INSPECT = "inspect", _("To see the records")
    AMEND = "amend", _("To amend the records")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class RecordsRequest(PublicId, StudentOwned):
    """A parent's request to inspect (300.613) or amend (300.618) the student's records."""

    kind = models.CharField(_("the request"), max_length=10, choices=RequestKind.choices)
    details = models.TextField(_("which records, and for an amendment what is wrong"))
    requested_by = models.CharField(_("asked by"), max_length=200)
    requested_on = models.DateField(_("date of the request"))
    from_portal = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("answer due by"))
    due_reason = models.TextField(blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    answered_on = models.DateField(_("date of the answer"), null=True, blank=True)
    answer = models.TextField(_("the answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="recordsrequest_open_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.requested_on})"

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN


class HoldKind(models.TextChoices):
    """Why records must not be destroyed yet, whatever the retention schedule says."""

    LITIGATION = "litigation", _("Litigation or a legal hold")
    DISPUTE = "dispute", _("A due process or state complaint")
    AUDIT = "audit", _("An audit (for example of federal funds or Medicaid billing)")
    OTHER = "other", _("Another reason")


class RecordsHold(PublicId, StudentOwned):
    """A leader's hold on destroying a student's records, with the reason, until released."""

    kind = models.CharField(_("kind of hold"), max_length=20, choices=HoldKind.choices)
    reason = models.TextField(_("reason"), max_length=TEXT_LIMIT)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_on = models.DateField(_("placed on"))
    released_on = models.DateField(_("released on"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-placed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.placed_on})"

    @property
    def is_active(self) -> bool:
        return self.released_on is None


class ProposalStatus(models.TextChoices):
    NOTICE_SENT = "notice_sent", _("Notice sent to the parents")
    DESTROYED = "destroyed", _("Destroyed")


class ParentAnswer(models.TextChoices):
    NONE = "", _("No answer")
    COPY = "copy", _("Send me a copy first")
    DESTROY = "destroy", _("Destroy them now")


class DestructionProposal(PublicId, StudentOwned):
    """Records a leader proposes to destroy, the 300.624(a) notice to the parents, their
    answer and the destruction. It keeps no content: the types, dates and counts only."""

    record_types = models.JSONField(_("records"), default=list)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notice_sent_on = models.DateField(_("notice sent on"))
    copy_by = models.DateField(_("the parents may ask for a copy until"))
    # Who was told, in which language: [{"guardian": public id, "language": "es"}].
    sent_to = models.JSONField(default=list)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.NOTICE_SENT,
    )
    parent_answer = models.CharField(
        _("the parents' answer"),
        max_length=10,
        choices=ParentAnswer.choices,
        default=ParentAnswer.NONE,
        blank=True,
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    destroyed_on = models.DateField(_("destroyed on"), null=True, blank=True)
    destroyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-notice_sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student"],
                condition=models.Q(status="notice_sent"),
                name="destruction_one_open_per_student",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.notice_sent_on})"

    @property
    def is_open(self) -> bool:
        return self.status == ProposalStatus.NOTICE_SENT
