"""Code → URI maps for DCAT-AP 3: the EU Vocabularies authority tables (countries,
languages, frequencies, file types, licences), NUTS and IANA media types.

The record keeps short codes (ISO 3166-1 alpha-2, ISO 639-1, SPDX, free frequency
text); DCAT-AP wants the URIs of controlled vocabularies, so the export maps them
here. A code without a URI is left out rather than guessed.
"""

from __future__ import annotations

import re

from django.utils import translation

from federation.vocabularies import FileFormat, UpdateFrequency
from federation.vocabularies.catalogue import EU_AUTHORITY, MEDIA_TYPES

NUTS_BASE = "http://data.europa.eu/nuts/code/"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
SPDX_LICENCES = "https://spdx.org/licenses/"
DATA_THEME_SCHEME = f"{EU_AUTHORITY}/data-theme"

# ISO 3166-1 alpha-2 → alpha-3 (the EU country table's codes) for every country
# NUTS covers, and the neighbours a hub may name.
COUNTRY_ALPHA3: dict[str, str] = {
    "AL": "ALB", "AT": "AUT", "BA": "BIH", "BE": "BEL", "BG": "BGR",
    "CH": "CHE", "CY": "CYP", "CZ": "CZE", "DE": "DEU", "DK": "DNK",
    "EE": "EST", "ES": "ESP", "FI": "FIN", "FR": "FRA", "GB": "GBR",
    "GR": "GRC", "HR": "HRV", "HU": "HUN", "IE": "IRL", "IS": "ISL",
    "IT": "ITA", "LI": "LIE", "LT": "LTU", "LU": "LUX", "LV": "LVA",
    "MD": "MDA", "ME": "MNE", "MK": "MKD", "MT": "MLT", "NL": "NLD",
    "NO": "NOR", "PL": "POL", "PT": "PRT", "RO": "ROU", "RS": "SRB",
    "SE": "SWE", "SI": "SVN", "SK": "SVK", "TR": "TUR", "UA": "UKR",
    "XK": "XKX",
}  # fmt: skip

# ISO 639-1 → the EU language table's codes (ISO 639-3 style).
LANGUAGE_CODES: dict[str, str] = {
    "bg": "BUL", "bs": "BOS", "ca": "CAT", "cs": "CES", "cy": "CYM",
    "da": "DAN", "de": "DEU", "el": "ELL", "en": "ENG", "es": "SPA",
    "et": "EST", "eu": "EUS", "fi": "FIN", "fr": "FRA", "fy": "FRY",
    "ga": "GLE", "gl": "GLG", "hr": "HRV", "hu": "HUN", "is": "ISL",
    "it": "ITA", "lb": "LTZ", "lt": "LIT", "lv": "LAV", "mk": "MKD",
    "mt": "MLT", "nl": "NLD", "no": "NOR", "pl": "POL", "pt": "POR",
    "ro": "RON", "ru": "RUS", "sk": "SLK", "sl": "SLV", "sq": "SQI",
    "sr": "SRP", "sv": "SWE", "tr": "TUR", "uk": "UKR",
}  # fmt: skip

# SPDX ids of this hub's licence list that the EU licence table lists under its
# own code; the rest (the CDLA licences) keep the SPDX URI, still a stable,
# dereferenceable licence document.
EU_LICENCES: dict[str, str] = {
    "CC0-1.0": "CC0",
    "CC-BY-4.0": "CC_BY_4_0",
    "CC-BY-SA-4.0": "CC_BYSA_4_0",
    "CC-BY-NC-4.0": "CC_BYNC_4_0",
    "CC-BY-ND-4.0": "CC_BYND_4_0",
    "CC-BY-NC-SA-4.0": "CC_BYNCSA_4_0",
    "CC-BY-NC-ND-4.0": "CC_BYNCND_4_0",
    "CC-BY-3.0": "CC_BY_3_0",
    "CC-BY-SA-3.0": "CC_BYSA_3_0",
    "ODbL-1.0": "ODC_BL",
    "ODC-By-1.0": "ODC_BY",
    "PDDL-1.0": "ODC_PDDL",
    "DL-DE-BY-2.0": "DLDE_BY_2_0",
    "DL-DE-ZERO-2.0": "DLDE_ZERO_2_0",
    "etalab-2.0": "ETALAB_2_0",
    "NLOD-2.0": "NLOD_2_0",
    "OGL-UK-3.0": "OGL_3_0",
    "EUPL-1.2": "EUPL_1_2",
    "EUPL-1.1": "EUPL_1_1",
    "Apache-2.0": "APACHE_2_0",
    "MIT": "MIT",
    "BSD-2-Clause": "BSD_2_CLAUSE",
    "BSD-3-Clause": "BSD_3_CLAUSE",
    "ISC": "ISC",
    "MPL-2.0": "MPL_2_0",
    "EPL-2.0": "EPL_2_0",
    "GPL-2.0-only": "GPL_2_0",
    "GPL-2.0-or-later": "GPL_2_0_OR_LATER",
    "GPL-3.0-only": "GPL_3_0",
    "GPL-3.0-or-later": "GPL_3_0_OR_LATER",
    "LGPL-2.1-only": "LGPL_2_1",
    "LGPL-2.1-or-later": "LGPL_2_1_OR_LATER",
    "LGPL-3.0-only": "LGPL_3_0",
    "LGPL-3.0-or-later": "LGPL_3_0_OR_LATER",
    "AGPL-3.0-only": "AGPL_3_0",
    "AGPL-3.0-or-later": "AGPL_3_0_OR_LATER",
    "Unlicense": "UNLICENCE",
}

