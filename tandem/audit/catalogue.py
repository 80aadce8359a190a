"""The catalogue of audit actions: every code the log records, with its meaning in plain words.

Codes are stored in each event, so their values never change once released (old rows must keep
reading the same); new codes read `thing.verb_in_past_tense`. The parent's "who opened this
record" page shows the words, never the code.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Action(StrEnum):
    ACCESS__DENIED = "access.denied"
    ACCESS__REFUSED = "access.refused"
    AUDIT_LOG__EXPORTED = "audit_log.exported"
    ACCOMMODATION__PROVIDED = "accommodation.provided"
    API_TOKEN__ISSUED = "api_token.issued"
    API_TOKEN__REVOKED = "api_token.revoked"
    ASSESSMENT__ADDED = "assessment.added"
    ASSESSMENT__COMPLETED = "assessment.completed"
    ASSESSMENT__REOPENED = "assessment.reopened"
    CASELOADS__EXPORTED = "caseloads.exported"
    CASELOADS__LISTED = "caseloads.listed"
    CONCERN__ACCEPTED = "concern.accepted"
    CONCERN__DECLINED = "concern.declined"
    CONCERN__RAISED = "concern.raised"
    COMMUNICATION__CONTACT_LOGGED = "communication.contact_logged"
    COMMUNICATION__FOLLOW_UP_DONE = "communication.follow_up_done"
    COMMUNICATION__LOG_EXPORTED = "communication.log_exported"
    COMMUNICATION__LOG_VIEWED = "communication.log_viewed"
    COMMUNICATION__MESSAGE_SENT = "communication.message_sent"
    COMMUNICATION__THREAD_VIEWED = "communication.thread_viewed"
    CONSENT__ATTEMPT_RECORDED = "consent.attempt_recorded"
    CONSENT__PAPER_SIGNATURE_RECORDED = "consent.paper_signature_recorded"
    CONSENT__PRINTED = "consent.printed"
    CONSENT__REQUESTED = "consent.requested"
    CONSENT__RESPONSE_RECORDED = "consent.response_recorded"
    CONSENT__SIGNED = "consent.signed"
    DATABASE__BACKED_UP = "database.backed_up"
    DATA_POINT__CORRECTED = "data_point.corrected"
    DATA_POINT__VOIDED = "data_point.voided"
    DEADLINES__DIGEST_SENT = "deadlines.digest_sent"
    DISCLOSURE__RECORDED = "disclosure.recorded"
    DISTRICT__EXPORTED = "district.exported"
    DISTRICT__IMPORTED = "district.imported"
    DEADLINES__EXPORTED = "deadlines.exported"
    DEADLINES__LISTED = "deadlines.listed"
    DEADLINES__RECOMPUTED = "deadlines.recomputed"
    ELIGIBILITY__DECIDED = "eligibility.decided"
    ELIGIBILITY__NOTICE_SENT = "eligibility.notice_sent"
    EVALUATION__PLANNED = "evaluation.planned"
    EVALUATION__REPORT_COMPLETED = "evaluation.report_completed"
    EVIDENCE__DOWNLOADED = "evidence.downloaded"
    FEDERAL_REPORT__EXPORTED = "federal_report.exported"
    FEDERAL_REPORT__STUDENT_VIEWED = "federal_report.student_viewed"
    FEDERAL_REPORT__VIEWED = "federal_report.viewed"
    GOAL__SAVED = "goal.saved"
    GOAL_TEMPLATE__DELETED = "goal_template.deleted"
    GOAL_TEMPLATE__SAVED = "goal_template.saved"
    GUARDIAN__UPDATED = "guardian.updated"
    HOME__VIEWED = "home.viewed"
    IMPLEMENTATION__VIEWED = "implementation.viewed"
    MEDICAID__EXPORTED = "medicaid.exported"
    MEDICAID_CONSENT__RECORDED = "medicaid_consent.recorded"
    MEDICAID_CONSENT__VIEWED = "medicaid_consent.viewed"
    MEETING__ANSWERED = "meeting.answered"
    MEETING__CANCELLED = "meeting.cancelled"
    MEETING__HELD = "meeting.held"
    MEETING__ICS_DOWNLOADED = "meeting.ics_downloaded"
    MEETING__MEMBER_EXCUSED = "meeting.member_excused"
    MEETING__MINUTES_SHARED = "meeting.minutes_shared"
    MEETING__MINUTES_VIEWED = "meeting.minutes_viewed"
    MEETING__NEXT_STEP_ADDED = "meeting.next_step_added"
    MEETING__NOTICE_SENT = "meeting.notice_sent"
    MEETING__NOTICE_VIEWED = "meeting.notice_viewed"
    MEETING__REMINDERS_SENT = "meeting.reminders_sent"
    MEETING__RESCHEDULED = "meeting.rescheduled"
    MEETING__SCHEDULED = "meeting.scheduled"
    MEETING__VIEWED = "meeting.viewed"
    MEETINGS__EXPORTED = "meetings.exported"
    MEETINGS__LISTED = "meetings.listed"
    NOTICE__ISSUED = "notice.issued"
    PLAN__ACKNOWLEDGED = "plan.acknowledged"
    PLAN__AMENDED = "plan.amended"
    PLAN__ANNUAL_REVIEW_STARTED = "plan.annual_review_started"
    PLAN__CORRECTED = "plan.corrected"
    PLAN__DATES_CHANGED = "plan.dates_changed"
    PLAN__DRAFT_CLOSED = "plan.draft_closed"
    PLAN__DRAFT_CREATED = "plan.draft_created"
    PLAN__DRAFT_DISCARDED = "plan.draft_discarded"
    PLAN__EDITOR_VIEWED = "plan.editor_viewed"
    PLAN__EXITED = "plan.exited"
    PLAN__FINALIZED = "plan.finalized"
    PLAN__IMPORTED = "plan.imported"
    PLAN__MOVED_TO_504 = "plan.moved_to_504"
    PLAN__NEW_VIEWED = "plan.new_viewed"
    PLAN__PDF = "plan.pdf"
    PLAN__PDF_RETRIED = "plan.pdf_retried"
    PLAN__PREFINALIZE_VIEWED = "plan.prefinalize_viewed"
    PLAN__PROPOSED = "plan.proposed"
    PLAN__SECTION_SAVED = "plan.section_saved"
    PLAN__SERVICES_CONSENT_RECORDED = "plan.services_consent_recorded"
    PLAN__SECTION_VIEWED = "plan.section_viewed"
    PLAN__VIEWED = "plan.viewed"
    PLAN__SERVICE_ADDED = "plan.service_added"
    PLAN__SERVICE_CHANGED = "plan.service_changed"
    PLAN__SERVICE_REMOVED = "plan.service_removed"
    PLAN__ACCOMMODATION_ADDED = "plan.accommodation_added"
    PLAN__ACCOMMODATION_CHANGED = "plan.accommodation_changed"
    PLAN__ACCOMMODATION_REMOVED = "plan.accommodation_removed"
    PLAN__GOAL_ADDED = "plan.goal_added"
    PLAN__GOAL_CHANGED = "plan.goal_changed"
    PLAN__GOAL_REMOVED = "plan.goal_removed"
    PLANS__EXPORTED = "plans.exported"
    PLANS__LISTED = "plans.listed"
    PORTAL__CHILD_VIEWED = "portal.child_viewed"
    PORTAL__CONSENT_VIEWED = "portal.consent_viewed"
    PORTAL__DOCUMENT_OPENED = "portal.document_opened"
    PORTAL__FAMILY_VIEWED = "portal.family_viewed"
    PORTAL__INVITED = "portal.invited"
    PROGRESS__COLLECT_VIEWED = "progress.collect_viewed"
    PROGRESS__DATA_POINT_RECORDED = "progress.data_point_recorded"
    PROGRESS__GOAL_VIEWED = "progress.goal_viewed"
    PROGRESS__PHASE_CHANGE_RECORDED = "progress.phase_change_recorded"
    PROGRESS_REPORT__BATCH_FINISHED = "progress_report.batch_finished"
    PROGRESS_REPORT__BATCH_STARTED = "progress_report.batch_started"
    PROGRESS_REPORT__DRAFTED = "progress_report.drafted"
    PROGRESS_REPORT__EDITED = "progress_report.edited"
    PROGRESS_REPORT__ISSUED = "progress_report.issued"
    PROGRESS_REPORT__LIST_VIEWED = "progress_report.list_viewed"
    PROGRESS_REPORT__PDF = "progress_report.pdf"
    PROGRESS_REPORT__REDRAFTED = "progress_report.redrafted"
    PROGRESS_REPORT__VIEWED = "progress_report.viewed"
    REEVALUATION__REFUSED = "reevaluation.refused"
    REEVALUATION__STARTED = "reevaluation.started"
    REEVALUATION__WAIVED = "reevaluation.waived"
    REFERRAL__CASE_REVIEWED = "referral.case_reviewed"
    REFERRAL__CREATED = "referral.created"
    REFERRAL__EVIDENCE_ADDED = "referral.evidence_added"
    REVISION__ACKNOWLEDGED = "revision.acknowledged"
    REVISION__AMENDED = "revision.amended"
    REVISION__DECLINED = "revision.declined"
    REVISION__EXPORTED = "revision.exported"
    REVISION__LISTED = "revision.listed"
    REVISION__MEETING_SCHEDULED = "revision.meeting_scheduled"
    REVISION__QUEUE_VIEWED = "revision.queue_viewed"
    REVISION__REQUESTED = "revision.requested"
    REVISION__ROUTED = "revision.routed"
    REVISION__UPDATED = "revision.updated"
    REVISION__VIEWED = "revision.viewed"
    SERVICE_MINUTES__VIEWED = "service_minutes.viewed"
    SERVICE_MINUTES__EXPORTED = "service_minutes.exported"
    SERVICE_SETTINGS__CHANGED = "service_settings.changed"
    SERVICE_SESSION__ADDENDUM_ADDED = "service_session.addendum_added"
    SERVICE_SESSION__LOGGED = "service_session.logged"
    SERVICE_ALERT__CLOSED = "service_alert.closed"
    SERVICE_ALERT__RAISED = "service_alert.raised"
    SERVICE_SESSION__SIGNED = "service_session.signed"
    SERVICE_SESSION__COSIGNED = "service_session.cosigned"
    COSIGNATURE_QUEUE__VIEWED = "cosignature_queue.viewed"
    SUPERVISION__RECORDED = "supervision.recorded"
    SUPERVISION__VOIDED = "supervision.voided"
    SUPERVISION__VIEWED = "supervision.viewed"
    PROVIDER_PROFILE__SAVED = "provider_profile.saved"
    PROVIDER_CONTRACT__ADDED = "provider_contract.added"
    PROVIDER_CONTRACT__ENDED = "provider_contract.ended"
    # The district's roster kept through the API: tandem/people/actions_{students,staff,assignments}.py.
    PROVIDER_ASSIGNMENT__ADDED = "provider_assignment.added"
    PROVIDER_ASSIGNMENT__ENDED = "provider_assignment.ended"
    STAFF__ADDED = "staff.added"
    STAFF__UPDATED = "staff.updated"
    STAFF_ROLE__ENDED = "staff_role.ended"
    STAFF_ROLE__GRANTED = "staff_role.granted"
    STUDENT__ADDED = "student.added"
    STUDENT__ENROLLED = "student.enrolled"
    STUDENT__ENROLLMENT_CLOSED = "student.enrollment_closed"
    TELETHERAPY_CONSENT__RECORDED = "teletherapy_consent.recorded"
    TELETHERAPY_DAY__VIEWED = "teletherapy_day.viewed"
    TRANSLATION__ASSIGNED = "translation.assigned"
    TRANSLATION__EDITOR_VIEWED = "translation.editor_viewed"
    TRANSLATION__PUBLISHED = "translation.published"
    TRANSLATION__REQUESTED = "translation.requested"
    TRANSLATION__REVIEWED = "translation.reviewed"
    TRANSLATION__SAVED = "translation.saved"
    TRANSLATION__SUBMITTED = "translation.submitted"
    TRANSLATION__VIEWED = "translation.viewed"
    TRANSLATIONS__LISTED = "translations.listed"
    SIGNATURE__DOWNLOADED = "signature.downloaded"
    SIGNATURE__VIEWED = "signature.viewed"
    TEAM__CASE_MANAGER_ASSIGNED = "team.case_manager_assigned"
    TEAM__MEMBER_ADDED = "team.member_added"
    TEAM__MEMBER_ENDED = "team.member_ended"
    TWO_FACTOR__ENROLLED = "two_factor.enrolled"
    TWO_FACTOR__FAILED = "two_factor.failed"
    TWO_FACTOR__LOCKED_OUT = "two_factor.locked_out"
    TWO_FACTOR__REQUIREMENT_CHANGED = "two_factor.requirement_changed"
    TWO_FACTOR__RESET = "two_factor.reset"
    TWO_FACTOR__VERIFIED = "two_factor.verified"
    STUDENT__ACCESS_LOG_VIEWED = "student.access_log_viewed"
    STUDENT__ENROLLMENT_ENDED = "student.enrollment_ended"
    STUDENT__IMPORTED = "student.imported"
    RECORDS__VIEWED = "records.viewed"
    RIGHTS__TRANSFERRED = "rights.transferred"
    RECORDS_REQUEST__ANSWERED = "records_request.answered"
    RECORDS_REQUEST__MADE = "records_request.made"
    RECORDS_REQUEST__VIEWED = "records_request.viewed"
    RECORDS_REQUESTS__LISTED = "records_requests.listed"
    ROSTER__CHECKED = "roster.checked"
    ROSTER__IMPORTED = "roster.imported"
    RECORDS__IMPORTED = "records.imported"
    RECORDS__EXPORTED = "records.exported"
    # Retention and destruction (IDEA 300.624): tandem/records/actions_retention.py.
    RETENTION_SETTINGS__CHANGED = "retention_settings.changed"
    RETENTION_DUE__VIEWED = "retention_due.viewed"
    RETENTION__VIEWED = "retention.viewed"
    RECORDS_HOLD__PLACED = "records_hold.placed"
    RECORDS_HOLD__RELEASED = "records_hold.released"
    DESTRUCTION__PROPOSED = "destruction.proposed"
    DESTRUCTION_NOTICE__VIEWED = "destruction_notice.viewed"
    DESTRUCTION_NOTICE__PRINTED = "destruction_notice.printed"
    DESTRUCTION__ANSWERED = "destruction.answered"
    RECORDS__DESTROYED = "records.destroyed"
    ROSTER__PROBLEMS_DOWNLOADED = "roster.problems_downloaded"
    STUDENT__GRADE_CHANGED = "student.grade_changed"
    STUDENT__HISTORY_VIEWED = "student.history_viewed"
    STUDENT__SCHOOL_CHANGED = "student.school_changed"
    STUDENT__UPDATED = "student.updated"
    STUDENT__VIEWED = "student.viewed"
    STUDENTS__EXPORTED = "students.exported"
    STUDENTS__SEARCHED = "students.searched"


WORDS: dict[str, Promise] = {
    Action.MEDICAID__EXPORTED: _(
        "Downloaded the sessions for Medicaid billing, or those that cannot be billed"
    ),
    Action.MEDICAID_CONSENT__RECORDED: _(
        "Recorded the parent's consent to bill public insurance, its withdrawal, a yearly "
        "notice or the Medicaid ID"
    ),
    Action.MEDICAID_CONSENT__VIEWED: _("Opened the consent to bill public insurance"),
    Action.ACCESS__DENIED: _("A request to open the record was refused"),
    Action.ACCESS__REFUSED: _("A request their role does not allow was refused"),
    Action.ACCOMMODATION__PROVIDED: _("Recorded an accommodation provided in class"),
    Action.API_TOKEN__ISSUED: _("Issued an API token"),
    Action.API_TOKEN__REVOKED: _("Revoked an API token"),
    Action.ASSESSMENT__ADDED: _("Added an assessment to the evaluation"),
    Action.ASSESSMENT__COMPLETED: _("Recorded the results of an assessment"),
    Action.ASSESSMENT__REOPENED: _("Reopened an assessment recorded by mistake"),
    Action.CONCERN__ACCEPTED: _("Accepted a teacher's concern as a referral"),
    Action.CONCERN__DECLINED: _("Declined a teacher's concern"),
    Action.FEDERAL_REPORT__EXPORTED: _(
        "Downloaded the district's federal counts (IDEA section 618)"
    ),
    Action.FEDERAL_REPORT__STUDENT_VIEWED: _(
        "Listed the student behind a federal count (IDEA section 618)"
    ),
    Action.FEDERAL_REPORT__VIEWED: _("Opened the district's federal counts (IDEA section 618)"),
    Action.CONCERN__RAISED: _("Raised a concern about a student"),
    Action.CASELOADS__EXPORTED: _("Downloaded the case managers' caseloads"),
    Action.CASELOADS__LISTED: _("Opened the case managers' caseloads"),
    Action.COMMUNICATION__CONTACT_LOGGED: _("Logged a contact with the family"),
    Action.COMMUNICATION__FOLLOW_UP_DONE: _("Marked a follow-up with the family done"),
    Action.COMMUNICATION__LOG_EXPORTED: _("Downloaded the contact log"),
    Action.COMMUNICATION__LOG_VIEWED: _("Opened the contact log"),
    Action.COMMUNICATION__MESSAGE_SENT: _("Sent a message"),
    Action.COMMUNICATION__THREAD_VIEWED: _("Opened the messages"),
    Action.CONSENT__ATTEMPT_RECORDED: _("Recorded an attempt to reach the parent for consent"),
    Action.CONSENT__PAPER_SIGNATURE_RECORDED: _("Recorded a consent signed on paper"),
    Action.CONSENT__PRINTED: _("Printed a consent form"),
    Action.CONSENT__REQUESTED: _("Asked the parent for consent"),
    Action.CONSENT__RESPONSE_RECORDED: _("Recorded the parent's answer to a consent request"),
    Action.CONSENT__SIGNED: _("The parent signed a consent form"),
    Action.DATABASE__BACKED_UP: _("Copied the whole database to a backup file"),
    Action.DISTRICT__EXPORTED: _("Copied all of the district's records to a backup file"),
    Action.DISTRICT__IMPORTED: _("Restored the district's records from a backup file"),
    Action.DATA_POINT__CORRECTED: _("Corrected a progress data point, keeping the original"),
    Action.DATA_POINT__VOIDED: _("Voided a progress data point recorded by mistake"),
    Action.DEADLINES__DIGEST_SENT: _("Sent the deadlines email"),
    Action.DISCLOSURE__RECORDED: _(
        "Recorded that part of the record was given to someone outside the school, to whom and why"
    ),
    Action.DEADLINES__EXPORTED: _("Downloaded the list of deadlines"),
    Action.DEADLINES__LISTED: _("Opened the list of deadlines"),
    Action.AUDIT_LOG__EXPORTED: _("Downloaded entries of the audit log"),
    Action.HOME__VIEWED: _("Opened their home page, which lists the student"),
    Action.DEADLINES__RECOMPUTED: _("Recalculated the deadlines"),
    Action.ELIGIBILITY__DECIDED: _("Recorded the eligibility decision"),
    Action.ELIGIBILITY__NOTICE_SENT: _(
        "Sent the parent written notice of the eligibility decision"
    ),
    Action.TEAM__CASE_MANAGER_ASSIGNED: _("Assigned the case manager"),
    Action.TEAM__MEMBER_ADDED: _("Added a member to the student's team"),
    Action.TEAM__MEMBER_ENDED: _("Ended a member's place on the student's team"),
    Action.TWO_FACTOR__ENROLLED: _("Set up an authenticator app for signing in"),
    Action.TWO_FACTOR__FAILED: _("Entered a wrong sign-in code"),
    Action.TWO_FACTOR__LOCKED_OUT: _("Was signed out after too many wrong sign-in codes"),
    Action.TWO_FACTOR__REQUIREMENT_CHANGED: _("Changed who must use an authenticator app"),
    Action.TWO_FACTOR__RESET: _("Removed a person's authenticator app so they set it up again"),
    Action.TWO_FACTOR__VERIFIED: _("Confirmed a sign-in with an app code or a recovery code"),
    Action.EVALUATION__PLANNED: _("Planned the evaluation"),
    Action.EVALUATION__REPORT_COMPLETED: _("Completed the evaluation report"),
    Action.EVIDENCE__DOWNLOADED: _("Downloaded a document from the record"),
    Action.GOAL__SAVED: _("Saved a goal"),
    Action.GOAL_TEMPLATE__DELETED: _("Removed a goal from the goal bank"),
    Action.GOAL_TEMPLATE__SAVED: _("Saved a goal to the goal bank"),
    Action.GUARDIAN__UPDATED: _("Changed a parent's or guardian's details"),
    Action.IMPLEMENTATION__VIEWED: _("Opened the plan to put it into practice in class"),
    Action.MEETING__ANSWERED: _("Answered a meeting invitation"),
    Action.MEETING__CANCELLED: _("Cancelled a meeting"),
    Action.MEETING__HELD: _("Recorded that a meeting was held"),
    Action.MEETING__ICS_DOWNLOADED: _("Added a meeting to a calendar"),
    Action.MEETING__MEMBER_EXCUSED: _("Excused a team member from a meeting"),
    Action.MEETING__MINUTES_SHARED: _("Shared the meeting notes"),
    Action.MEETING__MINUTES_VIEWED: _("Opened the meeting notes"),
    Action.MEETING__NEXT_STEP_ADDED: _("Added a next step after a meeting"),
    Action.MEETING__NOTICE_SENT: _("Sent the meeting notice"),
    Action.MEETING__NOTICE_VIEWED: _("Opened the meeting notice"),
    Action.MEETING__REMINDERS_SENT: _("Sent meeting reminders"),
    Action.MEETING__RESCHEDULED: _("Moved a meeting"),
    Action.MEETING__SCHEDULED: _("Scheduled a meeting"),
    Action.MEETING__VIEWED: _("Opened a meeting"),
    Action.MEETINGS__EXPORTED: _("Downloaded the list of meetings"),
    Action.MEETINGS__LISTED: _("Opened the list of meetings"),
    Action.NOTICE__ISSUED: _("Gave the parent written notice"),
    Action.PLAN__ACKNOWLEDGED: _("Confirmed having read the plan"),
    Action.PLAN__AMENDED: _("Changed the plan (amendment)"),
    Action.PLAN__ANNUAL_REVIEW_STARTED: _("Started the yearly review of the plan"),
    Action.PLAN__CORRECTED: _("Corrected a mistake in the plan"),
    Action.PLAN__DATES_CHANGED: _("Changed the plan's dates"),
    Action.PLAN__DRAFT_CLOSED: _("Closed a draft plan"),
    Action.PLAN__DRAFT_CREATED: _("Started a draft plan"),
    Action.PLAN__DRAFT_DISCARDED: _("Discarded a draft plan"),
    Action.PLAN__EDITOR_VIEWED: _("Opened the draft plan to edit it"),
    Action.PLAN__EXITED: _("Ended the plan"),
    Action.PLAN__FINALIZED: _("Finalized the plan"),
    Action.PLAN__IMPORTED: _("Brought the plan in from the district's earlier records"),
    Action.PLAN__MOVED_TO_504: _("Moved from an IEP to a 504 Plan"),
    Action.PLAN__NEW_VIEWED: _("Opened the page to start a plan"),
    Action.PLAN__PDF: _("Downloaded the plan"),
    Action.PLAN__PDF_RETRIED: _("Asked again for the plan's PDF after it could not be made"),
    Action.PLAN__PREFINALIZE_VIEWED: _("Checked the draft plan before finalizing"),
    Action.PLAN__PROPOSED: _("Sent the draft plan to the parent"),
    Action.PLAN__SECTION_SAVED: _("Saved part of the draft plan"),
    Action.PLAN__SERVICES_CONSENT_RECORDED: _(
        "Recorded the parent's answer on consent to start services"
    ),
    Action.PLAN__SECTION_VIEWED: _("Opened part of the draft plan"),
    Action.PLAN__VIEWED: _("Opened the plan"),
    Action.PLAN__SERVICE_ADDED: _("Added a service in the draft plan"),
    Action.PLAN__SERVICE_CHANGED: _("Changed a service in the draft plan"),
    Action.PLAN__SERVICE_REMOVED: _("Removed a service in the draft plan"),
    Action.PLAN__ACCOMMODATION_ADDED: _("Added an accommodation or modification in the draft plan"),
    Action.PLAN__ACCOMMODATION_CHANGED: _(
        "Changed an accommodation or modification in the draft plan"
    ),
    Action.PLAN__ACCOMMODATION_REMOVED: _(
        "Removed an accommodation or modification in the draft plan"
    ),
    Action.PLAN__GOAL_ADDED: _("Added a goal in the draft plan"),
    Action.PLAN__GOAL_CHANGED: _("Changed a goal in the draft plan"),
    Action.PLAN__GOAL_REMOVED: _("Removed a goal in the draft plan"),
    Action.PLANS__EXPORTED: _("Downloaded the list of plans"),
    Action.PLANS__LISTED: _("Opened the list of plans"),
    Action.PORTAL__CHILD_VIEWED: _("Opened the child's page in the family portal"),
    Action.PORTAL__CONSENT_VIEWED: _("Opened a consent form in the family portal"),
    Action.PORTAL__DOCUMENT_OPENED: _("Opened a document in the family portal"),
    Action.PORTAL__FAMILY_VIEWED: _("Opened the family's portal accounts"),
    Action.PORTAL__INVITED: _("Invited a parent to the family portal"),
    Action.RIGHTS__TRANSFERRED: _(
        "Recorded that the student's rights passed to them at the age of majority"
    ),
    Action.PROGRESS__COLLECT_VIEWED: _("Opened the page to record progress data"),
    Action.PROGRESS__DATA_POINT_RECORDED: _("Recorded progress data"),
    Action.PROGRESS__GOAL_VIEWED: _("Opened the progress on a goal"),
    Action.PROGRESS__PHASE_CHANGE_RECORDED: _("Recorded a change in how a goal is taught"),
    Action.PROGRESS_REPORT__BATCH_FINISHED: _("Finished a set of progress reports"),
    Action.PROGRESS_REPORT__BATCH_STARTED: _("Started a set of progress reports"),
    Action.PROGRESS_REPORT__DRAFTED: _("Wrote a draft progress report"),
    Action.PROGRESS_REPORT__EDITED: _("Edited a progress report"),
    Action.PROGRESS_REPORT__ISSUED: _("Sent a progress report to the family"),
    Action.PROGRESS_REPORT__LIST_VIEWED: _("Opened the list of progress reports"),
    Action.PROGRESS_REPORT__PDF: _("Downloaded a progress report"),
    Action.PROGRESS_REPORT__REDRAFTED: _("Wrote a progress report again"),
    Action.PROGRESS_REPORT__VIEWED: _("Opened a progress report"),
    Action.REEVALUATION__REFUSED: _("Recorded that the parent said no to a reevaluation"),
    Action.REEVALUATION__STARTED: _("Started a reevaluation"),
    Action.REEVALUATION__WAIVED: _("Recorded that a reevaluation is not needed"),
    Action.REFERRAL__CASE_REVIEWED: _("Decided what to do about a referral"),
    Action.REFERRAL__CREATED: _("Made a referral"),
    Action.REFERRAL__EVIDENCE_ADDED: _("Added a document to a referral"),
    Action.REVISION__ACKNOWLEDGED: _("Told the parent their request was received"),
    Action.REVISION__AMENDED: _("Changed the plan after a parent's request"),
    Action.REVISION__DECLINED: _("Said no to a parent's request to change the plan"),
    Action.REVISION__EXPORTED: _("Downloaded the list of requests to change the plan"),
    Action.REVISION__LISTED: _("Opened the list of requests to change the plan"),
    Action.REVISION__MEETING_SCHEDULED: _("Scheduled a meeting about a parent's request"),
    Action.REVISION__QUEUE_VIEWED: _("Opened the requests waiting for an answer"),
    Action.REVISION__REQUESTED: _("Asked to change the plan"),
    Action.REVISION__ROUTED: _("Sent a parent's request to the right person"),
    Action.REVISION__UPDATED: _("Updated a request to change the plan"),
    Action.REVISION__VIEWED: _("Opened a request to change the plan"),
    Action.SIGNATURE__DOWNLOADED: _("Downloaded a signed form"),
    Action.SIGNATURE__VIEWED: _("Opened a signed form"),
    Action.SERVICE_MINUTES__VIEWED: _("Opened the service minutes"),
    Action.SERVICE_MINUTES__EXPORTED: _("Downloaded the service minutes of many students"),
    Action.SERVICE_SETTINGS__CHANGED: _("Changed the district's service settings"),
    Action.SERVICE_SESSION__ADDENDUM_ADDED: _("Added a correction to a signed session log"),
    Action.SERVICE_SESSION__LOGGED: _("Logged a service session"),
    Action.SERVICE_ALERT__CLOSED: _("Closed a service alert: the minutes recovered"),
    Action.SERVICE_ALERT__RAISED: _("Told the case manager a service fell short"),
    Action.SERVICE_SESSION__SIGNED: _("Signed a service session log"),
    Action.SERVICE_SESSION__COSIGNED: _("Co-signed an assistant's session log as the supervisor"),
    Action.COSIGNATURE_QUEUE__VIEWED: _(
        "Opened the sessions awaiting the supervisor's co-signature, which list the student"
    ),
    Action.SUPERVISION__RECORDED: _("Recorded the supervision of an assistant"),
    Action.SUPERVISION__VOIDED: _("Set aside a supervision entry recorded in error"),
    Action.SUPERVISION__VIEWED: _("Opened the supervision minutes of assistants"),
    Action.PROVIDER_PROFILE__SAVED: _("Saved a provider's profile"),
    Action.PROVIDER_CONTRACT__ADDED: _("Recorded a provider's contract with the district"),
    Action.PROVIDER_CONTRACT__ENDED: _("Ended a provider's contract with the district"),
    Action.PROVIDER_ASSIGNMENT__ADDED: _("Assigned a provider to serve the student"),
    Action.PROVIDER_ASSIGNMENT__ENDED: _("Ended a provider's assignment to the student"),
    Action.STAFF__ADDED: _("Added a member of staff"),
    Action.STAFF__UPDATED: _("Changed a member of staff's details"),
    Action.STAFF_ROLE__ENDED: _("Ended a member of staff's role"),
    Action.STAFF_ROLE__GRANTED: _("Gave a member of staff a role"),
    Action.STUDENT__ADDED: _("Added the student's record"),
    Action.STUDENT__ENROLLED: _("Enrolled the student at a school"),
    Action.STUDENT__ENROLLMENT_CLOSED: _("Ended the student's enrolment at a school"),
    Action.TELETHERAPY_CONSENT__RECORDED: _("Recorded the parent's answer about teletherapy"),
    Action.TELETHERAPY_DAY__VIEWED: _("Opened a teletherapist's day that lists the student"),
    Action.TRANSLATION__ASSIGNED: _("Gave the plan's translation to a translator or interpreter"),
    Action.TRANSLATION__EDITOR_VIEWED: _("Opened the plan's translation to translate it"),
    Action.TRANSLATION__PUBLISHED: _("Published the plan's translation for the family"),
    Action.TRANSLATION__REQUESTED: _("Asked for the plan to be translated for the family"),
    Action.TRANSLATION__REVIEWED: _("Checked the plan's translation"),
    Action.TRANSLATION__SAVED: _("Saved part of the plan's translation"),
    Action.TRANSLATION__SUBMITTED: _("Sent the plan's translation to be checked"),
    Action.TRANSLATION__VIEWED: _("Opened the plan's translation"),
    Action.TRANSLATIONS__LISTED: _("Opened the list of translations to do"),
    Action.STUDENT__ACCESS_LOG_VIEWED: _("Opened the list of who opened this record"),
    Action.STUDENT__ENROLLMENT_ENDED: _(
        "Ended the student's enrolment because the district's student information system no "
        "longer lists it"
    ),
    Action.STUDENT__IMPORTED: _("Added the student from the district's student information system"),
    Action.RECORDS__VIEWED: _(
        "Opened the list of disclosures and requests to see or amend records"
    ),
    Action.RECORDS_REQUEST__ANSWERED: _("Answered a request to see or amend the records"),
    Action.RECORDS_REQUEST__MADE: _("Recorded a request to see or amend the records"),
    Action.RECORDS_REQUEST__VIEWED: _("Opened a request to see or amend the records"),
    Action.RECORDS_REQUESTS__LISTED: _("Opened the list of requests to see or amend records"),
    Action.ROSTER__CHECKED: _("Checked a roster file from the student information system"),
    Action.ROSTER__IMPORTED: _("Imported a roster from the student information system"),
    Action.RECORDS__IMPORTED: _(
        "Imported the district's earlier special-education and 504 records (Ed-Fi)"
    ),
    Action.RECORDS__EXPORTED: _(
        "Exported the district's special-education and 504 records (Ed-Fi)"
    ),
    Action.RETENTION_SETTINGS__CHANGED: _("Changed the district's records retention schedule"),
    Action.RETENTION_DUE__VIEWED: _(
        "Listed the records due for review under the retention schedule"
    ),
    Action.RETENTION__VIEWED: _("Opened the retention schedule of the student's records"),
    Action.RECORDS_HOLD__PLACED: _("Placed a hold on destroying the records"),
    Action.RECORDS_HOLD__RELEASED: _("Released a hold on destroying the records"),
    Action.DESTRUCTION__PROPOSED: _(
        "Told the parents that records are no longer needed and may be destroyed"
    ),
    Action.DESTRUCTION_NOTICE__VIEWED: _("Opened the notice that records may be destroyed"),
    Action.DESTRUCTION_NOTICE__PRINTED: _(
        "Printed the notice that records may be destroyed, to mail to a parent"
    ),
    Action.DESTRUCTION__ANSWERED: _("Answered the notice that records may be destroyed"),
    Action.RECORDS__DESTROYED: _("Destroyed records no longer needed"),
    Action.ROSTER__PROBLEMS_DOWNLOADED: _("Downloaded the rows a roster import refused"),
    Action.STUDENT__GRADE_CHANGED: _("Changed the student's grade"),
    Action.STUDENT__HISTORY_VIEWED: _("Opened the record's history"),
    Action.STUDENT__SCHOOL_CHANGED: _("Changed the student's school"),
    Action.STUDENT__UPDATED: _("Changed the student's details"),
    Action.STUDENT__VIEWED: _("Opened the student's record"),
    Action.STUDENTS__EXPORTED: _("Downloaded a list of students"),
    Action.STUDENTS__SEARCHED: _("Searched for students, or listed them"),
}


def words(code: str) -> str:
    """The plain words for a stored code; an unknown code reads as a generic access."""
    return str(WORDS.get(code, _("Opened or changed the record")))
