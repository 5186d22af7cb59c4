"""The "Search dead letters" page of the Wagtail admin: the changes the search
engine refused for good, and a re-drive once the cause is fixed.

Views only translate HTTP to calls of selectors and services. Only superusers and
holders of ``DEAD_LETTER_PERMISSION`` may see the page or re-drive; everyone else
who reaches it gets a plain 403 (anonymous users go to the login page first, by
Wagtail's admin URL decorator).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from search.engine import SearchError
from search.redrive import dead_letters_redrive
from search.selectors import dead_letters_list, drain_state_get

DEAD_LETTER_PERMISSION = "search.redrive_deadletter"
URL_NAMESPACE = "search_admin"


def user_can_manage_dead_letters(user: AbstractUser | AnonymousUser) -> bool:
    """Whether ``user`` may see and re-drive search dead letters: active
    superusers and holders of ``DEAD_LETTER_PERMISSION``."""
    return bool(user.is_active and user.has_perm(DEAD_LETTER_PERMISSION))


class DeadLetterPermissionMixin:
    """Answer 403 to users who may not manage dead letters."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not user_can_manage_dead_letters(request.user):
            return HttpResponseForbidden(
                _("You may not see or re-drive search dead letters.")
            )
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class DeadLetterIndexView(
    DeadLetterPermissionMixin, WagtailAdminTemplateMixin, TemplateView
):
    """Every dead letter: record, version, reason, attempts, when it failed."""

    template_name = "search/admin/dead_letters.html"
    page_title = _("Search dead letters")
    header_icon = "warning"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            rows=dead_letters_list(), drain=drain_state_get(), **kwargs
        )


class DeadLetterRedriveView(DeadLetterPermissionMixin, View):
    """POST: send one dead letter (``record_id``) or all of them again."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        record_id = request.POST.get("record_id", "").strip()
        try:
            result = dead_letters_redrive(
                record_ids=[record_id] if record_id else None, user=request.user
            )
        except SearchError as error:
            messages.error(
                request,
                _("Re-drive failed, nothing was changed: %(error)s") % {"error": error},
            )
            return redirect(reverse(f"{URL_NAMESPACE}:dead_letters"))
        if result.unknown:
            messages.error(
                request,
                _("No dead letter for %(ids)s.") % {"ids": ", ".join(result.unknown)},
            )
        else:
            messages.success(
                request,
                _(
                    "Re-driven: %(indexed)s indexed, %(stale)s already newer in the "
                    "index, %(refused)s still refused, %(gone)s no longer stored."
                )
                % {
                    "indexed": result.indexed,
                    "stale": result.stale,
                    "refused": result.refused,
                    "gone": result.gone,
                },
            )
        return redirect(reverse(f"{URL_NAMESPACE}:dead_letters"))
