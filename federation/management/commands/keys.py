"""This hub's signing keys and the keys it pinned: show, rotate, revoke.

hubnet keys show            # every key held, as JSON lines
hubnet keys rotate          # a new key, announced with the old one
hubnet keys revoke KEY_ID   # refuse that key's records from now on
"""

import json

from django.core.management.base import BaseCommand, CommandError

from federation.services.keys import (
    KeyOperationRefused,
    key_revoke,
    key_rotate,
    own_key,
    own_key_pinned,
)
from hubs.models import HubKey


def _line(key: HubKey) -> str:
    return json.dumps(
        {
            "origin": key.origin,
            "keyId": key.key_id,
            "publicKey": key.public_key,
            "createdAt": key.created_at.isoformat(),
            "firstSeenAt": key.first_seen_at.isoformat(),
            "rotatedAt": key.rotated_at.isoformat() if key.rotated_at else None,
            "revokedAt": key.revoked_at.isoformat() if key.revoked_at else None,
        }
    )


class Command(BaseCommand):
    help = "Show, rotate or revoke this hub's signing keys."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["show", "rotate", "revoke"])
        parser.add_argument("key_id", nargs="?", help="the key to revoke")

    def handle(self, *args, action: str, key_id: str | None, **options) -> None:
        try:
            if action == "rotate":
                key = key_rotate()
                self.stdout.write(f"rotated: this hub now signs with {key.key_id}")
            elif action == "revoke":
                if not key_id:
                    raise CommandError("revoke needs the KEY_ID to revoke")
                key = key_revoke(revoked_key_id=key_id)
                self.stdout.write(
                    f"revoked {key.key_id}; this hub signs with {own_key().key_id}"
                )
            else:
                current = own_key_pinned().key_id
                self.stdout.write(f"current: {current}")
                for key in HubKey.objects.all():
                    self.stdout.write(_line(key))
        except KeyOperationRefused as error:
            raise CommandError(str(error)) from None
