from django.urls import path, re_path

from . import views

app_name = "api"

# [\s\S] rather than `.`: a number with a newline in it (%0A) must still get a JSON answer.
urlpatterns = [
    path("v1/openapi.json", views.openapi_view, name="openapi"),
    re_path(r"^v1/letters/(?P<number>[\s\S]*)$", views.letter_view, name="letter"),
    re_path(r"^(?P<rest>[\s\S]*)$", views.not_found_view),
]
