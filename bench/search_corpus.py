"""The synthetic catalogue of the search benchmarks: records of four kinds in
four languages, spread over a hub tree (eu, countries, regions, municipalities)
around NUTS 3 label points, validated like any peer record, and applied to the
store as a sync would."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

HUBS = {  # slug: (originPath, level, NUTS prefixes the hub's records lie in)
    "eu": (["eu"], "eu", ["NL", "BE", "DE", "FR"]),
    "nl": (["eu", "nl"], "national", ["NL"]),
    "be": (["eu", "be"], "national", ["BE"]),
    "de": (["eu", "de"], "national", ["DE"]),
    "fr": (["eu", "fr"], "national", ["FR"]),
    "nl-nb": (["eu", "nl", "nl-nb"], "regional", ["NL41"]),
    "nl-zh": (["eu", "nl", "nl-zh"], "regional", ["NL33"]),
    "be-vl": (["eu", "be", "be-vl"], "regional", ["BE2"]),
    "de-by": (["eu", "de", "de-by"], "regional", ["DE2"]),
    "eindhoven": (["eu", "nl", "nl-nb", "eindhoven"], "local", ["NL414"]),
    "den-bosch": (["eu", "nl", "nl-nb", "den-bosch"], "local", ["NL413"]),
    "leuven": (["eu", "be", "be-vl", "leuven"], "local", ["BE242"]),
    "paris": (["eu", "fr", "paris"], "local", ["FR101"]),
}
WORDS = {
    "nl": [
        "slimme",
        "verkeerslichten",
        "afval",
        "zorg",
        "algoritmes",
        "beeld",
        "herkenning",
        "gemeente",
        "data",
        "energie",
        "voorspelling",
        "netwerk",
    ],
    "en": [
        "smart",
        "traffic",
        "waste",
        "care",
        "algorithms",
        "image",
        "recognition",
        "city",
        "data",
        "energy",
        "prediction",
        "network",
    ],
    "de": [
        "intelligente",
        "verkehr",
        "abfall",
        "pflege",
        "algorithmen",
        "bild",
        "erkennung",
        "stadt",
        "daten",
        "energie",
        "vorhersage",
        "netz",
    ],
    "fr": [
        "intelligent",
        "trafic",
        "déchets",
        "soins",
        "algorithmes",
        "image",
        "reconnaissance",
        "ville",
        "données",
        "énergie",
        "prévision",
        "réseau",
    ],
}
THEMES = ["mobility", "health", "energy", "safety", "environment", "education"]
TECHNOLOGIES = [
    "computer vision",
    "nlp",
    "machine learning",
    "robotics",
    "optimisation",
]
SECTORS = ["health", "mobility", "agriculture", "energy", "public administration"]
EINDHOVEN = (51.4416, 5.4697)


def _body(kind: str, rng: random.Random, language: str, place: Any) -> dict:
    words = WORDS[language]
    title = " ".join(rng.sample(words, 3)).capitalize()
    text = " ".join(rng.choice(words) for _ in range(40))
    location = {
        "lat": round(place.lat + rng.uniform(-0.05, 0.05), 5),
        "lon": round(place.lon + rng.uniform(-0.05, 0.05), 5),
        "nuts": [place.code],
        "country": place.country,
    }
    if kind == "project":
        ai_class = rng.choice(["high", "limited", "minimal", "not-ai"])
        return {
            "name": title,
            "shortDescription": text[:200],
            "description": text,
            "organisation": "Gemeente",
            "status": rng.choice(["idea", "pilot", "in-use"]),
            "themes": rng.sample(THEMES, 2),
            "sectors": rng.sample(SECTORS, 1),
            "technologies": rng.sample(TECHNOLOGIES, 2),
            "trl": rng.randint(1, 9),
            "aiActClass": ai_class,
            "annexIiiArea": "employment" if ai_class == "high" else None,
            "location": location,
        }
    if kind == "organisation":
        return {
            "name": title,
            "description": text,
            "type": rng.choice(["sme", "company", "knowledge-institution"]),
            "technologies": rng.sample(TECHNOLOGIES, 2),
            "sectors": rng.sample(SECTORS, 2),
            "openToPartnership": rng.random() < 0.5,
            "location": location,
        }
    if kind == "dataset":
        return {
            "title": title,
            "description": text,
            "publisher": "Bureau",
            "themes": rng.sample(THEMES, 1),
            "accessRights": rng.choice(["public", "restricted"]),
            "location": location,
        }
    return {
        "title": title,
        "description": text,
        "provider": "Academie",
        "mode": rng.choice(["online", "on-site", "blended"]),
        "targetGroups": ["professionals"],
        "location": location,
    }


def corpus_records(
    records: int,
    *,
    seed: int,
    hub_of: Callable[[int, random.Random], str] | None = None,
    english_share: float = 0.2,
    with_url: bool = False,
) -> Iterator[Any]:
    """``records`` valid synthetic records: four kinds, four languages, places
    around NUTS 3 label points; ``hub_of(number, rng)`` picks each one's hub
    (any hub of ``HUBS`` by default)."""
    from federation.records import record_validate
    from hubs.nuts import nuts_regions

    rng = random.Random(seed)
    regions = [r for r in nuts_regions().values() if r.level == 3]
    # Each prefix's places listed once, not per record (the same lists, so the
    # same corpus for a seed; at 10^6 records the filter was a third of the time).
    places = {
        prefix: [r for r in regions if r.code.startswith(prefix)]
        for _, _, prefixes in HUBS.values()
        for prefix in prefixes
    }
    slugs = sorted(HUBS)
    for number in range(records):
        slug = hub_of(number, rng) if hub_of else rng.choice(slugs)
        path, level, prefixes = HUBS[slug]
        prefix = rng.choice(prefixes)
        place = rng.choice(places[prefix])
        kind = rng.choices(
            ["project", "organisation", "dataset", "course"], weights=[5, 2, 1.5, 1.5]
        )[0]
        language = {"NL": "nl", "BE": "nl", "DE": "de", "FR": "fr"}[prefix[:2]]
        if english_share:
            language = "en" if rng.random() < english_share else language
        record = {
            "id": f"{slug}:{kind}:{uuid.UUID(int=rng.getrandbits(128))}",
            "kind": kind,
            "origin": slug,
            "originPath": path,
            "originLevel": level,
            "version": 1,
            "updatedAt": f"2026-{rng.randint(1, 11):02d}-01T10:00:00Z",
            "language": language,
            "body": _body(kind, rng, language, place),
        }
        if with_url:
            record["url"] = f"https://{slug}.example.org/r/{number}"
        yield record_validate(record)


def corpus_apply(records: int, seed: int = 7) -> float:
    """Apply ``records`` synthetic peer records to the store, generated and
    applied 1,000 at a time (memory stays flat); returns seconds."""
    from django.db import transaction

    from federation.services.store import records_apply

    started = time.perf_counter()
    batch: list = []
    for record in corpus_records(records, seed=seed):
        batch.append(record)
        if len(batch) == 1000:
            with transaction.atomic():
                records_apply(records=batch, source="bench-peer")
            batch = []
    if batch:
        with transaction.atomic():
            records_apply(records=batch, source="bench-peer")
    return time.perf_counter() - started
