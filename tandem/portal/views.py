"""The family pages (/family/): children, a child's plan and progress, consent and signatures;
and the staff's pages for paper signatures and portal invitations.

Every record is fetched through the access policy: the family's pages need the rights holder's
`Cap.ACT_AS_FAMILY`, the signed copies `Cap.READ`, the staff's pages the capability of the job.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import access_owned
from tandem.access.policy import student_access
from tandem.access.routes import writes
from tandem.audit.catalogue import Action
from tandem.audit.context import current
from tandem.communication.deliveries import mark_opened
from tandem.core import clock
from tandem.core.handling import run_action
from tandem.documents.pdf import pdf_response, render_pdf
from tandem.people.models import Guardian, Relationship
from tandem.people.relations import holds_own_rights, majority_on
from tandem.portal import actions, pages, queries, service_minutes
from tandem.portal.documents import consent_document
from tandem.portal.models import Signature
from tandem.referrals.models import Consent

View = Callable[..., HttpResponse]


def _consents() -> QuerySet[Consent]:
    return Consent.objects.select_related("student__school", "student__district", "referral")


def _signatures() -> QuerySet[Signature]:
    return Signature.objects.select_related("student__district", "guardian", "consent")


def family_page(view: View) -> View:
    """A relative on file without educational rights is told so plainly (403) once the policy
    has refused them (and logged the attempt); anyone else sees the policy's 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Http404:
            link = queries.on_file_without_rights_for(
                request.user,  # type: ignore[arg-type]
                student=kwargs.get("student_id"),
                consent=kwargs.get("consent_id"),
                signature=kwargs.get("signature_id"),
            )
            if link is None:
                raise
            context = {"student": link.student, "link": link}
            return render(request, "portal/not_rights_holder.html", context, status=403)

    return wrapper


# --- family pages -----------------------------------------------------------------------------


@family_page
@require_GET
def portal_home(request: HttpRequest) -> HttpResponse:
    cards = queries.children_cards(request.user, today=clock.today())  # type: ignore[arg-type]
    user = request.user
    context = {
        "cards": cards,
        "without_rights": queries.on_file_without_rights(user),  # type: ignore[arg-type]
        "own_rights": bool(cards) and queries.holds_own_rights(user),  # type: ignore[arg-type]
    }
    return render(request, "portal/home.html", context)


@family_page
@require_GET
def portal_child(request: HttpRequest, student_id: UUID) -> HttpResponse:
    access = student_access(
        request.user,  # type: ignore[arg-type]
        student_id,
        need=Cap.ACT_AS_FAMILY,
        action=Action.PORTAL__CHILD_VIEWED,
    )
    link = queries.rights_link(request.user, access.student)  # type: ignore[arg-type]
    if link is None:  # the policy's rights holder always has one
        raise Http404
    page = queries.child_page(request.user, access.student, link.guardian)  # type: ignore[arg-type]
    own_rights = link.relationship == Relationship.SELF
    context = {"student": access.student, "access": access, "own_rights": own_rights, **page}
    return render(request, "portal/child.html", context)


@family_page
@require_GET
def portal_services(request: HttpRequest, student_id: UUID) -> HttpResponse:
    """The child's service minutes in plain words: this week, four weeks, and what is owed."""
    access = student_access(
        request.user,  # type: ignore[arg-type]
        student_id,
        need=Cap.ACT_AS_FAMILY,
        action=Action.SERVICE_MINUTES__VIEWED,
    )
    student = access.student
    context = {
        "student": student,
        "services": service_minutes.for_family(student, today=clock.today()),
    }
    return render(request, "portal/services.html", context)


@family_page
@require_GET
def portal_open(request: HttpRequest, student_id: UUID) -> HttpResponse:
    """Open a document sent to the family, stamping it opened, then go to it."""
    access = student_access(request.user, student_id, need=Cap.ACT_AS_FAMILY, action=None)  # type: ignore[arg-type]
    target = request.GET.get("url", "")
    if not target or not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        raise Http404
    mark_opened(request.user, target)
    audit.record(
        actor=request.user,  # type: ignore[arg-type]
        action=Action.PORTAL__DOCUMENT_OPENED,
        student=access.student,
        detail={"url": target[:300]},
    )
    return redirect(target)


@require_GET
def portal_safeguards(request: HttpRequest) -> HttpResponse:
    """The parents' rights in plain words (public information, but behind the sign-in)."""
    return render(request, "portal/safeguards.html", {})


@writes(Cap.ACT_AS_FAMILY)
@family_page
@require_http_methods(["GET", "POST"])
def portal_sign(request: HttpRequest, consent_id: UUID) -> HttpResponse:
    consent, access = access_owned(
        request.user,  # type: ignore[arg-type]
        _consents(),
        consent_id,
        need=Cap.ACT_AS_FAMILY,
        action=Action.PORTAL__CONSENT_VIEWED,
    )
    page = pages.sign_page(
        consent, request.POST or None, language=translation.get_language() or "en"
    )
    if not page.done and (done := _sign(request, consent, page)):
        return done
    context = {"student": access.student, "access": access, "consent": consent, "page": page}
    context["signatures"] = queries.signatures_for_consent(consent)
    return render(request, "portal/sign.html", context)


