"""Entries of the algorithm register's 0.x standards, in 1.0 terms.

Register exports from before 1.0 (standards 0.1 to 0.4, see the sources named
in ``standards.algoritmeregister.schema``) used other names and shapes for some
fields: ``impact`` next to ``goal``, ``type`` (rule-based or self-learning),
``iama``/``dpia`` flags with descriptions, single ``lawful_basis_link`` and
``source_data_link`` values, a free-text ``category``, ``uuid`` (the national
register's id), and fields 1.0 dropped (``department``, ``objection_procedure``,
``monitoring``, ``performance_standard``, ...). ``legacy_translate`` gives the
1.0 entry, the hubnet page fields 1.0 has no place for but hubnet has, and a
note for every value that could not be carried over.

Real 0.x exports also leave out the status (0.1 has none), write the language
as "Nederlands", put free text in URL fields and have no length limits: a
missing status is taken as in use, URL fields keep the link they hold (or are
dropped with a note), and texts longer than 1.0 allows are kept whole for the
page (``full_texts``) while the entry checked against 1.0 holds them cut.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from federation.text import plain_text
from standards.algoritmeregister.mapping import assessment_type
from standards.algoritmeregister.schema import (
    CATEGORIES,
    FIELDS,
    TEXT_LIMITS,
    is_contact,
    is_url,
)

# Fields only the 0.x standards have: any of them marks an entry as 0.x.
LEGACY_ONLY_FIELDS = frozenset(
    {
        "department",
        "type",
        "impact",
        "decision_making_process",
        "documentation",
        "description",
        "application_url",
        "mprd",
        "monitoring",
        "performance_standard",
        "competent_authority",
        "iama",
        "iama_description",
        "dpia",
        "dpia_description",
        "objection_procedure",
        "uuid",
        "area",
        "revision_date",
        "lawful_basis_link",
        "source_data_link",
    }
)
# Fields 1.0 and hubnet have no place for; their values are named in the notes.
DROPPED_FIELDS = ("competent_authority", "application_url", "mprd", "area")
# 0.4 policy areas renamed in 1.0; "Landbouw" has no own area any more.
CATEGORY_RENAMED = {
    "Bestuur": "Organisatie en bedrijfsvoering",
    "Financiën": "Overheidsfinanciën",
    "Huisvesting": "Wonen",
    "Landbouw": "Natuur en milieu",
    "Veiligheid en handhaving": "Openbare orde en veiligheid",
    "Infrastructuur": "Ruimte en infrastructuur",
}
ASSESSMENT_TITLES = {
    "dpia": "Data Protection Impact Assessment (DPIA)",
    "iama": "Impact Assessment Mensenrechten en Algoritmes (IAMA)",
}
_URL = re.compile(r"https?://[^\s,;<>\"]+")
# Labels only: words, each followed by at most one colon and then at most one
# comma, with any white space between. Possessive, so that a text that fails
# (a sentence ending in a full stop) fails at once instead of trying every way
# to split its words.
_LABELS_ONLY = re.compile(r"(?:\w++\s*+:?\s*+,?\s*+)*+")
# 0.x statuses (some registers wrote their own words) in 1.0 terms.
STATUS_RENAMED = {
    "in ontwikkeling": "In ontwikkeling",
    "in gebruik": "In gebruik",
    "buiten gebruik": "Buiten gebruik",
    "actief": "In gebruik",
    "in productie": "In gebruik",
    "gestopt": "Buiten gebruik",
}
# 0.x language values meaning Dutch (1.0 says "nld").
DUTCH = frozenset({"nld", "nl", "nederlands", "dutch"})
URL_FIELDS = ("website", "url", "process_index_url", "publiccode")
# A link in angle brackets (<https://...>), as some exports write them.
_AUTOLINK = re.compile(r"<(https?://[^\s<>\"]+)>")
# 0.x ``type`` values (the registers wrote them in several ways).
_SELF_LEARNING = {
    "zelflerend": "self-learning",
    "ja": "self-learning",
    "self-learning": "self-learning",
    "supervised learning": "self-learning",
    "machine learning": "self-learning",
}
_RULE_BASED = {
    "regelgebaseerd": "rule-based",
    "nee": "rule-based",
    "op regels gebaseerd": "rule-based",
    "rule based": "rule-based",
    "rule-based": "rule-based",
}


@dataclass
class Translated:
    """A 0.x entry in 1.0 terms, plus what only hubnet keeps."""

    entry: dict[str, Any]
    # hubnet page attribute -> value (department, objection procedure, ...)
    page_values: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # The national register's id (0.x ``uuid``): a stable key for re-imports.
    uuid: str | None = None
    # Texts longer than 1.0 allows, whole (the entry holds them cut to fit).
    full_texts: dict[str, str] = field(default_factory=dict)


def is_legacy(data: dict[str, Any]) -> bool:
    """Whether ``data`` is written in a 0.x standard's field names."""
    version = str(data.get("standard_version") or "")
    return (
        version.startswith("0.")
        or bool(LEGACY_ONLY_FIELDS & data.keys())
        or isinstance(data.get("category"), str)
        or isinstance(data.get("impacttoetsen"), list)
    )


