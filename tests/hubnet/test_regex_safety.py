"""Every regular expression the apps apply finishes in linear time: each runs on
adversarial inputs of 100 KB (long words, long runs of separators, white space,
colons and commas, alternating characters, a near miss at the end, letters
beyond ASCII) within a bound that separates linear from catastrophic.

The sites are found in the source (tests/hubnet/regex_sites.py); each must be
listed in SITES below with its own near misses, so that a new pattern cannot be
added without being checked here. A pattern known only at run time (built from
a list) is given by DYNAMIC.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import product

import pytest

from tests.hubnet.regex_sites import (
    TooSlow,
    python_runs,
    regex_sites,
    rust_runs,
    timed,
)

SIZE = 100_000
# Linear runs take milliseconds on 100 KB; catastrophic backtracking takes
# minutes to ages. The bound is generous for a loaded machine.
BOUND = 1.0
# A run counts as slow only when every try passes the bound: backtracking is
# slow each time, while a linear run (4 ms) once passed 1 s in CI when the
# machine stalled the process.
TRIES = 3


def long(seed: str, end: str = "") -> str:
    """``seed`` repeated to about 100 KB, then ``end``."""
    return seed * (SIZE // len(seed)) + end


GENERIC = [
    long(seed, end)
    for seed in (
        "a",
        "é",
        "Ää ",
        "1",
        "A",
        " ",
        "\t \n",
        ":",
        ",",
        ";",
        ".",
        "-",
        "/",
        "<",
        "<p",
        "< / ",
        "@",
        "a ",
        "a:",
        "a, ",
        "a: , ",
        "ab",
        "aB",
        "a.",
        "1.",
        "http://a",
        "https://a ",
        "javascript",
        "\u00a0",
        "\x00",
    )
    for end in ("", ".")
] + [
    "<" + long(" ") + "1",
    "< /" + long(" ") + "1",
    "a" + long(" ") + ".",
    long("word ", "."),
]
EMAIL_NEAR_MISS = "a@" + long(".") + " "

SITES: dict[str, tuple[str, ...]] = {
    "hubnet/demo/data.py: _TECHNOLOGY_PATTERNS": (),
    "hubnet/demo/data.py: _TECHNOLOGY_PATTERNS#2": (),
    "hubnet/demo/data.py: _TECHNOLOGY_PATTERNS#3": (),
    "hubnet/demo/data.py: _KNOWLEDGE": (),
    "hubnet/demo/data.py: _COMPANY": (),
    "hubnet/demo/data.py: _GOVERNMENT": (),
    "hubnet/demo/data.py: _plain.text": (),
    "hubnet/demo/data.py: _summary.sentences": (long(". "), "." + long(" ") + "a"),
    "hubnet/demo/data.py: _url.value": (),
    "hubnet/demo/data.py: _keywords.keyword": (),
    "hubnet/demo/data.py: _year.match": (),
    "hubnet/demo/places.py: _place_pattern": (),
    "hubnet/demo/register.py: _MUNICIPALITY": ("gemeente" + long(" ") + "\n",),
    "hubnet/demo/register.py: _PROVINCE": ("provincie" + long(" ") + "\n",),
    "hubnet/demo/places.py: _COUNTRY_SUFFIX": (),
    "hubnet/demo/sources.py: clean.text": (),
    "hubnet/env.py: Env.matching": (),
    "hubnet/settings/base.py: HUB_SLUG": (),
    "hubnet/settings/base.py: HUB_COUNTRY": (),
    "hubnet/settings/base.py: HUB_NUTS": (),
    "hubnet/settings/search.py: SEARCH_INDEX_ALIAS": (),
    "hubnet/settings/api.py: API_THROTTLE_ANON": (),
    "hubnet/settings/api.py: API_THROTTLE_USER": (),
    "hubnet/settings/api.py: GRAPHQL_THROTTLE": (),
    "hubnet/settings/api.py: GRAPHQL_THROTTLE_PEER": (),
    "hubnet/settings/api.py: PAGES_THROTTLE": (),
    "hubnet/settings/api.py: EXPORT_THROTTLE": (),
    "hubnet/settings/api.py: HEALTH_THROTTLE": (),
    "hubnet/settings/api.py: ADMIN_LOGIN_THROTTLE": (),
    "hubs/nuts.py: NUTS_CODE": (),
    "cms/api/openapi.py: _NAMED_GROUP": (),
    "cms/api/pagination.py: WHOLE_NUMBER": (long("9"), long("9", "²")),
    "standards/dcat/selectors.py: WHOLE_NUMBER": (long("9"), long("9", "x")),
    "standards/dcat/iris.py: _FORBIDDEN": (long("{"), long("a", "|")),
    "standards/dcat/iris.py: _LONE_PERCENT": (long("%"), long("%a"), long("%0")),
    "standards/dcat/iris.py: _SCHEME": (long("a"), long("a+.-"), long("a", "/")),
    "standards/harvest/codes.py: _CC": (
        "https://creativecommons.org/licenses/" + long("a-") + "/",
        "https://creativecommons.org/licenses/by/" + long("9.") + "x",
    ),
    "standards/harvest/codes.py: _DATE": (long("9"), long("9-")),
    "hubnet/observability.py: REQUEST_ID_PATTERN": (long("a", "!"), long(".:-")),
    "cms/api/serializers.py: RecordSerializer.id": (),
    "cms/api/serializers.py: RecordSerializer.origin": (),
    "cms/api/serializers.py: RecordSerializer.originPath": (),
    "cms/api/serializers.py: RecordSerializer.language": (),
    "cms/api/serializers.py: _keyword": (),
    "cms/api/serializers.py: RecordFilterSerializer.country": (),
    "cms/api/serializers.py: RecordFilterSerializer.nuts": (),
    "cms/api/serializers.py: RecordFilterSerializer.origin": (),
    "cms/api/serializers.py: RecordFilterSerializer.within": (),
    "cms/api/views.py: RECORD_ID_PARAMETER": (),
    "cms/fields.py: _MARKUP": (),
    "cms/fields.py: KeywordListFormField.to_python.parts": (),
    "cms/jsonexpr.py: _KEY": (),
    "cms/models/dataset.py: DatasetDistribution.media_type": (),
    "cms/models/organisation.py: OrganisationPage.ror_id": (),
    "cms/models/organisation.py: OrganisationPage.kvk_number": (),
    "cms/models/organisation.py: OrganisationPage.vat_number": (),
    "cms/presenters/admin.py: _label": (),
    "federation/graphql/bodies.py: _model_label.words": (),
    "federation/record_fields.py: RECORD_ID": (),
    "federation/record_fields.py: _MARKUP": (),
    "federation/record_fields.py: _HOSTILE": (
        long(" on"),
        " on" + long("a") + long(" "),
    ),
    "federation/record_fields.py: _NUTS": (),
    "federation/services/peer_http.py: _LONG_NUMBER": (),
    "federation/record_fields.py: RecordRef": (),
    "federation/records.py: Location.country": (),
    "federation/records.py: Record.key_id": (long("0"), long("a", "g")),
    "federation/records.py: Contact.email": (EMAIL_NEAR_MISS,),
    "federation/records.py: ProjectBody.licence": (),
    "federation/records.py: Distribution.media_type": (),
    "federation/records.py: CourseBody.languages": (),
    "federation/records.py: OrganisationBody.identifiers": (),
    "federation/records.py: Record.origin": (),
    "federation/records.py: Record.origin_path": (),
    "federation/records.py: Record.language": (),
    # the query-string tables' patterns, and the serializer fields built of them
    "search/api/serializers.py: _child": ("1." + long("0") + ",",),
    "search/query_string.py: SEARCH_PARAMETERS": (),
    "search/query_string.py: SEARCH_PARAMETERS#2": ("1." + long("0") + ",",),
    "search/query_string.py: SUGGEST_PARAMETERS": (),
    "search/query_string.py: PARTNER_PARAMETERS": (),
    "search/query_string.py: PARTNER_PARAMETERS#2": ("1." + long("0") + ",",),
    "search/query_string.py: PARTNER_PARAMETERS#3": (),
    "search/embeddings/phrases.py: _WORD": (long("a'-"), long("a-") + "!"),
    "search/embedded_node/build.py: _java_major.match": (),
    "search/embedded_node/build.py: _heap_size": (),
    "search/exports.py: _SPACE": (),
    "search/selectors.py: index_status.indices": (),
    "standards/algoritmeregister/legacy.py: _URL": (),
    "standards/algoritmeregister/legacy.py: _LABELS_ONLY": (
        long("PRA DPIA uitgevoerd in December 2021 ", "."),
    ),
    "standards/algoritmeregister/legacy.py: _AUTOLINK": (),
    "standards/algoritmeregister/legacy.py: _category.values": (),
    "standards/algoritmeregister/legacy.py: _assessments": (
        long("DPIA: "),
        long("DPIA: https://a.nl/x "),
    ),
    "standards/algoritmeregister/schema.py: _TAG": (),
    "standards/algoritmeregister/schema.py: _MARKUP": (),
    "standards/algoritmeregister/schema.py: _EMAIL": (EMAIL_NEAR_MISS,),
    "standards/algoritmeregister/schema.py: Month": (),
    "standards/dcat/urls.py: urlpatterns": (),
    "standards/dcat/urls.py: urlpatterns#2": (long("a.ttl", "/"),),
    "standards/dcat/vocabularies.py: frequency_uri.words": (),
}


def _technology_terms() -> list[tuple[str, int]]:
    from hubnet.demo.data import _TECHNOLOGY_PATTERNS

    return [
        (pattern.pattern, pattern.flags)
        for patterns in _TECHNOLOGY_PATTERNS.values()
        for pattern in patterns
    ]


def _place_patterns() -> list[tuple[str, int]]:
    from hubnet.demo.places import _place_pattern

    patterns = [_place_pattern(country) for country in ("NL", "BE")]
    return [(pattern.pattern, pattern.flags) for pattern in patterns if pattern]


def _query_string_patterns() -> list[tuple[str, int]]:
    from search.query_string import (
        PARTNER_PARAMETERS,
        SEARCH_PARAMETERS,
        SUGGEST_PARAMETERS,
    )

    tables = (*SEARCH_PARAMETERS, *SUGGEST_PARAMETERS, *PARTNER_PARAMETERS)
    return sorted({(p.pattern, 0) for p in tables if p.pattern})


# Sites whose pattern is a local value: the patterns they apply.
DYNAMIC: dict[str, Callable[[], list[tuple[str, int]]]] = {
    "hubnet/demo/data.py: _TECHNOLOGY_PATTERNS#2": _technology_terms,
    "hubnet/demo/data.py: _TECHNOLOGY_PATTERNS#3": _technology_terms,
    "hubnet/demo/places.py: _place_pattern": _place_patterns,
    # the settings' env.matching sites (listed above) pass their patterns here
    "hubnet/env.py: Env.matching": lambda: [],
    # an index name pattern (a glob for the engine), no regular expression
    "search/selectors.py: index_status.indices": lambda: [],
    "search/api/serializers.py: _child": _query_string_patterns,
}


# Sites whose pattern is safe only as the code applies it: the code to run.
APPLIED: dict[str, Callable[[str], object]] = {}

# Patterns rewritten to be linear: the old one, whose meaning the new keeps.
REWRITTEN = {
    "standards/algoritmeregister/legacy.py: _LABELS_ONLY": r"(\w+\s*:?\s*,?\s*)*",
    "standards/algoritmeregister/legacy.py: _assessments": (
        r"(?:(\w+)\s*:\s*)?(https?://[^\s,;]+)"
    ),
    "cms/fields.py: _MARKUP": r"<\s*/?\s*[a-zA-Z!]|javascript:",
    "federation/record_fields.py: _MARKUP": r"<\s*/?\s*[a-zA-Z!]|javascript:",
    "standards/algoritmeregister/schema.py: _MARKUP": r"<\s*/?\s*[a-zA-Z!]|javascript:",
    "standards/algoritmeregister/schema.py: _TAG": r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)",
    "standards/algoritmeregister/schema.py: _EMAIL": (
        r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$"
    ),
    "hubnet/demo/places.py: _COUNTRY_SUFFIX": r"\s*\([A-Z]{2}\)$",
}
# Normal inputs of those sites (none on which an old one runs for ages), and
# the characters their short strings use.
NORMAL = [
    "",
    "DPIA: https://a.nl/dpia, IAMA: https://a.nl/iama",
    "Zie https://a.nl/x (besloten).",
    "DPIA:, IAMA:",
    "Uitgevoerd in 2021",
    "<p>Een <b>tekst</b></p>",
    "< / script>",
    "a < b and c > d",
    "javascript:alert(1)",
    "info@gemeente.nl",
    "info@gemeente",
    "a@.nl",
    "a@b..",
    "Noord-Brabant (NL)",
    "Région de Bruxelles-Capitale  (BE)",
]
ALPHABET = "a1 :,.</>@(B)"

FOUND = {site.key: site for site in regex_sites()}


def test_every_site_in_the_source_is_listed_here():
    # given the pattern sites found in the apps' source
    # then each one is listed, and no listed one has gone
    assert sorted(set(FOUND) - set(SITES)) == [], "list the new site in SITES"
    assert sorted(set(SITES) - set(FOUND)) == [], "remove the gone site from SITES"
    assert set(DYNAMIC) <= set(SITES)
    unresolved = {key for key, site in FOUND.items() if site.pattern() is None}
    assert unresolved == set(DYNAMIC)


def _patterns(key: str) -> list[tuple[str, int]]:
    if key in DYNAMIC:
        return DYNAMIC[key]()
    resolved = FOUND[key].pattern()
    assert resolved is not None
    return [resolved]


def _check(
    engine: str, pattern: str, flags: int, inputs: list[str], *, call: str = "search"
) -> list[str]:
    slow = []
    for text in inputs:
        runs = (
            python_runs(pattern, flags, text, call=call)
            if engine == "python"
            else rust_runs(pattern, text)
        )
        for run in runs:
            if _always_slow(run):
                slow.append(f"{pattern!r} on {text[:40]!r}… ({len(text)} chars)")
    return slow


def _always_slow(run: Callable[[], object]) -> bool:
    """Whether ``run`` passes the bound on each of ``TRIES`` tries."""
    for _ in range(TRIES):
        try:
            if timed(run, bound=BOUND) < BOUND:
                return False
        except TooSlow:
            pass
    return True


@pytest.mark.parametrize("key", sorted(SITES))
def test_the_pattern_finishes_on_adversarial_input_in_linear_time(key):
    # given a site's pattern(s), the generic adversarial inputs and its own
    site = FOUND[key]
    inputs = [*GENERIC, *SITES[key]]
    # when each runs on each input (as the site applies it)
    if key in APPLIED:
        slow = _check_applied(APPLIED[key], inputs)
    else:
        slow = [
            problem
            for pattern, flags in _patterns(key)
            for problem in _check(site.engine, pattern, flags, inputs, call=site.call)
        ]
    # then every run finishes within the bound
    assert slow == []


def _check_applied(apply: Callable[[str], object], inputs: list[str]) -> list[str]:
    slow = []
    for text in inputs:
        if _always_slow(lambda text=text: apply(text)):
            slow.append(f"{text[:40]!r}… ({len(text)} chars)")
    return slow


@pytest.mark.parametrize("key", sorted(REWRITTEN))
def test_a_rewritten_pattern_keeps_its_meaning(key):
    # given a pattern rewritten to be linear, and the one it replaced
    (pattern, flags), old = _patterns(key)[0], REWRITTEN[key]
    new, before = re.compile(pattern, flags), re.compile(old, flags)
    short = ["".join(chars) for n in range(5) for chars in product(ALPHABET, repeat=n)]
    # then on normal inputs and on every short string both find the same
    for text in [*NORMAL, *short]:
        found = list(new.finditer(text))
        found_before = list(before.finditer(text))
        assert [m.span() for m in found] == [m.span() for m in found_before], text
        if new.groups == before.groups:
            assert [m.groups() for m in found] == [m.groups() for m in found_before]
        assert new.sub("#", text) == before.sub("#", text), text
        assert bool(new.fullmatch(text)) == bool(before.fullmatch(text)), text


def test_the_check_catches_catastrophic_backtracking():
    # given the labels-only pattern the 0.x translation once used
    old = r"(\w+\s*:?\s*,?\s*)*"
    # when it runs on an ordinary sentence that ends in a full stop
    slow = _check(
        "python", old, 0, ["PRA DPIA uitgevoerd in December 2021. Risicoprofiel Laag."]
    )
    # then the check stops it and reports it
    assert len(slow) == 1
    assert slow[0].startswith(repr(old))


def test_the_rust_engine_takes_every_pydantic_pattern():
    # pydantic's Rust engine is linear but has no look-around or
    # back-references; a pattern that needs them must not slip in
    rust = [site for site in FOUND.values() if site.engine == "rust"]
    assert rust
    for site in rust:
        pattern, _ = site.pattern()
        assert not re.search(r"\(\?<?[=!]|\\[1-9]", pattern), site.key
        rust_runs(pattern, "x")[0]()
