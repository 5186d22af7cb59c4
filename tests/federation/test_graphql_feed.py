"""The peer change feed (``changes``) and ``poke``: who may call them, and what
the sync client's own query (federation.wire.CHANGES_QUERY) gets back."""

import base64
from typing import Any

import pytest
from django.db import transaction

from federation.graphql.limits import CHANGES_MAX_PAGE_SIZE
from federation.models import StoredRecord
from federation.records import record_validate
from federation.selectors import record_wire
from federation.services import sync
from federation.services.store import record_publish, record_tombstone, records_apply
from federation.wire import CHANGES_QUERY, MAX_PAGE_SIZE, POKE_MUTATION
from tests.federation.factories import (
    body_for,
    graphql_post,
    neighbour_with_token,
    stored_record,
    wire_record,
)

pytestmark = pytest.mark.django_db

# The feed with every edge field, the typed node included.
FULL_CHANGES_QUERY = """
query Changes($after: String, $first: Int!, $kinds: [RecordKind!]) {
  changes(after: $after, first: $first, kinds: $kinds) {
    latestSequence
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      sequence
      wire
      node {
        __typename id kind origin originPath version deleted
        ... on ProjectRecord { body { name status location { country nuts } } }
        ... on DatasetRecord { body { title accessRights } }
        ... on CourseRecord { body { title mode } }
        ... on OrganisationRecord { body { name type } }
      }
    }
  }
}
"""


def _apply(count: int, *, kinds: tuple[str, ...] = ("project",)) -> list[str]:
    """``count`` peer records applied in one page, kinds in turn; their ids in
    change-sequence order."""
    records = [
        record_validate(wire_record(kind=kinds[i % len(kinds)], origin="nl"))
        for i in range(count)
    ]
    with transaction.atomic():
        records_apply(records=records, source="nl")
    return [record.id for record in records]


def _page(client: Any, token: str, **variables: Any) -> dict[str, Any]:
    status, body = graphql_post(client, CHANGES_QUERY, variables, token=token)
    assert status == 200, body
    assert "errors" not in body, body
    return body["data"]["changes"]


def _error_code(body: dict[str, Any]) -> str:
    return body["errors"][0]["extensions"]["code"]


# Who may read the feed ------------------------------------------------------


@pytest.fixture
def peer() -> tuple[Any, str]:
    return neighbour_with_token(slug="nl", role="child")


def _token_for(case: str, peer: tuple[Any, str]) -> str | None:
    neighbour, token = peer
    if case == "no token":
        return None
    if case == "wrong token":
        return token[:-1] + ("x" if token[-1] != "x" else "y")
    if case == "disabled neighbour":
        neighbour.enabled = False
        neighbour.save(update_fields=["enabled"])
        return token
    return token


@pytest.mark.parametrize(
    ("case", "allowed"),
    [
        ("no token", False),
        ("wrong token", False),
        ("disabled neighbour", False),
        ("valid token", True),
    ],
)
def test_changes_requires_a_valid_peer_token(client, peer, case, allowed):
    # given a record in the catalogue
    (record_id,) = _apply(1)
    token = _token_for(case, peer)
    # when the feed is asked for with this token
    status, body = graphql_post(client, CHANGES_QUERY, {"first": 10}, token=token)
    # then only a valid token of an enabled neighbour reads it
    assert status == 200
    if allowed:
        assert "errors" not in body
        assert [edge["wire"]["id"] for edge in body["data"]["changes"]["edges"]] == [
            record_id
        ]
    else:
        assert body["data"] == {"changes": None}
        assert _error_code(body) == "UNAUTHENTICATED"
        assert body["errors"][0]["path"] == ["changes"]
        assert record_id not in str(body)


@pytest.mark.parametrize(
    "header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Token abc", ""]
)
def test_changes_refuses_other_authorization_headers(client, peer, header):
    # given a record, and an Authorization header that is not a peer token
    _apply(1)
    # when
    response = client.post(
        "/graphql",
        data={"query": CHANGES_QUERY, "variables": {"first": 1}},
        content_type="application/json",
        headers={"Authorization": header},
    )
    # then
    body = response.json()
    assert body["data"] == {"changes": None}
    assert _error_code(body) == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    ("case", "allowed"),
    [
        ("no token", False),
        ("wrong token", False),
        ("disabled neighbour", False),
        ("valid token", True),
    ],
)
def test_poke_requires_a_valid_peer_token(client, peer, monkeypatch, case, allowed):
    # given the sync queue is watched
    queued: list[dict[str, Any]] = []
    monkeypatch.setattr(sync, "sync_enqueue", lambda **kwargs: queued.append(kwargs))
    token = _token_for(case, peer)
    # when the neighbour pokes this hub
    status, body = graphql_post(client, POKE_MUTATION, token=token)
    # then only a valid token queues a sync of that very neighbour
    assert status == 200
    if allowed:
        assert body == {"data": {"poke": {"accepted": True}}}
        assert queued == [{"neighbour_id": peer[0].pk, "trigger": "poke"}]
    else:
        assert body["data"] == {"poke": None}
        assert _error_code(body) == "UNAUTHENTICATED"
        assert queued == []


