"""The registration package of one project: each legal item with its value,
whether the law asks for it here, and what is missing (a selector: it reads the
page as it is in memory, so the publish check and the checklist agree)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from django.utils.translation import ngettext

from cms.aiact.items import (
    FRIA_ASSESSMENT_ITEMS,
    LEGAL_ITEMS,
    NATIONAL_AREAS,
    REGULATION,
    RESTRICTED_AREAS,
    RESTRICTED_REGISTRATION_ITEMS,
    LegalItem,
)

if TYPE_CHECKING:
    from cms.models import ProjectPage

Route = Literal["none", "eu-database", "eu-database-restricted", "national"]


@dataclass(frozen=True)
class ItemStatus:
    """One legal item of one project: its value, and whether it is owed here."""

    item: LegalItem
    value: str
    required: bool

    @property
    def present(self) -> bool:
        return bool(self.value)

    @property
    def missing(self) -> bool:
        return self.required and not self.value

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.item.key,
            "part": self.item.part,
            "reference": self.item.reference,
            "label": str(self.item.label),
            "why": str(self.item.why),
            "value": self.value or None,
            "required": self.required,
            "missing": self.missing,
        }


@dataclass(frozen=True)
class RegistrationPackage:
    """What a deployer registers (Art. 49(3), Annex VIII C) and assesses (Art. 27)
    for one project, with what is missing."""

    high_risk: bool
    area: str
    route: Route
    fria_owed: bool
    items: tuple[ItemStatus, ...]

    @property
    def restricted(self) -> bool:
        return self.area in RESTRICTED_AREAS

    @property
    def missing(self) -> tuple[ItemStatus, ...]:
        return tuple(status for status in self.items if status.missing)

    @property
    def complete(self) -> bool:
        return self.high_risk and not self.missing

    @property
    def fria_performed(self) -> bool:
        return all(
            status.present
            for status in self.items
            if status.item.key in FRIA_ASSESSMENT_ITEMS
        )

    @property
    def fria_notified(self) -> bool:
        return any(s.present for s in self.items if s.item.key == "art-27-3")

    def as_dict(self) -> dict[str, Any]:
        return {
            "regulation": REGULATION,
            "highRisk": self.high_risk,
            "annexIiiArea": self.area or None,
            "route": self.route,
            "restricted": self.restricted,
            "friaOwed": self.fria_owed,
            "complete": self.complete,
            "friaPerformed": self.fria_performed,
            "friaNotified": self.fria_notified,
            "missing": [status.item.key for status in self.missing],
            "items": [status.as_dict() for status in self.items],
        }


def registration_package_build(*, page: ProjectPage) -> RegistrationPackage:
    """The registration package of ``page``: every item of Annex VIII Section C
    and Art. 27(1), (3), marked as owed according to the system's Annex III area
    (Art. 49(3)-(5), Art. 27(1))."""
    high_risk = page.ai_act_class == "high"
    area = page.annex_iii_area or ""
    route = _route(high_risk=high_risk, area=area)
    fria_owed = high_risk and area not in NATIONAL_AREAS
    items = tuple(
        ItemStatus(
            item=item,
            value=item.read(page),
            required=_required(item, route=route, fria_owed=fria_owed),
        )
        for item in LEGAL_ITEMS
    )
    return RegistrationPackage(
        high_risk=high_risk, area=area, route=route, fria_owed=fria_owed, items=items
    )


def _route(*, high_risk: bool, area: str) -> Route:
    if not high_risk:
        return "none"
    if area in NATIONAL_AREAS:
        return "national"
    if area in RESTRICTED_AREAS:
        return "eu-database-restricted"
    return "eu-database"


def _required(item: LegalItem, *, route: Route, fria_owed: bool) -> bool:
    if item.part == "fria":
        return fria_owed
    if route == "eu-database":
        return True
    if route == "eu-database-restricted":
        return item.key in RESTRICTED_REGISTRATION_ITEMS
    return False


def package_publish_warning(*, page: ProjectPage) -> str:
    """What to warn an editor of on publishing ``page``: a high-risk system in
    use whose registration package is incomplete (empty when nothing is)."""
    if page.status != "in-use":
        return ""
    package = registration_package_build(page=page)
    if not package.high_risk or package.complete:
        return ""
    return ngettext(
        "This high-risk system is in use, but its AI Act registration package "
        "lacks %(count)d item. See the AI Act checklist.",
        "This high-risk system is in use, but its AI Act registration package "
        "lacks %(count)d items. See the AI Act checklist.",
        len(package.missing),
    ) % {"count": len(package.missing)}
