"""Invalid configuration stops start-up with one clear line naming the variable."""

import os
import subprocess
import sys

import pytest

GOOD_SECRET = "k3J9-x8Qw2_Lr5Zt7Vb0Nc4Md6Fg1Hs8Pj2Ya5Ue9Io3Tr7Ew0Qa4Sd6"


def run_hubnet(*args: str, **variables: str) -> subprocess.CompletedProcess:
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HUB_", "SEARCH_", "DEBUG", "SECRET_KEY"))
    }
    environ.update(variables)
    return subprocess.run(
        [sys.executable, "-m", "hubnet", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"HUB_LEVEL": "galaxy"},
            "HUB_LEVEL must be one of local, regional, national, eu, got 'galaxy'",
        ),
        ({"SEARCH_URL": "http://:9200"}, "SEARCH_URL must name a host"),
        (
            {"SEARCH_PHRASE_WEIGHT": "nan"},
            "SEARCH_PHRASE_WEIGHT must be from 0 to 10, got nan",
        ),
        (
            {"SEARCH_PHRASE_WEIGHT": "-0.5"},
            "SEARCH_PHRASE_WEIGHT must be from 0 to 10, got -0.5",
        ),
        (
            {"HUB_LANGUAGES": "nl,es"},
            "HUB_LANGUAGES must list codes from en, nl, fr, de, got 'nl,es'",
        ),
        ({"HUB_PARENT_URL": "nl.example.org"}, "HUB_PARENT_URL must be a URL"),
        ({"HUB_COUNTRY": "Netherlands"}, "HUB_COUNTRY must be an ISO 3166-1"),
        ({"HEALTH_TOKEN": "too-short"}, "HEALTH_TOKEN must have at least 32"),
        (
            {"NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES": "maybe"},
            "NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES must be a boolean",
        ),
        (
            {"DJANGO_SETTINGS_MODULE": "hubnet.settings.production"},
            "SECRET_KEY must be set to a random value",
        ),
        (
            {
                "DJANGO_SETTINGS_MODULE": "hubnet.settings.production",
                "SECRET_KEY": GOOD_SECRET,
                "DEBUG": "1",
            },
            "DEBUG must be off in production",
        ),
    ],
)
def test_bad_configuration_stops_with_one_line(variables, message):
    # when
    completed = run_hubnet("check", **variables)
    # then
    assert completed.returncode == 2
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1, completed.stderr
    assert lines[0].startswith("hubnet: configuration error: ")
    assert message in lines[0]


def test_production_settings_pass_the_deploy_checks():
    completed = run_hubnet(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="hubnet.settings.production",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="hub.example.org",
        CACHE_URL="redis://127.0.0.1:6379/3",
        EMAIL_HOST="smtp.example.org",
    )
    assert completed.returncode == 0, completed.stderr


def test_production_without_a_shared_cache_is_warned():
    completed = run_hubnet(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="hubnet.settings.production",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="hub.example.org",
    )
    assert completed.returncode == 1
    assert "hubnet.W002" in completed.stderr


def test_hub_languages_set_the_site_languages_default_first():
    # when a Belgian hub names its languages (one twice)
    completed = run_hubnet(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; "
        "print(settings.LANGUAGE_CODE, [code for code, _ in settings.LANGUAGES])",
        HUB_LANGUAGES="fr, nl,de,fr",
    )
    # then French is the default and each language is offered once
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "fr ['fr', 'nl', 'de']"


@pytest.fixture
def silent_redis():
    """A TCP server that accepts connections and never answers (a half-open peer)."""
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()


def test_a_silent_redis_times_out_the_cache_and_the_broker(silent_redis):
    # given a cache and a broker that accept the connection but never reply
    # when the hub reads its cache and checks its broker connection
    completed = run_hubnet(
        "shell",
        "--no-imports",
        "-c",
        "from django.core.cache import cache\n"
        "from hubnet.celery import app\n"
        "for name, call in [('cache', lambda: cache.get('x')),"
        " ('broker', lambda: app.connection().default_channel.client.ping())]:\n"
        "    try:\n"
        "        call()\n"
        "    except Exception as error:\n"
        "        print(name, type(error).__name__, str(error)[:40])\n",
        CACHE_URL=silent_redis,
        CELERY_BROKER_URL=silent_redis,
    )
    # then both give up with a timeout instead of waiting forever
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split("\n")[:2] == [
        "cache TimeoutError Timeout reading from socket",
        "broker OperationalError Timeout reading from socket",
    ]
