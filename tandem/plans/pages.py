"""What the plan pages show, built from plain values: the views only fetch, act and render.

Every builder takes the plan (already through its gatekeeper) and the `Access` decision on its
student, and hands the decision to the template as `access`: templates read
`access.can.write_plan` and never ask the policy themselves.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.access.capabilities import Cap
from tandem.access.policy import Access
from tandem.plans import acknowledgements, queries
from tandem.plans.compare import compare_versions
from tandem.plans.models import (
    EDITABLE_STATUSES,
    Plan,
    PlanEventKind,
    PlanKind,
    PlanStatus,
    PlanVersion,
)
from tandem.plans.transitions import LIVE_STATUSES, history_of


def base(plan: Plan, access: Access, **more: Any) -> dict[str, Any]:
    """What every plan page has: the plan, its student and the decision on the student."""
    return {"plan": plan, "student": plan.student, "access": access, **more}


def document(
    plan: Plan, version: PlanVersion | None, *, snapshot: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What the page and the PDF show: a frozen version, or the plan's current content.

    `snapshot`, when given, is the current content already read (the worker renders exactly
    the draft content its PDF is named by).
    """
    if version is not None:
        snapshot, draft = version.snapshot, False
    else:
        if snapshot is None:
            snapshot = queries.current_snapshot(plan)
        draft = queries.is_live_draft(plan)
        version = None if draft else plan.current_version
    discarded = version is None and plan.status == PlanStatus.DISCARDED
    return {
        "doc": queries.readable(snapshot),
        "version": version,
        "is_draft": draft and not discarded,
        "is_discarded": discarded,
    }


def version_or_404(plan: Plan, number: int) -> PlanVersion:
    version = queries.version_of(plan, number)
    if version is None:
        raise Http404
    return version


def lifecycle(plan: Plan, access: Access) -> dict[str, Any]:
    """The plan page's buttons to change the plan (for writers) and the plan's history."""
    may_write = access.has(Cap.WRITE_PLAN)
    active = plan.status == PlanStatus.ACTIVE
    open_draft = None
    if may_write and active:
        open_draft = (
            Plan.objects.filter(
                student_id=plan.student_id, kind=plan.kind, status__in=EDITABLE_STATUSES
            )
            .only("public_id")
            .first()
        )
    events = history_of(plan)
    ended = (PlanEventKind.EXITED, PlanEventKind.CONVERTED_TO_504)
    return {
        "may_write": may_write,
        "active": active,
        "open_draft": open_draft,
        "can_review": may_write and active and open_draft is None,
        "can_move": may_write and plan.status in LIVE_STATUSES,
        "is_iep": plan.kind == PlanKind.IEP,
        "events": events,
        "show_exit": bool(plan.exit_reason) and not any(e.kind in ended for e in events),
    }


def detail(plan: Plan, access: Access, *, today: date) -> dict[str, Any]:
    return base(
        plan,
        access,
        **document(plan, None),
        lifecycle=lifecycle(plan, access),
        reading=acknowledgements.page_context(plan, access, today=today),
    )


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label=gettext_lazy("From version"), coerce=int)
    b = forms.TypedChoiceField(label=gettext_lazy("To version"), coerce=int)

    def __init__(self, *args: Any, versions: list[PlanVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (
                str(v.number),
                _("Version %(number)s (%(kind)s, %(day)s)")
                % {"number": v.number, "kind": v.get_kind_display(), "day": v.created_at.date()},
            )
            for v in versions
        ]
        for name in ("a", "b"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["invalid_choice"] = _("Choose a version of this plan.")
            self.fields[name].error_messages["required"] = _("Choose a version of this plan.")


def comparison(plan: Plan, access: Access, asked: Any) -> dict[str, Any]:
    """Two versions side by side: those asked for (?a=&b=), else the last two."""
    versions = list(queries.versions_of(plan))
    data = asked if ("a" in asked or "b" in asked) else None
    if data is None and len(versions) >= 2:
        data = {"a": str(versions[-2].number), "b": str(versions[-1].number)}
    form = CompareForm(data, versions=versions)
    differences = older = newer = None
    if data is not None and form.is_valid():
        by_number = {v.number: v for v in versions}
        older, newer = by_number[form.cleaned_data["a"]], by_number[form.cleaned_data["b"]]
        differences = compare_versions(older, newer)
    return base(
        plan,
        access,
        versions=versions,
        form=form,
        differences=differences,
        older=older,
        newer=newer,
    )


def pdf_footer() -> str:
    """The page counter of the PDF's footer, in the active language (CSS `content`)."""
    return _("Page %(page)s of %(pages)s") % {
        "page": '" counter(page) "',
        "pages": '" counter(pages) "',
    }
