"""What ``hubnet search status`` says about vectors."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from search.embeddings.encoders import encoder_model_id
from search.embeddings.lease import fill_state
from search.embeddings.vectors import MODEL_FIELD, index_embedding_model
from search.engine import SearchEngine, SearchError, search_engine
from search.index import index_alias


@dataclass
class EmbeddingStatus:
    """The model of this hub and of the index, live documents with a vector of
    it and without one, and this hub's fill step."""

    model: str | None
    index_model: str | None
    with_vector: int | None
    without_vector: int | None
    embedded_here: int
    last_error: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        counts = f"{self.with_vector} with, {self.without_vector} waiting"
        lines = [
            f"vectors:    model {self.model or 'none'} (index: {self.index_model}); "
            f"{counts}; {self.embedded_here} written by this hub"
        ]
        if self.last_error:
            lines.append(f"vector fill error: {self.last_error}")
        return lines


def embedding_status(*, engine: SearchEngine | None = None) -> EmbeddingStatus:
    """The vector side of the shared index and of this hub (never raises for an
    unreachable engine: the counts are then None)."""
    model = encoder_model_id()
    state = fill_state()
    status = EmbeddingStatus(model, None, None, None, state.embedded_total, "")
    status.last_error = state.last_error
    engine = engine or search_engine()
    try:
        status.index_model = index_embedding_model(engine=engine)
        live = {"term": {"deleted": False}}
        with_model = {"term": {MODEL_FIELD: status.index_model or ""}}
        status.with_vector = engine.count(
            index=index_alias(),
            body={"query": {"bool": {"filter": [live, with_model]}}},
        )
        status.without_vector = engine.count(
            index=index_alias(),
            body={"query": {"bool": {"filter": [live], "must_not": [with_model]}}},
        )
    except SearchError:
        pass
    return status
