"""Limits of the GraphQL API: page caps, request size, query depth and cost.

Depth and cost are graphql-core validation rules, so a document that breaks them
is rejected with ``TOO_COMPLEX`` before anything executes (HTTP 400, as
graphene-django answers every validation error).

- Depth: the longest chain of nested fields, fragments expanded, must not exceed
  ``MAX_DEPTH``. Introspection fields (``__schema``, ``__type``) are left to
  graphql-core's ``MaxIntrospectionDepthRule`` (the standard introspection
  query nests 15 levels through ``ofType`` and must keep working).
- Cost: an estimate of the fields the execution resolves. Every field costs one
  per parent object; the list directly under a paged field (``edges``) resolves
  once per item of the page, so its subtree is multiplied by the page size: the
  ``first`` argument (a literal or a variable), clamped to the field's cap, or
  the cap when it cannot be known. Other lists (the lists inside a record body,
  the neighbours of the hub) hold data already in memory and are bounded by the
  record schema, so they count once. Where a selection spreads over several
  record kinds, the most costly kind counts, not the sum. Aliases repeat the
  cost, so asking for the same page fifty times does not slip through.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    NamedTypeNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_abstract_type,
    is_list_type,
    specified_rules,
)
from graphql.validation import ASTValidationRule, MaxIntrospectionDepthRule

from federation.graphql.errors import ErrorCode
from federation.wire import MAX_PAGE_SIZE

# Page sizes. ``changes`` is the peer feed (federation.wire.MAX_PAGE_SIZE, 500);
# ``records`` is the public browse.
CHANGES_MAX_PAGE_SIZE = MAX_PAGE_SIZE
RECORDS_MAX_PAGE_SIZE = 100
RECORDS_DEFAULT_PAGE_SIZE = 20

# The request body (the query, its variables and the JSON around them).
MAX_REQUEST_BYTES = 100 * 1024

# The deepest data query of the schema nests 6 fields
# (records > edges > node > body > contact > url); 12 leaves room to grow.
MAX_DEPTH = 12
# A full page of the feed as the sync client asks it (500 edges of cursor, sequence
# and wire) costs 11,505; 500 typed project records with every field 34,001; every
# field of all four kinds plus the wire 44,001.
MAX_COST = 50_000

# (type name, field name) -> the cap of its ``first`` argument.
PAGED_FIELDS: dict[tuple[str, str], int] = {
    ("Query", "changes"): CHANGES_MAX_PAGE_SIZE,
    ("Query", "records"): RECORDS_MAX_PAGE_SIZE,
}
# Fields that cost more than one: ``wire`` is a whole record in one value.
FIELD_WEIGHTS: dict[tuple[str, str], int] = {("ChangeEdge", "wire"): 20}


class TooComplex(Exception):
    """Raised inside a walk as soon as a limit is exceeded."""


@dataclass
class _Walk:
    """Depth and cost of one operation; fragment results are memoised, so a
    document that spreads fragments exponentially is still walked in linear time."""

    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]
    _depths: dict[str, int] = field(default_factory=dict)
    _costs: dict[tuple[str, str, int | None], int] = field(default_factory=dict)
    _active: set[str] = field(default_factory=set)

    # Depth -----------------------------------------------------------------

    def depth(self, selection_set: SelectionSetNode | None) -> int:
        """The number of nested fields on the longest path below ``selection_set``."""
        if selection_set is None:
            return 0
        deepest = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value.startswith("__"):
                    continue  # introspection: MaxIntrospectionDepthRule
                deepest = max(deepest, 1 + self.depth(selection.selection_set))
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, self.depth(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                deepest = max(deepest, self._fragment_depth(selection.name.value))
            if deepest > MAX_DEPTH:
                raise TooComplex(f"the query nests deeper than {MAX_DEPTH} fields")
        return deepest

    def _fragment_depth(self, name: str) -> int:
        if name in self._depths:
            return self._depths[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self._active:
            return 0  # unknown fragments and cycles are other rules' errors
        self._active.add(name)
        try:
            self._depths[name] = self.depth(fragment.selection_set)
        finally:
            self._active.discard(name)
        return self._depths[name]

    # Cost ------------------------------------------------------------------

    def cost(
        self,
        selection_set: SelectionSetNode,
        parent: GraphQLNamedType,
        *,
        page: int | None = None,
    ) -> int:
        """The cost of ``selection_set`` resolved once on an object of ``parent``;
        for an interface, the cost on its most costly implementation."""
        if is_abstract_type(parent):
            candidates = self.schema.get_possible_types(parent)  # type: ignore[arg-type]
            return max(
                (self._cost_on(selection_set, kind, page) for kind in candidates),
                default=0,
            )
        return self._cost_on(selection_set, parent, page)

    def _cost_on(
        self,
        selection_set: SelectionSetNode,
        concrete: GraphQLNamedType,
        page: int | None,
    ) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field_cost(selection, concrete, page)
            elif isinstance(selection, InlineFragmentNode):
                if self._applies(selection.type_condition, concrete):
                    total += self._cost_on(selection.selection_set, concrete, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment_cost(selection.name.value, concrete, page)
            if total > MAX_COST:
                raise TooComplex(
                    f"the query would cost more than {MAX_COST} (estimated fields)"
                )
        return total

    def _field_cost(
        self, node: FieldNode, concrete: GraphQLNamedType, page: int | None
    ) -> int:
        name = node.name.value
        fields = getattr(concrete, "fields", {})
        definition = fields.get(name)
        if name.startswith("__") or definition is None:
            return 1  # introspection, or an unknown field another rule reports
        times = 1
        if page is not None and is_list_type(get_nullable_type(definition.type)):
            times = page
        own = times * FIELD_WEIGHTS.get((concrete.name, name), 1)
        if node.selection_set is None:
            return own
        cap = PAGED_FIELDS.get((concrete.name, name))
        child_page = self._page_size(node, cap) if cap is not None else None
        below = self.cost(
            node.selection_set, get_named_type(definition.type), page=child_page
        )
        return own + times * below

    def _fragment_cost(
        self, name: str, concrete: GraphQLNamedType, page: int | None
    ) -> int:
        key = (name, concrete.name, page)
        if key in self._costs:
            return self._costs[key]
        fragment = self.fragments.get(name)
        if fragment is None or name in self._active:
            return 0
        if not self._applies(fragment.type_condition, concrete):
            self._costs[key] = 0
            return 0
        self._active.add(name)
        try:
            self._costs[key] = self._cost_on(fragment.selection_set, concrete, page)
        finally:
            self._active.discard(name)
        return self._costs[key]

    def _applies(
        self, condition: NamedTypeNode | None, concrete: GraphQLNamedType
    ) -> bool:
        if condition is None:
            return True
        named = self.schema.get_type(condition.name.value)
        if named is None:
            return False
        if named is concrete:
            return True
        return is_abstract_type(named) and self.schema.is_sub_type(
            named,  # type: ignore[arg-type]
            concrete,  # type: ignore[arg-type]
        )

    def _page_size(self, node: FieldNode, cap: int) -> int:
        """The ``first`` of a paged field, clamped to ``cap`` (an over-cap value is
        refused by the resolver with BAD_REQUEST, not here)."""
        for argument in node.arguments:
            if argument.name.value != "first":
                continue
            value: Any = None
            if isinstance(argument.value, IntValueNode):
                value = int(argument.value.value)
            elif isinstance(argument.value, VariableNode):
                value = self.variables.get(argument.value.name.value)
            if isinstance(value, int) and not isinstance(value, bool):
                return max(0, min(value, cap))
            return cap
        if cap == RECORDS_MAX_PAGE_SIZE:
            return RECORDS_DEFAULT_PAGE_SIZE
        return cap


class _OperationLimitRule(ValidationRule):
    """Walks each operation once; subclasses say what to check."""

    variables: Mapping[str, Any] = {}

    def enter_operation_definition(
        self, node: OperationDefinitionNode, *_args: Any
    ) -> None:
        context = self.context
        fragments = {
            definition.name.value: definition
            for definition in context.document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        walk = _Walk(
            schema=context.schema, fragments=fragments, variables=self.variables
        )
        try:
            self.check(walk, node)
        except TooComplex as error:
            self.report_error(
                GraphQLError(
                    f"Query rejected: {error}.",
                    node,
                    extensions={"code": ErrorCode.TOO_COMPLEX.value},
                )
            )

    def check(self, walk: _Walk, node: OperationDefinitionNode) -> None:
        raise NotImplementedError


class DepthLimitRule(_OperationLimitRule):
    """Rejects operations that nest more than ``MAX_DEPTH`` fields."""

    def check(self, walk: _Walk, node: OperationDefinitionNode) -> None:
        walk.depth(node.selection_set)


class CostLimitRule(_OperationLimitRule):
    """Rejects operations whose estimated cost exceeds ``MAX_COST``.

    ``variables`` are those of the request (see ``validation_rules``); without
    them a page size given by a variable counts as its cap.
    """

    def check(self, walk: _Walk, node: OperationDefinitionNode) -> None:
        root = self.context.schema.get_root_type(node.operation)
        if root is not None:
            walk.cost(node.selection_set, root)


class IntrospectionDepthRule(MaxIntrospectionDepthRule):
    """graphql-core's introspection depth rule, reporting ``TOO_COMPLEX``."""

    def report_error(self, error: GraphQLError) -> None:
        super().report_error(
            GraphQLError(
                f"Query rejected: {error.message}.",
                error.nodes,
                extensions={"code": ErrorCode.TOO_COMPLEX.value},
            )
        )


def validation_rules(
    *, variables: Mapping[str, Any] | None = None
) -> tuple[type[ASTValidationRule], ...]:
    """The specified GraphQL rules plus this API's limits, the cost rule bound to
    the request's ``variables`` (validation itself never sees them)."""
    bound_cost = type(
        "CostLimitRule",
        (CostLimitRule,),
        {"variables": dict(variables) if isinstance(variables, Mapping) else {}},
    )
    # graphql-core may already specify the introspection rule: ours replaces it.
    specified = [
        rule for rule in specified_rules if rule is not MaxIntrospectionDepthRule
    ]
    return (*specified, IntrospectionDepthRule, DepthLimitRule, bound_cost)
