"""The Federation section of the Wagtail admin: neighbours and how syncing goes.

Views only translate HTTP to calls of selectors and services. Every view requires
``FEDERATION_PERMISSION`` (superusers have it); Wagtail's admin URL decorator
already sends anonymous users to the login page and turns ``PermissionDenied``
into its standard "permission denied" redirect.

Clear tokens are rendered once, in the response to the POST that issued them:
never stored in the session or in messages, and those responses are not cached.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from federation.selectors import signing_keys_list
from federation.selectors_sync import (
    NeighbourSyncStatus,
    neighbour_get,
    quarantined_records_list,
    sync_runs_recent,
    sync_status_get,
    sync_status_list,
)
from federation.services.sync import SyncNotPulled, sync_request
from hubs.forms import NeighbourCreateForm
from hubs.models import Neighbour
from hubs.services import neighbour_create, neighbour_rotate_inbound_token

# Django's model permission on neighbours; give it to coordinators through a group.
FEDERATION_PERMISSION = "hubs.change_neighbour"
URL_NAMESPACE = "federation_admin"
ADMIN_TRIGGER = "admin"


def user_can_manage_federation(user: AbstractUser | AnonymousUser) -> bool:
    """Whether ``user`` may see the Federation section, add neighbours, start syncs
    and rotate tokens: active superusers and holders of ``FEDERATION_PERMISSION``."""
    return bool(user.is_active and user.has_perm(FEDERATION_PERMISSION))


def _url(name: str, *args: Any) -> str:
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


def _neighbour_or_404(neighbour_id: int) -> Neighbour:
    try:
        return neighbour_get(neighbour_id=neighbour_id)
    except Neighbour.DoesNotExist:
        raise Http404(_("No such neighbour")) from None


class FederationPermissionMixin:
    """Refuse users who may not manage the federation (``PermissionDenied``)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not user_can_manage_federation(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class FederationTemplateView(
    FederationPermissionMixin, WagtailAdminTemplateMixin, TemplateView
):
    """A Federation admin page in Wagtail's page furniture."""

    header_icon = "site"
    _index_crumb = {
        "url": reverse_lazy(f"{URL_NAMESPACE}:index"),
        "label": _("Federation"),
    }

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, self._index_crumb]


class NeighbourIndexView(FederationTemplateView):
    """Every neighbour with its sync health: last success, lag, last error."""

    template_name = "federation/admin/neighbour_index.html"
    page_title = _("Federation")

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_header_buttons(self) -> list[HeaderButton]:
        return [
            HeaderButton(
                label=_("Add neighbour"), url=_url("neighbour_add"), icon_name="plus"
            ),
            HeaderButton(label=_("Signing keys"), url=_url("keys"), icon_name="key"),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        now = timezone.now()
        return super().get_context_data(
            rows=sync_status_list(now=now), now=now, **kwargs
        )


class SigningKeyIndexView(FederationTemplateView):
    """Every signing key held here, this hub's own and each origin's pinned
    ones: key id, first seen, last rotated, revoked (read-only)."""

    template_name = "federation/admin/key_index.html"
    page_title = _("Signing keys")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(keys=signing_keys_list(), **kwargs)


class NeighbourDetailView(FederationTemplateView):
    """One neighbour: its sync state, recent runs and quarantined records."""

    template_name = "federation/admin/neighbour_detail.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.now = timezone.now()

    def get_status(self) -> NeighbourSyncStatus:
        if not hasattr(self, "_status"):
            try:
                self._status = sync_status_get(
                    neighbour_id=self.kwargs["neighbour_id"], now=self.now
                )
            except Neighbour.DoesNotExist:
                raise Http404(_("No such neighbour")) from None
        return self._status

    def get_page_title(self) -> str:
        return self.get_status().neighbour.name

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *super().get_breadcrumbs_items(),
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        status = self.get_status()
        neighbour_id = status.neighbour.pk
        return super().get_context_data(
            status=status,
            neighbour=status.neighbour,
            runs=sync_runs_recent(neighbour_id=neighbour_id),
            quarantined=quarantined_records_list(neighbour_id=neighbour_id),
            now=self.now,
            **kwargs,
        )


class NeighbourSyncView(FederationPermissionMixin, View):
    """POST: queue a sync of one neighbour now (the worker runs it)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, neighbour_id: int) -> HttpResponseRedirect:
        try:
            neighbour = sync_request(
                neighbour_id=neighbour_id, user=request.user, trigger=ADMIN_TRIGGER
            )
        except Neighbour.DoesNotExist:
            raise Http404(_("No such neighbour")) from None
        except SyncNotPulled as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("A sync of %(name)s has been queued.") % {"name": neighbour.name},
            )
        return redirect(get_valid_next_url_from_request(request) or _url("index"))


@method_decorator(never_cache, name="dispatch")
class NeighbourRotateTokenView(FederationTemplateView):
    """GET: confirm; POST: replace the neighbour's inbound token and show the new
    one, once. The old token stops working at once."""

    template_name = "federation/admin/rotate_confirm.html"
    issued_template_name = "federation/admin/token_issued.html"
    page_title = _("Rotate inbound token")

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.neighbour: Neighbour | None = None

    def get_neighbour(self) -> Neighbour:
        if self.neighbour is None:
            self.neighbour = _neighbour_or_404(self.kwargs["neighbour_id"])
        return self.neighbour

    def get_page_subtitle(self) -> str:
        return self.get_neighbour().name

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        neighbour = self.get_neighbour()
        return [
            *super().get_breadcrumbs_items(),
            {"url": _url("neighbour_detail", neighbour.pk), "label": neighbour.name},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(neighbour=self.get_neighbour(), **kwargs)

    def post(self, request: HttpRequest, neighbour_id: int) -> TemplateResponse:  # noqa: ARG002  the URL's keyword argument
        neighbour = self.get_neighbour()
        token = neighbour_rotate_inbound_token(
            neighbour_id=neighbour.pk, user=request.user
        )
        self.page_title = _("New inbound token")
        return TemplateResponse(
            request,
            self.issued_template_name,
            self.get_context_data(token=token, rotated=True),
        )


@method_decorator(never_cache, name="dispatch")
class NeighbourCreateView(FederationTemplateView):
    """Register a neighbour and show, once, the token it must present here."""

    template_name = "federation/admin/neighbour_create.html"
    issued_template_name = "federation/admin/token_issued.html"
    page_title = _("Add neighbour")

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", NeighbourCreateForm())
        return super().get_context_data(
            action_url=_url("neighbour_add"),
            submit_button_label=_("Add neighbour"),
            submit_button_active_label=_("Adding…"),
            **kwargs,
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = NeighbourCreateForm(request.POST)
        if form.is_valid():
            try:
                issued = neighbour_create(**form.cleaned_data, user=request.user)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                self.page_title = _("Neighbour added")
                return TemplateResponse(
                    request,
                    self.issued_template_name,
                    self.get_context_data(
                        neighbour=issued.neighbour,
                        token=issued.inbound_token,
                        rotated=False,
                    ),
                )
        return self.render_to_response(self.get_context_data(form=form))
