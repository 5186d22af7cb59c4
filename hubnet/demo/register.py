"""Real entries of the Dutch algorithm register in the demo.

The demo's copy of a register export (``algoritmeregister_entries_nl.json`` in
``hubnet/demo_data/``, 0.x field names) goes to the NL hubs whose organisation
the entries name: a municipality ("Gemeente X") to the local hub whose area
holds it, else to the regional hub that does; a province ("Provincie X") to its
regional hub; anything else (a national body, or a place no hub covers) to the
national hub. Each hub imports its share with the register import
(``standards.algoritmeregister``), as draft project pages its coordinator can
edit, confirms the self-check's AI Act class the register does not give, and
publishes them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.core.management import call_command

from hubnet.demo.places import REGION_NAMES, HubAreas, place_lookup
from hubnet.demo.sources import DATA_DIR
from hubnet.localnet import HubSpec

REGISTER_FILE = DATA_DIR / "algoritmeregister_entries_nl.json"
COUNTRY = "NL"
_MUNICIPALITY = re.compile(r"^gemeente\s+(?P<name>\S.*)$", re.IGNORECASE)
_PROVINCE = re.compile(r"^provincie\s+(?P<name>\S.*)$", re.IGNORECASE)
# The municipal impact criteria as the demo's coordinators answer them, from
# the register text, for three entries that rate people for an intervention:
# (organisation, name) -> the answers, giving a high impact on people. Their
# Annex III area is not answered: the register gives none, and a high-risk class
# cannot be published without an objection route and an impact assessment,
# which these entries do not publish. The rest keep the page's defaults.
_HIGH_IMPACT = {
    "risk_profiling": True,
    "risk_human_influence": "substantial",
    "risk_rights_impact": "high",
}
SELF_CHECK_ANSWERS: dict[tuple[str, str], dict[str, Any]] = {
    # A list of young people at risk of serious crime.
    ("Gemeente Amsterdam", "Top 400/600"): _HIGH_IMPACT,
    # Young people's risk of drifting into drug crime.
    (
        "Gemeente Utrecht",
        "Risico-indicatoren & voorspelmodel jonge aanwas in de drugscriminaliteit",
    ): _HIGH_IMPACT,
    # Which benefit recipients are invited to a re-examination.
    ("Gemeente Rotterdam", "Heronderzoeken Uitkeringsgerechtigden"): _HIGH_IMPACT,
}


@cache
def register_entries(path: Path = REGISTER_FILE) -> tuple[dict[str, Any], ...]:
    """The register entries the demo imports, in file order."""
    return tuple(json.loads(path.read_text(encoding="utf-8")))


def register_hub(*, organisation: str, areas: HubAreas) -> str | None:
    """The hub that imports an entry of ``organisation`` (None: the network has
    no hub in the Netherlands)."""
    national = areas.national(COUNTRY)
    if national is None:
        return None
    name = " ".join(organisation.split())
    if match := _MUNICIPALITY.match(name):
        place = place_lookup(match["name"], COUNTRY)
        if place is not None and place.nuts:
            return areas.hub_for(country=COUNTRY, nuts=place.nuts)
    elif match := _PROVINCE.match(name):
        region = REGION_NAMES[COUNTRY].get(match["name"])
        if region is not None:
            return areas.hub_for(country=COUNTRY, nuts=region, finest="regional")
    return national


def register_plan(hubs: Sequence[HubSpec]) -> dict[str, list[dict[str, Any]]]:
    """The register entries each hub imports (hubs without any are left out)."""
    areas = HubAreas(hubs)
    plan: dict[str, list[dict[str, Any]]] = {}
    for entry in register_entries():
        slug = register_hub(
            organisation=str(entry.get("organization", "")), areas=areas
        )
        if slug is not None:
            plan.setdefault(slug, []).append(entry)
    return plan


@dataclass(frozen=True)
class RegisterSeedResult:
    """What seeding the register entries did."""

    published: int
    unchanged: int
    skipped: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "register_published": self.published,
            "register_unchanged": self.unchanged,
            "register_skipped": list(self.skipped),
        }


def demo_register_publish(*, entries: Sequence[Any]) -> RegisterSeedResult:
    """Import ``entries`` as project pages and publish each one whose latest
    revision is not live yet; idempotent (an unchanged, live page is left)."""
    # Django's apps are ready only inside a hub process (the runner plans
    # without them).
    from wagtail.signal_handlers import (
        disable_reference_index_auto_update,
    )

    from cms.models import ProjectPage
    from standards.algoritmeregister.services import (
        algoritmeregister_import,
    )

    # Seeding writes three revisions a page; the reference index (the admin's
    # "usage" counts) is rebuilt once, after the last one, not after each.
    with disable_reference_index_auto_update():
        result = _pages_publish(ProjectPage, algoritmeregister_import(entries=entries))
    call_command("rebuild_references_index", verbosity=0)
    return result


def _pages_publish(page_model: Any, report: Any) -> RegisterSeedResult:
    published = unchanged = 0
    skipped = []
    for line in report.lines:
        if line.page_id is None:
            skipped.append(f"{line.name}: {line.reason}")
            continue
        page = page_model.objects.get(pk=line.page_id)
        revision = page.get_latest_revision()
        if page.live and revision == page.live_revision:
            unchanged += 1
            continue
        draft = page.get_latest_revision_as_object()
        if not draft.ai_act_class:
            revision = _class_confirm(draft)
        revision.publish()
        published += 1
    return RegisterSeedResult(
        published=published, unchanged=unchanged, skipped=tuple(skipped)
    )


def _class_confirm(draft: Any) -> Any:
    """Answer the self-check and confirm its AI Act class, as a coordinator
    would before publishing: the register does not give it (a rule-based
    algorithm is "not an AI system"; see ``SELF_CHECK_ANSWERS``). Returns the
    new revision."""
    if draft.methods == "rule-based":
        draft.risk_is_ai_system = False
    key = (" ".join(draft.organisation_name.split()), " ".join(draft.title.split()))
    for field, answer in SELF_CHECK_ANSWERS.get(key, {}).items():
        setattr(draft, field, answer)
    draft.ai_act_class = draft.risk_suggestion.ai_act_class
    return draft.save_revision(log_action=True)
