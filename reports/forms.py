"""The reports' filter: a date range and (within what the user may see) a department."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_SPAN_DAYS = 5 * 366
DEFAULT_SPAN_DAYS = 90


class ReportFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, required=False)

    def __init__(self, *args, departments, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.fields["department"].queryset = departments
        self.fields["department"].empty_label = _("All departments")

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        date_to = data.get("date_to") or today
        date_from = data.get("date_from") or date_to - dt.timedelta(days=DEFAULT_SPAN_DAYS)
        if "date_to" in self.errors or "date_from" in self.errors:
            return data
        if date_to > today:
            self.add_error("date_to", ValidationError(_("The period cannot end in the future."), code="future"))
        if date_from > date_to:
            self.add_error(
                "date_from", ValidationError(_("The start of the period is after its end."), code="reversed")
            )
        elif (date_to - date_from).days > MAX_SPAN_DAYS:
            self.add_error("date_from", ValidationError(_("Choose a period of at most five years."), code="too_long"))
        data["date_from"], data["date_to"] = date_from, date_to
        return data
