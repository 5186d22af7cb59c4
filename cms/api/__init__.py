"""The hub's REST API (Django REST framework) under ``/api/v1/``: the records
this hub holds, own and federated, read-only, with an OpenAPI schema at
``/api/schema/`` and Swagger UI at ``/api/docs/``.

Records change only by publishing pages here or by federation; so every method
but GET, HEAD and OPTIONS is refused with 405 for everybody.
"""
