"""Writing a draft IEP or 504 Plan: thin views over `actions_drafts.py` (and
`actions_versions.py` to finalize).

Every page reaches the plan through its gatekeeper with `Cap.WRITE_PLAN` (404 out of reach, 403
without the capability) and is audited; every write goes through an action. Sections save as
the team types (htmx posts the section's revision; a stale revision is a conflict shown side by
side, never an overwrite), and the same forms work without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import access_plan
from tandem.access.policy import Access, student_access
from tandem.access.routes import writes
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.core.forms import put_errors
from tandem.core.handling import run_action
from tandem.plans import actions_common, actions_drafts, actions_versions, readiness
from tandem.plans import forms_editor as f
from tandem.plans import pages_editor as pages
from tandem.plans.models import Accommodation, Plan, PlanSection, Service


def _draft(
    request: HttpRequest,
    plan_id: UUID,
    *,
    action: str | None = Action.PLAN__EDITOR_VIEWED,
    **detail: Any,
) -> tuple[Plan, Access]:
    return access_plan(  # type: ignore[no-any-return]
        request.user,  # type: ignore[arg-type]
        plan_id,
        need=Cap.WRITE_PLAN,
        action=action,
        detail={k: str(v) for k, v in detail.items()} or None,
    )


def _not_a_draft(request: HttpRequest, plan: Plan) -> HttpResponse | None:
    if plan.is_editable:
        return None
    messages.error(request, _("This plan is no longer a draft; amend or correct it instead."))
    return redirect("plan_detail", plan_id=plan.public_id)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _edit_url(plan: Plan, anchor: str = "") -> str:
    return reverse("plan_edit", args=[plan.public_id]) + anchor


# --- starting a draft -------------------------------------------------------------------------


@writes(Cap.WRITE_PLAN)
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest, student_id: UUID) -> HttpResponse:
    access = student_access(
        request.user,  # type: ignore[arg-type]
        student_id,
        need=Cap.WRITE_PLAN,
        action=Action.PLAN__NEW_VIEWED,
    )
    student = access.student
    asked = request.GET.get("kind")
    form = f.NewPlanForm(_posted(request), initial=pages.new_plan_initial(student, asked))
    start = lambda data: actions_drafts.create_draft(  # noqa: E731
        actor=request.user, student=student, today=clock.today(), **data
    )
    if done := run_action(
        request, form, start, message=_("The draft was started."), then=_edit_url
    ):
        return done
    context = pages.new_plan(student, access, form)
    return render(request, "plans/editor/new.html", context, status=400 if form.errors else 200)


# --- the draft's home ---------------------------------------------------------------------------


@writes(Cap.WRITE_PLAN)
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan, access = _draft(request, plan_id)
    if (response := _not_a_draft(request, plan)) is not None:
        return response
    dates = f.DatesForm(
        _posted(request),
        initial={"meeting_date": plan.meeting_date, "effective_to": plan.effective_to},
    )
    save = lambda data: actions_drafts.update_draft_dates(actor=request.user, plan=plan, **data)  # noqa: E731
    if done := run_action(
        request, dates, save, message=_("The dates were saved."), then=_edit_url(plan)
    ):
        return done
    status = 400 if dates.errors else 200
    return render(request, "plans/editor/edit.html", pages.home(plan, access, dates), status=status)


@writes(Cap.WRITE_PLAN)
@require_POST
def plan_services_consent(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    """Record the parent's answer to consent to the initial provision of services."""
    plan, access = _draft(request, plan_id, action=None)
    if (response := _not_a_draft(request, plan)) is not None:
        return response
    form = f.ServicesConsentForm(request.POST)
    record = lambda data: actions_drafts.record_services_consent(  # noqa: E731
        actor=request.user, plan=plan, today=clock.today(), **data
    )
    message = _("The parent's answer on consent to services was recorded.")
    if done := run_action(request, form, record, message=message, then=_edit_url(plan, "#consent")):
        return done
    dates = f.DatesForm(
        initial={"meeting_date": plan.meeting_date, "effective_to": plan.effective_to}
    )
    context = pages.home(plan, access, dates, consent_form=form)
    return render(request, "plans/editor/edit.html", context, status=400)


def _finalized_not_discarded(request: HttpRequest, plan: Any) -> HttpResponse:
    messages.error(
        request,
        _(
            "Only a draft can be discarded. This plan was finalized: it is a legal record, "
            "so amend it, correct it or end it instead."
        ),
    )
    return redirect("plan_detail", plan_id=plan.public_id)


