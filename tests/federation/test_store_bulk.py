"""Writing many store rows at once: new rows and changed rows keep every column
(on PostgreSQL through COPY), and two updates in one transaction both land."""

import pytest
from django.db import transaction

from federation.models import StoredRecord
from federation.records import record_validate
from federation.selectors import record_wire
from federation.services.store import records_apply
from tests.federation.factories import wire_record

pytestmark = pytest.mark.django_db


def _apply(*wires: dict) -> None:
    records_apply(records=[record_validate(w) for w in wires], source="nl")


def test_new_and_changed_rows_keep_every_column_of_the_wire():
    # given: two records, one with non-ASCII text, quotes and a backslash
    first = wire_record(origin="nl", name='Gemeente \'s-Hertogenbosch — ü \\ "x"')
    second = wire_record(origin="nl", deleted=True)
    with transaction.atomic():
        _apply(first, second)
    created = {r.record_id: r.stored_at for r in StoredRecord.objects.all()}
    # when: a new version of the first arrives
    changed = {**first, "version": 2, "body": {**first["body"], "name": "Nieuw\tx"}}
    with transaction.atomic():
        _apply(changed)
    # then: the wire forms read back are the ones applied
    held = {r.record_id: r for r in StoredRecord.objects.all()}
    assert record_wire(held[first["id"]]) | {"signature": 1, "keyId": 1} == {
        **record_validate(changed).wire(),
        "updatedAt": "2026-11-01T10:00:00Z",
        "originLevel": None,
        "signature": 1,
        "keyId": 1,
    }
    assert record_wire(held[second["id"]])["body"] is None
    assert (held[first["id"]].title, held[first["id"]].seq) == ("Nieuw\tx", 3)
    assert held[first["id"]].stored_at > created[first["id"]]
    assert held[second["id"]].stored_at == created[second["id"]]


def test_two_updates_of_a_record_in_one_transaction_both_land():
    # given
    first = wire_record(origin="nl")
    with transaction.atomic():
        _apply(first)
    # when: versions 2 and 3 are applied in one transaction
    with transaction.atomic():
        _apply({**first, "version": 2})
        _apply({**first, "version": 3})
    # then
    assert list(StoredRecord.objects.values_list("version", "seq")) == [(3, 3)]
