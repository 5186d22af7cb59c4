"""A seeded catalogue for the dashboard tests: records applied to the catalogue
store (as a sync would) and drained into the module's index on the real node,
and the same figures counted straight from the store (``catalogue_counts``), the
known answers every panel must give."""

import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from federation.models import StoredRecord
from federation.records import record_validate
from federation.services.store import records_apply
from hubs.identity import hub_identity
from search.engine import search_engine
from search.index import index_alias
from search.indexing import index_drain, index_ensure
from tests.search.corpus import PLACES, tombstone, wire

HIGH = {"aiActClass": "high", "annexIiiArea": "employment"}
OPEN = {
    "objectionProcedure": "Object within six weeks.",
    "humanIntervention": "An officer checks every decision.",
    "impactAssessments": [{"type": "dpia", "title": "DPIA"}],
}


def _id(hub: str, kind: str, name: str) -> str:
    """The same id in every test (the module's index keeps what a test drains)."""
    return f"{hub}:{kind}:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def _project(hub: str, place: str, month: str, **body: Any) -> dict[str, Any]:
    return wire(
        hub=hub,
        record_id=_id(hub, "project", place + month),
        updated_at=f"2026-{month}-05T10:00:00Z",
        location=PLACES[place].location(),
        **body,
    )


def seed_records() -> list[dict[str, Any]]:
    """Six projects, two courses, an organisation, a dataset and a tombstone."""
    records = [
        _project(
            "den-bosch",
            "den-bosch",
            "09",
            **HIGH,
            **OPEN,
            aiActPackageComplete=True,
            friaPerformed=True,
            friaNotified=True,
            publiclyFunded=True,
            sourceCodeUrl="https://example.org/code",
            decisionType="descriptive",
            funding=[{"programme": "digital-europe", "amountEur": 100_000}],
        ),
        _project(
            "eindhoven",
            "eindhoven",
            "10",
            **HIGH,
            aiActPackageComplete=False,
            friaPerformed=True,
            friaNotified=False,
            publiclyFunded=True,
            objectionProcedure="Write to the mayor.",
            decisionType="predictive",
            funding=[
                {"programme": "digital-europe", "amountEur": 50_000},
                {"programme": "horizon-europe", "amountEur": 20_000},
            ],
        ),
        # a restricted Annex III area: its readiness is not public
        _project("nl-nb", "tilburg", "10", **{**HIGH, "annexIiiArea": "migration"}),
        _project(
            "nl",
            "utrecht",
            "11",
            aiActClass="limited",
            publiclyFunded=True,
            sourceCodeUrl="https://example.org/chatbot",
            funding=[{"programme": "horizon-europe", "amountEur": 30_000}],
        ),
        _project(
            "be",
            "leuven",
            "11",
            **HIGH,
            humanIntervention="A clerk decides.",
            aiActPackageComplete=False,
            friaPerformed=False,
            friaNotified=False,
        ),
        _project("eu", "munich", "11", aiActClass="minimal"),
        wire(
            kind="course",
            hub="nl-nb",
            record_id=_id("nl-nb", "course", "1"),
            targetGroups=["policy-makers", "civil-servants"],
            eqfLevel=6,
            location=PLACES["eindhoven"].location(),
        ),
        wire(
            kind="course",
            hub="be",
            record_id=_id("be", "course", "1"),
            targetGroups=["students"],
            eqfLevel=5,
            location=PLACES["leuven"].location(),
        ),
        wire(
            kind="organisation",
            hub="eindhoven",
            record_id=_id("eindhoven", "organisation", "1"),
            name="Vision Lab",
            type="sme",
            location=PLACES["veldhoven"].location(),
        ),
        wire(kind="dataset", hub="nl", record_id=_id("nl", "dataset", "1")),
    ]
    gone = wire(hub="nl-nb", record_id=_id("nl-nb", "project", "gone"), **HIGH)
    return [*records, tombstone(gone)]


