# mypy: disable-error-code="attr-defined,no-any-return"
# (the model stubs do not see the `<fk>_id` attributes here)
"""A record of every kind for four students of the shared world, for the generated route matrix.

`tests/access/test_route_matrix.py` fills each route's path parameters from here. Each of
Maya (the personas' own student), Leo (same school, another family), Ana (another school of
the district) and Tess (another district) gets one object of every kind a route can name: a
guardian, a referral with its notice, consent, evidence and assessment, a deadline, an active
IEP with its version, a section, a service, an accommodation, a goal and a data point, a draft
with its own items, a progress report, a meeting, a revision request, a family signature and
a session log. Rows are written directly (not through the actions): the matrix is about who
may reach them, not how they were made, and the builder stays fast.

Two more personas join the world's: a speech-language pathologist on Maya's team who serves
her (`slp`), and North's 504 coordinator on Leo's team (`coordinator`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from tandem.accounts.models import ApiToken
from tandem.communication.models import ContactEntry
from tandem.compliance.models import Deadline, DeadlineKind
from tandem.goals.models import GoalTemplate
from tandem.interop.models import ImportStatus, RosterImport
from tandem.meetings.models import Meeting, MeetingKind
from tandem.people.models import (
    ClassEnrollment,
    ClassSection,
    Guardian,
    ProviderAssignment,
    Relationship,
    Role,
    Staff,
    Student,
    StudentGuardian,
    TeamMembership,
    TeamRole,
)
from tandem.plans import queries as plan_queries
from tandem.plans.models import (
    Accommodation,
    Goal,
    Plan,
    PlanKind,
    PlanSection,
    PlanStatus,
    PlanVersion,
    Service,
)
from tandem.portal.models import Signature
from tandem.progress.models import DataPoint
from tandem.records.models import (
    DestructionProposal,
    HoldKind,
    RecordsHold,
    RecordsRequest,
    RequestKind,
)
from tandem.referrals.models import (
    Assessment,
    AssessmentPlan,
    Consent,
    Evidence,
    PriorWrittenNotice,
    Referral,
)
from tandem.reports.models import ProgressReport, ReportBatch
from tandem.revisions.models import RevisionRequest
from tandem.services.models import (
    ProviderContract,
    ServiceSession,
    SessionAttendance,
    SupervisionLog,
)
from tandem.translations.models import TranslatedParagraph, Translation, TranslationStatus
from tests.conftest import START, World
from tests.factories import make_staff

# The students the matrix visits, by how they stand to the personas (see World).
TARGETS = ("maya", "leo", "ana", "tess")


@dataclass
class Bundle:
    """One student's record: an object of every kind a route names."""

    student: Student
    objects: dict[str, Any] = field(default_factory=dict)


@dataclass
class RouteWorld:
    world: World
    bundles: dict[str, Bundle]
    # Objects that belong to a district rather than a student, by district ("riverside", "oak").
    district_objects: dict[str, dict[str, Any]]

    @property
    def users(self) -> dict[str, Any]:
        return self.world.users


