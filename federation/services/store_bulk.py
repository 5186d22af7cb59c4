"""Writing many store rows at once at the database's speed.

On PostgreSQL new rows go in with COPY (no SQL to build, no per-value
placeholders) and changed rows with one COPY into a temporary table and one
UPDATE from it; elsewhere Django's bulk operations do. Callers hold the change
sequence's lock, so no other writer inserts the same ids meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from federation.models import StoredRecord
from federation.services.rows import rows_insert, rows_values

_FIELDS = [
    field for field in StoredRecord._meta.concrete_fields if not field.primary_key
]
_STAGING = "federation_incoming"


def stored_records_insert(*, rows: Sequence[StoredRecord]) -> None:
    """Insert new rows (none of their ids is held), inside the caller's
    transaction; each gets its id."""
    rows_insert(StoredRecord, rows, fields=_FIELDS, ids=True)


def stored_records_update(*, rows: Sequence[StoredRecord], fields: list[str]) -> None:
    """Write ``fields`` of held rows (and when they were stored), inside the
    caller's transaction."""
    if not rows:
        return
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        now = timezone.now()
        for row in rows:
            row.stored_at = now
        StoredRecord.objects.bulk_update(rows, [*fields, "stored_at"], batch_size=200)
        return
    quote = connection.ops.quote_name
    table = quote(StoredRecord._meta.db_table)
    written = [StoredRecord._meta.pk] + [
        field
        for field in _FIELDS
        if field.attname in fields or field.attname == "stored_at"
    ]
    columns = ", ".join(quote(field.column) for field in written)
    assignments = ", ".join(
        f"{quote(field.column)} = incoming.{quote(field.column)}"
        for field in written[1:]
    )
    with connection.cursor() as cursor:
        # Identifiers only (the model's own table and columns), no values.
        create = f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGING} ON COMMIT DELETE ROWS AS SELECT * FROM {table} WITH NO DATA"  # noqa: E501, S608
        cursor.execute(create)
        with cursor.cursor.copy(f"COPY {_STAGING} ({columns}) FROM STDIN") as copy:
            for line in rows_values(rows, written):
                copy.write_row(line)
        update = f"UPDATE {table} SET {assignments} FROM {_STAGING} AS incoming WHERE {table}.id = incoming.id"  # noqa: E501, S608
        cursor.execute(update)
        # Emptied now, not only at commit: a caller may update twice in one
        # transaction.
        cursor.execute(f"TRUNCATE {_STAGING}")
