"""The capability matrix: what each relationship to a student lets a person do.

Reading comes from any relationship in force today; writing comes from what the relationship is
for. The matrix is data: a tie (how a person stands to a student) maps to the capabilities it
grants, and a person holds the union over their ties. docs/access.md prints it as a table, and
tests/access/test_matrix.py checks every route against it.

A role alone (a "case manager" somewhere in the district) opens nothing: the ties below do.
One tie comes from a role in a place: an evaluator (school psychologist) or a 504 coordinator
with a role at a school, or district-wide, stands to that school's students as the school's
evaluator (`Tie.SCHOOL_EVALUATOR`). Child find (IDEA 34 CFR 300.111, Section 504 at 34 CFR
104.32) is their job for every student of the schools they serve, so they have a legitimate
educational interest (FERPA 34 CFR 99.31(a)(1)) in finding a general-education student and
starting the referral. The tie grants the minimum for that: READ, because the policy has one
level of reading and the student page, the search and the referral pages all ask for it;
START_REFERRAL to open the referral; and RAISE_CONCERN, which every referring tie holds. It
grants nothing of the evaluation itself (consent, assessment plan, eligibility): that comes
with a place on the student's team (`team:psychologist`, `team:coordinator_504`) once the
referral's team is formed, as for any evaluator.

A teacher raises a concern (`RAISE_CONCERN`, from the roster tie or a team place as the
general-education teacher): it becomes a referral waiting for the case manager, or the school's
special education lead, to accept or decline (tandem/referrals/concerns.py). Raising it gives
the teacher no other power over referrals.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from tandem.people.models import TeamRole


class Cap(StrEnum):
    """What a person may do with one student's record."""

    READ = "read"  # open the record: profile, plans, progress, meetings, history
    EDIT_PROFILE = "edit_profile"  # the student's profile, guardians, school and grade
    START_REFERRAL = "start_referral"  # open a referral
    RAISE_CONCERN = "raise_concern"  # a teacher's concern, for the case manager to accept
    RUN_EVALUATION = (
        "run_evaluation"  # consent, assessment plan, eligibility, reevaluation, notices
    )
    RECORD_ASSESSMENT = "record_assessment"  # one's own assessments (all, with RUN_EVALUATION)
    WRITE_PLAN = "write_plan"  # drafts, goals, services, accommodations, finalize, amend, exit
    RECORD_PROGRESS = "record_progress"  # data points and phase changes on goals
    ISSUE_REPORTS = "issue_reports"  # progress reports to the family
    RECORD_ACCOMMODATIONS = "record_accommodations"  # accommodations provided in class
    # "I have read this plan": a teacher or provider told of their part in it (300.323(d))
    ACKNOWLEDGE_PLAN = "acknowledge_plan"
    SCHEDULE_MEETINGS = "schedule_meetings"  # meetings, notices, minutes
    ANSWER_REVISIONS = "answer_revisions"  # a family's request to change the plan
    LOG_CONTACTS = "log_contacts"  # the contact log and messages with the family
    MANAGE_TEAM = "manage_team"  # case manager and team members
    VIEW_ACCESS_LOG = "view_access_log"  # who opened the record (FERPA 99.32)
    # Disclosures outside the school officials (FERPA 99.32) and a family's requests to see or
    # amend the records (300.613, 300.618): whoever answers for the record, not every reader.
    KEEP_RECORDS = "keep_records"
    ACT_AS_FAMILY = "act_as_family"  # sign consent, answer meetings, ask for changes
    # The district's IDEA section 618 counts (child count, exiting) and the students behind
    # them: leaders report for the schools or the district they lead (tandem/reports).
    FEDERAL_REPORTS = "federal_reports"
    # Records no longer needed, past the district's retention schedule: the notice to the
    # parents and the destruction (IDEA 300.624, tandem/records/destruction.py). The district
    # administrator's alone: the district answers for the whole record, not one school.
    DESTROY_RECORDS = "destroy_records"


