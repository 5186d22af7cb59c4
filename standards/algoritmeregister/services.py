"""Import from and export to the Dutch algorithm register (standard 1.0).

Import (``algoritmeregister_import``) turns each entry of a register export into
a *draft* project page under the hub's project index: a coordinator reviews it
(the AI Act class, for one, is theirs to confirm) and publishes it. Each entry
is imported on its own savepoint, so a broken entry is skipped with its reason
and the others still go in. An entry is found again by a stable key kept on the
page (``register_key``): its ``source_id`` within its organisation, else the
national register's id (``lars``, 0.x ``uuid``), else a hash of organisation
and name. The register is the Netherlands': a new page lies in NL, in the
importing hub's NUTS region when that hub is Dutch (the entry gives no place),
so the catalogue can be narrowed to it by country and region. Importing an entry
whose page already says the same writes nothing ("unchanged"); a changed entry
becomes a new draft revision ("updated").

Export (``algoritmeregister_entry`` / ``algoritmeregister_export``) maps this
hub's published project records to entries and validates each against the
standard: an entry that breaks it (a required field missing, a text too long,
a value outside a list) is refused with the reason, never written half.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from wagtail.signal_handlers import disable_reference_index_auto_update

from cms.mapping import PROJECT_FIELDS
from cms.models import (
    ProjectImpactAssessment,
    ProjectLawfulBasisLink,
    ProjectPage,
    ProjectSourceDataLink,
)
from federation.models import StoredRecord
from federation.records import RecordInvalid, body_validate
from hubs.identity import hub_identity
from standards.algoritmeregister.legacy import is_legacy, legacy_translate
from standards.algoritmeregister.mapping import (
    Entry,
    body_from_entry,
    entry_from_body,
)
from standards.algoritmeregister.schema import (
    FIELDS,
    REGISTER_ONLY_FIELDS,
    EntryInvalid,
    entry_validate,
)
from standards.algoritmeregister.selectors import (
    project_index_get,
    project_page_by_key,
)

Outcome = Literal["created", "updated", "unchanged", "skipped"]
# Body fields an import sets on a page (the register's fields); others, such as
# the AI Act class or partners, stay as the coordinator left them.
IMPORTED_WIRE_FIELDS = (
    "name",
    "shortDescription",
    "organisation",
    "status",
    "startDate",
    "endDate",
    "policyAreas",
    "publicationCategory",
    "website",
    "registerUrl",
    "processingRegisterUrl",
    "goal",
    "proportionality",
    "humanIntervention",
    "risks",
    "lawfulBasis",
    "impactAssessmentNotes",
    "sourceData",
    "methodsAndModels",
    "supplier",
    "sourceCodeUrl",
    "sourceId",
    "tags",
)
# Page fields a 0.x entry may also set (see ``legacy``).
LEGACY_PAGE_FIELDS = (
    "department",
    "objection_procedure",
    "performance_and_monitoring",
    "description",
    "methods",
)
# Page fields whose order means nothing (sets of choices).
UNORDERED_FIELDS = frozenset({"policy_areas", "themes"})
CHILDREN = {
    "impact_assessments": ("assessment_type", "title", "url"),
    "lawful_basis_links": ("title", "url"),
    "source_data_links": ("title", "url"),
}


@dataclass(frozen=True)
class ImportLine:
    """What happened to one entry of an import."""

    position: int
    outcome: Outcome
    name: str = ""
    reason: str = ""
    page_id: int | None = None
    notes: tuple[str, ...] = ()

    def text(self) -> str:
        """One line of the printed report."""
        label = f"#{self.position}"
        name = f" “{self.name}”" if self.name else ""
        if self.outcome == "skipped":
            return f"{label}{name} skipped: {self.reason}"
        page = f" (page {self.page_id})" if self.page_id else ""
        notes = f" [{'; '.join(self.notes)}]" if self.notes else ""
        return f"{label}{name} {self.outcome}{page}{notes}"


@dataclass
class ImportReport:
    """The outcome of every entry, in file order."""

    lines: list[ImportLine] = field(default_factory=list)
    dry_run: bool = False

    def count(self, outcome: Outcome) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)

    @property
    def ok(self) -> bool:
        """True when no entry was skipped."""
        return self.count("skipped") == 0

    def summary(self) -> str:
        counts = ", ".join(
            f"{self.count(outcome)} {outcome}" for outcome in get_args(Outcome)
        )
        dry = " (dry run: nothing written)" if self.dry_run else ""
        return f"{len(self.lines)} entries: {counts}{dry}"


@dataclass
class ExportResult:
    """Entries that meet the standard, and the records refused with reasons."""

    entries: list[Entry] = field(default_factory=list)
    refused: list[dict[str, str]] = field(default_factory=list)


# The Dutch algorithm register's organisations are Dutch.
REGISTER_COUNTRY = "NL"


class _Rollback(Exception):
    """Undo a dry-run entry's writes (raised inside its savepoint)."""


