"""The one GraphQL schema of a hub: federation's queries and mutation with the
search field composed in (federation does not import search). Named by
``GRAPHENE["SCHEMA"]``, served at ``/graphql`` and committed beside this module
as ``hubnet/schema.graphql`` (``GRAPHENE["SCHEMA_OUTPUT"]``); regenerate it with
``hubnet graphql_schema`` (``REGENERATE``).
"""

from __future__ import annotations

from pathlib import Path

import graphene
from graphql import print_schema

from federation.graphql.limits import field_costs_declare
from federation.graphql.operations import Mutation as FederationMutation
from federation.graphql.operations import Query as FederationQuery
from federation.graphql.types import RECORD_TYPES
from search.graphql import SEARCH_FIELD_COSTS, SearchQuery

# The committed SDL, and how to regenerate it (from the repository root).
SCHEMA_FILE = Path(__file__).resolve().parent / "schema.graphql"
REGENERATE = (
    "hubnet graphql_schema --schema hubnet.graphql.schema --out hubnet/schema.graphql"
)


class Query(FederationQuery, SearchQuery):
    """Read this hub: the hub, its records, the change feed (for neighbours) and
    a search over the whole network's catalogue."""


schema = graphene.Schema(
    query=Query, mutation=FederationMutation, types=list(RECORD_TYPES.values())
)
# The search field's cost (an engine query per alias) counts against the budget.
field_costs_declare(schema.graphql_schema, SEARCH_FIELD_COSTS)


def schema_sdl() -> str:
    """The live schema in SDL, exactly as ``hubnet graphql_schema`` writes it."""
    return print_schema(schema.graphql_schema)


def schema_file_status(path: Path = SCHEMA_FILE) -> str | None:
    """None when ``path`` holds the live schema; else what is wrong and the fix."""
    if not path.exists():
        return f"{path} is missing; create it with: {REGENERATE}"
    if path.read_text(encoding="utf-8").rstrip("\n") != schema_sdl().rstrip("\n"):
        return (
            f"{path} differs from the live GraphQL schema; if the change is "
            f"intended, regenerate it with: {REGENERATE}"
        )
    return None
