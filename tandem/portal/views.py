"""The family pages (/family/): children, a child's plan and progress, consent and signatures;
and the staff's pages for paper signatures and portal invitations."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.access import audit
from tandem.access.context import current
from tandem.access.policy import Need, access_student, can, parse_public_id, standing
from tandem.people.models import Guardian, StudentGuardian
from tandem.portal import actions, queries
from tandem.portal.documents import consent_document
from tandem.portal.forms import PaperSignatureForm, SignForm
from tandem.portal.gate import NotRightsHolder, family_student, rights_link
from tandem.portal.models import Signature
from tandem.referrals.models import Consent, ConsentResponse
from tandem.web.pdf import pdf_response, render_pdf

View = Callable[..., HttpResponse]


def family_page(view: View) -> View:
    """Signed in; a relative without educational rights is told so plainly (403)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotRightsHolder as refusal:
            return render(
                request, "portal/not_rights_holder.html", {"student": refusal.student}, status=403
            )

    return wrapper


def _language(request: HttpRequest) -> str:
    return translation.get_language() or "en"


# --- family pages -----------------------------------------------------------------------------


@family_page
@require_GET
def portal_home(request: HttpRequest) -> HttpResponse:
    cards = queries.children_cards(request.user)  # type: ignore[arg-type]
    context = {
        "cards": cards,
        "without_rights": queries.on_file_without_rights(request.user)  # type: ignore[arg-type]
        if not cards
        else [],
    }
    return render(request, "portal/home.html", context)


@family_page
@require_GET
def portal_child(request: HttpRequest, student_id: str) -> HttpResponse:
    student = family_student(request.user, student_id, action="portal.child_viewed")  # type: ignore[arg-type]
    link = rights_link(request.user, student)  # type: ignore[arg-type]
    assert link is not None
    context = {
        "student": student,
        **queries.child_page(request.user, student, link.guardian),  # type: ignore[arg-type]
    }
    return render(request, "portal/child.html", context)


@family_page
@require_GET
def portal_open(request: HttpRequest, student_id: str) -> HttpResponse:
    """Open a document sent to the family, stamping it opened, then go to it."""
    student = family_student(request.user, student_id, action=None)  # type: ignore[arg-type]
    target = request.GET.get("url", "")
    if not target or not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        raise Http404
    from tandem.portal.providers import call

    call("tandem.communication.deliveries:mark_opened", request.user, target, default=0)
    audit.record(
        actor=request.user,  # type: ignore[arg-type]
        action="portal.document_opened",
        student=student,
        detail={"url": target[:300]},
    )
    return redirect(target)


@require_GET
def portal_safeguards(request: HttpRequest) -> HttpResponse:
    """The parents' rights in plain words; open to anyone (it is public information)."""
    return render(request, "portal/safeguards.html", {})


def _consent_for_family(request: HttpRequest, consent_id: str) -> tuple[Consent, Any]:
    key = parse_public_id(consent_id)
    consent = Consent.objects.select_related("student", "referral").filter(public_id=key).first()
    if consent is None:
        raise Http404
    student = family_student(
        request.user,  # type: ignore[arg-type]
        consent.student.public_id,
        action="portal.consent_viewed",
    )
    consent.student = student
    return consent, student


