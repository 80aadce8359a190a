"""Providers' pages: a profile with its licences and contracts, the licences to renew, the
teletherapist's day across districts, and a student's teletherapy consent."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import standing, student_access
from tandem.access.routes import Scope, writes
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.core.handling import run_action
from tandem.people.models import District, Staff, StaffRole
from tandem.services import actions_providers as actions
from tandem.services import queries_providers as q
from tandem.services.models import ProviderContract, ProviderProfile, TeletherapyConsent
from tandem.services.providers_forms import (
    ContractForm,
    DayForm,
    EndContractForm,
    ProfileForm,
    TeletherapyConsentForm,
)


def _profile_url(staff: Staff) -> str:
    return reverse("provider_profile", args=[staff.public_id])


@require_GET
def provider_profile(request: HttpRequest, staff_id: UUID) -> HttpResponse:
    """A provider's profile, licences and contracts: for the provider and their coordinators."""
    user: User = request.user  # type: ignore[assignment]
    staff, decided = q.staff_in_reach(user, staff_id)
    today = clock.today()
    context = {
        "staff": staff,
        "decided": decided,
        "page": q.profile_page(staff, user, today=today),
        "today": today,
        "contract_form": ContractForm(
            districts=District.objects.filter(pk__in=q.led_district_ids(user))
        ),
    }
    return render(request, "services/provider_profile.html", context)


def _supervisors(staff: Staff) -> object:
    served = q.served_district_ids([staff.pk], today=clock.today()).get(staff.pk, set())
    roles = StaffRole.objects.active_on(clock.today()).filter(district_id__in=served)
    return (
        Staff.objects.filter(pk__in=roles.values("staff_id"))
        .exclude(pk=staff.pk)
        .select_related("user")
    )


@writes(Scope.SELF)
@require_http_methods(["GET", "POST"])
def provider_profile_edit(request: HttpRequest, staff_id: UUID) -> HttpResponse:
    """The provider edits their own fields; a leader of a district they serve edits all."""
    user: User = request.user  # type: ignore[assignment]
    staff, decided = q.staff_in_reach(user, staff_id)
    if not decided.can_edit:
        raise PermissionDenied
    profile = ProviderProfile.objects.filter(staff=staff).first()
    form = ProfileForm(
        request.POST or None,
        supervisors=_supervisors(staff),
        profile=profile,
        is_leader=decided.is_leader,
    )
    if done := run_action(
        request,
        form,
        lambda data: actions.save_profile(actor=user, staff=staff, data=form.to_input(profile)),
        then=_profile_url(staff),
        message=_("The profile was saved."),
    ):
        return done
    context = {"staff": staff, "form": form, "profile": profile}
    status = 400 if request.method == "POST" else 200
    return render(request, "services/provider_edit.html", context, status=status)


@writes(Scope.DISTRICT)
@require_http_methods(["POST"])
def provider_contract_add(request: HttpRequest, staff_id: UUID) -> HttpResponse:
    """A district administrator records the contract under which the provider serves them."""
    user: User = request.user  # type: ignore[assignment]
    staff, decided = q.staff_in_reach(user, staff_id)
    if not decided.can_manage_contracts:
        raise PermissionDenied
    districts = District.objects.filter(pk__in=q.led_district_ids(user))
    form = ContractForm(request.POST, districts=districts)
    if done := run_action(
        request,
        form,
        lambda data: actions.add_contract(actor=user, staff=staff, **data),
        then=_profile_url(staff),
        message=_("The contract was recorded."),
    ):
        return done
    page = q.profile_page(staff, user, today=clock.today())
    context = {"staff": staff, "decided": decided, "page": page, "contract_form": form}
    return render(request, "services/provider_profile.html", context, status=400)


@writes(Scope.DISTRICT)
@require_http_methods(["GET", "POST"])
def provider_contract_end(request: HttpRequest, staff_id: UUID, contract_id: UUID) -> HttpResponse:
    """A district administrator ends a contract on its last day."""
    user: User = request.user  # type: ignore[assignment]
    staff, decided = q.staff_in_reach(user, staff_id)
    contract = ProviderContract.objects.filter(public_id=contract_id, staff=staff).first()
    if contract is None or contract.district_id not in q.coordinated_district_ids(
        user, today=clock.today()
    ):
        raise Http404
    if not decided.is_leader or contract.district_id not in q.led_district_ids(user):
        raise PermissionDenied
    form = EndContractForm(request.POST or None, initial={"end_date": clock.today()})
    if done := run_action(
        request,
        form,
        lambda data: actions.end_contract(actor=user, contract=contract, **data),
        then=_profile_url(staff),
        message=_("The contract's end was recorded."),
    ):
        return done
    context = {"staff": staff, "contract": contract, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "services/provider_contract_end.html", context, status=status)


@require_GET
def provider_licences(request: HttpRequest) -> HttpResponse:
    """Licences lapsed or expiring within 60 days, for district leaders and 504 coordinators."""
    user: User = request.user  # type: ignore[assignment]
    today = clock.today()
    if not q.coordinated_district_ids(user, today=today):
        raise Http404
    context = {
        "rows": q.licences_to_renew(user, today=today),
        "within": q.EXPIRING_WITHIN_DAYS,
        "today": today,
    }
    return render(request, "services/provider_licences.html", context)


def _record_reads(user: User, entries: list[q.DayEntry]) -> None:
    """Each student listed on the day is a read of their record (the family sees it)."""
    for entry in entries:
        for row in entry.attendance:
            audit.record(
                actor=user, action=Action.TELETHERAPY_DAY__VIEWED, student=row.student, target=row
            )


@require_GET
def teletherapy_day(request: HttpRequest) -> HttpResponse:
    """The provider's sessions of a day in every district they serve, in their own time."""
    user: User = request.user  # type: ignore[assignment]
    staff_id = standing(user).staff_id
    if staff_id is None:
        raise Http404  # families have no day of sessions
    form = DayForm(request.GET or None)
    day = (form.cleaned_data.get("day") if form.is_valid() else None) or clock.today()
    profile = ProviderProfile.objects.filter(staff_id=staff_id).first()
    zone = profile.time_zone if profile else "America/Chicago"
    entries = q.teletherapy_day(user, day=day, zone=zone)
    _record_reads(user, entries)
    context = {"form": form, "day": day, "entries": entries, "zone": zone, "profile": profile}
    context |= {"previous": day - timedelta(days=1), "next": day + timedelta(days=1)}
    return render(
        request,
        "services/teletherapy_day.html",
        context,
        status=200 if form.is_valid() or not form.is_bound else 400,
    )


@writes(Cap.EDIT_PROFILE)
@require_http_methods(["GET", "POST"])
def teletherapy_consent(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The case manager records the parent's answer about teletherapy for this student."""
    user: User = request.user  # type: ignore[assignment]
    posting = request.method == "POST"
    access = student_access(
        user,
        public_id,
        need=Cap.EDIT_PROFILE,
        action=None if posting else Action.SERVICE_MINUTES__VIEWED,
    )
    student = access.student
    form = TeletherapyConsentForm(request.POST or None, initial={"on": clock.today()})
    if done := run_action(
        request,
        form,
        lambda data: actions.record_teletherapy_consent(actor=user, student=student, **data),
        then=reverse("student_services", args=[student.public_id]),
        message=_("The parent's answer about teletherapy was recorded."),
    ):
        return done
    history = TeletherapyConsent.objects.filter(student=student).select_related("created_by")
    context = {"student": student, "access": access, "form": form, "history": history}
    return render(
        request, "services/teletherapy_consent.html", context, status=400 if posting else 200
    )
