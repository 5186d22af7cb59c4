"""The state of every part a hub needs: database, broker, worker and search engine.

Each probe has its own timeout and never raises, so /healthz answers even when
several parts are down. Why a part is down (host names, error messages) is shown
only to staff users and to callers presenting ``HEALTH_TOKEN``; anyone else gets
the status and the hub's public identity.
"""

import hmac
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest
from django.utils import timezone
from kombu import Connection

from hubs.identity import hub_identity
from hubs.selectors import heartbeat_latest
from search.engine import search_engine


@dataclass(frozen=True)
class CheckResult:
    """One part's state; ``detail`` says why when it is down."""

    ok: bool
    detail: str
    milliseconds: float


@dataclass(frozen=True)
class HealthReport:
    """Identity plus every check; healthy only when every part is."""

    hub: dict[str, object]
    checks: dict[str, CheckResult]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks.values())

    def public_dict(self) -> dict[str, object]:
        """What anybody may see: the status and who the hub is (its identity is
        public anyway, in every record's envelope)."""
        return {"status": "ok" if self.ok else "degraded", "hub": self.hub}

    def as_dict(self) -> dict[str, object]:
        return {
            "status": "ok" if self.ok else "degraded",
            "hub": self.hub,
            "checks": {name: asdict(check) for name, check in self.checks.items()},
        }


def health_details_allowed(request: HttpRequest) -> bool:
    """Whether the caller may see why parts are down: one whose ``Authorization:
    Bearer <token>`` matches ``HEALTH_TOKEN`` (compared in constant time; with no
    token configured none is accepted), or a staff user."""
    if health_token_valid(authorization=request.headers.get("Authorization")):
        return True
    try:
        user = request.user
        return bool(user.is_authenticated and user.is_staff)
    except DatabaseError:
        # The session cannot be read while the database is down: status only.
        return False


def health_token_valid(*, authorization: str | None) -> bool:
    """Whether ``authorization`` is ``Bearer <HEALTH_TOKEN>``."""
    expected = settings.HEALTH_TOKEN
    scheme, _, presented = (authorization or "").partition(" ")
    presented = presented.strip()
    if not expected or scheme.lower() != "bearer" or not presented:
        return False
    return hmac.compare_digest(presented.encode(), expected.encode())


def _timed(probe: Callable[[], str]) -> CheckResult:
    started = time.perf_counter()
    try:
        detail = probe()
        ok = True
    except Exception as error:  # a probe reports every failure, it never raises
        detail = f"{type(error).__name__}: {error}"[:300] or type(error).__name__
        ok = False
    return CheckResult(
        ok=ok,
        detail=detail,
        milliseconds=round((time.perf_counter() - started) * 1000, 1),
    )


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _broker() -> str:
    # A fresh connection from settings: never touch the app's producer pool.
    with Connection(
        settings.CELERY_BROKER_URL,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        connect_timeout=settings.HEALTH_CHECK_TIMEOUT,
    ) as broker:
        broker.ensure_connection(
            max_retries=1, interval_start=0, timeout=settings.HEALTH_CHECK_TIMEOUT
        )
        return broker.transport_cls


def _worker() -> str:
    heartbeat = heartbeat_latest()
    if heartbeat is None:
        raise RuntimeError("no worker has reported a heartbeat yet")
    age = timezone.now() - heartbeat.last_seen
    if age > timedelta(seconds=settings.HEARTBEAT_MAX_AGE):
        raise RuntimeError(
            f"last heartbeat from {heartbeat.hostname} is {int(age.total_seconds())}s "
            f"old (limit {settings.HEARTBEAT_MAX_AGE}s)"
        )
    return f"{heartbeat.hostname} seen {age.total_seconds():.0f}s ago"


def _search() -> str:
    health = search_engine(timeout=settings.HEALTH_CHECK_TIMEOUT).health()
    if not health.ok:
        raise RuntimeError(health.detail or health.status)
    return f"{health.engine} {health.version} {health.status}"


def health_report() -> HealthReport:
    """Probe every part of this hub and report what is up and what is down."""
    checks = {"database": _timed(_database)}
    checks["broker"] = _timed(_broker)
    if checks["database"].ok:
        checks["worker"] = _timed(_worker)
    else:
        checks["worker"] = CheckResult(
            ok=False, detail="unknown: the database is down", milliseconds=0.0
        )
    checks["search"] = _timed(_search)
    return HealthReport(hub=hub_identity().as_dict(), checks=checks)
