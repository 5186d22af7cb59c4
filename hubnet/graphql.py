"""The root GraphQL schema of a hub: federation's queries and mutation with the
search field composed in (federation does not import search). Named by
``GRAPHENE["SCHEMA"]``; committed as ``federation/schema.graphql``::

    hubnet graphql_schema --schema hubnet.graphql.schema --out federation/schema.graphql
"""

from __future__ import annotations

import graphene

from federation.graphql.limits import field_costs_declare
from federation.graphql.schema import Mutation as FederationMutation
from federation.graphql.schema import Query as FederationQuery
from federation.graphql.types import RECORD_TYPES
from search.graphql import SEARCH_FIELD_COSTS, SearchQuery


class Query(FederationQuery, SearchQuery):
    """Read this hub: the hub, its records, the change feed (for neighbours) and
    a search over the whole network's catalogue."""


schema = graphene.Schema(
    query=Query, mutation=FederationMutation, types=list(RECORD_TYPES.values())
)
# The search field's cost (an engine query per alias) counts against the budget.
field_costs_declare(schema.graphql_schema, SEARCH_FIELD_COSTS)
