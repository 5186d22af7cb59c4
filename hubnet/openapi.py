"""OpenAPI generation hooks (drf-spectacular)."""


def public_api_only(endpoints: list, **kwargs) -> list:
    """Keep only the public REST API; Wagtail's internal admin API is not ours."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
