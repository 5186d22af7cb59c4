"""Settings of federation (syncing and poking neighbours, quarantine and
history, neighbour endpoints) and of harvesting outside sources."""

from hubnet.env import ConfigError, env

# Federation: how this hub pulls its neighbours' change feeds.
SYNC_INTERVAL = env.int("SYNC_INTERVAL", 60, minimum=1, maximum=86400)
SYNC_PAGE_SIZE = env.int("SYNC_PAGE_SIZE", 500, minimum=1, maximum=500)
SYNC_CONNECT_TIMEOUT = env.int("SYNC_CONNECT_TIMEOUT", 5, minimum=1, maximum=60)
SYNC_READ_TIMEOUT = env.int("SYNC_READ_TIMEOUT", 30, minimum=1, maximum=600)
SYNC_MAX_RESPONSE_BYTES = env.int(
    "SYNC_MAX_RESPONSE_BYTES", 32 * 1024 * 1024, minimum=1024, maximum=1024**3
)
# A sync holds a lease on its neighbour, renewed every page; a killed worker's
# lease simply expires.
SYNC_LOCK_TTL = env.int("SYNC_LOCK_TTL", 60, minimum=5, maximum=3600)
SYNC_MAX_PAGES = env.int("SYNC_MAX_PAGES", 1000, minimum=1)
# Roles this hub pulls from: children and peers (records flow up and sideways).
SYNC_PULL_ROLES = env.list("SYNC_PULL_ROLES", ["child", "peer"])
if unknown_roles := set(SYNC_PULL_ROLES) - {"parent", "child", "peer"}:
    raise ConfigError(f"SYNC_PULL_ROLES has unknown roles: {sorted(unknown_roles)}")
# Roles this hub pokes after a change, so they pull at once.
SYNC_POKE_ROLES = env.list("SYNC_POKE_ROLES", ["parent", "peer"])
if unknown_roles := set(SYNC_POKE_ROLES) - {"parent", "child", "peer"}:
    raise ConfigError(f"SYNC_POKE_ROLES has unknown roles: {sorted(unknown_roles)}")

# Long runs: deadlines, time limits, one queue per kind of work, merged pokes,
# bounded history. A sync ends by SYNC_DEADLINE and each request to a neighbour
# by SYNC_REQUEST_DEADLINE, however slowly the neighbour answers.
SYNC_DEADLINE = env.int("SYNC_DEADLINE", 600, minimum=5, maximum=86400)
SYNC_REQUEST_DEADLINE = env.int("SYNC_REQUEST_DEADLINE", 60, minimum=1, maximum=3600)
# A pending poke of a neighbour blocks further pokes until the poke task runs, or
# until it is this old (a lost message must not silence the neighbour for good).
SYNC_POKE_PENDING_TTL = env.int("SYNC_POKE_PENDING_TTL", 60, minimum=5, maximum=3600)
# A neighbour's record more than this many versions above the one held here
# (above it, for a new record) is quarantined: it would pin the record forever.
SYNC_MAX_VERSION_JUMP = env.int(
    "SYNC_MAX_VERSION_JUMP", 1_000_000, minimum=1, maximum=2**62
)
# Quarantine and sync-run history are pruned by beat every SYNC_PRUNE_INTERVAL s.
SYNC_QUARANTINE_MAX_PER_NEIGHBOUR = env.int(
    "SYNC_QUARANTINE_MAX_PER_NEIGHBOUR", 1000, minimum=1, maximum=1_000_000
)
SYNC_QUARANTINE_RETENTION_DAYS = env.int(
    "SYNC_QUARANTINE_RETENTION_DAYS", 30, minimum=1, maximum=3650
)
SYNC_RUN_RETENTION_DAYS = env.int(
    "SYNC_RUN_RETENTION_DAYS", 14, minimum=1, maximum=3650
)
SYNC_RUN_KEEP_PER_NEIGHBOUR = env.int(
    "SYNC_RUN_KEEP_PER_NEIGHBOUR", 50, minimum=1, maximum=100_000
)
SYNC_PRUNE_INTERVAL = env.int("SYNC_PRUNE_INTERVAL", 3600, minimum=60, maximum=86400)
# Neighbour endpoints (hubs.endpoints): https only, and public addresses only
# unless private ones are allowed (a demo, a private deployment network).
NEIGHBOUR_REQUIRE_HTTPS = env.bool("NEIGHBOUR_REQUIRE_HTTPS", False)
NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES = env.bool("NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES", False)
# Harvesting (standards.harvest): outbound fetches refuse private and loopback
# addresses unless the host is allow-listed; a full run that finds fewer than
# HARVEST_SHRINK_RATIO of the items it had is held until confirmed.
HARVEST_ALLOW_HOSTS = env.list("HARVEST_ALLOW_HOSTS", [])
HARVEST_REQUEST_TIMEOUT = env.int("HARVEST_REQUEST_TIMEOUT", 30, minimum=1, maximum=600)
HARVEST_MAX_PAGE_BYTES = env.int(
    "HARVEST_MAX_PAGE_BYTES", 16 * 1024 * 1024, minimum=1024, maximum=1024**3
)
HARVEST_RUN_DEADLINE = env.int("HARVEST_RUN_DEADLINE", 3600, minimum=5, maximum=86400)
HARVEST_LEASE_SECONDS = env.int("HARVEST_LEASE_SECONDS", 120, minimum=5, maximum=3600)
HARVEST_SHRINK_RATIO = min(max(env.float("HARVEST_SHRINK_RATIO", 0.5) or 0.0, 0.0), 1.0)
HARVEST_RUNS_KEPT = env.int("HARVEST_RUNS_KEPT", 50, minimum=1, maximum=100_000)
# A run's pages are fetched and parsed by a child process, a page ahead of the
# writing (standards.harvest.read_ahead); off, the run reads them itself.
HARVEST_READ_AHEAD = env.bool("HARVEST_READ_AHEAD", True)
