"""Translation pages: request one from the plan page, assign it, translate side by side, review
and publish it; a translator's list of what to translate.

Thin views: the gatekeeper first. A plan writer (`Cap.WRITE_PLAN`) requests, assigns, reviews
and publishes; the assigned translator opens their own translation while it is open, even
without a tie to the student (`access_assigned`); everyone else who reads the student may read
it. `actions.py` decides and writes, `pages.py` builds what the templates show.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import Assignee, access_assigned, access_owned, access_plan
from tandem.access.policy import Access
from tandem.access.routes import writes
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.core.handling import run_action
from tandem.translations import actions, pages, queries
from tandem.translations.forms import AssignForm, EditorForm
from tandem.translations.models import OPEN_FOR_TRANSLATOR, Translation

TRANSLATOR = Assignee("translator", OPEN_FOR_TRANSLATOR)
VIA = "plan__student"


def _mine_or_readable(
    request: HttpRequest, translation_id: UUID, *, need: Cap = Cap.READ, action: str | None = None
) -> tuple[Translation, Access]:
    """For the assigned translator (their own, while open), or whoever holds `need`."""
    return access_assigned(
        request.user,  # type: ignore[arg-type]
        queries.translations(),
        translation_id,
        assignee=TRANSLATOR,
        need=need,
        via=VIA,
        action=action,
    )


def _for_writer(request: HttpRequest, translation_id: UUID) -> tuple[Translation, Access]:
    """For a plan writer only (assigning, reviewing, publishing): not the translator's."""
    return access_owned(
        request.user,  # type: ignore[arg-type]
        queries.translations(),
        translation_id,
        need=Cap.WRITE_PLAN,
        via=VIA,
    )


def _refusal_shown(request: HttpRequest, act: Callable[[], Any]) -> Any:
    """Run `act`; its refusal becomes messages on the next page (it saved nothing)."""
    try:
        return act()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return None


@writes(Cap.WRITE_PLAN)
@require_POST
def translation_request(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan, _access = access_plan(request.user, plan_id, need=Cap.WRITE_PLAN, action=None)  # type: ignore[arg-type]
    made = _refusal_shown(
        request,
        lambda: actions.request_translation(actor=request.user, plan=plan),  # type: ignore[arg-type]
    )
    if made is None:
        return redirect("plan_detail", plan_id=plan.public_id)
    messages.success(request, _("The translation was requested. Now choose who translates it."))
    return redirect(pages.detail_url(made))


@require_GET
def translation_detail(request: HttpRequest, translation_id: UUID) -> HttpResponse:
    viewed = Action.TRANSLATION__VIEWED
    translation, access = _mine_or_readable(request, translation_id, action=viewed)
    context = pages.detail(translation, access, request.user)  # type: ignore[arg-type]
    return render(request, "translations/detail.html", context)


@writes(Cap.WRITE_PLAN)
@require_POST
def translation_assign(request: HttpRequest, translation_id: UUID) -> HttpResponse:
    translation, access = _for_writer(request, translation_id)
    staff = queries.translators(translation.plan.student.district, today=clock.today())
    form = AssignForm(request.POST, staff=staff)
    assign = lambda data: actions.assign_translation(  # noqa: E731
        actor=request.user,  # type: ignore[arg-type]
        translation=translation,
        translator=data["translator"],
    )
    message = _("The translator was told. The translation is on their list.")
    then = pages.detail_url(translation)
    if done := run_action(request, form, assign, then=then, message=message):
        return done
    context = pages.detail(translation, access, request.user, assign=form)  # type: ignore[arg-type]
    return render(request, "translations/detail.html", context)


@writes(Cap.WRITE_PLAN)
@require_http_methods(["GET", "POST"])
def translation_edit(request: HttpRequest, translation_id: UUID) -> HttpResponse:
    """The side-by-side editor: the assigned translator's, or a plan writer's to correct."""
    viewed = Action.TRANSLATION__EDITOR_VIEWED if request.method == "GET" else None
    translation, _access = _mine_or_readable(
        request, translation_id, need=Cap.WRITE_PLAN, action=viewed
    )
    if not actions.may_translate(request.user, translation):  # type: ignore[arg-type]
        return redirect(pages.detail_url(translation))  # published: nothing to edit
    form = EditorForm(request.POST or None, rows=queries.paragraphs(translation))
    submit = "submit" in request.POST
    save = lambda data: actions.save_translation(  # noqa: E731
        actor=request.user,  # type: ignore[arg-type]
        translation=translation,
        texts=form.texts(),
        submit=submit,
    )
    message = _("Sent for review.") if submit else _("Saved.")
    then = pages.detail_url(translation) if submit else request.path
    if done := run_action(request, form, save, then=then, message=message):
        return done
    return render(request, "translations/edit.html", pages.editor(translation, form))


@writes(Cap.WRITE_PLAN)
@require_POST
def translation_review(request: HttpRequest, translation_id: UUID) -> HttpResponse:
    translation, _access = _for_writer(request, translation_id)
    done = _refusal_shown(
        request,
        lambda: actions.review_translation(actor=request.user, translation=translation),  # type: ignore[arg-type]
    )
    if done is not None:
        messages.success(request, _("Marked reviewed. It can be published to the family now."))
    return redirect(pages.detail_url(translation))


@writes(Cap.WRITE_PLAN)
@require_POST
def translation_publish(request: HttpRequest, translation_id: UUID) -> HttpResponse:
    translation, _access = _for_writer(request, translation_id)
    done = _refusal_shown(
        request,
        lambda: actions.publish_translation(actor=request.user, translation=translation),  # type: ignore[arg-type]
    )
    if done is not None:
        messages.success(request, _("Published. The family now reads the plan in Spanish."))
    return redirect(pages.detail_url(translation))


@require_GET
def translation_list(request: HttpRequest) -> HttpResponse:
    """The translations given to the signed-in person, soonest due first."""
    rows = queries.assigned_to(request.user)  # type: ignore[arg-type]
    audit.record(
        actor=request.user,  # type: ignore[arg-type]
        action=Action.TRANSLATIONS__LISTED,
        detail={"rows": len(rows)},
        students=[row.plan.student_id for row in rows],
    )
    return render(request, "translations/list.html", {"rows": rows, "today": clock.today()})
