"""Public views of the cms outside the page tree."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from cms.presenters.record import stored_record_context
from cms.selectors import catalogue_record_get


@require_safe
def record_detail(request: HttpRequest, record_id: str) -> HttpResponse:
    """Any record this hub holds, own or federated, rendered from its body with
    the same template as a page of its kind (and its JSON-LD).

    Federated records are marked with their origin and link to the origin's page;
    a withdrawn record answers 410 Gone.
    """
    stored = catalogue_record_get(record_id=record_id)
    if stored is None:
        raise Http404("No such record")
    if stored.deleted:
        return TemplateResponse(
            request, "cms/record_gone.html", {"record": stored}, status=410
        )
    return TemplateResponse(
        request, f"cms/records/{stored.kind}.html", stored_record_context(stored)
    )


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the public site and the catalogue, not the admin, the
    API's heavy exports or GraphQL; the sitemap lists what is there."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /graphql",
        "Disallow: /api/",
        "Disallow: /alerts/",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
