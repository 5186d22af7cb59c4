"""Public federation documents served outside GraphQL."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from federation.services.keys import key_statements, own_key_pinned
from hubs.identity import hub_identity


@require_GET
def signing_keys_document(_request: HttpRequest) -> JsonResponse:
    """This hub's signing keys at a well-known URL: its slug, the key it signs
    with now, and every key statement it holds (its own and pinned ones)."""
    return JsonResponse(
        {
            "hub": hub_identity().slug,
            "currentKeyId": own_key_pinned().key_id,
            "statements": key_statements(),
        }
    )
