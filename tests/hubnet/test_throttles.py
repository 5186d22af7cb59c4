"""Rate limits of every surface: each scope at its edge (N allowed, the next one
429 with Retry-After in the endpoint's format), the client address behind
proxies, peers' own scope, and failed sign-ins."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from hubnet.throttles import address_exempt
from hubs.services import neighbour_create

pytestmark = pytest.mark.django_db

HUB_QUERY = {"query": "{ hub { slug } }"}
PEER_TOKEN = "peer-token-for-the-throttle-tests-0123456789"
HEALTH_TOKEN = "health-token-for-the-throttle-tests-0123456789"


@pytest.fixture
def rates(settings):
    """Set some scopes' rates for one test; the others keep theirs."""

    def set_rates(num_proxies: int = 0, **scopes: str) -> None:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                **scopes,
            },
            "NUM_PROXIES": num_proxies,
        }
        cache.clear()

    return set_rates


def graphql(client: Client, **extra):
    return client.post("/graphql", HUB_QUERY, content_type="application/json", **extra)


def assert_throttled(response, content_type: str, window: int = 60) -> None:
    assert response.status_code == 429, response.content[:300]
    assert response["Content-Type"].startswith(content_type)
    assert 1 <= int(response["Retry-After"]) <= window


def test_rest_api_anonymous_scope_edge(rates):
    # given
    rates(anon="3/minute")
    client = Client(REMOTE_ADDR="10.1.0.1")
    # when
    statuses = [client.get("/api/v1/records/").status_code for _ in range(3)]
    refused = client.get("/api/v1/records/")
    # then
    assert statuses == [200, 200, 200]
    assert_throttled(refused, "application/json")


def test_graphql_anonymous_scope_edge_answers_a_graphql_error(rates):
    # given
    rates(graphql="3/minute")
    client = Client(REMOTE_ADDR="10.1.0.2")
    # when
    statuses = [graphql(client).status_code for _ in range(3)]
    refused = graphql(client)
    # then
    assert statuses == [200, 200, 200]
    assert_throttled(refused, "application/json")
    assert refused.json()["errors"][0]["extensions"] == {"code": "THROTTLED"}


def test_search_pages_scope_edge_answers_html(rates, search_settings):
    # given
    rates(pages="2/minute")
    client = Client(REMOTE_ADDR="10.1.0.3")
    # when
    statuses = [client.get("/search/").status_code for _ in range(2)]
    refused = client.get("/search/statistics/")
    # then
    assert statuses == [200, 200]
    assert_throttled(refused, "text/html")
    assert b"Too many requests" in refused.content


def test_catalogue_export_scope_edge(rates):
    # given: the export scope is stricter than the API's
    rates(anon="100/minute", export="2/minute")
    client = Client(REMOTE_ADDR="10.1.0.4")
    # when
    first = client.get("/catalog.ttl")
    second = client.get("/catalog", HTTP_ACCEPT="application/ld+json")
    refused = client.get("/catalog.rdf")
    api = client.get("/api/v1/records/")
    # then
    assert (first.status_code, second.status_code) == (200, 200)
    assert_throttled(refused, "text/html")
    assert api.status_code == 200


def test_search_exports_share_the_export_scope(rates, search_settings):
    # given: one catalogue page already taken from the export rate
    rates(anon="100/minute", export="2/minute")
    client = Client(REMOTE_ADDR="10.1.0.11")
    catalogue = client.get("/catalog.ttl")
    # when
    export = client.get("/api/v1/search/export.csv")
    refused = client.get("/api/v1/search/export.csv")
    # then
    assert catalogue.status_code == 200
    assert export.status_code == 200
    assert_throttled(refused, "application/json")


def test_healthz_is_throttled_for_outsiders_only(rates, settings, search_settings):
    # given
    rates(health="2/minute")
    settings.HEALTH_TOKEN = HEALTH_TOKEN
    outsider = Client(REMOTE_ADDR="203.0.113.7")
    local = Client(REMOTE_ADDR="127.0.0.1")
    monitoring = Client(
        REMOTE_ADDR="203.0.113.8", headers={"Authorization": f"Bearer {HEALTH_TOKEN}"}
    )
    # when
    allowed = [outsider.get("/healthz").status_code for _ in range(2)]
    refused = outsider.get("/healthz")
    # then
    assert all(status != 429 for status in allowed), allowed
    assert_throttled(refused, "application/json")
    assert refused.json()["status"] == "throttled"
    assert all(local.get("/healthz").status_code != 429 for _ in range(5))
    assert all(monitoring.get("/healthz").status_code != 429 for _ in range(5))


