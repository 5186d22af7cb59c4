"""Admin of the alerts: saved searches show a hash and a masked address only
(never the address, no export); webhooks with their deliveries."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from alerts.models import SavedSearch, Webhook, WebhookDelivery, email_masked
from alerts.services.subscriptions import query_normalise
from hubs.endpoints import EndpointRefused, endpoint_url_check
from search.types import SearchParamsInvalid


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    """Read-only; an admin may delete a subscription on the subscriber's request."""

    list_display = ("masked", "query", "frequency", "language", "confirmed_at")
    list_filter = ("frequency", "language")
    search_fields = ("=email_hash",)
    fields = (
        "masked",
        "email_hash",
        "query",
        "frequency",
        "language",
        "created_at",
        "confirmed_at",
        "last_digest_at",
    )
    readonly_fields = fields
    actions = None

    @admin.display(description=_("Address"))
    def masked(self, saved: SavedSearch) -> str:
        return email_masked(saved.email)

    def has_add_permission(self, request: HttpRequest) -> bool:  # noqa: ARG002  Django admin signature
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:  # noqa: ARG002  Django admin signature
        return False


class WebhookForm(forms.ModelForm):
    """Checks the filter with the search parser before it is saved."""

    url = forms.URLField(max_length=500, assume_scheme="https")

    class Meta:
        model = Webhook
        fields = ("name", "url", "query", "secret", "active")

    def clean_url(self) -> str:
        try:
            endpoint_url_check(self.cleaned_data["url"])
        except EndpointRefused as error:
            raise forms.ValidationError(str(error)) from None
        return self.cleaned_data["url"]

    def clean_query(self) -> str:
        try:
            return query_normalise(self.cleaned_data["query"])
        except SearchParamsInvalid as error:
            raise forms.ValidationError(str(error)) from None


class DeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    fields = ("created_at", "event_id", "attempt", "status_code", "error", "succeeded")
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    """Register a URL and a filter; see each delivery and re-enable a hook."""

    form = WebhookForm
    list_display = ("name", "url", "query", "active", "consecutive_failures")
    readonly_fields = ("consecutive_failures", "last_checked_at")
    inlines = (DeliveryInline,)
