"""The filters of the leaders' list of plans: a school they lead, a kind, a status."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.forms import UswdsMixin
from tandem.people.models import School
from tandem.plans.listing import ListStatus, PlanFilters
from tandem.plans.models import PlanKind

_ALL = [("", _("All"))]


class PlanFilterForm(UswdsMixin, forms.Form):
    """A value not offered (a school elsewhere, a made-up status) is refused by name."""

    school = forms.ChoiceField(label=_("School"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of plan"), required=False, choices=_ALL + list(PlanKind.choices)
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_ALL + list(ListStatus.choices)
    )

    def __init__(self, data: Any, *, schools: list[School]) -> None:
        super().__init__(data)
        self._schools = {str(s.public_id): s for s in schools}
        self.fields["school"].choices = _ALL + [(k, s.name) for k, s in self._schools.items()]

    def filters(self) -> PlanFilters:
        """The filters chosen (none when unbound); call after is_valid()."""
        data = getattr(self, "cleaned_data", {})
        return PlanFilters(
            school=self._schools.get(data.get("school", "")),
            kind=data.get("kind", ""),
            status=data.get("status", ""),
        )
