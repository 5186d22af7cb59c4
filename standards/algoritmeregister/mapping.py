"""Record body ⇄ algorithm register entry (publication standard 1.0).

``body_from_entry`` maps a validated entry to a project record body (the wire
form of ``federation.records.ProjectBody``); ``entry_from_body`` maps a body
back to an entry with every field of the standard (``None`` or ``[]`` when
empty). For an entry that came in, ``entry_from_body(body_from_entry(e))``
gives every field of ``e`` back:

- status: the register's three values map one to one onto ``development``,
  ``in-use`` and ``retired``; hubnet's finer ``idea`` and ``pilot`` go out as
  "In ontwikkeling" and "In gebruik" (a pilot works on real cases, and the
  register asks for "In gebruik" when in doubt);
- category: kept as given in ``policyAreas``; hubnet's EU data ``themes`` are
  derived from it (coarser, so never mapped back when policy areas are there);
- begin/end date: a month (``2023-01``) in, the first of that month stored,
  the month out;
- contact_email: an e-mail address or a web page, kept in ``contact.email`` or
  ``contact.url``;
- impacttoetsen_grouping: ``impactAssessments`` with their own title kept;
- tags: comma-separated text in, a list of keywords stored, ``", "``-joined out;
- texts with the standard's few HTML tags are stored as plain text (the record
  keeps these fields plain), so such markup comes back as plain text;
- URLs are kept in the record schema's normal form (a lower-case host, "/"
  for an empty path), so ``https://Example.org`` comes back as
  ``https://example.org/``;
- lang ``nld`` is the record language ``nl``; standard_version is the version
  of what is written ("1.0"), not stored.
"""

from __future__ import annotations

from typing import Any

from federation.text import plain_text
from standards.algoritmeregister.schema import (
    FIELDS,
    STANDARD_VERSION,
    RegisterEntry,
)

Body = dict[str, Any]
Entry = dict[str, Any]

STATUS_FROM_REGISTER = {
    "In ontwikkeling": "development",
    "In gebruik": "in-use",
    "Buiten gebruik": "retired",
}
STATUS_TO_REGISTER = {
    "idea": "In ontwikkeling",
    "development": "In ontwikkeling",
    "pilot": "In gebruik",
    "in-use": "In gebruik",
    "retired": "Buiten gebruik",
}
PUBLICATION_CATEGORY_FROM_REGISTER = {
    "Hoog-risico AI-systeem": "high-risk-ai-system",
    "Impactvolle algoritmes": "impactful",
    "Overige algoritmes": "other",
}
PUBLICATION_CATEGORY_TO_REGISTER = {
    code: label for label, code in PUBLICATION_CATEGORY_FROM_REGISTER.items()
}
# The register's policy areas and the EU data theme that covers each.
THEME_OF_CATEGORY = {
    "Organisatie en bedrijfsvoering": "GOVE",
    "Cultuur en recreatie": "EDUC",
    "Economie": "ECON",
    "Overheidsfinanciën": "ECON",
    "Wonen": "REGI",
    "Internationaal": "INTR",
    "Migratie en integratie": "SOCI",
    "Natuur en milieu": "ENVI",
    "Onderwijs en wetenschap": "EDUC",
    "Openbare orde en veiligheid": "JUST",
    "Recht": "JUST",
    "Ruimte en infrastructuur": "REGI",
    "Sociale zekerheid": "SOCI",
    "Verkeer": "TRAN",
    "Werk": "SOCI",
    "Zorg en gezondheid": "HEAL",
}
# For projects without policy areas: the nearest policy area of each theme.
CATEGORY_OF_THEME = {
    "AGRI": "Natuur en milieu",
    "ECON": "Economie",
    "EDUC": "Onderwijs en wetenschap",
    "ENER": "Ruimte en infrastructuur",
    "ENVI": "Natuur en milieu",
    "GOVE": "Organisatie en bedrijfsvoering",
    "HEAL": "Zorg en gezondheid",
    "INTR": "Internationaal",
    "JUST": "Openbare orde en veiligheid",
    "REGI": "Ruimte en infrastructuur",
    "SOCI": "Sociale zekerheid",
    "TECH": "Onderwijs en wetenschap",
    "TRAN": "Verkeer",
}
# How an assessment type is named when a page gives no title of its own.
ASSESSMENT_TITLE = {
    "dpia": "Data Protection Impact Assessment (DPIA)",
    "iama": "Impact Assessment Mensenrechten en Algoritmes (IAMA)",
    "fria": "Fundamental Rights Impact Assessment (FRIA)",
    "other": "Impacttoets",
}
# ISO 639-1 record languages and their ISO 639-3 codes (the register's ``lang``).
LANG_OF_LANGUAGE = {"nl": "nld", "en": "eng", "de": "deu", "fr": "fra", "fy": "fry"}

