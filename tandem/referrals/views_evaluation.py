"""Assessment plan, assessments, evaluation report, eligibility and its written notice."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import access_assessment
from tandem.access.policy import decision_for
from tandem.access.routes import writes
from tandem.core import clock
from tandem.core.handling import run_action
from tandem.referrals import actions_evaluation, queries
from tandem.referrals import eligibility_group as group
from tandem.referrals.forms import (
    AssessmentResultForm,
    EligibilityForm,
    EvaluationReportForm,
    NoticeSentForm,
    ReopenAssessmentForm,
    ScoreFormSet,
    assessment_form,
    score_values,
)
from tandem.referrals.gate import assessment_context, assessment_page, pdf_response, referral_page
from tandem.referrals.models import (
    MAJOR_LIFE_ACTIVITIES,
    DeadlineKind,
    DisabilityCategory,
    EligibilityDecision,
)


@login_required
@writes(Cap.RUN_EVALUATION)
@require_http_methods(["GET", "POST"])
def assessment_plan(request, referral_id):  # type: ignore[no-untyped-def]
    """The plan's assessments, and the form to add one (the plan is made with the first)."""
    posting = request.method == "POST"
    referral, student = referral_page(request, referral_id, steps=True)
    can_write = decision_for(request.user, student).has(Cap.RUN_EVALUATION)
    if posting and not can_write:
        referral_page(request, referral_id, need=Cap.RUN_EVALUATION)  # 403, recorded
    page = queries.assessment_plan_page(referral, student)
    form = assessment_form(request.POST or None, page, student) if can_write else None
    if form is not None and (
        done := run_action(
            request,
            form,
            lambda data: actions_evaluation.add_to_assessment_plan(
                actor=request.user, referral=referral, **data
            ),
            then=reverse("assessment_plan", args=[referral.public_id]),
            message=_("The assessment was added to the plan."),
        )
    ):
        return done
    context = page | {"student": student, "referral": referral, "form": form}
    return render(request, "referrals/assessment_plan.html", context | {"can_write": can_write})


@login_required
@writes(Cap.RECORD_ASSESSMENT)
@require_http_methods(["GET", "POST"])
def assessment_complete(request, assessment_id):  # type: ignore[no-untyped-def]
    """The evaluator's page: instrument, scores and summary."""
    assessment, student = assessment_page(request, assessment_id)
    data = request.POST if request.method == "POST" else None
    initial = {"instrument": assessment.instrument, "completed_on": timezone.localdate()}
    form = AssessmentResultForm(data, initial=initial)
    scores = ScoreFormSet(data, prefix="scores")
    if done := run_action(
        request,
        form,
        lambda fields: actions_evaluation.complete_assessment(
            actor=request.user, assessment=assessment, scores=score_values(scores), **fields
        ),
        then=reverse("referral_detail", args=[assessment.plan.referral.public_id]),
        message=_("The assessment results were saved."),
        forms=(scores,),
    ):
        return done
    context = assessment_context(request.user, assessment, student)
    return render(
        request, "referrals/assessment_complete.html", context | {"form": form, "scores": scores}
    )


@login_required
@writes(Cap.RECORD_ASSESSMENT)
@require_http_methods(["GET", "POST"])
def assessment_reopen(request, assessment_id):  # type: ignore[no-untyped-def]
    """Reopen an assessment recorded by mistake, with a reason (its evaluator or the lead)."""
    posting = request.method == "POST"
    assessment, access = access_assessment(
        request.user, assessment_id, action=None if posting else "student.viewed"
    )
    form = ReopenAssessmentForm(request.POST if posting else None)
    refusal = actions_evaluation.reopen_refusal(assessment)
    if done := run_action(
        request,
        form,
        lambda data: actions_evaluation.reopen_assessment(
            actor=request.user, assessment=assessment, reason=data["reason"]
        ),
        then=reverse("assessment_complete", args=[assessment.public_id]),
        message=_("The assessment was reopened; enter the results again when they are right."),
    ):
        return done
    context = {"student": access.student, "referral": assessment.plan.referral}
    context |= {"assessment": assessment, "form": form, "refusal": refusal}
    return render(
        request, "referrals/assessment_reopen.html", context, status=400 if posting else 200
    )


