"""Views of the composition root."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hubnet.health import health_report


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """This hub's identity and the state of its parts; 503 when any is down."""
    report = health_report()
    return JsonResponse(report.as_dict(), status=200 if report.ok else 503)
