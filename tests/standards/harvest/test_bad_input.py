"""Bad input is refused with its reason; the rest of the run goes on and
nothing already harvested is lost."""

import json

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS

from cms.models import DatasetPage
from standards.harvest.fetch import HarvestTransient
from standards.harvest.models import HarvestRun
from standards.harvest.services import harvest_run, harvest_source_add
from tests.standards.harvest.server import Portal, sample_package, synthetic_dataset

pytestmark = pytest.mark.django_db
TURTLE = {"Content-Type": "text/turtle"}


def _dcat_source(portal: Portal, path: str = "/catalog"):
    return harvest_source_add(name="s", url=portal.url(path), kind="dcat", publish=True)


def _live() -> int:
    return DatasetPage.objects.live().count()


def _harvested_twice_then(portal: Portal, answer) -> HarvestRun:
    """Harvest four datasets, then harvest again with page 2 answered by
    ``answer``; the second run."""
    portal.datasets = [synthetic_dataset(n) for n in range(1, 5)]
    source = _dcat_source(portal)
    assert harvest_run(source_id=source.pk, owner="w").created == 4
    portal.raw["/catalog"] = lambda query: (
        answer if query.get("page") == ["2"] else portal._catalogue(1)
    )
    return harvest_run(source_id=source.pk, owner="w")


def test_malformed_rdf_fails_the_run_and_keeps_what_was_harvested(portal, hub):
    run = _harvested_twice_then(portal, (200, TURTLE, b"<a> <b> broken ."))
    assert run.status == "failed"
    assert "malformed text/turtle" in run.reason
    assert (run.withdrawn, _live()) == (0, 4)


def test_wrong_content_type_is_refused(portal, hub):
    run = _harvested_twice_then(
        portal, (200, {"Content-Type": "text/html"}, b"<html>login</html>")
    )
    assert run.status == "failed"
    assert "content type 'text/html', expected text/turtle" in run.reason
    assert _live() == 4


@pytest.mark.parametrize("declared", [True, False])
def test_page_over_the_size_cap_is_refused(portal, hub, settings, declared):
    settings.HARVEST_MAX_PAGE_BYTES = 2048
    headers = dict(TURTLE) if declared else {**TURTLE, "X-Test-No-Length": "1"}
    run = _harvested_twice_then(portal, (200, headers, b"#" * 5000))
    assert run.status == "failed"
    expected = (
        "5000 bytes, over the 2048 cap" if declared else "over the 2048 bytes cap"
    )
    assert run.reason.endswith(f"/catalog?page=2: {expected}")
    assert _live() == 4


def test_slow_source_is_transient_and_keeps_the_run_open(portal, hub, settings):
    # Given a source trickling its page a byte every 50 ms, and 1 s per page
    settings.HARVEST_REQUEST_TIMEOUT = 1
    portal.datasets = [synthetic_dataset(1)]
    body = portal._catalogue(1)[2]
    portal.raw["/slow"] = lambda query: (200, {**TURTLE, "X-Test-Delay": "0.05"}, body)
    source = _dcat_source(portal, "/slow")

    # When it is run, it fails in time as a failure that may pass
    with pytest.raises(HarvestTransient, match="too slow"):
        harvest_run(source_id=source.pk, owner="w")

    # Then the run stays open (a retry resumes it) and says why
    run = HarvestRun.objects.get()
    assert run.status == "running"
    assert run.reason.startswith("will retry: ")


def test_loopback_is_refused_unless_allowed(portal, hub, settings):
    # Given the default: no host allowed
    settings.HARVEST_ALLOW_HOSTS = []
    portal.datasets = [synthetic_dataset(1)]
    run = harvest_run(source_id=_dcat_source(portal).pk, owner="w")
    assert run.status == "failed"
    assert "127.0.0.1 is a loopback address, refused" in run.reason
    assert portal.requests == []


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://localhost:{port}/catalog", "localhost is a loopback address"),
        ("http://169.254.169.254/latest/meta-data", "169.254.169.254 is a private"),
        ("http://10.0.0.1/catalog", "10.0.0.1 is a private"),
    ],
)
def test_redirect_inside_the_network_is_refused(portal, hub, target, reason):
    # Given an allowed source that redirects to a private or loopback address
    port = portal.base.rsplit(":", 1)[1]
    location = target.format(port=port)
    portal.raw["/moved"] = lambda query: (302, {"Location": location}, b"")
    run = harvest_run(source_id=_dcat_source(portal, "/moved").pk, owner="w")

    # Then the redirect is not followed
    assert run.status == "failed"
    assert reason in run.reason
    assert portal.requests == ["/moved"]


