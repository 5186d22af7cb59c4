"""The search API: ``/api/v1/search``, ``/api/v1/suggest`` and
``/api/v1/partners`` (read-only, throttled, in the OpenAPI schema)."""
