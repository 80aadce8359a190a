"""Each person's home page: what their relationships give them, one section per role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from tandem.access.policy import standing
from tandem.people import queries
from tandem.people.models import Role
from tandem.referrals.queries import deadline_status, next_deadline_by_student


@login_required
def home(request):  # type: ignore[no-untyped-def]
    user = request.user
    today = timezone.localdate()
    s = standing(user, today=today)
    if s.guardian_id is not None and not s.is_staff_member:
        # A parent's home is the family portal: their children, in plain words.
        from tandem.portal.views import portal_home

        return portal_home(request)
    context: dict[str, object] = {"today": today}
    if s.admin_district_ids or s.admin_school_ids:
        context["schools"] = list(queries.school_counts_for(user, today=today))
    if Role.CASE_MANAGER in s.roles:
        caseload = list(queries.caseload_for(user, today=today))
        due = next_deadline_by_student(caseload, today=today)
        for student in caseload:
            student.next_deadline = due.get(student.pk)
            student.next_deadline_status = (
                deadline_status(student.next_deadline, today) if student.next_deadline else None
            )
        context["caseload"] = caseload
    if Role.TEACHER in s.roles:
        context["sections"] = queries.roster_sections_for(user, today=today)
    if Role.PROVIDER in s.roles:
        context["assignments"] = list(queries.provider_caseload_for(user, today=today))
    if s.roles & {Role.EVALUATOR, Role.COORDINATOR_504} or (s.is_staff_member and not s.roles):
        context["team"] = list(queries.team_students_for(user, today=today))
    if s.guardian_id is not None:
        context["children"] = list(queries.children_of(user, today=today))
    context["nothing"] = not any(
        k in context for k in ("schools", "caseload", "sections", "assignments", "team", "children")
    )
    return render(request, "home.html", context)
