from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("author/<slug:slug>/", views.author_detail, name="author_detail"),
    path("reviewer/<slug:slug>/", views.reviewer_detail, name="reviewer_detail"),
]