def test_rotating_forwarded_for_does_not_reset_the_count_without_proxies(rates):
    # given: no proxy in front (NUM_PROXIES=0), so the header is the client's
    rates(num_proxies=0, anon="3/minute", graphql="3/minute")
    client = Client(REMOTE_ADDR="10.1.0.5")
    # when
    api = [
        client.get("/api/v1/records/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        for n in range(5)
    ]
    gql = [graphql(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}") for n in range(5)]
    # then
    assert [r.status_code for r in api] == [200, 200, 200, 429, 429]
    assert [r.status_code for r in gql] == [200, 200, 200, 429, 429]


def test_with_one_proxy_the_address_it_appended_is_the_client(rates):
    # given: one proxy, which appends the address it saw to X-Forwarded-For
    rates(num_proxies=1, anon="2/minute")
    proxy = Client(REMOTE_ADDR="10.0.0.2")

    def through_proxy(forwarded_for: str) -> int:
        response = proxy.get("/api/v1/records/", HTTP_X_FORWARDED_FOR=forwarded_for)
        return response.status_code

    # when: one client forges what comes before the proxy's entry
    same_client = [through_proxy(f"6.6.6.{n}, 192.0.2.1") for n in range(3)]
    # then: its count held; another client (another last hop) has its own
    assert same_client == [200, 200, 429]
    assert through_proxy("192.0.2.1, 192.0.2.99") == 200


def test_peers_with_a_valid_token_have_their_own_scope(rates):
    # given: anonymous callers of this address used up their rate
    rates(graphql="2/minute", graphql_peer="4/minute")
    neighbour_create(
        slug="nl",
        name="NL",
        role="child",
        endpoint_url="http://127.0.0.1:9",
        inbound_token=PEER_TOKEN,
    )
    client = Client(REMOTE_ADDR="10.1.0.6")
    assert [graphql(client).status_code for _ in range(3)] == [200, 200, 429]
    peer = {"HTTP_AUTHORIZATION": f"Bearer {PEER_TOKEN}"}
    wrong = {"HTTP_AUTHORIZATION": "Bearer not-a-token-of-this-hub-0123456789abcdef"}
    # when
    peer_statuses = [graphql(client, **peer).status_code for _ in range(5)]
    wrong_token = graphql(client, **wrong)
    # then: the peer counts alone, at its rate; a wrong token is anonymous
    assert peer_statuses == [200, 200, 200, 200, 429]
    assert wrong_token.status_code == 429


@pytest.mark.parametrize("login_url", ["/admin/login/", "/django-admin/login/"])
def test_failed_sign_ins_are_throttled_per_address(rates, login_url):
    # given
    rates(admin_login="3/hour")
    User.objects.create_superuser("coordinator", "c@example.org", "right-password")
    attacker = Client(REMOTE_ADDR="10.1.0.7")
    other = Client(REMOTE_ADDR="10.1.0.8")

    def sign_in(client: Client, password: str):
        return client.post(login_url, {"username": "coordinator", "password": password})

    # when: three failures, then the right password from the same address
    failures = [sign_in(attacker, "wrong").status_code for _ in range(3)]
    refused = sign_in(attacker, "right-password")
    # then: the form error three times, then refused even with the password
    assert failures == [200, 200, 200]
    assert_throttled(refused, "text/html", window=3600)
    assert sign_in(other, "right-password").status_code == 302


def test_successful_sign_ins_are_not_counted(rates):
    # given
    rates(admin_login="2/hour")
    User.objects.create_superuser("coordinator", "c@example.org", "right-password")
    # when
    statuses = []
    for _ in range(5):
        client = Client(REMOTE_ADDR="10.1.0.9")
        statuses.append(
            client.post(
                "/admin/login/",
                {"username": "coordinator", "password": "right-password"},
            ).status_code
        )
    # then
    assert statuses == [302] * 5


def test_failed_basic_authentication_counts_as_a_failed_sign_in(rates):
    # given: the API accepts HTTP basic authentication
    rates(admin_login="2/hour", anon="100/minute")
    User.objects.create_user("someone", "s@example.org", "right-password")
    client = Client(REMOTE_ADDR="10.1.0.10")
    wrong = {"HTTP_AUTHORIZATION": "Basic c29tZW9uZTp3cm9uZw=="}  # someone:wrong
    # when
    failures = [client.get("/api/v1/records/", **wrong).status_code for _ in range(2)]
    refused = client.get("/api/v1/records/", **wrong)
    # then
    assert failures == [403, 403]
    assert_throttled(refused, "application/json", window=3600)
    assert refused.json()["detail"].startswith("Too many requests")


@pytest.mark.parametrize(
    ("ident", "exempt"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("10.0.0.1", False),
        ("not-an-address", False),
        ("", False),
    ],
)
def test_address_exempt(ident, exempt):
    assert address_exempt(ident, ["127.0.0.0/8", "::1/128"]) is exempt
