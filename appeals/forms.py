"""The public lookup form: it cleans and classifies what a citizen typed."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import LookupOutcome
from .numbers import InvalidNumber, RegistrationNumber, normalise_registration_number

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
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "spellcheck": "false",
                "class": "input input--number",
                "aria-describedby": "number-hint",
            }
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs.pop("required", None)
        self.use_required_attribute = False

    def full_clean(self) -> None:
        super().full_clean()
        self._describe_errors()

    def mark_not_found(self) -> None:
        self.add_error("number", ValidationError(MESSAGES[LookupOutcome.NOT_FOUND], code=LookupOutcome.NOT_FOUND))
        self._describe_errors()

    def _describe_errors(self) -> None:
        """Tie the message beside the field to the input, for screen readers and styling."""
        if "number" in self.errors:
            self.fields["number"].widget.attrs.update(
                {
                    "aria-invalid": "true",
                    "aria-describedby": "number-hint number-error",
                    "class": "input input--number input--error",
                }
            )

    @property
    def outcome(self) -> LookupOutcome:
        """What the lookup came to, for the log and the status code (only after ``is_valid()``)."""
        if not self.errors:
            return LookupOutcome.FOUND
        return LookupOutcome(self.errors.as_data()["number"][0].code)
