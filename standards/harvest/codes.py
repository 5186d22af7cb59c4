"""From the URIs and spellings of DCAT-AP and CKAN back to the record's codes
(the reverse of ``standards.dcat.vocabularies``). An unknown value maps to
nothing rather than to a guess."""

from __future__ import annotations

import datetime as dt
import re

from federation.vocabularies import (
    AccessRights,
    EuDataTheme,
    Language,
    UpdateFrequency,
    licences,
)
from federation.vocabularies.catalogue import EU_AUTHORITY
from standards.dcat.vocabularies import (
    COUNTRY_ALPHA3,
    EU_LICENCES,
    LANGUAGE_CODES,
    NUTS_BASE,
    SPDX_LICENCES,
    file_type_code,
)
from standards.harvest.items import ItemRefused

_ALPHA2 = {alpha3: alpha2 for alpha2, alpha3 in COUNTRY_ALPHA3.items()}
_LANGUAGE = {eu: iso for iso, eu in LANGUAGE_CODES.items()}
_EU_LICENCE = {eu: spdx for spdx, eu in EU_LICENCES.items()}
_CC = re.compile(
    r"^https?://creativecommons\.org/(licenses|publicdomain)/"
    r"(?P<kind>[a-z-]+)/(?P<version>[0-9.]+)/?",
    re.IGNORECASE,
)
# CKAN's licence ids (its default list) → SPDX.
CKAN_LICENCES = {
    "cc-by": "CC-BY-4.0",
    "cc-by-4.0": "CC-BY-4.0",
    "cc-by-sa": "CC-BY-SA-4.0",
    "cc-zero": "CC0-1.0",
    "cc0-1.0": "CC0-1.0",
    "cc-nc": "CC-BY-NC-4.0",
    "odc-by": "ODC-By-1.0",
    "odc-odbl": "ODbL-1.0",
    "odc-pddl": "PDDL-1.0",
    "uk-ogl": "OGL-UK-3.0",
    "gfdl": "GFDL-1.3-or-later",
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def licence_code(value: str) -> str:
    """The SPDX id of a licence URI, SPDX id or CKAN licence id; "" if unknown."""
    text = value.strip()
    known = licences()
    tail = text.rstrip("/").rsplit("/", 1)[-1].lower()
    candidates = [
        text,
        CKAN_LICENCES.get(text.lower(), ""),
        CKAN_LICENCES.get(tail, ""),
    ]
    if text.startswith(f"{EU_AUTHORITY}/licence/"):
        candidates.append(_EU_LICENCE.get(text.rsplit("/", 1)[-1], ""))
    if text.startswith(SPDX_LICENCES):
        candidates.append(text[len(SPDX_LICENCES) :].removesuffix(".html"))
    if match := _CC.match(text):
        kind = match["kind"].lower()
        spdx = "CC0" if kind == "zero" else f"CC-{kind.upper()}"
        candidates.append(f"{spdx}-{match['version']}")
    return next((code for code in candidates if code and code in known), "")


def theme_code(uri: str) -> str | None:
    """The data theme code of an EU data-theme URI."""
    code = uri.rstrip("/").rsplit("/", 1)[-1].upper()
    return code if "data-theme" in uri and code in EuDataTheme.values else None


def access_rights_code(uri: str) -> str | None:
    """public, restricted or non-public from an EU access-right URI or word."""
    word = uri.rstrip("/").rsplit("/", 1)[-1].lower().replace("_", "-")
    return word if word in AccessRights.values else None


def frequency_code(uri: str) -> str:
    """The frequency code of an EU frequency URI; "" if unknown."""
    code = uri.rstrip("/").rsplit("/", 1)[-1].upper()
    return code if code in UpdateFrequency.values else ""


def language_code(uri: str) -> str:
    """The ISO 639-1 code of an EU language URI, among the hub's languages."""
    code = _LANGUAGE.get(uri.rstrip("/").rsplit("/", 1)[-1].upper(), "")
    return code if code in Language.values else ""


def place_codes(uri: str) -> tuple[str, str]:
    """(country alpha-2, NUTS code) of an EU country or NUTS URI."""
    tail = uri.rstrip("/").rsplit("/", 1)[-1].upper()
    if uri.startswith(NUTS_BASE):
        return "", tail
    if "/country/" in uri:
        return _ALPHA2.get(tail, ""), ""
    return "", ""


def format_code(fmt: str, media_type: str) -> str:
    """The EU file-type code of a format (URI or word) or media type."""
    word = fmt.rstrip("/").rsplit("/", 1)[-1] if fmt else ""
    return file_type_code(word or None, media_type or None) or ""


def date_of(value: str, *, field: str) -> dt.date:
    """A date from an ISO date or date-time; ``ItemRefused`` otherwise."""
    text = value.strip()
    try:
        if not _DATE.match(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ItemRefused(f"{field}: invalid date {text[:40]!r}") from None
