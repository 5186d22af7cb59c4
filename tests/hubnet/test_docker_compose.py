"""docker-compose.yml matches the code (docker cannot run here, so the file is
read): every hub service's command exists and its options are valid, its
variables are read by the hub, its health check asks a URL the hub serves, and
each hub's workers consume every queue with exactly one beat."""

import re
import shlex
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands
from django.urls import Resolver404, resolve

from hubnet.cli import COMMANDS
from tests.hubnet.test_configuration_docs import code_reads, documented

ROOT = Path(__file__).resolve().parent.parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict = COMPOSE["services"]
# Services built from the hub's image; the others run images of their own
# (OpenSearch, PostgreSQL, Redis) with those images' variables.
HUB_SERVICES = {
    name: service
    for name, service in SERVICES.items()
    if str(service.get("image", "")).startswith("${HUBNET_IMAGE")
}


def _hub_of(name: str) -> str:
    return name.rsplit("-", 2 if name.endswith("-sync-worker") else 1)[0]


def _commands(service: dict) -> list[list[str]]:
    """The command lines a service runs (a ``sh -ec`` script: each of its lines)."""
    command = service["command"]
    if command[:2] == ["sh", "-ec"]:
        return [shlex.split(line) for line in command[2].splitlines() if line.strip()]
    return [command]


def test_there_are_hub_services():
    assert {_hub_of(name) for name in HUB_SERVICES} == {"eu", "nl", "den-bosch"}
    assert len(HUB_SERVICES) == 15


@pytest.mark.parametrize("name", sorted(HUB_SERVICES))
def test_every_command_exists(name):
    # given
    known = set(COMMANDS) | set(get_commands())
    for argv in _commands(HUB_SERVICES[name]):
        # then: hubnet's own commands or Django's, or Celery's beat on our app
        if argv[0] == "celery":
            assert argv[1:4] == ["-A", "hubnet", "beat"], argv
            import hubnet

            assert hubnet.celery_app.main == "hubnet"
            continue
        assert argv[0] == "hubnet", argv
        assert argv[1] in known, f"{name}: hubnet {argv[1]} does not exist"


@pytest.mark.parametrize("name", sorted(HUB_SERVICES))
def test_every_environment_variable_is_read_by_the_hub(name):
    # given
    reads = code_reads()
    read = reads.helper | reads.direct
    environment = HUB_SERVICES[name]["environment"]
    # then: the hub reads each (an unread one is a typo nobody notices)
    unread = sorted(set(environment) - read)
    assert unread == [], f"{name} sets variables the hub never reads: {unread}"
    assert set(environment) <= documented()


def test_each_hub_consumes_every_queue_and_runs_one_beat():
    # given
    consumed: dict[str, list[str]] = defaultdict(list)
    beats: dict[str, int] = defaultdict(int)
    for name, service in HUB_SERVICES.items():
        for argv in _commands(service):
            if argv[:2] == ["hubnet", "worker"]:
                kinds = argv[argv.index("--queues") + 1].split(",")
                assert set(kinds) <= set(settings.TASK_QUEUE_KINDS), argv
                consumed[_hub_of(name)] += kinds
                assert "--beat" not in argv, f"{name}: beat runs in its own service"
            if argv[:4] == ["celery", "-A", "hubnet", "beat"]:
                beats[_hub_of(name)] += 1
    # then: every kind of work has a worker, once, and one beat per hub
    for hub in ("eu", "nl", "den-bosch"):
        assert sorted(consumed[hub]) == sorted(settings.TASK_QUEUE_KINDS), hub
        assert beats[hub] == 1, hub


@pytest.mark.parametrize("name", sorted(n for n in HUB_SERVICES if n.endswith("-web")))
def test_web_health_check_asks_the_health_url_on_the_bound_port(name):
    # given
    service = HUB_SERVICES[name]
    argv = service["command"]
    bind_port = argv[argv.index("--bind") + 1].rsplit(":", 1)[1]
    check = " ".join(service["healthcheck"]["test"])
    url = urlsplit(re.search(r"'(http://[^']+)'", check).group(1))
    # then: the URL is the hub's health view, on the port gunicorn binds
    assert str(url.port) == bind_port
    try:
        match = resolve(url.path)
    except Resolver404:
        pytest.fail(f"{name}: its health check asks {url.path}, which is no URL")
    assert match.url_name == "healthz"
    published = service["ports"][0].rsplit(":", 1)[1]
    assert published == bind_port


@pytest.mark.parametrize(
    "name", sorted(n for n in HUB_SERVICES if n.endswith("-migrate"))
)
def test_bootstrap_reads_the_neighbours_file_the_service_mounts(name):
    # given
    service = HUB_SERVICES[name]
    bootstrap = next(argv for argv in _commands(service) if "hub_bootstrap" in argv)
    path = bootstrap[bootstrap.index("--neighbours") + 1]
    # then
    assert [config["target"] for config in service["configs"]] == [path]
    assert service["configs"][0]["source"] in COMPOSE["configs"]
