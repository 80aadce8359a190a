"""Values every page's shell needs: the navigation for the signed-in user's standing."""

from __future__ import annotations

from django.conf import settings

from tandem.access.policy import standing
from tandem.compliance.queries import may_track_deadlines
from tandem.people.models import Role

IDLE_WARNING_SECONDS = 120


def shell(request):  # type: ignore[no-untyped-def]
    user = getattr(request, "user", None)
    nav = {"students": False, "audit": False, "deadlines": False}
    if user is not None and user.is_authenticated:
        s = standing(user)
        nav["students"] = s.is_staff_member
        nav["audit"] = bool(s.admin_district_ids)
        nav["deadlines"] = may_track_deadlines(user)
        nav["is_guardian"] = s.guardian_id is not None
        nav["roles"] = sorted(Role(r).label for r in s.roles)
        # The home page's "Your tools" links: each page still checks access itself.
        nav["district_admin"] = bool(s.admin_district_ids)
        nav["provider"] = Role.PROVIDER in s.roles
        nav["coordinator"] = bool(s.admin_district_ids) or Role.COORDINATOR_504 in s.roles
        # Leaders keep the district's list of who may open records (300.623(d)).
        nav["leader"] = bool(s.admin_district_ids or s.admin_school_ids)
        # Requests to revise a plan are answered by case managers, 504 coordinators and leaders.
        answers = {Role.CASE_MANAGER, Role.COORDINATOR_504}
        nav["revisions"] = nav["leader"] or bool(answers & set(s.roles))
    # The idle warning (idle.js) shows this many seconds before the time-out signs the person out.
    idle = {
        "seconds": settings.SESSION_IDLE_MINUTES * 60,
        "warn": IDLE_WARNING_SECONDS,
        "warn_minutes": IDLE_WARNING_SECONDS // 60,
    }
    return {"nav": nav, "LANGUAGES": settings.LANGUAGES, "idle": idle}
