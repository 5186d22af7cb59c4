"""Wagtail admin hooks: the "Search dead letters" page and its permission, and
the search acts of the audit log."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from search.admin_views import (
    DEAD_LETTER_PERMISSION,
    URL_NAMESPACE,
    DeadLetterIndexView,
    DeadLetterRedriveView,
    user_can_manage_dead_letters,
)
from search.audit import audit_actions_register

hooks.register("register_log_actions", audit_actions_register)

admin_urlpatterns = [
    path("dead-letters/", DeadLetterIndexView.as_view(), name="dead_letters"),
    path(
        "dead-letters/redrive/",
        DeadLetterRedriveView.as_view(),
        name="dead_letters_redrive",
    ),
]


class DeadLetterMenuItem(MenuItem):
    """The "Search dead letters" menu item, shown only to users who may use it."""

    def is_shown(self, request: HttpRequest) -> bool:
        return user_can_manage_dead_letters(request.user)


@hooks.register("register_admin_urls")
def register_search_admin_urls() -> list[URLPattern | URLResolver]:
    """Mount the search admin views under /admin/search-index/ (Wagtail wraps
    them in its admin-access check)."""
    return [
        path(
            "search-index/",
            include((admin_urlpatterns, URL_NAMESPACE), namespace=URL_NAMESPACE),
        )
    ]


@hooks.register("register_admin_menu_item")
def register_dead_letter_menu_item() -> MenuItem:
    """Add "Search dead letters" to the admin menu for users who may use it."""
    return DeadLetterMenuItem(
        _("Search dead letters"),
        reverse(f"{URL_NAMESPACE}:dead_letters"),
        name="search-dead-letters",
        icon_name="warning",
        order=910,
    )


@hooks.register("register_permissions")
def register_dead_letter_permission() -> QuerySet[Permission]:
    """Let administrators grant the dead-letter permission in the group editor."""
    app_label, codename = DEAD_LETTER_PERMISSION.split(".")
    return Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    )
