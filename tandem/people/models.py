"""Districts (the tenant), schools, calendars, students, guardians, staff and their relationships.

Relationships (caseloads, team membership, class rosters, provider assignments, guardianship)
are what give a legitimate educational interest; `tandem.access.policy` reads them.
"""

from __future__ import annotations

import zoneinfo
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.accounts.models import Language
from tandem.core.models import PublicId

US_STATES = [
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"),
    ("CA", "California"), ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"),
    ("DC", "District of Columbia"), ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"),
    ("ID", "Idaho"), ("IL", "Illinois"), ("IN", "Indiana"), ("IA", "Iowa"), ("KS", "Kansas"),
    ("KY", "Kentucky"), ("LA", "Louisiana"), ("ME", "Maine"), ("MD", "Maryland"),
    ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"), ("MS", "Mississippi"),
    ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"),
    ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"), ("NY", "New York"),
    ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"), ("OK", "Oklahoma"),
    ("OR", "Oregon"), ("PA", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"),
    ("SD", "South Dakota"), ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"),
    ("VT", "Vermont"), ("VA", "Virginia"), ("WA", "Washington"), ("WV", "West Virginia"),
    ("WI", "Wisconsin"), ("WY", "Wyoming"),
]  # fmt: skip


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class District(PublicId):
    """A school district: the tenant. Nobody sees across districts without a relationship."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True)
    state = models.CharField(_("state"), max_length=2, choices=US_STATES)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="America/Los_Angeles",
        validators=[validate_time_zone],
    )
    nces_id = models.CharField(_("NCES district id"), max_length=12, blank=True)
    settings = models.JSONField(_("settings"), default=dict, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(PublicId):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("school code"), max_length=20)
    lowest_grade = models.CharField(_("lowest grade"), max_length=2)
    highest_grade = models.CharField(_("highest grade"), max_length=2)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="school_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class SchoolCalendar(models.Model):
    """One school year's instructional calendar for a district, or for one school in it."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="calendars")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="calendars"
    )
    school_year = models.CharField(_("school year"), max_length=9, help_text="2026-2027")
    first_day = models.DateField(_("first day of school"))
    last_day = models.DateField(_("last day of school"))
    next_first_day = models.DateField(_("first day of next school year"), null=True, blank=True)

    class Meta:
        ordering = ["-first_day"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "school", "school_year"], name="calendar_unique_year"
            ),
            models.CheckConstraint(
                condition=Q(last_day__gt=models.F("first_day")), name="calendar_last_after_first"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.school_year}"

    def clean(self) -> None:
        if self.first_day and self.last_day and self.last_day <= self.first_day:
            raise ValidationError({"last_day": _("The last day must be after the first day.")})
        if self.next_first_day and self.last_day and self.next_first_day <= self.last_day:
            raise ValidationError(
                {"next_first_day": _("The next school year must start after this one ends.")}
            )


class ClosureKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday")
    BREAK = "break", _("Break")
    NON_INSTRUCTIONAL = "non_instructional", _("Non-instructional day")


class CalendarClosure(models.Model):
    """Days without instruction: a holiday, a break, a staff development day."""

    calendar = models.ForeignKey(SchoolCalendar, on_delete=models.CASCADE, related_name="closures")
    kind = models.CharField(_("kind"), max_length=20, choices=ClosureKind.choices)
    name = models.CharField(_("name"), max_length=100)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="closure_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start} – {self.end})"


class MarkingPeriod(models.Model):
    calendar = models.ForeignKey(
        SchoolCalendar, on_delete=models.CASCADE, related_name="marking_periods"
    )
    name = models.CharField(_("name"), max_length=50)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    report_card_date = models.DateField(_("report card date"))

    class Meta:
        ordering = ["start"]

    def __str__(self) -> str:
        return self.name


class Grade(models.TextChoices):
    PRE_K = "PK", _("Pre-kindergarten")
    K = "K", _("Kindergarten")
    G1 = "1", _("Grade 1")
    G2 = "2", _("Grade 2")
    G3 = "3", _("Grade 3")
    G4 = "4", _("Grade 4")
    G5 = "5", _("Grade 5")
    G6 = "6", _("Grade 6")
    G7 = "7", _("Grade 7")
    G8 = "8", _("Grade 8")
    G9 = "9", _("Grade 9")
    G10 = "10", _("Grade 10")
    G11 = "11", _("Grade 11")
    G12 = "12", _("Grade 12")
    POST = "PS", _("Post-secondary (18–21)")


class Sex(models.TextChoices):
    # EDFacts reporting values.
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    NONBINARY = "X", _("Nonbinary")


