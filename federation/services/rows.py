"""Inserting many new rows of any model at the database's speed.

On PostgreSQL rows go in with COPY, their ids taken from the table's sequence
beforehand when the caller needs them: Django's bulk insert builds the SQL and
quotes every value in Python (a column of JSON becomes one quoted array), which
cost more than the database's own work. Elsewhere Django's insert does. Values
are prepared as Django prepares them (the field's ``get_db_prep_save``), except
plain Python values of plain fields, which the driver takes as they are, and
JSON without an encoder, written by orjson; ``auto_now`` fields are set to now
on the rows, as Django's insert sets them.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import orjson
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

# Fields whose prepared value is the Python value itself when it is one of
# _PLAIN_VALUES (exact classes: a subclass may prepare its values).
_PLAIN_FIELDS = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.BigIntegerField,
        models.BooleanField,
        models.CharField,
        models.DateField,
        models.DateTimeField,
        models.EmailField,
        models.FloatField,
        models.ForeignKey,
        models.IntegerField,
        models.OneToOneField,
        models.PositiveBigIntegerField,
        models.PositiveIntegerField,
        models.SlugField,
        models.TextField,
        models.URLField,
        models.UUIDField,
    }
)
_PLAIN_VALUES = frozenset({str, int, bool, float, type(None), dt.date, uuid.UUID})
Read = Callable[[Any, str], Any]
# JSON encoders whose output orjson reproduces (given the encoder's dates).
_ENCODERS = (None, DjangoJSONEncoder)


def rows_insert(
    model: type[models.Model],
    rows: Sequence[Any],
    *,
    fields: Sequence[models.Field] | None = None,
    ids: bool = False,
) -> list[int]:
    """Insert ``rows`` of ``model`` (unsaved instances, or dicts of every
    field's ``attname``) into its own table, inside the caller's transaction:
    ``fields`` (default: every concrete field but the primary key). With
    ``ids`` each row gets its new primary key, and the keys are returned."""
    if not rows:
        return []
    pk = model._meta.pk
    assert pk is not None
    if fields is None:
        fields = [field for field in model._meta.concrete_fields if field is not pk]
    read: Read = dict.__getitem__ if isinstance(rows[0], dict) else getattr
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        return _django_insert(model, rows, fields, ids=ids)
    keys = ids_reserve(model, len(rows)) if ids else []
    for row, key in zip(rows, keys, strict=False):
        _set(row, pk.attname, key)
    written = [pk, *fields] if ids else list(fields)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in written)
    table = quote(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for line in rows_values(rows, written, read=read):
            copy.write_row(line)
    for row in rows:
        if isinstance(row, models.Model):
            row._state.adding = False  # saved: as Django's insert leaves it
    return keys


def rows_values(
    rows: Sequence[Any], fields: Sequence[models.Field], *, read: Read = getattr
) -> list[list[Any]]:
    """Each row's values of ``fields`` as PostgreSQL's driver takes them."""
    connection = transaction.get_connection()
    now = timezone.now()
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for row in rows:
                _set(row, field.attname, now)
    prepare = [(field.attname, _preparer(field, connection)) for field in fields]
    return [[prepared(read(row, name)) for name, prepared in prepare] for row in rows]


def ids_reserve(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys of ``model`` from its table's sequence
    (PostgreSQL), so rows can be written with them and point at each other."""
    table = model._meta.db_table
    pk = model._meta.pk
    assert pk is not None
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
            "FROM generate_series(1, %s)",
            [table, pk.column, count],
        )
        return sorted(row[0] for row in cursor.fetchall())


def _preparer(field: models.Field, connection: Any) -> Callable[[Any], Any]:
    prepare = field.get_db_prep_save
    if type(field) is models.JSONField and field.encoder in _ENCODERS:
        encoder = field.encoder
        return lambda value: None if value is None else _json_text(value, encoder)
    if type(field) not in _PLAIN_FIELDS:
        return lambda value: prepare(value, connection)
    if isinstance(field, models.DateTimeField):
        return lambda value: (
            value
            if value is None or (type(value) is dt.datetime and value.tzinfo)
            else prepare(value, connection)
        )

    def plain(value: Any) -> Any:
        # A date is also a datetime's base: only a DateField takes one as is.
        if type(value) in _PLAIN_VALUES:
            return value
        return prepare(value, connection)

    return plain


def _django_insert(
    model: type[models.Model],
    rows: Sequence[Any],
    fields: Sequence[models.Field],
    *,
    ids: bool,
) -> list[int]:
    objs = [model(**row) if isinstance(row, dict) else row for row in rows]
    pk = model._meta.pk
    assert pk is not None
    connection = transaction.get_connection()
    size = max(1, connection.ops.bulk_batch_size(list(fields), objs))
    keys: list[int] = []
    for start in range(0, len(objs), size):
        returned = model._base_manager._insert(  # type: ignore[attr-defined]
            objs[start : start + size],
            fields=list(fields),
            returning_fields=[pk] if ids else None,
        )
        keys += [row[0] for row in returned or ()]
    for row, obj, key in zip(rows, objs, keys, strict=False):
        _set(row, pk.attname, key)
        obj._state.adding = False
    return keys


def _json_text(value: Any, encoder: type[json.JSONEncoder] | None = None) -> str:
    """``value`` as JSON text, as ``json.dumps(value, cls=encoder)`` writes it
    (Django's encoder: dates and times as it formats them) but faster."""
    try:
        if encoder is None:
            return orjson.dumps(value).decode()
        return orjson.dumps(
            value, default=encoder().default, option=orjson.OPT_PASSTHROUGH_DATETIME
        ).decode()
    except TypeError:
        # Integers beyond 64 bits, which JSON allows, or keys that are not text.
        return json.dumps(value, cls=encoder)


def _set(row: Any, name: str, value: Any) -> None:
    if isinstance(row, dict):
        row[name] = value
    else:
        setattr(row, name, value)
