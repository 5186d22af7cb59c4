"""The record: the one wire contract between hubs, the index and the exporters.

A record is an envelope (id, kind, origin, version, ...) and a body whose shape
depends on the kind. Every body that enters the catalogue store - published here
or received from a peer - is validated by these models; GraphQL types are derived
from them. Plain-text fields refuse markup; rich-text fields are sanitized.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from federation.record_fields import (
    RECORD_ID,
    SLUG,
    Keyword,
    Keywords,
    LongText,
    NutsCode,
    RecordRef,
    RichText,
    ShortText,
    Text,
    Url,
    _plain,
)
from federation.vocabularies.codes import (
    AccessRightsCode,
    AiActClassCode,
    AnnexIIIAreaCode,
    CourseModeCode,
    DecisionTypeCode,
    FundingProgrammeCode,
    HubLevelCode,
    HumanInfluenceCode,
    ImpactAssessmentTypeCode,
    ImpactLevelCode,
    MethodCode,
    OrganisationTypeCode,
    PersonalDataCode,
    ProjectStatusCode,
    PublicationCategoryCode,
    RightsImpactCode,
    SizeClassCode,
)
from federation.vocabularies.envelope import Kind

# The record schema's version. A hub accepts records of this version and every
# older one (fields added since have defaults); a newer record is refused, so the
# sync quarantines it with the reason until this hub is upgraded.
SCHEMA_VERSION = 4
# updatedAt is UTC within [2000-01-01, now + 1 day]: a small clock skew passes,
# dates no database stores the same way do not.
UPDATED_AT_EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
UPDATED_AT_AHEAD = dt.timedelta(days=1)


class _Model(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        str_max_length=20000,
    )


class Location(_Model):
    """A place: a point and the NUTS codes and country that contain it."""

    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    nuts: Annotated[list[NutsCode], Field(max_length=10)] = []
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    place: ShortText | None = None

    @model_validator(mode="after")
    def _point_complete(self) -> Location:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon go together")
        return self


class Contact(_Model):
    name: ShortText | None = None
    email: (
        Annotated[
            str, Field(max_length=254, pattern=r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
        ]
        | None
    ) = None
    url: Url | None = None


class Partner(_Model):
    organisation: RecordRef
    role: ShortText = "partner"


class Funding(_Model):
    programme: FundingProgrammeCode
    amount_eur: int | None = Field(default=None, ge=0, le=10**12)


class ImpactAssessment(_Model):
    type: ImpactAssessmentTypeCode
    # The assessment's own name, e.g. as the algorithm register gives it.
    title: Annotated[str, Field(max_length=500), AfterValidator(_plain)] | None = None
    date: dt.date | None = None
    url: Url | None = None
    summary: LongText | None = None


class Reference(_Model):
    """A titled link: a law, a data source (the algorithm register's groupings)."""

    title: Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_plain)]
    url: Url | None = None


References = Annotated[list[Reference], Field(max_length=50)]


class ProjectBody(_Model):
    """An AI project or algorithm in use (algorithm register standard superset)."""

    name: Text
    short_description: Annotated[str, Field(max_length=500), AfterValidator(_plain)]
    description: RichText = ""
    organisation: Text
    department: Text | None = None
    contact: Contact | None = None
    status: ProjectStatusCode
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    themes: Keywords = []
    sectors: Keywords = []
    technologies: Keywords = []
    trl: int | None = Field(default=None, ge=1, le=9)
    partners: Annotated[list[Partner], Field(max_length=100)] = []
    datasets: Annotated[list[RecordRef], Field(max_length=100)] = []
    funding: Annotated[list[Funding], Field(max_length=20)] = []
    goal: LongText | None = None
    proportionality: LongText | None = None
    human_intervention: LongText | None = None
    decision_type: DecisionTypeCode | None = None
    affected_groups: Keywords = []
    ai_act_class: AiActClassCode | None = None
    annex_iii_area: AnnexIIIAreaCode | None = None
    biometric_data: bool | None = None
    # The risk self-check's two municipal criteria and the impact they add up to
    # (schema version 2).
    human_influence: HumanInfluenceCode | None = None
    rights_impact: RightsImpactCode | None = None
    impact_level: ImpactLevelCode | None = None
    risks: LongText | None = None
    bias_and_protected_attributes: LongText | None = None
    lawful_basis: LongText | None = None
    objection_procedure: LongText | None = None
    impact_assessments: Annotated[list[ImpactAssessment], Field(max_length=20)] = []
    methods: MethodCode | None = None
    performance_and_monitoring: LongText | None = None
    supplier: Text | None = None
    procurement_clauses: bool | None = None
    # AI Act readiness of a high-risk system outside the restricted Annex III
    # areas (schema version 3): the provider's public EU database entry, and
    # whether the deployer's registration package is complete, its FRIA done
    # and notified. The texts behind them stay at the origin hub.
    ai_provider: Text | None = None
    eu_database_url: Url | None = None
    ai_act_package_complete: bool | None = None
    fria_performed: bool | None = None
    fria_notified: bool | None = None
    source_code_url: Url | None = None
    licence: (
        Annotated[str, Field(max_length=80, pattern=r"^[A-Za-z0-9.+\-() ]+$")] | None
    ) = None
    publicly_funded: bool | None = None
    location: Location | None = None
    # Algorithm register (publication standard 1.0) fields the above do not cover.
    publication_category: PublicationCategoryCode | None = None
    # The register's policy areas ("Verkeer", ...), as given: finer than themes.
    policy_areas: Annotated[list[Keyword], Field(max_length=3)] = []
    methods_and_models: LongText | None = None
    source_data: LongText | None = None
    source_data_links: References = []
    lawful_basis_links: References = []
    impact_assessment_notes: LongText | None = None
    website: Url | None = None
    register_url: Url | None = None
    processing_register_url: Url | None = None
    source_id: (
        Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_plain)]
        | None
    ) = None
    tags: Keywords = []

    @model_validator(mode="after")
    def _coherent(self) -> ProjectBody:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("endDate is before startDate")
        if self.ai_act_class == "high" and not self.annex_iii_area:
            raise ValueError("a high-risk project names its Annex III area")
        return self


