"""A second factor for staff sign-in (TOTP with recovery codes, django-otp). With
STAFF_SECOND_FACTOR on (production's default) a signed-in staff member reaches the back office,
the Call Centre and the reports only once a code from their authenticator app, or one of their
recovery codes, has been checked in this session. The first time, they enrol: a QR code to
scan, one code to confirm it, ten recovery codes shown once."""

from __future__ import annotations

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
# The staff areas, below the language prefix (the admin has none).
STAFF_AREAS = ("callcentre/", "reports/", "accounts/password_change/")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The 6 digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def needs_second_factor(request: HttpRequest) -> bool:
    """A signed-in user on a staff page, with no code checked in this session."""
    user = getattr(request, "user", None)
    if not settings.STAFF_SECOND_FACTOR or user is None or not user.is_authenticated or user.is_verified():
        return False
    path = request.path
    if path.startswith("/" + settings.ADMIN_URL.lstrip("/")):
        return not path.endswith(("/logout/", "/jsi18n/"))
    language_free = path.split("/", 2)[2] if path.count("/") >= 2 else ""
    return language_free.startswith(STAFF_AREAS)


class SecondFactorMiddleware:
    """Send a staff member whose session has no checked code to check one (or to enrol)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_second_factor(request):
            enrolled = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists()
            target = reverse("second_factor" if enrolled else "second_factor_setup")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return reverse("admin:index")
    return target


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Check a code from the authenticator app or a recovery code (used up once checked)."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_next(request))
        form.add_error("code", _("This code is not right, or it was used already. Try the code shown now."))
    return render(request, "accounts/second_factor.html", {"form": form, "next": _next(request)})


@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan, confirm with one code, keep the recovery codes."""
    if TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists():
        return HttpResponseRedirect(f"{reverse('second_factor')}?{urlencode({'next': _next(request)})}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            codes = _confirm(request.user, device)
            otp_login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("code", _("This code is not right. Check the time on your phone and try the code shown now."))
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#1b1b1b", light="#ffffff", title=str(_("QR code for the authenticator app"))
    )
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(
        request,
        "accounts/second_factor_setup.html",
        {"form": form, "qr": qr, "secret": secret, "next": _next(request)},
    )


@transaction.atomic
def _confirm(user, device: TOTPDevice) -> list[str]:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name="recovery codes")
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes
