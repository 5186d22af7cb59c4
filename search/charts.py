"""Server-rendered SVG charts: the geometry templates draw (every chart also
shows its numbers as a table, so the SVG is a picture of the table)."""

from __future__ import annotations

from typing import Any


def chart_bars(buckets: list[Any], *, width: int = 400) -> dict[str, Any]:
    """Geometry of a horizontal SVG bar chart of labelled rows (anything with
    ``label`` and ``count``)."""
    top = max((bucket.count for bucket in buckets), default=0) or 1
    bars = [
        {
            "label": bucket.label,
            "count": bucket.count,
            "y": index * 28,
            "width": max(1, round(bucket.count / top * (width - 160))),
        }
        for index, bucket in enumerate(buckets)
    ]
    return {"bars": bars, "height": max(28, len(bars) * 28), "width": width}
