"""Vocabularies of the record envelope: record kinds and hub levels.

Hubs exist at four levels and a record carries its origin hub's level
(``originLevel``); settings, search filters, the REST API and the demo all read
the level codes from ``HubLevel``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """The four kinds of record that travel between hubs."""

    PROJECT = "project", _("Project")
    DATASET = "dataset", _("Dataset")
    COURSE = "course", _("Course")
    ORGANISATION = "organisation", _("Organisation")


# Headings of lists of records of one kind.
KIND_PLURALS = {
    Kind.PROJECT: _("Projects"),
    Kind.DATASET: _("Datasets"),
    Kind.COURSE: _("Courses"),
    Kind.ORGANISATION: _("Organisations"),
}


class HubLevel(models.TextChoices):
    """The level of a hub in the network, from the municipality up to the EU."""

    LOCAL = "local", _("Local hub")
    REGIONAL = "regional", _("Regional hub")
    NATIONAL = "national", _("National hub")
    EU = "eu", _("European hub")


# Codes as a plain tuple, for settings and validators that take a sequence.
HUB_LEVELS: tuple[str, ...] = tuple(HubLevel.values)
