"""URLs of the search API, mounted under ``/api/v1/``."""

from django.urls import path

from search.api.exports import ExportCsvView, ExportXlsxView
from search.api.views import PartnersView, SearchView, SuggestView
from search.insight.api import InsightView

app_name = "search_api"

urlpatterns = [
    path("search", SearchView.as_view(), name="search"),
    path("search/export.csv", ExportCsvView.as_view(), name="export_csv"),
    path("search/export.xlsx", ExportXlsxView.as_view(), name="export_xlsx"),
    path("suggest", SuggestView.as_view(), name="suggest"),
    path("partners", PartnersView.as_view(), name="partners"),
    path("insight", InsightView.as_view(), name="insight"),
]
