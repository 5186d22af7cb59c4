"""Query expressions over JSON arrays that work on SQLite and PostgreSQL.

Django's ``contains`` lookup on a ``JSONField`` is not available on SQLite, and
the catalogue keeps list fields (themes, target groups, NUTS codes, partners) in
the record body. ``JsonArrayHas`` asks "does the array at this path hold an
element equal to (or starting with) this value?" with each engine's own JSON
functions: ``json_each`` on SQLite, ``jsonb_path_exists`` on PostgreSQL.
``JsonArrayHasAny`` asks whether a top-level array holds any of many values, in
one condition. Values are always query parameters, never part of the SQL text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from django.db import NotSupportedError
from django.db.models import BooleanField, F, Func

_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class JsonArrayHas(Func):
    """True when the JSON array at ``path`` in ``column`` has a matching element.

    ``path`` names object keys from the top of the JSON value (empty for a column
    that holds the array itself); ``element_key`` compares a key of each element
    (``partners[*].organisation``) instead of the element; ``prefix`` matches
    elements that start with ``value`` (NUTS codes: ``NL41`` matches ``NL414``).
    A missing path matches nothing.
    """

    output_field = BooleanField()

    def __init__(
        self,
        column: str,
        *,
        path: Sequence[str] = (),
        value: str,
        element_key: str | None = None,
        prefix: bool = False,
    ) -> None:
        for key in (*path, *([element_key] if element_key else [])):
            if not _KEY.match(key):
                raise ValueError(f"unsafe JSON key {key!r}")
        super().__init__(F(column))
        self.path = tuple(path)
        self.value = str(value)
        self.element_key = element_key
        self.prefix = prefix

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]  # noqa: ARG002  Django expression API
        raise NotSupportedError(
            f"JsonArrayHas supports SQLite and PostgreSQL, not {connection.vendor}"
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # noqa: ARG002  Django expression API
        column, params = compiler.compile(self.source_expressions[0])
        json_path = "$" + "".join(f'."{key}"' for key in self.path)
        element = "json_extract(item.value, %s)" if self.element_key else "item.value"
        element_params: list[Any] = (
            [f'$."{self.element_key}"'] if self.element_key else []
        )
        if self.prefix:
            test = f"substr({element}, 1, %s) = %s"
            test_params = [*element_params, len(self.value), self.value]
        else:
            test = f"{element} = %s"
            test_params = [*element_params, self.value]
        # ``column`` is Django's compiled column, ``test`` one of two fixed texts;
        # every value is a parameter.
        sql = f"EXISTS (SELECT 1 FROM json_each({column}, %s) AS item WHERE {test})"  # noqa: S608
        return sql, (*params, json_path, *test_params)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # noqa: ARG002  Django expression API
        column, params = compiler.compile(self.source_expressions[0])
        steps = "".join(f'."{key}"' for key in self.path)
        element = f'."{self.element_key}"' if self.element_key else ""
        test = "@ starts with $v" if self.prefix else "@ == $v"
        json_path = f"strict ${steps}[*]{element} ? ({test})"
        sql = f"jsonb_path_exists({column}, %s::jsonpath, %s::jsonb, true)"
        return sql, (*params, json_path, json.dumps({"v": self.value}))


class JsonArrayHasAny(Func):
    """True when the JSON array under top-level ``key`` of ``column`` holds any
    of ``values``: one condition for a whole page, where OR-ing one
    ``JsonArrayHas`` per value would nest too deep for SQLite.
    Values are always query parameters."""

    output_field = BooleanField()

    def __init__(self, column: str, *, key: str, values: Sequence[str]) -> None:
        if not _KEY.match(key):
            raise ValueError(f"unsafe JSON key {key!r}")
        super().__init__(F(column))
        self.key = key
        self.values = [str(value) for value in values]

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]  # noqa: ARG002  Django expression API
        raise NotSupportedError(
            f"JsonArrayHasAny supports SQLite and PostgreSQL, not {connection.vendor}"
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # noqa: ARG002  Django expression API
        column, params = compiler.compile(self.source_expressions[0])
        marks = ", ".join(["%s"] * len(self.values))
        # ``column`` is Django's compiled column; everything else is a parameter.
        sql = (
            f"EXISTS (SELECT 1 FROM json_each({column}, %s) AS item "  # noqa: S608
            f"WHERE item.type = 'text' AND item.value IN ({marks}))"
        )
        return sql, (*params, f'$."{self.key}"', *self.values)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # noqa: ARG002  Django expression API
        column, params = compiler.compile(self.source_expressions[0])
        # jsonb ?| tests the string elements of an array (and keys of an object,
        # which ``datasets`` never is).
        sql = f"(({column} -> %s) ?| %s::text[])"
        return sql, (*params, self.key, self.values)