@writes(Cap.WRITE_PLAN)
@require_http_methods(["GET", "POST"])
def plan_discard(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    """Confirm, with a reason, that a draft is discarded; a finalized plan is refused."""
    plan, access = _draft(request, plan_id, action=None)
    if not plan.is_editable:
        return _finalized_not_discarded(request, plan)
    form = f.DiscardForm(_posted(request))
    discard = lambda data: actions_drafts.discard_draft(  # noqa: E731
        plan=plan, actor=request.user, reason=data["reason"], today=clock.today()
    )
    if done := run_action(
        request,
        form,
        discard,
        message=_("The draft was discarded. It stays in the record; you can start a new one."),
        then=reverse("student", args=[plan.student.public_id]),
    ):
        return done
    status = 400 if form.errors else 200
    context = pages.base(plan, access, form=form)
    return render(request, "plans/editor/discard.html", context, status=status)


# --- sections ---------------------------------------------------------------------------------


def _section_key(plan: Plan, key: str) -> str:
    if key not in f.sections_for(plan.kind):
        raise Http404
    return key


def _section_url(plan: Plan, key: str, query: str) -> str:
    return reverse("plan_section_edit", args=[plan.public_id, key]) + query


def _section_refused(
    request: HttpRequest, plan: Plan, access: Access, key: str, form: Any
) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "plans/editor/_save_status.html", {"form": form, "saved": False})
    context = pages.section(plan, access, key, request.user.pk, form=form)
    return render(request, "plans/editor/section.html", context, status=400)


def _section_conflict(
    request: HttpRequest, plan: Plan, access: Access, key: str, form: Any, conflict: Any
) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        context = {"plan": plan, "key": key, "conflict": conflict}
        response = render(request, "plans/editor/_conflict.html", context)
        response["HX-Retarget"] = "#conflict-region"
        response["HX-Reswap"] = "innerHTML"
        return response
    context = pages.section(plan, access, key, request.user.pk, form=form, conflict=conflict)
    return render(request, "plans/editor/section.html", context, status=409)


def _section_saved(request: HttpRequest, plan: Plan, key: str, saved: PlanSection) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "plans/editor/_save_status.html", {"section": saved, "saved": True})
    when = timezone.localtime(saved.updated_at).strftime("%H:%M")
    messages.success(request, _("Saved at %(time)s.") % {"time": when})
    return redirect(_section_url(plan, key, "?saved=1"))


def _save_section(
    request: HttpRequest, plan: Plan, access: Access, key: str, form: Any, content: Any, seen: int
) -> HttpResponse:
    """`content` saved over revision `seen`: saved, refused, or someone else's newer save shown.

    Not `run_action`: a stale revision is neither a field error nor a success.
    """
    try:
        saved = actions_drafts.save_section(
            actor=request.user,  # type: ignore[arg-type]
            plan=plan,
            key=key,
            content=content,
            expected_revision=seen,
        )
    except actions_common.StaleEdit as stale:
        conflict = pages.conflict(key, content, stale)
        return _section_conflict(request, plan, access, key, form, conflict)
    except ValidationError as error:
        put_errors(form, error)
        return _section_refused(request, plan, access, key, form)
    return _section_saved(request, plan, key, saved)


