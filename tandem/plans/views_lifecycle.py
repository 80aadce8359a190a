"""The living document after finalizing: annual review, amendment, correction, transitions.

Thin views: the access policy first (404 out of reach, 403 read-only), forms parse, the actions
in `actions.py` and `transitions.py` decide and write; a refusal changes nothing and is shown
next to the fields it names.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.access.policy import Need, can
from tandem.people.models import Student
from tandem.plans import actions, transitions
from tandem.plans.forms_lifecycle import (
    AccommodationForm,
    AccommodationFormSet,
    AmendForm,
    AnnualReviewForm,
    CorrectDatesForm,
    CorrectionForm,
    CorrectSectionForm,
    ExitForm,
    GoalForm,
    GoalFormSet,
    SchoolChangeForm,
    ServiceForm,
    ServiceFormSet,
    To504Form,
    add_errors,
    changed_sections,
    part_label,
    section_keys_for,
)
from tandem.plans.gate import access_plan
from tandem.plans.models import (
    EDITABLE_STATUSES,
    Accommodation,
    Goal,
    Plan,
    PlanKind,
    PlanStatus,
    SectionKey,
    Service,
)
from tandem.plans.queries import describe_service


def _writable(request: HttpRequest, plan_id: str, page: str) -> tuple[Plan, Student]:
    """The plan if the user may change its student's record: 404 out of reach, 403 read-only."""
    plan, student = access_plan(
        request.user,  # type: ignore[arg-type]
        plan_id,
        detail={"page": page},
    )
    if not can(request.user, Need.WRITE, student):  # type: ignore[arg-type]
        raise PermissionDenied
    return plan, student


def _refuse(request: HttpRequest, plan: Plan, message: str) -> HttpResponse:
    messages.error(request, message)
    return redirect("plan_detail", plan_id=plan.public_id)


def draft_url(draft: Plan) -> str:
    """EDITOR's editing home for the draft when it exists; the plan page otherwise."""
    try:
        return reverse("plan_edit", kwargs={"plan_id": draft.public_id})
    except NoReverseMatch:
        return reverse("plan_detail", kwargs={"plan_id": draft.public_id})


def _today() -> Any:
    return timezone.localdate()


def _sections(plan: Plan) -> dict[str, Any]:
    return {s.key: s.content for s in plan.sections.all()}


def _summary(form: Any, rest: list[str] = ()) -> list[dict[str, str]]:  # type: ignore[assignment]
    """The error summary: each message with the label of its field and a link to it."""
    out: list[dict[str, str]] = []
    if form is not None:
        for name, errors in form.errors.items():
            if name == "__all__":
                out += [{"anchor": "", "label": "", "message": str(e)} for e in errors]
                continue
            field = form[name]
            out += [
                {"anchor": field.auto_id, "label": str(field.label), "message": str(e)}
                for e in errors
            ]
    out += [{"anchor": "", "label": "", "message": str(m)} for m in rest]
    return out


# --- annual review ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_annual_review(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan, student = _writable(request, plan_id, "annual_review")
    if plan.status != PlanStatus.ACTIVE:
        return _refuse(request, plan, _("An annual review starts from the active plan."))
    form = AnnualReviewForm(request.POST if request.method == "POST" else None)
    rest: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            draft = actions.start_annual_review(
                actor=request.user,  # type: ignore[arg-type]
                plan=plan,
                today=_today(),
                meeting_date=form.cleaned_data["meeting_date"],
            )
        except ValidationError as error:
            rest = add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The annual review draft is ready, filled in from the plan in effect: "
                    "change only what is different this year."
                ),
            )
            return redirect(draft_url(draft))
    draft = (
        Plan.objects.filter(student=student, kind=plan.kind, status__in=EDITABLE_STATUSES)
        .only("public_id")
        .first()
    )
    context = {
        "plan": plan,
        "student": student,
        "form": form,
        "summary": _summary(form, rest) if request.method == "POST" else [],
        "existing_draft": draft,
        "existing_draft_url": draft_url(draft) if draft else "",
        "counts": {
            "sections": plan.sections.count(),
            "services": plan.services.count(),
            "accommodations": plan.accommodations.count(),
            "goals": plan.goals.count(),
        },
    }
    return render(request, "plans/lifecycle/annual_review.html", context)