@family_page
@require_http_methods(["GET", "POST"])
def portal_sign(request: HttpRequest, consent_id: str) -> HttpResponse:
    consent, student = _consent_for_family(request, consent_id)
    language = _language(request)
    document = consent_document(consent, language=language)
    done = consent.response != ConsentResponse.PENDING
    form = SignForm(request.POST or None, parts=document.parts)
    if request.method == "POST" and not done and form.is_valid():
        data = form.cleaned_data
        try:
            signature = actions.sign_consent(
                actor=request.user,  # type: ignore[arg-type]
                consent=consent,
                decision=data["decision"],
                parts_given=data.get("parts") or [],
                reason=data["reason"],
                typed_name=data["typed_name"],
                language=language,
                ip=current().ip,
                user_agent=request.headers.get("User-Agent", ""),
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(
                request,
                _("Thank you. Your answer is signed and saved. A copy is in your documents."),
            )
            return redirect("portal_signed", signature_id=signature.public_id)
    signatures = list(
        Signature.objects.filter(consent=consent).select_related("guardian").order_by("-signed_at")
    )
    context = {
        "student": student,
        "consent": consent,
        "document": document,
        "form": form,
        "done": done,
        "signatures": signatures,
    }
    return render(request, "portal/sign.html", context)


def _signature_for(request: HttpRequest, signature_id: str) -> Signature:
    key = parse_public_id(signature_id)
    signature = (
        Signature.objects.select_related("student", "guardian", "consent")
        .filter(public_id=key)
        .first()
    )
    if signature is None:
        raise Http404
    user = request.user
    if standing(user).is_staff_member:  # type: ignore[arg-type]
        access_student(user, signature.student.public_id, action=None)  # type: ignore[arg-type]
    else:
        family_student(user, signature.student.public_id, action=None)  # type: ignore[arg-type]
    return signature


@family_page
@require_GET
def portal_signed(request: HttpRequest, signature_id: str) -> HttpResponse:
    signature = _signature_for(request, signature_id)
    audit.record(
        actor=request.user,  # type: ignore[arg-type]
        action="signature.viewed",
        student=signature.student,
        target=signature,
    )
    return render(
        request, "portal/signed.html", {"signature": signature, "student": signature.student}
    )


@family_page
@require_GET
def portal_signature_pdf(request: HttpRequest, signature_id: str) -> HttpResponse:
    signature = _signature_for(request, signature_id)
    field = signature.signed_pdf if signature.signed_pdf else signature.scan
    if not field:
        raise Http404
    audit.record(
        actor=request.user,  # type: ignore[arg-type]
        action="signature.downloaded",
        student=signature.student,
        target=signature,
    )
    from tandem.portal.providers import call

    call("tandem.communication.deliveries:mark_opened", request.user, request.path, default=0)
    content_type = "application/pdf" if signature.signed_pdf else signature.scan_content_type
    response = FileResponse(field.open("rb"), content_type=content_type or "application/pdf")
    name = field.name.rsplit("/", 1)[-1]
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# --- staff pages ------------------------------------------------------------------------------


@login_required
@require_GET
def portal_family(request: HttpRequest, student_id: str) -> HttpResponse:
    """Staff: the family's portal access, consents waiting, paper service and invitations."""
    student = access_student(request.user, student_id, action="portal.family_viewed")  # type: ignore[arg-type]
    links = list(
        StudentGuardian.objects.filter(student=student)
        .select_related("guardian__user")
        .order_by("-educational_rights_holder", "-primary_contact", "guardian__last_name")
    )
    context = {
        "student": student,
        "links": links,
        "can_write": can(request.user, Need.WRITE, student),  # type: ignore[arg-type]
        "consents": queries.pending_consents(student),
        "signatures": queries.signatures_for(student),
    }
    return render(request, "portal/staff_family.html", context)


@login_required
@require_POST
def portal_invite(request: HttpRequest, guardian_id: str) -> HttpResponse:
    key = parse_public_id(guardian_id)
    guardian = Guardian.objects.filter(public_id=key).first()
    if guardian is None:
        raise Http404
    back = request.POST.get("student", "")
    try:
        actions.invite_guardian(
            actor=request.user,  # type: ignore[arg-type]
            guardian=guardian,
            base_url=request.build_absolute_uri("/"),
        )
    except ValidationError as error:
        for message_list in error.message_dict.values():
            for message in message_list:
                messages.error(request, message)
    else:
        messages.success(
            request,
            _("An invitation was sent to %(email)s in %(language)s.")
            % {"email": guardian.email, "language": guardian.get_preferred_language_display()},
        )
    if back:
        try:
            return redirect("portal_family", student_id=parse_public_id(back))
        except Http404:
            pass
    return redirect("home")


def _staff_consent(request: HttpRequest, consent_id: str, need: Need) -> tuple[Consent, Any]:
    key = parse_public_id(consent_id)
    consent = Consent.objects.select_related("student", "referral").filter(public_id=key).first()
    if consent is None:
        raise Http404
    student = access_student(request.user, consent.student.public_id, need=need)  # type: ignore[arg-type]
    consent.student = student
    return consent, student


@login_required
@require_http_methods(["GET", "POST"])
def portal_paper_signature(request: HttpRequest, consent_id: str) -> HttpResponse:
    consent, student = _staff_consent(request, consent_id, Need.WRITE)
    rights = list(
        StudentGuardian.objects.filter(student=student, educational_rights_holder=True)
        .select_related("guardian")
        .order_by("-primary_contact", "guardian__last_name")
    )
    guardians = [(str(link.guardian.public_id), str(link.guardian)) for link in rights]
    first = rights[0].guardian if rights else None
    language = first.preferred_language if first else "en"
    document = consent_document(consent, language=language)
    form = PaperSignatureForm(
        request.POST or None,
        request.FILES or None,
        guardians=guardians,
        parts=document.parts,
        initial={"language": language, "signed_on": timezone.localdate()},
    )
    done = consent.response != ConsentResponse.PENDING
    if request.method == "POST" and not done and form.is_valid():
        data = form.cleaned_data
        guardian = next(
            link.guardian for link in rights if str(link.guardian.public_id) == data["guardian"]
        )
        try:
            actions.record_paper_signature(
                actor=request.user,  # type: ignore[arg-type]
                consent=consent,
                guardian=guardian,
                decision=data["decision"],
                parts_given=data.get("parts") or [],
                reason=data["reason"],
                typed_name=data["typed_name"],
                signed_on=data["signed_on"],
                scan=data["scan"],
                language=data["language"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        except PermissionDenied:
            raise
        else:
            messages.success(request, _("The paper signature and its scan were saved."))
            return redirect("portal_family", student_id=student.public_id)
    context = {
        "student": student,
        "consent": consent,
        "document": document,
        "form": form,
        "done": done,
        "no_rights_holder": not rights,
    }
    return render(request, "portal/paper_signature.html", context)


@login_required
@require_GET
def portal_consent_print(request: HttpRequest, consent_id: str) -> HttpResponse:
    """Staff: the consent form as a PDF in the parent's language, to serve on paper."""
    consent, student = _staff_consent(request, consent_id, Need.READ)
    language = request.GET.get("lang") or ""
    if language not in actions.LANGUAGES:
        link = (
            StudentGuardian.objects.filter(student=student, educational_rights_holder=True)
            .select_related("guardian")
            .order_by("-primary_contact")
            .first()
        )
        language = link.guardian.preferred_language if link else "en"
    document = consent_document(consent, language=language)
    audit.record(
        actor=request.user,  # type: ignore[arg-type]
        action="consent.printed",
        student=student,
        target=consent,
        detail={"language": language},
    )
    pdf = render_pdf(
        request,
        "portal/consent_print_pdf.html",
        {"document": document, "student": student, "consent": consent},
        language=language,
    )
    return pdf_response(pdf, f"consent-{consent.public_id}-{language}.pdf")
