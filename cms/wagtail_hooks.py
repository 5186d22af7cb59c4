"""Wagtail admin hooks of the cms: the read-only "Federated records" section and
a project's AI Act checklist (its page, a header button, a publish warning)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem

from cms.admin_views import (
    URL_NAMESPACE,
    FederatedRecordDetailView,
    FederatedRecordIndexView,
)
from cms.aiact import admin_views as ai_act_views
from cms.aiact.package import package_publish_warning
from cms.models import ProjectPage

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


ai_act_urlpatterns = [
    path("<int:page_id>/", ai_act_views.ChecklistView.as_view(), name="checklist"),
    path("<int:page_id>/json/", ai_act_views.ChecklistJsonView.as_view(), name="json"),
    path(
        "<int:page_id>/print/", ai_act_views.ChecklistPrintView.as_view(), name="print"
    ),
]


@hooks.register("register_admin_urls")
def register_ai_act_urls() -> list[URLPattern | URLResolver]:
    """Mount a project's AI Act checklist under /admin/ai-act/<page id>/."""
    namespace = ai_act_views.URL_NAMESPACE
    return [path("ai-act/", include((ai_act_urlpatterns, namespace), namespace))]


class AiActChecklistButton(PageMenuItem):
    """The page header's link to a project's AI Act checklist."""

    label = _("AI Act checklist")
    icon_name = "tasks"

    def is_shown(self, user: Any) -> bool:
        return isinstance(self.page.specific_deferred, ProjectPage) and bool(
            self.page.permissions_for_user(user).can_edit()
        )

    @property
    def url(self) -> str:
        return reverse(f"{ai_act_views.URL_NAMESPACE}:checklist", args=[self.page.pk])


@hooks.register("register_page_header_buttons")
def ai_act_checklist_button(
    page: Any,
    user: Any,  # noqa: ARG001  Wagtail passes it; the button checks it itself
    view_name: str,  # noqa: ARG001  Wagtail hook signature
    next_url: str | None = None,  # noqa: ARG001  Wagtail hook signature
) -> Iterator[PageMenuItem]:
    """Offer the checklist in the header of a project's pages in the admin."""
    yield AiActChecklistButton(page=page, priority=66)


def _warn_incomplete_package(
    request: HttpRequest, page: Any, *, live_only: bool = True
) -> None:
    specific = page.specific
    if isinstance(specific, ProjectPage) and (specific.live or not live_only):
        warning = package_publish_warning(page=specific)
        if warning:
            messages.warning(request, warning)


@hooks.register("after_publish_page")
def warn_on_publish(request: HttpRequest, page: Any) -> None:
    """Warn (never block) when a high-risk system in use lacks its package."""
    _warn_incomplete_package(request, page)


@hooks.register("after_create_page")
def warn_on_create(request: HttpRequest, page: Any) -> None:
    """The same warning when a project is published as it is created."""
    _warn_incomplete_package(request, page)


def _moderating(request: HttpRequest) -> bool:
    post = request.POST
    return bool(
        post.get("action-submit")
        or post.get("action-restart-workflow")
        or (
            post.get("action-workflow-action")
            and post.get("workflow-action-name") == "approve"
        )
    )


@hooks.register("after_edit_page")
def warn_on_moderation(request: HttpRequest, page: Any) -> None:
    """The same warning on the road to publishing that editors take: when they
    submit for moderation, and when a coordinator approves."""
    if _moderating(request):
        _warn_incomplete_package(request, page, live_only=False)
