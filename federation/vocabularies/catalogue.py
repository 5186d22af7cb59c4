"""Vocabularies of datasets (DCAT-AP 3): the EU's data themes, access rights,
update frequencies and file types, and personal data.

Codes are those of the EU Vocabularies authority tables, so a DCAT export only
prefixes them with the table's URI (``*_uri()``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

EU_AUTHORITY = "http://publications.europa.eu/resource/authority"


class EuDataTheme(models.TextChoices):
    """The 13 data themes of the EU Vocabularies (``data-theme`` table)."""

    AGRI = "AGRI", _("Agriculture, fisheries, forestry and food")
    ECON = "ECON", _("Economy and finance")
    EDUC = "EDUC", _("Education, culture and sport")
    ENER = "ENER", _("Energy")
    ENVI = "ENVI", _("Environment")
    GOVE = "GOVE", _("Government and public sector")
    HEAL = "HEAL", _("Health")
    INTR = "INTR", _("International issues")
    JUST = "JUST", _("Justice, legal system and public safety")
    REGI = "REGI", _("Regions and cities")
    SOCI = "SOCI", _("Population and society")
    TECH = "TECH", _("Science and technology")
    TRAN = "TRAN", _("Transport")


def data_theme_uri(code: str) -> str:
    """The EU Vocabularies URI of a data theme (DCAT ``dcat:theme``)."""
    return f"{EU_AUTHORITY}/data-theme/{EuDataTheme(code).value}"


class AccessRights(models.TextChoices):
    """Who may access a dataset (``access-right`` table)."""

    PUBLIC = "public", _("Public: anyone may access it")
    RESTRICTED = "restricted", _("Restricted: access under conditions")
    NON_PUBLIC = "non-public", _("Not public")


def access_rights_uri(code: str) -> str:
    """The EU Vocabularies URI of an access right (``dct:accessRights``)."""
    suffix = AccessRights(code).value.upper().replace("-", "_")
    return f"{EU_AUTHORITY}/access-right/{suffix}"


class PersonalData(models.TextChoices):
    """Whether a dataset holds data about people."""

    NONE = "none", _("No personal data")
    PSEUDONYMISED = "pseudonymised", _("Pseudonymised personal data")
    IDENTIFIED = "identified", _("Personal data of identifiable people")


class UpdateFrequency(models.TextChoices):
    """How often a dataset changes (``frequency`` table)."""

    CONT = "CONT", _("Continuously")
    UPDATE_CONT = "UPDATE_CONT", _("Continuously updated")
    HOURLY = "HOURLY", _("Hourly")
    DAILY = "DAILY", _("Daily")
    WEEKLY = "WEEKLY", _("Weekly")
    MONTHLY = "MONTHLY", _("Monthly")
    QUARTERLY = "QUARTERLY", _("Quarterly")
    ANNUAL_2 = "ANNUAL_2", _("Twice a year")
    ANNUAL = "ANNUAL", _("Yearly")
    IRREG = "IRREG", _("Irregularly")
    NEVER = "NEVER", _("Never (a one-off dataset)")
    UNKNOWN = "UNKNOWN", _("Unknown")


def frequency_uri(code: str) -> str:
    """The EU Vocabularies URI of an update frequency (``dct:accrualPeriodicity``)."""
    return f"{EU_AUTHORITY}/frequency/{UpdateFrequency(code).value}"


class FileFormat(models.TextChoices):
    """Common file types of distributions (``file-type`` table)."""

    CSV = "CSV", "CSV"
    JSON = "JSON", "JSON"
    GEOJSON = "GEOJSON", "GeoJSON"
    JSON_LD = "JSON_LD", "JSON-LD"
    XML = "XML", "XML"
    RDF_XML = "RDF_XML", "RDF/XML"
    RDF_TURTLE = "RDF_TURTLE", "Turtle"
    XLSX = "XLSX", "Excel (XLSX)"
    ODS = "ODS", "OpenDocument spreadsheet (ODS)"
    PARQUET = "PARQUET", "Parquet"
    PDF = "PDF", "PDF"
    HTML = "HTML", "HTML"
    TXT = "TXT", _("Plain text")
    ZIP = "ZIP", "ZIP"
    SHP = "SHP", "Shapefile"
    GML = "GML", "GML"


# The IANA media type of each file type, for DCAT ``dcat:mediaType``.
MEDIA_TYPES: dict[str, str] = {
    FileFormat.CSV: "text/csv",
    FileFormat.JSON: "application/json",
    FileFormat.GEOJSON: "application/geo+json",
    FileFormat.JSON_LD: "application/ld+json",
    FileFormat.XML: "application/xml",
    FileFormat.RDF_XML: "application/rdf+xml",
    FileFormat.RDF_TURTLE: "text/turtle",
    FileFormat.XLSX: (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    FileFormat.ODS: "application/vnd.oasis.opendocument.spreadsheet",
    FileFormat.PARQUET: "application/vnd.apache.parquet",
    FileFormat.PDF: "application/pdf",
    FileFormat.HTML: "text/html",
    FileFormat.TXT: "text/plain",
    FileFormat.ZIP: "application/zip",
    FileFormat.GML: "application/gml+xml",
}
