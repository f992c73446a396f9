from django.urls import path

from . import views

app_name = "callcentre"

urlpatterns = [
    path("", views.search, name="search"),
    path("letters/<str:number>/", views.letter_detail, name="letter"),
]
