"""The shared index: its mapping, analysis settings and the names of its indices.

One alias (``settings.SEARCH_INDEX_ALIAS``, ``catalogue``) points at exactly one
physical index named ``<alias>-v<INDEX_VERSION>-<UTC timestamp>``; a rebuild
(``search.rebuild``) writes a new physical index and swaps the alias. The very first
index of a fresh cluster has the fixed name ``<alias>-v<INDEX_VERSION>-initial``:
every hub of the network may bootstrap the shared index at the same moment, and a
fixed name makes those creations converge on one index (creating an existing index
fails harmlessly) instead of leaving the alias over two indices.

The mapping is defined with ``elasticsearch.dsl`` and sent as ``to_dict()`` through
the engine adapter. Field names follow the record's wire names (camelCase). What a
document holds is built by ``search.documents``:

- envelope: ``id``, ``kind``, ``origin``, ``originPath`` (a hub and its ancestors, so
  "a hub and everything under it" is a term filter), ``level``, ``language``,
  ``version``, ``updatedAt``, ``deleted``, ``indexedAt``;
- place: ``country`` (ISO), ``nuts`` (every code with its ancestors: NL414 → NL,
  NL4, NL41, NL414), ``nuts1``/``nuts2``/``nuts3`` (the same codes split by level,
  for drill-down facets) and ``location`` (geo_point);
- text: ``title``, ``summary``, ``description``, ``expertise`` (keywords, themes,
  sectors, technologies, services as text) and ``organisation`` with a
  language-neutral analyzer (``folding``) for every record, plus
  ``i18n.<lang>.title|summary|description`` analysed for the record's language
  (en, nl, de, fr) - only the record's own language is filled, so an English text
  is never stemmed as Dutch; ``titleSuggest`` (search_as_you_type) for
  autocomplete; ``title.sort`` for sorting by title;
- facets: keyword, integer and boolean fields listed in ``FACET_FIELDS``;
  ``disclosures`` names the transparency items a project publishes
  (``search.documents.DISCLOSURES``); ``funding`` holds the funding lines
  (nested: programme and amountEur) for sums per programme;
- ``record``: the wire record, stored in ``_source`` but not indexed, so results
  render without a database round trip at any hub.

Dutch uses a custom analyzer with the Kraaij-Pohlmann stemmer (``dutch_kp``):
Lucene's ``dutch`` (Porter) stemmer leaves "algoritmes" and "algoritme" apart.
Elasticsearch 9 (Lucene 10) dropped ``dutch_kp``; there the ``dutch`` stemmer is
used (see ``DUTCH_STEMMER``).

``dynamic`` is false: a field a newer hub version adds is kept in ``_source`` and
ignored by older mappings instead of failing their writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from elasticsearch.dsl import (
    Boolean,
    Date,
    GeoPoint,
    Index,
    Integer,
    Keyword,
    Long,
    Mapping,
    Nested,
    Object,
    SearchAsYouType,
    Text,
    analyzer,
    normalizer,
    token_filter,
)

from federation.vocabularies import HUB_LEVELS
from search.embeddings.vectors import vector_fields, vector_index_settings, vector_meta

# Bump when the mapping changes; `hubnet search reindex` then builds a new index.
INDEX_VERSION = 3
BOOTSTRAP_SUFFIX = "initial"

LANGUAGES = ("en", "nl", "de", "fr")
LEVELS = HUB_LEVELS
DUTCH_STEMMER = {"opensearch": "dutch_kp", "elasticsearch": "dutch"}

# Facet fields of the index, by their type. Keyword facets hold record values as
# published (no case folding: the values are mostly enumerations).
# Keyword facets that ``search.documents`` derives from the record as a whole.
DERIVED_KEYWORD_FACETS = (
    "kind",
    "origin",
    "level",
    "language",
    "country",
    "nuts1",
    "nuts2",
    "nuts3",
    "fundingProgrammes",
    # a project's impact assessment types (DPIA, IAMA, ...)
    "impactAssessmentTypes",
    "disclosures",
)
# Keyword facets that are body fields of the same name, copied as they are.
BODY_KEYWORD_FACETS = (
    "themes",
    "sectors",
    "technologies",
    "keywords",
    "services",
    "targetGroups",
    "affectedGroups",
    "aiActClass",
    "annexIiiArea",
    "status",
    "accessRights",
    "personalData",
    "type",
    "sizeClass",
    "mode",
    "decisionType",
    "impactLevel",
    "humanInfluence",
    "rightsImpact",
    "schoolLevel",
    "licence",
)
KEYWORD_FACETS = DERIVED_KEYWORD_FACETS + BODY_KEYWORD_FACETS
INTEGER_FACETS = ("trl", "eqfLevel")
BODY_BOOLEAN_FACETS = (
    "openToPartnership",
    "publiclyFunded",
    "biometricData",
    "procurementClauses",
    "b2gSharing",
    # AI Act readiness (absent for restricted Annex III areas: not public)
    "aiActPackageComplete",
    "friaPerformed",
    "friaNotified",
)
# Yes/no facts of a project that ``search.documents`` derives from its body (true
# or false on every project): source code published, an objection route given.
# ``aiActReadinessPublic``: a high-risk project whose readiness may be shown (not
# in a restricted Annex III area), the base of the readiness shares.
DERIVED_BOOLEAN_FACETS = (
    "sourceCodePublished",
    "objectionRoute",
    "aiActReadinessPublic",
)
BOOLEAN_FACETS = BODY_BOOLEAN_FACETS + DERIVED_BOOLEAN_FACETS
# Body fields that ``search.documents`` copies to facet fields of the same name.
BODY_FACETS = BODY_KEYWORD_FACETS + INTEGER_FACETS + BODY_BOOLEAN_FACETS
FACET_FIELDS = KEYWORD_FACETS + INTEGER_FACETS + BOOLEAN_FACETS

TEXT_FIELDS = ("title", "summary", "description")

folding = analyzer(
    "folding", tokenizer="standard", filter=["lowercase", "asciifolding"]
)
sort_key = normalizer("sort_key", filter=["lowercase", "asciifolding"])


# Replicas with SEARCH_INDEX_REPLICAS=auto: min(1, data nodes - 1).
AUTO_EXPAND_REPLICAS = "0-1"


def _dutch(engine: str) -> Any:
    return analyzer(
        "dutch_kp",
        tokenizer="standard",
        filter=[
            "lowercase",
            token_filter("dutch_stop", "stop", stopwords="_dutch_"),
            token_filter(
                "dutch_stem", "stemmer", language=DUTCH_STEMMER.get(engine, "dutch")
            ),
        ],
    )


def language_analyzers(engine: str) -> dict[str, Any]:
    """The analyzer of each supported record language (others use ``folding``)."""
    return {"en": "english", "nl": _dutch(engine), "de": "german", "fr": "french"}


def catalogue_mapping(*, engine: str) -> Mapping:
    """The mapping of the shared index for ``engine`` (opensearch, elasticsearch)."""
    mapping = Mapping()
    mapping.meta("dynamic", False)
    mapping.meta("_meta", {"indexVersion": INDEX_VERSION, **vector_meta()})
    for name in ("id", "originPath", "nuts", "partners", "datasets"):
        mapping.field(name, Keyword())
    for name in KEYWORD_FACETS:
        mapping.field(name, Keyword())
    for name in INTEGER_FACETS:
        mapping.field(name, Integer())
    for name in BOOLEAN_FACETS:
        mapping.field(name, Boolean())
    mapping.field("deleted", Boolean())
    mapping.field("version", Long())
    mapping.field("updatedAt", Date())
    mapping.field("indexedAt", Date())
    mapping.field("location", GeoPoint())
    # Funding lines, nested so a sum per programme adds only that programme's
    # amounts (the dashboard's funding panel).
    mapping.field(
        "funding",
        Nested(properties={"programme": Keyword(), "amountEur": Long()}),
    )
    mapping.field(
        "title",
        Text(
            analyzer=folding,
            index_options="offsets",
            fields={"sort": Keyword(normalizer=sort_key)},
        ),
    )
    mapping.field("titleSuggest", SearchAsYouType(analyzer=folding))
    for name in ("summary", "description", "expertise", "organisation"):
        mapping.field(name, Text(analyzer=folding, index_options="offsets"))
    mapping.field(
        "i18n",
        Object(
            properties={
                language: Object(
                    properties={
                        name: Text(analyzer=language_analyzer, index_options="offsets")
                        for name in TEXT_FIELDS
                    }
                )
                for language, language_analyzer in language_analyzers(engine).items()
            }
        ),
    )
    mapping.field("record", Object(enabled=False))
    for name, vector_field in vector_fields(engine=engine).items():
        mapping.field(name, vector_field)
    return mapping


def catalogue_index_body(
    *, engine: str, extra_settings: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The create-index body (settings with analysis, mappings) for ``engine``.

    Shards and replicas come from settings; ``extra_settings`` adds index settings
    (tests set a short ``index.gc_deletes``).
    """
    index = Index("catalogue")
    index.settings(
        number_of_shards=settings.SEARCH_INDEX_SHARDS,
        **index_replica_settings(),
        **vector_index_settings(engine=engine),
        **(extra_settings or {}),
    )
    index.mapping(catalogue_mapping(engine=engine))
    return index.to_dict()


