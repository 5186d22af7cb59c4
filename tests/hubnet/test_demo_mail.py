"""The demo's mail server (hubnet.demo.mail): a real aiosmtpd on loopback that
keeps what the hubs send in a Maildir, and the environment that points the hubs
at it."""

from __future__ import annotations

from django.core.mail import EmailMessage, get_connection

from hubnet.demo.mail import DemoMailServer
from hubnet.demo.ports import port_free


def test_mail_sent_through_django_lands_in_the_maildir(tmp_path):
    # given the demo's mail server on a free port
    server = DemoMailServer(maildir=tmp_path / "mail", port=port_free())
    server.start()
    try:
        # when a hub sends a message over SMTP with Django's mail API
        connection = get_connection(
            "django.core.mail.backends.smtp.EmailBackend",
            host="127.0.0.1",
            port=server.port,
            timeout=10,
        )
        sent = EmailMessage(
            "Confirm your saved search",
            "Open the link to confirm.",
            "hub@eindhoven.example",
            ["sme@eindhoven.example"],
            connection=connection,
        ).send()
        # then it is kept in the Maildir, readable after the server stops
        assert sent == 1
    finally:
        server.stop()
        server.stop()
    (message,) = server.messages()
    assert message["Subject"] == "Confirm your saved search"
    assert message["To"] == "sme@eindhoven.example"
    assert message.get_payload().strip() == "Open the link to confirm."


def test_every_hub_is_told_where_to_send_its_mail(tmp_path):
    # given a server on a known port and the demo's own hub variables
    server = DemoMailServer(maildir=tmp_path / "mail", port=2525)
    env = {"eu": {"CELERY_QUEUE": "hub-eu"}, "nl": {"CELERY_QUEUE": "hub-nl"}}
    # when / then: each hub keeps its variables and gains the mail server's
    assert server.hub_env(env) == {
        slug: {
            "CELERY_QUEUE": f"hub-{slug}",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": "2525",
        }
        for slug in ("eu", "nl")
    }
