"""The dashboard page, ``/insight/``: a GET form of filters, the scope (this
hub's subtree by default, widened through the breadcrumb), and one section per
panel with an SVG chart, its table and a CSV link (``?format=csv&panel=<name>``,
the same selection). It works without JavaScript; ``insight.js`` draws the
regions on a Leaflet map from the regions table's numbers."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from hubs.identity import hub_identity
from hubs.nuts import nuts_ancestors, nuts_region
from search.charts import chart_bars
from search.engine import RETRY_AFTER_SECONDS, SearchUnavailable
from search.insight.params import insight_params_parse
from search.insight.queries import Insight, PanelResult, Row, insight_compute
from search.labels import FACET_TITLES, buckets_labelled
from search.types import SearchParams, SearchParamsInvalid


def _url(query: QueryDict, *, drop: tuple[str, ...] = (), **set_: str) -> str:
    copy = query.copy()
    for name in (*drop, "format", "panel"):
        copy.pop(name, None)
    for name, value in set_.items():
        copy[name] = value
    return "?" + copy.urlencode()


def _narrowed(query: QueryDict, name: str, value: object) -> str:
    """``?query`` with ``name`` set to ``value`` alone."""
    copy = query.copy()
    for dropped in ("format", "panel"):
        copy.pop(dropped, None)
    copy[name] = str(value)
    return "?" + copy.urlencode()


def insight_breadcrumb(
    query: QueryDict, params: SearchParams
) -> list[dict[str, str | None]]:
    """The whole network, this hub's ancestors and itself, then the NUTS regions
    chosen: each a link widening (or narrowing) to it; the current one has no
    link."""
    crumbs: list[dict[str, str | None]] = [
        {"label": _("Whole network"), "url": _url(query, drop=("nuts",), scope="")}
    ]
    current = 0 if not params.scope and not params.nuts else None
    for slug in hub_identity().path:
        crumbs.append(
            {
                "label": _("Hub %(slug)s") % {"slug": slug},
                "url": _url(query, drop=("nuts",), scope=slug),
            }
        )
        if slug == params.scope and not params.nuts:
            current = len(crumbs) - 1
    for code in nuts_ancestors(params.nuts[0]) if params.nuts else ():
        region = nuts_region(code)
        crumbs.append(
            {"label": region.name if region else code, "url": _url(query, nuts=code)}
        )
    if params.nuts:
        current = len(crumbs) - 1
    if current is not None:
        crumbs[current]["url"] = None
    return crumbs


def _markers(result: PanelResult) -> list[dict[str, Any]]:
    markers = []
    for row in result.rows:
        region = nuts_region(str(row.value))
        if region is not None:
            markers.append(
                {
                    "lat": region.lat,
                    "lon": region.lon,
                    "label": row.label,
                    "count": row.count,
                }
            )
    return markers


def _section(query: QueryDict, result: PanelResult) -> dict[str, Any]:
    panel = result.panel
    return {
        "panel": panel,
        "total": result.total,
        "rows": [
            {
                "row": row,
                "url": _narrowed(query, panel.facet, row.value)
                if panel.facet
                else None,
            }
            for row in result.rows
        ],
        "chart": chart_bars(result.rows),
        "csv_url": _url(query, format="csv", panel=panel.name),
        "markers": _markers(result) if panel.map else None,
    }


def _context(query: QueryDict, insight: Insight) -> dict[str, Any]:
    facets = insight.results.facets
    return {
        "total": insight.results.total,
        "breadcrumb": insight_breadcrumb(query, insight.params),
        "filter_groups": [
            {
                "name": name,
                "label": label,
                "buckets": buckets_labelled(name, facets[name]),
            }
            for name, label in FACET_TITLES.items()
            if facets.get(name)
        ],
        "sections": [_section(query, result) for result in insight.panels],
        "hidden": [
            (name, value)
            for name in ("scope", "nuts", "text")
            for value in query.getlist(name)
        ],
    }


def panel_csv(result: PanelResult) -> str:
    """The rows of one panel as CSV: value, label, records, and the amount or
    the base and percentage where the panel has them."""
    extra = {"funding": ["amount_eur"], "shares": ["out_of", "percent"]}.get(
        result.panel.measure, []
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["value", "label", "records", *extra])
    for row in result.rows:
        writer.writerow([row.value, row.label, row.count, *_extra(row, extra)])
    return out.getvalue()


def _extra(row: Row, columns: list[str]) -> list[Any]:
    values = {"amount_eur": row.amount, "out_of": row.base, "percent": row.percent}
    return [values[name] for name in columns]


def _csv(result: PanelResult) -> HttpResponse:
    response = HttpResponse(panel_csv(result), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="insight-{result.panel.name}.csv"'
    )
    return response


def _csv_panel(query: QueryDict) -> None:
    if query.get("format", "html") not in ("html", "csv"):
        raise SearchParamsInvalid("format: html or csv")
    if query.get("format") == "csv" and len(query.getlist("panel")) != 1:
        raise SearchParamsInvalid("panel: a CSV holds one panel; name it")


def insight_page(request: HttpRequest) -> HttpResponse:
    """The dashboard (HTML), or one panel as CSV with ``format=csv``."""
    query = request.GET
    context: dict[str, Any] = {"query": query}
    status = 200
    try:
        _csv_panel(query)
        params, panels = insight_params_parse(query)
        insight = insight_compute(params=params, panels=panels)
    except SearchParamsInvalid as error:
        context["error"], status = str(error), 400
    except SearchUnavailable:
        context["error"], status = (
            _("The search engine is unavailable; please try again."),
            503,
        )
    else:
        if query.get("format") == "csv":
            if not insight.panels:
                context["error"], status = (
                    _("This panel has no figures at this hub."),
                    404,
                )
            else:
                return _csv(insight.panels[0])
        else:
            context |= _context(query, insight)
    response = render(request, "search/insight.html", context, status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