# Free frequency text (English and Dutch, as editors write it) → frequency code.
_FREQUENCY_WORDS: dict[str, str] = {
    "continuous": "CONT",
    "continuously": "CONT",
    "real-time": "UPDATE_CONT",
    "realtime": "UPDATE_CONT",
    "real time": "UPDATE_CONT",
    "continuously updated": "UPDATE_CONT",
    "live": "UPDATE_CONT",
    "hourly": "HOURLY",
    "every hour": "HOURLY",
    "elk uur": "HOURLY",
    "daily": "DAILY",
    "every day": "DAILY",
    "dagelijks": "DAILY",
    "weekly": "WEEKLY",
    "every week": "WEEKLY",
    "wekelijks": "WEEKLY",
    "monthly": "MONTHLY",
    "every month": "MONTHLY",
    "maandelijks": "MONTHLY",
    "quarterly": "QUARTERLY",
    "every quarter": "QUARTERLY",
    "per kwartaal": "QUARTERLY",
    "twice a year": "ANNUAL_2",
    "semiannual": "ANNUAL_2",
    "semi-annual": "ANNUAL_2",
    "halfjaarlijks": "ANNUAL_2",
    "yearly": "ANNUAL",
    "annual": "ANNUAL",
    "annually": "ANNUAL",
    "every year": "ANNUAL",
    "jaarlijks": "ANNUAL",
    "irregular": "IRREG",
    "irregularly": "IRREG",
    "onregelmatig": "IRREG",
    "never": "NEVER",
    "one-off": "NEVER",
    "once": "NEVER",
    "eenmalig": "NEVER",
    "unknown": "UNKNOWN",
    "onbekend": "UNKNOWN",
}
# Spellings of file types → the EU file-type code.
_FORMAT_ALIASES: dict[str, str] = {
    "JSONLD": "JSON_LD",
    "JSON-LD": "JSON_LD",
    "RDF/XML": "RDF_XML",
    "RDF-XML": "RDF_XML",
    "RDF": "RDF_XML",
    "TURTLE": "RDF_TURTLE",
    "TTL": "RDF_TURTLE",
    "EXCEL": "XLSX",
    "TEXT": "TXT",
    "SHAPEFILE": "SHP",
    "HTM": "HTML",
}
_FORMAT_OF_MEDIA_TYPE = {media: code for code, media in MEDIA_TYPES.items()}


def country_uri(alpha2: str) -> str | None:
    """The EU country table URI of an ISO alpha-2 code (``NL`` → ``.../NLD``)."""
    alpha3 = COUNTRY_ALPHA3.get(alpha2.upper())
    return f"{EU_AUTHORITY}/country/{alpha3}" if alpha3 else None


def nuts_uri(code: str) -> str:
    """The NUTS URI of the EU's Publications Office for a NUTS code."""
    return f"{NUTS_BASE}{code}"


def language_uri(code: str) -> str | None:
    """The EU language table URI of an ISO 639-1 code (``nl`` → ``.../NLD``)."""
    eu_code = LANGUAGE_CODES.get(code.lower())
    return f"{EU_AUTHORITY}/language/{eu_code}" if eu_code else None


def licence_uri(spdx_id: str) -> str:
    """The licence document of an SPDX id: the EU licence table's URI where it
    has one, else the SPDX URI."""
    eu_code = EU_LICENCES.get(spdx_id)
    if eu_code:
        return f"{EU_AUTHORITY}/licence/{eu_code}"
    return f"{SPDX_LICENCES}{spdx_id}"


def frequency_uri(text: str) -> str | None:
    """The EU frequency URI of free frequency text, when it names one clearly."""
    words = re.sub(r"\s+", " ", text.strip().lower())
    code = _FREQUENCY_WORDS.get(words)
    if code is None and words.upper() in UpdateFrequency.values:
        code = words.upper()
    if code is None:
        with translation.override("en"):  # the same answer in every request language
            labels = {str(item.label).lower(): item.value for item in UpdateFrequency}
        code = labels.get(words)
    return f"{EU_AUTHORITY}/frequency/{code}" if code else None


def file_type_code(fmt: str | None, media_type: str | None) -> str | None:
    """The EU file-type code of a distribution's format, or of its media type."""
    if fmt:
        spelled = fmt.strip().upper()
        code = _FORMAT_ALIASES.get(spelled, spelled.replace("-", "_"))
        if code in FileFormat.values:
            return code
    if media_type:
        return _FORMAT_OF_MEDIA_TYPE.get(media_type.lower())
    return None


def file_type_uri(code: str) -> str:
    """The EU file-type URI of a file-type code (``CSV`` → ``.../file-type/CSV``)."""
    return f"{EU_AUTHORITY}/file-type/{code}"


def media_type_uri(media_type: str) -> str:
    """The IANA registry URI of a media type (``text/csv``)."""
    return f"{IANA_MEDIA_TYPES}{media_type.lower()}"
