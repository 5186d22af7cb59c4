"""The public part of the API: the hub, browsing records, one record typed."""

from typing import Any

import pytest
from graphql import (
    GraphQLObjectType,
    get_named_type,
    is_leaf_type,
)

from federation.models import StoredRecord
from federation.records import record_validate
from federation.selectors import record_wire
from federation.services.keys import key_statements, own_key
from federation.services.store import record_publish, record_tombstone
from federation.signing import public_key_load, record_canonical, verify
from federation.wire import HUB_QUERY
from hubnet.graphql import schema
from hubs.identity import hub_identity
from tests.federation.factories import (
    body_for,
    body_full,
    graphql_post,
    neighbour_with_token,
    stored_record,
)

pytestmark = pytest.mark.django_db

RECORDS_QUERY = """
query Records(
  $kinds: [RecordKind!], $origin: String, $within: String, $country: String,
  $search: String, $first: Int, $after: String
) {
  records(
    kinds: $kinds, origin: $origin, within: $within, country: $country,
    search: $search, first: $first, after: $after
  ) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id kind } }
  }
}
"""


def _records(client: Any, **variables: Any) -> dict[str, Any]:
    status, body = graphql_post(client, RECORDS_QUERY, variables)
    assert status == 200, body
    assert "errors" not in body, body
    return body["data"]["records"]


def _ids(page: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in page["edges"]]


def _selection(type_: GraphQLObjectType) -> str:
    """Every field of ``type_``, nested object types expanded."""
    parts = []
    for name, field in type_.fields.items():
        named = get_named_type(field.type)
        if is_leaf_type(named):
            parts.append(name)
        else:
            parts.append(f"{name} {{ {_selection(named)} }}")  # type: ignore[arg-type]
    return " ".join(parts)


# The hub ----------------------------------------------------------------------


@pytest.fixture
def identity(settings):
    settings.HUB_SLUG = "nl-nb"
    settings.HUB_NAME = "AI Hub Brabant"
    settings.HUB_LEVEL = "regional"
    settings.HUB_COUNTRY = "NL"
    settings.HUB_NUTS = "NL41"
    settings.HUB_PATH = ["eu", "nl", "nl-nb"]
    settings.HUB_LATITUDE = 51.5
    settings.HUB_LONGITUDE = 5.1
    settings.HUB_PUBLIC_URL = "https://brabant.example.org"
    hub_identity.cache_clear()
    yield
    hub_identity.cache_clear()


def test_hub_query_of_the_wire_protocol_is_anonymous(client, identity):
    # when a hub is asked who it is, without a token
    status, body = graphql_post(client, HUB_QUERY)
    # then
    assert status == 200
    assert body == {
        "data": {
            "hub": {
                "slug": "nl-nb",
                "name": "AI Hub Brabant",
                "level": "regional",
                "country": "NL",
                "nuts": "NL41",
                "path": ["eu", "nl", "nl-nb"],
            }
        }
    }


def test_hub_shows_location_url_and_enabled_neighbours_without_tokens(client, identity):
    # given two enabled neighbours and a disabled one
    parent, parent_token = neighbour_with_token(
        slug="nl", name="NL AI Coalitie", role="parent", endpoint_url="https://nl.eu"
    )
    neighbour_with_token(
        slug="den-bosch", name="Den Bosch", role="child", endpoint_url="https://db.nl"
    )
    neighbour_with_token(slug="old", role="peer", enabled=False)
    # when
    status, body = graphql_post(
        client,
        "{ hub { url location { lat lon } "
        "neighbours { slug name role endpointUrl } } }",
    )
    # then public information only
    assert status == 200
    assert body["data"]["hub"] == {
        "url": "https://brabant.example.org",
        "location": {"lat": 51.5, "lon": 5.1},
        "neighbours": [
            {
                "slug": "den-bosch",
                "name": "Den Bosch",
                "role": "child",
                "endpointUrl": "https://db.nl",
            },
            {
                "slug": "nl",
                "name": "NL AI Coalitie",
                "role": "parent",
                "endpointUrl": "https://nl.eu",
            },
        ],
    }
    assert parent_token not in str(body)
    assert parent.outbound_token not in str(body)


