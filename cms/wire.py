"""A record page as a record in wire form, as the page is now (a draft or a
preview too): the envelope from the page and this hub, the body from
``cms.mapping``. Publishing (``cms.services``) and the detail pages
(``cms.presenters.record``) use the same canonical URL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from wagtail.models import Page

from cms.mapping import body_from_page
from cms.models import HubPage
from federation.record_versions import schema_version_of
from hubs.identity import hub_identity


def page_record_url(page: Page, *, cache_object: object | None = None) -> str:
    """The canonical URL of ``page``: the hub's public URL and the page's path
    (the Wagtail site's host name is not what other hubs reach). Wagtail keeps
    the sites' root paths on ``cache_object`` (one for a batch of pages), else
    on the page."""
    parts = page.get_url_parts(cache_object)
    if parts is None:
        return ""
    _site_id, _root_url, path = parts
    return f"{hub_identity().public_url}{path}"


def page_wire(page: HubPage) -> dict[str, Any]:
    """The record of a record page in wire form. ``version`` is left out: the
    page does not know it."""
    identity = hub_identity()
    updated = (
        page.last_published_at or page.latest_revision_created_at or timezone.now()
    )
    body = body_from_page(page)
    return {
        "id": page.record_id or None,
        "kind": page.record_kind,
        "origin": identity.slug,
        "originPath": list(identity.path),
        "originLevel": identity.level,
        "version": None,
        "updatedAt": _iso(updated),
        "deleted": False,
        "language": page.record_language,
        "url": page_record_url(page) or None,
        "schemaVersion": schema_version_of(kind=page.record_kind, body=body),
        "body": body,
    }


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
