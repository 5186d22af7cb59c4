"""A simulated hubnet network: hubs as in-memory stores running the real rules.

Each simulated hub holds its records in a dict and its pinned keys in another;
everything a real hub decides is decided by the functions the real hub calls:
own versions are built and signed with a real Ed25519 key
(``own_record_build``), the feed page is cut by ``change_page_build`` and its
records put in wire form by ``record_wire``, the client checks the page with
``feed_page_read`` and validates the records with ``records_validate``, pins
key statements with ``key_statements_pin``, decides record by record with
``newest_by_id`` and ``record_admit`` (signatures verified by ``KeyRing``),
stores ``store_fields`` and moves its cursor by ``cursor_moves``. Requests and
answers travel as the JSON bodies of the real GraphQL documents, so their
sizes are the real ones (HTTP headers aside).

Time is simulated: a heap of events, one sync worker per hub (as a deployed
hub has), each piece of work lasting the CPU time it really took here, and
every message arriving ``latency`` seconds after it was sent.
"""

from __future__ import annotations

import heapq
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings

from federation.graphql.pages import change_page_build
from federation.records import record_id_new
from federation.selectors import cursor_decode, cursor_encode, record_wire
from federation.services.feed_pages import FeedPage, cursor_moves, feed_page_read
from federation.services.key_pins import key_statements_pin, statement_moment
from federation.services.keys import OwnKey, key_statement_build
from federation.services.store import records_validate
from federation.services.store_fields import store_fields
from federation.services.store_rules import (
    ApplyResult,
    newest_by_id,
    own_record_build,
    record_admit,
)
from federation.services.verify import KeyRing
from federation.signing import key_id, public_raw
from federation.wire import CHANGES_QUERY, POKE_MUTATION


