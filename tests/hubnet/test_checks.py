"""System checks catch configuration that is valid alone but wrong together."""

from hubnet.checks import check_hub_configuration, check_shared_cache


def ids(settings) -> list[str]:
    return [problem.id for problem in check_hub_configuration(None)]


def test_eu_hub_defaults_are_clean(settings):
    settings.HUB_LEVEL = "eu"
    settings.HUB_PATH = ["eu"]
    settings.HUB_PARENT_URL = None
    assert ids(settings) == []


def test_national_hub_without_country_is_an_error(settings):
    settings.HUB_LEVEL = "national"
    settings.HUB_COUNTRY = ""
    settings.HUB_PATH = ["eu", "nl"]
    assert ids(settings) == ["hubnet.E001"]


def test_local_hub_without_nuts_warns(settings):
    settings.HUB_LEVEL = "local"
    settings.HUB_COUNTRY = "NL"
    settings.HUB_NUTS = ""
    settings.HUB_PATH = ["eu", "nl", "den-bosch"]
    assert ids(settings) == ["hubnet.W001"]


def test_parent_without_ancestors_is_an_error(settings):
    settings.HUB_LEVEL = "national"
    settings.HUB_COUNTRY = "NL"
    settings.HUB_PATH = ["nl"]
    settings.HUB_PARENT_URL = "http://eu.example.org"
    assert ids(settings) == ["hubnet.E003"]


def test_a_cache_in_local_memory_warns_on_deploy(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    assert [problem.id for problem in check_shared_cache(None)] == ["hubnet.W002"]


def test_a_shared_redis_cache_is_clean(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/3",
        }
    }
    assert check_shared_cache(None) == []
