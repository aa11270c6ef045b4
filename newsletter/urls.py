from django.urls import path

from . import link_tracking, views

app_name = "newsletter"

urlpatterns = [
    path("", views.signup, name="signup"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("challenge/", views.challenge, name="challenge"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "unsubscribe/<str:token>/one-click/",
        views.unsubscribe_one_click,
        name="unsubscribe_one_click",
    ),
    path("resubscribe/", views.resubscribe, name="resubscribe"),
    path("archive/", views.issue_list, name="issue_list"),
    path("archive/<int:pk>/", views.issue_detail, name="issue_detail"),
    path("l/<str:token>/", link_tracking.link_redirect, name="link_redirect"),
]
