"""Saving a search, confirming it, unsubscribing. Views parse the request, call
one service and render; the address is never echoed back."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from alerts.models import Frequency
from alerts.services.subscriptions import (
    saved_search_confirm,
    saved_search_delete,
    saved_search_subscribe,
)
from alerts.tokens import TokenInvalid
from search.types import SearchParamsInvalid


class SubscribeForm(forms.Form):
    """The "save this search" form under the search results."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices)
    query = forms.CharField(required=False, max_length=4000, widget=forms.HiddenInput)


@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    """Save the search for the address and ask it to confirm (the same answer
    whether or not the address had saved it before)."""
    form = SubscribeForm(request.POST)
    if form.is_valid():
        try:
            saved_search_subscribe(
                email=form.cleaned_data["email"],
                query=form.cleaned_data["query"],
                frequency=form.cleaned_data["frequency"],
                language=translation.get_language() or "en",
            )
        except SearchParamsInvalid as error:
            form.add_error("query", str(error))
    if not form.is_valid():
        return render(request, "alerts/subscribe.html", {"form": form}, status=400)
    return render(request, "alerts/check_mail.html")


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links), POST confirms."""
    if request.method != "POST":
        return render(request, "alerts/confirm.html", {"token": token})
    try:
        saved_search_confirm(token=token)
    except TokenInvalid:
        return render(request, "alerts/link_invalid.html", status=400)
    return render(request, "alerts/confirmed.html")


@csrf_exempt  # RFC 8058: the mail client posts "List-Unsubscribe=One-Click"
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST (also the one-click POST) deletes the saved
    search with its address."""
    if request.method != "POST":
        return render(request, "alerts/unsubscribe.html", {"token": token})
    try:
        saved_search_delete(token=token)
    except TokenInvalid:
        return render(request, "alerts/link_invalid.html", status=400)
    return render(request, "alerts/unsubscribed.html")
