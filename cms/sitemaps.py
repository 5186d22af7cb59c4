"""The hub's sitemap: its Wagtail pages and every live record it holds that has
no page of its own here (federated records, own records without a page)."""

from __future__ import annotations

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from cms.presenters.listing import record_path
from federation.models import StoredRecord
from hubs.identity import hub_identity


class RecordSitemap(Sitemap):
    """Live records shown at ``/records/<id>/``; an own record whose ``url`` is
    one of this hub's pages is left to the pages section (one URL per record)."""

    changefreq = "weekly"

    def items(self) -> QuerySet[StoredRecord]:
        own_pages = StoredRecord.objects.filter(
            origin=hub_identity().slug,
            url__startswith=f"{hub_identity().public_url}/",
        )
        return (
            StoredRecord.objects.filter(deleted=False)
            .exclude(pk__in=own_pages.values("pk"))
            .only("record_id", "updated_at")
            .order_by("record_id")
        )

    def location(self, item: StoredRecord) -> str:
        return record_path(item.record_id)

    def lastmod(self, item: StoredRecord) -> dt.datetime:
        return item.updated_at


SITEMAPS = {"pages": PageSitemap, "records": RecordSitemap}
