"""One interface over OpenSearch (opensearch-py) and Elasticsearch (elasticsearch-py).

Request bodies are plain dicts (built with ``elasticsearch.dsl`` and ``to_dict()``),
so the same body goes to either engine. Errors are mapped onto this module's own
exceptions: callers never import a client library.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings

# The errors live beside the adapter; callers import them from here.
from search.engine_errors import (
    SearchBusy as SearchBusy,
)
from search.engine_errors import (
    SearchConflict,
    SearchError,
    SearchNotFound,
    _ItemError,
    error_for_status,
)
from search.engine_errors import (
    SearchUnavailable as SearchUnavailable,
)

logger = logging.getLogger(__name__)

# What a 503 answer for an unavailable or overloaded engine tells clients to wait.
RETRY_AFTER_SECONDS = 10


@dataclass(frozen=True)
class EngineHealth:
    """The engine's answer to a health probe."""

    ok: bool
    engine: str
    status: str
    version: str | None = None
    detail: str | None = None


@dataclass
class BulkResult:
    """Counts of a bulk request; version conflicts count as stale, not errors."""

    succeeded: int = 0
    stale: int = 0
    failed: list[dict[str, Any]] = field(default_factory=list)


class SearchEngine:
    """Engine operations shared by both clients; subclasses supply the client."""

    name = "abstract"

    def __init__(self, client: Any) -> None:
        self._client = client

    # -- calls ------------------------------------------------------------------
    def _call(self, method: Any, **kwargs: Any) -> Any:
        try:
            return method(**kwargs)
        except Exception as error:  # the client's own exception types, mapped
            raise self._translate(error) from error

    def _translate(self, error: Exception) -> SearchError:
        status = (
            error.status if isinstance(error, _ItemError) else self._status_of(error)
        )
        return error_for_status(status, f"{type(error).__name__}: {error}"[:500])

    def _status_of(self, error: Exception) -> int | None:
        raise NotImplementedError  # each client reports status differently

    # -- cluster ----------------------------------------------------------------
    def health(self) -> EngineHealth:
        """Probe the cluster; never raises."""
        try:
            info = self._call(self._client.info)
            health = self._call(self._client.cluster.health)
        except SearchError as error:
            return EngineHealth(
                ok=False, engine=self.name, status="unreachable", detail=str(error)
            )
        status = health.get("status", "unknown")
        return EngineHealth(
            ok=status in {"green", "yellow"},
            engine=self.name,
            status=status,
            version=info.get("version", {}).get("number"),
            detail=None if status in {"green", "yellow"} else f"cluster is {status}",
        )

    # -- indices ----------------------------------------------------------------
    def index_create(self, *, name: str, body: Mapping[str, Any]) -> None:
        self._call(self._client.indices.create, index=name, body=dict(body))

    def index_delete(self, *, name: str) -> None:
        self._call(self._client.indices.delete, index=name)

    def index_exists(self, *, name: str) -> bool:
        return bool(self._call(self._client.indices.exists, index=name))

    def index_refresh(self, *, name: str) -> None:
        self._call(self._client.indices.refresh, index=name)

    def mapping_meta(self, *, index: str) -> dict[str, Any]:
        """The ``_meta`` of the mapping of ``index`` (an alias: its one target)."""
        answer = self._call(self._client.indices.get_mapping, index=index)
        (mapping,) = answer.values() if len(answer) == 1 else ({},)
        return dict(mapping.get("mappings", {}).get("_meta", {}))

    def alias_targets(self, *, alias: str) -> list[str]:
        try:
            answer = self._call(self._client.indices.get_alias, name=alias)
        except SearchNotFound:
            return []
        return sorted(answer.keys())

    def aliases_update(self, *, actions: list[dict[str, Any]]) -> None:
        """Apply alias actions atomically (used to swap the alias after a rebuild)."""
        self._call(self._client.indices.update_aliases, body={"actions": actions})

    # -- documents --------------------------------------------------------------
    def document_put(
        self,
        *,
        index: str,
        doc_id: str,
        document: Mapping[str, Any],
        version: int | None = None,
        refresh: bool = False,
    ) -> str:
        """Write a document; with ``version`` the write is external-versioned.

        Returns the engine's result (created, updated) or ``stale`` when the engine
        already holds this or a newer version.
        """
        extra: dict[str, Any] = {}
        if version is not None:
            extra = {"version": version, "version_type": "external"}
        try:
            answer = self._call(
                self._client.index,
                index=index,
                id=doc_id,
                body=dict(document),
                refresh="true" if refresh else "false",
                **extra,
            )
        except SearchConflict:
            return "stale"
        return answer.get("result", "unknown")

    def document_get(self, *, index: str, doc_id: str) -> dict[str, Any] | None:
        try:
            return self._call(self._client.get, index=index, id=doc_id)
        except SearchNotFound:
            return None

    def document_delete(
        self, *, index: str, doc_id: str, version: int | None = None
    ) -> str:
        extra: dict[str, Any] = {}
        if version is not None:
            extra = {"version": version, "version_type": "external"}
        try:
            answer = self._call(self._client.delete, index=index, id=doc_id, **extra)
        except SearchConflict:
            return "stale"
        except SearchNotFound:
            return "not_found"
        return answer.get("result", "unknown")

    def bulk(
        self,
        *,
        operations: Iterable[Mapping[str, Any]],
        refresh: bool = False,
        require_alias: bool = False,
    ) -> BulkResult:
        """Send action/source lines in one request and sort the per-item results.

        ``require_alias`` makes items whose target is not an alias fail instead of
        auto-creating an index of that name (writes through the shared alias).
        """
        lines = [dict(line) for line in operations]
        result = BulkResult()
        if not lines:
            return result
        answer = self._bulk_call(lines, refresh=refresh, require_alias=require_alias)
        for item in answer.get("items", []):
            (outcome,) = item.values()
            status = outcome.get("status", 500)
            if status < 300:
                result.succeeded += 1
            elif status == 409:
                result.stale += 1
            elif status == 404 and next(iter(item)) == "delete":
                result.succeeded += 1  # already gone: the delete holds
            else:
                result.failed.append(
                    {
                        "id": outcome.get("_id"),
                        "status": status,
                        "error": outcome.get("error"),
                    }
                )
        return result

    def _bulk_call(
        self, lines: list[dict[str, Any]], *, refresh: bool, require_alias: bool = False
    ) -> Any:
        extra = {"require_alias": "true"} if require_alias else {}
        return self._call(
            self._client.bulk,
            body=lines,
            refresh="true" if refresh else "false",
            **extra,
        )

    def search(
        self, *, index: str, body: Mapping[str, Any], named_scores: bool = False
    ) -> dict[str, Any]:
        """Search ``index``; ``named_scores``: each hit's ``matched_queries``
        holds the score of every named clause it matched."""
        extra = {"include_named_queries_score": True} if named_scores else {}
        return self._call(self._client.search, index=index, body=dict(body), **extra)

    def msearch(
        self, *, index: str, bodies: Sequence[Mapping[str, Any]]
    ) -> list[dict[str, Any]]:
        """Several searches of ``index`` in one request, answers in order. An
        answer the engine refused raises its error (a missing index: the
        ``SearchNotFound`` that ``search`` would raise)."""
        lines: list[dict[str, Any]] = []
        for body in bodies:
            lines += [{}, dict(body)]
        answer = self._call(self._client.msearch, index=index, body=lines)
        responses = answer.get("responses", [])
        for response in responses:
            if "error" in response:
                status = int(response.get("status", 500))
                raise self._translate(_ItemError(status, response["error"]))
        return responses

    # -- point in time (consistent deep reads: exports) ------------------------
    def pit_open(self, *, index: str, keep_alive: str) -> str:
        """Open a point in time over ``index``: searches that name it see the index
        as it was now, whatever is written meanwhile. Returns its id."""
        raise NotImplementedError  # OpenSearch and Elasticsearch differ here

    def pit_search(self, *, body: Mapping[str, Any]) -> dict[str, Any]:
        """Search a point in time; ``body["pit"]`` names it (and no index)."""
        return self._call(self._client.search, body=dict(body))

    def pit_close(self, *, pit_id: str) -> None:
        """Release a point in time early (it also expires by itself); never
        raises: closing is cleanup, the export has its answer already."""
        try:
            self._pit_close(pit_id)
        except SearchError as error:
            logger.warning("closing a point in time failed: %s", error)

    def _pit_close(self, pit_id: str) -> None:
        raise NotImplementedError

    def count(self, *, index: str, body: Mapping[str, Any] | None = None) -> int:
        answer = self._call(
            self._client.count, index=index, body=dict(body) if body else None
        )
        return int(answer["count"])

    def analyze(self, *, index: str, analyzer: str, text: str) -> list[str]:
        answer = self._call(
            self._client.indices.analyze,
            index=index,
            body={"analyzer": analyzer, "text": text},
        )
        return [token["token"] for token in answer["tokens"]]

    # -- maintenance (rebuilds, status) -------------------------------------------
    def index_settings_put(self, *, name: str, settings: Mapping[str, Any]) -> None:
        """Change dynamic index settings (e.g. ``refresh_interval`` while building)."""
        self._call(
            self._client.indices.put_settings,
            index=name,
            body={"index": dict(settings)},
        )

    def indices_docs(self, *, pattern: str) -> dict[str, int]:
        """Document counts (primaries, tombstone documents included) of the indices
        matching ``pattern``; {} when none match."""
        try:
            answer = self._call(
                self._client.indices.stats, index=pattern, metric="docs"
            )
        except SearchNotFound:
            return {}
        return {
            name: int(stats["primaries"].get("docs", {}).get("count", 0))
            for name, stats in sorted(answer.get("indices", {}).items())
        }

    def reindex_start(self, *, body: Mapping[str, Any]) -> str:
        """Start a server-side ``_reindex`` in the background; returns its task id."""
        answer = self._call(
            self._client.reindex, body=dict(body), wait_for_completion=False
        )
        return str(answer["task"])

    def task_get(self, *, task_id: str) -> dict[str, Any]:
        """The state of a background task (``completed``, ``response``, ``error``)."""
        return self._call(self._client.tasks.get, task_id=task_id)

    def close(self) -> None:
        self._client.close()


