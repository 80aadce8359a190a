"""Meetings: who is invited, when and where, the notice, excusals, attendance and minutes.

Fields, constraints and single-record checks only; the workflow lives in `actions.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Language
from tandem.core.models import PublicId
from tandem.people.models import Guardian, Staff, Student


class MeetingKind(models.TextChoices):
    ELIGIBILITY = "eligibility", _("Eligibility")
    INITIAL_IEP = "initial_iep", _("Initial IEP")
    ANNUAL_REVIEW = "annual_review", _("Annual review")
    REEVALUATION = "reevaluation", _("Reevaluation")
    AMENDMENT = "amendment", _("Amendment")
    SECTION_504 = "section_504", _("504 plan")
    SECTION_504_REVIEW = "section_504_review", _("504 plan review")
    TRANSITION = "transition", _("Transition")
    MANIFESTATION = "manifestation", _("Manifestation determination")
    OTHER = "other", _("Other")


class MeetingStatus(models.TextChoices):
    # Times proposed, waiting for the family to agree to one.
    PROPOSED = "proposed", _("Times proposed")
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (MeetingStatus.PROPOSED, MeetingStatus.SCHEDULED)


class PlaceKind(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video link")


class MemberRole(models.TextChoices):
    PARENT = "parent", _("Parent or guardian")
    STUDENT = "student", _("Student")
    CASE_MANAGER = "case_manager", _("Case manager")
    SPECIAL_EDUCATION_TEACHER = "sped_teacher", _("Special education teacher")
    GENERAL_EDUCATION_TEACHER = "gened_teacher", _("General education teacher")
    DISTRICT_REPRESENTATIVE = "district_rep", _("District representative")
    EVALUATOR = "evaluator", _("Person who explains evaluation results")
    RELATED_SERVICE_PROVIDER = "provider", _("Related-service provider")
    COORDINATOR_504 = "coordinator_504", _("504 coordinator")
    AGENCY_REPRESENTATIVE = "agency_rep", _("Outside agency representative")
    INTERPRETER = "interpreter", _("Interpreter")
    OTHER = "other", _("Other")


# Members whose absence needs an excusal under 300.321(e): (a)(2)-(5).
EXCUSABLE_ROLES = frozenset(
    {
        MemberRole.SPECIAL_EDUCATION_TEACHER,
        MemberRole.GENERAL_EDUCATION_TEACHER,
        MemberRole.DISTRICT_REPRESENTATIVE,
        MemberRole.EVALUATOR,
        MemberRole.CASE_MANAGER,
        MemberRole.COORDINATOR_504,
    }
)


class Response(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Cannot come")
    PROPOSED_OTHER = "proposed_other", _("Asked for another time")


class Meeting(PublicId):
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("student")
    )
    kind = models.CharField(_("type of meeting"), max_length=20, choices=MeetingKind.choices)
    purpose = models.TextField(_("purpose"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PROPOSED
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place_kind = models.CharField(
        _("how people meet"), max_length=20, choices=PlaceKind.choices, default=PlaceKind.IN_PERSON
    )
    place_details = models.CharField(_("place, phone number or link"), max_length=500)
    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("plan"),
    )
    organizer = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organized_meetings",
        verbose_name=_("organizer"),
    )
    transition_content = models.BooleanField(_("transition planning is discussed"), default=False)
    # The state's minimum lead time for the notice, as the deadline engine computed it.
    notice_due_by = models.DateTimeField(_("notice due by"), null=True, blank=True)
    notice_sent_at = models.DateTimeField(_("notice sent at"), null=True, blank=True)
    # The parent's waiver of the notice lead time (where the state permits it).
    notice_waived_at = models.DateTimeField(_("notice lead time waived at"), null=True, blank=True)
    notice_waived_by = models.ForeignKey(
        Guardian,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("waived by"),
    )
    notice_waiver_note = models.TextField(_("how the parent waived the lead time"), blank=True)
    # At and after the meeting.
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    parent_input = models.TextField(_("parent input"), blank=True)
    absence_reason = models.TextField(
        _("reason for holding the meeting without an excused member"), blank=True
    )
    changed_plan_version = models.ForeignKey(
        "plans.PlanVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("plan version this meeting produced"),
    )
    changed_eligibility = models.ForeignKey(
        "referrals.EligibilityDecision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("eligibility decision this meeting made"),
    )
    minutes_shared_at = models.DateTimeField(_("minutes shared at"), null=True, blank=True)
    cancelled_reason = models.TextField(_("reason for cancelling"), blank=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)  # iCalendar SEQUENCE
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["student", "starts_at"], name="meeting_student_start"),
            models.Index(fields=["status", "starts_at"], name="meeting_status_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.student} · {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class MeetingTimeOption(models.Model):
    """A time offered to the invitees; the family may accept one, or propose another."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="time_options")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class MeetingInvitee(PublicId):
    """One person invited: a staff member, a guardian, the student, or someone from outside."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="meeting_invitations"
    )
    guardian = models.ForeignKey(
        Guardian,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_invitations",
    )
    is_student = models.BooleanField(_("the student"), default=False)
    # For people outside Tandem (an agency representative, an advocate the parent brings).
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)
    required = models.BooleanField(_("required member"), default=False)
    response = models.CharField(
        _("answer"), max_length=20, choices=Response.choices, default=Response.PENDING
    )
    accepted_option = models.ForeignKey(
        MeetingTimeOption, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # [{"starts_at": iso, "ends_at": iso}] the invitee asked for instead.
    proposed_times = models.JSONField(_("times asked for"), default=list, blank=True)
    response_note = models.TextField(_("note"), blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    # Attendance: None until the meeting is recorded.
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    attended_how = models.CharField(
        _("how they took part"), max_length=20, choices=PlaceKind.choices, blank=True
    )

    class Meta:
        ordering = ["-required", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(staff__isnull=False, guardian__isnull=True, is_student=False)
                    | Q(staff__isnull=True, guardian__isnull=False, is_student=False)
                    | Q(staff__isnull=True, guardian__isnull=True, is_student=True)
                    | Q(staff__isnull=True, guardian__isnull=True, is_student=False) & ~Q(name="")
                ),
                name="invitee_one_person",
            ),
            models.UniqueConstraint(
                fields=["meeting", "staff"],
                condition=Q(staff__isnull=False),
                name="invitee_staff_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "guardian"],
                condition=Q(guardian__isnull=False),
                name="invitee_guardian_once",
            ),
        ]
        indexes = [
            models.Index(fields=["staff"], name="invitee_staff"),
            models.Index(fields=["guardian"], name="invitee_guardian"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()})"

    @property
    def display_name(self) -> str:
        if self.staff_id:
            return str(self.staff.user)
        if self.guardian_id:
            return str(self.guardian)
        if self.is_student:
            return self.meeting.student.display_name
        return self.name

    @property
    def contact_email(self) -> str:
        if self.staff_id:
            return self.staff.user.email
        if self.guardian_id:
            return self.guardian.email
        return self.email


class ExcusalKind(models.TextChoices):
    # 300.321(e)(1): the member's area is not discussed; written agreement is enough.
    NOT_NEEDED = "not_needed", _("Attendance not needed (area not discussed)")
    # 300.321(e)(2): the area is discussed; consent plus the member's written input.
    EXCUSED = "excused", _("Excused (area discussed, written input given)")


class Excusal(models.Model):
    """A required member's excusal, agreed in writing before the meeting (300.321(e))."""

    invitee = models.OneToOneField(MeetingInvitee, on_delete=models.CASCADE, related_name="excusal")
    kind = models.CharField(_("kind"), max_length=20, choices=ExcusalKind.choices)
    parent_agreed_on = models.DateTimeField(_("parent agreed in writing on"))
    parent = models.ForeignKey(
        Guardian, on_delete=models.PROTECT, related_name="+", verbose_name=_("parent")
    )
    district_agreed_on = models.DateTimeField(_("district agreed in writing on"))
    district_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agreed for the district by"),
    )
    member_input = models.TextField(_("the member's written input"), blank=True)
    member_input_on = models.DateTimeField(_("written input given on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("excusal")

    def __str__(self) -> str:
        return f"{self.invitee} excused"


class NextStep(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="next_steps")
    text = models.CharField(_("next step"), max_length=500)
    owner = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_next_steps",
        verbose_name=_("owner"),
    )
    owner_name = models.CharField(_("owner (if not staff)"), max_length=200, blank=True)
    due_on = models.DateField(_("due date"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text


class MeetingNotice(PublicId):
    """The notice as sent to one guardian, in their language (the text is kept as sent)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notices")
    guardian = models.ForeignKey(Guardian, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    content_hash = models.CharField(max_length=64)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "id"]

    def __str__(self) -> str:
        return f"Notice {self.meeting_id} to {self.guardian_id}"


class MailKind(models.TextChoices):
    NOTICE = "notice", _("Meeting notice")
    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Reminder")
    MINUTES = "minutes", _("Minutes")
    UPDATE = "update", _("Update")


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to send")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Gave up")


class MeetingMail(models.Model):
    """An email about a meeting, kept until the mail server takes it (the outbox)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="mails")
    invitee = models.ForeignKey(
        MeetingInvitee, on_delete=models.CASCADE, null=True, blank=True, related_name="mails"
    )
    notice = models.ForeignKey(
        MeetingNotice, on_delete=models.CASCADE, null=True, blank=True, related_name="mails"
    )
    kind = models.CharField(max_length=20, choices=MailKind.choices)
    to = models.EmailField()
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)
    status = models.CharField(
        max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to} ({self.status})"
