"""What of a record is embedded: its title, summary and description, in the
record's own language (the encoder is multilingual), and that text's hash.

The hash keys the vector cache together with the model id: a new version whose
text did not change (a facet or place edit) reuses the vector.
"""

from __future__ import annotations

import hashlib
from typing import Any

EMBEDDED_FIELDS = ("title", "summary", "description")


def embedding_text(document: dict[str, Any]) -> str:
    """The text to embed of an index document (``search.documents``); "" when
    the record has none (then it gets no vector)."""
    parts = (str(document.get(name) or "").strip() for name in EMBEDDED_FIELDS)
    return "\n".join(part for part in parts if part)


def text_hash(text: str) -> str:
    """A stable hash of an embedding text (hex, 32 characters)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
