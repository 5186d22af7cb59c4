"""The env helper names the variable in every error."""

import pytest

from hubnet.env import ConfigError, Env


def test_choice_rejects_unknown_value_naming_the_variable():
    # given
    environ = Env({"HUB_LEVEL": "galaxy"})
    # when / then
    with pytest.raises(ConfigError, match=r"^HUB_LEVEL must be one of local, regional"):
        environ.choice("HUB_LEVEL", ("local", "regional"), "local")


@pytest.mark.parametrize(
    "value",
    ["not a url", "ftp://example.org", "http://", "http://host:99999", "http://[::1"],
)
def test_url_rejects_malformed_values(value):
    with pytest.raises(ConfigError, match=r"^SEARCH_URL "):
        Env({"SEARCH_URL": value}).url("SEARCH_URL")


def test_url_accepts_database_schemes_when_allowed():
    environ = Env({"DATABASE_URL": "postgres://u:p@db:5432/hub"})
    assert (
        environ.url("DATABASE_URL", schemes=("postgres",))
        == "postgres://u:p@db:5432/hub"
    )


def test_required_value_missing():
    with pytest.raises(ConfigError, match="^SECRET_KEY is required but not set$"):
        Env({}).str("SECRET_KEY")


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("off", False), ("", False)]
)
def test_bool_values(raw, expected):
    assert Env({"DEBUG": raw}).bool("DEBUG") is expected


def test_bool_rejects_garbage():
    with pytest.raises(ConfigError, match="^DEBUG must be a boolean"):
        Env({"DEBUG": "maybe"}).bool("DEBUG")


def test_int_bounds():
    with pytest.raises(ConfigError, match="^SEARCH_TIMEOUT must be <= 300, got 999$"):
        Env({"SEARCH_TIMEOUT": "999"}).int("SEARCH_TIMEOUT", 10, maximum=300)
    with pytest.raises(ConfigError, match="^SEARCH_TIMEOUT must be an integer"):
        Env({"SEARCH_TIMEOUT": "ten"}).int("SEARCH_TIMEOUT", 10)


def test_list_splits_and_strips():
    assert Env({"HUB_PATH": " eu, nl ,nl-nb,"}).list("HUB_PATH") == [
        "eu",
        "nl",
        "nl-nb",
    ]


def test_url_list_takes_one_url_or_several_and_joins_them_without_blanks():
    assert Env({}).url_list("SEARCH_URL", "http://a:9200") == "http://a:9200"
    assert (
        Env({"SEARCH_URL": " http://a:9200 , https://b:9201,"}).url_list("SEARCH_URL")
        == "http://a:9200,https://b:9201"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (",", "^SEARCH_URL must name at least one URL, got ','$"),
        ("http://a:9200,ftp://b", "^SEARCH_URL must be a URL with scheme http/https"),
        ("http://a:9200,http://", "^SEARCH_URL must name a host"),
    ],
)
def test_url_list_checks_every_url(value, message):
    with pytest.raises(ConfigError, match=message):
        Env({"SEARCH_URL": value}).url_list("SEARCH_URL")


@pytest.mark.parametrize(
    ("raw", "expected"), [(None, None), ("", None), ("AUTO", None), ("0", 0), ("3", 3)]
)
def test_int_or_auto_values(raw, expected):
    environ = Env({} if raw is None else {"SEARCH_RETRIES": raw})
    assert environ.int_or_auto("SEARCH_RETRIES", minimum=0, maximum=10) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("11", "^SEARCH_RETRIES must be auto or 0 to 10, got 11$"),
        ("-1", "^SEARCH_RETRIES must be auto or 0 to 10, got -1$"),
        ("some", "^SEARCH_RETRIES must be an integer or auto, got 'some'$"),
    ],
)
def test_int_or_auto_rejects_others(raw, message):
    with pytest.raises(ConfigError, match=message):
        Env({"SEARCH_RETRIES": raw}).int_or_auto(
            "SEARCH_RETRIES", minimum=0, maximum=10
        )
