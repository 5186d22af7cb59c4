"""Harvesting: a hub fills itself from DCAT-AP catalogues, CKAN portals, algorithm
register exports and other hubs' catalogues (see ``services``)."""