def test_poke_is_not_allowed_over_get(client, peer, monkeypatch):
    # given
    queued: list[dict[str, Any]] = []
    monkeypatch.setattr(sync, "sync_enqueue", lambda **kwargs: queued.append(kwargs))
    # when the mutation comes as a GET (a link someone follows)
    response = client.get(
        "/graphql",
        {"query": POKE_MUTATION},
        headers={"Authorization": f"Bearer {peer[1]}"},
    )
    # then
    assert response.status_code == 405
    assert queued == []


# What the feed returns --------------------------------------------------------


def test_paging_through_seven_records_three_at_a_time(client, peer):
    # given seven records of mixed kinds
    ids = _apply(7, kinds=("project", "dataset", "course", "organisation"))
    # when the sync client's query pages through them
    seen: list[str] = []
    sizes: list[int] = []
    has_next: list[bool] = []
    cursor = None
    for _ in range(3):
        page = _page(client, peer[1], after=cursor, first=3)
        seen += [edge["wire"]["id"] for edge in page["edges"]]
        sizes.append(len(page["edges"]))
        has_next.append(page["pageInfo"]["hasNextPage"])
        assert page["latestSequence"] == 7
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        cursor = page["pageInfo"]["endCursor"]
    # then every record comes exactly once, in change-sequence order
    assert sizes == [3, 3, 1]
    assert has_next == [True, True, False]
    assert seen == ids
    # and the cursor after the last page stays valid: nothing new, no cursor
    assert _page(client, peer[1], after=cursor, first=3) == {
        "latestSequence": 7,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "edges": [],
    }


def test_a_page_resumes_with_what_changed_after_the_cursor(client, peer):
    # given a feed read to its end
    first_ids = _apply(2)
    cursor = _page(client, peer[1], first=10)["pageInfo"]["endCursor"]
    # when one known record changes and one new record arrives
    updated = record_validate(wire_record(record_id=first_ids[0], version=2))
    with transaction.atomic():
        records_apply(records=[updated], source="nl")
    (new_id,) = _apply(1)
    page = _page(client, peer[1], after=cursor, first=10)
    # then the next page holds exactly those, in the order they changed
    assert [(e["wire"]["id"], e["wire"]["version"]) for e in page["edges"]] == [
        (first_ids[0], 2),
        (new_id, 1),
    ]
    assert page["latestSequence"] == 4


def test_wire_is_the_record_as_record_wire_gives_it(client, peer):
    # given an own record and a peer record
    own = record_publish(kind="course", body=body_for("course"), url="https://a.b/c")
    peer_record = stored_record(kind="dataset", origin="be", origin_path=["eu", "be"])
    # when
    edges = _page(client, peer[1], first=10)["edges"]
    # then each wire is the stored record in its wire form, and validates
    assert [edge["wire"] for edge in edges] == [
        record_wire(StoredRecord.objects.get(pk=own.pk)),
        record_wire(StoredRecord.objects.get(pk=peer_record.pk)),
    ]
    assert [record_validate(edge["wire"]).id for edge in edges] == [
        own.record_id,
        peer_record.record_id,
    ]


def test_kinds_filter(client, peer):
    # given records of every kind, in turn
    ids = _apply(8, kinds=("project", "dataset", "course", "organisation"))
    # when only datasets and courses are asked for
    page = _page(client, peer[1], first=10, kinds=["dataset", "course"])
    # then exactly those come, in sequence order
    assert [edge["wire"]["id"] for edge in page["edges"]] == [
        ids[1],
        ids[2],
        ids[5],
        ids[6],
    ]
    assert {edge["wire"]["kind"] for edge in page["edges"]} == {"dataset", "course"}


