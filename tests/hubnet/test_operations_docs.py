"""docs/operations.md names only what exists: each ``hubnet`` command and its
options, each metric /metrics serves (and every one it serves), each variable
docs/configuration.md describes."""

import re
from pathlib import Path

from django.core.management import get_commands, load_command_class
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from hubnet.cli import COMMANDS
from tests.hubnet.metrics_scrape import TOKEN

ROOT = Path(__file__).resolve().parent.parent.parent
OPERATIONS = (ROOT / "docs" / "operations.md").read_text()
CONFIGURATION = (ROOT / "docs" / "configuration.md").read_text()
# Code blocks and code spans, where commands are written.
CODE = re.compile(r"```.*?```|`[^`\n]+`", re.DOTALL)
# `hubnet <command> [arguments]`.
COMMAND = re.compile(r"\bhubnet ([a-z_-]+)((?: +[^`\n#]*)?)")


def _commands() -> list[tuple[str, list[str]]]:
    return [
        (name, re.findall(r"--[a-z-]+", rest))
        for code in CODE.findall(OPERATIONS)
        for name, rest in COMMAND.findall(code)
    ]


def test_every_command_and_option_exists():
    # given
    management = get_commands()
    named = _commands()
    assert {"backup", "restore", "migrate", "catalogue_digest", "search"} <= {
        name for name, _ in named
    }
    for name, options in named:
        # then: a command of the CLI or a management command that takes the options
        if name in COMMANDS:
            continue
        assert name in management, f"hubnet {name} is no command"
        parser = load_command_class(management[name], name).create_parser(
            "hubnet", name
        )
        accepted = {
            flag for action in parser._actions for flag in action.option_strings
        }
        assert set(options) <= accepted, (name, set(options) - accepted)


def test_every_metric_served_is_described_and_no_other(db, settings):
    # given: a hub that has synced nothing, indexed nothing and never beat
    settings.METRICS_TOKEN = TOKEN
    response = Client().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    # when
    served = {
        family.name
        for family in text_string_to_metric_families(response.content.decode())
    }
    described = set(re.findall(r"`(hubnet_[a-z_]+)`", OPERATIONS))
    # then: all are described; two show only once there is a value to show
    assert served - described == set()
    assert described - served == {
        "hubnet_index_last_error_timestamp_seconds",
        "hubnet_worker_heartbeat_age_seconds",
    }


def test_every_variable_named_is_configured():
    named = set(re.findall(r"`([A-Z][A-Z0-9_]{3,})[`=]", OPERATIONS))
    assert {"METRICS_TOKEN", "LOG_FORMAT", "BACKUP_PG_BIN_DIR"} <= named
    for name in named:
        assert f"`{name}`" in CONFIGURATION, name