@dataclass
class Row:
    """A held record version: the ``StoredRecord`` columns (``store_fields``)."""

    record_id: str
    seq: int
    received_from: str
    fields: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["fields"][name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass
class Pin:
    """A pinned key: the ``HubKey`` columns."""

    origin: str
    key_id: str
    public_key: str
    created_at: Any
    statements: list[dict[str, Any]]
    rotated_at: Any = None
    revoked_at: Any = None


class Pins:
    """A hub's pinned keys, by origin and key id (``key_pins.KeyPins``)."""

    def __init__(self) -> None:
        self.by_id: dict[tuple[str, str], Pin] = {}
        self.origins: set[str] = set()

    def get(self, origin: str, key_id: str) -> Pin | None:
        return self.by_id.get((origin, key_id))

    def has_origin(self, origin: str) -> bool:
        return origin in self.origins

    def add(self, *, origin, key_id, public_key, created_at, statement) -> None:
        self.by_id[(origin, key_id)] = Pin(
            origin, key_id, public_key, created_at, [statement]
        )
        self.origins.add(origin)

    def mark_rotated(self, pinned: Pin, *, at) -> None:
        if pinned.rotated_at is None:
            pinned.rotated_at = at

    def mark_revoked(self, pinned: Pin, *, at, statement) -> None:
        pinned.revoked_at = at
        pinned.statements = [*pinned.statements, statement]

    def statements(self) -> list[dict[str, Any]]:
        """What ``key_statements`` serves: every statement, by origin and age."""
        ordered = sorted(self.by_id.values(), key=lambda p: (p.origin, p.created_at))
        return [statement for pin in ordered for statement in pin.statements]


@dataclass
class Traffic:
    """Messages (request and answer exchanges) and their bytes."""

    pokes: int = 0
    fetches: int = 0
    bytes: int = 0
    key_bytes: int = 0  # of which the key statements on first pages

    @property
    def messages(self) -> int:
        return self.pokes + self.fetches


class Hub:
    """One simulated hub: its store, its keys, its sync state per child."""

    def __init__(self, slug: str, level: str, path: tuple[str, ...]) -> None:
        self.slug, self.level, self.path = slug, level, path
        self.parent: Hub | None = None
        self.children: dict[str, Hub] = {}
        self.rows: dict[str, Row] = {}
        self.log: list[tuple[int, str]] = []  # (seq, record id), seq ascending
        self.seq = 0
        self.paths: dict[str, list[str]] = {}  # a held origin's path
        self.cursors: dict[str, dict[str, Any]] = {}
        self.pins = Pins()
        private = Ed25519PrivateKey.generate()
        self.key = OwnKey(private=private, key_id=key_id(public_raw(private)))
        statement = key_statement_build(
            origin=slug, new=private, signer=private, previous=""
        )
        self.pins.add(
            origin=slug,
            key_id=self.key.key_id,
            public_key=statement["publicKey"],
            created_at=statement_moment(statement, "createdAt"),
            statement=statement,
        )

    @property
    def depth(self) -> int:
        return len(self.path) - 1

    def _store(self, record: Any, *, source: str, verified: bool = True) -> None:
        self.seq += 1
        row = Row(record.id, self.seq, source, store_fields(record, verified=verified))
        self.rows[record.id] = row
        self.log.append((self.seq, record.id))
        self.paths.setdefault(record.origin, list(record.origin_path))

    def publish(self, *, body: dict[str, Any], count: int = 1) -> list[str]:
        """Publish ``count`` new own records with ``body``; their ids."""
        ids = []
        for _ in range(count):
            record = own_record_build(
                record_id=record_id_new(origin=self.slug, kind="project"),
                kind="project",
                origin=self.slug,
                origin_path=self.path,
                origin_level=self.level,
                version=1,
                body=body,
                language="en",
                url="",
                key=self.key,
            )
            self._store(record, source="")
            ids.append(record.id)
        return ids

    def serve(self, request: bytes) -> bytes:
        """Answer one GraphQL request from a neighbour: a feed page or a poke."""
        document = json.loads(request)
        if document["query"] == POKE_MUTATION:
            return b'{"data":{"poke":{"accepted":true}}}'
        variables = document["variables"]
        after, first = cursor_decode(variables["after"]), variables["first"]
        start = _after(self.log, after)
        rows: list[Row] = []
        for seq, record_id in itertools.islice(self.log, start, None):
            row = self.rows[record_id]
            if row.seq == seq:  # a later change of the record supersedes this
                rows.append(row)
                if len(rows) > first:
                    break
        page = change_page_build(rows=rows, first=first, latest_sequence=self.seq)
        changes = {
            "latestSequence": page.latest_sequence,
            "pageInfo": {
                "hasNextPage": page.has_next_page,
                "endCursor": page.end_cursor,
            },
            "edges": [
                {
                    "cursor": cursor_encode(r.seq),
                    "sequence": r.seq,
                    "wire": record_wire(r),
                }
                for r in page.records
            ],
        }
        data: dict[str, Any] = {"changes": changes}
        if variables.get("withKeys"):
            data["keys"] = self.pins.statements()
        return json.dumps({"data": data}, ensure_ascii=False).encode()

    def page_apply(self, child: Hub, page: FeedPage) -> ApplyResult:
        """Apply one page from ``child`` as ``neighbour_sync``'s page commit does."""
        valid, invalid = records_validate(page.wires)
        if invalid:
            raise AssertionError(f"{child.slug} sent invalid records: {invalid[:1]}")
        if page.keys:
            key_statements_pin(
                statements=page.keys, source=child.slug, pins=self.pins, me=self.slug
            )
        result = ApplyResult()
        newest = newest_by_id(valid, me=self.slug, result=result)
        keys = (
            KeyRing((r.origin for r in newest.values()), pins=self.pins.by_id.values())
            if settings.FEDERATION_VERIFY_SIGNATURES and newest
            else None
        )
        for record_id, record in newest.items():
            stored = self.rows.get(record_id)
            held_path = (
                stored.origin_path
                if stored is not None
                else self.paths.get(record.origin)
            )
            if not record_admit(
                record,
                stored,
                held_path=held_path,
                source=child.slug,
                role="child",
                me=self.slug,
                keys=keys,
                result=result,
            ):
                continue
            self._store(
                record,
                source=child.slug,
                verified=keys is not None and keys.knows(record.origin),
            )
            result.applied.append(record_id)
        if result.refused:
            raise AssertionError(f"{self.slug} refused: {result.refused[0][1]}")
        self.cursors.setdefault(child.slug, {}).update(cursor_moves(page))
        return result


def _after(log: list[tuple[int, str]], seq: int) -> int:
    """The index of the first log entry after ``seq`` (the log is ascending)."""
    low, high = 0, len(log)
    while low < high:
        middle = (low + high) // 2
        if log[middle][0] <= seq:
            low = middle + 1
        else:
            high = middle
    return low


@dataclass(order=True)
class _Event:
    """A sync of ``child`` by ``hub``, due at simulated time ``at``."""

    at: float
    order: int
    hub: Hub = field(compare=False)
    child: Hub = field(compare=False)


class Network:
    """The hubs and the simulated clock: pokes travel up, syncs pull pages."""

    def __init__(self, hubs: list[Hub], *, latency: float = 0.0) -> None:
        self.hubs = {hub.slug: hub for hub in hubs}
        self.eu = next(hub for hub in hubs if hub.parent is None)
        self.latency = latency
        self.traffic = Traffic()
        self.now = 0.0
        self.cpu = 0.0
        self._events: list[_Event] = []
        self._order = itertools.count()
        self._busy: dict[str, float] = {}  # a hub's sync worker, busy until
        self._pending: set[tuple[str, str]] = set()  # (puller, child) polled
        self.syncs = 0
        self.cpu_by_level: dict[str, float] = {}  # sync work, by the puller's level
        self.arrivals: dict[str, float] = {}  # record id -> reached the EU
        self._eu_seen = 0

    def _exchange(self, request: bytes, answer: Callable[[bytes], bytes]) -> bytes:
        response = answer(request)
        self.traffic.bytes += len(request) + len(response)
        return response

    def changed(self, hub: Hub, *, source: str, at: float) -> None:
        """``catalogue_changed``: poke the neighbours in SYNC_POKE_ROLES but the
        source; a tree hub's only such neighbour is its parent."""
        parent = hub.parent
        if parent is None or "parent" not in settings.SYNC_POKE_ROLES:
            return
        if parent.slug == source or (parent.slug, hub.slug) in self._pending:
            return  # one poke pending per neighbour (poke_claim)
        self._pending.add((parent.slug, hub.slug))
        request = json.dumps({"query": POKE_MUTATION}).encode()
        self._exchange(request, parent.serve)
        self.traffic.pokes += 1
        event = _Event(at + self.latency, next(self._order), parent, hub)
        heapq.heappush(self._events, event)

    def _sync(self, hub: Hub, child: Hub) -> int:
        """``neighbour_sync``: pull every page after the cursor; records applied."""
        self._pending.discard((hub.slug, child.slug))
        self.syncs += 1
        cursor = hub.cursors.get(child.slug, {}).get("cursor")
        applied, with_keys = 0, True
        for _ in range(settings.SYNC_MAX_PAGES):
            variables = {
                "after": cursor or None,
                "first": settings.SYNC_PAGE_SIZE,
                **({"withKeys": True} if with_keys else {}),
            }
            request = json.dumps({"query": CHANGES_QUERY, "variables": variables})
            response = self._exchange(request.encode(), child.serve)
            self.traffic.fetches += 1
            payload = json.loads(response)
            if with_keys:
                keys = payload["data"].get("keys")
                self.traffic.key_bytes += len(json.dumps(keys, ensure_ascii=False))
            page = feed_page_read(
                payload,
                page_size=settings.SYNC_PAGE_SIZE,
                with_keys=with_keys,
            )
            applied += len(hub.page_apply(child, page).applied)
            with_keys = False
            if not page.more:
                break
            cursor = page.end_cursor
        return applied

    def run(self) -> None:
        """Work through the events until no poke is pending."""
        while self._events:
            event = heapq.heappop(self._events)
            hub = event.hub
            start = max(event.at, self._busy.get(hub.slug, 0.0))
            began = time.process_time()
            applied = self._sync(hub, event.child)
            spent = time.process_time() - began
            self.cpu += spent
            self.cpu_by_level[hub.level] = self.cpu_by_level.get(hub.level, 0.0) + spent
            finish = start + spent
            self._busy[hub.slug] = finish
            self.now = max(self.now, finish)
            if hub is self.eu:
                for _seq, record_id in hub.log[_after(hub.log, self._eu_seen) :]:
                    self.arrivals.setdefault(record_id, finish)
                self._eu_seen = hub.seq
            if applied:
                self.changed(hub, source=event.child.slug, at=finish)

    def publish(
        self, hub: Hub, *, body: dict[str, Any], count: int, at: float
    ) -> list[str]:
        """Publish at ``hub`` at simulated time ``at`` (its CPU time counted)."""
        began = time.process_time()
        ids = hub.publish(body=body, count=count)
        spent = time.process_time() - began
        self.cpu += spent
        self._busy[hub.slug] = max(self._busy.get(hub.slug, 0.0), at) + spent
        self.changed(hub, source="", at=self._busy[hub.slug])
        return ids
