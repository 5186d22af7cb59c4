"""The hub's name on its Wagtail site: the default Site and its home page.

Migrations create the home page with a neutral title (``HOME_TITLE``), so one
migrated database can serve as the template of any hub; ``site_identity_apply``
(run by ``hubnet hub_bootstrap`` after every ``migrate``) gives them the hub's
name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from wagtail.models import Page, Site

# The home page's title before the hub is named (see migration 0002).
HOME_TITLE = "Home"


@dataclass(frozen=True)
class SiteIdentity:
    """What ``site_identity_apply`` found and did."""

    site_renamed: bool
    home_renamed: bool
    home_title: str

    def as_dict(self) -> dict[str, object]:
        return {
            "site_renamed": self.site_renamed,
            "home_renamed": self.home_renamed,
            "home_title": self.home_title,
        }


@transaction.atomic
def site_identity_apply(*, name: str) -> SiteIdentity:
    """Name the default Site and its home page after the hub; idempotent.

    The Site's name is the hub's identity: it always becomes ``name``. The home
    page's title is content: it follows the hub's name while it still carries
    the neutral title or the name the Site had (the name this service gave it
    last), and the page has never been saved by an editor (no revision); a title
    an editor chose is kept.
    """
    if not name.strip():
        raise ValueError("the hub's name must not be empty (HUB_NAME)")
    site = Site.objects.select_for_update().filter(is_default_site=True).first()
    if site is None:
        raise LookupError("this hub has no default Wagtail site; run migrate first")
    previous = site.site_name
    site_renamed = previous != name
    if site_renamed:
        Site.objects.filter(pk=site.pk).update(site_name=name)
    home = Page.objects.get(pk=site.root_page_id)
    ours = {HOME_TITLE, previous} - {""}
    home_renamed = (
        home.title != name
        and home.title in ours
        and home.draft_title in ours
        and home.latest_revision_id is None
    )
    if home_renamed:
        home.title = home.draft_title = name
        # Through Wagtail's save, so its search index sees the new title.
        home.save(update_fields=["title", "draft_title"], clean=False)
    return SiteIdentity(
        site_renamed=site_renamed, home_renamed=home_renamed, home_title=home.title
    )
