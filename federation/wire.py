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
# the same document the origin hashed and signed. The first page of a sync also
# asks for the key statements the peer holds (pinned before records apply).
CHANGES_QUERY = """
query Changes(
  $after: String, $first: Int!, $kinds: [RecordKind!], $withKeys: Boolean = false
) {
  changes(after: $after, first: $first, kinds: $kinds) {
    latestSequence
    pageInfo { hasNextPage endCursor }
    edges { cursor sequence wire }
  }
  keys @include(if: $withKeys)
}
""".strip()

# A neighbour asks this hub to pull from it now (after a publish).
POKE_MUTATION = """
mutation Poke { poke { accepted } }
""".strip()

HUB_QUERY = """
query Hub { hub { slug name level country nuts path } }
""".strip()

# Change sequences are 64-bit (a bigint column): the schema serves them as
# BigInt, beyond GraphQL's 32-bit Int.
SEQUENCE_MAX = 2**63 - 1


def sequence_read(value: object) -> int:
    """A change sequence value as a peer sends it: a JSON integer (what every
    hub version sends) or a string of digits (a string-encoded BigInt); raises
    TypeError or ValueError for anything else or a value outside 0..2^63-1."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"a sequence must be an integer, got {type(value).__name__}")
    if isinstance(value, str):
        if not (value.isascii() and value.isdigit() and len(value) <= 19):
            raise ValueError(f"a sequence must be an integer, got {value[:40]!r}")
        value = int(value)
    if not 0 <= value <= SEQUENCE_MAX:
        raise ValueError(f"a sequence must lie in 0..2^63-1, got {value}")
    return value
