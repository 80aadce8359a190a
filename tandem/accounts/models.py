"""Accounts, API tokens and the append-only audit log."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")


class EmailUserManager(UserManager["User"]):
    """Users sign in with their email address; the username mirrors it."""

    def create_user(self, username=None, email=None, password=None, **extra):  # type: ignore[no-untyped-def]
        email = self.normalize_email(email or username)
        return super().create_user(username=email, email=email, password=password, **extra)

    def create_superuser(self, username=None, email=None, password=None, **extra):  # type: ignore[no-untyped-def]
        email = self.normalize_email(email or username)
        return super().create_superuser(username=email, email=email, password=password, **extra)


class User(AbstractUser):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = EmailUserManager()

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.username = self.email
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 digest is stored.

    Never deleted: a revoked token keeps its row, dated, so its owner can see what it was.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Tokens issued before scopes existed could write: they keep doing so.
    scope = models.CharField(max_length=8, choices=TokenScope.choices, default=TokenScope.WRITE)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def read_only(self) -> bool:
        return self.scope == TokenScope.READ


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError("the audit log is append-only")

    def delete(self):  # type: ignore[no-untyped-def]
        raise PermissionError("the audit log is append-only")

    def bulk_create(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError("audit events are written only by tandem.audit.record (the chain)")


class Channel(models.TextChoices):
    WEB = "web", _("Web page")
    API = "api", _("API")
    COMMAND = "command", _("Command line")
    TASK = "task", _("Background task")


class AuditEvent(models.Model):
    """One read or write of student data: who, what, when, from where, why (300.614, 99.32).

    Append-only: the model refuses updates and deletes, and database triggers refuse them too.
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Kept as text too, so the log reads the same if an account is renamed.
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    district = models.ForeignKey(
        "people.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    student = models.ForeignKey(
        "people.Student", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.WEB)
    ip = models.GenericIPAddressField(null=True, blank=True)
    purpose = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    # The hash chain (tandem/audit/chain.py): `hash` is SHA-256 of `prev_hash` and this event's
    # fields, and `prev_hash` is the hash of the event before it, so a row changed, removed or
    # slipped in afterwards breaks the chain that `manage.py verify_audit` walks. Written by the
    # database in the insert itself, never by Python.
    prev_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    hash = models.CharField(max_length=64, blank=True, default="", editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["student", "-at"], name="audit_student_at"),
            models.Index(fields=["district", "-at"], name="audit_district_at"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise PermissionError("the audit log is append-only")
        raise PermissionError("audit events are written only by tandem.audit.record (the chain)")

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError("the audit log is append-only")


class ListingQuerySet(models.QuerySet["AuditListing"]):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError("the audit log is append-only")

    def delete(self):  # type: ignore[no-untyped-def]
        raise PermissionError("the audit log is append-only")


class AuditListing(models.Model):
    """One student shown by an event that showed many (a list, an export, an API page).

    The event keeps the count and a digest of the students (`detail["students_listed"]`), inside the hash
    chain; these rows are its index, so that "who opened this record" finds the event by the
    student. Append-only like the log; `manage.py verify_audit` checks them against the digest.
    Written only by tandem.audit.record.
    """

    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+")

    objects = ListingQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["student", "event"], name="audit_listing_student")]
        constraints = [
            models.UniqueConstraint(fields=["event", "student"], name="audit_listing_once")
        ]

    def __str__(self) -> str:
        return f"event {self.event_id} listed student {self.student_id}"
