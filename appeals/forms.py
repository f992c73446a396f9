"""Forms: the public lookup form, which cleans and classifies what a citizen typed, and the
staff forms of the letter workflow."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import AnswerChannel, Department, Executor, ExtensionGround, LookupOutcome, NonConsiderationGround
from .numbers import InvalidNumber, RegistrationNumber, normalise_registration_number
from .statuses import FINAL, TRANSITIONS, Status

MESSAGES = {
    LookupOutcome.EMPTY: _("Enter the registration number of your letter or request."),
    LookupOutcome.MALFORMED: _(
        "Enter the registration number as it is written on your acknowledgement, for example 2026-000042-6."
    ),
    LookupOutcome.CHECKSUM: _("This number has a typo: check each digit against your acknowledgement."),
    LookupOutcome.NOT_FOUND: _(
        "No letter or request is registered under this number. "
        "If you applied on paper, the Call Centre 195(6) can tell you your number."
    ),
}

# Longer input is cut before it is shown back: the page stays small whatever was sent.
ECHO_LIMIT = 100


class RegistrationNumberField(forms.Field):
    """A text field whose clean value is a :class:`RegistrationNumber`. It has none of
    CharField's validators, so every bad input gets one of the messages above, NUL bytes too."""

    widget = forms.TextInput

    def to_python(self, value: str | None) -> RegistrationNumber:
        try:
            return normalise_registration_number(value)
        except InvalidNumber as error:
            outcome = LookupOutcome(error.kind.value)
            raise ValidationError(MESSAGES[outcome], code=outcome.value) from None

    def validate(self, value: RegistrationNumber) -> None:
        """Emptiness is reported by ``to_python``, with its own message."""

    def bound_data(self, data, initial):
        return (data or "")[:ECHO_LIMIT]


class LookupForm(forms.Form):
    number = RegistrationNumberField(
        label=_("Registration number"),
        help_text=_("As written on your acknowledgement, for example 2026-000042-6."),
    )  # rendered by includes/_lookup_form.html, not by a widget template

    def mark_not_found(self) -> None:
        self.add_error("number", ValidationError(MESSAGES[LookupOutcome.NOT_FOUND], code=LookupOutcome.NOT_FOUND))

    @property
    def outcome(self) -> LookupOutcome:
        """What the lookup came to, for the log and the status code (only after ``is_valid()``)."""
        if not self.errors:
            return LookupOutcome.FOUND
        return LookupOutcome(self.errors.as_data()["number"][0].code)


# --- Staff forms (the back office) -----------------------------------------------------------


def _with_blank(choices) -> list[tuple[str, str]]:
    return [("", "—"), *choices]


class StatusChangeForm(forms.Form):
    """A status change; a closing status also says how the letter ended, in words the citizen
    reads on the public page (rules.check_closing says what each needs)."""

    status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(
        label=_("Public note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the citizen in the letter's history. Never write personal data here."),
    )
    answer_channel = forms.ChoiceField(
        label=_("How the answer was sent"),
        required=False,
        choices=_with_blank(AnswerChannel.choices),
        help_text=_("Required when the letter is answered."),
    )
    outgoing_number = forms.CharField(
        label=_("Outgoing number"),
        required=False,
        max_length=64,
        help_text=_("The answer's outgoing number, when it has one. The citizen sees it."),
    )
    forwarded_to = forms.CharField(
        label=_("Competent body"),
        required=False,
        max_length=255,
        help_text=_("Required when forwarding. The citizen sees it: write the body's full official name."),
    )
    ground = forms.ChoiceField(
        label=_("Ground for leaving without consideration"),
        required=False,
        choices=_with_blank(NonConsiderationGround.choices),
        help_text=_("Required when leaving without consideration. The citizen reads this wording."),
    )
    reason = forms.CharField(
        label=_("Note for staff"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Never shown to the public."),
    )

    # Which statuses each field is about: the others are left out when the letter cannot go to
    # any of them, and (with script) hidden until one of them is chosen.
    APPLIES_TO = {
        "answer_channel": {Status.ANSWERED},
        "outgoing_number": {Status.ANSWERED},
        "forwarded_to": {Status.FORWARDED},
        "ground": {Status.LEFT_WITHOUT_CONSIDERATION},
        "reason": set(FINAL),
    }

    def __init__(self, *args, letter, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS[Status(letter.status)]
        self.fields["status"].choices = [(s.value, s.label) for s in Status if s in allowed]
        for name, statuses in self.APPLIES_TO.items():
            if not statuses & allowed:
                del self.fields[name]
            else:
                self.fields[name].widget.attrs["data-statuses"] = " ".join(sorted(statuses))

    def clean(self):
        data = super().clean()
        rules.on_form(
            self,
            rules.check_closing,
            data.get("status", ""),
            forwarded_to=data.get("forwarded_to", ""),
            ground=data.get("ground", ""),
            answer_channel=data.get("answer_channel", ""),
        )
        return data


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    executor = forms.ModelChoiceField(label=_("Executor"), queryset=Executor.objects.none(), required=False)
    note = forms.CharField(label=_("Public note"), required=False, max_length=2000)

    def __init__(self, *args, departments, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["executor"].queryset = Executor.objects.filter(
            department__in=departments, is_active=True
        ).select_related("department")
        self.fields["executor"].label_from_instance = lambda e: f"{e.full_name} — {e.department.code}"

    def clean(self):
        data = super().clean()
        rules.on_form(self, rules.check_assignment, data.get("department"), data.get("executor"))
        return data


def staff_reason(help_text) -> forms.CharField:
    return forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), help_text=help_text
    )


class ExtendDueDateForm(forms.Form):
    working_days = forms.IntegerField(label=_("Extend by (working days)"), min_value=1)
    ground = forms.ChoiceField(
        label=_("Ground (shown to the citizen)"),
        choices=_with_blank(ExtensionGround.choices),
        help_text=_("Law on Citizens' Appeals, art. 10.2."),
    )
    reason = staff_reason(_("For staff only: the citizen sees the new due date and the ground chosen above."))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["working_days"].max_value = settings.APPEALS_MAX_EXTENSION_WORKING_DAYS
        self.fields["working_days"].validators.append(MaxValueValidator(settings.APPEALS_MAX_EXTENSION_WORKING_DAYS))


class ReopenForm(forms.Form):
    reason = staff_reason(_("For staff only: the citizen's timeline just says the letter was reopened."))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Registry export (CSV, UTF-8)"),
        help_text=_("Columns as described in the product's data exchange contract, in any order."),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file (write nothing)"),
        required=False,
        initial=True,
        help_text=_("Untick to import once the check finds no errors."),
    )