@pytest.fixture
def seeded(search_alias, settings) -> Iterator[None]:
    """The seed in the store and the index, at the hub nl-nb (EU > NL > NL-NB)."""
    # applied by the default hub: a hub ignores records of its own origin
    hub_identity.cache_clear()
    index_ensure()
    with transaction.atomic():
        records_apply(
            records=[record_validate(data) for data in seed_records()], source="nl"
        )
    index_drain()
    search_engine().index_refresh(name=index_alias())
    settings.HUB_SLUG = "nl-nb"
    settings.HUB_PATH = ["eu", "nl", "nl-nb"]
    hub_identity.cache_clear()
    yield
    hub_identity.cache_clear()


def _in_scope(stored: StoredRecord, scope: str | None) -> bool:
    return scope is None or scope in stored.origin_path


def catalogue_counts(*, scope: str | None = None, **where: str) -> dict[str, Any]:
    """Every panel's figures counted from the store (live records in ``scope``,
    body fields equal to ``where``): panel name → {value: count}, and for
    funding {programme: (records, sum)}, for transparency {share: (has, base)}."""
    live = [
        stored
        for stored in StoredRecord.objects.filter(deleted=False)
        if _in_scope(stored, scope)
        and all(
            _place(stored).get(k, stored.body.get(k)) == v for k, v in where.items()
        )
    ]
    projects = [s for s in live if s.kind == "project"]
    courses = [s for s in live if s.kind == "course"]
    counts: dict[str, Any] = {
        "kinds": Counter(s.kind for s in live),
        "levels": Counter(s.origin_level for s in live),
        "countries": Counter(_place(s)["country"] for s in live if _place(s)),
        "regions": Counter(
            code[:4] for s in live for code in _place(s).get("nuts", [])
        ),
        "months": Counter(f"{s.updated_at:%Y-%m}" for s in live),
        "ai_act_classes": Counter(s.body["aiActClass"] for s in projects),
        "decision_types": Counter(
            s.body["decisionType"] for s in projects if s.body.get("decisionType")
        ),
        "impact_levels": Counter(
            s.body["impactLevel"] for s in projects if s.body.get("impactLevel")
        ),
        "target_groups": Counter(g for s in courses for g in s.body["targetGroups"]),
        "school_levels": Counter(
            s.body["schoolLevel"] for s in courses if s.body.get("schoolLevel")
        ),
        "eqf_levels": Counter(s.body["eqfLevel"] for s in courses),
    }
    funding: dict[str, tuple[int, int]] = {}
    for stored in projects:
        for programme in {line["programme"] for line in stored.body.get("funding", [])}:
            records, amount = funding.get(programme, (0, 0))
            added = sum(
                line["amountEur"]
                for line in stored.body["funding"]
                if line["programme"] == programme
            )
            funding[programme] = (records + 1, amount + added)
    counts["funding"] = funding
    high = [s for s in projects if s.body["aiActClass"] == "high"]
    funded = [s for s in projects if s.body.get("publiclyFunded")]
    counts["high_risk_areas"] = Counter(s.body["annexIiiArea"] for s in high)
    shown = [s for s in high if "aiActPackageComplete" in s.body]
    counts["ai_act_readiness"] = {
        share: (sum(bool(s.body.get(field)) for s in shown), len(shown))
        for share, field in (
            ("package_complete", "aiActPackageComplete"),
            ("fria_performed", "friaPerformed"),
            ("fria_notified", "friaNotified"),
        )
    }
    counts["transparency"] = {
        "objection_route": (
            sum(bool(s.body.get("objectionProcedure")) for s in high),
            len(high),
        ),
        "human_oversight": (
            sum(bool(s.body.get("humanIntervention")) for s in high),
            len(high),
        ),
        "impact_assessment": (
            sum(bool(s.body.get("impactAssessments")) for s in high),
            len(high),
        ),
        "source_code": (
            sum(bool(s.body.get("sourceCodeUrl")) for s in funded),
            len(funded),
        ),
    }
    return counts


def _place(stored: StoredRecord) -> dict[str, Any]:
    return (stored.body or {}).get("location") or {}