def test_tombstones_appear_with_body_null(client, peer):
    # given an own record deleted, and a peer record deleted at its origin
    own = record_publish(kind="project", body=body_for("project"))
    record_tombstone(record_id=own.record_id)
    theirs = stored_record(kind="dataset")
    stored_record(kind="dataset", record_id=theirs.record_id, version=2, deleted=True)
    # when the full feed is read
    status, body = graphql_post(
        client, FULL_CHANGES_QUERY, {"first": 10}, token=peer[1]
    )
    # then each appears once, as a tombstone: deleted, no body, typed node too
    edges = body["data"]["changes"]["edges"]
    assert status == 200
    assert [
        (e["wire"]["id"], e["wire"]["version"], e["wire"]["deleted"]) for e in edges
    ] == [(own.record_id, 2, True), (theirs.record_id, 2, True)]
    assert [e["wire"]["body"] for e in edges] == [None, None]
    assert [(e["node"]["deleted"], e["node"]["body"]) for e in edges] == [
        (True, None),
        (True, None),
    ]
    assert [e["sequence"] for e in edges] == [2, 4]


def test_typed_node_matches_the_wire(client, peer):
    # given one record of each kind
    _apply(4, kinds=("project", "dataset", "course", "organisation"))
    # when
    status, body = graphql_post(
        client, FULL_CHANGES_QUERY, {"first": 10}, token=peer[1]
    )
    # then the typed node is the same record, typed per kind
    edges = body["data"]["changes"]["edges"]
    assert status == 200
    assert [edge["node"]["__typename"] for edge in edges] == [
        "ProjectRecord",
        "DatasetRecord",
        "CourseRecord",
        "OrganisationRecord",
    ]
    assert [edge["sequence"] for edge in edges] == [1, 2, 3, 4]
    for edge in edges:
        node, wire = edge["node"], edge["wire"]
        assert (node["id"], node["kind"], node["origin"], node["version"]) == (
            wire["id"],
            wire["kind"],
            wire["origin"],
            wire["version"],
        )
        assert node["originPath"] == wire["originPath"] == ["eu", "nl"]
    assert edges[0]["node"]["body"] == {
        "name": "Parkeerscan",
        "status": "in-use",
        "location": {"country": "NL", "nuts": ["NL414"]},
    }
    assert edges[3]["node"]["body"] == {"name": "TU/e", "type": "knowledge-institution"}


# Arguments the feed refuses ---------------------------------------------------


@pytest.mark.parametrize("first", [0, -1, MAX_PAGE_SIZE + 1, 10_000])
def test_page_size_outside_1_to_500_is_refused(client, peer, first):
    # given
    _apply(1)
    # when
    status, body = graphql_post(client, CHANGES_QUERY, {"first": first}, token=peer[1])
    # then an error, not a silently clamped page
    assert status == 200
    assert body["data"] == {"changes": None}
    assert _error_code(body) == "BAD_REQUEST"
    assert body["errors"][0]["message"] == (
        f"first must be between 1 and 500, got {first}."
    )


def test_page_size_of_500_is_served(client, peer):
    # given
    _apply(3)
    # when
    page = _page(client, peer[1], first=CHANGES_MAX_PAGE_SIZE)
    # then
    assert len(page["edges"]) == 3
    assert page["pageInfo"]["hasNextPage"] is False


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor!",
        "c2Vx",  # "seq" without the position
        _b64("seq:-1"),
        _b64("seq:1.5"),
        _b64("offset:3"),
        _b64("seq:" + "9" * 30),  # beyond any sequence value
    ],
)
def test_malformed_cursor_is_refused(client, peer, cursor):
    # given
    _apply(2)
    # when
    status, body = graphql_post(
        client, CHANGES_QUERY, {"first": 10, "after": cursor}, token=peer[1]
    )
    # then
    assert status == 200
    assert body["data"] == {"changes": None}
    assert _error_code(body) == "BAD_CURSOR"


# Cost in queries --------------------------------------------------------------


@pytest.mark.parametrize("count", [5, 300])
def test_a_page_costs_three_queries_whatever_its_size(
    client, peer, django_assert_num_queries, count
):
    # given ``count`` records of every kind
    _apply(count, kinds=("project", "dataset", "course", "organisation"))
    # when a full page with wire and typed nodes is read, then three queries run:
    # the token, the page, the latest sequence value
    with django_assert_num_queries(3):
        status, body = graphql_post(
            client, FULL_CHANGES_QUERY, {"first": 500}, token=peer[1]
        )
    assert status == 200
    assert len(body["data"]["changes"]["edges"]) == count


@pytest.mark.parametrize("count", [5, 300])
def test_the_sync_clients_page_costs_three_queries(
    client, peer, django_assert_num_queries, count
):
    # given
    _apply(count)
    # when, then
    with django_assert_num_queries(3):
        page = _page(client, peer[1], first=500)
    assert len(page["edges"]) == count
