from django.urls import path

from .views import public

app_name = "appeals"

urlpatterns = [
    path("", public.home, name="home"),
    path("track/", public.track, name="track"),
    path("how-it-works/", public.how_it_works, name="how_it_works"),
    path("complaints/", public.complaints, name="complaints"),
    path("contacts/", public.contacts, name="contacts"),
]
