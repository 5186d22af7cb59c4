"""The DCAT-AP catalogue's addresses (mounted before the cms and Wagtail)."""

from django.urls import path, re_path

from standards.dcat.views import catalogue, dataset

app_name = "dcat"

urlpatterns = [
    path("catalog", catalogue, name="catalogue"),
    re_path(r"^catalog\.(?P<suffix>ttl|jsonld|rdf)$", catalogue, name="catalogue_file"),
    re_path(
        r"^records/(?P<record_id>[^/]+)\.(?P<suffix>ttl|jsonld|rdf)$",
        dataset,
        name="dataset_file",
    ),
]
