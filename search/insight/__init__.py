"""The dashboard (``/insight/`` and ``GET /api/v1/insight``): figures of the
shared index for national and EU bodies, one engine aggregation per panel.

``panels`` declares what is counted, ``queries`` turns a panel and the search
filters into an aggregation body and its answer into rows, ``views`` and
``api`` are the page (HTML and CSV) and the REST view."""
