"""The district's service settings, as a form (the district administrator's page)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.services.compensatory import ALWAYS_OWED, CHOOSABLE_OWED
from tandem.services.models import AttendanceCode

# Each number's bounds: wide enough for any district's rule, narrow enough to refuse a typo
# (a 900% threshold, a makeup window of a school year).
BOUNDS = {
    "late_after_days": (0, 365),
    "threshold_percent": (1, 100),
    "makeup_window_school_days": (1, 60),
    "absence_count": (2, 20),
    "absence_days": (7, 120),
}


def always_owed() -> list[str]:
    """The labels of the misses always owed, for the page to say so."""
    return [str(label) for code, label in AttendanceCode.choices if code in ALWAYS_OWED]


def _number(label: str, key: str, help_text: str) -> forms.IntegerField:
    low, high = BOUNDS[key]
    return forms.IntegerField(label=label, min_value=low, max_value=high, help_text=help_text)


def _labels(codes: object) -> list[tuple[str, str]]:
    labels = dict(AttendanceCode.choices)
    return [(code, labels[code]) for code in codes]  # type: ignore[attr-defined]


class ServiceSettingsForm(forms.Form):
    owed_codes = forms.MultipleChoiceField(
        label=_("Also owed back when missed"),
        choices=_labels(CHOOSABLE_OWED),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The minutes lost become compensatory minutes to make up. Misses caused by the "
            "district's own staffing are always owed. By default a student pulled for another "
            "activity, an unplanned closure and a technology failure are owed; a student's "
            "absence or refusal is not."
        ),
    )
    threshold_percent = _number(
        _("Served when at least this percent of the mandated minutes is delivered"),
        "threshold_percent",
        _(
            "Over the last 4 complete weeks. Below it, the case manager is alerted and the "
            "director's page lists the service as underserved. Default 90."
        ),
    )
    makeup_window_school_days = _number(
        _("A missed session is made up within this many school days"),
        "makeup_window_school_days",
        _(
            "Counted on the school's calendar. Minutes still owed after it are overdue "
            "and go to the IEP team for a compensatory decision. Default 5."
        ),
    )
    late_after_days = _number(
        _("A session log is late when entered more than this many days after the session"),
        "late_after_days",
        _(
            "A late log is marked late and held from Medicaid billing until a reason is given. Default 7."
        ),
    )
    absence_count = _number(
        _("Tell the case manager after this many student absences or refusals"),
        "absence_count",
        _("Of one service, within the number of days below. Default 3."),
    )
    absence_days = _number(
        _("Within this many days"),
        "absence_days",
        _("Default 28 (4 weeks)."),
    )
    teletherapy_consent_required = forms.BooleanField(
        label=_("Teletherapy needs the parent's written consent"),
        required=False,
        help_text=_(
            "When checked, the teletherapist's day shows beside each student whether the parent "
            "consented to teletherapy, and marks a student with no consent on file."
        ),
    )
