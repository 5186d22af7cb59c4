"""Every panel of the dashboard on the real node equals the same figure counted
straight from the catalogue store, for the whole network, a hub's subtree and a
narrowed selection."""

import pytest
from django.http import QueryDict

from search.insight import panels as panels_module
from search.insight.panels import PANELS, Panel, panels_available
from search.insight.params import insight_params_parse
from search.insight.queries import insight_compute
from tests.search.insight.conftest import catalogue_counts

pytestmark = pytest.mark.django_db


def _figures(query: str) -> dict[str, dict]:
    params, panels = insight_params_parse(QueryDict(query))
    insight = insight_compute(params=params, panels=panels)
    figures: dict[str, dict] = {}
    for result in insight.panels:
        if result.panel.measure == "funding":
            figures[result.panel.name] = {
                r.value: (r.count, r.amount) for r in result.rows
            }
        elif result.panel.measure == "shares":
            figures[result.panel.name] = {
                r.value: (r.count, r.base) for r in result.rows
            }
        else:
            figures[result.panel.name] = {
                r.value: r.count for r in result.rows if r.count
            }
    figures["total"] = {"": insight.results.total}
    return figures


def _expected(counts: dict) -> dict[str, dict]:
    return {name: dict(value) for name, value in counts.items()}


@pytest.mark.parametrize(
    ("query", "scope", "where"),
    [
        ("scope=", None, {}),
        ("", "nl-nb", {}),
        ("scope=nl", "nl", {}),
        ("scope=&country=NL", None, {"country": "NL"}),
        ("scope=&ai_act_class=high", None, {"aiActClass": "high"}),
    ],
)
def test_each_panel_equals_the_catalogue(seeded, query, scope, where):
    # given the seeded store and index
    # when the dashboard is computed for a selection
    figures = _figures(query)
    # then each panel's figures are those counted in the store
    expected = _expected(catalogue_counts(scope=scope, **where))
    for panel in panels_available():
        assert figures[panel.name] == expected[panel.name], panel.name
    assert figures["total"][""] == sum(expected["kinds"].values())


def test_the_known_answers_of_the_seed(seeded):
    # the seed's figures by hand, so the catalogue counter is checked too
    figures = _figures("scope=")
    assert figures["kinds"] == {
        "project": 6,
        "course": 2,
        "organisation": 1,
        "dataset": 1,
    }
    assert figures["ai_act_classes"] == {"high": 4, "limited": 1, "minimal": 1}
    assert figures["transparency"] == {
        "objection_route": (2, 4),
        "human_oversight": (2, 4),
        "impact_assessment": (1, 4),
        "source_code": (2, 3),
    }
    assert figures["high_risk_areas"] == {"employment": 3, "migration": 1}
    assert figures["ai_act_readiness"] == {
        "package_complete": (1, 3),
        "fria_performed": (2, 3),
        "fria_notified": (1, 3),
    }
    assert figures["funding"] == {
        "digital-europe": (2, 150_000),
        "horizon-europe": (2, 50_000),
    }
    assert figures["months"] == {"2026-09": 1, "2026-10": 2, "2026-11": 7}
    assert figures["regions"] == {"NL41": 5, "NL31": 1, "BE24": 2, "DE21": 1}
    assert figures["eqf_levels"] == {6: 1, 5: 1}


def test_one_request_for_every_panel(seeded, monkeypatch):
    # when the dashboard is computed
    from search.engine import SearchEngine

    calls = []
    original = SearchEngine.msearch
    monkeypatch.setattr(
        SearchEngine,
        "msearch",
        lambda self, **kw: calls.append(len(kw["bodies"])) or original(self, **kw),
    )
    _figures("scope=")
    # then one multi-search carries the search and one body per panel
    assert calls == [1 + len(panels_available())]


def test_a_panel_over_an_unmapped_field_is_left_out(monkeypatch):
    # given a declared panel over a field the index does not map
    unmapped = Panel("unmapped", "Unmapped", field="notAnIndexField")
    monkeypatch.setattr(panels_module, "PANELS", (*PANELS, unmapped))
    # then it is left out, and the mapped ones stay
    names = {panel.name for panel in panels_available()}
    assert "unmapped" not in names
    assert {"kinds", "months", "transparency", "funding", "regions"} <= names
    assert {"school_levels", "impact_levels"} <= names
