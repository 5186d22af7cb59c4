"""Record → index document: a pure function of the wire record.

Every hub that holds a record writes its document into the one shared index, and
with external versioning the first write of a version wins. So the document must
depend on the record alone - never on which hub builds it or when - or the index
would hold whichever hub's opinion arrived first. (``indexedAt`` is the one
exception; it is bookkeeping for rebuilds, not content.)

The **level** of a record is the level of its origin hub, ``originLevel`` in the
envelope. The depth of ``originPath`` does not say it (a local hub may hang directly
under a national one), so records from hubs that do not send ``originLevel`` yet
get a level derived from the record's own place, which every hub sees alike: a
NUTS 3 code → ``local``, NUTS 1 or 2 → ``regional``, only a country (or NUTS 0) →
``national``, no place → ``eu``.

A **tombstone** becomes a document too, with ``deleted: true`` and the tombstone's
version: it is never removed from the index, so its external version outlives the
engine's memory of deletes (``index.gc_deletes``) and a stale write that arrives
later is rejected. Every query filters ``deleted: false``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from federation.text import plain_text
from hubs.nuts import nuts_ancestors, nuts_country
from search.index import BODY_FACETS, LANGUAGES, LEVELS

# Transparency items a record discloses (a ``disclosures`` value) when the body
# field is filled: an objection route, human oversight, an impact assessment,
# published source code.
DISCLOSURES = {
    "objectionRoute": "objectionProcedure",
    "humanOversight": "humanIntervention",
    "impactAssessment": "impactAssessments",
    "sourceCode": "sourceCodeUrl",
}

# Where each kind keeps its title and the text that describes it.
_TITLE = {"project": "name", "dataset": "title", "course": "title"}
_SUMMARY = {"project": ("shortDescription",), "course": ("learningOutcomes",)}
_DESCRIPTION = {
    "project": ("description", "goal", "humanIntervention", "risks"),
    "dataset": ("description", "qualityNotes"),
    "course": ("description",),
    "organisation": ("description",),
}
_ORGANISATION = {
    "project": ("organisation", "department", "supplier"),
    "dataset": ("publisher",),
    "course": ("provider",),
    "organisation": (),
}
_EXPERTISE = (
    "keywords",
    "themes",
    "sectors",
    "technologies",
    "services",
    "targetGroups",
    "affectedGroups",
    # a project's algorithm register search terms and policy areas
    "tags",
    "policyAreas",
)


def document_build(wire: dict[str, Any]) -> dict[str, Any]:
    """The index document of a record in wire form (``federation.selectors.
    record_wire`` or ``Record.wire()``); a tombstone gives a tombstone document."""
    document: dict[str, Any] = {
        "id": wire["id"],
        "kind": wire["kind"],
        "origin": wire["origin"],
        "originPath": list(wire["originPath"]),
        "language": wire.get("language") or "en",
        "version": wire["version"],
        "updatedAt": wire["updatedAt"],
        "deleted": bool(wire.get("deleted")),
        "record": wire,
    }
    level = record_level(wire)
    if level:
        document["level"] = level
    body = wire.get("body")
    if document["deleted"] or not body:
        document["deleted"] = True
        return document
    document.update(_place(body.get("location") or {}))
    document.update(_texts(wire["kind"], body, document["language"]))
    for name in BODY_FACETS:
        if body.get(name) not in (None, [], ""):
            document[name] = body[name]
    funding = body.get("funding") or []
    programmes = sorted({item["programme"] for item in funding})
    if programmes:
        document["fundingProgrammes"] = programmes
        document["funding"] = [
            {"programme": item["programme"], "amountEur": item.get("amountEur")}
            for item in funding
        ]
    disclosed = [name for name, field in DISCLOSURES.items() if body.get(field)]
    if disclosed:
        document["disclosures"] = disclosed
    if wire["kind"] == "project":
        document.update(project_transparency(body))
    if body.get("partners"):
        document["partners"] = [item["organisation"] for item in body["partners"]]
    if body.get("datasets"):
        document["datasets"] = list(body["datasets"])
    return document


def project_transparency(body: dict[str, Any]) -> dict[str, Any]:
    """What a project's body says about its transparency, as facets: whether it
    publishes its source code and names a way to object, and which kinds of
    impact assessment it published (left out when none)."""
    facts: dict[str, Any] = {
        "sourceCodePublished": bool(body.get("sourceCodeUrl")),
        "objectionRoute": bool((body.get("objectionProcedure") or "").strip()),
        "aiActReadinessPublic": "aiActPackageComplete" in body,
    }
    kinds = sorted({item["type"] for item in body.get("impactAssessments") or []})
    if kinds:
        facts["impactAssessmentTypes"] = kinds
    return facts


def record_level(wire: dict[str, Any]) -> str | None:
    """The level a record belongs to (see the module docstring); None for a
    tombstone without ``originLevel``."""
    if wire.get("originLevel") in LEVELS:
        return wire["originLevel"]
    body = wire.get("body")
    if not body:
        return None
    location = body.get("location") or {}
    levels = [len(code) - 2 for code in location.get("nuts") or []]
    finest = max(levels, default=None)
    if finest == 3:
        return "local"
    if finest in (1, 2):
        return "regional"
    if finest == 0 or location.get("country"):
        return "national"
    return "eu"


def _place(location: dict[str, Any]) -> dict[str, Any]:
    codes = sorted(
        {
            ancestor
            for code in location.get("nuts") or []
            for ancestor in nuts_ancestors(code)
        }
    )
    place: dict[str, Any] = {}
    if codes:
        place["nuts"] = codes
        for level in (1, 2, 3):
            at_level = [code for code in codes if len(code) == level + 2]
            if at_level:
                place[f"nuts{level}"] = at_level
    country = location.get("country") or (nuts_country(codes[0]) if codes else None)
    if country:
        place["country"] = country
    if location.get("lat") is not None and location.get("lon") is not None:
        place["location"] = {"lat": location["lat"], "lon": location["lon"]}
    return place


def _texts(kind: str, body: dict[str, Any], language: str) -> dict[str, Any]:
    title = body.get(_TITLE.get(kind, "name"), "")
    summary = _join(body.get(name) for name in _SUMMARY.get(kind, ()))
    description = _join(plain_text(body.get(name)) for name in _DESCRIPTION[kind])
    texts: dict[str, Any] = {
        "title": title,
        "titleSuggest": title,
        "summary": summary,
        "description": description,
        "expertise": _join(
            value for name in _EXPERTISE for value in body.get(name) or []
        ),
        "organisation": _join(body.get(name) for name in _ORGANISATION[kind]),
    }
    texts = {name: value for name, value in texts.items() if value}
    if language in LANGUAGES:
        texts["i18n"] = {
            language: {
                name: texts[name]
                for name in ("title", "summary", "description")
                if name in texts
            }
        }
    return texts


def _join(values: Iterable[str | None]) -> str:
    return "\n".join(value for value in values if value)
