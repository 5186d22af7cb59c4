"""Every bound of the record contract at its edge, read from the models' JSON
schema: the value at a bound is accepted and the one just past it refused.

A field added to a model with a bound is tested here without a new test; the
bounds are also listed in record_bounds.txt, so that changing one (or adding
one) is a deliberate change of the wire contract.
"""

import copy
import math
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from federation.records import (
    BODY_MODELS,
    Record,
    RecordInvalid,
    body_validate,
    record_validate,
)
from tests.federation.factories import FULL_BODIES, wire_record

CONTRACT = Path(__file__).with_name("record_bounds.txt")
# Bounds no valid value can reach, so only "one past it is refused" is tested;
# each with the reason. The test fails when an entry no longer names a bound.
AT_BOUND_UNREACHABLE = {
    ("Record", "id", "maxLength"): "an id is <origin>:<kind>:<uuid>, 100 chars at most",
}
# The models' str_max_length (ConfigDict): a catch-all on strings a pattern or a
# validator already keeps short; at the bound only the catch-all is unreachable.
STR_MAX_LENGTH = 20000
PATTERN_OR_VALIDATOR = "a pattern or a validator keeps the value short"


@dataclass(frozen=True)
class Bound:
    """One constraint of the schema at a path into an example value."""

    model: str
    path: tuple[str | int, ...]
    keyword: str
    limit: Any
    node: dict[str, Any]

    @property
    def dotted(self) -> str:
        return ".".join(str(part) for part in self.path)

    def __str__(self) -> str:
        return f"{self.model}.{self.dotted}:{self.keyword}={self.limit}"


_KEYWORDS = (
    "maxLength",
    "minLength",
    "maxItems",
    "minItems",
    "maxProperties",
    "maximum",
    "minimum",
    "pattern",
)


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return _resolve(schema, schema["$defs"][node["$ref"].split("/")[-1]])
    branches = [b for b in node.get("anyOf", []) if b.get("type") != "null"]
    if len(branches) == 1:
        return _resolve(schema, branches[0])
    return node


def _bounds(
    model: str, schema: dict[str, Any], node: dict[str, Any], path: tuple, example: Any
) -> Iterator[Bound]:
    node = _resolve(schema, node)
    for keyword in _KEYWORDS:
        if keyword in node:
            yield Bound(model, path, keyword, node[keyword], node)
    names = node.get("propertyNames", {})
    for keyword in ("maxLength", "pattern"):
        if keyword in names:
            yield Bound(model, path, f"propertyNames.{keyword}", names[keyword], node)
    for name, sub in node.get("properties", {}).items():
        if isinstance(example, dict) and name in example:
            yield from _bounds(model, schema, sub, (*path, name), example[name])
    for pattern, sub in node.get("patternProperties", {}).items():
        keys = [key for key in example if re.match(pattern, key)]
        yield Bound(model, path, "propertyNames.pattern", pattern, node)
        yield from _bounds(model, schema, sub, (*path, keys[0]), example[keys[0]])
    if node.get("type") == "array" and example:
        yield from _bounds(model, schema, node["items"], (*path, 0), example[0])


def _examples() -> dict[str, tuple[type, dict[str, Any]]]:
    """Each model with a valid example that sets every field."""
    examples = {
        f"{kind.value}-body": (model, FULL_BODIES[kind.value])
        for kind, model in BODY_MODELS.items()
    }
    envelope = wire_record(origin="nl", origin_path=["eu", "nl"])
    examples["Record"] = (Record, {**envelope, "originLevel": "national"})
    return examples


def _all_bounds() -> list[Bound]:
    bounds = []
    for name, (model, example) in _examples().items():
        schema = model.model_json_schema(by_alias=True)
        bounds += _bounds(name, schema, schema, (), example)
    return bounds


def _get(value: Any, path: tuple) -> Any:
    for part in path:
        value = value[part]
    return value


def _set(value: Any, path: tuple, new: Any) -> Any:
    copied = copy.deepcopy(value)
    if not path:
        return new
    _get(copied, path[:-1])[path[-1]] = new
    return copied


def _padded(example: str, length: int, node: dict[str, Any]) -> str:
    """``example`` grown to ``length`` characters, still of its format."""
    if node.get("format") == "uri":
        return example + "a" * (length - len(example))
    return "a" * (length - len(example)) + example


def _edges(bound: Bound, example: Any) -> tuple[Any | None, list[Any]]:
    """The value at the bound (None when it cannot be built) and values past it."""
    limit, node = bound.limit, bound.node
    if bound.keyword == "maxLength":
        return _padded(example, limit, node), [_padded(example, limit + 1, node)]
    if bound.keyword == "minLength":
        at = None if node.get("format") == "uri" else "p" * limit
        return at, ["p" * (limit - 1)]
    if bound.keyword == "maxItems":
        grown = [example[0]] * (limit - len(example)) + list(example)
        return grown, [[example[0], *grown]]
    if bound.keyword == "minItems":
        return list(example[len(example) - limit :]), [
            list(example[len(example) - limit + 1 :])
        ]
    if bound.keyword in ("maximum", "minimum"):
        step = 1 if bound.keyword == "maximum" else -1
        if node.get("type") == "integer":
            return limit, [limit + step]
        return float(limit), [math.nextafter(limit, step * math.inf)]
    if bound.keyword == "pattern":
        return example, [f"{example} <", f"<{example}"]
    if bound.keyword == "maxProperties":
        (pattern,) = node["patternProperties"]
        names = re.fullmatch(r"\^\((.*)\)\$", pattern)[1].split("|")
        value = next(iter(example.values()))
        full = {name: value for name in names[:limit]}
        return full, [{**full, "zz": value}]
    if bound.keyword == "propertyNames.pattern":
        value = next(iter(example.values()))
        return example, [{"zz": value}, {f"{next(iter(example))}x": value}]
    if bound.keyword == "propertyNames.maxLength":
        key = "k" * (limit + 1)
        return None, [{key: next(iter(example.values()), 1)}]
    raise AssertionError(f"no edges for {bound}")


