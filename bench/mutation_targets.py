"""The modules bench/mutation.py breaks, and the tests that must notice."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """A module, the tests that cover it (globs, fastest first), sample sizes."""

    tests: tuple[str, ...]
    count: int | None
    quick_count: int | None = None


# A new core module is one line here. Test globs take the module's test files and
# its ``test_<module>_mutants.py``; slow files go last (``-x`` stops at the first
# failure, so a mutant the quick tests kill never reaches them).
TARGETS: dict[str, Target] = {
    "federation/services/store.py": Target(
        tests=(
            "tests/federation/test_store*.py",
            "tests/federation/services/test_store*.py",
            "tests/federation/test_pokes*.py",
        ),
        count=35,
        quick_count=8,
    ),
    "federation/services/store_rules.py": Target(
        tests=(
            "tests/federation/test_store*.py",
            "tests/federation/test_records_versions.py",
            "tests/federation/test_sync_signed.py",
        ),
        count=20,
    ),
    "federation/records.py": Target(
        tests=("tests/federation/test_records*.py",), count=50, quick_count=20
    ),
    "federation/record_fields.py": Target(
        tests=("tests/federation/test_records*.py",), count=15
    ),
    "federation/services/sync.py": Target(
        tests=(
            "tests/federation/test_sync_mutants*.py",
            "tests/federation/services/test_sync*.py",
            "tests/federation/test_sync_client*.py",
            "tests/federation/test_pruning*.py",
        ),
        count=20,
    ),
    "federation/services/authority.py": Target(
        tests=(
            "tests/federation/services/test_authority.py",
            "tests/federation/test_store.py",
            "tests/federation/services/test_sync_branches.py",
            "tests/federation/test_sync_client.py",
        ),
        count=20,
    ),
    "federation/services/pokes.py": Target(
        tests=(
            "tests/federation/services/test_pokes.py",
            "tests/federation/test_pokes.py",
            "tests/federation/services/test_store_transactions.py",
        ),
        count=20,
    ),
    "federation/services/peer_http.py": Target(
        tests=(
            "tests/federation/test_peer_http.py",
            "tests/federation/services/test_pokes.py",
            "tests/federation/test_sync_client.py",
        ),
        count=20,
    ),
    "federation/services/rows.py": Target(
        tests=(
            "tests/federation/test_rows.py",
            "tests/federation/test_store_bulk.py",
            "tests/standards/harvest/test_bulk.py",
        ),
        count=20,
    ),
    "federation/services/verify.py": Target(
        tests=(
            "tests/federation/services/test_verify.py",
            "tests/federation/services/test_keys.py",
            "tests/federation/test_sync_signed.py",
        ),
        count=20,
    ),
    "search/embeddings/e5_numpy.py": Target(
        tests=("tests/search/embeddings/test_encoders.py",),
        count=20,
    ),
    "search/indexing.py": Target(
        tests=("tests/search/test_indexing*.py", "tests/search/test_dead_letters*.py"),
        count=25,
    ),
}
QUICK_MODULES = ("federation/services/store.py", "federation/records.py")
