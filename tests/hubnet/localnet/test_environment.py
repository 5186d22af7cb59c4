"""The environment of a hub's processes: one filter drops every hub's identity
and services from the caller's; one-machine networks get generous rates."""

from hubnet.localnet import (
    HUB_VARIABLES,
    ONE_MACHINE_RATE,
    ONE_MACHINE_THROTTLES,
    HubSpec,
    Network,
    environment_inherited,
    hub_environment,
)

HUBS = [
    HubSpec("nl", "Nederland", "national", country="NL", nuts="NL"),
    HubSpec(
        "nl-nb", "Noord-Brabant", "regional", country="NL", nuts="NL41", parent="nl"
    ),
]


def test_no_hub_identity_database_or_broker_is_inherited(monkeypatch):
    # given: a caller that acts as some hub, with its own services
    for name in HUB_VARIABLES:
        monkeypatch.setenv(name, "caller")
    monkeypatch.setenv("DATABASE_URL", "postgres://caller/db")
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://caller/0")
    monkeypatch.setenv("SEARCH_ENGINE", "opensearch")
    # when
    environ = environment_inherited()
    # then: none of it is passed on; the rest is
    leaked = set(environ) & {*HUB_VARIABLES, "DATABASE_URL", "CELERY_BROKER_URL"}
    assert leaked == set()
    assert environ["SEARCH_ENGINE"] == "opensearch"


def test_a_hub_gets_its_own_identity_and_services_not_the_callers(
    tmp_path, monkeypatch
):
    # given
    monkeypatch.setenv("HUB_NUTS", "FR10")
    monkeypatch.setenv("HUB_LATITUDE", "48.8")
    monkeypatch.setenv("DATABASE_URL", "postgres://caller/db")
    network = Network(hubs=HUBS, ports={"nl": 8901, "nl-nb": 8902})
    # when
    environ = hub_environment(
        network, "nl-nb", var_dir=tmp_path, search_url="http://127.0.0.1:9"
    )
    # then
    assert environ["HUB_SLUG"] == "nl-nb"
    assert environ["HUB_NUTS"] == "NL41"
    assert environ["HUB_PATH"] == "nl,nl-nb"
    assert environ["HUB_PARENT_URL"] == "http://127.0.0.1:8901"
    assert "HUB_LATITUDE" not in environ
    assert "DATABASE_URL" not in environ


def test_one_machine_hubs_get_generous_anonymous_rates_unless_set(
    tmp_path, monkeypatch
):
    # given: every client of a one-machine network comes from 127.0.0.1; the
    # caller sets one rate itself
    for name in ONE_MACHINE_THROTTLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PAGES_THROTTLE", "7/minute")
    network = Network(hubs=HUBS, ports={"nl": 8901, "nl-nb": 8902})
    # when
    environ = hub_environment(
        network,
        "nl",
        var_dir=tmp_path,
        search_url="http://127.0.0.1:9",
        extra={"EXPORT_THROTTLE": "3/hour"},
    )
    # then: the caller's and the extra rates win; the others are generous
    assert environ["PAGES_THROTTLE"] == "7/minute"
    assert environ["EXPORT_THROTTLE"] == "3/hour"
    assert environ["API_THROTTLE_ANON"] == ONE_MACHINE_RATE
    assert environ["GRAPHQL_THROTTLE"] == ONE_MACHINE_RATE