def _unreachable(bound: Bound) -> str | None:
    """Why no valid value sits at this bound, or None."""
    if bound.keyword.endswith("maxLength") and bound.limit == STR_MAX_LENGTH:
        return PATTERN_OR_VALIDATOR
    if bound.keyword == "minLength" and bound.node.get("format") == "uri":
        return "a URL of one character is no URL"
    return AT_BOUND_UNREACHABLE.get((bound.model, bound.dotted, bound.keyword))


def _validate(model_name: str, document: dict[str, Any]) -> None:
    if model_name == "Record":
        record_validate(document)
    else:
        body_validate(kind=model_name.removesuffix("-body"), body=document)


BOUNDS = _all_bounds()


@pytest.mark.parametrize("bound", BOUNDS, ids=str)
def test_a_bound_accepts_its_edge_and_refuses_one_past_it(bound):
    # given: a valid example that sets every field, and the values at the edge
    _model, example = _examples()[bound.model]
    container = bound.path
    at, past = _edges(bound, _get(example, container))
    unreachable = _unreachable(bound)
    # then: the value at the bound is accepted ...
    if at is not None and unreachable is None:
        _validate(bound.model, _set(example, container, at))
    else:
        assert unreachable is not None, f"{bound}: no value at the bound"
    # ... and every value past it refused, naming the field
    where = bound.dotted if bound.model == "Record" else f"body.{bound.dotted}"
    for value in past:
        with pytest.raises(RecordInvalid) as refused:
            _validate(bound.model, _set(example, container, value))
        assert where in str(refused.value), (bound, str(refused.value))


def test_the_bounds_are_the_ones_the_contract_lists():
    # given: the contract's bounds as listed (changed only on purpose)
    listed = {
        line
        for line in CONTRACT.read_text().splitlines()
        if line and not line.startswith("#")
    }
    # when
    found = {str(bound) for bound in BOUNDS}
    # then: the schema states exactly these; the entries without a reachable
    # value at the bound still exist
    assert sorted(found - listed) == [], "bounds not in record_bounds.txt"
    assert sorted(listed - found) == [], "bounds gone from the schema"
    for model, path, keyword in AT_BOUND_UNREACHABLE:
        assert any(
            (b.model, b.dotted, b.keyword) == (model, path, keyword) for b in BOUNDS
        ), (model, path, keyword)


@pytest.mark.parametrize(
    ("version", "accepted"), [(2**62, True), (2**62 + 1, False), (1, True), (0, False)]
)
def test_the_version_bound(version, accepted):
    wire = {**wire_record(), "version": version}
    if accepted:
        assert record_validate(wire).version == version
    else:
        with pytest.raises(RecordInvalid, match="^version: Input should be"):
            record_validate(wire)


@pytest.mark.parametrize(
    ("id_origin", "id_kind"),
    [("nl", "dataset"), ("be", "project"), ("be", "dataset")],
    ids=["kind-differs", "origin-differs", "both-differ"],
)
def test_an_id_that_disagrees_with_origin_or_kind_is_refused(id_origin, id_kind):
    # given: a project of nl whose id names another kind or origin
    wire = wire_record(
        kind="project", origin="nl", record_id=f"{id_origin}:{id_kind}:{uuid.uuid4()}"
    )
    # when / then
    with pytest.raises(RecordInvalid, match="^id does not match origin and kind$"):
        record_validate(wire)


def test_a_record_is_live_unless_it_says_it_is_deleted():
    # given: wire records that leave "deleted" out
    live = wire_record()
    del live["deleted"]
    bodiless = {**live, "body": None}
    # when / then: a record with a body is live; one without is refused
    record = record_validate(live)
    assert (record.deleted, record.body["name"]) == (False, "Parkeerscan")
    with pytest.raises(RecordInvalid, match="not deleted needs a body"):
        record_validate(bodiless)


@pytest.mark.parametrize(
    ("code", "accepted"),
    [("NL", True), ("NL414", True), ("NL4141", False), ("N", False), ("nl4", False)],
)
def test_a_nuts_code_is_two_letters_and_up_to_three_more(code, accepted):
    # The NUTS rule is a validator, not in the schema the table reads.
    body = {**FULL_BODIES["dataset"], "location": {"nuts": [code]}}
    if accepted:
        assert body_validate(kind="dataset", body=body)["location"]["nuts"] == [code]
    else:
        with pytest.raises(RecordInvalid, match=f"^body.location.nuts.0: '{code}'"):
            body_validate(kind="dataset", body=body)


@pytest.mark.parametrize(
    "point", [{"lat": 51.0}, {"lon": 5.0}], ids=["lat-alone", "lon-alone"]
)
def test_a_point_needs_both_coordinates(point):
    with pytest.raises(RecordInvalid, match="lat and lon go together"):
        body_validate(
            kind="dataset", body={**FULL_BODIES["dataset"], "location": point}
        )