def test_bad_items_are_refused_one_by_one(portal, hub):
    # Given a page with an invalid date, an invalid IRI, HTML in text, a good one
    bad_date = synthetic_dataset(1)
    period = URIRef("https://portal.example.org/period/1")
    bad_date.add(
        (URIRef("https://portal.example.org/dataset/1"), DCTERMS.temporal, period)
    )
    bad_date.add((period, DCAT.startDate, Literal("2020-13-45")))
    bad_iri = synthetic_dataset(2)
    bad_iri.set(
        (
            URIRef("https://portal.example.org/dataset/2/csv"),
            DCAT.accessURL,
            Literal("javascript:alert(1)"),
        )
    )
    html = synthetic_dataset(3, title="<b>Parking</b> permits")
    html.set(
        (
            URIRef("https://portal.example.org/dataset/3"),
            DCTERMS.description,
            Literal('<p onclick="x()">Permits</p><script>alert(1)</script>'),
        )
    )
    portal.datasets = [bad_date, bad_iri, html, synthetic_dataset(4)]

    # When it is harvested
    run = harvest_run(source_id=_dcat_source(portal).pk, owner="w")

    # Then the two bad ones are refused with reason and id, the rest go in clean
    assert (run.status, run.created, run.refused) == ("done", 2, 2)
    assert run.lines == [
        {
            "id": "https://portal.example.org/dataset/1",
            "reason": "temporal start: invalid date '2020-13-45'",
        },
        {
            "id": "https://portal.example.org/dataset/2",
            "reason": "distribution access URL: not an http(s) URL: "
            "'javascript:alert(1)'",
        },
    ]
    page = DatasetPage.objects.get(title="Parking permits")
    assert "script" not in page.description
    assert "onclick" not in page.description
    assert "Permits" in page.description


def test_bad_ckan_packages_are_refused_one_by_one(portal, hub):
    # Given a CKAN answer with a package that is no object, one without id, one
    # with an invalid date and one good one
    good = sample_package(id="good")
    portal.raw["/api/3/action/package_search"] = lambda query: (
        200,
        {"Content-Type": "application/json"},
        (
            '{"success": true, "result": {"count": 4, "results": ['
            '"text", {"title": "no id"}, '
            '{"id": "bad-date", "title": "t", "metadata_modified": "2024", '
            '"extras": [{"key": "temporal_start", "value": "yesterday"}]}, '
            + json.dumps(good)
            + "]}}"
        ).encode(),
    )
    source = harvest_source_add(name="c", url=portal.base, kind="ckan")
    run = harvest_run(source_id=source.pk, owner="w")
    assert (run.created, run.refused) == (1, 3)
    assert [line["reason"] for line in run.lines] == [
        "a package that is no JSON object",
        "a package without id",
        "temporal_start: invalid date 'yesterday'",
    ]


def test_malformed_ckan_json_fails_the_run(portal, hub):
    portal.raw["/api/3/action/package_search"] = lambda query: (
        200,
        {"Content-Type": "application/json"},
        b'{"success": true, "result": ',
    )
    source = harvest_source_add(name="c", url=portal.base, kind="ckan")
    run = harvest_run(source_id=source.pk, owner="w")
    assert run.status == "failed"
    assert "not a package_search answer" in run.reason


def _dataset_at(number: int, subject: URIRef):
    """``synthetic_dataset(number)`` with ``subject`` as the dataset's IRI."""
    graph = synthetic_dataset(number)
    original = URIRef(f"https://portal.example.org/dataset/{number}")
    for predicate, value in list(graph.predicate_objects(original)):
        graph.remove((original, predicate, value))
        graph.add((subject, predicate, value))
    return graph


def test_a_hostile_source_link_is_left_out_with_the_reason(portal, hub):
    # Given datasets whose IRI, their link at the source, is a javascript: URL,
    # too long, or no http(s) URL at all, and a good one
    long_iri = "https://portal.example.org/dataset/" + "x" * 480
    portal.datasets = [
        _dataset_at(1, URIRef("javascript:alert(1)")),
        _dataset_at(2, URIRef(long_iri)),
        _dataset_at(3, URIRef("urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66")),
        synthetic_dataset(4),
    ]

    # When they are harvested
    run = harvest_run(source_id=_dcat_source(portal).pk, owner="w")

    # Then each goes in without the link, the run says why; the good one keeps it
    assert (run.status, run.created, run.refused) == ("done", 4, 0)
    assert sorted(run.lines, key=lambda line: line["id"]) == [
        {
            "id": long_iri[:500],
            "reason": "source link: URL longer than 500 characters (left out)",
        },
        {
            "id": "javascript:alert(1)",
            "reason": "source link: not an http(s) URL: 'javascript:alert(1)' "
            "(left out)",
        },
        {
            "id": "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66",
            "reason": "source link: not an http(s) URL: "
            "'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66' (left out)",
        },
    ]
    sources = dict(DatasetPage.objects.values_list("title", "harvested_from"))
    assert sources == {
        "Dataset 1": "",
        "Dataset 2": "",
        "Dataset 3": "",
        "Dataset 4": "https://portal.example.org/dataset/4",
    }