def engine_connect(
    *,
    engine: str,
    url: str,
    timeout: int = 10,
    username: str | None = None,
    password: str | None = None,
    retries: int | None = None,
) -> SearchEngine:
    """Build an adapter for ``engine`` at ``url`` (one URL or several, the nodes of
    one cluster, comma-separated). A request that cannot reach its node, or gets
    502/503/504 or no answer within ``timeout``, goes on to the next node,
    ``retries`` times at most (None: each other node once)."""
    from search.engine_clients import ENGINES  # they subclass SearchEngine

    try:
        engine_class = ENGINES[engine]
    except KeyError:
        raise ValueError(f"Unknown search engine {engine!r}") from None
    hosts = [part.strip() for part in url.split(",") if part.strip()]
    return engine_class.connect(
        hosts=hosts,
        timeout=timeout,
        username=username,
        password=password,
        retries=len(hosts) - 1 if retries is None else retries,
    )


@cache
def search_engine(*, timeout: int | None = None) -> SearchEngine:
    """The engine configured for this hub (SEARCH_ENGINE, SEARCH_URL); one adapter
    per timeout (health probes use a shorter one than searches)."""
    return engine_connect(
        engine=settings.SEARCH_ENGINE,
        url=settings.SEARCH_URL,
        timeout=timeout or settings.SEARCH_TIMEOUT,
        username=settings.SEARCH_USERNAME,
        password=settings.SEARCH_PASSWORD,
        retries=settings.SEARCH_RETRIES,
    )
