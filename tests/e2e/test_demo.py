"""``hubnet demo`` headless, run once for the module (the ``demo`` fixture, in the
order of the tests below): eight hubs come up seeded from the real data and
synced, the counts per hub and level equal the seeded data, the EU hub holds every
record; scoped search, propagation within seconds, the README tour and the EU
dashboard in a real browser; a killed worker is restarted; Ctrl-C stops
everything; a re-run with ``--check`` reuses what is there."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import time

import pytest
import requests

from hubnet.demo.data import demo_plan, level_counts, plan_counts
from hubnet.demo.hubs import DEMO_HUBS
from hubnet.demo.register import register_plan
from hubnet.localnet import hub_health
from hubnet.processes import wait_until
from tests.cms import test_browser as cms_browser
from tests.e2e.demo import (
    admin_login,
    demo_running,
    eu_search,
    insight_total,
    publish_from_the_editor,
    search_at,
    seeded_count,
    shown_total,
    tour_project_fill,
)
from tests.federation.factories import body_for

pytestmark = pytest.mark.e2e

READY_TIMEOUT = 600  # seconds; the README promises five minutes on this machine
PROPAGATION_SECONDS = 30
SCREENSHOTS = cms_browser.SCREENSHOTS
# The chromium page fixture of the CMS browser tests (same launch arguments).
browser_page = cms_browser.browser_page


@pytest.fixture(scope="module")
def plan():
    return demo_plan(DEMO_HUBS)


@pytest.fixture(scope="module")
def register():
    """The algorithm register entries each hub imports as project pages."""
    return register_plan(DEMO_HUBS)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    yield from demo_running(tmp_path_factory, timeout=READY_TIMEOUT)


def test_the_network_comes_up_seeded_and_synced_in_time(demo, plan, register):
    assert demo.ready_seconds < READY_TIMEOUT
    seeded = seeded_count(plan, register)
    assert f"{seeded:,} published, 0 already there" in demo.output
    assert "the EU hub holds every record of every hub" in demo.output
    assert demo.summary()["converged"] is True


def test_every_hub_is_healthy_with_its_own_database(demo):
    for hub in DEMO_HUBS:
        answer = hub_health(demo.url(hub.slug))
        assert answer is not None
        assert answer["status"] == "ok", answer
        assert answer["hub"]["slug"] == hub.slug
        assert (demo.var_dir / "hubs" / hub.slug / "db.sqlite3").exists()


def test_counts_per_hub_and_level_equal_the_seeded_data(demo, plan, register):
    # given: what the data files say, through the same assignment, and the
    # register entries imported as projects
    expected_hubs = plan_counts(plan)
    expected_levels = level_counts(plan, DEMO_HUBS)
    level_of = {hub.slug: hub.level for hub in DEMO_HUBS}
    for slug, entries in register.items():
        own, level = expected_hubs[slug], expected_levels[level_of[slug]]
        own["project"] = own.get("project", 0) + len(entries)
        level["project"] = level.get("project", 0) + len(entries)
    summary = demo.summary()
    # then: each hub holds its share as own records
    for hub in summary["hubs"]:
        own = {kind: count for kind, count in hub["own"].items() if count}
        assert own == expected_hubs[hub["slug"]], hub["slug"]
    # and the EU hub holds every level's records
    for level, counts in summary["levels"].items():
        assert {k: c for k, c in counts.items() if c} == expected_levels[level]
    # and the live EU hub says so too
    total = demo.graphql("eu", "query { records(first: 1) { totalCount } }")
    assert total["records"]["totalCount"] == seeded_count(plan, register)


def test_the_eu_hub_holds_every_record_of_every_hub(demo, plan):
    for hub in DEMO_HUBS:
        at_origin = demo.held(hub.slug, hub.slug)
        assert {record_id for record_id, _, _ in at_origin} >= {
            item.record_id for item in plan[hub.slug]
        }
        assert demo.held("eu", hub.slug) == at_origin, hub.slug
    # the regional hub holds its local hubs' records too, and the peers each other's
    assert demo.held("nl-nb", "den-bosch") == demo.held("den-bosch", "den-bosch")
    assert demo.held("eindhoven", "den-bosch") == demo.held("den-bosch", "den-bosch")
    assert demo.held("den-bosch", "eindhoven") == demo.held("eindhoven", "eindhoven")


def test_a_local_case_reaches_the_eu_hub_with_its_origin_path(demo, plan):
    (item,) = [i for i in plan["eindhoven"] if i.source == "jrc-ips:10348"]
    data = demo.graphql(
        "eu",
        "query One($id: ID!) { record(id: $id) { origin originPath originLevel"
        " ... on ProjectRecord { body { name organisation } } } }",
        {"id": item.record_id},
    )
    record = data["record"]
    assert record["origin"] == "eindhoven"
    assert record["originPath"] == ["eu", "nl", "nl-nb", "eindhoven"]
    assert record["originLevel"] == "local"
    assert record["body"]["organisation"] == "Municipality of Eindhoven"


def test_the_eu_search_scoped_to_noord_brabant_finds_its_local_hubs(demo, plan):
    # given: what Noord-Brabant and its two municipalities published
    subtree = ("nl-nb", "den-bosch", "eindhoven")
    expected = sum(len(plan[slug]) for slug in subtree)
    projects = sum(1 for slug in subtree for i in plan[slug] if i.kind == "project")

    # when: the EU hub's search is scoped to Noord-Brabant (indexing is async)
    answer: dict = {}

    def indexed() -> bool:
        answer.update(eu_search(demo, scope="nl-nb"))
        return answer["total"] == expected

    # then: exactly the subtree's records, cases and organisations alike
    assert wait_until(indexed, timeout=90, interval=1), (answer.get("total"), expected)
    kinds = {bucket["value"]: bucket["count"] for bucket in answer["facets"]["kinds"]}
    assert kinds["project"] == projects
    assert kinds["organisation"] > 0
    assert {hit["origin"] for hit in answer["hits"]} <= set(subtree)
    amsterdam = eu_search(demo, scope="nl-nb", text="Amsterdam", kinds="project")
    assert all(hit["origin"] != "amsterdam" for hit in amsterdam["hits"])


def test_a_project_published_at_den_bosch_reaches_the_eu_hub_within_seconds(
    demo, tmp_path
):
    # given
    body_file = tmp_path / "project.json"
    body_file.write_text(json.dumps(body_for("project", name="Parkeerscan Den Bosch")))
    # when
    published = demo.command_json(
        "den-bosch",
        "catalogue_publish",
        "--kind",
        "project",
        "--body-file",
        str(body_file),
    )
    started = time.monotonic()
    query = "query One($id: ID!) { record(id: $id) { origin version } }"

    def at_eu() -> bool:
        record = demo.graphql("eu", query, {"id": published["id"]})["record"]
        return record is not None and record["version"] == published["version"]

    def in_eu_search() -> bool:
        hits = eu_search(demo, text="Parkeerscan Den Bosch", kinds="project")["hits"]
        return published["id"] in {hit["id"] for hit in hits}

    # then: in the EU catalogue and in the EU-level search within seconds
    assert wait_until(at_eu, timeout=PROPAGATION_SECONDS, interval=0.5)
    assert wait_until(in_eu_search, timeout=PROPAGATION_SECONDS, interval=0.5)
    assert time.monotonic() - started < PROPAGATION_SECONDS


TOUR_PROJECT = "Slimme afvalroutes 's-Hertogenbosch"


@pytest.mark.browser
def test_tour_publish_at_a_municipality_find_it_above_and_find_partners(
    demo, browser_page
):
    """The README tour, in a real browser: each step saves a screenshot
    (tour-*.png) into the screenshot folder (docs/screenshots for the README)."""
    page = browser_page
    den_bosch, nl, eu, eindhoven = (
        demo.url(slug) for slug in ("den-bosch", "nl", "eu", "eindhoven")
    )
    # given: the coordinator of 's-Hertogenbosch logs in to the hub's admin
    admin_login(page, den_bosch, *demo.credentials("den-bosch"))

    # when: they write a project under the hub's projects and publish it
    projects = demo.page_id("den-bosch", "projectindexpage")
    page.goto(f"{den_bosch}/admin/pages/add/cms/projectpage/{projects}/")
    tour_project_fill(
        page,
        title=TOUR_PROJECT,
        screenshot=SCREENSHOTS / "tour-1-coordinator-writes.png",
    )
    publish_from_the_editor(page)
    page.wait_for_selector("text=published", timeout=30_000)
    page.screenshot(path=str(SCREENSHOTS / "tour-2-published.png"))

    # then: the project is found in the national hub's search within seconds ...
    def found_at(url: str) -> bool:
        hits = search_at(url, text=TOUR_PROJECT, kinds="project")["hits"]
        return any(hit["title"] == TOUR_PROJECT for hit in hits)

    assert wait_until(lambda: found_at(nl), timeout=PROPAGATION_SECONDS, interval=1)
    page.goto(f"{nl}/search/?text=afvalroutes")
    page.wait_for_selector("#map[data-ready='1']")
    card = page.locator("#result-list .result", has_text=TOUR_PROJECT)
    assert card.count() == 1
    assert card.locator(".badge-origin").inner_text() == "den-bosch"
    page.screenshot(path=str(SCREENSHOTS / "tour-3-national-search.png"))

    # ... and in the EU hub's search, narrowed to Noord-Brabant
    assert wait_until(lambda: found_at(eu), timeout=PROPAGATION_SECONDS, interval=1)
    page.goto(f"{eu}/search/?text=afvalroutes&nuts=NL41")
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("#result-list .result", has_text=TOUR_PROJECT).count() == 1
    crumbs = page.locator(".breadcrumb li").all_inner_texts()
    assert (crumbs[0], crumbs[-1]) == ("EU", "Noord-Brabant")
    page.screenshot(path=str(SCREENSHOTS / "tour-4-eu-search.png"), full_page=True)

    # and the project's page at the municipality tells residents about it
    page.click(f"#result-list .result h3 a >> text={TOUR_PROJECT}")
    page.wait_for_url(f"{den_bosch}/**")
    assert page.locator("h1").inner_text() == TOUR_PROJECT
    page.screenshot(path=str(SCREENSHOTS / "tour-5-project-page.png"))

    # when: an SME in Eindhoven looks for partners in healthcare
    page.goto(f"{eindhoven}/search/partners/")
    assert page.input_value("#partners-place") == "NL414"
    page.fill("#partners-need", "healthcare")
    page.click("button:has-text('Find partners')")
    page.wait_for_selector("#partner-list")
    # then: the municipality's organisations come first, then the region's
    found_at_levels = page.locator("#partner-list .partner").evaluate_all(
        "cards => cards.map(card => card.dataset.foundAt)"
    )
    assert found_at_levels, "no partner found for healthcare near Eindhoven"
    assert found_at_levels[0] == "local"
    order = ["local", "regional", "national", "eu"]
    assert found_at_levels == sorted(found_at_levels, key=order.index)
    page.screenshot(path=str(SCREENSHOTS / "tour-6-partners.png"), full_page=True)


def test_the_registers_objection_routes_reach_the_eu_dashboard_filters_and_export(
    demo, register
):
    # given: the real register entries that name a way to object, imported at
    # the NL hubs as projects
    expected = sorted(
        " ".join(entry["name"].split())
        for entries in register.values()
        for entry in entries
        if (entry.get("objection_procedure") or "").strip()
    )
    assert len(expected) == 29
    narrowed = {"scope": "", "kinds": "project", "objection_route": "true"}
    # when: the EU hub's search, dashboard and export are narrowed to them
    eu = demo.url("eu")
    found = search_at(eu, **narrowed)
    insight = requests.get(f"{eu}/api/v1/insight", params=narrowed, timeout=30)
    export = requests.get(f"{eu}/api/v1/search/export.csv", params=narrowed, timeout=60)
    # then: search finds every one of them at the EU hub
    assert found["total"] >= len(expected)
    titles = {" ".join(hit["title"].split()) for hit in found["hits"]}
    assert set(expected) <= titles
    # and the dashboard counts what search finds, on the same filters
    assert insight.status_code == 200, insight.text
    panels = {panel["name"]: panel for panel in insight.json()["panels"]}
    assert insight.json()["total"] == found["total"]
    kinds = {row["value"]: row["count"] for row in panels["kinds"]["rows"]}
    assert kinds == {"project": found["total"]}
    # and the CSV export carries the fact on every row
    assert export.status_code == 200, export.text
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert len(rows) == found["total"]
    assert {row["objection_route"] for row in rows} == {"true"}
    assert set(expected) <= {" ".join(row["title"].split()) for row in rows}


def test_the_eu_dashboard_narrows_to_the_netherlands_and_high_impact(
    demo, register, browser_page
):
    """At the EU hub's dashboard in a real browser: the whole network, then the
    Netherlands (the register's projects among them), then a high impact on
    people; each step saves a screenshot (insight-demo-*.png) for the README."""
    eu = demo.url("eu")
    imported = {
        " ".join(entry["name"].split())
        for entries in register.values()
        for entry in entries
    }
    # given: the register's projects lie in the Netherlands at the EU hub
    dutch_projects = requests.get(
        f"{eu}/api/v1/search/export.csv",
        params={"scope": "", "kinds": "project", "countries": "NL"},
        timeout=60,
    )
    assert dutch_projects.status_code == 200, dutch_projects.text
    rows = csv.DictReader(io.StringIO(dutch_projects.content.decode("utf-8-sig")))
    assert imported <= {" ".join(row["title"].split()) for row in rows}
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{eu}/insight/")
    assert shown_total(page) == insight_total(eu)
    page.screenshot(path=str(SCREENSHOTS / "insight-demo-1-eu.png"), full_page=True)

    # when: narrowing to the Netherlands
    page.check("input[name='countries'][value='NL']")
    page.click("#insight-form button[type='submit']")
    page.wait_for_url("**countries=NL**")
    # then: the total is the API's for the Netherlands, the register included
    dutch = insight_total(eu, countries="NL")
    assert shown_total(page) == dutch
    assert dutch >= len(imported)
    page.screenshot(path=str(SCREENSHOTS / "insight-demo-2-nl.png"), full_page=True)

    # and narrowing to a high impact on people as well
    page.check("input[name='impact_levels'][value='high']")
    page.click("#insight-form button[type='submit']")
    page.wait_for_url("**impact_levels=high**")
    high = insight_total(eu, countries="NL", impact_levels="high")
    assert 0 < high < dutch
    assert shown_total(page) == high
    assert page.locator("input[name='countries'][value='NL']").is_checked()
    page.screenshot(path=str(SCREENSHOTS / "insight-demo-3-high.png"), full_page=True)


def test_the_eu_hubs_dcat_catalogue_keeps_each_origin_in_a_sub_catalogue(demo, plan):
    # (imported here: pytest's collection trips over rdflib's namespace objects)
    from rdflib import DCAT, DCTERMS, Graph, URIRef

    # given: the datasets the demo seeded, per hub
    datasets = {
        slug: {item.record_id for item in items if item.kind == "dataset"}
        for slug, items in plan.items()
    }
    # when: a harvester reads the EU hub's DCAT-AP catalogue
    response = requests.get(
        f"{demo.url('eu')}/catalog.ttl", params={"page_size": 1000}, timeout=60
    )
    assert response.status_code == 200, response.text[:500]
    graph = Graph().parse(data=response.text, format="turtle")
    catalogue = URIRef(f"{demo.url('eu')}/catalog")

    # then: its own datasets at the top, each other hub's in its sub-catalogue
    def identifiers(node) -> set[str]:
        return {
            str(identifier)
            for dataset in graph.objects(node, DCAT.dataset)
            for identifier in graph.objects(dataset, DCTERMS.identifier)
        }

    assert identifiers(catalogue) == datasets["eu"]
    parts = set(graph.objects(catalogue, DCTERMS.hasPart))
    assert len(parts) == len(DEMO_HUBS) - 1
    held = {}
    for part in parts:
        found = identifiers(part)
        (origin,) = {record_id.split(":")[0] for record_id in found}
        held[origin] = found
    assert held == {slug: ids for slug, ids in datasets.items() if slug != "eu"}


def test_a_killed_worker_is_restarted_and_the_status_shows_it(demo):
    # given: the running demo's supervised processes
    def status() -> dict:
        try:
            return json.loads((demo.var_dir / "status.json").read_text())
        except (OSError, ValueError):
            return {}

    assert wait_until(lambda: status().get("processes"), timeout=30)
    names = {item["name"] for item in status()["processes"]}
    assert {"be-web", "be-worker", "search-node"} <= names
    killed = next(i for i in status()["processes"] if i["name"] == "be-worker")

    # when: the worker of the Belgian hub is killed, with everything it forked
    os.killpg(killed["pid"], signal.SIGKILL)

    # then: the demo goes on; the worker is back under a new pid and counted
    def restarted() -> dict | None:
        item = next(i for i in status()["processes"] if i["name"] == "be-worker")
        return item if item["restarts"] == 1 and item["alive"] else None

    assert wait_until(restarted, timeout=60, interval=1), status()
    assert restarted()["pid"] != killed["pid"]
    assert demo.process.poll() is None
    assert any(
        f"be-worker (pid {killed['pid']}) died: signal SIGKILL" in line
        for line in demo.lines
    ), demo.output[-3000:]
    assert wait_until(
        lambda: (hub_health(demo.url("be")) or {}).get("status") == "ok",
        timeout=60,
        interval=1,
    )
    # and `hubnet demo --status` prints it
    completed = subprocess.run(
        [*demo.argv, "--status"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    line = next(
        row for row in completed.stdout.splitlines() if row.startswith("be-worker ")
    )
    assert line.split()[1:5] == [str(restarted()["pid"]), "yes", "1", "signal"]


def test_ctrl_c_stops_every_process(demo):
    returncode = demo.interrupt()
    assert returncode == 0, demo.output[-3000:]
    assert "Stopped" in demo.lines[-1]
    assert demo.leftovers() == []


def test_a_rerun_reuses_what_is_there_and_checks_it(demo, plan, register):
    # when: the same var directory, with --check
    completed = subprocess.run(
        [*demo.argv, "--check"],
        capture_output=True,
        text=True,
        timeout=READY_TIMEOUT,
        check=False,
    )
    # then: nothing seeded again, everything still there and synced
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-5000:]
    seeded = seeded_count(plan, register)
    assert f"0 published, {seeded:,} already there" in output
    assert "check passed" in output
    assert "Collecting static files" not in output
    assert demo.leftovers() == []