def legacy_translate(data: dict[str, Any]) -> Translated:
    """The 1.0 entry of 0.x entry ``data`` (see the module docstring)."""
    given = {key: value for key, value in data.items() if _given(value)}
    entry = {key: given[key] for key in FIELDS if key in given}
    entry.pop("impacttoetsen", None)
    entry.pop("category", None)
    entry.pop("standard_version", None)
    result = Translated(entry=entry, uuid=_text(given.get("uuid")) or None)

    _goal(given, result)
    _category(given, result)
    _method(given, result)
    _lawful_basis(given, result)
    _assessments(given, result)
    _source_data(given, result)
    _page_only(given, result)
    if given.get("documentation") and "website" not in entry:
        entry["website"] = _text(given["documentation"])
    elif given.get("documentation"):
        result.notes.append("documentation dropped (website is given)")
    for name in DROPPED_FIELDS:
        if name in given:
            result.notes.append(f"{name} dropped (no such field in 1.0)")
    _status(given, result)
    _lang(given, result)
    _links(result)
    _short_description(result)
    _overlong(result)
    return result


def _status(given: dict[str, Any], result: Translated) -> None:
    raw = _text(given.get("status"))
    if not raw:
        # Standard 0.1 has no status; its registers listed algorithms in use.
        result.entry["status"] = "In gebruik"
        result.notes.append("status not given (0.1 has none): taken as In gebruik")
        return
    status = STATUS_RENAMED.get(raw.casefold(), raw)
    result.entry["status"] = status
    if status.casefold() != raw.casefold():
        result.notes.append(f"status {raw!r} taken as {status!r}")


def _lang(given: dict[str, Any], result: Translated) -> None:
    if _text(given.get("lang")).casefold() in DUTCH:
        result.entry["lang"] = "nld"


def _links(result: Translated) -> None:
    """URL fields as bare URLs, links in angle brackets unwrapped; a value
    that holds no URL is dropped with a note."""
    entry = result.entry
    for name, value in list(entry.items()):
        if isinstance(value, str) and "<http" in value:
            entry[name] = _AUTOLINK.sub(r"\1", value)
    for name in URL_FIELDS:
        text = _text(entry.get(name))
        if not text:
            entry.pop(name, None)
        elif is_url(text):
            entry[name] = text
        elif is_url(f"https://{text}") and text.casefold().startswith("www."):
            entry[name] = f"https://{text}"
        elif links := _URL.findall(text):
            entry[name] = links[0]
            result.notes.append(f"{name}: only the link of {_quoted(text)} kept")
        else:
            entry.pop(name)
            result.notes.append(f"{name} {_quoted(text)} dropped (no http(s) URL)")
    contact = _text(entry.get("contact_email"))
    if contact and not is_contact(contact):
        entry.pop("contact_email")
        result.notes.append(
            f"contact_email {_quoted(contact)} dropped "
            "(neither an e-mail address nor an http(s) URL)"
        )


def _short_description(result: Translated) -> None:
    # 0.x had no limit; 1.0 allows 350 characters. The whole text goes to the
    # page's description, so nothing is lost.
    text = _text(result.entry.get("description_short"))
    limit = TEXT_LIMITS["description_short"]
    if len(text) <= limit:
        return
    result.entry["description_short"] = _cut(text, limit)
    description = _text(result.page_values.get("description"))
    plain = plain_text(description, paragraphs=True)
    if " ".join(text.split()) not in " ".join(plain.split()):
        result.page_values["description"] = _paragraphs(text) + description
    result.notes.append(
        f"description_short cut to {limit} characters (the whole text is in the "
        "description)"
    )


def _overlong(result: Translated) -> None:
    # Texts longer than 1.0 allows stay whole on the page (the catalogue takes
    # them); the export refuses them until they are shortened.
    for name, limit in TEXT_LIMITS.items():
        text = _text(result.entry.get(name))
        if len(text) > limit:
            result.full_texts[name] = text
            result.entry[name] = _cut(text, limit)
            result.notes.append(
                f"{name} longer than 1.0 allows ({len(text)} > {limit} characters): "
                "kept whole, shorten it before exporting to the register"
            )


def _cut(text: str, limit: int) -> str:
    head = text[: limit - 1]
    if " " in head:
        head = head.rsplit(" ", 1)[0]
    return f"{head.rstrip(' ,;:-')}…"


def _quoted(text: str) -> str:
    return repr(text if len(text) <= 80 else f"{text[:79]}…")


def _paragraphs(text: str) -> str:
    # White space folded as HTML shows it, and quotes left as they are: the
    # page stores rich text in that normal form, so a re-import sees no change.
    return "".join(
        f"<p>{html.escape(' '.join(paragraph.split()), quote=False)}</p>"
        for paragraph in text.split("\n\n")
        if paragraph.strip()
    )


def _goal(given: dict[str, Any], result: Translated) -> None:
    parts = [
        _text(given.get("goal")),
        _text(given.get("impact")),
        _labelled("Proces", given.get("decision_making_process")),
    ]
    goal = "\n\n".join(part for part in parts if part)
    if goal:
        result.entry["goal"] = goal


