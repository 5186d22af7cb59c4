"""The "Search dead letters" page of the Wagtail admin: who may see it and re-drive,
what it shows, and a re-drive through it against the real OpenSearch node."""

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client, override_settings
from django.utils import timezone
from wagtail.models import ModelLogEntry

from federation.services.store import PublishItem, records_publish
from search.indexing import index_ensure
from search.models import DeadLetter, IndexWatermark
from tests.audit_entries import the_one_entry
from tests.cms.factories import logged_in, user_in
from tests.federation.factories import body_for
from tests.search.conftest import indices_delete

pytestmark = pytest.mark.django_db

INDEX_URL = "/admin/search-index/dead-letters/"
REDRIVE_URL = "/admin/search-index/dead-letters/redrive/"
LOGIN_URL = "/admin/login/"
REASON = "mapper_parsing_exception: failed to parse field [trl] of type [integer]"


def _user(role: str):
    """anonymous, an editor, a coordinator, a coordinator granted the dead-letter
    permission through a group, or a superuser."""
    if role == "anonymous":
        return None
    if role == "superuser":
        return user_in(None, username="root", superuser=True)
    if role == "operator":
        user = user_in("Coordinators", username="operator")
        operators = Group.objects.create(name="Search operators")
        operators.permissions.add(
            Permission.objects.get(
                content_type__app_label="search", codename="redrive_deadletter"
            )
        )
        user.groups.add(operators)
        return user
    return user_in(role, username=role.lower())


def _letter(record_id: str = "nl:project:1", **overrides) -> DeadLetter:
    first = timezone.now() - dt.timedelta(hours=2)
    values = {
        "record_id": record_id,
        "seq": 14,
        "version": 3,
        "status": 400,
        "reason": REASON,
        "attempts": 5,
        "first_failed_at": first,
        "last_failed_at": first + dt.timedelta(minutes=30),
        **overrides,
    }
    return DeadLetter.objects.create(**values)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("Editors", 403),
        ("Coordinators", 403),
        ("operator", 200),
        ("superuser", 200),
    ],
)
def test_who_may_see_the_dead_letters(role, status):
    # given a dead letter
    _letter()
    # when
    response = logged_in(_user(role)).get(INDEX_URL)
    # then
    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"] == f"{LOGIN_URL}?next={INDEX_URL}"
    if status == 200:
        assert "nl:project:1" in response.content.decode()
    else:
        assert "nl:project:1" not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("Editors", 403), ("Coordinators", 403)],
)
def test_who_may_not_redrive_changes_nothing(role, status):
    # given a dead letter
    before = _letter()
    # when a user without the permission posts a re-drive
    response = logged_in(_user(role)).post(REDRIVE_URL, {"record_id": "nl:project:1"})
    # then it is refused and the row is untouched
    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"] == f"{LOGIN_URL}?next={REDRIVE_URL}"
    after = DeadLetter.objects.get()
    assert (after.attempts, after.last_failed_at) == (5, before.last_failed_at)
    assert not ModelLogEntry.objects.exists()


@pytest.mark.parametrize("role", ["Editors", "Coordinators", "operator", "superuser"])
def test_the_menu_shows_dead_letters_only_to_users_who_may_use_them(role):
    # when
    response = logged_in(_user(role)).get("/admin/")
    # then
    assert response.status_code == 200
    shown = INDEX_URL in response.content.decode()
    assert shown == (role in {"operator", "superuser"})


def test_the_page_shows_each_dead_letter_and_the_held_change(admin_client):
    # given two dead letters and a change the drain is still retrying
    _letter()
    _letter(
        "nl:dataset:2",
        seq=20,
        version=1,
        reason="illegal_argument_exception: <b>bad</b>",
    )
    IndexWatermark.objects.create(
        pk=1,
        indexed_seq=21,
        failing_seq=22,
        failing_attempts=2,
        failing_since=timezone.now(),
        last_error="nl:course:3 400 mapper_parsing_exception: oops",
    )
    # when
    response = admin_client.get(INDEX_URL)
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert '<td data-column="version">3</td>' in html
    assert '<td data-column="attempts">5</td>' in html
    assert REASON in html
    assert "illegal_argument_exception: &lt;b&gt;bad&lt;/b&gt;" in html  # escaped
    assert "<b>bad</b>" not in html
    assert "seq 22, attempt 2 of 5" in html
    assert '<dd data-field="count">2</dd>' in html
    assert html.count('name="record_id"') == 2
    assert "csrfmiddlewaretoken" in html


def test_a_redrive_post_needs_a_csrf_token(django_user_model):
    # given a superuser's browser that enforces CSRF
    _letter()
    client = Client(enforce_csrf_checks=True)
    client.force_login(
        django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    )
    # when posting without a token, then a GET
    response = client.post(REDRIVE_URL, {"record_id": "nl:project:1"})
    # then refused, and nothing changed
    assert response.status_code == 403
    assert DeadLetter.objects.get().attempts == 5
    assert client.get(REDRIVE_URL).status_code == 405


@pytest.fixture
def alias(search_alias) -> Iterator[str]:
    """A private alias on the real node for one test."""
    name = f"{search_alias}-{uuid.uuid4().hex[:6]}"
    with override_settings(SEARCH_INDEX_ALIAS=name):
        index_ensure()
        try:
            yield name
        finally:
            indices_delete(name)


@pytest.mark.parametrize("role", ["operator", "superuser"])
def test_a_redrive_from_the_admin_indexes_and_removes_the_row(role, alias):
    # given a dead letter of a stored record the engine now accepts
    (stored,) = records_publish(
        items=[PublishItem(kind="project", body=body_for("project"))]
    )
    letter = _letter(stored.record_id, seq=stored.seq, version=1)
    _letter("nl:project:elsewhere")
    user = _user(role)
    # when an allowed user re-drives that one record
    response = logged_in(user).post(
        REDRIVE_URL, {"record_id": stored.record_id}, follow=True
    )
    # then its row is gone, the other stays, and the page says what happened
    assert response.redirect_chain == [(INDEX_URL, 302)]
    assert list(DeadLetter.objects.values_list("record_id", flat=True)) == [
        "nl:project:elsewhere"
    ]
    assert (
        "Re-driven: 1 indexed, 0 already newer in the index, 0 still refused, "
        "0 no longer stored." in response.content.decode()
    )
    # and the audit log says who re-drove which dead letter, and how it went
    entry = the_one_entry()
    assert entry.action == "search.dead_letter.redrive"
    assert entry.user == user
    assert entry.content_type.model_class() is DeadLetter
    assert entry.object_id == str(letter.pk)
    assert entry.data == {
        "record_id": stored.record_id,
        "version": 1,
        "outcome": "accepted",
    }
    # which Site history lists for them
    history = logged_in(user).get("/admin/reports/site-history/")
    html = history.content.decode()
    assert history.status_code == 200
    assert f"Re-drove {stored.record_id} v1: the index took it" in html
    assert "Re-drive search dead letter" in html
