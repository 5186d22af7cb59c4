"""Models of the standards app: harvesting (``standards.harvest.models``)."""

from standards.harvest.models import (
    HarvestItem,
    HarvestKind,
    HarvestRun,
    HarvestRunStatus,
    HarvestSource,
)

__all__ = [
    "HarvestItem",
    "HarvestKind",
    "HarvestRun",
    "HarvestRunStatus",
    "HarvestSource",
]