# --- amendment --------------------------------------------------------------------------------


def _item_rows(formset: Any, describe: Any) -> list[dict[str, Any]]:
    rows = []
    for form in formset.forms:
        instance = form.instance
        existing = instance.pk is not None
        rows.append(
            {
                "form": form,
                "existing": existing,
                "title": describe(instance) if existing else "",
                "anchor": f"{formset.prefix}-{form.prefix}",
                "open": bool(form.errors) or (not existing and form.has_changed()),
            }
        )
    return rows


def _describe_service(s: Service) -> str:
    return describe_service(
        {
            f: getattr(s, f)
            for f in (
                "name",
                "minutes",
                "times",
                "per",
                "group_size",
                "delivery_mode",
                "start_date",
                "end_date",
            )
        }
    )


def _describe_text(item: Any) -> str:
    text = getattr(item, "text", "")
    return text if len(text) <= 90 else text[:89] + "…"


def _describe_goal(g: Goal) -> str:
    return f"{g.area}: {_describe_text(g)}"


def _collect(formset: Any) -> tuple[list[dict[str, Any]], dict[Any, dict[str, Any]], list[Any]]:
    adds: list[dict[str, Any]] = []
    updates: dict[Any, dict[str, Any]] = {}
    removes: list[Any] = []
    for form in formset.forms:
        instance = form.instance
        if instance.pk is None:
            if form.has_changed() and not form.cleaned_data.get("DELETE"):
                adds.append(form.item_data())
            continue
        if form.cleaned_data.get("DELETE"):
            removes.append(instance.public_id)
            continue
        changed = form.changed_item_data()
        if changed:
            updates[instance.public_id] = changed
    return adds, updates, removes


def _place_problems(
    problems: list[actions.Problem], formsets: dict[str, Any], form: AmendForm
) -> list[dict[str, str]]:
    """Each pre-finalize problem on its row or section field; the rest for the summary."""
    out: list[dict[str, str]] = []
    by_id: dict[str, tuple[Any, str]] = {}
    for kind, formset in formsets.items():
        for row in formset.forms:
            if row.instance.pk is not None:
                by_id[f"{kind}:{row.instance.public_id}"] = (row, f"{formset.prefix}-{row.prefix}")
    for problem in problems:
        if problem.field in by_id:
            row, anchor = by_id[problem.field]
            row.add_error(None, problem.message)
            out.append({"anchor": anchor, "label": "", "message": problem.message})
        elif problem.field.startswith("section:"):
            key = problem.field.split(":", 1)[1]
            name = next((n for n in form.fields if n.startswith(f"section__{key}__")), None)
            if name:
                form.add_error(name, problem.message)
                out.append(
                    {
                        "anchor": form[name].auto_id,
                        "label": part_label(key, "text"),
                        "message": problem.message,
                    }
                )
            else:
                out.append({"anchor": "", "label": "", "message": problem.message})
        else:
            out.append({"anchor": "", "label": "", "message": problem.message})
    return out


