"""The shared search index: mapping, indexing, queries and the partner finder.

Modules (each docstring says more):

- ``engine``     the adapter over OpenSearch / Elasticsearch; nothing else imports
                 a client library;
- ``index``      the mapping (``elasticsearch.dsl``), analyzers, index names;
- ``documents``  record (wire form) → index document, a pure function;
- ``models``     ``IndexWatermark``: how far the change sequence is indexed;
                 ``DeadLetter``: changes the engine refused for good;
- ``indexing``   services: ``records_index``, ``index_ensure``, ``index_drain``,
                 ``index_drain_enqueue`` (the change sequence is the outbox);
- ``dead_letters``  which refusals are for good, ``dead_letter_record``;
- ``redrive``    ``dead_letters_redrive``: send dead letters again;
- ``rebuild``    ``index_rebuild``: new physical index, alias swap;
- ``selectors``  ``index_status``: backlog, indices, counts, health, dead
                 letters; ``dead_letters_list``, ``drain_state_get``;
- ``params``     the query API's types: ``SearchParams``, ``SearchResults``,
                 ``SearchHit``, ``FacetBucket``, ``Suggestion``;
- ``queries``    ``catalogue_search``, ``catalogue_suggest``;
- ``facets``     the facets' aggregations and buckets;
- ``hybrid``     lexical and k-NN fused: the window, its cursor, the fusion;
- ``similar``    ``records_similar``: nearest records by their stored vector;
- ``partners``   ``partners_find``: organisations for a need, local first;
- ``geo``        ``GeoPoint``, ``distance_km``;
- ``tasks``      ``index_drain_task`` (Celery; beat runs it);
- ``management/commands/search.py``  ``hubnet search
                 status|drain|reindex|redrive``;
- ``admin_views``, ``wagtail_hooks``  the admin's "Search dead letters" page.

Faces (REST, GraphQL, HTML pages) use ``params``, ``queries`` and ``partners``
only.
"""
