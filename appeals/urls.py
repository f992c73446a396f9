from django.urls import path

from .views import public

app_name = "appeals"

urlpatterns = [
    path("", public.home, name="home"),
    path("track/", public.track, name="track"),
    path("track/statement.pdf", public.statement_pdf, name="statement_pdf"),
    path("how-it-works/", public.how_it_works, name="how_it_works"),
    path("complaints/", public.complaints, name="complaints"),
    path("contacts/", public.contacts, name="contacts"),
    path("privacy/", public.privacy, name="privacy"),
    path("accessibility/", public.accessibility, name="accessibility"),
]
