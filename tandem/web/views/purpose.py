"""The reader's purpose for opening records in this session, kept with each record they open."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tandem.access import purposes
from tandem.access.routes import Scope, writes
from tandem.core.forms import UswdsMixin


class PurposeForm(UswdsMixin, forms.Form):
    purpose = forms.ChoiceField(
        label=gettext_lazy("Why are you opening students' records today?"),
        required=False,
        help_text=gettext_lazy(
            "Kept with each record you open until you sign out. Without it, the log says how "
            "you work with the student (for example, as their case manager)."
        ),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["purpose"]
        field.choices = [("", _("How I work with each student")), *purposes.CHOICES.items()]  # type: ignore[attr-defined]


@writes(Scope.SELF)
@require_http_methods(["GET", "POST"])
def purpose_of_access(request: HttpRequest) -> HttpResponse:
    stored = request.session.get(purposes.SESSION_KEY, "")
    current = stored.removeprefix("chosen:")
    form = PurposeForm(request.POST or None, initial={"purpose": current})
    if request.method == "POST" and form.is_valid():
        request.session[purposes.SESSION_KEY] = purposes.chosen(form.cleaned_data["purpose"])
        messages.success(request, _("Your purpose was saved for this session."))
        return redirect("access_purpose")
    status = 400 if form.errors else 200
    return render(request, "account/purpose.html", {"form": form}, status=status)
