"""The federation wire protocol: the GraphQL documents hubs send each other.

Defined once here; the GraphQL schema serves them and the sync client sends them,
and a test runs both against each other.
"""

PEER_TOKEN_HEADER = "Authorization"  # noqa: S105 - a header name
PEER_TOKEN_SCHEME = "Bearer"  # noqa: S105 - an auth scheme
MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 500

# One page of the change feed. ``wire`` is the record exactly as the record
# schema defines it (federation.records.Record.wire()), so the receiver validates
# the same document the origin hashed.
CHANGES_QUERY = """
query Changes($after: String, $first: Int!, $kinds: [RecordKind!]) {
  changes(after: $after, first: $first, kinds: $kinds) {
    latestSequence
    pageInfo { hasNextPage endCursor }
    edges { cursor sequence wire }
  }
}
""".strip()

# A neighbour asks this hub to pull from it now (after a publish).
POKE_MUTATION = """
mutation Poke { poke { accepted } }
""".strip()

HUB_QUERY = """
query Hub { hub { slug name level country nuts path } }
""".strip()
