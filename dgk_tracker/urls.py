from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from appeals.views import notices
from web import second_factor
from web import views as ops

urlpatterns = [
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/", include("api.urls")),
    # The short link in an SMS: the recipient's notices page, in their language.
    path("n/<slug:key>", notices.short_link, name="notices_short"),
    # Staff pick their admin language here (a POST form, no script).
    path("i18n/", include("django.conf.urls.i18n")),
]

# Every public page lives under /az/, /ru/ or /en/; "/" redirects to the visitor's language.
urlpatterns += i18n_patterns(
    path("", include("appeals.urls")),
    path("callcentre/", include("callcentre.urls")),
    path("reports/", include("reports.urls")),
    # Sign in and out, change a password, reset a forgotten one by e-mail (Django's own views).
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/second-factor/", second_factor.verify, name="second_factor"),
    path("accounts/second-factor/setup/", second_factor.setup, name="second_factor_setup"),
    prefix_default_language=True,
)
