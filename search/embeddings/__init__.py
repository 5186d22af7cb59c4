"""Sentence vectors of records for search across languages.

- ``encoders``: the ``Encoder`` interface and the configured encoder;
- ``texts``: what of a record is embedded, and its content hash;
- ``vectors``: the vector field of the index and the k-NN query, per engine;
- ``seed_file``: a shipped file of precomputed vectors (the demo seed's);
- ``fill``: the step that puts vectors into the shared index, off the request path.
"""
