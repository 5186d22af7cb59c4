"""The demo network's shape, and the runner's parts that need no processes: the
template database copy, the neighbours hook, progress bars, credentials."""

import io
import json
import os
import socket
import sqlite3
import sys
from collections import Counter
from contextlib import closing

import pytest

from hubnet.demo.hubs import demo_network
from hubnet.demo.progress import ProgressBar
from hubnet.demo.run import _credentials
from hubnet.localnet import database_from_template, hub_prepare
from hubnet.processes import run_lines


def test_the_demo_network_has_every_level_and_one_lateral_peer():
    network = demo_network(base_port=9100)
    levels = Counter(hub.level for hub in network.hubs)
    assert levels == {"eu": 1, "national": 2, "regional": 2, "local": 3}
    assert network.path("den-bosch") == ["eu", "nl", "nl-nb", "den-bosch"]
    assert network.path("amsterdam") == ["eu", "nl", "nl-nh", "amsterdam"]
    roles = {n.slug: role for n, role in network.neighbours("den-bosch")}
    assert roles == {"nl-nb": "parent", "eindhoven": "peer"}
    nuts = {hub.slug: hub.nuts for hub in network.hubs}
    assert nuts["den-bosch"] == "NL413"
    assert nuts["eindhoven"] == "NL414"
    assert nuts["amsterdam"] == "NL329"
    assert sorted(network.ports.values()) == list(range(9100, 9108))


def _database(path, migrations):
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE django_migrations (app TEXT, name TEXT)")
        db.executemany("INSERT INTO django_migrations VALUES (?, ?)", migrations)
        db.commit()


def test_a_hub_without_a_database_gets_a_copy_of_the_template(tmp_path):
    # given
    template = tmp_path / "template.sqlite3"
    _database(template, [("hubs", "0001"), ("federation", "0001")])
    database = tmp_path / "hubs" / "eu" / "db.sqlite3"
    # when
    needs_migrate = database_from_template(template, database)
    # then
    assert needs_migrate is False
    with closing(sqlite3.connect(database)) as db:
        assert db.execute("SELECT count(*) FROM django_migrations").fetchone() == (2,)


def test_an_existing_database_is_migrated_only_when_it_lags(tmp_path):
    template = tmp_path / "template.sqlite3"
    _database(template, [("hubs", "0001"), ("federation", "0001")])
    current = tmp_path / "current.sqlite3"
    _database(current, [("hubs", "0001"), ("federation", "0001")])
    behind = tmp_path / "behind.sqlite3"
    _database(behind, [("hubs", "0001")])
    assert database_from_template(template, current) is False
    assert database_from_template(template, behind) is True


def test_neighbours_are_handed_to_the_setup_hook_only_when_they_changed(tmp_path):
    # given
    network = demo_network(base_port=9100)
    tokens = {
        f"{a.slug}>{b.slug}": f"token-{a.slug}-{b.slug}"
        for a in network.hubs
        for b, _ in network.neighbours(a.slug)
    }
    environ = {"HUBNET_VAR_DIR": str(tmp_path), "HUB_SLUG": "den-bosch"}
    calls = []

    def prepare(tokens):
        hub_prepare(
            network,
            "den-bosch",
            environ=environ,
            tokens=tokens,
            migrate=False,
            neighbours_reload=False,
            setup=calls.append,
        )

    # when: prepared twice with the same neighbours, then with a new token
    prepare(tokens)
    prepare(tokens)
    prepare({**tokens, "den-bosch>nl-nb": "a-new-token"})
    # then
    neighbours_file = tmp_path / "hubs" / "den-bosch" / "neighbours.json"
    assert calls == [neighbours_file, None, neighbours_file]
    loaded = json.loads(neighbours_file.read_text())
    assert {entry["slug"]: entry["role"] for entry in loaded} == {
        "nl-nb": "parent",
        "eindhoven": "peer",
    }
    assert neighbours_file.stat().st_mode & 0o777 == 0o600


def test_credentials_are_generated_once_and_kept_private(tmp_path):
    network = demo_network(base_port=9100)
    path = tmp_path / "credentials.json"
    accounts, created = _credentials(path, network)
    again, created_again = _credentials(path, network)
    assert created
    assert not created_again
    assert again == accounts
    assert set(accounts) == {hub.slug for hub in network.hubs}
    assert accounts["eu"]["superuser"] is True
    assert accounts["den-bosch"]["superuser"] is False
    assert len({account["password"] for account in accounts.values()}) == 8
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_progress_bar_in_a_log_prints_every_quarter_and_the_end():
    stream = io.StringIO()
    bar = ProgressBar("seeding", 100, stream=stream)
    for done in range(0, 101, 5):
        bar.update(done, note="nl")
    bar.finish(note="done")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 5
    assert lines[-1].startswith("seeding    [##############################]")
    assert "100/100" in lines[-1]
    assert lines[-1].endswith("done")


def test_env_prints_the_exports_of_one_demo_hub(tmp_path, capsys):
    from hubnet.demo import demo_main

    code = demo_main(["--env", "den-bosch", "--var-dir", str(tmp_path)])
    exports = dict(
        line.removeprefix("export ").split("=", 1)
        for line in capsys.readouterr().out.splitlines()
    )
    assert code == 0
    assert exports["HUB_SLUG"] == "den-bosch"
    assert exports["HUB_PATH"] == "eu,nl,nl-nb,den-bosch"
    assert exports["CELERY_QUEUE"] == "hub-den-bosch"
    assert exports["HUBNET_VAR_DIR"] == str(tmp_path)
    assert demo_main(["--env", "nowhere", "--var-dir", str(tmp_path)]) == 2


def test_one_demo_at_a_time_per_var_dir(tmp_path):
    from hubnet.demo.run import _lock

    first = _lock(tmp_path / "demo")
    assert first is not None
    assert _lock(tmp_path / "demo") is None
    assert _lock(tmp_path / "other") is not None
    first.close()
    assert _lock(tmp_path / "demo") is not None


def test_ports_in_use_stop_the_demo_before_it_starts_anything(tmp_path, capsys):
    from hubnet.demo import demo_main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = demo_main(["--base-port", str(port), "--var-dir", str(tmp_path / "v")])
    assert code == 1
    # The demo's other ports are free ephemeral ones only as a rule: another
    # process may hold one too, so ours must be listed, not alone.
    err = capsys.readouterr().err
    assert err.startswith("hubnet demo: port(s) ")
    listed = err.removeprefix("hubnet demo: port(s) ").split(" already in use")[0]
    assert str(port) in listed.split(", ")
    assert not (tmp_path / "v").exists()


def test_run_lines_hands_over_each_line_and_reports_failures():
    lines = []
    script = "print('one', flush=True); print('two')"
    run_lines([sys.executable, "-c", script], env=os.environ, on_line=lines.append)
    assert lines == ["one", "two"]
    with pytest.raises(RuntimeError, match=r"failed \(3\):\nlast words"):
        run_lines(
            [sys.executable, "-c", "print('last words'); raise SystemExit(3)"],
            env=os.environ,
            on_line=lines.append,
        )
    with pytest.raises(RuntimeError, match="timed out after 1s"):
        run_lines(
            [sys.executable, "-c", "import time; time.sleep(30)"],
            env=os.environ,
            on_line=lines.append,
            timeout=1,
        )
