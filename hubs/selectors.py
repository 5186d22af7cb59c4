"""Read-only queries about neighbours and worker liveness."""

from django.db.models import QuerySet

from hubs.models import Neighbour, WorkerHeartbeat


def neighbour_list(*, enabled_only: bool = True) -> QuerySet[Neighbour]:
    neighbours = Neighbour.objects.all()
    return neighbours.filter(enabled=True) if enabled_only else neighbours


def heartbeat_latest() -> WorkerHeartbeat | None:
    return WorkerHeartbeat.objects.order_by("-last_seen").first()
