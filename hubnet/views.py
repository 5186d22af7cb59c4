"""Views of the composition root."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hubnet.health import health_details_allowed, health_report
from hubnet.metrics import METRICS_CONTENT_TYPE, metrics_render, metrics_token_valid


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """This hub's identity and status; 503 when any part is down. Staff users
    and holders of ``HEALTH_TOKEN`` also get every part's state and reason."""
    report = health_report()
    details = health_details_allowed(request)
    body = report.as_dict() if details else report.public_dict()
    return JsonResponse(body, status=200 if report.ok else 503)


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics for callers presenting ``METRICS_TOKEN``; 404 for
    anyone else, so the endpoint does not say it exists."""
    if not metrics_token_valid(authorization=request.headers.get("Authorization")):
        raise Http404
    return HttpResponse(metrics_render(), content_type=METRICS_CONTENT_TYPE)
