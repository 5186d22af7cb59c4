"""The "Federated records" section of the Wagtail admin: records received from
other hubs, read-only.

They belong to their origin hub and change only there, so these views answer GET
alone (any other method is 405) and offer no edit, delete or copy action, only
links to the public record page and to the origin's page.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.presenters.admin import record_display
from cms.selectors import federated_record_get, federated_records
from federation.records import Kind

URL_NAMESPACE = "cms_federated_records"
PAGE_SIZE = 50


class ReadOnlyAdminView(WagtailAdminTemplateMixin, TemplateView):
    """An admin page that only reads: other methods are refused with 405."""

    http_method_names = ["get", "head", "options"]
    header_icon = "site"


class FederatedRecordIndexView(ReadOnlyAdminView):
    """Records from other hubs, newest change first, optionally of one kind."""

    template_name = "cms/admin/federated_record_index.html"
    page_title = _("Federated records")

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kind = self.request.GET.get("kind") or None
        if kind not in {k.value for k in Kind}:
            kind = None
        records = federated_records(kind=kind)
        return super().get_context_data(
            records=records[:PAGE_SIZE],
            total=records.count(),
            kind=kind,
            kinds=[k.value for k in Kind],
            **kwargs,
        )


class FederatedRecordDetailView(ReadOnlyAdminView):
    """One record from another hub, with its origin."""

    template_name = "cms/admin/federated_record_detail.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        record = federated_record_get(pk=kwargs["pk"])
        if record is None:
            raise Http404("No such federated record")
        self.display = record_display(record)
        self.page_title = self.display.title

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(f"{URL_NAMESPACE}:index"),
                "label": _("Federated records"),
            },
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(display=self.display, **kwargs)
