"""A running ``hubnet demo`` for the end-to-end tests: start it on free ports,
read its output, drive its hubs over HTTP and its databases read-only, and
stop it as a terminal's Ctrl-C does."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from hubnet.demo.hubs import DEMO_HUBS, demo_network
from hubnet.demo.run import demo_hub_environment
from hubnet.localnet import Network
from hubnet.processes import run_checked, wait_until
from tests.e2e.conftest import free_ports
from tests.ports import free_port_block


def processes_mentioning(*needles: str) -> list[str]:
    listing = subprocess.run(
        ["ps", "-eo", "pid,args"], capture_output=True, text=True, check=True
    ).stdout
    return [
        line
        for line in listing.splitlines()
        if any(needle in line for needle in needles)
    ]


@dataclass
class Demo:
    """A running ``hubnet demo`` and the handles the tests drive it with."""

    var_dir: Path
    base_port: int
    search_port: int
    network: Network
    process: subprocess.Popen | None = None
    lines: list[str] = field(default_factory=list)
    ready_seconds: float = 0.0

    @property
    def argv(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "hubnet",
            "demo",
            "--var-dir",
            str(self.var_dir),
            "--base-port",
            str(self.base_port),
            "--search-port",
            str(self.search_port),
        ]

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process is not None
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_ready(self, timeout: float) -> bool:
        assert self.process is not None
        return wait_until(
            lambda: (
                any(line.startswith("ready in") for line in self.lines)
                or self.process.poll() is not None
            ),
            timeout=timeout,
            interval=1,
        ) and any(line.startswith("ready in") for line in self.lines)

    def interrupt(self, timeout: float = 120) -> int:
        """Ctrl-C, as a terminal sends it to the demo."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            raise

    def url(self, slug: str) -> str:
        return self.network.url(slug)

    def environment(self, slug: str) -> dict[str, str]:
        return demo_hub_environment(
            self.network,
            slug,
            var_dir=self.var_dir,
            search_url=f"http://127.0.0.1:{self.search_port}",
        )

    def command_json(self, slug: str, *args: str) -> Any:
        output = run_checked(
            [sys.executable, "-m", "hubnet", *args], env=self.environment(slug)
        )
        return json.loads(output.strip().splitlines()[-1])

    def graphql(self, slug: str, query: str, variables: dict | None = None) -> dict:
        response = requests.post(
            f"{self.url(slug)}/graphql",
            json={"query": query, "variables": variables or {}},
            timeout=30,
        )
        answer = response.json()
        assert "errors" not in answer, answer
        return answer["data"]

    def summary(self) -> dict[str, Any]:
        return json.loads((self.var_dir / "summary.json").read_text())

    def held(self, slug: str, origin: str) -> set[tuple[str, int, int]]:
        """(id, version, deleted) of the records of ``origin`` that ``slug`` holds,
        read from the hub's SQLite file."""
        database = self.var_dir / "hubs" / slug / "db.sqlite3"
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            return set(
                db.execute(
                    "SELECT record_id, version, deleted FROM federation_storedrecord"
                    " WHERE origin = ?",
                    (origin,),
                )
            )

    def credentials(self, slug: str) -> tuple[str, str]:
        """The coordinator account the demo made for ``slug``."""
        account = json.loads((self.var_dir / "credentials.json").read_text())[slug]
        return account["username"], account["password"]

    def page_id(self, slug: str, model: str) -> int:
        """The id of ``slug``'s (only) page of the Wagtail page ``model``."""
        database = self.var_dir / "hubs" / slug / "db.sqlite3"
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            (page_id,) = db.execute(
                "SELECT page.id FROM wagtailcore_page page JOIN django_content_type"
                " type ON page.content_type_id = type.id"
                " WHERE type.app_label = 'cms' AND type.model = ?",
                (model,),
            ).fetchone()
        return int(page_id)

    def leftovers(self) -> list[str]:
        return processes_mentioning(
            str(self.var_dir),
            *[f"127.0.0.1:{port}" for port in self.network.ports.values()],
            f"http.port={self.search_port}",
        )


def search_at(url: str, **params) -> dict:
    """The search API of the hub at ``url``."""
    response = requests.get(
        f"{url}/api/v1/search", params={"size": 100, **params}, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()


def eu_search(demo, **params) -> dict:
    return search_at(demo.url("eu"), **params)


def publish_from_the_editor(page) -> None:
    """Press Publish in the page editor's action menu (under "More actions" when
    the workflow's button comes first)."""
    publish = page.locator("button[name='action-publish']")
    if not publish.is_visible():
        page.get_by_role("button", name="More actions").click()
    publish.click()


def demo_running(tmp_path_factory, *, timeout: float) -> Iterator[Demo]:
    """The demo on free ports, ready within ``timeout`` seconds (the test fails
    with its output otherwise); stopped as Ctrl-C does when the caller is done."""
    base_port = free_port_block(len(DEMO_HUBS))
    search_port = free_ports(1)[0]
    running = Demo(
        var_dir=tmp_path_factory.mktemp("demo") / "var",
        base_port=base_port,
        search_port=search_port,
        network=demo_network(base_port=base_port),
    )
    started = time.monotonic()
    running.start()
    if not running.wait_ready(timeout):
        running.interrupt()
        pytest.fail(f"the demo did not get ready:\n{running.output[-5000:]}")
    running.ready_seconds = time.monotonic() - started
    yield running
    if running.process is not None and running.process.poll() is None:
        running.interrupt()


def seeded_count(plan, register) -> int:
    """Records the demo seeds: the planned ones and the register's entries."""
    return sum(len(items) for items in plan.values()) + sum(
        len(entries) for entries in register.values()
    )


def shown_total(page) -> int:
    """The dashboard's total as a number (the page groups digits: "4,032")."""
    return int(re.sub(r"\D", "", page.locator("#insight-total").inner_text()))


def insight_total(url: str, **params) -> int:
    """The total of ``GET /api/v1/insight`` for ``params``."""
    response = requests.get(f"{url}/api/v1/insight", params=params, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["total"]


def admin_login(page, url: str, username: str, password: str) -> None:
    """Sign in to a hub's Wagtail admin in the browser ``page``."""
    page.goto(f"{url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type='submit']")
    page.wait_for_url(f"{url}/admin/")


def tour_project_fill(page, *, title: str, screenshot: Path) -> None:
    """The README tour's project, written in the page editor up to publishing
    (a screenshot of the first tab goes to ``screenshot``)."""
    page.fill("#id_title", title)
    page.fill(
        "#id_short_description",
        "Waste collection routes planned from the fill level of underground "
        "containers, so lorries only empty what is full.",
    )
    page.fill("#id_organisation_name", "Gemeente 's-Hertogenbosch")
    page.select_option("#id_status", "pilot")
    page.screenshot(path=str(screenshot))
    page.get_by_role("tab", name="Transparency and risk").click()
    page.select_option("#id_ai_act_class", "minimal")
    page.fill(
        "#id_human_intervention",
        "A planner checks every route before the lorries leave.",
    )
    page.get_by_role("tab", name="Location").click()
    page.fill("#id_place", "'s-Hertogenbosch")
    page.fill("#id_nuts_codes", "NL413")
    page.fill("#id_latitude", "51.6978")
    page.fill("#id_longitude", "5.3037")