class Student(PublicId):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="students")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="students")
    sis_id = models.CharField(_("SIS id"), max_length=40)
    state_id = models.CharField(_("state id"), max_length=40, blank=True)
    legal_first_name = models.CharField(_("legal first name"), max_length=100)
    legal_middle_name = models.CharField(_("legal middle name"), max_length=100, blank=True)
    legal_last_name = models.CharField(_("legal last name"), max_length=100)
    preferred_first_name = models.CharField(_("preferred first name"), max_length=100, blank=True)
    preferred_last_name = models.CharField(_("preferred last name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    grade = models.CharField(_("grade"), max_length=2, choices=Grade.choices)
    enrollment_date = models.DateField(_("enrollment date"))
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    home_language = models.CharField(_("home language"), max_length=40, default="English")
    english_learner = models.BooleanField(_("English learner"), default=False)
    # Race and ethnicity as federal reporting (EDFacts) collects them: ethnicity first,
    # then one or more races.
    hispanic_latino = models.BooleanField(_("Hispanic or Latino"), default=False)
    race_american_indian = models.BooleanField(_("American Indian or Alaska Native"), default=False)
    race_asian = models.BooleanField(_("Asian"), default=False)
    race_black = models.BooleanField(_("Black or African American"), default=False)
    race_pacific_islander = models.BooleanField(
        _("Native Hawaiian or Other Pacific Islander"), default=False
    )
    race_white = models.BooleanField(_("White"), default=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    # Denormalised for search: "legal first, preferred first, legal last, preferred last, ids".
    search_text = models.CharField(max_length=500, editable=False, db_index=True, default="")

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["legal_last_name", "legal_first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["district", "sis_id"], name="student_sis_id_unique"),
        ]
        indexes = [
            models.Index(
                fields=["district", "legal_last_name", "legal_first_name"], name="student_name"
            ),
            models.Index(fields=["school", "grade"], name="student_school_grade"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.search_text = self.compute_search_text()
        super().save(*args, **kwargs)

    @property
    def first_name(self) -> str:
        return self.preferred_first_name or self.legal_first_name

    @property
    def last_name(self) -> str:
        return self.preferred_last_name or self.legal_last_name

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def legal_name(self) -> str:
        return " ".join(
            part
            for part in (self.legal_first_name, self.legal_middle_name, self.legal_last_name)
            if part
        )

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def federal_race_ethnicity(self) -> str:
        """The EDFacts race/ethnicity category: Hispanic first, then one race or two or more."""
        if self.hispanic_latino:
            return "HI7"
        races = [
            code
            for code, flag in (
                ("AM7", self.race_american_indian),
                ("AS7", self.race_asian),
                ("BL7", self.race_black),
                ("PI7", self.race_pacific_islander),
                ("WH7", self.race_white),
            )
            if flag
        ]
        if len(races) > 1:
            return "MU7"
        return races[0] if races else ""

    def compute_search_text(self) -> str:
        parts = [
            self.legal_first_name,
            self.preferred_first_name,
            self.legal_last_name,
            self.preferred_last_name,
            self.sis_id,
            self.state_id,
        ]
        return " ".join(p for p in parts if p).lower()

    def clean(self) -> None:
        errors = {}
        if self.exit_date and self.enrollment_date and self.exit_date < self.enrollment_date:
            errors["exit_date"] = _("The exit date cannot be before the enrollment date.")
        if (
            self.date_of_birth
            and self.enrollment_date
            and self.date_of_birth >= self.enrollment_date
        ):
            errors["date_of_birth"] = _("The date of birth must be before enrollment.")
        if self.school_id and self.district_id and self.school.district_id != self.district_id:
            errors["school"] = _("The school must belong to the student's district.")
        if errors:
            raise ValidationError(errors)


class Enrollment(models.Model):
    """A stay at one school; the student's current school is the open one."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="enrollments")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="enrollments")
    grade = models.CharField(_("grade"), max_length=2, choices=Grade.choices)
    entry_date = models.DateField(_("entry date"))
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    exit_reason = models.CharField(_("exit reason"), max_length=100, blank=True)

    class Meta:
        ordering = ["-entry_date"]

    def __str__(self) -> str:
        return f"{self.student} at {self.school} from {self.entry_date}"


class Relationship(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    PARENT = "parent", _("Parent")
    STEPPARENT = "stepparent", _("Stepparent")
    GRANDPARENT = "grandparent", _("Grandparent")
    LEGAL_GUARDIAN = "legal_guardian", _("Legal guardian")
    FOSTER_PARENT = "foster_parent", _("Foster parent")
    SURROGATE_PARENT = "surrogate_parent", _("Surrogate parent")
    OTHER = "other", _("Other")
    # The student at the age of majority, holding their own rights (300.520): a rights holder
    # like a parent, so every notice, signature and portal page reaches them the same way.
    SELF = "self", _("The student (adult)")


class Guardian(PublicId):
    """A parent or guardian (300.30), with or without a portal account."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="guardians")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guardian",
        verbose_name=_("portal account"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class StudentGuardian(models.Model):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardian_links")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="student_links")
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    educational_rights_holder = models.BooleanField(_("holds educational rights"), default=True)
    lives_with_student = models.BooleanField(_("lives with the student"), default=True)
    primary_contact = models.BooleanField(_("primary contact"), default=False)
    # Set on a parent's link when the rights passed to the student at the age of majority: the
    # parent still receives every notice the student does (300.520(a)(1)(i)).
    rights_transferred_on = models.DateField(
        _("rights passed to the student on"), null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "guardian"], name="student_guardian_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} ({self.get_relationship_display()}) of {self.student}"


class Staff(PublicId):
    """A person who works with students: district employee or contractor."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff"
    )
    title = models.CharField(_("title"), max_length=100, blank=True)
    employer = models.CharField(
        _("employer"), max_length=200, blank=True, help_text=_("For contractors: the agency.")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name_plural = "staff"
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return str(self.user)


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("District administrator")
    SCHOOL_ADMIN = "school_admin", _("School administrator")
    CASE_MANAGER = "case_manager", _("Case manager")
    TEACHER = "teacher", _("General education teacher")
    PROVIDER = "provider", _("Related-service provider")
    EVALUATOR = "evaluator", _("Evaluator / school psychologist")
    COORDINATOR_504 = "coordinator_504", _("504 coordinator")


class ActiveQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Rows in force on a day: started on or before it, not ended before it."""

    def active_on(self, day: date):  # type: ignore[no-untyped-def]
        return self.filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day))


class StaffRole(models.Model):
    """A role held in a district, or in one school of it. Roles alone do not open records."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="roles")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="staff_roles")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="staff_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["staff", "role"], name="staffrole_staff_role")]

    def __str__(self) -> str:
        where = self.school or self.district
        return f"{self.staff}: {self.get_role_display()} at {where}"


class ClassSection(PublicId):
    """A class a teacher teaches in a school year (from the SIS roster)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="sections")
    teacher = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="sections")
    name = models.CharField(_("name"), max_length=100)
    subject = models.CharField(_("subject"), max_length=100, blank=True)
    period = models.CharField(_("period"), max_length=20, blank=True)
    school_year = models.CharField(_("school year"), max_length=9)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["period", "name"]

    def __str__(self) -> str:
        return self.name


class ClassEnrollment(models.Model):
    section = models.ForeignKey(ClassSection, on_delete=models.CASCADE, related_name="enrollments")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="class_enrollments")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["section", "student", "start_date"], name="class_enrollment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.section}"


class CaseloadAssignment(models.Model):
    """A case manager responsible for a student."""

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="caseload")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="case_managers")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["staff", "end_date"], name="caseload_staff")]

    def __str__(self) -> str:
        return f"{self.student} on {self.staff}'s caseload"


