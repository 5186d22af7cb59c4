"""Alerts across real hubs: an SME saves a search on the Eindhoven hub over
HTTP, a coordinator publishes at the 's-Hertogenbosch hub, the record federates
to Eindhoven, and Eindhoven's beat mails the digest to a real local SMTP server
(aiosmtpd); the digest's link opens and one-click unsubscribe stops the mail."""

import json
import re
from urllib.parse import urlsplit

import pytest
import requests

from hubnet.localnet import HubSpec
from hubnet.processes import wait_until
from tests.alerts.smtp import SmtpServer, links_of, text_of
from tests.e2e.conftest import start_test_network
from tests.federation.factories import body_for

pytestmark = pytest.mark.e2e

HUBS = [
    HubSpec("den-bosch", "'s-Hertogenbosch", "local", country="NL", nuts="NL413"),
    HubSpec(
        "eindhoven",
        "Eindhoven",
        "local",
        country="NL",
        nuts="NL414",
        peers=("den-bosch",),
    ),
]
SME = "sme@eindhoven.example"
WATCHER = "watcher@eindhoven.example"
# Healthcare organisations within 30 km of Eindhoven's centre.
NEARBY_CARE = "kinds=organisation&sectors=healthcare&near=51.4416,5.4697&radius_km=30"
# 's-Hertogenbosch-Zuid, 27 km from Eindhoven's centre.
DEN_BOSCH_ZUID = {"lat": 51.665, "lon": 5.30, "nuts": ["NL413"], "country": "NL"}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Beat looks every ALERTS_CHECK_INTERVAL seconds (its minimum here).
CHECK_INTERVAL = 10


@pytest.fixture(scope="module")
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture(scope="module")
def network(search_url, tmp_path_factory, smtp):
    running = start_test_network(
        HUBS,
        var_dir=tmp_path_factory.mktemp("alerts-network"),
        search_url=search_url,
        extra_env={"SYNC_INTERVAL": "3600"},
        hub_env={
            "eindhoven": {
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(smtp.port),
                "ALERTS_CHECK_INTERVAL": str(CHECK_INTERVAL),
            }
        },
    )
    yield running
    running.stop()


def _post_form(session: requests.Session, page_url: str, action: str, data: dict):
    """POST a form of ``page_url`` as a browser would: with the page's CSRF token."""
    page = session.get(page_url, timeout=30)
    assert page.status_code == 200, page.text
    (token,) = CSRF.findall(page.text)[:1]
    return session.post(
        action,
        data={"csrfmiddlewaretoken": token, **data},
        headers={"Referer": page_url},
        timeout=30,
    )


def _subscribe(network, smtp, *, email: str, query: str) -> None:
    """Save ``query`` for ``email`` on Eindhoven and confirm it from the mail."""
    hub = network.network.url("eindhoven")
    session = requests.Session()
    before = len(smtp.inbox.messages)
    saved = _post_form(
        session,
        f"{hub}/search/?{query}",
        f"{hub}/alerts/subscribe/",
        {"email": email, "frequency": "daily", "query": query},
    )
    assert saved.status_code == 200, saved.text
    confirmation = smtp.inbox.wait_for(before + 1)[before]
    assert confirmation["To"] == email
    (link,) = [u for u in links_of(confirmation) if "/alerts/confirm/" in u]
    confirm_url = f"{hub}{urlsplit(link).path}"
    confirmed = _post_form(session, confirm_url, confirm_url, {})
    assert confirmed.status_code == 200, confirmed.text


def _publish(network, tmp_path, name: str, sectors: list[str]) -> str:
    body_file = tmp_path / f"{name}.json"
    body = body_for("organisation", name=name, sectors=sectors, location=DEN_BOSCH_ZUID)
    body_file.write_text(json.dumps(body))
    published = network.command_json(
        "den-bosch",
        "catalogue_publish",
        "--kind",
        "organisation",
        "--language",
        "nl",
        "--body-file",
        str(body_file),
    )
    return published["id"]


def _found_at_eindhoven(network, *record_ids: str) -> bool:
    answer = requests.get(
        f"{network.network.url('eindhoven')}/api/v1/search",
        params={"kinds": "organisation", "size": 50},
        timeout=30,
    ).json()
    return set(record_ids) <= {hit["id"] for hit in answer.get("hits", [])}


def _a_day_passes(network) -> None:
    """Move every saved search's last digest a day back on Eindhoven."""
    network.command(
        "eindhoven",
        "shell",
        "-c",
        "import datetime as dt; from django.utils import timezone; "
        "from alerts.models import SavedSearch; "
        "SavedSearch.objects.update("
        "last_digest_at=timezone.now() - dt.timedelta(days=1))",
    )


def _saved_searches(network) -> int:
    output = network.command(
        "eindhoven",
        "shell",
        "-c",
        "from alerts.models import SavedSearch; print(SavedSearch.objects.count())",
    )
    return int(output.strip().splitlines()[-1])


def test_an_sme_hears_of_a_partner_published_at_a_neighbour_until_it_unsubscribes(
    network, smtp, tmp_path
):
    hub = network.network.url("eindhoven")
    # given an SME at Eindhoven that saved "healthcare partners within 30 km",
    # and a watcher of every organisation (shows that a digest run ran)
    _subscribe(network, smtp, email=SME, query=NEARBY_CARE)
    _subscribe(network, smtp, email=WATCHER, query="kinds=organisation")
    assert len(smtp.inbox.messages) == 2
    # when a coordinator at 's-Hertogenbosch publishes a healthcare organisation
    # and a mobility one, they reach Eindhoven, and a day later beat runs there
    care = _publish(network, tmp_path, "Zorgdata Bosch", ["healthcare"])
    mobility = _publish(network, tmp_path, "Verkeer Bosch", ["mobility"])
    assert wait_until(
        lambda: _found_at_eindhoven(network, care, mobility), timeout=90, interval=1
    )
    _a_day_passes(network)
    # then the SME's digest lists the healthcare organisation alone, its link opens
    messages = smtp.inbox.wait_for(4, timeout=CHECK_INTERVAL * 6)
    (digest,) = [m for m in messages[2:] if m["To"] == SME]
    assert "- Zorgdata Bosch (Organisation)" in text_of(digest)
    assert "Verkeer Bosch" not in text_of(digest)
    (link,) = [u for u in links_of(digest) if care in u]
    page = requests.get(link, timeout=30)
    assert page.status_code == 200
    assert "Zorgdata Bosch" in page.text
    (watched,) = [m for m in messages[2:] if m["To"] == WATCHER]
    assert "Verkeer Bosch" in text_of(watched)
    # when the SME unsubscribes with one click, a new match appears, a day passes
    unsubscribe = urlsplit(digest["List-Unsubscribe"].strip().strip("<>")).path
    gone = requests.post(
        f"{hub}{unsubscribe}",
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=30,
    )
    assert gone.status_code == 200
    assert _saved_searches(network) == 1
    second = _publish(network, tmp_path, "Zorgrobot Bosch", ["healthcare"])
    assert wait_until(
        lambda: _found_at_eindhoven(network, second), timeout=90, interval=1
    )
    _a_day_passes(network)
    # then only the watcher hears of it: no further mail to the SME
    messages = smtp.inbox.wait_for(5, timeout=CHECK_INTERVAL * 6)
    assert [m["To"] for m in messages[4:]] == [WATCHER]
    assert "Zorgrobot Bosch" in text_of(messages[4])
    assert not wait_until(
        lambda: len(smtp.inbox.messages) > 5, timeout=CHECK_INTERVAL * 2
    )
    assert [m["To"] for m in smtp.inbox.messages].count(SME) == 2
