"""Sentence vectors of records for search across languages.

- ``encoders``: the ``Encoder`` interface (``model_id``, ``dimensions``,
  ``encode_passages``, ``encode_query``) and the configured one
  (``SEARCH_ENCODER``); ``encoder_model_id()`` without loading the model;
- ``texts``: what of a record is embedded (title, summary, description), its hash;
- ``vectors``: the index fields (``embedding``, ``embeddingModel``,
  ``embeddingHash``), the model id in the mapping's ``_meta``, and
  ``knn_clause`` for either engine;
- ``query``: ``query_vector(text=, engine=)`` for searches, or None when vectors
  cannot serve (the search then answers lexically);
- ``fill``: the beat step that adds vectors after the lexical write;
- ``store``, ``seed_file``: this hub's cache and the shipped file of the demo's
  vectors; ``lease``, ``status``: bookkeeping and ``hubnet search status``.

A hybrid search asks ``query_vector``; with a vector it adds
``knn_clause(engine=engine.name, vector=qv.vector, k=K, filters=the same
filters as the lexical query, model_id=qv.model_id)`` and fuses the two lists.
"""
