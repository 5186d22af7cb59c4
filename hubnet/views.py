"""Views of the composition root."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hubnet.health import health_details_allowed, health_report


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """This hub's identity and status; 503 when any part is down. Staff users
    and holders of ``HEALTH_TOKEN`` also get every part's state and reason."""
    report = health_report()
    details = health_details_allowed(request)
    body = report.as_dict() if details else report.public_dict()
    return JsonResponse(body, status=200 if report.ok else 503)
