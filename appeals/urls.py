from django.urls import path

from .views import notices, public

app_name = "appeals"

urlpatterns = [
    path("", public.home, name="home"),
    path("track/", public.track, name="track"),
    path("track/statement.pdf", public.statement_pdf, name="statement_pdf"),
    path("notices/subscribe/", notices.subscribe, name="notices_subscribe"),
    path("notices/<slug:key>/", notices.notices, name="notices"),
    path("notices/<slug:key>/confirm/", notices.confirm, name="notices_confirm"),
    path("how-it-works/", public.how_it_works, name="how_it_works"),
    path("complaints/", public.complaints, name="complaints"),
    path("contacts/", public.contacts, name="contacts"),
    path("privacy/", public.privacy, name="privacy"),
    path("accessibility/", public.accessibility, name="accessibility"),
]
