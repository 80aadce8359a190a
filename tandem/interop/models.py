"""What an import knows about the outside world: the SIS's ids, and the imports themselves."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import PublicId
from tandem.people.models import District
from tandem.plans.models import Plan


class Kind(models.TextChoices):
    SCHOOL = "school", _("School")
    MARKING_PERIOD = "marking_period", _("Marking period")
    STUDENT = "student", _("Student")
    STAFF = "staff", _("Staff")
    STAFF_ROLE = "staff_role", _("Staff role")
    GUARDIAN = "guardian", _("Guardian")
    SECTION = "section", _("Class section")
    CLASS_ENROLLMENT = "class_enrollment", _("Class enrolment")
    PROGRAM = "program", _("Program (imported plan)")


class ExternalId(models.Model):
    """One record of a district's SIS (its sourcedId) and the Tandem row it became.

    `object_id` is the primary key of the row in the model `kind` names (School, Student, ...).
    Rows are never deleted: an ended enrolment keeps its id, so a later file can find it again.
    """

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=20, default="oneroster")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sis_id = models.CharField(max_length=255)
    object_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "source", "kind", "sis_id"], name="external_id_unique"
            )
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="external_id_object")]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.sis_id}"


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Being checked")
    CHECKED = "checked", _("Checked (dry run)")
    APPLYING = "applying", _("Being applied")
    APPLIED = "applied", _("Applied")
    FAILED = "failed", _("Failed: nothing was changed")


RUNNING = (ImportStatus.CHECKING, ImportStatus.APPLYING)


class Standard(models.TextChoices):
    ONEROSTER = "oneroster", _("OneRoster roster")
    EDFI = "edfi", _("Ed-Fi special-education and 504 records")


class RosterImport(PublicId):
    """A file uploaded by a district administrator (a OneRoster roster, or Ed-Fi records): its
    dry run, then its application."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    file_name = models.CharField(max_length=200)
    standard = models.CharField(max_length=10, choices=Standard.choices, default=Standard.ONEROSTER)
    archive = models.BinaryField()
    status = models.CharField(max_length=10, choices=ImportStatus.choices)
    counts = models.JSONField(default=dict)
    problems = models.JSONField(default=list)
    message = models.TextField(blank=True)
    progress = models.CharField(max_length=200, blank=True)  # "users: 40,000 rows read"
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.district})"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING


class ImportedProgram(models.Model):
    """What a district's legacy record (an Ed-Fi special-education or Section 504 program
    association) said about the plan it became, kept as read: the plan holds what Tandem's
    engine needs (dates, status, exit), this row what it does not (descriptors, hours, services'
    providers) and the codes no Tandem vocabulary had.

    `key` is the association's identity in Ed-Fi (student unique id, program, begin date), so a
    second run finds the same plan instead of adding one.
    """

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=20, default="edfi")
    key = models.CharField(max_length=255)
    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="imported_record")
    disabilities = models.JSONField(default=list)  # [{"descriptor", "category", "order"}]
    environment = models.CharField(max_length=12, blank=True)  # IDEA 618 code (FS002/FS089)
    setting = models.CharField(max_length=200, blank=True)  # the descriptor as read
    last_evaluation_date = models.DateField(null=True, blank=True)
    exit_reason_read = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict)  # everything else read: hours, 504 designation, ...
    imported_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "source", "key"], name="imported_program_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.key}"
