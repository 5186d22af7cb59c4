"""Wagtail admin hooks of the standards app: the harvest sources."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from standards.harvest.admin import HarvestSourceViewSet, HubAdministratorsOnly
from standards.harvest.models import HarvestSource

register_permission_policy(HarvestSource, HubAdministratorsOnly(HarvestSource))


@hooks.register("register_admin_viewset")
def register_harvest_viewset() -> HarvestSourceViewSet:
    """The "Harvest sources" menu item and views."""
    return HarvestSourceViewSet("harvest_sources")