@login_required
@writes(Cap.RUN_EVALUATION)
@require_http_methods(["GET", "POST"])
def evaluation_report(request, referral_id):  # type: ignore[no-untyped-def]
    referral, student = referral_page(request, referral_id, need=Cap.RUN_EVALUATION, steps=True)
    plan = queries.step_record(referral, "assessment_plan")
    form = EvaluationReportForm(
        request.POST or None, initial={"completed_on": timezone.localdate()}
    )
    if done := run_action(
        request,
        form,
        lambda data: actions_evaluation.complete_evaluation_report(
            actor=request.user, referral=referral, **data
        ),
        then=reverse("referral_detail", args=[referral.public_id]),
        message=_("The evaluation report was saved."),
    ):
        return done
    context = {"student": student, "referral": referral, "form": form}
    context["assessments"] = list(plan.assessments.all()) if plan is not None else []
    return render(request, "referrals/evaluation_report.html", context)


@login_required
@writes(Cap.RUN_EVALUATION)
@require_http_methods(["GET", "POST"])
def eligibility_decide(request, referral_id):  # type: ignore[no-untyped-def]
    """The eligibility decision, and who made it (the group the law asks for)."""
    posting = request.method == "POST"
    referral, student = referral_page(request, referral_id, need=Cap.RUN_EVALUATION)
    today = clock.today()
    people = group.present_choices(referral, student, today=today, actor=request.user)
    form = EligibilityForm(
        request.POST if posting else None, people=people, initial={"decided_on": today}
    )
    if done := run_action(
        request,
        form,
        lambda _data: actions_evaluation.decide_eligibility(
            actor=request.user, referral=referral, **form.decision_kwargs()
        ),
        then=reverse("eligibility_notice", args=[referral.public_id]),
        message=_("The eligibility decision was saved."),
    ):
        return done
    context = {"student": student, "referral": referral, "form": form}
    return render(request, "referrals/eligibility.html", context, status=400 if posting else 200)


def _decision_context(request, referral_id):  # type: ignore[no-untyped-def]
    referral, student = referral_page(request, referral_id, steps=True)
    decision = queries.eligibility_of(referral)
    if decision is None:
        raise Http404
    decision = (
        EligibilityDecision.objects.prefetch_related("team_present__user")
        .select_related("student")
        .get(pk=decision.pk)
    )
    queries.attach_deadlines([referral], student=student)
    meeting = next(
        (
            d
            for d in referral.stored_deadlines  # type: ignore[attr-defined]
            if d.kind == DeadlineKind.INITIAL_IEP_MEETING
        ),
        None,
    )
    guardian = queries.rights_holder(student)
    labels = dict(DisabilityCategory.choices)
    return {
        "student": student,
        "referral": referral,
        "decision": decision,
        "secondary": [labels.get(c, c) for c in decision.secondary_categories],
        "activities": [MAJOR_LIFE_ACTIVITIES.get(a, a) for a in decision.major_life_activities],
        "team": list(decision.team_present.all()),
        "group": group.group_of(decision),
        "meeting": meeting,
        "guardian": guardian,
        "language": guardian.preferred_language if guardian else "en",
        "sent_form": NoticeSentForm(initial={"sent_on": timezone.localdate()}),
    }


@login_required
@require_GET
def eligibility_notice(request, referral_id):  # type: ignore[no-untyped-def]
    return render(
        request, "referrals/eligibility_notice.html", _decision_context(request, referral_id)
    )


@login_required
@require_GET
def eligibility_notice_pdf(request, referral_id):  # type: ignore[no-untyped-def]
    context = _decision_context(request, referral_id)
    return pdf_response(
        request,
        "referrals/eligibility_notice_pdf.html",
        context,
        language=context["language"],
        filename=f"eligibility-notice-{context['decision'].decided_on}.pdf",
    )


@login_required
@require_POST
@writes(Cap.RUN_EVALUATION)
def eligibility_notice_sent(request, referral_id):  # type: ignore[no-untyped-def]
    """Mark the written notice of the decision as sent (date and method)."""
    referral, _student = referral_page(request, referral_id, need=Cap.RUN_EVALUATION)
    form = NoticeSentForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        actions_evaluation.mark_eligibility_notice_sent(
            actor=request.user, referral=referral, **form.cleaned_data
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The notice is recorded as sent."))
    return redirect("eligibility_notice", referral_id=referral.public_id)
