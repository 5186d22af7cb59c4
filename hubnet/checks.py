"""System checks for configuration mistakes that settings alone cannot catch."""

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register


@register(Tags.compatibility)
def check_hub_configuration(app_configs, **kwargs) -> list:  # noqa: ARG001  Django system check signature
    problems: list[CheckMessage] = []
    if settings.HUB_LEVEL != "eu" and not settings.HUB_COUNTRY:
        problems.append(
            Error(
                "HUB_COUNTRY is required for local, regional and national hubs.",
                hint="Set HUB_COUNTRY to an ISO 3166-1 alpha-2 code such as NL.",
                id="hubnet.E001",
            )
        )
    if settings.HUB_LEVEL in {"local", "regional"} and not settings.HUB_NUTS:
        problems.append(
            Warning(
                "HUB_NUTS is not set: searches scoped to this hub's region cannot "
                "use NUTS codes.",
                id="hubnet.W001",
            )
        )
    if settings.HUB_LEVEL == "eu" and len(settings.HUB_PATH) != 1:
        problems.append(
            Error(
                "An EU hub has no ancestors: HUB_PATH must be just its slug.",
                id="hubnet.E002",
            )
        )
    if settings.HUB_PARENT_URL and len(settings.HUB_PATH) < 2:
        problems.append(
            Error(
                "HUB_PARENT_URL is set but HUB_PATH names no ancestor.",
                hint="Set HUB_PATH to the ancestors top first, e.g. eu,nl,nl-nb.",
                id="hubnet.E003",
            )
        )
    return problems


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs) -> list:  # noqa: ARG001  Django system check signature
    """With a cache in local memory each web worker keeps its own rate limit
    counts, so a client gets the rate once per worker."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith("LocMemCache"):
        return [
            Warning(
                "The cache is in local memory: every web worker counts the "
                "rate limits (API, GraphQL, pages, exports, sign-ins) on its own.",
                hint="Set CACHE_URL to a Redis URL, e.g. redis://redis:6379/3.",
                id="hubnet.W002",
            )
        ]
    return []
