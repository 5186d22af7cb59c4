"""The harvest sources in the Wagtail admin, for hub administrators only, each
with its last runs and their reports."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from standards.harvest.models import HarvestSource

RUNS_SHOWN = 10
LINES_SHOWN = 20


class HubAdministratorsOnly(BasePermissionPolicy):
    """Every action on the model is for active superusers (hub administrators):
    a source makes the hub fetch any URL and publish what it finds."""

    def user_has_permission(self, user: Any, action: str) -> bool:  # noqa: ARG002  Wagtail's signature
        return bool(user.is_active and user.is_superuser)

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:  # noqa: ARG002  Wagtail's signature
        return bool(user.is_active and user.is_superuser)

    def users_with_any_permission(self, actions: Any) -> QuerySet:  # noqa: ARG002  Wagtail's signature
        return get_user_model().objects.filter(is_active=True, is_superuser=True)

    def users_with_permission(self, action: str) -> QuerySet:  # noqa: ARG002  Wagtail's signature
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


class HarvestSourceInspectView(InspectView):
    """A source's settings and its last runs, each with its report."""

    def get_field_label(self, field_name: str, field: Any) -> str:
        if field_name == "last_runs":
            return str(_("Last runs"))
        return super().get_field_label(field_name, field)

    def get_last_runs_display_value(self) -> SafeString:
        runs = self.object.runs.all()[:RUNS_SHOWN]
        return format_html_join(
            "",
            "<p><strong>{} · {}</strong> {}</p><ul>{}</ul>",
            (
                (
                    f"{run.started:%Y-%m-%d %H:%M}",
                    run.get_status_display(),
                    _(
                        "%(created)s created, %(updated)s updated, "
                        "%(unchanged)s unchanged, %(withdrawn)s withdrawn, "
                        "%(refused)s refused. %(reason)s"
                    )
                    % {
                        "created": run.created,
                        "updated": run.updated,
                        "unchanged": run.unchanged,
                        "withdrawn": run.withdrawn,
                        "refused": run.refused,
                        "reason": run.reason,
                    },
                    format_html_join(
                        "",
                        "<li>{}: {}</li>",
                        (
                            (line["id"], line["reason"])
                            for line in run.lines[:LINES_SHOWN]
                        ),
                    )
                    or format_html(""),
                )
                for run in runs
            ),
        )


class HarvestSourceViewSet(ModelViewSet):
    """Add, change, remove harvest sources and see their runs."""

    model = HarvestSource
    menu_label = _("Harvest sources")
    icon = "download"
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = HarvestSourceInspectView
    inspect_view_fields = [
        "name",
        "url",
        "kind",
        "interval_minutes",
        "publish",
        "confirm_shrink",
        "last_runs",
    ]
    form_fields = [
        "name",
        "url",
        "kind",
        "interval_minutes",
        "publish",
        "confirm_shrink",
    ]
    list_display = ["name", "kind", "url", "publish"]
