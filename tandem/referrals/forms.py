"""Forms of the referral pages: input parsing only; the rules live in the actions and models."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Language
from tandem.core import limits
from tandem.referrals import actions_common, queries
from tandem.referrals import eligibility_group as group
from tandem.referrals.models import (
    MAJOR_LIFE_ACTIVITIES,
    NOTICE_ELEMENTS,
    AreaOfConcern,
    AssessmentArea,
    CaseReviewDecision,
    ConsentKind,
    ConsentMethod,
    ConsentResponse,
    DisabilityCategory,
    EligibilityOutcome,
    EvidenceKind,
    NoticeAction,
    PriorWrittenNotice,
    ReevaluationKind,
    ReferralSource,
)
from tandem.referrals.reevaluations import Agreement

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_CSS = {
    forms.Textarea: "usa-textarea",
    forms.Select: "usa-select",
    forms.SelectMultiple: "usa-select",
}


class UswdsMixin:
    """USWDS classes on every widget, so the pages look like the rest of Tandem."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                widget.attrs["class"] = "usa-checkbox__input"
                continue
            if isinstance(widget, forms.RadioSelect):
                widget.attrs["class"] = "usa-radio__input"
                continue
            if isinstance(widget, forms.CheckboxInput | forms.FileInput):
                continue
            css = next((c for kind, c in _CSS.items() if isinstance(widget, kind)), "usa-input")
            widget.attrs["class"] = css

    def add_action_errors(self, error: ValidationError) -> None:
        """Put an action's refusal on the field it names, or on the form."""
        fields = self.fields  # type: ignore[attr-defined]
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(name if name in fields else None, message)  # type: ignore[attr-defined]
        else:
            for message in error.messages:
                self.add_error(None, message)  # type: ignore[attr-defined]


def _checked_upload(upload: Any) -> Any:
    if upload:
        try:
            actions_common.check_upload(upload)
        except ValidationError as error:
            raise ValidationError(error.message_dict["file"]) from None
    return upload


