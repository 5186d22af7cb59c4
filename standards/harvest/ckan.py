"""The CKAN kind: ``package_search`` page by page, oldest change first, and
after a first full run only what changed since the last one
(``metadata_modified``); a package marked deleted is withdrawn."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from standards.harvest.codes import date_of, format_code, licence_code
from standards.harvest.dataset import dataset_values, source_link, url_of
from standards.harvest.dcat import PageMalformed
from standards.harvest.fetch import page_fetch
from standards.harvest.items import Item, ItemRefused, Refusal, SourcePage

ROWS = 100
SEARCH_PATH = "/api/3/action/package_search"


def ckan_first_url(*, base: str, since: str = "") -> str:
    """The first ``package_search`` page of portal ``base``, from ``since``."""
    params = {"rows": ROWS, "start": 0, "sort": "metadata_modified asc, id asc"}
    if since:
        params["fq"] = f"metadata_modified:[{since} TO *]"
    root = base.rstrip("/")
    if root.endswith(SEARCH_PATH):
        root = root[: -len(SEARCH_PATH)]
    return f"{root}{SEARCH_PATH}?{urlencode(params)}"


def ckan_page_read(*, url: str, deadline: float, publisher: str = "") -> SourcePage:
    """Fetch and read one ``package_search`` page."""
    fetched = page_fetch(
        url=url,
        accept="application/json",
        media_types=("application/json",),
        deadline=deadline,
    )
    return ckan_page_parse(body=fetched.body, url=url, publisher=publisher)


def ckan_page_parse(*, body: bytes, url: str, publisher: str = "") -> SourcePage:
    """The packages of one ``package_search`` answer and the next page's URL; a
    package without organisation or author is published by ``publisher``."""
    try:
        answer = json.loads(body)
        result = answer["result"]
        packages = result["results"]
        count = int(result["count"])
        if not isinstance(packages, list):
            raise TypeError("results is no list")
    except (ValueError, KeyError, TypeError) as error:
        raise PageMalformed(
            f"{url[:200]}: not a package_search answer: {str(error)[:120]}"
        ) from None
    page = SourcePage()
    for package in packages:
        if not isinstance(package, dict):
            page.items.append(Refusal("?", "a package that is no JSON object"))
            continue
        source_id = str(package.get("id") or package.get("name") or "")[:500]
        if not source_id:
            page.items.append(Refusal("?", "a package without id"))
            continue
        page.watermark = max(page.watermark, str(package.get("metadata_modified", "")))
        try:
            page.items.append(_item(package, source_id, publisher, url))
        except ItemRefused as refused:
            page.items.append(Refusal(source_id, str(refused)))
    query = parse_qs(urlsplit(url).query)
    start = int(query.get("start", ["0"])[0]) + len(packages)
    if packages and start < count:
        query["start"] = [str(start)]
        page.next_url = url.split("?", 1)[0] + "?" + urlencode(query, doseq=True)
    return page


def _item(package: dict[str, Any], source_id: str, fallback: str, url: str) -> Item:
    if package.get("state") == "deleted":
        return Item(source_id, {}, name=str(package.get("title", "")), deleted=True)
    extras = {
        str(extra.get("key")): str(extra.get("value", ""))
        for extra in package.get("extras") or []
        if isinstance(extra, dict)
    }
    start = extras.get("temporal_start") or package.get("temporal_start")
    end = extras.get("temporal_end") or package.get("temporal_end")
    organisation = package.get("organization") or {}
    landing = package.get("url") or ""
    # The package's page on the portal: <site>/dataset/<name>.
    site = url.split("/api/", 1)[0]
    name = str(package.get("name") or source_id)
    source, note = source_link(f"{site}/dataset/{quote(name, safe='')}")
    values = dataset_values(
        title=str(package.get("title") or package.get("name") or ""),
        description=str(package.get("notes") or ""),
        publisher=str(
            organisation.get("title")
            or package.get("author")
            or package.get("maintainer")
            or fallback
        ),
        keywords=[
            str(tag.get("name", ""))
            for tag in package.get("tags") or []
            if isinstance(tag, dict)
        ],
        themes=[],
        licence=licence_code(str(package.get("license_id") or "")),
        access_rights="public",
        temporal_start=date_of(str(start), field="temporal_start") if start else None,
        temporal_end=date_of(str(end), field="temporal_end") if end else None,
        frequency="",
        country="",
        nuts_codes=[],
        language="",
        landing_page=url_of(landing, field="url") if landing else "",
        distributions=sorted(
            (_distribution(resource) for resource in package.get("resources") or []),
            key=lambda row: (row["access_url"], row["download_url"]),
        ),
        source=source,
    )
    return Item(source_id, values, name=values["title"], note=note)


def _distribution(resource: Any) -> dict[str, Any]:
    if not isinstance(resource, dict) or not resource.get("url"):
        raise ItemRefused("a resource without URL")
    url = url_of(str(resource["url"]), field="resource URL")
    media = str(resource.get("mimetype") or "")
    size = resource.get("size")
    return {
        "access_url": url,
        "download_url": url,
        "file_format": format_code(str(resource.get("format") or ""), media),
        "media_type": media if "/" in media and len(media) <= 100 else "",
        "byte_size": size if isinstance(size, int) and size >= 0 else None,
    }
