"""Wagtail admin hooks: the Federation section (neighbours and sync health) and
the federation acts of the audit log."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from federation.admin_views import (
    FEDERATION_PERMISSION,
    URL_NAMESPACE,
    NeighbourCreateView,
    NeighbourDetailView,
    NeighbourIndexView,
    NeighbourRotateTokenView,
    NeighbourSyncView,
    SigningKeyIndexView,
    user_can_manage_federation,
)
from federation.audit import audit_actions_register

hooks.register("register_log_actions", audit_actions_register)

admin_urlpatterns = [
    path("", NeighbourIndexView.as_view(), name="index"),
    path("add/", NeighbourCreateView.as_view(), name="neighbour_add"),
    path("keys/", SigningKeyIndexView.as_view(), name="keys"),
    path("<int:neighbour_id>/", NeighbourDetailView.as_view(), name="neighbour_detail"),
    path(
        "<int:neighbour_id>/sync/", NeighbourSyncView.as_view(), name="neighbour_sync"
    ),
    path(
        "<int:neighbour_id>/rotate-token/",
        NeighbourRotateTokenView.as_view(),
        name="neighbour_rotate_token",
    ),
]


class FederationMenuItem(MenuItem):
    """The "Federation" menu item, shown only to users who may manage it."""

    def is_shown(self, request: HttpRequest) -> bool:
        return user_can_manage_federation(request.user)


@hooks.register("register_admin_urls")
def register_federation_urls() -> list[URLPattern | URLResolver]:
    """Mount the Federation views under /admin/federation/ (Wagtail wraps them in
    its admin-access check)."""
    return [
        path(
            "federation/",
            include((admin_urlpatterns, URL_NAMESPACE), namespace=URL_NAMESPACE),
        )
    ]


@hooks.register("register_admin_menu_item")
def register_federation_menu_item() -> MenuItem:
    """Add "Federation" to the admin menu for users who may manage neighbours."""
    return FederationMenuItem(
        _("Federation"),
        reverse(f"{URL_NAMESPACE}:index"),
        name="federation",
        icon_name="site",
        order=900,
    )


@hooks.register("register_permissions")
def register_federation_permission() -> QuerySet[Permission]:
    """Let administrators grant the Federation permission to groups in Wagtail's
    group editor."""
    app_label, codename = FEDERATION_PERMISSION.split(".")
    return Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    )
