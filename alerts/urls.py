"""Addresses of the alerts, mounted at ``/alerts/``."""

from django.urls import path

from alerts.views import confirm, subscribe, unsubscribe

app_name = "alerts"

urlpatterns = [
    path("subscribe/", subscribe, name="subscribe"),
    path("confirm/<str:token>/", confirm, name="confirm"),
    path("unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
]
