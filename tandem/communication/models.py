"""Notifications, the communication log, portal messages and deliveries to families."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import PublicId
from tandem.people.models import Guardian, Student


class NotificationKind(models.TextChoices):
    """Kinds a user may mute for email; `notify` accepts any other string too (stored as given)."""

    MESSAGE = "message", _("Portal messages")
    REVISION = "revision", _("Revision requests")
    MEETING = "meeting", _("Meetings and notices")
    DOCUMENT = "document", _("Documents sent to families")
    PROGRESS = "progress", _("Progress alerts")
    REPORT = "report", _("Progress reports")
    DEADLINE = "deadline", _("Deadlines")
    OTHER = "other", _("Other notifications")


def kind_group(kind: str) -> str:
    """The preference group of a free-form kind ("revision.acknowledged" -> "revision")."""
    head = (kind or "").split(".", 1)[0].split("_", 1)[0]
    return head if head in NotificationKind.values else NotificationKind.OTHER


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Right away, one email per notification")
    DIGEST = "digest", _("Once a day, in a single digest email")


class Notification(PublicId):
    """One in-app notification; its email goes out from a background task after commit."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=60, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    student = models.ForeignKey(
        Student,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("student"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Email: "" = no email wanted, "immediate" or "digest" = waiting, set when sent.
    email_mode = models.CharField(max_length=10, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    email_failed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["email_mode", "emailed_at"], name="notification_email_due"),
        ]

    def __str__(self) -> str:
        return self.subject


class NotificationPreference(models.Model):
    """A user's email choices: on or off, which kinds, right away or a daily digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_enabled = models.BooleanField(_("send me email"), default=True)
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    muted_kinds = models.JSONField(_("kinds without email"), default=list, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user} ({self.frequency})"

    def wants_email(self, kind: str) -> bool:
        return self.email_enabled and kind_group(kind) not in (self.muted_kinds or [])


class EmailAttempt(models.Model):
    """One try at sending a notification (or a digest) by email: the delivery log."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attempts",
    )
    digest_size = models.PositiveIntegerField(default=0)
    attempt = models.PositiveSmallIntegerField(default=1)
    at = models.DateTimeField(auto_now_add=True)
    succeeded = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    next_try_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.recipient_id} #{self.attempt} {'ok' if self.succeeded else 'failed'}"


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    IN_PERSON = "in_person", _("In person")
    PORTAL = "portal", _("Portal message")
    LETTER = "letter", _("Letter")


class ContactEntry(PublicId):
    """One contact with the family, in the student's communication log."""

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("student")
    )
    contacted_on = models.DateField(_("date"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who made the contact"),
    )
    family_member = models.CharField(_("family member"), max_length=200, blank=True)
    method = models.CharField(_("method"), max_length=20, choices=ContactMethod.choices)
    language = models.CharField(_("language used"), max_length=40, default="English")
    interpreter = models.CharField(
        _("interpreter"),
        max_length=200,
        blank=True,
        help_text=_("Name of the interpreter, if one was used."),
    )
    summary = models.TextField(_("summary"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    follow_up_on = models.DateField(_("follow-up by"), null=True, blank=True)
    follow_up_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("follow-up owner"),
    )
    # A follow-up is a task on its owner's home page until marked done (by them, or a leader).
    follow_up_done_at = models.DateTimeField(_("follow-up done on"), null=True, blank=True)
    follow_up_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("follow-up done by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["student", "contacted_on"], name="contact_student_date")]

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.get_method_display()}"


class Message(PublicId):
    """A portal message in a student's thread, between rights-holding guardians and the team."""

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="messages", verbose_name=_("student")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("from"),
    )
    from_family = models.BooleanField(default=False)
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class MessageRead(models.Model):
    """A read receipt: who read which message, when."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reads")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "reader"], name="message_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.reader_id} read {self.message_id}"


class DeliveryKind(models.TextChoices):
    NOTICE = "notice", _("Notice")
    PLAN = "plan", _("Plan")
    REPORT = "report", _("Progress report")
    MESSAGE = "message", _("Message")
    MINUTES = "minutes", _("Meeting minutes")
    CONSENT = "consent", _("Consent form")
    OTHER = "other", _("Document")


class Delivery(PublicId):
    """Something sent to a parent, with the date delivered and the date first opened."""

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("student")
    )
    guardian = models.ForeignKey(
        Guardian,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("sent to"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("link"), max_length=500, blank=True, db_index=True)
    document_hash = models.CharField(_("document hash"), max_length=128, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    delivered_at = models.DateTimeField(_("delivered"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-delivered_at", "-id"]
        indexes = [
            models.Index(fields=["guardian", "delivered_at"], name="delivery_guardian"),
            models.Index(fields=["student", "delivered_at"], name="delivery_student"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        try:
            return str(DeliveryKind(self.kind).label)
        except ValueError:
            return self.kind.replace("_", " ").capitalize()
