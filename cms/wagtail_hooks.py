"""Wagtail admin hooks of the cms: the read-only "Federated records" section."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.admin_views import (
    URL_NAMESPACE,
    FederatedRecordDetailView,
    FederatedRecordIndexView,
)

admin_urlpatterns = [
    path("", FederatedRecordIndexView.as_view(), name="index"),
    path("<int:pk>/", FederatedRecordDetailView.as_view(), name="detail"),
]


@hooks.register("register_admin_urls")
def register_federated_record_urls() -> list[URLPattern | URLResolver]:
    """Mount the read-only views under /admin/federated-records/ (Wagtail wraps
    them in its admin-access check)."""
    return [
        path(
            "federated-records/",
            include((admin_urlpatterns, URL_NAMESPACE), namespace=URL_NAMESPACE),
        )
    ]


@hooks.register("register_admin_menu_item")
def register_federated_record_menu_item() -> MenuItem:
    """Add "Federated records" to the admin menu of every admin user."""
    return MenuItem(
        _("Federated records"),
        reverse(f"{URL_NAMESPACE}:index"),
        name="federated-records",
        icon_name="site",
        order=850,
    )
