"""The DCAT-AP catalogue's addresses (mounted before the cms and Wagtail)."""

from django.urls import path, re_path

from standards.dcat.views import catalogue

app_name = "dcat"

urlpatterns = [
    path("catalog", catalogue, name="catalogue"),
    re_path(r"^catalog\.(?P<suffix>ttl|jsonld|rdf)$", catalogue, name="catalogue_file"),
]
