"""A small corpus for the faces of search (REST, HTML page, browser, GraphQL):
records at every level in Noord-Brabant, elsewhere in the Netherlands, Belgium
and Germany, with known facets."""

from typing import Any

from search.engine import search_engine
from tests.search.corpus import PLACES, index_all, wire


def face_records() -> list[dict[str, Any]]:
    """Nine projects and three organisations with known places and facets."""
    projects = [
        ("Verkeersalgoritme Eindhoven", "eindhoven", "eindhoven", "high", "mobility"),
        ("Parkeerscan Den Bosch", "den-bosch", "den-bosch", "high", "mobility"),
        ("Zorgrobot Helmond", "eindhoven", "helmond", "limited", "health"),
        ("Energievoorspelling Tilburg", "nl-nb", "tilburg", "minimal", "energy"),
        ("Chatbot Utrecht", "nl", "utrecht", "limited", "health"),
        ("Routeplanner Amsterdam", "amsterdam", "amsterdam", "minimal", "mobility"),
        ("Traffic model Leuven", "be", "leuven", "high", "mobility"),
        ("Verkehrsmodell München", "eu", "munich", "minimal", "mobility"),
        ("Algoritmeregister Nederland", "nl", None, "not-ai", "safety"),
    ]
    records = [
        wire(
            hub=hub,
            name=name,
            shortDescription=f"{name}: an AI project about {theme}.",
            aiActClass=ai_class,
            annexIiiArea="employment" if ai_class == "high" else None,
            themes=[theme],
            status="pilot",
            location=PLACES[place].location() if place else None,
            language="en",
        )
        for name, hub, place, ai_class, theme in projects
    ]
    records += [
        wire(
            kind="organisation",
            hub=hub,
            name=name,
            type="sme",
            openToPartnership=True,
            description="Computer vision and traffic data for cities.",
            location=PLACES[place].location(),
            language="en",
        )
        for name, hub, place in [
            ("Vision Lab Veldhoven", "eindhoven", "veldhoven"),
            ("Traffic Data Utrecht", "nl", "utrecht"),
            ("Vision Company Leuven", "be", "leuven"),
        ]
    ]
    return records


def face_corpus_index() -> list[dict[str, Any]]:
    """Index the corpus into the current alias; the records."""
    records = face_records()
    index_all(search_engine(), records)
    return records