def _category(given: dict[str, Any], result: Translated) -> None:
    raw = given.get("category")
    values = raw if isinstance(raw, list) else re.split(r"[,;]", _text(raw))
    known = {value.casefold(): value for value in CATEGORIES}
    renamed = {old.casefold(): new for old, new in CATEGORY_RENAMED.items()}
    categories: list[str] = []
    tags: list[str] = []
    for value in (str(item).strip() for item in values):
        if not value:
            continue
        category = known.get(value.casefold()) or renamed.get(value.casefold())
        if category and category not in categories and len(categories) < 3:
            categories.append(category)
        elif not category or category not in categories:
            tags.append(value)
    if categories:
        result.entry["category"] = categories
    if tags:
        existing = _text(given.get("tags"))
        result.entry["tags"] = ", ".join([*([existing] if existing else []), *tags])
        result.notes.append(f"category {', '.join(tags)} kept as tags")


def _method(given: dict[str, Any], result: Translated) -> None:
    text = _text(given.get("type"))
    kind = text.rstrip(". ").casefold()
    method = _SELF_LEARNING.get(kind) or _RULE_BASED.get(kind)
    if not kind:
        return
    if method is None:
        # A description of its own: kept in the technical description.
        existing = _text(given.get("methods_and_models"))
        result.entry["methods_and_models"] = f"{text}\n\n{existing}".strip()
        result.notes.append(f"type {_quoted(text)} kept in methods_and_models")
        return
    result.page_values["methods"] = method
    # 1.0 asks the technical description to say whether it is self-learning.
    label = "Zelflerend." if method == "self-learning" else "Regelgebaseerd."
    existing = _text(given.get("methods_and_models"))
    result.entry["methods_and_models"] = f"{label} {existing}".strip()


def _lawful_basis(given: dict[str, Any], result: Translated) -> None:
    _grouped_links(given, result, field="lawful_basis", title="Wettelijke basis")


def _grouped_links(
    given: dict[str, Any], result: Translated, *, field: str, title: str
) -> None:
    """The URLs in the 0.x ``<field>_link`` text as the 1.0 ``<field>_grouping``
    list, each under ``title``."""
    links = _URL.findall(_text(given.get(f"{field}_link")))
    if links:
        result.entry[f"{field}_grouping"] = [
            {"title": title, "link": link} for link in links
        ]


def _assessments(given: dict[str, Any], result: Translated) -> None:
    items: dict[str, dict[str, str]] = {}
    notes: list[str] = []
    names = given.get("impacttoetsen")
    for name in names if isinstance(names, list) else []:
        title = _text(name)
        if title:
            items.setdefault(_assessment_kind(title), {"title": title})
    for kind in ("iama", "dpia"):
        flag = _text(given.get(kind)).casefold()
        description = _text(given.get(f"{kind}_description"))
        if flag == "ja":
            items.setdefault(kind, {"title": ASSESSMENT_TITLES[kind]})
        # 0.4: "DPIA: https://..., IAMA: https://..."; 0.1-0.3: a link or a text.
        for label, link in re.findall(
            # A label starts at a word's start (as before: it runs to the
            # word's end either way), so a long word is read once.
            r"(?:\b(\w+)\s*:\s*)?(https?://[^\s,;]+)",
            description,
        ):
            target = _assessment_kind(label) if label else kind
            items.setdefault(target, {"title": ASSESSMENT_TITLES.get(target, label)})
            items[target]["link"] = link
        text = _URL.sub("", description).strip(" ,:;")
        if text and not _LABELS_ONLY.fullmatch(text):
            notes.append(f"{kind.upper()}: {plain_text(text, paragraphs=True)}")
    if items:
        result.entry["impacttoetsen_grouping"] = list(items.values())
    if notes:
        result.entry["impacttoetsen"] = "\n\n".join(notes)


def _source_data(given: dict[str, Any], result: Translated) -> None:
    _grouped_links(given, result, field="source_data", title="Gegevensbron")


def _page_only(given: dict[str, Any], result: Translated) -> None:
    values = result.page_values
    if _text(given.get("department")):
        values["department"] = _text(given["department"])
    if _text(given.get("objection_procedure")):
        values["objection_procedure"] = plain_text(
            _text(given["objection_procedure"]), paragraphs=True
        )
    monitoring = "\n\n".join(
        plain_text(_text(given.get(name)), paragraphs=True)
        for name in ("monitoring", "performance_standard")
        if _text(given.get(name))
    )
    if monitoring:
        values["performance_and_monitoring"] = monitoring
    description = plain_text(_text(given.get("description")), paragraphs=True)
    if description:
        values["description"] = _paragraphs(description)


def _assessment_kind(title: str) -> str:
    # One item per known type; assessments of no known type are told apart by
    # their title.
    kind = assessment_type(title)
    return title.casefold() if kind == "other" else kind


def _labelled(label: str, value: Any) -> str:
    text = _text(value)
    return f"{label}: {text}" if text else ""


def _text(value: Any) -> str:
    return str(value).strip() if _given(value) else ""


def _given(value: Any) -> bool:
    return value is not None and value != "" and value != []
