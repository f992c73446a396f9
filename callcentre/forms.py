"""The operator's search form: one box that understands what the caller says, and filters."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from appeals.models import Department
from appeals.statuses import Status

from .query import InvalidQuery, QueryProblem, classify

MESSAGES = {
    QueryProblem.EMPTY: _("Enter what the caller knows: a registration number, a phone, an e-mail or a name."),
    QueryProblem.TOO_SHORT: _(
        "Enter at least 3 letters of a name, a whole phone number, an e-mail or a registration number."
    ),
    QueryProblem.TOO_LONG: _("The search is too long: enter at most 200 characters."),
    QueryProblem.CHECKSUM: _("This registration number has a typo: check each digit with the caller."),
}


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Registration number, phone, e-mail or name"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "input input--wide"}),
    )
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "input"})
    )
    received_to = forms.DateField(
        label=_("Received to"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "input"})
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False, empty_label=_("All departments")
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All statuses")), *Status.choices])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.fields["q"].validators.clear()  # NUL bytes and the like get our messages, not a 500

    def clean_q(self):
        text = self.cleaned_data.get("q") or ""
        try:
            return classify(text)
        except InvalidQuery as error:
            raise ValidationError(MESSAGES[error.problem], code=error.problem.value) from None

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("The end of the date range is before its start."))
        return data

    def filters_text(self) -> str:
        """The filters used, for the access log."""
        data = self.cleaned_data
        parts = [f"{name}={data[name]}" for name in ("received_from", "received_to", "status") if data.get(name)]
        if data.get("department"):
            parts.append(f"department={data['department'].code}")
        return " ".join(parts)