CAP_LABELS = {
    Cap.READ: _("Read the record"),
    Cap.EDIT_PROFILE: _("Edit the student's profile and guardians"),
    Cap.START_REFERRAL: _("Start a referral"),
    Cap.RAISE_CONCERN: _("Raise a concern for the case manager to accept"),
    Cap.RUN_EVALUATION: _("Run the evaluation (consent, assessment plan, eligibility, notices)"),
    Cap.RECORD_ASSESSMENT: _("Record their own assessments"),
    Cap.WRITE_PLAN: _("Write and change the IEP or 504 Plan"),
    Cap.RECORD_PROGRESS: _("Record progress data"),
    Cap.ISSUE_REPORTS: _("Issue progress reports"),
    Cap.RECORD_ACCOMMODATIONS: _("Record accommodations provided"),
    Cap.ACKNOWLEDGE_PLAN: _("Confirm having read the plan they carry out"),
    Cap.SCHEDULE_MEETINGS: _("Schedule meetings and send notices"),
    Cap.ANSWER_REVISIONS: _("Answer a family's request to change the plan"),
    Cap.LOG_CONTACTS: _("Log contacts and message the family"),
    Cap.MANAGE_TEAM: _("Assign the case manager and team"),
    Cap.VIEW_ACCESS_LOG: _("See who opened the record"),
    Cap.KEEP_RECORDS: _("Record disclosures and answer requests to see or amend records"),
    Cap.ACT_AS_FAMILY: _("Sign, answer and ask as the family"),
    Cap.FEDERAL_REPORTS: _("Count the student in the federal reports (IDEA section 618)"),
    Cap.DESTROY_RECORDS: _("Destroy records no longer needed, after notice to the parents"),
}


class Tie(StrEnum):
    """How a person stands to a student today. Team ties are "team:<role>"."""

    DISTRICT_LEADER = "district_leader"  # a district administrator of the student's district
    SCHOOL_LEADER = "school_leader"  # a principal of the student's school
    CASELOAD = "caseload"  # the student is on their caseload
    ROSTER = "roster"  # the student is in a class they teach (300.323(d))
    PROVIDER = "provider"  # they are assigned to serve the student (staff or contractor)
    RIGHTS_HOLDER = "rights_holder"  # a parent or guardian who holds educational rights
    # An evaluator or 504 coordinator with a role at the student's school (or district-wide).
    SCHOOL_EVALUATOR = "school_evaluator"


def team(role: str) -> str:
    return f"team:{role}"


# Acknowledging a plan is for those who carry it out in class or in a service (the teachers and
# providers IDEA 34 CFR 300.323(d) names), not for those who write or oversee it: a leader's or
# a case manager's "I have read it" would only lengthen the list of who has not.
_STAFF_ALL = frozenset(Cap) - {
    Cap.ACT_AS_FAMILY,
    Cap.ACKNOWLEDGE_PLAN,
    Cap.FEDERAL_REPORTS,
    Cap.DESTROY_RECORDS,
}
# The federal counts are the leaders' (the district reports them to the state), never one
# case manager's or one team's: they would list students of the whole school.
_LEADER = _STAFF_ALL | {Cap.FEDERAL_REPORTS}
_CASE_MANAGER = _STAFF_ALL - {Cap.VIEW_ACCESS_LOG}
_SERVICE = frozenset(
    {
        Cap.READ,
        Cap.START_REFERRAL,
        Cap.RAISE_CONCERN,
        Cap.RECORD_ASSESSMENT,
        Cap.RECORD_PROGRESS,
        Cap.LOG_CONTACTS,
        Cap.ACKNOWLEDGE_PLAN,
    }
)

