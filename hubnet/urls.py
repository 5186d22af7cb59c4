"""URLs of one hub."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms.sitemaps import SITEMAPS
from cms.views import robots_txt
from federation.graphql.views import HubGraphQLView
from federation.views import signing_keys_document
from hubnet.graphql import schema
from hubnet.views import healthz, metrics

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path(
        ".well-known/hubnet-keys.json",
        signing_keys_document,
        name="signing-keys",
    ),
    path("metrics", metrics, name="metrics"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("graphql", HubGraphQLView.as_view(schema=schema), name="graphql"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/algoritmeregister/", include("standards.algoritmeregister.urls")),
    path("api/v1/", include("search.api.urls")),
    path("api/", include("cms.api.urls")),
    path("search/", include("search.urls")),
    path("alerts/", include("alerts.urls")),
    path("insight/", include("search.insight.urls")),
    path("", include("standards.dcat.urls")),
    path("", include("cms.urls")),
    path("", include(wagtail_urls)),
]