def _sign(request: HttpRequest, consent: Consent, page: pages.SignPage) -> HttpResponse | None:
    """The parent's answer, signed: the signing tail of `portal_sign`."""
    return run_action(
        request,
        page.form,
        lambda data: actions.sign_consent(
            actor=request.user,  # type: ignore[arg-type]
            consent=consent,
            language=page.document.language,
            ip=current().ip,
            user_agent=request.headers.get("User-Agent", ""),
            **pages.answer(data),
        ),
        message=_("Thank you. Your answer is signed and saved. A copy is in your documents."),
        then=lambda signature: reverse("portal_signed", args=[signature.public_id]),
    )


@family_page
@require_GET
def portal_signed(request: HttpRequest, signature_id: UUID) -> HttpResponse:
    signature, access = access_owned(
        request.user,  # type: ignore[arg-type]
        _signatures(),
        signature_id,
        action=Action.SIGNATURE__VIEWED,
    )
    context = {"signature": signature, "student": access.student, "access": access}
    return render(request, "portal/signed.html", context)


@family_page
@require_GET
def portal_signature_pdf(request: HttpRequest, signature_id: UUID) -> HttpResponse:
    signature, _access = access_owned(
        request.user,  # type: ignore[arg-type]
        _signatures(),
        signature_id,
        action=Action.SIGNATURE__DOWNLOADED,
    )
    field = signature.signed_pdf or signature.scan
    if not field:
        raise Http404
    mark_opened(request.user, request.path)
    content_type = "application/pdf" if signature.signed_pdf else signature.scan_content_type
    response = FileResponse(field.open("rb"), content_type=content_type or "application/pdf")
    response["Content-Disposition"] = f'inline; filename="{field.name.rsplit("/", 1)[-1]}"'
    return response


# --- staff pages ------------------------------------------------------------------------------


@require_GET
def portal_family(request: HttpRequest, student_id: UUID) -> HttpResponse:
    """Staff: the family's portal access, consents waiting, paper service and invitations."""
    access = student_access(request.user, student_id, action=Action.PORTAL__FAMILY_VIEWED)  # type: ignore[arg-type]
    student = access.student
    context = {
        "student": student,
        "access": access,
        "links": access.mark_contacts(queries.family_links(student)),
        "consents": queries.pending_consents(student),
        "signatures": queries.signatures_for(student),
        "majority_on": majority_on(student),
        "own_rights": holds_own_rights(student),
        "today": clock.today(),
    }
    return render(request, "portal/staff_family.html", context)


@writes(Cap.EDIT_PROFILE)
@require_POST
def portal_invite(request: HttpRequest, student_id: UUID, guardian_id: UUID) -> HttpResponse:
    """Staff: give a parent a portal account (part of the student's profile)."""
    access = student_access(request.user, student_id, need=Cap.EDIT_PROFILE, action=None)  # type: ignore[arg-type]
    guardian = get_object_or_404(
        Guardian, student_links__student=access.student, public_id=guardian_id
    )
    base_url = request.build_absolute_uri("/")
    try:
        actions.invite_guardian(
            actor=request.user, student=access.student, guardian=guardian, base_url=base_url
        )  # type: ignore[arg-type]
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("An invitation was sent to %(email)s in %(language)s.")
            % {"email": guardian.email, "language": guardian.get_preferred_language_display()},
        )
    return redirect("portal_family", student_id=access.student.public_id)


@writes(Cap.RUN_EVALUATION)
@require_http_methods(["GET", "POST"])
def portal_paper_signature(request: HttpRequest, consent_id: UUID) -> HttpResponse:
    """Staff: record a consent the parent signed on paper, with a scan of the form."""
    consent, access = access_owned(
        request.user,  # type: ignore[arg-type]
        _consents(),
        consent_id,
        need=Cap.RUN_EVALUATION,
        action=Action.STUDENT__VIEWED if request.method == "GET" else None,
    )
    page = pages.paper_page(
        consent, request.POST or None, request.FILES or None, today=clock.today()
    )
    if not page.done and (done := _record_paper(request, consent, page)):
        return done
    context = {"student": access.student, "access": access, "consent": consent, "page": page}
    return render(request, "portal/paper_signature.html", context)


def _record_paper(
    request: HttpRequest, consent: Consent, page: pages.PaperPage
) -> HttpResponse | None:
    """The paper signature and its scan, saved: the tail of `portal_paper_signature`."""
    return run_action(
        request,
        page.form,
        lambda data: actions.record_paper_signature(
            actor=request.user,  # type: ignore[arg-type]
            consent=consent,
            guardian=page.guardian(data["guardian"]),
            signed_on=data["signed_on"],
            scan=data["scan"],
            language=data["language"],
            **pages.answer(data),
        ),
        message=_("The paper signature and its scan were saved."),
        then=reverse("portal_family", args=[consent.student.public_id]),
    )


@require_GET
def portal_consent_print(request: HttpRequest, consent_id: UUID) -> HttpResponse:
    """Staff: the consent form as a PDF in the parent's language, to serve on paper."""
    consent, access = access_owned(request.user, _consents(), consent_id)  # type: ignore[arg-type]
    language = pages.print_language(consent, request.GET.get("lang", ""), actions.LANGUAGES)
    audit.record(
        actor=request.user,  # type: ignore[arg-type]
        action=Action.CONSENT__PRINTED,
        student=access.student,
        target=consent,
        detail={"language": language},
    )
    context = {"document": consent_document(consent, language=language), "consent": consent}
    context["student"] = access.student
    pdf = render_pdf(request, "portal/consent_print_pdf.html", context, language=language)
    return pdf_response(pdf, f"consent-{consent.public_id}-{language}.pdf")
