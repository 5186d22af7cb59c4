"""URLs of the API, mounted at ``/api/``: version 1 of the records (wire form
and schema.org JSON-LD), the OpenAPI schema and its Swagger UI (served from
drf-spectacular-sidecar's static files: no CDN).

Record ids hold colons (``nl:project:<uuid>``) but never a slash, so ``str``
matches them; the ``.jsonld`` route needs no trailing slash and comes first.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from cms.api.views import RecordDetailView, RecordJsonLdView, RecordListView

app_name = "api"

urlpatterns = [
    path("v1/records/", RecordListView.as_view(), name="record_list"),
    path(
        "v1/records/<str:record_id>.jsonld",
        RecordJsonLdView.as_view(),
        name="record_jsonld",
    ),
    path(
        "v1/records/<str:record_id>/", RecordDetailView.as_view(), name="record_detail"
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