def algoritmeregister_import(
    *,
    entries: Iterable[Any],
    user: AbstractBaseUser | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import register entries (1.0 or 0.x) as draft project pages; see the
    module docstring. ``dry_run`` reports the same outcomes and writes nothing."""
    report = ImportReport(dry_run=dry_run)
    # A dry run's writes are rolled back: Wagtail's reference index of them
    # (a quarter of the time, measured on a real export) is work for nothing.
    with disable_reference_index_auto_update() if dry_run else nullcontext():
        for position, data in enumerate(entries, start=1):
            report.lines.append(_entry_outcome(position, data, user, dry_run=dry_run))
    return report


def _entry_outcome(
    position: int, data: Any, user: AbstractBaseUser | None, *, dry_run: bool
) -> ImportLine:
    try:
        with transaction.atomic():
            line = _entry_import(position, data, user=user)
            if dry_run:
                raise _Rollback
    except _Rollback:
        if line.outcome == "created":
            # The page was rolled back: its id means nothing.
            line = replace(line, page_id=None)
    except (EntryInvalid, RecordInvalid) as error:
        line = ImportLine(position, "skipped", _name(data), str(error))
    except ValidationError as error:
        line = ImportLine(position, "skipped", _name(data), _messages(error))
    except IntegrityError:
        # Another import created the same entry's page at the same moment.
        line = ImportLine(
            position, "skipped", _name(data), "imported concurrently; run again"
        )
    return line


def algoritmeregister_entry(*, stored: StoredRecord) -> Entry:
    """The register entry of a published project record; raises
    ``EntryInvalid`` when it breaks the standard (the reason says where)."""
    entry = entry_from_body(stored.body or {}, language=stored.language)
    entry_validate(entry)
    return entry


def algoritmeregister_export(*, records: Iterable[StoredRecord]) -> ExportResult:
    """Entries of ``records`` that meet the standard; the others refused."""
    result = ExportResult()
    for stored in records:
        try:
            result.entries.append(algoritmeregister_entry(stored=stored))
        except EntryInvalid as error:
            result.refused.append(
                {"id": stored.record_id, "name": stored.title, "reason": str(error)}
            )
    return result


def algoritmeregister_entries_parse(*, data: Any) -> list[Any]:
    """The entries of a parsed register file: an array of entries, one entry,
    or a page of this hub's export (``{"results": [...]}``)."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return data["results"]
    return [data]


def register_key(*, entry: Entry, national_id: str | None = None) -> str:
    """The stable key of an entry: its source id within its organisation, else
    the national register's id (``lars`` in 1.0, ``uuid`` in 0.x), else a hash
    of organisation and name."""
    organisation = str(entry.get("organization") or "").strip().casefold()
    if entry.get("source_id"):
        return "source-id:" + _digest(organisation, str(entry["source_id"]).strip())
    if national_id:
        return f"register-id:{national_id.strip()[:80]}"
    name = str(entry.get("name") or "").strip().casefold()
    return "name:" + _digest(organisation, name)


def _entry_import(
    position: int, data: Any, *, user: AbstractBaseUser | None
) -> ImportLine:
    if not isinstance(data, dict):
        entry_validate(data)  # raises with "not a JSON object"
    notes: list[str] = []
    extra_values: dict[str, Any] = {}
    national_id: str | None = None
    full_texts: dict[str, str] = {}
    legacy = is_legacy(data)
    if legacy:
        translated = legacy_translate(data)
        given, extra_values = translated.entry, translated.page_values
        national_id = translated.uuid
        full_texts = translated.full_texts
        notes += ["standard 0.x", *translated.notes]
    else:
        given = dict(data)
        unknown = sorted(set(given) - set(FIELDS) - set(REGISTER_ONLY_FIELDS))
        for name in unknown:
            given.pop(name)
        if unknown:
            notes.append(f"ignored {', '.join(unknown)}: not in standard 1.0")
    entry = entry_validate(given, legacy=legacy)
    # A 0.x text longer than 1.0 allows is kept whole (the catalogue's limits
    # apply); it was cut only to check the rest of the entry.
    entry = entry.model_copy(update=full_texts)
    # The catalogue must accept the body too; its normal form (e.g. of URLs) is
    # what the page keeps, so what is published and exported is what is stored.
    body = body_validate(kind="project", body=body_from_entry(entry))
    values, children = _page_values(body)
    if legacy:
        for name in LEGACY_PAGE_FIELDS:
            values[name] = extra_values.get(name, _blank(name))
    key = register_key(entry=entry.model_dump(), national_id=national_id or entry.lars)
    page = project_page_by_key(key=key)
    if page is None:
        page = _page_create(key=key, values=values, children=children, user=user)
        return ImportLine(position, "created", entry.name, "", page.pk, tuple(notes))
    current = page.get_latest_revision_as_object()
    if _same(current, values, children):
        return ImportLine(position, "unchanged", entry.name, "", page.pk, tuple(notes))
    _apply(current, values, children)
    current.save_revision(user=user, log_action=True)
    return ImportLine(position, "updated", entry.name, "", page.pk, tuple(notes))


def _page_create(
    *,
    key: str,
    values: dict[str, Any],
    children: dict[str, list[tuple[Any, ...]]],
    user: AbstractBaseUser | None,
) -> ProjectPage:
    index = project_index_get()
    if index is None:
        raise EntryInvalid("this hub has no project index page to import into")
    # The importing user is an AUTH_USER_MODEL instance (never anonymous).
    page = ProjectPage(live=False, register_key=key, owner=user)  # type: ignore[misc]
    _apply(page, values, children)
    page.nuts_codes = _hub_region()
    index.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    return page


def _page_values(
    body: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, list[tuple[Any, ...]]]]:
    values: dict[str, Any] = {
        PROJECT_FIELDS[wire]: _page_value(PROJECT_FIELDS[wire], body.get(wire))
        for wire in IMPORTED_WIRE_FIELDS
    }
    if body.get("themes"):
        # Derived from the policy areas; without them the page's themes stay.
        values["themes"] = body["themes"]
    contact = body.get("contact") or {}
    values["contact_email"] = contact.get("email", "")
    values["contact_url"] = contact.get("url", "")
    values["language"] = "nl"  # the register's only language (lang "nld")
    values["country"] = REGISTER_COUNTRY
    children: dict[str, list[tuple[Any, ...]]] = {
        "impact_assessments": [
            (item["type"], item.get("title", ""), item.get("url", ""))
            for item in body.get("impactAssessments", [])
        ],
        "lawful_basis_links": [
            (item["title"], item.get("url", ""))
            for item in body.get("lawfulBasisLinks", [])
        ],
        "source_data_links": [
            (item["title"], item.get("url", ""))
            for item in body.get("sourceDataLinks", [])
        ],
    }
    return values, children


