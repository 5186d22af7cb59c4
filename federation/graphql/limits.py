"""Limits of the GraphQL API: page caps, request size and tokens, query depth and cost.

Depth and cost are graphql-core validation rules, so a document that breaks them
is rejected with ``TOO_COMPLEX`` before anything executes (HTTP 400, as
graphene-django answers every validation error); they stop the validation at
once, so the other rules do not walk a document already refused.

- Depth: the longest chain of nested fields, fragments expanded, must not exceed
  ``MAX_DEPTH``. Introspection fields (``__schema``, ``__type``) are left to
  graphql-core's ``MaxIntrospectionDepthRule`` (the standard introspection
  query nests 15 levels through ``ofType`` and must keep working).
- Cost: an estimate of the work the execution does, in one unit: a resolved
  field (about 10 µs of a hub's time). Every field costs one per parent object.
  Fields that call the database or the search engine carry a ``FieldCost``: a
  weight for the call, plus a weight per item of the page they fetch, whether
  the query selects the items or not. The page size is the ``first`` argument
  (a literal or a variable) clamped to the field's cap, the argument's default
  when it is absent, or the cap when it cannot be known. The list that holds the
  page (``edges``, ``hits``) resolves once per item, so its subtree is
  multiplied by the page size. Other lists (the lists inside a record body, the
  neighbours of the hub, the facets) hold data already in memory and are
  bounded by the record schema, so they count once. Where a selection spreads
  over several record kinds, the most costly kind counts, not the sum. Aliases
  and fragments repeat the cost, so asking for the same page fifty times does
  not slip through: it is refused before any resolver runs.
- A field declares its cost in ``FIELD_COSTS`` (this app's fields) or, for a
  field another app composes into the root schema, on the built schema with
  ``field_costs_declare`` (the composition root does it, so federation never
  imports the apps that extend its schema).
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
    GraphQLField,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    Lexer,
    NamedTypeNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Source,
    TokenKind,
    ValidationRule,
    VariableNode,
    get_named_type,
    is_abstract_type,
    specified_rules,
)
from graphql.validation import ASTValidationRule, MaxIntrospectionDepthRule
from graphql.validation.validate import ValidationAbortedError

from federation.graphql.errors import ErrorCode
from federation.wire import MAX_PAGE_SIZE

# Page sizes. ``changes`` is the peer feed (federation.wire.MAX_PAGE_SIZE, 500);
# ``records`` is the public browse.
CHANGES_MAX_PAGE_SIZE = MAX_PAGE_SIZE
RECORDS_MAX_PAGE_SIZE = 100
RECORDS_DEFAULT_PAGE_SIZE = 20

# The request body (the query, its variables and the JSON around them).
MAX_REQUEST_BYTES = 100 * 1024

# Tokens of the document, counted before it is parsed: parsing is linear in
# tokens and 100 KB of aliases (~31,000 tokens) took 0.24 s to parse before the
# cost rule could refuse it; the largest real client query (the soak's 50
# lookups) has 856.
MAX_TOKENS = 5_000

# The deepest data query of the schema nests 6 fields
# (records > edges > node > body > contact > url); 12 leaves room to grow.
MAX_DEPTH = 12

# The budget of one request: about half a second of a hub's time. It is part of
# the wire contract (every hub must accept a neighbour's feed query), so it is a
# constant, not a per-hub setting. What real clients send, costed with the
# weights below:
# - the sync client's full feed page (500 edges of cursor, sequence and wire):
#   16,704;
# - the demo's count of records per origin and kind at the EU hub (8 hubs x 4
#   kinds, ``records(first: 1) { totalCount }`` each): 13,120, and up to 121
#   such counts fit;
# - the soak's batch of 50 ``record(id) { version }`` lookups: 7,550;
# - a full search page (``search(first: 100)`` with hits, highlights and
#   facets): 3,209; a browse page of 100 records: 1,903; 100 typed records
#   with every field of every kind: 9,903.
# An attacker gets at most 19 faceted searches of 100 hits (or 49 of none) per
# request, instead of the ~2,800 that fitted in 100 KB when a search cost its
# fields only.
MAX_COST = 50_000

# Weights, in cost units, measured on PostgreSQL and the OpenSearch node of CI
# (a full feed page of 11,505 resolved fields takes ~140 ms, so a unit is ~10 µs):
# a page query of the catalogue store takes ~2 ms, each row read and turned into
# a record ~0.1 ms more; a COUNT over the same filter ~2 ms and grows with the
# catalogue; a lookup by id ~1.5 ms.
SQL_PAGE_WEIGHT = 200
SQL_ROW_WEIGHT = 10
SQL_COUNT_WEIGHT = 200
SQL_LOOKUP_WEIGHT = 150
# A whole record in one value (``wire``): about as costly as 20 fields.
WIRE_WEIGHT = 20


@dataclass(frozen=True)
class FieldCost:
    """What resolving a field costs beyond the fields selected under it.

    ``weight`` is paid once per resolution (an SQL or engine call); a paged field
    (``cap`` set) also pays ``per_item`` for each item of its page, and multiplies
    the subtree of its ``items`` list by the page size.
    """

    weight: int = 1
    per_item: int = 0
    cap: int | None = None
    items: str | None = None

    def __post_init__(self) -> None:
        if (self.cap is None) != (self.items is None):
            raise ValueError("a paged field names both its cap and its items list")


# The schema extension under which a composed field carries its FieldCost.
COST_EXTENSION = "hubnet_cost"

# (type name, field name) -> cost, for this app's fields.
FIELD_COSTS: dict[tuple[str, str], FieldCost] = {
    ("Query", "changes"): FieldCost(
        weight=SQL_PAGE_WEIGHT,
        per_item=SQL_ROW_WEIGHT,
        cap=CHANGES_MAX_PAGE_SIZE,
        items="edges",
    ),
    ("Query", "records"): FieldCost(
        weight=SQL_PAGE_WEIGHT,
        per_item=SQL_ROW_WEIGHT,
        cap=RECORDS_MAX_PAGE_SIZE,
        items="edges",
    ),
    ("RecordConnection", "totalCount"): FieldCost(weight=SQL_COUNT_WEIGHT),
    ("Query", "record"): FieldCost(weight=SQL_LOOKUP_WEIGHT),
    ("ChangeEdge", "wire"): FieldCost(weight=WIRE_WEIGHT),
}
_UNIT = FieldCost()


def field_costs_declare(
    schema: GraphQLSchema, costs: Mapping[tuple[str, str], FieldCost]
) -> None:
    """Attach ``costs`` to the fields of a built ``schema`` (for fields that
    another app composes into it); an unknown type or field is a ValueError, so a
    renamed field cannot silently lose its cost."""
    for (type_name, field_name), cost in costs.items():
        named = schema.get_type(type_name)
        definition = getattr(named, "fields", {}).get(field_name)
        if definition is None:
            raise ValueError(f"{type_name}.{field_name} is not in the schema")
        definition.extensions = {**(definition.extensions or {}), COST_EXTENSION: cost}


def field_cost(type_name: str, field_name: str, definition: GraphQLField) -> FieldCost:
    """The declared cost of a field: on the schema, in FIELD_COSTS, else a unit."""
    declared = (definition.extensions or {}).get(COST_EXTENSION)
    if isinstance(declared, FieldCost):
        return declared
    return FIELD_COSTS.get((type_name, field_name), _UNIT)


class TooComplex(Exception):
    """Raised inside a walk as soon as a limit is exceeded."""


# The page a selection is resolved under: (the list field holding it, its size).
_Page = tuple[str, int]


@dataclass
class _Walk:
    """Depth and cost of one operation; fragment results are memoised, so a
    document that spreads fragments exponentially is still walked in linear time."""

    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]
    _depths: dict[str, int] = field(default_factory=dict)
    _costs: dict[tuple[str, str, _Page | None], int] = field(default_factory=dict)
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
        page: _Page | None = None,
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
        page: _Page | None,
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
        self, node: FieldNode, concrete: GraphQLNamedType, page: _Page | None
    ) -> int:
        name = node.name.value
        fields = getattr(concrete, "fields", {})
        definition = fields.get(name)
        if name.startswith("__") or definition is None:
            return 1  # introspection, or an unknown field another rule reports
        times = page[1] if page is not None and page[0] == name else 1
        spec = field_cost(concrete.name, name, definition)
        own = spec.weight
        child_page: _Page | None = None
        if spec.cap is not None and spec.items is not None:
            size = self._page_size(node, definition, spec.cap)
            own += spec.per_item * size
            child_page = (spec.items, size)
        if node.selection_set is None:
            return times * own
        below = self.cost(
            node.selection_set, get_named_type(definition.type), page=child_page
        )
        return times * (own + below)

    def _fragment_cost(
        self, name: str, concrete: GraphQLNamedType, page: _Page | None
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
            concrete,
        )

    def _page_size(self, node: FieldNode, definition: GraphQLField, cap: int) -> int:
        """The ``first`` of a paged field clamped to 0..``cap`` (a resolver may
        refuse an over-cap value or clamp it: either way no more is fetched);
        the argument's default when absent; ``cap`` when unknown (a null, or a
        variable the request does not give)."""
        value: Any = None
        argument = next(
            (given for given in node.arguments if given.name.value == "first"), None
        )
        if argument is None:
            declared = definition.args.get("first")
            value = declared.default_value if declared is not None else None
        elif isinstance(argument.value, IntValueNode):
            value = int(argument.value.value)
        elif isinstance(argument.value, VariableNode):
            value = self.variables.get(argument.value.name.value)
        if isinstance(value, int) and not isinstance(value, bool):
            return max(0, min(value, cap))
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
            # Raised, not reported: validation stops here, so an over-budget
            # document (up to MAX_REQUEST_BYTES of aliases) is not walked by
            # every other rule too. graphql-core returns the error it aborts with.
            raise ValidationAbortedError(
                f"Query rejected: {error}.",
                node,
                extensions={"code": ErrorCode.TOO_COMPLEX.value},
            ) from None

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


def document_token_error(query: str) -> GraphQLError | None:
    """A ``TOO_COMPLEX`` error when ``query`` holds more than ``MAX_TOKENS``
    tokens; the lexer stops at the limit, so a flood is refused before parsing."""
    lexer = Lexer(Source(query))
    try:
        for _ in range(MAX_TOKENS + 1):
            if lexer.advance().kind == TokenKind.EOF:
                return None
    except GraphQLError:
        return None  # a syntax error: the parser reports it with its location
    return GraphQLError(
        f"Query rejected: the document holds more than {MAX_TOKENS} tokens.",
        extensions={"code": ErrorCode.TOO_COMPLEX.value},
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
