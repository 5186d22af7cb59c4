"""Public URLs of the cms that are not pages (mounted before Wagtail's)."""

from django.urls import path

from cms.views import record_detail

app_name = "cms"

urlpatterns = [
    path("records/<str:record_id>/", record_detail, name="record_detail"),
]