def index_replica_settings() -> dict[str, Any]:
    """The replica settings of ``SEARCH_INDEX_REPLICAS``: a fixed count, or (auto)
    one replica while the cluster has two data nodes or more and none on a single
    node, which the engine adjusts by itself as nodes join and leave."""
    replicas = settings.SEARCH_INDEX_REPLICAS
    if replicas is None:
        return {"auto_expand_replicas": AUTO_EXPAND_REPLICAS}
    return {"auto_expand_replicas": "false", "number_of_replicas": replicas}


def index_alias() -> str:
    """The alias every hub reads and writes (``SEARCH_INDEX_ALIAS``)."""
    return settings.SEARCH_INDEX_ALIAS


def index_name_new(*, alias: str, now: dt.datetime | None = None) -> str:
    """A fresh physical index name: ``<alias>-v<N>-<UTC yyyymmddhhmmss>``."""
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return f"{alias}-v{INDEX_VERSION}-{moment:%Y%m%d%H%M%S}"


def index_name_bootstrap(*, alias: str) -> str:
    """The fixed name of the first physical index (see the module docstring)."""
    return f"{alias}-v{INDEX_VERSION}-{BOOTSTRAP_SUFFIX}"


def index_pattern(*, alias: str) -> str:
    """A wildcard matching every physical index of ``alias``."""
    return f"{alias}-v*"
