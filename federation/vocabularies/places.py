"""Places: NUTS 2021 regions and the countries they cover, from ``hubs.nuts``
(the list ships with the project; nothing is read from outside it). Country names
come from django-countries, translated into the active language."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from hubs.nuts import NUTS_CODE, nuts_country, nuts_region, nuts_regions


def nuts_codes_validate(codes: Iterable[str]) -> None:
    """Refuse codes that are not NUTS 2021 regions, naming each one."""
    unknown = [code for code in codes if not _is_nuts(code)]
    if unknown:
        raise ValidationError(
            _(
                "%(codes)s is not a NUTS 2021 region code. Use codes like NL41 "
                "(Noord-Brabant) or NL414 (Zuidoost-Noord-Brabant)."
            ),
            code="unknown_nuts",
            params={"codes": ", ".join(unknown)},
        )


def _is_nuts(code: str) -> bool:
    return bool(NUTS_CODE.match(code)) and nuts_region(code) is not None


def nuts_label(code: str) -> str:
    """``NL414 Zuidoost-Noord-Brabant`` (or the bare code when unknown)."""
    region = nuts_region(code) if NUTS_CODE.match(code) else None
    return f"{code} {region.name_latin}" if region else code


def country_name(code: str) -> str:
    """The name of an ISO 3166-1 alpha-2 country in the active language
    (``NL`` → "Netherlands", "Nederland", "Pays-Bas"); the code when unknown."""
    return countries.name(code) or code


@cache
def _nuts_countries() -> tuple[str, ...]:
    """The ISO codes of the countries NUTS covers (read once per process)."""
    return tuple(
        sorted(
            {
                nuts_country(region.code)
                for region in nuts_regions().values()
                if region.level == 0
            }
        )
    )


def country_choices() -> list[tuple[str, Any]]:
    """The countries NUTS covers, by ISO 3166-1 alpha-2 code, sorted by their
    name in the active language (a model field calls it for every form)."""
    names = countries.countries
    choices = [(code, names.get(code, code)) for code in _nuts_countries()]
    return sorted(choices, key=lambda choice: str(choice[1]))


def country_of_nuts(codes: Iterable[str]) -> set[str]:
    """The ISO countries of NUTS codes (``EL30`` → ``GR``)."""
    return {nuts_country(code) for code in codes if NUTS_CODE.match(code)}
