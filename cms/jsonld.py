"""schema.org JSON-LD of a record, built from its wire form.

``record_jsonld(record)`` takes a record in wire form (``federation.selectors.
record_wire``) or a ``StoredRecord`` and returns a JSON-LD object: the detail
pages embed it, and the REST API can serve it as it is. It depends only on the
record, never on a page or a request, so every hub describes a record the same
way; labels of codes are given in the record's own language.

Types by kind:

- project → ``SoftwareApplication``. A record of the algorithm register describes
  a system that is in use (or being built) and affects people: what it does, who
  provides it, its status, licence, source code and the datasets it is based on.
  schema.org's ``Project`` is a pending subtype of *Organization* (an enterprise,
  not a system) and is not processed by the main consumers; ``SoftwareApplication``
  is core vocabulary and carries ``creativeWorkStatus``, ``isBasedOn``,
  ``license``, ``provider``, ``funding`` and ``audience``.
- dataset → ``Dataset`` with ``distribution`` ``DataDownload`` (DCAT-AP's
  distributions; Google Dataset Search reads this).
- course → ``Course`` with ``hasCourseInstance`` ``CourseInstance`` (mode, as
  ``courseMode`` and Event's ``eventAttendanceMode``; schedule, workload,
  languages, the course page, and the place unless it is online).
- organisation → ``Organization``.

A tombstone becomes a bare node with its identifier.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from federation.models import StoredRecord
from federation.selectors import record_wire
from federation.text import plain_text
from federation.vocabularies import data_theme_uri, nuts_label
from federation.vocabularies.labels import code_label

CONTEXT = "https://schema.org"
SPDX_URL = "https://spdx.org/licenses/{}.html"
# schema.org CourseInstance.courseMode values for the course modes.
COURSE_MODES = {"online": "Online", "on-site": "Onsite", "blended": "Blended"}
# CourseInstance is an Event: how it is attended, in Event's own vocabulary.
ATTENDANCE_MODES = {
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "on-site": "https://schema.org/OfflineEventAttendanceMode",
    "blended": "https://schema.org/MixedEventAttendanceMode",
}
# Employees of the EU size classes (Recommendation 2003/361).
SIZE_RANGES = {
    "micro": (1, 9),
    "small": (10, 49),
    "medium": (50, 249),
    "large": (250, None),
}
TYPES = {
    "project": "SoftwareApplication",
    "dataset": "Dataset",
    "course": "Course",
    "organisation": "Organization",
}

Node = dict[str, Any]


def record_jsonld(record: Mapping[str, Any] | StoredRecord) -> Node:
    """The schema.org JSON-LD object of a record (wire dict or stored record)."""
    wire = record_wire(record) if isinstance(record, StoredRecord) else record
    kind = str(wire["kind"])
    node: Node = {"@context": CONTEXT, "@type": TYPES[kind]}
    if wire.get("url"):
        node["@id"] = wire["url"]
        node["url"] = wire["url"]
    if wire.get("id"):
        node["identifier"] = wire["id"]
    if wire.get("deleted") or not wire.get("body"):
        return node
    body: Mapping[str, Any] = wire["body"]
    language = str(wire.get("language") or "en")
    if kind != "organisation":  # both are properties of creative works and events
        node["inLanguage"] = language
        if wire.get("updatedAt"):
            node["dateModified"] = wire["updatedAt"]
    with translation.override(language):
        node.update(_BUILDERS[kind](body, wire))
    return _compact(node)


def _project(body: Mapping[str, Any], wire: Mapping[str, Any]) -> Node:  # noqa: ARG001  every builder takes the wire form
    provider = _organisation(body.get("organisation"), contact=body.get("contact"))
    if provider and body.get("department"):
        provider["department"] = {"@type": "Organization", "name": body["department"]}
    based_on = [
        {"@type": "Dataset", "identifier": record_id}
        for record_id in body.get("datasets") or []
    ]
    if body.get("sourceCodeUrl"):
        based_on.append(
            {
                "@type": "SoftwareSourceCode",
                "codeRepository": body["sourceCodeUrl"],
                "license": _licence(body.get("licence")),
            }
        )
    return {
        "name": body.get("name"),
        "abstract": body.get("shortDescription"),
        "description": plain_text(body.get("description"))
        or body.get("shortDescription"),
        "provider": provider,
        "creativeWorkStatus": _label("status", body.get("status")),
        "about": _themes(body.get("themes")),
        "keywords": [*(body.get("sectors") or []), *(body.get("technologies") or [])],
        "audience": [
            {"@type": "Audience", "audienceType": group}
            for group in body.get("affectedGroups") or []
        ],
        # schema.org's Role pattern: the partner, with the role it plays.
        "contributor": [
            _compact(
                {
                    "@type": "Role",
                    "roleName": _label("role", partner.get("role")),
                    "contributor": {
                        "@type": "Organization",
                        "identifier": partner["organisation"],
                    },
                }
            )
            for partner in body.get("partners") or []
        ],
        "isBasedOn": based_on,
        "funding": [_grant(line) for line in body.get("funding") or []],
        "license": _licence(body.get("licence")),
        "temporalCoverage": _interval(body.get("startDate"), body.get("endDate")),
        "spatialCoverage": _place(body.get("location")),
    }


def _dataset(body: Mapping[str, Any], wire: Mapping[str, Any]) -> Node:  # noqa: ARG001  every builder takes the wire form
    access = body.get("accessRights")
    return {
        "name": body.get("title"),
        "description": plain_text(body.get("description")) or body.get("title"),
        "publisher": _organisation(body.get("publisher"), contact=body.get("contact")),
        "creator": _organisation(body.get("publisher")),
        "keywords": body.get("keywords") or [],
        "about": _themes(body.get("themes")),
        "license": _licence(body.get("licence")),
        "isAccessibleForFree": access == "public" if access else None,
        "conditionsOfAccess": _label("accessRights", access),
        "temporalCoverage": _interval(
            body.get("temporalStart"), body.get("temporalEnd")
        ),
        "spatialCoverage": _place(body.get("location")),
        "distribution": [
            _compact(
                {
                    "@type": "DataDownload",
                    "contentUrl": item.get("downloadUrl") or item.get("accessUrl"),
                    "url": item.get("accessUrl"),
                    "encodingFormat": item.get("mediaType") or item.get("format"),
                    "contentSize": f"{item['byteSize']} B"
                    if item.get("byteSize") is not None
                    else None,
                }
            )
            for item in body.get("distributions") or []
        ],
    }


def _course(body: Mapping[str, Any], wire: Mapping[str, Any]) -> Node:
    workload = body.get("workloadHours")
    mode = body.get("mode")
    location = body.get("location")
    instance: Node = {
        "@type": "CourseInstance",
        "courseMode": COURSE_MODES.get(str(mode), mode),
        "eventAttendanceMode": ATTENDANCE_MODES.get(str(mode)),
        "url": body.get("url"),
        "startDate": body.get("startDate"),
        "endDate": body.get("endDate"),
        "courseWorkload": f"PT{workload}H" if workload else None,
        "inLanguage": body.get("languages") or [],
        "location": _place(location) if mode != "online" else None,
    }
    price = body.get("priceEur")
    return {
        "name": body.get("title"),
        "description": plain_text(body.get("description")) or body.get("title"),
        "inLanguage": body.get("languages") or wire.get("language"),
        "provider": _organisation(body.get("provider")),
        "sameAs": body.get("url"),
        "educationalLevel": _label("eqfLevel", body.get("eqfLevel"))
        or _label("schoolLevel", body.get("schoolLevel")),
        "about": {
            "@type": "DefinedTerm",
            "termCode": body["iscedField"],
            "name": _label("iscedField", body["iscedField"]),
            "inDefinedTermSet": "ISCED-F 2013",
        }
        if body.get("iscedField")
        else None,
        "teaches": body.get("learningOutcomes"),
        "educationalCredentialAwarded": body.get("credential"),
        "timeRequired": f"PT{workload}H" if workload else None,
        "audience": [
            {"@type": "Audience", "audienceType": _label("targetGroups", group)}
            for group in body.get("targetGroups") or []
        ],
        "offers": {
            "@type": "Offer",
            "price": price,
            "priceCurrency": "EUR",
            "category": "Free" if price == 0 else "Paid",
        }
        if price is not None
        else None,
        "hasCourseInstance": [_compact(instance)],
    }


def _organisation_node(body: Mapping[str, Any], wire: Mapping[str, Any]) -> Node:
    identifiers = body.get("identifiers") or {}
    size = SIZE_RANGES.get(str(body.get("sizeClass")))
    return {
        "name": body.get("name"),
        "description": plain_text(body.get("description")) or None,
        "additionalType": _label("type", body.get("type"), kind="organisation"),
        # The record id and the registry numbers (ROR, KvK, VAT).
        "identifier": [
            *(
                [
                    {
                        "@type": "PropertyValue",
                        "propertyID": "hubnet",
                        "value": wire["id"],
                    }
                ]
                if wire.get("id")
                else []
            ),
            *(
                {"@type": "PropertyValue", "propertyID": scheme, "value": value}
                for scheme, value in sorted(identifiers.items())
            ),
        ],
        "mainEntityOfPage": wire.get("url"),
        "sameAs": f"https://ror.org/{identifiers['ror']}"
        if identifiers.get("ror")
        else None,
        "vatID": identifiers.get("vat"),
        # The organisation's own website; the record page is its @id.
        "url": body.get("website"),
        "numberOfEmployees": _compact(
            {"@type": "QuantitativeValue", "minValue": size[0], "maxValue": size[1]}
        )
        if size
        else None,
        "knowsAbout": [*(body.get("technologies") or []), *(body.get("sectors") or [])],
        "makesOffer": [
            {
                "@type": "Offer",
                "itemOffered": {
                    "@type": "Service",
                    "name": _label("services", service),
                },
            }
            for service in body.get("services") or []
        ],
        "seeks": {"@type": "Demand", "name": _("Partners for projects")}
        if body.get("openToPartnership")
        else None,
        "contactPoint": _contact(body.get("contact")),
        "location": _place(body.get("location")),
    }


_BUILDERS = {
    "project": _project,
    "dataset": _dataset,
    "course": _course,
    "organisation": _organisation_node,
}


def _label(key: str, value: Any, *, kind: str | None = None) -> str | None:
    return code_label(key, value, kind=kind) if value not in (None, "") else None


def _organisation(name: Any, *, contact: Any = None) -> Node | None:
    if not name:
        return None
    return _compact(
        {"@type": "Organization", "name": name, "contactPoint": _contact(contact)}
    )


def _contact(contact: Any) -> Node | None:
    if not contact:
        return None
    return _compact(
        {
            "@type": "ContactPoint",
            "name": contact.get("name"),
            "email": contact.get("email"),
            "url": contact.get("url"),
        }
    )


def _themes(themes: Any) -> list[Node]:
    nodes = []
    for theme in themes or []:
        node: Node = {"@type": "DefinedTerm", "name": _label("themes", theme)}
        try:
            node["@id"] = data_theme_uri(theme)
            node["termCode"] = theme
        except ValueError:
            pass  # a keyword, not an EU data theme
        nodes.append(node)
    return nodes


def _licence(licence: Any) -> str | None:
    return SPDX_URL.format(licence) if licence else None


def _grant(line: Mapping[str, Any]) -> Node:
    amount = line.get("amountEur")
    return _compact(
        {
            "@type": "MonetaryGrant",
            "name": _label("programme", line.get("programme")),
            "amount": {"@type": "MonetaryAmount", "value": amount, "currency": "EUR"}
            if amount is not None
            else None,
        }
    )


def _interval(start: Any, end: Any) -> str | None:
    if not start and not end:
        return None
    return f"{start or '..'}/{end or '..'}"


def _place(location: Any) -> Node | None:
    if not location:
        return None
    geo = (
        {
            "@type": "GeoCoordinates",
            "latitude": location["lat"],
            "longitude": location["lon"],
        }
        if location.get("lat") is not None and location.get("lon") is not None
        else None
    )
    return _compact(
        {
            "@type": "Place",
            "name": location.get("place"),
            "geo": geo,
            "address": {"@type": "PostalAddress", "addressCountry": location["country"]}
            if location.get("country")
            else None,
            "containedInPlace": [
                {
                    "@type": "AdministrativeArea",
                    "identifier": code,
                    "name": nuts_label(code),
                }
                for code in location.get("nuts") or []
            ],
        }
    )


def _compact(node: Node) -> Node:
    """Leave out what is not given: None, empty texts and lists."""
    return {
        key: value
        for key, value in node.items()
        if value is not None and value != "" and value != [] and value != {}
    }