class TeamRole(models.TextChoices):
    CASE_MANAGER = "case_manager", _("Case manager")
    SPECIAL_EDUCATION_TEACHER = "sped_teacher", _("Special education teacher")
    GENERAL_EDUCATION_TEACHER = "gened_teacher", _("General education teacher")
    SPEECH_LANGUAGE = "slp", _("Speech-language pathologist")
    OCCUPATIONAL_THERAPIST = "ot", _("Occupational therapist")
    PHYSICAL_THERAPIST = "pt", _("Physical therapist")
    PSYCHOLOGIST = "psychologist", _("School psychologist")
    COUNSELOR = "counselor", _("Counselor")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    NURSE = "nurse", _("School nurse")
    ADMINISTRATOR = "administrator", _("Administrator (LEA representative)")
    COORDINATOR_504 = "coordinator_504", _("504 coordinator")
    OTHER = "other", _("Other")


# Team roles that implement or write the plan, and so may change the record.
WRITING_TEAM_ROLES = frozenset(
    {
        TeamRole.CASE_MANAGER,
        TeamRole.SPECIAL_EDUCATION_TEACHER,
        TeamRole.SPEECH_LANGUAGE,
        TeamRole.OCCUPATIONAL_THERAPIST,
        TeamRole.PHYSICAL_THERAPIST,
        TeamRole.PSYCHOLOGIST,
        TeamRole.COUNSELOR,
        TeamRole.SOCIAL_WORKER,
        TeamRole.NURSE,
        TeamRole.ADMINISTRATOR,
        TeamRole.COORDINATOR_504,
    }
)


class TeamMembership(models.Model):
    """Any staff member on a student's team, with a role and dates."""

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="team_memberships")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="team")
    role = models.CharField(_("team role"), max_length=20, choices=TeamRole.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["staff", "end_date"], name="team_staff")]

    def __str__(self) -> str:
        return f"{self.staff} ({self.get_role_display()}) for {self.student}"


class ProviderAssignment(models.Model):
    """A provider (often a contractor serving several districts) assigned one student."""

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="provider_assignments")
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="provider_assignments"
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    service_area = models.CharField(_("service area"), max_length=60)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["staff", "end_date"], name="provider_staff")]

    def __str__(self) -> str:
        return f"{self.staff} serves {self.student} ({self.service_area})"

    def clean(self) -> None:
        if self.student_id and self.district_id and self.student.district_id != self.district_id:
            raise ValidationError({"district": _("The student is not in this district.")})
