"""Neighbour endpoints: a plain base URL, https where required, and only public
addresses unless private ones are allowed; checked on save (service, admin
form, ``neighbours_load``)."""

import json
import os
import socket
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from hubs.endpoints import EndpointRefused, endpoint_url_check
from hubs.models import Neighbour
from hubs.services import neighbour_create

pytestmark = pytest.mark.django_db

HINT = "(allowed only with NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES=1)"


@pytest.fixture
def strict(settings):
    """Production's rules: https and public addresses only."""
    settings.NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES = False
    settings.NEIGHBOUR_REQUIRE_HTTPS = True
    return settings


@pytest.fixture
def dns(monkeypatch):
    """The outside world's DNS, scripted: host name -> addresses."""
    answers: dict[str, list[str]] = {}

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (socket.AF_INET6 if ":" in ip else socket.AF_INET, 1, 6, "", (ip, port))
            for ip in answers[host]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://user:pw@nl.example.org", "must not contain a user name or password"),
        ("https://nl.example.org/?token=1", "must not contain a query"),
        ("https://nl.example.org/#top", "must not contain a fragment"),
        ("ftp://nl.example.org", "must start with https://"),
        ("http://nl.example.org", "must use https:// (NEIGHBOUR_REQUIRE_HTTPS is on)"),
        ("https://nl.example.org\n.evil", "must not contain spaces or control"),
        ("https://127.0.0.1", f"127.0.0.1 is a loopback address {HINT}"),
        ("https://[::1]:8000", f"::1 is a loopback address {HINT}"),
        ("https://10.1.2.3", f"10.1.2.3 is a private address {HINT}"),
        ("https://192.168.0.7", f"192.168.0.7 is a private address {HINT}"),
        ("https://172.20.0.2", f"172.20.0.2 is a private address {HINT}"),
        ("https://169.254.169.254", f"169.254.169.254 is a link-local address {HINT}"),
        ("https://[fe80::1]", f"fe80::1 is a link-local address {HINT}"),
        ("https://[fd00::5]", f"fd00::5 is a private address {HINT}"),
        ("https://100.64.0.1", f"100.64.0.1 is a non-public address {HINT}"),
        ("https://0.0.0.0", f"0.0.0.0 is an unspecified address {HINT}"),
        ("https://224.0.0.1", f"224.0.0.1 is a multicast address {HINT}"),
        ("https://240.0.0.1", f"240.0.0.1 is a reserved address {HINT}"),
        (
            "https://[::ffff:127.0.0.1]",
            f"::ffff:127.0.0.1 is a loopback address {HINT}",
        ),
    ],
)
def test_each_refused_kind_of_url_says_why(strict, dns, url, reason):
    with pytest.raises(EndpointRefused) as refused:
        endpoint_url_check(url)
    assert reason in str(refused.value)


def test_a_name_is_refused_when_any_address_it_resolves_to_is_private(strict, dns):
    # given a name with a public and a private address
    dns["nl.example.org"] = ["93.184.215.14", "10.0.0.8"]
    # then
    with pytest.raises(EndpointRefused) as refused:
        endpoint_url_check("https://nl.example.org")
    assert str(refused.value) == (
        f"nl.example.org resolves to 10.0.0.8, a private address {HINT}"
    )


def test_a_name_that_does_not_resolve_is_refused(strict, dns):
    with pytest.raises(EndpointRefused, match="cannot resolve nl.example.org"):
        endpoint_url_check("https://nl.example.org")


def test_a_public_https_endpoint_is_accepted(strict, dns):
    dns["nl.example.org"] = ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]
    endpoint_url_check("https://nl.example.org/hub")
    endpoint_url_check("https://93.184.215.14:8443")


def test_private_addresses_and_http_pass_when_the_settings_allow(settings, dns):
    settings.NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES = True
    settings.NEIGHBOUR_REQUIRE_HTTPS = False
    dns["nl.hubnet.internal"] = ["172.18.0.4"]
    endpoint_url_check("http://127.0.0.1:8101")
    endpoint_url_check("http://nl.hubnet.internal:8000")
    # the form of the URL is checked all the same
    with pytest.raises(EndpointRefused, match="query"):
        endpoint_url_check("http://127.0.0.1:8101/?a=1")


def test_the_service_refuses_on_save_with_the_reason(strict, dns):
    with pytest.raises(ValidationError) as refused:
        neighbour_create(
            slug="nl", name="NL", role="child", endpoint_url="https://127.0.0.1:8101"
        )
    assert refused.value.message_dict == {
        "endpoint_url": [
            f"'https://127.0.0.1:8101' is refused: 127.0.0.1 is a loopback address "
            f"{HINT}"
        ]
    }
    assert not Neighbour.objects.exists()


def test_neighbours_load_stops_with_the_reason(strict, dns, tmp_path):
    # given a provisioning file whose second neighbour points at a metadata service
    entries = [
        {
            "slug": slug,
            "name": slug.upper(),
            "role": "child",
            "endpoint_url": url,
            "outbound_token": "o" * 40,
            "inbound_token": f"{slug}-" + "i" * 40,
        }
        for slug, url in (
            ("nl", "https://93.184.215.14"),
            ("be", "https://169.254.169.254/latest"),
        )
    ]
    path = tmp_path / "neighbours.json"
    path.write_text(json.dumps(entries))
    # when
    with pytest.raises(CommandError) as refused:
        call_command("neighbours_load", str(path))
    # then
    assert str(refused.value) == (
        "neighbour be: 'https://169.254.169.254/latest' is refused: "
        f"169.254.169.254 is a link-local address {HINT}"
    )
    assert not Neighbour.objects.filter(slug="be").exists()


def test_production_settings_require_https_and_public_addresses():
    # given production settings with nothing about neighbours set
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("NEIGHBOUR_", "DJANGO_SETTINGS", "SECRET_KEY"))
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="hubnet.settings.production",
        SECRET_KEY="k3J9-x8Qw2_Lr5Zt7Vb0Nc4Md6Fg1Hs8Pj2Ya5Ue9Io3Tr7Ew0Qa4Sd6",
    )
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.NEIGHBOUR_REQUIRE_HTTPS, "
        "settings.NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES)"
    )
    # when
    completed = subprocess.run(
        [sys.executable, "-c", code],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    # then
    assert completed.stdout.strip() == "True False"