class Distribution(_Model):
    access_url: Url
    download_url: Url | None = None
    format: ShortText | None = None
    media_type: (
        Annotated[str, Field(max_length=100, pattern=r"^[\w.+-]+/[\w.+-]+$")] | None
    ) = None
    byte_size: int | None = Field(default=None, ge=0)


class DatasetBody(_Model):
    """A dataset (DCAT-AP 3)."""

    title: Text
    description: RichText = ""
    publisher: Text
    contact: Contact | None = None
    keywords: Keywords = []
    themes: Keywords = []
    licence: Annotated[str, Field(max_length=80)] | None = None
    access_rights: AccessRightsCode
    b2g_sharing: bool | None = Field(default=None, alias="b2gSharing")
    temporal_start: dt.date | None = None
    temporal_end: dt.date | None = None
    frequency: ShortText | None = None
    distributions: Annotated[list[Distribution], Field(max_length=50)] = []
    personal_data: PersonalDataCode = "none"
    quality_notes: LongText | None = None
    location: Location | None = None
    # Where a harvested dataset came from (schema version 4): its page at the
    # source, or the source's URL and its identifier there.
    source: Url | None = None


class CourseBody(_Model):
    """A training course (schema.org Course, European Learning Model)."""

    title: Text
    description: RichText = ""
    provider: Text
    url: Url | None = None
    languages: Annotated[
        list[Annotated[str, Field(pattern=r"^[a-z]{2}$")]], Field(max_length=24)
    ] = []
    mode: CourseModeCode
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    workload_hours: int | None = Field(default=None, ge=0, le=10000)
    price_eur: float | None = Field(default=None, ge=0)
    eqf_level: int | None = Field(default=None, ge=1, le=8)
    isced_field: ShortText | None = None
    learning_outcomes: LongText | None = None
    credential: ShortText | None = None
    target_groups: Keywords = []
    school_level: ShortText | None = None
    location: Location | None = None


class OrganisationBody(_Model):
    """A partner organisation (quadruple helix), for partner search."""

    name: Text
    description: RichText = ""
    identifiers: Annotated[
        dict[Annotated[str, Field(pattern=r"^(ror|kvk|vat|other)$")], ShortText],
        Field(max_length=4),
    ] = {}
    type: OrganisationTypeCode
    size_class: SizeClassCode | None = None
    sectors: Keywords = []
    technologies: Keywords = []
    services: Keywords = []
    open_to_partnership: bool = False
    website: Url | None = None
    contact: Contact | None = None
    location: Location | None = None


BODY_MODELS: dict[Kind, type[_Model]] = {
    Kind.PROJECT: ProjectBody,
    Kind.DATASET: DatasetBody,
    Kind.COURSE: CourseBody,
    Kind.ORGANISATION: OrganisationBody,
}


# Validation context: the body is body_validate's output already.
BODY_VALID = "body_valid"