def _hash(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _version(plan: Plan, author: Any) -> PlanVersion:
    snapshot = plan_queries.snapshot_of(plan)
    version = PlanVersion.objects.create(
        plan=plan,
        number=1,
        kind="original",
        snapshot=snapshot,
        content_hash=_hash(snapshot),
        created_by=author,
    )
    plan.current_version = version
    plan.save(update_fields=["current_version"])
    return version


def _plan_items(plan: Plan, name: str) -> dict[str, Any]:
    section = PlanSection.objects.create(
        plan=plan, key="plaafp", content={"text": f"{name} reads 60 words per minute."}
    )
    service = Service.objects.create(
        plan=plan,
        category="related",
        name="Speech-language therapy",
        minutes=30,
        times=2,
        per="week",
        setting="Speech room",
        provider_role="Speech-language pathologist",
    )
    accommodation = Accommodation.objects.create(
        plan=plan, category="timing_scheduling", text="Extended time (1.5x) on tests"
    )
    goal = Goal.objects.create(
        plan=plan,
        area="Reading",
        text=f"By June 2026, {name} will read 90 words correct per minute on 3 of 4 probes.",
    )
    return {"section": section, "service": service, "accommodation": accommodation, "goal": goal}


def _bundle(world: World, student: Student, guardian: Guardian) -> Bundle:
    users = world.users
    author = (
        users["director"] if student.district_id == world.riverside.pk else users["oak_director"]
    )
    evaluator = Staff.objects.get(user=users["psych"])
    today = timezone.localdate()
    name = student.legal_first_name
    out: dict[str, Any] = {"student": student, "guardian": guardian}

    referral = Referral.objects.create(
        student=student,
        source="parent",
        received_on=today - timedelta(days=30),
        description=f"{name} struggles to decode.",
        status="in_evaluation",
        created_by=author,
    )
    out["referral"] = referral
    out["notice"] = PriorWrittenNotice.objects.create(
        student=student,
        referral=referral,
        action="proposes",
        action_described="The district proposes a full initial evaluation.",
        reasons="Reading concerns persist.",
        evaluation_basis="Teacher input.",
        procedural_safeguards_statement="You have protections.",
        sources_of_help="Parent Training and Information Center.",
        options_considered="None.",
        other_factors="None.",
        issued_on=today - timedelta(days=25),
        issued_by=author,
    )
    out["consent"] = Consent.objects.create(
        student=student,
        referral=referral,
        kind="initial_evaluation",
        sent_on=today - timedelta(days=25),
        method="portal",
    )
    evidence = Evidence(
        referral=referral,
        kind="teacher_input",
        original_name="note.txt",
        content_type="text/plain",
        size=5,
        uploaded_by=author,
    )
    evidence.file.save("note.txt", ContentFile(b"notes"), save=False)
    evidence.save()
    out["evidence"] = evidence
    assessment_plan = AssessmentPlan.objects.create(
        referral=referral, created_on=today - timedelta(days=20)
    )
    out["assessment"] = Assessment.objects.create(
        plan=assessment_plan,
        area="academic",
        evaluator=evaluator,
        due_on=today + timedelta(days=20),
    )
    out["deadline"] = Deadline.objects.create(
        student=student,
        district_id=student.district_id,
        school_id=student.school_id,
        kind=DeadlineKind.REEVALUATION,
        state=student.district.state,
        trigger_on=today - timedelta(days=700),
        due_on=today + timedelta(days=30),
        citation="34 CFR 300.303(b)(2)",
        explanation="Three years after the last evaluation.",
        source_type="referrals.eligibility",
        source_id="route-matrix",
        computed_at=timezone.now(),
    )

    plan = Plan.objects.create(
        student=student,
        kind=PlanKind.IEP,
        status=PlanStatus.ACTIVE,
        meeting_date=today - timedelta(days=60),
        effective_from=today - timedelta(days=60),
        effective_to=today + timedelta(days=300),
        annual_review_due=today + timedelta(days=300),
        created_by=author,
    )
    items = _plan_items(plan, name)
    out.update(plan=plan, **items)
    out["version"] = _version(plan, author)
    draft = Plan.objects.create(
        student=student,
        kind=PlanKind.IEP,
        status=PlanStatus.DRAFT,
        meeting_date=today + timedelta(days=10),
        based_on=plan,
        created_by=author,
    )
    out["draft"] = draft
    out.update({f"draft_{key}": value for key, value in _plan_items(draft, name).items()})
    out["point"] = DataPoint.objects.create(
        goal=items["goal"],
        goal_lineage=items["goal"].lineage,
        student=student,
        taken_on=today - timedelta(days=3),
        percent=60,
        value=60,
        recorded_by=author,
    )
    out["report"] = ProgressReport.objects.create(
        student=student,
        plan=plan,
        district_id=student.district_id,
        school_id=student.school_id,
        period_label="Quarter 1",
        period_start=today - timedelta(days=80),
        period_end=today - timedelta(days=10),
        due_on=today + timedelta(days=5),
        created_by=author,
    )
    starts = timezone.make_aware(datetime.combine(today + timedelta(days=20), time(15)))
    out["meeting"] = Meeting.objects.create(
        student=student,
        kind=MeetingKind.ANNUAL_REVIEW,
        status="scheduled",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        place_details="Room 12",
        plan=plan,
        created_by=author,
    )
    out["revision"] = RevisionRequest.objects.create(
        student=student,
        plan=plan,
        source="parent",
        reason="Homework takes two hours.",
        case_manager=users["case_manager"] if student == world.maya else author,
    )
    out["signature"] = Signature.objects.create(
        student=student,
        guardian=guardian,
        document_kind="consent_initial_evaluation",
        document_title="Consent to evaluate",
        consent=out["consent"],
        document_text="I give consent.",
        document_hash=_hash("I give consent."),
        language="en",
        decision="give",
        typed_name=f"{guardian.first_name} {guardian.last_name}",
        signed_at=timezone.now() - timedelta(days=20),
        method="online" if guardian.user_id else "paper",
        signed_by=guardian.user,
        recorded_by=author,
    )
    provider = Staff.objects.get(user=users["contractor"])
    session = ServiceSession.objects.create(
        provider=provider,
        day=today - timedelta(days=2),
        start_time=time(10),
        minutes=30,
        signed_at=timezone.now() - timedelta(days=2),
    )
    SessionAttendance.objects.create(
        student=student,
        session=session,
        service=items["service"],
        lineage=items["service"].lineage,
        code="delivered",
        minutes=30,
    )
    out["session"] = session
    out["translation"] = _translation(plan, out["version"], author)
    # An open request to see the records, as the parent makes it (records: 300.613).
    out["records_request"] = RecordsRequest.objects.create(
        student=student,
        kind=RequestKind.INSPECT,
        details="All of the evaluation.",
        requested_by="Grace Lopez",
        requested_on=today,
        recorded_by=author,
        due_on=today + timedelta(days=5),
    )
    # A notice that records may be destroyed (300.624), and a hold on them: the retention pages.
    out["destruction_proposal"] = DestructionProposal.objects.create(
        student=student,
        record_types=["communication"],
        proposed_by=author,
        notice_sent_on=today,
        copy_by=today + timedelta(days=45),
    )
    out["records_hold"] = RecordsHold.objects.create(
        student=student,
        kind=HoldKind.AUDIT,
        reason="Medicaid audit of 2025.",
        placed_by=author,
        placed_on=today,
    )
    # A logged call whose follow-up the author owns (a task on their home page).
    out["contact"] = ContactEntry.objects.create(
        student=student,
        contacted_on=today,
        staff=author,
        method="phone",
        summary="Called about homework.",
        follow_up="Send the reading log.",
        follow_up_on=today + timedelta(days=3),
        follow_up_owner=author,
        created_by=author,
    )
    return Bundle(student=student, objects=out)


def _translation(plan: Plan, version: PlanVersion, author: Any) -> Translation:
    """A Spanish translation of the plan, given to a district interpreter who is none of the
    personas (so the matrix meets it as a plan writer's or a reader's), with one paragraph."""
    district = plan.student.district
    interpreter = Staff.objects.filter(user__email=f"interpreter@{district.slug}.test").first()
    if interpreter is None:
        interpreter = make_staff(
            f"interpreter@{district.slug}.test", [(Role.TEACHER, district, None)], first="Ines"
        )
    translation = Translation.objects.create(
        plan=plan,
        version=version,
        source_hash=_hash("route matrix"),
        status=TranslationStatus.ASSIGNED,
        due_on=day(10),
        requested_by=author,
        requested_at=timezone.now(),
        translator=interpreter,
    )
    TranslatedParagraph.objects.create(
        translation=translation,
        position=1,
        section="plaafp",
        field="text",
        index=1,
        source="Reads 60 words per minute.",
        source_digest=_hash("Reads 60 words per minute."),
    )
    return translation


def _guardian(world: World, student: Student, first: str) -> Guardian:
    guardian = Guardian.objects.create(
        district_id=student.district_id,
        first_name=first,
        last_name=student.legal_last_name,
        email=f"{first.lower()}@family.test",
    )
    StudentGuardian.objects.create(
        student=student, guardian=guardian, relationship=Relationship.MOTHER
    )
    return guardian


def build(world: World) -> RouteWorld:
    """The shared world with an object of every kind for Maya, Leo, Ana and Tess."""
    slp = make_staff("slp@r.test", [(Role.PROVIDER, world.riverside, world.north)], first="Sol")  # type: ignore[list-item]
    TeamMembership.objects.create(
        staff=slp, student=world.maya, role=TeamRole.SPEECH_LANGUAGE, start_date=START
    )
    ProviderAssignment.objects.create(
        staff=slp,
        student=world.maya,
        district=world.riverside,
        service_area="Speech-language therapy",
        start_date=START,
    )
    coordinator = make_staff(
        "504@r.test",
        [(Role.COORDINATOR_504, world.riverside, world.north)],  # type: ignore[list-item]
        first="Cleo",
    )
    TeamMembership.objects.create(
        staff=coordinator, student=world.leo, role=TeamRole.COORDINATOR_504, start_date=START
    )
    oak_teacher = make_staff("teacher@o.test", [(Role.TEACHER, world.oak_valley, world.prairie)])  # type: ignore[list-item]
    world.users.update(slp=slp.user, coordinator=coordinator.user)

    maya_guardian = Guardian.objects.get(user=world.users["parent"])
    guardians = {
        "maya": maya_guardian,
        "leo": _guardian(world, world.leo, "Lena"),
        "ana": _guardian(world, world.ana, "Alma"),
        "tess": _guardian(world, world.tess, "Tina"),
    }
    bundles = {name: _bundle(world, getattr(world, name), guardians[name]) for name in TARGETS}

    today = timezone.localdate()
    district_objects: dict[str, dict[str, Any]] = {}
    for key, district, school, leader, staff, author in (
        ("riverside", world.riverside, world.north, world.users["director"], slp,
         world.users["case_manager"]),
        ("oak", world.oak_valley, world.prairie, world.users["oak_director"], oak_teacher,
         world.users["oak_director"]),
    ):  # fmt: skip
        district_objects[key] = {
            "district": district,
            "staff": staff,
            # A personal template: only its author may delete it.
            "template": GoalTemplate.objects.create(
                owner=author,
                district=district,
                area="reading",
                title="Fluency",
                text="By {date}, {name} will read {wcpm} words correct per minute.",
            ),
            # A class of the district's teacher (Riverside's is the world's Grade 3 homeroom).
            "class": _class(world, key, school, oak_teacher),
            # The leader's own API token: only its owner may revoke it.
            "token": ApiToken.objects.create(
                user=author,
                digest=hashlib.sha256(f"token-{key}".encode()).hexdigest(),
                prefix=f"tk{key[:4]}",
                expires_at=timezone.now() + timedelta(days=30),
            ),
            "roster_import": RosterImport.objects.create(
                district=district,
                uploaded_by=leader,
                uploaded_at=timezone.now(),
                file_name="roster.zip",
                archive=b"",
                status=ImportStatus.CHECKED,
                counts={"students": 0},
            ),
            # The district-level provider's contract with the district, in force.
            "contract": ProviderContract.objects.create(
                staff=staff, district=district, agency="BrightPath", start_date=START
            ),
            # Supervision the district's provider recorded of an assistant (the contractor).
            "supervision_log": SupervisionLog.objects.create(
                created_by=staff.user,
                supervisor=staff,
                assistant=Staff.objects.get(user=world.users["contractor"]),
                day=today - timedelta(days=3),
                minutes=15,
                kind="direct",
            ),
            "batch": ReportBatch.objects.create(
                district=district,
                school=school,
                mode="draft",
                period_label="Quarter 1",
                period_start=today - timedelta(days=80),
                period_end=today - timedelta(days=10),
                due_on=today + timedelta(days=5),
                created_by=leader,
            ),
        }
    return RouteWorld(world=world, bundles=bundles, district_objects=district_objects)


def _class(world: World, key: str, school: Any, oak_teacher: Staff) -> ClassSection:
    if key == "riverside":
        return ClassSection.objects.get(teacher__user=world.users["teacher"])
    section = ClassSection.objects.create(
        school=school,
        teacher=oak_teacher,
        name="Grade 4",
        school_year="2025-2026",
        start_date=START,
    )
    ClassEnrollment.objects.create(section=section, student=world.tess, start_date=START)
    return section


def day(offset: int = 0) -> date:
    return timezone.localdate() + timedelta(days=offset)
