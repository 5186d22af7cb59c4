"""The AI Act checklist of one project in the Wagtail admin: a page for the
editor, its JSON export and a printable page. Only users who may edit the
project see it (the latest draft, withheld fields included)."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.aiact.items import REGULATION
from cms.aiact.package import RegistrationPackage, registration_package_build
from cms.models import ProjectPage
from hubs.identity import hub_identity

URL_NAMESPACE = "cms_ai_act"


def editable_project(request: HttpRequest, page_id: int) -> ProjectPage:
    """The latest draft of project ``page_id``, if the user may edit it."""
    page = ProjectPage.objects.filter(pk=page_id).first()
    if page is None:
        raise Http404("No such project")
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return page.get_latest_revision_as_object()


def package_export(page: ProjectPage, package: RegistrationPackage) -> dict[str, Any]:
    """The package of ``page`` as the JSON export shows it."""
    return {
        "project": {
            "title": page.title,
            "recordId": page.record_id or None,
            "status": page.status,
            "hub": hub_identity().slug,
        },
        **package.as_dict(),
    }


class _ProjectView(View):
    http_method_names = ["get", "head", "options"]

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.project = editable_project(request, kwargs["page_id"])
        self.package = registration_package_build(page=self.project)

    def links(self) -> dict[str, str]:
        args = [self.project.pk]
        return {
            "edit": reverse("wagtailadmin_pages:edit", args=args),
            "json": reverse(f"{URL_NAMESPACE}:json", args=args),
            "print": reverse(f"{URL_NAMESPACE}:print", args=args),
        }


class ChecklistView(WagtailAdminTemplateMixin, _ProjectView, TemplateView):
    """What the registration package holds and what is missing, with why."""

    template_name = "cms/admin/ai_act_checklist.html"
    header_icon = "tasks"
    page_title = _("AI Act checklist")

    def get_page_subtitle(self) -> str:
        return self.project.title

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        # Without a trail the slim header would title the page "Home".
        return [
            *self.breadcrumbs_items,
            {"url": self.links()["edit"], "label": self.project.title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            project=self.project, package=self.package, links=self.links(), **kwargs
        )


class ChecklistJsonView(_ProjectView):
    """The registration package as a JSON download."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:  # noqa: ARG002  Django view signature
        text = json.dumps(
            package_export(self.project, self.package), ensure_ascii=False, indent=2
        )
        response = HttpResponse(text, content_type="application/json")
        filename = f"ai-act-package-{self.project.slug}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ChecklistPrintView(_ProjectView):
    """The registration package as a plain page to print or save as PDF."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(
            request,
            "cms/admin/ai_act_print.html",
            {
                "project": self.project,
                "package": self.package,
                "hub": hub_identity(),
                "regulation": REGULATION,
            },
        )