def _hub_region() -> list[str]:
    """The importing hub's NUTS region when it lies in the register's country:
    the best place a new page has (a coordinator can make it finer)."""
    nuts = hub_identity().nuts
    return [nuts] if nuts and nuts.startswith(REGISTER_COUNTRY) else []


def _page_value(attribute: str, value: Any) -> Any:
    if value is None:
        return _blank(attribute)
    if isinstance(ProjectPage._meta.get_field(attribute), models.DateField):
        return dt.date.fromisoformat(value)
    return value


def _blank(attribute: str) -> Any:
    model_field = ProjectPage._meta.get_field(attribute)
    if isinstance(model_field, models.JSONField):
        return []
    return None if getattr(model_field, "null", False) else ""


def _same(
    page: ProjectPage,
    values: dict[str, Any],
    children: dict[str, list[tuple[Any, ...]]],
) -> bool:
    for name, value in values.items():
        current = getattr(page, name)
        if name in UNORDERED_FIELDS:
            # The admin's checkboxes keep choices in the vocabulary's order.
            current, value = sorted(current), sorted(value)
        if current != value:
            return False
    return all(_rows(page, relation) == rows for relation, rows in children.items())


def _rows(page: ProjectPage, relation: str) -> list[tuple[Any, ...]]:
    columns = CHILDREN[relation]
    return [
        tuple(getattr(row, column) for column in columns)
        for row in getattr(page, relation).all()
    ]


def _apply(
    page: ProjectPage,
    values: dict[str, Any],
    children: dict[str, list[tuple[Any, ...]]],
) -> None:
    for name, value in values.items():
        setattr(page, name, value)
    if values.get("title"):
        page.draft_title = values["title"]
    # A relation is replaced only when it differs, so what a coordinator added
    # to an assessment (its date, its summary) stays while the entry agrees.
    # Each row gets its position: rows without one are read back in whatever
    # order the table holds them, and the export's order would follow.
    if _rows(page, "impact_assessments") != children["impact_assessments"]:
        page.impact_assessments = [  # type: ignore[misc]
            ProjectImpactAssessment(
                assessment_type=kind, title=title, url=url, sort_order=position
            )
            for position, (kind, title, url) in enumerate(
                children["impact_assessments"]
            )
        ]
    if _rows(page, "lawful_basis_links") != children["lawful_basis_links"]:
        page.lawful_basis_links = [  # type: ignore[misc]
            ProjectLawfulBasisLink(title=title, url=url, sort_order=position)
            for position, (title, url) in enumerate(children["lawful_basis_links"])
        ]
    if _rows(page, "source_data_links") != children["source_data_links"]:
        page.source_data_links = [  # type: ignore[misc]
            ProjectSourceDataLink(title=title, url=url, sort_order=position)
            for position, (title, url) in enumerate(children["source_data_links"])
        ]


def _name(data: Any) -> str:
    if isinstance(data, dict) and isinstance(data.get("name"), str):
        return data["name"].strip()[:100]
    return ""


def _messages(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        )[:1000]
    return " ".join(error.messages)[:1000]


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]
