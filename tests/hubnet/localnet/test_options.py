"""The options of a one-machine network: services named by URL scheme, read
from DATABASE_URL / CELERY_BROKER_URL only when they name PostgreSQL / Redis."""

import dataclasses

import pytest

from hubnet.localnet import NetworkOptions


def test_from_environ_uses_postgresql_and_redis_when_named(tmp_path, monkeypatch):
    # given
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@127.0.0.1:5432/x")
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:6379/3")
    # when
    options = NetworkOptions.from_environ(var_dir=tmp_path, search_url="http://s")
    # then
    assert options.database_server == "postgres://u:p@127.0.0.1:5432/x"
    assert options.broker_url == "redis://127.0.0.1:6379/3"


def test_from_environ_falls_back_to_the_embedded_defaults(tmp_path, monkeypatch):
    # given: a SQLite database and the embedded broker
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/x.sqlite3")
    monkeypatch.setenv("CELERY_BROKER_URL", "sqlite-broker:///tmp/b.sqlite3")
    # when
    options = NetworkOptions.from_environ(var_dir=tmp_path, search_url="http://s")
    # then
    assert (options.database_server, options.broker_url) == (None, None)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("database_server", "sqlite:///x.sqlite3", "database_server must be"),
        ("broker_url", "amqp://127.0.0.1", "broker_url must be"),
    ],
)
def test_a_service_of_another_kind_is_refused(tmp_path, field, value, message):
    with pytest.raises(ValueError, match=message):
        NetworkOptions(var_dir=tmp_path, search_url="http://s", **{field: value})


def test_options_are_frozen(tmp_path):
    options = NetworkOptions(var_dir=tmp_path, search_url="http://s")
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.template = True  # type: ignore[misc]
