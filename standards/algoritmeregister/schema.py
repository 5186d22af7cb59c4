"""An entry of the Dutch algorithm register, publication standard 1.0.

The register (https://algoritmes.overheid.nl) publishes one entry per algorithm
of a government organisation. Its publication standard 1.0 fixes the field
names, the required fields, the longest text per field and the closed value
lists. The definitions below are written from the register's own field
configuration, ``backend/app/schemas/config/v1_0.json`` (with the older
``v0_1_0.json``, ``v0_3_1.json`` and ``v0_4_0.json`` for the 0.x names) in the
repository ``MinBZK/Algoritmeregister``; nothing of that code is copied here.

``RegisterEntry`` validates an entry as the standard says: on export every entry
must pass it; on import an entry that fails it is skipped with the reason.
``legacy_translate`` turns an entry in the 0.x field names into a 1.0 entry plus
the hubnet page fields that 1.0 no longer has a place for.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from federation.vocabularies import PolicyArea

STANDARD_VERSION = "1.0"
# "1.0.0" is how some 1.0 exports spell the version.
STANDARD_VERSIONS = ("1.0", "1.0.0")

STATUSES = ("In ontwikkeling", "In gebruik", "Buiten gebruik")
PUBLICATION_CATEGORIES = (
    "Hoog-risico AI-systeem",
    "Impactvolle algoritmes",
    "Overige algoritmes",
)
# The register's policy areas ("thema"), as the vocabulary keeps them.
CATEGORIES = tuple(PolicyArea.values)
# The fields of standard 1.0, in the standard's order (``lars`` is the
# register's own id, assigned by the register: read, never written).
FIELDS = (
    "name",
    "description_short",
    "organization",
    "category",
    "status",
    "begin_date",
    "end_date",
    "contact_email",
    "website",
    "publication_category",
    "url",
    "goal",
    "proportionality",
    "human_intervention",
    "risks",
    "lawful_basis",
    "lawful_basis_grouping",
    "process_index_url",
    "impacttoetsen_grouping",
    "impacttoetsen",
    "source_data",
    "source_data_grouping",
    "methods_and_models",
    "provider",
    "publiccode",
    "lang",
    "standard_version",
    "source_id",
    "tags",
)
REGISTER_ONLY_FIELDS = ("lars",)

# The few HTML tags the standard allows in its longer texts.
ALLOWED_TAGS = frozenset({"div", "br", "p", "ul", "ol", "li"})
_TAG = re.compile(r"<\s*(?:/\s*)?([a-zA-Z][a-zA-Z0-9]*)")
# "<" then an optional "/" (white space either side), then a tag's first letter;
# one white-space run per side, so a long run is read once, not split two ways.
_MARKUP = re.compile(r"<\s*(?:/\s*)?[a-zA-Z!]|javascript:", re.IGNORECASE)
# The domain has a dot after its first character and before its last; the dot
# is the first one after the first character, so a run of dots is read once.
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>][^@\s<>.]*\.[^@\s<>]+$")
_MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
_HTTP_URL: TypeAdapter[HttpUrl] = TypeAdapter(HttpUrl)


def _plain(value: str) -> str:
    if _MARKUP.search(value):
        raise ValueError("markup is not allowed in this field")
    return value


def _limited_html(value: str) -> str:
    for tag in _TAG.findall(value):
        if tag.lower() not in ALLOWED_TAGS:
            allowed = ", ".join(sorted(ALLOWED_TAGS))
            raise ValueError(f"the tag <{tag}> is not allowed (only {allowed})")
    if "javascript:" in value.lower():
        raise ValueError("javascript: is not allowed")
    return value


def _url(value: str) -> str:
    # Checked as an http(s) URL, but kept as given: the register compares text.
    try:
        _HTTP_URL.validate_python(value)
    except ValidationError:
        raise ValueError(f"{value[:80]!r} is not an http(s) URL") from None
    return value


def _contact(value: str) -> str:
    if _EMAIL.match(value):
        return value
    try:
        return _url(value)
    except ValueError:
        raise ValueError(
            f"{value[:80]!r} is neither an e-mail address nor an http(s) URL"
        ) from None


def is_url(value: str) -> bool:
    """Whether ``value`` is an http(s) URL the standard accepts."""
    try:
        _url(value)
    except ValueError:
        return False
    return True


def is_contact(value: str) -> bool:
    """Whether ``value`` is an e-mail address or an http(s) URL."""
    return bool(_EMAIL.match(value)) or is_url(value)


def _text(max_length: int) -> Any:
    return Annotated[
        str, Field(min_length=1, max_length=max_length), AfterValidator(_plain)
    ]


def _html_text(max_length: int) -> Any:
    return Annotated[
        str, Field(min_length=1, max_length=max_length), AfterValidator(_limited_html)
    ]


RegisterUrl = Annotated[str, Field(max_length=500), AfterValidator(_url)]
Month = Annotated[str, Field(pattern=_MONTH)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class LawfulBasisLink(_Strict):
    """An item of ``lawful_basis_grouping``: a law and a link to its text."""

    title: _text(100)  # type: ignore[valid-type]
    link: RegisterUrl


class ImpactAssessmentLink(_Strict):
    """An item of ``impacttoetsen_grouping``: an assessment and, if public, a link."""

    # The standard sets no length here; the catalogue keeps at most 500.
    title: _text(500)  # type: ignore[valid-type]
    link: RegisterUrl | None = None


class SourceDataLink(_Strict):
    """An item of ``source_data_grouping``: a data source and a link to it."""

    title: _text(500)  # type: ignore[valid-type]
    link: RegisterUrl


class RegisterEntry(BaseModel):
    """One algorithm as publication standard 1.0 defines it.

    Required: name, description_short, organization, status, contact_email,
    publication_category and lang. Validated with ``context={"legacy": True}``
    (a translated 0.x entry), the fields 0.x did not have or did not require
    (publication_category, contact_email, lang) may be missing.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, populate_by_name=True
    )

    name: _text(100)  # type: ignore[valid-type]
    description_short: _text(350)  # type: ignore[valid-type]
    organization: _text(100)  # type: ignore[valid-type]
    category: Annotated[  # type: ignore[valid-type]
        list[Literal[CATEGORIES]], Field(max_length=3)
    ] = []
    status: Literal[STATUSES]  # type: ignore[valid-type]
    begin_date: Month | None = None
    end_date: Month | None = None
    contact_email: (
        Annotated[str, Field(max_length=500), AfterValidator(_contact)] | None
    ) = None
    website: RegisterUrl | None = None
    publication_category: Literal[PUBLICATION_CATEGORIES] | None = None  # type: ignore[valid-type]
    url: RegisterUrl | None = None
    goal: _html_text(2500) | None = None  # type: ignore[valid-type]
    proportionality: _html_text(2500) | None = None  # type: ignore[valid-type]
    human_intervention: _html_text(2500) | None = None  # type: ignore[valid-type]
    risks: _html_text(2500) | None = None  # type: ignore[valid-type]
    lawful_basis: _html_text(2500) | None = None  # type: ignore[valid-type]
    lawful_basis_grouping: Annotated[list[LawfulBasisLink], Field(max_length=50)] = []
    process_index_url: RegisterUrl | None = None
    impacttoetsen_grouping: Annotated[
        list[ImpactAssessmentLink], Field(max_length=20)
    ] = []
    impacttoetsen: _html_text(2500) | None = None  # type: ignore[valid-type]
    source_data: _html_text(2500) | None = None  # type: ignore[valid-type]
    source_data_grouping: Annotated[list[SourceDataLink], Field(max_length=50)] = []
    methods_and_models: _html_text(5000) | None = None  # type: ignore[valid-type]
    provider: _text(200) | None = None  # type: ignore[valid-type]
    publiccode: RegisterUrl | None = None
    lang: Literal["nld"] | None = None
    standard_version: Literal[STANDARD_VERSIONS] | None = None  # type: ignore[valid-type]
    source_id: _text(100) | None = None  # type: ignore[valid-type]
    tags: _html_text(2500) | None = None  # type: ignore[valid-type]
    lars: Annotated[str, Field(max_length=100)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _empty_is_missing(cls, data: Any) -> Any:
        # Exports write "" or null for a field left empty; both mean "not given".
        if isinstance(data, dict):
            return {
                key: value
                for key, value in data.items()
                if value is not None and value != "" and value != []
            }
        return data

    @model_validator(mode="after")
    def _required(self, info: ValidationInfo) -> RegisterEntry:
        legacy = bool(info.context and info.context.get("legacy"))
        missing = [
            name
            for name in ("publication_category", "contact_email", "lang")
            if getattr(self, name) is None
        ]
        if missing and not legacy:
            raise ValueError(f"required by standard 1.0: {', '.join(missing)}")
        if self.begin_date and self.end_date and self.end_date < self.begin_date:
            raise ValueError("end_date is before begin_date")
        return self


# The longest text per text field (the limits of RegisterEntry below).
TEXT_LIMITS = {
    "name": 100,
    "description_short": 350,
    "organization": 100,
    "goal": 2500,
    "proportionality": 2500,
    "human_intervention": 2500,
    "risks": 2500,
    "lawful_basis": 2500,
    "impacttoetsen": 2500,
    "source_data": 2500,
    "methods_and_models": 5000,
    "provider": 200,
    "source_id": 100,
    "tags": 2500,
}


def entry_problem(data: Any, *, legacy: bool = False) -> str | None:
    """Why ``data`` is not a valid 1.0 entry (None when it is)."""
    try:
        entry_validate(data, legacy=legacy)
    except EntryInvalid as error:
        return str(error)
    return None


def entry_validate(data: Any, *, legacy: bool = False) -> RegisterEntry:
    """``data`` as a validated 1.0 entry; raises ``EntryInvalid`` with the reason."""
    if not isinstance(data, dict):
        raise EntryInvalid(f"not a JSON object but {_json_type(data)}")
    try:
        return RegisterEntry.model_validate(data, context={"legacy": legacy})
    except ValidationError as error:
        raise EntryInvalid(_reason(error)) from None


class EntryInvalid(ValueError):
    """An entry breaks the standard; the message says where and why."""


def _json_type(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    return "a number" if isinstance(value, int | float) else type(value).__name__


def _reason(error: ValidationError) -> str:
    parts = []
    for problem in error.errors()[:6]:
        where = ".".join(str(part) for part in problem["loc"])
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "missing":
            message = "required"
        elif problem["type"] == "extra_forbidden":
            message = "not a field of the standard"
        elif where == "lang" and problem["type"] == "literal_error":
            # The register publishes Dutch entries only (standard 1.0).
            message = (
                f"the register takes entries in Dutch (nld) only, not "
                f"{problem['input']!r}; write the project in Dutch to publish it there"
            )
        parts.append(f"{where}: {message}" if where else message)
    more = error.error_count() - len(parts)
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)[:1000]