MATRIX: dict[str, frozenset[Cap]] = {
    Tie.DISTRICT_LEADER: _LEADER | {Cap.DESTROY_RECORDS},
    Tie.SCHOOL_LEADER: _LEADER,
    Tie.CASELOAD: _CASE_MANAGER,
    team(TeamRole.CASE_MANAGER): _CASE_MANAGER,
    team(TeamRole.SPECIAL_EDUCATION_TEACHER): frozenset(
        {
            Cap.READ,
            Cap.START_REFERRAL,
            Cap.RAISE_CONCERN,
            # The academic assessment an evaluation assigns them (they join the team in this
            # role for it): their own only, as for every evaluator.
            Cap.RECORD_ASSESSMENT,
            Cap.WRITE_PLAN,
            Cap.RECORD_PROGRESS,
            Cap.RECORD_ACCOMMODATIONS,
            Cap.ACKNOWLEDGE_PLAN,
            Cap.SCHEDULE_MEETINGS,
            Cap.LOG_CONTACTS,
        }
    ),
    team(TeamRole.GENERAL_EDUCATION_TEACHER): frozenset(
        {Cap.READ, Cap.RAISE_CONCERN, Cap.RECORD_ACCOMMODATIONS, Cap.ACKNOWLEDGE_PLAN}
    ),
    team(TeamRole.SPEECH_LANGUAGE): _SERVICE,
    team(TeamRole.OCCUPATIONAL_THERAPIST): _SERVICE,
    team(TeamRole.PHYSICAL_THERAPIST): _SERVICE,
    team(TeamRole.COUNSELOR): _SERVICE,
    team(TeamRole.SOCIAL_WORKER): _SERVICE,
    team(TeamRole.NURSE): _SERVICE,
    team(TeamRole.PSYCHOLOGIST): frozenset(
        {
            Cap.READ,
            Cap.START_REFERRAL,
            Cap.RAISE_CONCERN,
            Cap.RUN_EVALUATION,
            Cap.RECORD_ASSESSMENT,
            # No RECORD_PROGRESS here: a psychologist who serves the student (counseling, a
            # behavior service) records progress through the provider tie, like any provider.
            Cap.SCHEDULE_MEETINGS,
            Cap.LOG_CONTACTS,
        }
    ),
    # The LEA representative on this student's team: a leader for this one student.
    team(TeamRole.ADMINISTRATOR): _CASE_MANAGER,
    team(TeamRole.COORDINATOR_504): frozenset(
        {
            Cap.READ,
            Cap.START_REFERRAL,
            Cap.RAISE_CONCERN,
            Cap.RUN_EVALUATION,
            Cap.RECORD_ASSESSMENT,
            Cap.WRITE_PLAN,
            Cap.ISSUE_REPORTS,
            Cap.SCHEDULE_MEETINGS,
            Cap.ANSWER_REVISIONS,
            Cap.LOG_CONTACTS,
        }
    ),
    team(TeamRole.OTHER): frozenset({Cap.READ}),
    Tie.ROSTER: frozenset(
        {Cap.READ, Cap.RAISE_CONCERN, Cap.RECORD_ACCOMMODATIONS, Cap.ACKNOWLEDGE_PLAN}
    ),
    # A provider serves the goals of their service: data and contacts, and reads the rest. A
    # contractor's tie is this one too, so a contractor never edits the profile or the plan.
    Tie.PROVIDER: frozenset(
        {Cap.READ, Cap.RECORD_PROGRESS, Cap.LOG_CONTACTS, Cap.ACKNOWLEDGE_PLAN}
    ),
    Tie.RIGHTS_HOLDER: frozenset({Cap.READ, Cap.VIEW_ACCESS_LOG, Cap.ACT_AS_FAMILY}),
    # Child find in the schools they serve: find the student and start the referral (above).
    Tie.SCHOOL_EVALUATOR: frozenset({Cap.READ, Cap.START_REFERRAL, Cap.RAISE_CONCERN}),
}

LEADER_TIES = frozenset({Tie.DISTRICT_LEADER, Tie.SCHOOL_LEADER})


def caps_for(ties: frozenset[str]) -> frozenset[Cap]:
    """The union of what each tie grants."""
    out: frozenset[Cap] = frozenset()
    for tie in ties:
        out |= MATRIX.get(tie, frozenset())
    return out


def ties_granting(cap: Cap) -> frozenset[str]:
    return frozenset(tie for tie, caps in MATRIX.items() if cap in caps)


def team_roles_granting(cap: Cap) -> list[str]:
    return sorted(t.split(":", 1)[1] for t in ties_granting(cap) if t.startswith("team:"))