def _number(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _resolve(request: HttpRequest, plan: Plan, access: Access, key: str) -> HttpResponse:
    """The conflict form's answer: keep theirs (nothing saved), or save the choices made."""
    if request.POST.get("all") == "theirs":
        messages.success(request, _("You kept their version; nothing of yours was saved."))
        return redirect(_section_url(plan, key, "?discard=1"))
    content = f.resolved_content(key, request.POST)
    form = f.SectionForm(key=key, content=content, initial={**content})
    form.cleaned_data = {}  # unbound, yet it carries the writer's refusal (too long, NUL)
    seen = _number(request.POST.get("revision"), -1)
    return _save_section(request, plan, access, key, form, content, seen)


@writes(Cap.WRITE_PLAN)
@require_http_methods(["GET", "POST"])
def plan_section_edit(request: HttpRequest, plan_id: UUID, key: str) -> HttpResponse:
    reading = request.method == "GET"
    viewed = Action.PLAN__SECTION_VIEWED if reading else None
    plan, access = _draft(request, plan_id, action=viewed, section=key)
    key = _section_key(plan, key)
    if (response := _not_a_draft(request, plan)) is not None:
        return response
    if reading:
        context = pages.section(plan, access, key, request.user.pk)
        return render(request, "plans/editor/section.html", context)
    if "resolve" in request.POST:
        return _resolve(request, plan, access, key)
    posted = {name: request.POST.getlist(name) for name in request.POST}
    form = f.SectionForm(request.POST, key=key, content=posted)
    if not form.is_valid():
        return _section_refused(request, plan, access, key, form)
    seen = form.cleaned_data["revision"]
    return _save_section(request, plan, access, key, form, form.content(), seen)


@require_GET
def plan_section_status(request: HttpRequest, plan_id: UUID, key: str) -> HttpResponse:
    """Polled while a section is open: has someone saved it since the revision on the page?"""
    plan, _access = _draft(request, plan_id, action=None)
    key = _section_key(plan, key)
    seen = _number(request.GET.get("revision"), 0)
    context = pages.newer_section(plan, key, seen, request.user.pk)
    return render(request, "plans/editor/_poll.html", context)


# --- services and accommodations ----------------------------------------------------------------


def _item(model: Any, plan: Plan, item_id: UUID | None) -> Any:
    if item_id is None:
        return None
    item = model.objects.filter(plan=plan, public_id=item_id).first()
    if item is None:
        raise Http404
    return item


def _stale_items_message() -> str:
    return _(
        "Someone else changed this draft's services, accommodations or goals while you were "
        "editing; nothing was saved. Your entries are still below: check the draft, then save again."
    )


_WRITES: dict[type[Model], tuple[Callable[..., Any], Callable[..., Any], str]] = {
    Service: (actions_drafts.add_service, actions_drafts.update_service, "service"),
    Accommodation: (
        actions_drafts.add_accommodation,
        actions_drafts.update_accommodation,
        "accommodation",
    ),
}


def _write_item(model: type[Model], request: HttpRequest, plan: Plan, item: Any) -> Any:
    """The action that adds (or changes) the item; a change by someone else meanwhile refuses."""
    add, change, name = _WRITES[model]

    def write(data: dict[str, Any]) -> Any:
        fields = {k: v for k, v in data.items() if k != "lock_version"}
        expected = data.get("lock_version")
        try:
            if item is None:
                return add(
                    actor=request.user, plan=plan, data=fields, expected_lock_version=expected
                )
            return change(
                actor=request.user, **{name: item}, data=fields, expected_lock_version=expected
            )
        except actions_common.StaleEdit:
            raise ValidationError(_stale_items_message()) from None

    return write


def _service_page(request: HttpRequest, plan_id: UUID, item_id: UUID | None) -> HttpResponse:
    plan, access = _draft(request, plan_id, **({"service": item_id} if item_id else {}))
    if (response := _not_a_draft(request, plan)) is not None:
        return response
    service = _item(Service, plan, item_id)
    form = f.ServiceForm(_posted(request), initial=pages.service_initial(plan, service))
    save = _write_item(Service, request, plan, service)
    message = _("The service was saved.")
    if done := run_action(request, form, save, message=message, then=_edit_url(plan, "#services")):
        return done
    context = pages.base(plan, access, form=form, service=service)
    status = 400 if form.errors else 200
    return render(request, "plans/editor/service_form.html", context, status=status)


@writes(Cap.WRITE_PLAN)
@require_http_methods(["GET", "POST"])
def service_add(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    return _service_page(request, plan_id, None)


@writes(Cap.WRITE_PLAN)
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, plan_id: UUID, item_id: UUID) -> HttpResponse:
    return _service_page(request, plan_id, item_id)


_REMOVES: dict[type[Model], Callable[..., Any]] = {
    Service: lambda actor, item, expected: actions_drafts.remove_service(
        actor=actor, service=item, expected_lock_version=expected
    ),
    Accommodation: lambda actor, item, expected: actions_drafts.remove_accommodation(
        actor=actor, accommodation=item, expected_lock_version=expected
    ),
}


def _remove(request: HttpRequest, plan_id: UUID, item_id: UUID, model: Any) -> HttpResponse:
    plan, _access = _draft(request, plan_id, action=None)
    if (response := _not_a_draft(request, plan)) is not None:
        return response
    item = _item(model, plan, item_id)
    form = f.RemoveForm(request.POST)
    expected = form.cleaned_data.get("lock_version") if form.is_valid() else None
    try:
        _REMOVES[model](request.user, item, expected)
    except actions_common.StaleEdit:
        messages.error(request, _stale_items_message())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed."))
    return redirect(_edit_url(plan, "#services" if model is Service else "#accommodations"))


@writes(Cap.WRITE_PLAN)
@require_POST
def service_remove(request: HttpRequest, plan_id: UUID, item_id: UUID) -> HttpResponse:
    return _remove(request, plan_id, item_id, Service)


def _accommodation_saved(request: HttpRequest, plan: Plan, saved: Accommodation) -> str:
    if pages.warnings_for(saved):
        messages.warning(request, _("Saved, with a warning on its wording."))
        return reverse("plan_accommodation_edit", args=[plan.public_id, saved.public_id])
    messages.success(request, _("The accommodation was saved."))
    return _edit_url(plan, "#accommodations")


def _accommodation_page(request: HttpRequest, plan_id: UUID, item_id: UUID | None) -> HttpResponse:
    plan, access = _draft(request, plan_id, **({"accommodation": item_id} if item_id else {}))
    if (response := _not_a_draft(request, plan)) is not None:
        return response
    item = _item(Accommodation, plan, item_id)
    initial = pages.accommodation_initial(plan, item, request.GET.get("code", ""))
    data = _posted(request)
    form = f.AccommodationForm(data, initial=None if data else initial, plan_kind=plan.kind)
    save = _write_item(Accommodation, request, plan, item)
    then = lambda saved: _accommodation_saved(request, plan, saved)  # noqa: E731
    if done := run_action(request, form, save, then=then):
        return done
    context = pages.accommodation(plan, access, item, form, request.GET)
    status = 400 if form.errors else 200
    return render(request, "plans/editor/accommodation_form.html", context, status=status)


@writes(Cap.WRITE_PLAN)
@require_http_methods(["GET", "POST"])
def accommodation_add(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    return _accommodation_page(request, plan_id, None)


@writes(Cap.WRITE_PLAN)
@require_http_methods(["GET", "POST"])
def accommodation_edit(request: HttpRequest, plan_id: UUID, item_id: UUID) -> HttpResponse:
    return _accommodation_page(request, plan_id, item_id)


@writes(Cap.WRITE_PLAN)
@require_POST
def accommodation_remove(request: HttpRequest, plan_id: UUID, item_id: UUID) -> HttpResponse:
    return _remove(request, plan_id, item_id, Accommodation)


@require_GET
def accommodation_library(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    """The district library searched by words and category (an htmx fragment)."""
    plan, _access = _draft(request, plan_id, action=None)
    search, results = pages.library_search(request.GET)
    context = {"plan": plan, "search": search, "results": results}
    return render(request, "plans/editor/_library_results.html", context)


# --- finalizing -------------------------------------------------------------------------------


def _prefinalize(
    request: HttpRequest, plan: Plan, access: Access, form: Any, problems: list[Any]
) -> HttpResponse:
    status = 400 if form.is_bound and (form.errors or problems) else 200
    context = pages.prefinalize(plan, access, form, problems)
    return render(request, "plans/editor/prefinalize.html", context, status=status)


@require_GET
def plan_prefinalize(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan, access = _draft(request, plan_id, action=Action.PLAN__PREFINALIZE_VIEWED)
    if (response := _not_a_draft(request, plan)) is not None:
        return response
    today = clock.today()
    form = f.FinalizeForm(initial={"effective_from": plan.meeting_date or today})
    effective = pages.check_date(plan, today)
    problems = readiness.pre_finalize_check(plan=plan, today=today, effective_from=effective)
    return _prefinalize(request, plan, access, form, problems)


@writes(Cap.WRITE_PLAN)
@require_POST
def plan_finalize(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan, access = _draft(request, plan_id, action=None)
    if (response := _not_a_draft(request, plan)) is not None:
        return response
    form = f.FinalizeForm(request.POST)
    problems: list[readiness.Problem] = []
    if form.is_valid():
        try:
            version = actions_versions.finalize_plan(
                actor=request.user,  # type: ignore[arg-type]
                plan=plan,
                effective_from=form.cleaned_data["effective_from"],
                today=clock.today(),
            )
        except readiness.PlanNotReady as refusal:  # listed with where each is fixed
            problems = refusal.problems
        except ValidationError as error:
            put_errors(form, error)
        else:
            number = {"number": version.number}
            messages.success(request, _("The plan was finalized as version %(number)s.") % number)
            return redirect("plan_detail", plan_id=plan.public_id)
    return _prefinalize(request, plan, access, form, problems)
