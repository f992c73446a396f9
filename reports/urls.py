from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("letters/<slug:which>/", views.letter_list, name="letters"),
    path("export/<slug:table>.csv", views.export, {"file_format": "csv"}, name="export"),
    path("export/<slug:table>.xlsx", views.export, {"file_format": "xlsx"}, name="export_xlsx"),
]