# Register text fields and the body fields that hold them as plain text.
_TEXTS = {
    "goal": "goal",
    "proportionality": "proportionality",
    "human_intervention": "humanIntervention",
    "risks": "risks",
    "lawful_basis": "lawfulBasis",
    "impacttoetsen": "impactAssessmentNotes",
    "source_data": "sourceData",
    "methods_and_models": "methodsAndModels",
}
# Register fields and the body fields that hold them unchanged.
_SAME = {
    "name": "name",
    "description_short": "shortDescription",
    "organization": "organisation",
    "website": "website",
    "url": "registerUrl",
    "process_index_url": "processingRegisterUrl",
    "provider": "supplier",
    "publiccode": "sourceCodeUrl",
    "source_id": "sourceId",
}


def body_from_entry(entry: RegisterEntry) -> Body:
    """The project record body of a validated register entry (wire form)."""
    body: Body = {wire: getattr(entry, name) for name, wire in _SAME.items()}
    body.update({wire: _plain(getattr(entry, name)) for name, wire in _TEXTS.items()})
    body["status"] = STATUS_FROM_REGISTER[entry.status]
    body["startDate"] = _first_of_month(entry.begin_date)
    body["endDate"] = _first_of_month(entry.end_date)
    body["policyAreas"] = list(entry.category)
    body["themes"] = _unique(THEME_OF_CATEGORY[area] for area in entry.category)
    if entry.contact_email:
        key = (
            "email"
            if "@" in entry.contact_email and "//" not in (entry.contact_email)
            else "url"
        )
        body["contact"] = {key: entry.contact_email}
    if entry.publication_category:
        body["publicationCategory"] = PUBLICATION_CATEGORY_FROM_REGISTER[
            entry.publication_category
        ]
    body["lawfulBasisLinks"] = [
        {"title": item.title, "url": item.link} for item in entry.lawful_basis_grouping
    ]
    body["sourceDataLinks"] = [
        {"title": item.title, "url": item.link} for item in entry.source_data_grouping
    ]
    body["impactAssessments"] = [
        _compact(
            {"type": assessment_type(item.title), "title": item.title, "url": item.link}
        )
        for item in entry.impacttoetsen_grouping
    ]
    body["tags"] = tags_split(entry.tags)
    return _compact(body)


def entry_from_body(body: Body, *, language: str) -> Entry:
    """The register entry (every field of standard 1.0) of a project record body
    in wire form; ``language`` is the record's ISO 639-1 language."""
    entry: Entry = dict.fromkeys(FIELDS)
    for name, wire in {**_SAME, **_TEXTS}.items():
        entry[name] = body.get(wire)
    entry["status"] = STATUS_TO_REGISTER.get(body.get("status", ""))
    entry["begin_date"] = _month(body.get("startDate"))
    entry["end_date"] = _month(body.get("endDate"))
    entry["category"] = (
        list(body.get("policyAreas") or [])
        or _unique(
            CATEGORY_OF_THEME[theme]
            for theme in body.get("themes", [])
            if theme in CATEGORY_OF_THEME
        )[:3]
    )
    contact = body.get("contact") or {}
    entry["contact_email"] = contact.get("email") or contact.get("url")
    category = body.get("publicationCategory") or _category_of_class(body)
    entry["publication_category"] = (
        PUBLICATION_CATEGORY_TO_REGISTER.get(category) if category else None
    )
    entry["lawful_basis_grouping"] = [
        {"title": link["title"], "link": link.get("url")}
        for link in body.get("lawfulBasisLinks", [])
    ]
    entry["source_data_grouping"] = [
        {"title": link["title"], "link": link.get("url")}
        for link in body.get("sourceDataLinks", [])
    ]
    entry["impacttoetsen_grouping"] = [
        _compact(
            {
                "title": item.get("title") or ASSESSMENT_TITLE[item["type"]],
                "link": item.get("url"),
            }
        )
        for item in body.get("impactAssessments", [])
    ]
    entry["lang"] = LANG_OF_LANGUAGE.get(language, language)
    entry["standard_version"] = STANDARD_VERSION
    entry["tags"] = ", ".join(body.get("tags", [])) or None
    return entry


def assessment_type(title: str) -> str:
    """The hubnet type (dpia, iama, fria, other) of an assessment's title."""
    lowered = title.casefold()
    if "dpia" in lowered or "data protection" in lowered:
        return "dpia"
    if "iama" in lowered or "mensenrechten" in lowered:
        return "iama"
    if "fria" in lowered or "grondrechten" in lowered or "fundamental" in lowered:
        return "fria"
    return "other"


def tags_split(text: str | None) -> list[str]:
    """The keywords of the register's comma-separated ``tags`` (plain text)."""
    if not text:
        return []
    return _unique(
        tag.strip()
        for tag in plain_text(text, paragraphs=True).replace("\n", ",").split(",")
    )


def _category_of_class(body: Body) -> str | None:
    # Only the AI Act's high-risk class settles the category; impactful or not
    # is the organisation's call.
    return "high-risk-ai-system" if body.get("aiActClass") == "high" else None


def _plain(value: str | None) -> str | None:
    return plain_text(value, paragraphs=True) if value else value


def _first_of_month(month: str | None) -> str | None:
    return f"{month}-01" if month else None


def _month(date: str | None) -> str | None:
    return date[:7] if date else None


def _unique(values: Any) -> list[Any]:
    seen: list[Any] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value
        for key, value in values.items()
        if value is not None and value != "" and value != []
    }
