"""URLs of the algorithm register export, mounted at
``/api/v1/algoritmeregister/``."""

from django.urls import path

from standards.algoritmeregister.views import EntryDetailView, EntryListView

app_name = "algoritmeregister"

urlpatterns = [
    path("", EntryListView.as_view(), name="list"),
    path("<str:record_id>.json", EntryDetailView.as_view(), name="detail"),
]
