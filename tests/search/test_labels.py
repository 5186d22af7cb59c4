"""Facet values shown as the vocabulary's labels (search.labels)."""

import pytest
from django.utils import translation

from search.labels import area_label, buckets_labelled, facet_label
from search.types import FacetBucket


@pytest.mark.parametrize(
    ("facet", "value", "label"),
    [
        ("statuses", "in-use", "In use"),
        ("ai_act_classes", "minimal", "Minimal risk"),
        ("kinds", "organisation", "Organisation"),
        ("levels", "national", "National hub"),
        ("countries", "DE", "Germany"),
        ("languages", "nl", "Nederlands"),
        ("types", "sme", "SME or start-up"),
        ("access_rights", "non-public", "Not public"),
        ("themes", "ENVI", "Environment"),
        ("trl", 4, "TRL 4: technology validated in the lab"),
        # a value another hub sent that this hub's vocabulary lacks
        ("statuses", "paused", "paused"),
        ("sectors", "Mobility", "Mobility"),
    ],
)
def test_facet_values_have_labels(facet, value, label):
    with translation.override("en"):
        assert facet_label(facet, value) == label


def test_buckets_keep_their_order_count_and_selection():
    buckets = [FacetBucket("FR", 3, selected=True), FacetBucket("XX", 1)]
    with translation.override("fr"):
        labelled = buckets_labelled("countries", buckets)
    assert [(b.value, b.count, b.selected, b.label) for b in labelled] == [
        ("FR", 3, True, "France"),
        ("XX", 1, False, "XX"),
    ]


@pytest.mark.parametrize(
    ("language", "area", "label"),
    [
        ("fr", "NL", "Pays-Bas"),
        ("de", "NL", "Niederlande"),
        ("nl", "NL41", "NL41 Noord-Brabant"),
        ("en", "15 km or NL413", "15 km / NL413 Noordoost-Noord-Brabant"),
        ("en", "15 km", "15 km"),
        # a code no list knows is shown as it came
        ("en", "XX9", "XX9"),
    ],
)
def test_partner_search_areas_are_named(language, area, label):
    with translation.override(language):
        assert area_label(area) == label