@login_required
@require_http_methods(["GET", "POST"])
def plan_amend(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan, student = _writable(request, plan_id, "amend")
    if plan.status != PlanStatus.ACTIVE:
        return _refuse(request, plan, _("Only an active plan can be amended."))
    sections = _sections(plan)
    keys = section_keys_for(plan.kind, sections)
    data = request.POST if request.method == "POST" else None
    form = AmendForm(data, sections=sections, keys=keys)
    formsets = {
        "service": ServiceFormSet(
            data,
            prefix="services",
            queryset=Service.objects.filter(plan=plan).order_by("category", "name", "id"),
        ),
        "accommodation": AccommodationFormSet(
            data,
            prefix="accommodations",
            queryset=Accommodation.objects.filter(plan=plan).order_by("kind", "category", "id"),
        ),
        "goal": GoalFormSet(
            data, prefix="goals", queryset=Goal.objects.filter(plan=plan).order_by("id")
        ),
    }
    summary: list[dict[str, str]] = []
    if request.method == "POST":
        valid = form.is_valid()
        valid = all([fs.is_valid() for fs in formsets.values()]) and valid
        if valid:
            s_adds, s_updates, s_removes = _collect(formsets["service"])
            a_adds, a_updates, a_removes = _collect(formsets["accommodation"])
            g_adds, g_updates, g_removes = _collect(formsets["goal"])
            changes = actions.Changes(
                sections=changed_sections(form, sections),
                add_services=s_adds,
                update_services=s_updates,
                remove_services=s_removes,
                add_accommodations=a_adds,
                update_accommodations=a_updates,
                remove_accommodations=a_removes,
                add_goals=g_adds,
                update_goals=g_updates,
                remove_goals=g_removes,
            )
            nothing = not any(
                [changes.sections, s_adds, s_updates, s_removes, a_adds, a_updates, a_removes]
                + [g_adds, g_updates, g_removes]
            )
            if nothing:
                form.add_error(None, _("Nothing was changed: edit the plan before saving."))
            else:
                try:
                    version = actions.amend_plan(
                        actor=request.user,  # type: ignore[arg-type]
                        plan=plan,
                        changes=changes,
                        with_meeting=form.cleaned_data["with_meeting"] == "yes",
                        parent_agreement_date=form.cleaned_data["parent_agreement_date"],
                        today=_today(),
                        reason=form.cleaned_data["reason"].strip(),
                    )
                except actions.PlanNotReady as error:
                    summary = _place_problems(error.problems, formsets, form)
                except ValidationError as error:
                    for message in add_errors(form, error):
                        form.add_error(None, message)
                else:
                    messages.success(
                        request,
                        _(
                            "The plan was amended: version %(number)s. The annual review date did not change."
                        )
                        % {"number": version.number},
                    )
                    return redirect("plan_detail", plan_id=plan.public_id)
        summary = _summary(form) + summary
        for formset in formsets.values():
            for row in formset.forms:
                if row.errors:
                    for name, errors in row.errors.items():
                        label = str(row[name].label) if name != "__all__" else ""
                        anchor = (
                            row[name].auto_id
                            if name != "__all__"
                            else f"{formset.prefix}-{row.prefix}"
                        )
                        summary += [
                            {"anchor": anchor, "label": label, "message": str(e)} for e in errors
                        ]
            summary += [
                {"anchor": "", "label": "", "message": str(e)} for e in formset.non_form_errors()
            ]
        # de-duplicate while keeping order
        seen: set[tuple[str, str]] = set()
        summary = [
            s
            for s in summary
            if not ((s["anchor"], s["message"]) in seen or seen.add((s["anchor"], s["message"])))
        ]
    context = {
        "plan": plan,
        "student": student,
        "form": form,
        "section_fields": [form[name] for name in form.fields if name.startswith("section__")],
        "services": formsets["service"],
        "service_rows": _item_rows(formsets["service"], _describe_service),
        "accommodations": formsets["accommodation"],
        "accommodation_rows": _item_rows(formsets["accommodation"], _describe_text),
        "goals": formsets["goal"],
        "goal_rows": _item_rows(formsets["goal"], _describe_goal),
        "summary": summary,
        "is_iep": plan.kind == PlanKind.IEP,
    }
    return render(request, "plans/lifecycle/amend.html", context)


# --- correction -------------------------------------------------------------------------------


def _targets(plan: Plan) -> list[dict[str, str]]:
    sections = {s.key: s for s in plan.sections.all()}
    out = [{"value": "dates", "label": _("Plan dates (meeting, effective from and to)")}]
    for key in SectionKey.values:
        if key in sections:
            out.append(
                {
                    "value": f"section:{key}",
                    "label": _("Section: %(name)s") % {"name": SectionKey(key).label},
                }
            )
    for s in plan.services.order_by("category", "name", "id"):
        out.append(
            {"value": f"service:{s.public_id}", "label": _("Service: %(name)s") % {"name": s.name}}
        )
    for a in plan.accommodations.order_by("kind", "category", "id"):
        label = (
            _("Modification: %(text)s")
            if a.kind == "modification"
            else _("Accommodation: %(text)s")
        )
        out.append(
            {"value": f"accommodation:{a.public_id}", "label": label % {"text": _describe_text(a)}}
        )
    for g in plan.goals.order_by("id"):
        out.append(
            {
                "value": f"goal:{g.public_id}",
                "label": _("Goal: %(text)s") % {"text": _describe_goal(g)},
            }
        )
    return out


def _target_form(plan: Plan, target: str, data: Any) -> tuple[Any, Any]:
    """The form for the thing being corrected and the item (or None)."""
    if target == "dates":
        initial = {
            "meeting_date": plan.meeting_date,
            "effective_from": plan.effective_from,
            "effective_to": plan.effective_to,
        }
        return CorrectDatesForm(data, initial=initial, prefix="fix"), None
    kind, _sep, ident = target.partition(":")
    if kind == "section" and ident in SectionKey.values:
        if not plan.sections.filter(key=ident).exists():
            raise Http404
        return CorrectSectionForm(data, sections=_sections(plan), key=ident, prefix="fix"), None
    models = {
        "service": (Service, ServiceForm),
        "accommodation": (Accommodation, AccommodationForm),
        "goal": (Goal, GoalForm),
    }
    if kind in models:
        model, form_class = models[kind]
        try:
            item = model.objects.filter(plan=plan, public_id=ident).first()
        except ValidationError:
            item = None
        if item is None:
            raise Http404
        return form_class(data, instance=item, prefix="fix"), item
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def plan_correct(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan, student = _writable(request, plan_id, "correct")
    if plan.status != PlanStatus.ACTIVE:
        return _refuse(request, plan, _("Only an active plan can be corrected."))
    target = (
        request.POST.get("target") if request.method == "POST" else request.GET.get("target")
    ) or ""
    context: dict[str, Any] = {
        "plan": plan,
        "student": student,
        "targets": _targets(plan),
        "target": target,
    }
    if not target:
        return render(request, "plans/lifecycle/correct.html", context)
    data = request.POST if request.method == "POST" else None
    fix, item = _target_form(plan, target, data)
    reason = CorrectionForm(data, prefix="why")
    summary: list[dict[str, str]] = []
    if request.method == "POST":
        if fix.is_valid() and reason.is_valid():
            changes = _correction_changes(plan, target, fix, item)
            if changes is None:
                fix.add_error(None, _("Nothing was changed: edit the text or date that is wrong."))
            else:
                try:
                    version = actions.correct_plan(
                        actor=request.user,  # type: ignore[arg-type]
                        plan=plan,
                        reason=reason.cleaned_data["reason"],
                        changes=changes,
                        today=_today(),
                    )
                except actions.PlanNotReady as error:
                    for problem in error.problems:
                        fix.add_error(None, problem.message)
                except ValidationError as error:
                    for message in add_errors(fix, error):
                        fix.add_error(None, message)
                else:
                    messages.success(
                        request,
                        _("Corrected: version %(number)s records the correction and its reason.")
                        % {"number": version.number},
                    )
                    return redirect("plan_detail", plan_id=plan.public_id)
        summary = _summary(fix) + _summary(reason)
    label = next((t["label"] for t in context["targets"] if t["value"] == target), "")
    context.update({"fix": fix, "reason_form": reason, "summary": summary, "target_label": label})
    return render(request, "plans/lifecycle/correct.html", context)


def _correction_changes(plan: Plan, target: str, fix: Any, item: Any) -> actions.Changes | None:
    if target == "dates":
        fields = {n: fix.cleaned_data[n] for n in fix.changed_data}
        return actions.Changes(plan_fields=fields) if fields else None
    if target.startswith("section:"):
        sections = changed_sections(fix, _sections(plan))
        return actions.Changes(sections=sections) if sections else None
    data = fix.changed_item_data()
    if not data:
        return None
    if isinstance(item, Service):
        return actions.Changes(update_services={item.public_id: data})
    if isinstance(item, Accommodation):
        return actions.Changes(update_accommodations={item.public_id: data})
    return actions.Changes(update_goals={item.public_id: data})


# --- transitions ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_exit(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan, student = _writable(request, plan_id, "exit")
    if plan.status != PlanStatus.ACTIVE:
        return _refuse(request, plan, _("Only an active plan can be ended with an exit."))
    form = ExitForm(
        request.POST if request.method == "POST" else None, initial={"exit_date": _today()}
    )
    rest: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            transitions.exit_plan(
                actor=request.user,  # type: ignore[arg-type]
                plan=plan,
                reason=form.cleaned_data["reason"],
                exit_date=form.cleaned_data["exit_date"],
                today=_today(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            rest = add_errors(form, error)
        else:
            messages.success(
                request, _("The plan has ended; the exit is recorded for federal reporting.")
            )
            return redirect("plan_detail", plan_id=plan.public_id)
    context = {
        "plan": plan,
        "student": student,
        "form": form,
        "summary": _summary(form, rest) if request.method == "POST" else [],
    }
    return render(request, "plans/lifecycle/exit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_transition(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan, student = _writable(request, plan_id, "transition")
    if plan.status not in transitions.LIVE_STATUSES:
        return _refuse(request, plan, _("This plan has ended; the change was not recorded."))
    step = request.POST.get("step") if request.method == "POST" else None
    can_504 = plan.kind == PlanKind.IEP and plan.status == PlanStatus.ACTIVE
    move = SchoolChangeForm(
        request.POST if step == "move" else None,
        district=student.district_id,
        initial={"school": student.school_id, "grade": student.grade, "on_date": _today()},
    )
    to504 = To504Form(request.POST if step == "to504" else None, initial={"exit_date": _today()})
    summary: list[dict[str, str]] = []
    if step == "move" and move.is_valid():
        try:
            transitions.change_school(
                actor=request.user,  # type: ignore[arg-type]
                plan=plan,
                school=move.cleaned_data["school"],
                grade=move.cleaned_data["grade"],
                on_date=move.cleaned_data["on_date"],
                today=_today(),
                note=move.cleaned_data["note"],
            )
        except ValidationError as error:
            summary = _summary(move, add_errors(move, error))
        else:
            messages.success(request, _("The change is recorded; the plan follows the student."))
            return redirect("plan_detail", plan_id=plan.public_id)
    elif step == "to504" and can_504 and to504.is_valid():
        try:
            draft = transitions.move_iep_to_504(
                actor=request.user,  # type: ignore[arg-type]
                plan=plan,
                exit_date=to504.cleaned_data["exit_date"],
                today=_today(),
                note=to504.cleaned_data["note"],
            )
        except ValidationError as error:
            summary = _summary(to504, add_errors(to504, error))
        else:
            messages.success(
                request,
                _("The IEP has ended and a 504 Plan draft was started with its accommodations."),
            )
            return redirect(draft_url(draft))
    elif step == "to504" and not can_504:
        raise Http404
    if step and not summary:
        summary = _summary(move if step == "move" else to504)
    context = {
        "plan": plan,
        "student": student,
        "move": move,
        "to504": to504 if can_504 else None,
        "step": step,
        "summary": summary,
    }
    return render(request, "plans/lifecycle/transition.html", context)