class Record(_Model):
    """The envelope and, unless it is a tombstone, the body."""

    id: Annotated[str, Field(max_length=200)]
    kind: Kind
    origin: Annotated[str, Field(pattern=rf"^{SLUG}$")]
    origin_path: Annotated[
        list[Annotated[str, Field(pattern=rf"^{SLUG}$")]],
        Field(min_length=1, max_length=8),
    ]
    # The origin hub's level, so searches can filter by level at any depth.
    origin_level: HubLevelCode | None = None
    version: int = Field(ge=1, le=2**62)
    updated_at: dt.datetime
    deleted: bool = False
    language: Annotated[str, Field(pattern=r"^[a-z]{2}$")] = "en"
    url: Url | None = None
    schema_version: int = Field(default=SCHEMA_VERSION, ge=1)
    body: dict[str, Any] | None = None
    # The origin's Ed25519 signature of the canonical form
    # (federation.signing.record_canonical), base64, and the id of its key.
    signature: Annotated[str, Field(max_length=100)] | None = None
    key_id: Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")] | None = None

    @field_validator("updated_at")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            raise ValueError("updatedAt needs a time zone")
        try:
            value = value.astimezone(dt.UTC)
        except OverflowError:
            raise ValueError("updatedAt is out of range") from None
        latest = dt.datetime.now(dt.UTC) + UPDATED_AT_AHEAD
        if not UPDATED_AT_EARLIEST <= value <= latest:
            raise ValueError(
                f"updatedAt {value.isoformat()} is outside "
                f"[{UPDATED_AT_EARLIEST.isoformat()}, now + 1 day]"
            )
        return value

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Record:
        match = RECORD_ID.match(self.id)
        if match is None:
            raise ValueError("id must be <origin>:<kind>:<uuid>")
        if match["origin"] != self.origin or match["kind"] != self.kind:
            raise ValueError("id does not match origin and kind")
        if self.origin_path[-1] != self.origin:
            raise ValueError("originPath must end with the origin")
        if self.schema_version > SCHEMA_VERSION:
            raise ValueError(
                f"schemaVersion {self.schema_version} is newer than {SCHEMA_VERSION}"
            )
        if self.deleted:
            if self.body is not None:
                raise ValueError("a tombstone carries no body")
        elif self.body is None:
            raise ValueError("a record that is not deleted needs a body")
        elif not (info.context or {}).get(BODY_VALID):
            try:
                validated = BODY_MODELS[self.kind].model_validate(self.body)
            except ValidationError as error:
                raise ValueError(_reason(error, prefix="body.")) from None
            object.__setattr__(self, "body", body_dump(validated))
        return self

    def wire(self) -> dict[str, Any]:
        """The JSON-ready wire form (camelCase, as peers and the index read it)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=False)


def body_dump(body: BaseModel) -> dict[str, Any]:
    """A body in its canonical wire form (camelCase, JSON types, no empty values)."""
    return body.model_dump(mode="json", by_alias=True, exclude_none=True)


def body_validate(*, kind: str, body: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise a body of ``kind``; raises ``RecordInvalid``."""
    try:
        return body_dump(BODY_MODELS[Kind(kind)].model_validate(body))
    except (ValidationError, ValueError) as error:
        raise RecordInvalid(_reason(error, prefix="body.")) from None


def record_validate(data: Any, *, body_valid: bool = False) -> Record:
    """Validate a record from the wire; raises ``RecordInvalid`` with a short
    reason. ``body_valid``: the body is ``body_validate``'s output for the
    record's kind (checked and normalised already), so it is not checked again."""
    if not isinstance(data, dict):
        raise RecordInvalid(
            f"a record must be a JSON object, got {type(data).__name__}"
        )
    try:
        return Record.model_validate(data, context={BODY_VALID: body_valid})
    except ValidationError as error:
        raise RecordInvalid(_reason(error)) from None


def content_hash(record: Record) -> str:
    """SHA-256 of the canonical JSON of what a version says (not when it arrived)."""
    canonical = json.dumps(
        {
            "id": record.id,
            "version": record.version,
            "deleted": record.deleted,
            "language": record.language,
            "url": str(record.url) if record.url else None,
            "body": record.body,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def record_id_new(*, origin: str, kind: str) -> str:
    return f"{origin}:{Kind(kind).value}:{uuid.uuid4()}"


class RecordInvalid(ValueError):
    """A record or body failed validation; the message is the reason to show."""


def _reason(error: ValidationError | ValueError, *, prefix: str = "") -> str:
    if not isinstance(error, ValidationError):
        return str(error)[:1000]
    parts = []
    for problem in error.errors()[:8]:
        where = ".".join(str(part) for part in problem["loc"])
        message = problem["msg"].removeprefix("Value error, ")
        parts.append(f"{prefix}{where}: {message}" if where else message)
    more = error.error_count() - len(parts)
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)[:1000]