def test_neighbour_type_has_no_token_fields():
    # when the schema's neighbour type is inspected, then it shows no secrets
    neighbour_type = schema.graphql_schema.get_type("Neighbour")
    assert set(neighbour_type.fields) == {"slug", "name", "role", "endpointUrl"}


# Browsing records -------------------------------------------------------------


@pytest.fixture
def catalogue() -> dict[str, str]:
    """Records from several places; the name of each to its id."""
    made = {
        "own project": record_publish(
            kind="project", body=body_for("project", name="Own scan")
        ),
        "nl dataset": stored_record(kind="dataset", origin="nl"),
        "nb course": stored_record(
            kind="course",
            origin="nl-nb",
            origin_path=["eu", "nl", "nl-nb"],
            location={"country": "NL"},
        ),
        "be organisation": stored_record(
            kind="organisation",
            origin="be",
            origin_path=["eu", "be"],
            location={"country": "BE"},
        ),
        "db project": stored_record(
            kind="project",
            origin="den-bosch",
            origin_path=["eu", "nl", "nl-nb", "den-bosch"],
            name="Parkeerscan Den Bosch",
        ),
    }
    deleted = stored_record(kind="dataset", origin="nl")
    stored_record(kind="dataset", record_id=deleted.record_id, version=2, deleted=True)
    return {name: stored.record_id for name, stored in made.items()}


def test_records_are_public_newest_change_first_without_tombstones(client, catalogue):
    # when anyone browses
    page = _records(client)
    # then every live record, most recently changed first
    assert page["totalCount"] == 5
    assert _ids(page) == [
        catalogue["db project"],
        catalogue["be organisation"],
        catalogue["nb course"],
        catalogue["nl dataset"],
        catalogue["own project"],
    ]
    assert page["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kinds": ["project"]}, ["db project", "own project"]),
        ({"kinds": ["dataset", "course"]}, ["nb course", "nl dataset"]),
        ({"origin": "nl"}, ["nl dataset"]),
        ({"within": "nl-nb"}, ["db project", "nb course"]),
        ({"within": "nl"}, ["db project", "nb course", "nl dataset"]),
        ({"country": "be"}, ["be organisation"]),
        ({"country": "NL"}, ["db project", "nb course", "own project"]),
        ({"search": "parkeerscan"}, ["db project"]),
        ({"kinds": ["project"], "within": "nl-nb"}, ["db project"]),
    ],
)
def test_records_filters(client, catalogue, filters, expected):
    # when
    page = _records(client, **filters)
    # then
    assert _ids(page) == [catalogue[name] for name in expected]
    assert page["totalCount"] == len(expected)


def test_records_pages_with_cursors(client, catalogue):
    # when the browse is read two at a time
    pages = [_records(client, first=2)]
    while pages[-1]["pageInfo"]["hasNextPage"]:
        pages.append(
            _records(client, first=2, after=pages[-1]["pageInfo"]["endCursor"])
        )
    # then each record comes once, in order, and every page knows the total
    assert [len(page["edges"]) for page in pages] == [2, 2, 1]
    assert [id_ for page in pages for id_ in _ids(page)] == _ids(_records(client))
    assert {page["totalCount"] for page in pages} == {5}


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"first": 101}, "BAD_REQUEST"),
        ({"first": 0}, "BAD_REQUEST"),
        ({"after": "%%%"}, "BAD_CURSOR"),
    ],
)
def test_records_refuses_bad_arguments(client, variables, code):
    # when
    status, body = graphql_post(client, RECORDS_QUERY, variables)
    # then
    assert status == 200
    assert body["data"] == {"records": None}
    assert body["errors"][0]["extensions"]["code"] == code


def test_records_page_costs_two_queries_whatever_its_size(
    client, django_assert_num_queries
):
    # given more records than a page
    for _ in range(120):
        stored_record(kind="course")
    # when a full page with the total is read, then: the page, the count
    with django_assert_num_queries(2):
        page = _records(client, first=100)
    assert (len(page["edges"]), page["totalCount"]) == (100, 120)


