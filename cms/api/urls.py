"""URLs of the API, mounted at ``/api/``: version 1 of the records, the
OpenAPI schema and its Swagger UI (served from drf-spectacular-sidecar's static
files: no CDN)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from cms.api.views import RecordDetailView, RecordListView

app_name = "api"

urlpatterns = [
    path("v1/records/", RecordListView.as_view(), name="record_list"),
    path(
        "v1/records/<str:record_id>/", RecordDetailView.as_view(), name="record_detail"
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
