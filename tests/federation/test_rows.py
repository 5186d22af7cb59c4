"""Many new rows of any model at once (on PostgreSQL through COPY), and a body
validated once on its way to the publish."""

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.functional import lazy

from federation.models import StoredRecord
from federation.records import RecordInvalid, record_validate
from federation.services.rows import _django_insert, _json_text, rows_insert
from federation.services.store import PublishItem, records_publish
from federation.valid_body import body_validated
from tests.federation.factories import body_for, wire_record

pytestmark = pytest.mark.django_db


def _django_path(model, rows, *, ids):
    """The insert SQLite gets (Django's), run here on PostgreSQL."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    return _django_insert(model, rows, fields, ids=ids)


@pytest.mark.parametrize(
    "insert", [rows_insert, _django_path], ids=["copy", "django-insert"]
)
def test_rows_given_as_instances_or_dicts_get_their_ids_and_every_column(insert):
    # given: two records, one as an instance and one as a dict of its columns
    first, second = (
        StoredRecord(
            record_id=f"nl:dataset:{uuid.uuid4()}",
            kind="dataset",
            origin="nl",
            origin_path=["eu", "nl"],
            version=1,
            updated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            body={"title": 'Quote " and \\ and ü', "n": 2**70},
            seq=number,
        )
        for number in (1, 2)
    )
    fields = [f for f in StoredRecord._meta.concrete_fields if not f.primary_key]
    as_dict = {field.attname: getattr(second, field.attname) for field in fields}

    # when: both are inserted with their ids
    with transaction.atomic():
        ids = insert(StoredRecord, [first], ids=True)
        ids += insert(StoredRecord, [as_dict], ids=True)

    # then: each got its id, and the rows read back hold what was given, the
    # time they were stored set as Django's insert sets it
    assert ids == [first.pk, as_dict["id"]]
    for row_id, given in zip(ids, (first, second), strict=True):
        held = StoredRecord.objects.get(pk=row_id)
        assert (held.record_id, held.body, held.origin_path, held.seq) == (
            given.record_id,
            given.body,
            ["eu", "nl"],
            given.seq,
        )
        assert held.stored_at is not None
    # and the instance knows it is saved: saving it again updates its row
    assert first._state.adding is False


def test_json_text_is_what_djangos_encoder_writes():
    # given: values Django's encoder formats its own way
    value = {
        "at": dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC),
        "day": dt.date(2026, 1, 2),
        "time": dt.time(3, 4, 5, 678901),
        "span": dt.timedelta(days=1, seconds=3),
        "amount": Decimal("1.50"),
        "id": uuid.UUID(int=7),
        "lazy": lazy(lambda: "Tekst", str)(),
        "big": 2**70,
        "list": [1, 2.5, None, True, "ü"],
    }
    # when/then: the text reads back as the encoder's
    expected = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    assert json.loads(_json_text(value, DjangoJSONEncoder)) == expected
    assert json.loads(_json_text({"n": 2**70})) == {"n": 2**70}


def test_a_valid_body_publishes_the_record_a_plain_body_publishes():
    # given: the same body, once plain and once validated beforehand
    body = body_for("dataset", title="  Spaced title  ")
    plain, valid = records_publish(
        items=[
            PublishItem(kind="dataset", body=body),
            PublishItem(kind="dataset", body=body_validated(kind="dataset", body=body)),
        ]
    )

    # then: both records hold the same normalised body
    assert plain.body == valid.body
    assert (
        plain.body["title"] == body_validated(kind="dataset", body=body).body["title"]
    )


def test_a_valid_body_of_another_kind_is_validated_again():
    # given: a dataset body passed as a course's
    body = body_validated(kind="dataset", body=body_for("dataset"))

    # when/then: the publish validates it for the course and refuses it
    with pytest.raises(RecordInvalid):
        records_publish(items=[PublishItem(kind="course", body=body)])
    assert StoredRecord.objects.count() == 0


def test_a_record_validates_its_body_unless_told_it_is_valid():
    # given: a wire record whose body breaks the schema
    wire = {**wire_record(origin="nl"), "body": {"unknown": 1}}

    # then: it is refused, unless the caller says the body was validated
    with pytest.raises(RecordInvalid, match="body"):
        record_validate(wire)
    assert record_validate(wire, body_valid=True).body == {"unknown": 1}


@pytest.mark.parametrize(
    "insert", [rows_insert, _django_path], ids=["copy", "django-insert"]
)
def test_a_naive_time_is_read_in_the_site_time_zone_as_django_reads_it(insert):
    # given a record whose time has no zone (noon, in January)
    record = _record(updated_at=dt.datetime(2026, 1, 15, 12, 0))
    # when it is inserted (Django warns about the naive time)
    with pytest.warns(RuntimeWarning, match="naive datetime"), transaction.atomic():
        (row_id,) = insert(StoredRecord, [record], ids=True)
    # then it is noon in Brussels (TIME_ZONE), 11:00 UTC, on either path
    held = StoredRecord.objects.get(pk=row_id)
    assert held.updated_at == dt.datetime(2026, 1, 15, 11, 0, tzinfo=dt.UTC)


@pytest.mark.postgresql(reason="COPY is PostgreSQL's")
def test_on_postgresql_rows_go_in_with_copy_not_djangos_insert(monkeypatch):
    # given Django's insert made to fail
    def refused(*args, **kwargs):
        raise AssertionError("Django's insert used on PostgreSQL")

    monkeypatch.setattr("federation.services.rows._django_insert", refused)
    record = _record(updated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    # when a row is inserted on PostgreSQL, then it is written (by COPY)
    with transaction.atomic():
        (row_id,) = rows_insert(StoredRecord, [record], ids=True)
    assert StoredRecord.objects.filter(pk=row_id).count() == 1


def _record(*, updated_at: dt.datetime, seq: int = 1) -> StoredRecord:
    return StoredRecord(
        record_id=f"nl:dataset:{uuid.uuid4()}",
        kind="dataset",
        origin="nl",
        origin_path=["nl"],
        version=1,
        updated_at=updated_at,
        body={},
        seq=seq,
    )


def test_djangos_insert_in_small_batches_writes_every_row_and_its_id(monkeypatch):
    # given five rows and a database that takes two rows a statement (SQLite
    # takes about 80 of these; PostgreSQL takes any number)
    records = [
        _record(updated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), seq=number)
        for number in range(1, 6)
    ]
    connection = transaction.get_connection()
    monkeypatch.setattr(connection.ops, "bulk_batch_size", lambda fields, objs: 2)
    # when they go in by Django's insert
    with transaction.atomic():
        ids = _django_path(StoredRecord, records, ids=True)
    # then all five are written, each with its own id, in order
    assert ids == [record.pk for record in records]
    assert len(set(ids)) == 5
    assert list(
        StoredRecord.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list("record_id", flat=True)
    ) == [record.record_id for record in sorted(records, key=lambda r: r.pk)]
