"""The two clients behind ``search.engine.SearchEngine``: OpenSearch (opensearch-py)
and Elasticsearch 9 (elasticsearch-py), each given every node of the cluster.

Both clients keep a pool of the nodes: a node that refuses a connection is set
aside for a while and the request goes on to the next one, a bounded number of
times (``retries``); each attempt waits ``timeout`` seconds at most, so one call
takes at most ``(retries + 1) * timeout``.
"""

from __future__ import annotations

from typing import Any

from search.engine import SearchEngine

# Answers of a node that cannot serve now (a gateway, or a node leaving or
# joining) that another node may answer; 429 (busy) is left to the caller's backoff.
RETRY_ON_STATUS = (502, 503, 504)
# Kept-open connections per node: one per thread that searches or indexes at once
# (web threads, the drain's sender), beyond which connections are not reused.
CONNECTIONS_PER_NODE = 8


class OpenSearchEngine(SearchEngine):
    """OpenSearch through opensearch-py (the reference engine)."""

    name = "opensearch"

    @classmethod
    def connect(
        cls,
        *,
        hosts: list[str],
        timeout: int,
        username: str | None,
        password: str | None,
        retries: int,
    ) -> OpenSearchEngine:
        from opensearchpy import OpenSearch

        auth = (username, password) if username and password else None
        client = OpenSearch(
            hosts=hosts,
            http_auth=auth,
            timeout=timeout,
            max_retries=retries,
            retry_on_timeout=retries > 0,
            retry_on_status=RETRY_ON_STATUS,
            pool_maxsize=CONNECTIONS_PER_NODE,
        )
        return cls(client)

    def _status_of(self, error: Exception) -> int | None:
        from opensearchpy import ConnectionError as OpenSearchConnectionError
        from opensearchpy import TransportError

        if isinstance(error, OpenSearchConnectionError):
            return None
        if isinstance(error, TransportError) and isinstance(error.status_code, int):
            return error.status_code
        return None

    def pit_open(self, *, index: str, keep_alive: str) -> str:
        answer = self._call(
            self._client.create_pit, index=index, params={"keep_alive": keep_alive}
        )
        return str(answer["pit_id"])

    def _pit_close(self, pit_id: str) -> None:
        self._call(self._client.delete_pit, body={"pit_id": [pit_id]})


class ElasticsearchEngine(SearchEngine):
    """Elasticsearch 9 through elasticsearch-py, with the same request bodies."""

    name = "elasticsearch"

    @classmethod
    def connect(
        cls,
        *,
        hosts: list[str],
        timeout: int,
        username: str | None,
        password: str | None,
        retries: int,
    ) -> ElasticsearchEngine:
        from elasticsearch import Elasticsearch

        auth = (username, password) if username and password else None
        client = Elasticsearch(
            hosts=hosts,
            basic_auth=auth,
            request_timeout=timeout,
            max_retries=retries,
            retry_on_timeout=retries > 0,
            retry_on_status=RETRY_ON_STATUS,
            connections_per_node=CONNECTIONS_PER_NODE,
        )
        return cls(client)

    def _status_of(self, error: Exception) -> int | None:
        from elasticsearch import ApiError

        if isinstance(error, ApiError):
            return error.meta.status
        return None

    def pit_open(self, *, index: str, keep_alive: str) -> str:
        answer = self._call(
            self._client.open_point_in_time, index=index, keep_alive=keep_alive
        )
        return str(answer["id"])

    def _pit_close(self, pit_id: str) -> None:
        self._call(self._client.close_point_in_time, id=pit_id)

    def _bulk_call(
        self, lines: list[dict[str, Any]], *, refresh: bool, require_alias: bool = False
    ) -> Any:
        extra = {"require_alias": True} if require_alias else {}
        return self._call(
            self._client.bulk,
            operations=lines,
            refresh="true" if refresh else "false",
            **extra,
        )


ENGINES: dict[str, type[OpenSearchEngine] | type[ElasticsearchEngine]] = {
    "opensearch": OpenSearchEngine,
    "elasticsearch": ElasticsearchEngine,
}