class ReferralForm(UswdsMixin, forms.Form):
    source = forms.ChoiceField(label=_("Who raised the concern"), choices=ReferralSource.choices)
    source_name = forms.CharField(
        label=_("Name of the person who raised it"), required=False, max_length=limits.NAME
    )
    received_on = forms.DateField(label=_("Date the referral was received"), widget=DATE)
    areas_of_concern = forms.MultipleChoiceField(
        label=_("Areas of concern"),
        choices=AreaOfConcern.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one area of concern.")},
    )
    description = forms.CharField(
        max_length=limits.NOTE,
        label=_("What is the concern?"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EvidenceForm(UswdsMixin, forms.Form):
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, PNG, JPEG, Word (.docx) or text, up to 10 MB."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of document"),
        choices=[("", "—"), *EvidenceKind.choices],
        required=False,
    )
    summary = forms.CharField(
        max_length=limits.LONG_TEXT,
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_file(self) -> Any:
        return _checked_upload(self.cleaned_data.get("file"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("file") and not data.get("kind"):
            self.add_error("kind", _("Say what kind of document this is."))
        if not data.get("file") and (data.get("kind") or data.get("summary")):
            self.add_error("file", _("Choose the file, or leave this document empty."))
        return data


EvidenceFormSet = forms.formset_factory(EvidenceForm, extra=3, max_num=10)


class NoticeElementsMixin:
    """The seven elements of prior written notice (34 CFR 300.503(b))."""

    @staticmethod
    def element_fields(*, required: bool) -> dict[str, forms.Field]:
        return {
            name: forms.CharField(
                label=PriorWrittenNotice._meta.get_field(name).verbose_name,
                required=required,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            for name in NOTICE_ELEMENTS
        }

    def notice_content(self, language: str) -> actions_common.NoticeContent:
        data = self.cleaned_data  # type: ignore[attr-defined]
        return actions_common.NoticeContent(
            **{name: data[name] for name in NOTICE_ELEMENTS}, language=language
        )


NOT_EVALUATING = (
    CaseReviewDecision.NO_ACTION,
    CaseReviewDecision.GENERAL_EDUCATION_INTERVENTION,
)


class CaseReviewForm(NoticeElementsMixin, UswdsMixin, forms.Form):
    decided_on = forms.DateField(label=_("Date of the review"), widget=DATE)
    decision = forms.ChoiceField(
        label=_("Decision"), choices=CaseReviewDecision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        max_length=limits.NOTE, label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, parent_request: bool, refusing: Any = NOT_EVALUATING, **kwargs: Any
    ) -> None:
        self.parent_request = parent_request
        self.refusing = tuple(refusing)
        super().__init__(*args, **kwargs)
        if parent_request:
            self.fields.update(self.element_fields(required=False))
            self.fields["language"] = forms.ChoiceField(
                label=_("Language of the notice"), choices=Language.choices, required=False
            )
            # The classes were set before these fields were added.
            for name in [*NOTICE_ELEMENTS, "language"]:
                widget = self.fields[name].widget
                widget.attrs["class"] = "usa-select" if name == "language" else "usa-textarea"

    @property
    def refuses_parent(self) -> bool:
        return self.parent_request and self.cleaned_data.get("decision") in self.refusing

    def review_kwargs(self) -> dict[str, Any]:
        """The action's arguments: the decision, and the notice when it refuses the parent."""
        data = self.cleaned_data
        notice = self.notice_content(data.get("language") or "en") if self.refuses_parent else None
        return {
            "decided_on": data["decided_on"],
            "decision": data["decision"],
            "reason": data["reason"],
            "notice": notice,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.refuses_parent:
            for name in NOTICE_ELEMENTS:
                if not (data.get(name) or "").strip():
                    self.add_error(
                        name, _("Refusing the parent's request needs this part of the notice.")
                    )
        return data


class NoticeForm(NoticeElementsMixin, UswdsMixin, forms.Form):
    action = forms.ChoiceField(
        label=_("The school"), choices=NoticeAction.choices, widget=forms.RadioSelect
    )
    issued_on = forms.DateField(label=_("Date of the notice"), widget=DATE)
    proposed_action_on = forms.DateField(
        label=_("The proposed action takes effect on"),
        required=False,
        widget=DATE,
        help_text=_(
            "For a proposal: the day the school would act. The notice must reach the parent a "
            "reasonable time before; the deadlines view shows whether it did."
        ),
    )
    language = forms.ChoiceField(label=_("Language of the notice"), choices=Language.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(self.element_fields(required=True))
        for name in NOTICE_ELEMENTS:
            self.fields[name].widget.attrs["class"] = "usa-textarea"

    def notice_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "action": data["action"],
            "content": self.notice_content(data["language"]),
            "issued_on": data["issued_on"],
            "proposed_action_on": data["proposed_action_on"],
        }


class ConsentRequestForm(UswdsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Consent for"), choices=ConsentKind.choices)
    sent_on = forms.DateField(label=_("Date the request was sent"), widget=DATE)
    method = forms.ChoiceField(label=_("How it was sent"), choices=ConsentMethod.choices)


class ConsentResponseForm(UswdsMixin, forms.Form):
    response = forms.ChoiceField(
        label=_("The parent's answer"),
        choices=[
            c
            for c in ConsentResponse.choices
            if c[0] not in (ConsentResponse.PENDING, ConsentResponse.NO_RESPONSE)
        ],
        widget=forms.RadioSelect,
    )
    received_on = forms.DateField(label=_("Date the answer was received"), widget=DATE)
    areas_agreed = forms.MultipleChoiceField(
        label=_("If partial: the areas the parent agreed to evaluate"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The areas left unchecked are recorded as refused."),
    )
    partial_note = forms.CharField(
        max_length=limits.NOTE,
        label=_("If partial: what the parent agreed to"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    refused_reason = forms.CharField(
        max_length=limits.NOTE,
        label=_("If refused: the reason the parent gave"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    document = forms.FileField(
        label=_("Signed form"),
        required=False,
        help_text=_("PDF, PNG, JPEG, Word (.docx) or text, up to 10 MB."),
    )

    def __init__(
        self, *args: Any, reevaluation: bool = False, areas: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(AreaOfConcern.choices)
        if areas:
            self.fields["areas_agreed"].choices = [(a, labels.get(a, a)) for a in areas]  # type: ignore[attr-defined]
        else:
            del self.fields["areas_agreed"]
        if reevaluation:  # CONSENT-04: the reevaluation may go ahead without an answer
            field = self.fields["response"]
            field.choices = [  # type: ignore[attr-defined]
                c for c in ConsentResponse.choices if c[0] != ConsentResponse.PENDING
            ]

    @classmethod
    def for_consent(cls, consent: Any, data: Any = None, files: Any = None) -> ConsentResponseForm:
        """The form for this consent: a reevaluation's offers "no answer"; a consent to evaluate
        on a referral offers the referral's areas, for a partial answer."""
        evaluates = consent.referral_id and consent.kind != ConsentKind.INITIAL_SERVICES
        return cls(
            data,
            files,
            reevaluation=consent.kind == ConsentKind.REEVALUATION,
            areas=consent.referral.areas_of_concern if evaluates else (),
            initial={"received_on": timezone.localdate()},
        )

    def answer_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = ("response", "received_on", "partial_note", "refused_reason", "document")
        return {**{n: data[n] for n in names}, "areas_agreed": data.get("areas_agreed") or ()}

    def clean_document(self) -> Any:
        return _checked_upload(self.cleaned_data.get("document"))


class ConsentAttemptForm(UswdsMixin, forms.Form):
    attempted_on = forms.DateField(label=_("Date of the attempt"), widget=DATE)
    method = forms.ChoiceField(label=_("How"), choices=ConsentMethod.choices)
    note = forms.CharField(
        max_length=limits.NOTE,
        label=_("What was done and the result"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssessmentForm(UswdsMixin, forms.Form):
    planned_on = forms.DateField(label=_("Date the plan was made"), widget=DATE)
    area = forms.ChoiceField(label=_("Area"), choices=AssessmentArea.choices)
    evaluator = forms.ModelChoiceField(label=_("Evaluator"), queryset=None)
    due_on = forms.DateField(
        label=_("Due on"),
        widget=DATE,
        help_text=_("No later than the legal deadline for the evaluation."),
    )
    instrument = forms.CharField(label=_("Instrument"), required=False, max_length=limits.NAME)

    def __init__(
        self, *args: Any, evaluators: Any, has_plan: bool, refused: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if refused:  # a partial consent: only the areas the parent agreed to
            self.fields["area"].choices = [  # type: ignore[attr-defined]
                c for c in AssessmentArea.choices if c[0] not in set(refused)
            ]
        self.fields["evaluator"].queryset = evaluators  # type: ignore[attr-defined]
        self.fields["evaluator"].label_from_instance = _evaluator_label  # type: ignore[attr-defined]
        if has_plan:
            del self.fields["planned_on"]


def assessment_form(data: Any, page: dict[str, Any], student: Any) -> AssessmentForm:
    """The form to add an assessment to the plan on the assessment plan page (`page` from
    `queries.assessment_plan_page`): evaluators of the district, due by the legal deadline."""
    today = timezone.localdate()
    deadline = page["deadline"]
    return AssessmentForm(
        data,
        evaluators=queries.evaluators_for(student, today=today),
        has_plan=page["plan"] is not None,
        refused=page["refused"],
        initial={"planned_on": today, "due_on": deadline.due_on if deadline else None},
    )


def _evaluator_label(staff: Any) -> str:
    name = staff.user.get_full_name() or staff.user.email
    return f"{name} ({staff.title})" if staff.title else name


def _present_label(staff: Any, roles: list[str]) -> str:
    name = staff.user.get_full_name() or staff.user.email
    return f"{name} ({', '.join(roles)})" if roles else name


class ScoreForm(UswdsMixin, forms.Form):
    name = forms.CharField(label=_("Score name"), required=False, max_length=100)
    value = forms.CharField(label=_("Value"), required=False, max_length=100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("name")) != bool(data.get("value")):
            self.add_error("value", _("Give both the name and the value, or neither."))
        return data


ScoreFormSet = forms.formset_factory(ScoreForm, extra=4, max_num=20)


def score_values(scores: Any) -> dict[str, str]:
    """The scores given on a valid score formset, by name."""
    return {
        row["name"].strip(): row["value"].strip()
        for row in scores.cleaned_data
        if row.get("name") and row.get("value")
    }


class AssessmentResultForm(UswdsMixin, forms.Form):
    instrument = forms.CharField(label=_("Instrument"), required=False, max_length=limits.NAME)
    completed_on = forms.DateField(label=_("Date completed"), widget=DATE)
    summary = forms.CharField(
        max_length=limits.LONG_TEXT,
        label=_("Summary of results"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReopenAssessmentForm(UswdsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is this assessment reopened?"),
        max_length=limits.LINE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: entered for the wrong student, or the wrong date. The results "
            "recorded stay in the record's history."
        ),
        error_messages={"required": _("Say why the assessment is reopened.")},
    )


class EvaluationReportForm(UswdsMixin, forms.Form):
    completed_on = forms.DateField(label=_("Date the report was completed"), widget=DATE)
    summary = forms.CharField(
        max_length=limits.LONG_TEXT, label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5})
    )


class EligibilityForm(UswdsMixin, forms.Form):
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DATE)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=EligibilityOutcome.choices, widget=forms.RadioSelect
    )
    primary_category = forms.ChoiceField(
        label=_("Primary disability category"),
        choices=[("", "—"), *DisabilityCategory.choices],
        required=False,
    )
    secondary_categories = forms.MultipleChoiceField(
        label=_("Secondary disability categories"),
        choices=DisabilityCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    has_disability = forms.BooleanField(
        label=_("The student has a disability (34 CFR 300.8)"), required=False
    )
    adverse_effect = forms.BooleanField(
        label=_("The disability adversely affects educational performance"), required=False
    )
    needs_sdi = forms.BooleanField(
        label=_("The student needs specially designed instruction"), required=False
    )
    impairment = forms.CharField(
        max_length=limits.NOTE,
        label=_("Physical or mental impairment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    major_life_activities = forms.MultipleChoiceField(
        label=_("Major life activities limited"),
        choices=list(MAJOR_LIFE_ACTIVITIES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    substantial_limitation = forms.BooleanField(
        label=_("The impairment substantially limits a major life activity"), required=False
    )
    no_evaluation_reason = forms.CharField(
        max_length=limits.NOTE,
        label=_("504 without a formal evaluation: the information the decision rests on"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    team_present = forms.ModelMultipleChoiceField(
        label=_("Staff present"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The student's team and case manager, the student's teachers, the evaluators of "
            "this referral, and you."
        ),
        error_messages={"required": _("Name the team members who made the decision.")},
    )
    others_present = forms.CharField(
        max_length=limits.NOTE,
        label=_("Other people present"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            'One a line, a name and a role: "Grace Lopez, mother" or "Dr. Ann Lee, pediatrician".'
        ),
    )
    parent_present = forms.BooleanField(label=_("The parent was present"), required=False)
    parent_invited = forms.BooleanField(
        label=_("The parent was invited and did not come"), required=False
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff, roles = people
        field = self.fields["team_present"]
        field.queryset = staff  # type: ignore[attr-defined]
        field.label_from_instance = lambda s: _present_label(s, roles.get(s.pk, []))  # type: ignore[attr-defined]

    def clean_others_present(self) -> list[Any]:
        try:
            return group.parse_others(self.cleaned_data.get("others_present", ""))
        except ValidationError as error:
            raise ValidationError(error.message_dict["others_present"]) from None

    def decision_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        outcome = data["outcome"]
        iep = outcome == EligibilityOutcome.IEP
        section_504 = outcome == EligibilityOutcome.SECTION_504
        return {
            "decided_on": data["decided_on"],
            "outcome": outcome,
            "team_present": list(data["team_present"]),
            "others_present": data["others_present"],
            "parent_present": data["parent_present"],
            "parent_invited": data["parent_invited"],
            "primary_category": data["primary_category"] if iep else "",
            "secondary_categories": data["secondary_categories"] if iep else [],
            "has_disability": data["has_disability"] if iep else None,
            "adverse_effect": data["adverse_effect"] if iep else None,
            "needs_sdi": data["needs_sdi"] if iep else None,
            "impairment": data["impairment"] if section_504 else "",
            "major_life_activities": data["major_life_activities"] if section_504 else [],
            "substantial_limitation": data["substantial_limitation"] if section_504 else None,
            "no_evaluation_reason": data["no_evaluation_reason"] if section_504 else "",
        }


# --- reevaluation -----------------------------------------------------------------------------


AGREEMENT_FIELDS = ("parent_name", "parent_agreed_on", "district_name", "district_agreed_on")


class AgreementMixin:
    """The parent's and the district's agreement: who and when, for each."""

    @staticmethod
    def agreement_fields(*, required: bool) -> dict[str, forms.Field]:
        return {
            "parent_name": forms.CharField(
                label=_("Parent who agreed"), required=required, max_length=limits.NAME
            ),
            "parent_agreed_on": forms.DateField(
                label=_("Date the parent agreed"), required=required, widget=DATE
            ),
            "district_name": forms.CharField(
                label=_("For the district, who agreed"), required=required, max_length=limits.NAME
            ),
            "district_agreed_on": forms.DateField(
                label=_("Date the district agreed"), required=required, widget=DATE
            ),
        }

    def agreement(self) -> Any:
        data = self.cleaned_data  # type: ignore[attr-defined]
        if not any(data.get(name) for name in AGREEMENT_FIELDS):
            return None
        return Agreement(
            parent_name=data["parent_name"],
            parent_agreed_on=data["parent_agreed_on"],
            district_name=data["district_name"],
            district_agreed_on=data["district_agreed_on"],
            note=data.get("note", ""),
        )


class ReevaluationForm(NoticeElementsMixin, AgreementMixin, UswdsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of reevaluation"), choices=ReevaluationKind.choices, widget=forms.RadioSelect
    )
    requested_on = forms.DateField(label=_("Date of the request"), widget=DATE)
    requested_by = forms.CharField(
        label=_("Requested by"),
        max_length=limits.NAME,
        help_text=_("The parent, the teacher, or the team member who started it."),
    )
    areas_of_concern = forms.MultipleChoiceField(
        label=_("Areas to reassess"),
        choices=AreaOfConcern.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one area of concern.")},
    )
    description = forms.CharField(
        max_length=limits.NOTE,
        label=_("Why reevaluate now?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(self.agreement_fields(required=False))
        self.fields["refuse"] = forms.BooleanField(
            label=_("The district refuses this parent's request"), required=False
        )
        self.fields["language"] = forms.ChoiceField(
            label=_("Language of the notice"), choices=Language.choices, required=False
        )
        self.fields.update(self.element_fields(required=False))
        for name in [*AGREEMENT_FIELDS, *NOTICE_ELEMENTS, "language"]:
            widget = self.fields[name].widget
            widget.attrs["class"] = {
                "language": "usa-select",
                **dict.fromkeys(NOTICE_ELEMENTS, "usa-textarea"),
            }.get(name, "usa-input")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [name for name in AGREEMENT_FIELDS if data.get(name)]
        if given and len(given) < len(AGREEMENT_FIELDS):
            for name in AGREEMENT_FIELDS:
                if not data.get(name) and name not in self.errors:
                    self.add_error(
                        name, _("Give who agreed and when, for the parent and for the district.")
                    )
        if data.get("refuse"):
            if given:
                self.add_error("refuse", _("Record an agreement or a refusal, not both."))
            for name in NOTICE_ELEMENTS:
                if not (data.get(name) or "").strip():
                    self.add_error(
                        name, _("Refusing the parent's request needs this part of the notice.")
                    )
        return data

    def refusal(self) -> actions_common.NoticeContent | None:
        if not self.cleaned_data.get("refuse"):
            return None
        return self.notice_content(self.cleaned_data.get("language") or "en")

    def start_kwargs(self) -> dict[str, Any]:
        """The arguments of `reevaluations.start_reevaluation`, from a valid form."""
        data = self.cleaned_data
        names = ("kind", "requested_on", "requested_by", "areas_of_concern", "description")
        return {
            **{n: data[n] for n in names},
            "early_agreement": self.agreement(),
            "refusal": self.refusal(),
        }


class WaiverForm(AgreementMixin, UswdsMixin, forms.Form):
    note = forms.CharField(
        max_length=limits.NOTE,
        label=_("Why the reevaluation is not needed"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.agreement_fields(required=True)
        for field in fields.values():
            field.widget.attrs["class"] = "usa-input"
        self.fields = {**fields, "note": self.fields["note"]}  # type: ignore[assignment]


class NoticeSentForm(UswdsMixin, forms.Form):
    sent_on = forms.DateField(label=_("Date the notice was sent"), widget=DATE)
    method = forms.ChoiceField(label=_("How it was sent"), choices=ConsentMethod.choices)