# One record, typed ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["project", "dataset", "course", "organisation"])
def test_typed_record_returns_every_body_field(client, kind):
    # given a record of ``kind`` with every body field set
    stored = stored_record(kind=kind, body=body_full(kind))
    type_name = f"{kind.capitalize()}Record"
    body_type = schema.graphql_schema.get_type(f"{kind.capitalize()}Body")
    query = (
        "query One($id: ID!) { record(id: $id) { __typename id kind deleted "
        f"... on {type_name} {{ body {{ {_selection(body_type)} }} }} }} }}"
    )
    # when it is read typed, asking for every field
    status, body = graphql_post(client, query, {"id": stored.record_id})
    # then the typed body is the stored body, field for field
    assert status == 200
    assert "errors" not in body
    record = body["data"]["record"]
    assert (record["__typename"], record["id"], record["kind"], record["deleted"]) == (
        type_name,
        stored.record_id,
        kind,
        False,
    )
    assert record["body"] == StoredRecord.objects.get(pk=stored.pk).body


def test_typed_record_big_numbers_and_defaults(client):
    # given a project funded with three billion euros and a minimal dataset
    project = stored_record(kind="project", body=body_full("project"))
    dataset = stored_record(kind="dataset", body=body_for("dataset"))
    query = """
    query Two($a: ID!, $b: ID!) {
      a: record(id: $a) { version ... on ProjectRecord {
        body { trl funding { programme amountEur } partners { organisation role } }
      } }
      b: record(id: $b) { ... on DatasetRecord {
        body { description keywords distributions { byteSize } personalData
               b2gSharing contact { email } }
      } }
    }
    """
    # when
    status, body = graphql_post(
        client, query, {"a": project.record_id, "b": dataset.record_id}
    )
    # then BigInt carries the big amount; defaults fill what the body left out
    assert status == 200
    assert body == {
        "data": {
            "a": {
                "version": 1,
                "body": {
                    "trl": 9,
                    "funding": [
                        {"programme": "digital-europe", "amountEur": 3_000_000_000}
                    ],
                    "partners": [
                        {
                            "organisation": (
                                "nl:organisation:00000000-0000-4000-8000-000000000001"
                            ),
                            "role": "supplier",
                        }
                    ],
                },
            },
            "b": {
                "body": {
                    "description": "",
                    "keywords": [],
                    "distributions": [],
                    "personalData": "none",
                    "b2gSharing": None,
                    "contact": None,
                }
            },
        }
    }


def test_record_by_id_tombstone_and_unknown(client):
    # given a deleted own record
    own = record_publish(kind="course", body=body_for("course"))
    record_tombstone(record_id=own.record_id)
    query = "query One($id: ID!) { record(id: $id) { id version deleted url "
    query += "... on CourseRecord { body { title } } } }"
    # when it and an unknown id are read
    _, tombstone = graphql_post(client, query, {"id": own.record_id})
    _, unknown = graphql_post(client, query, {"id": "nl:course:nope"})
    # then the tombstone has no body; the unknown id is null
    assert tombstone == {
        "data": {
            "record": {
                "id": own.record_id,
                "version": 2,
                "deleted": True,
                "url": None,
                "body": None,
            }
        }
    }
    assert unknown == {"data": {"record": None}}


def test_typed_record_carries_the_origin_s_signature_and_whether_it_verified(client):
    # given: a record published here (signed with this hub's key) and a peer's
    # unsigned record from an origin whose key is not known here
    own = record_publish(kind="course", body=body_for("course"))
    peer = stored_record(kind="course", origin="be", origin_path=["hub", "be"])
    query = "query One($id: ID!) { record(id: $id) { signature keyId verified } }"
    # when
    _, signed = graphql_post(client, query, {"id": own.record_id})
    _, unsigned = graphql_post(client, query, {"id": peer.record_id})
    # then: the signature is the origin's over the canonical form
    record = signed["data"]["record"]
    assert (record["keyId"], record["verified"]) == (own_key().key_id, True)
    public = public_key_load(key_statements()[0]["publicKey"])
    canonical = record_canonical(record_validate(record_wire(own)))
    assert verify(public, record["signature"], canonical)
    assert unsigned == {
        "data": {"record": {"signature": None, "keyId": None, "verified": False}}
    }
