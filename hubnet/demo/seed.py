"""Seeding one hub of the demo (runs inside the hub's environment, with Django).

The demo runner writes each hub's share of the plan to a seed file; the
``demo_seed`` command publishes it through the catalogue store in batches and
makes sure the hub's coordinator account exists with the password the runner
generated. Both are idempotent: items are keyed by stable record ids, and
republishing an unchanged body keeps its version.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from federation.models import StoredRecord
from federation.services.store import PublishItem, records_publish
from hubs.identity import hub_identity

COORDINATORS_GROUP = "Coordinators"
BATCH_SIZE = 250


@dataclass(frozen=True)
class SeedResult:
    published: int
    unchanged: int

    def as_dict(self) -> dict[str, int]:
        return {"published": self.published, "unchanged": self.unchanged}


def seed_file_read(path: Path) -> list[dict[str, Any]]:
    """The items of a seed file: ``{"items": [{id, kind, language, body}]}``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ValueError(f"{path} has no list of items")
    return items


def seed_register_read(path: Path) -> list[Any]:
    """The algorithm register entries of a seed file (``"register"``, optional)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = data.get("register", []) if isinstance(data, dict) else []
    if not isinstance(entries, list):
        raise ValueError(f"{path}: register is not a list of entries")
    return entries


def demo_records_publish(
    *,
    items: Sequence[dict[str, Any]],
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[int, int], None] | None = None,
) -> SeedResult:
    """Publish the items as this hub's own records, batch by batch; each record's
    canonical URL is its record page on this hub."""
    public_url = hub_identity().public_url
    published = unchanged = 0
    for start in range(0, len(items), batch_size):
        batch = items[start : start + batch_size]
        ids = [item["id"] for item in batch]
        before = dict(
            StoredRecord.objects.filter(record_id__in=ids).values_list(
                "record_id", "version"
            )
        )
        stored = records_publish(
            items=[
                PublishItem(
                    kind=item["kind"],
                    body=item["body"],
                    record_id=item["id"],
                    language=item.get("language", "en"),
                    url=f"{public_url}/records/{item['id']}/",
                )
                for item in batch
            ]
        )
        changed = sum(
            1 for record in stored if before.get(record.record_id) != record.version
        )
        published += changed
        unchanged += len(stored) - changed
        if on_batch:
            on_batch(start + len(batch), len(items))
    return SeedResult(published=published, unchanged=unchanged)


@transaction.atomic
def coordinator_ensure(
    *, username: str, password: str, email: str = "", superuser: bool = False
) -> str:
    """Create or update the hub's coordinator account; say what was done.

    The EU hub's coordinator is a superuser. Elsewhere the coordinator joins the
    "Coordinators" group (publish rights, the moderation workflow) when the hub
    has one, else becomes a staff user with access to the Wagtail admin.
    """
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=username, defaults={"email": email}
    )
    changed = created
    if not user.check_password(password):
        user.set_password(password)
        changed = True
    group = None if superuser else Group.objects.filter(name=COORDINATORS_GROUP).first()
    # Staff (Django admin login) only where needed: the superuser, or the
    # fallback when the hub has no Coordinators group.
    staff = superuser or group is None
    wanted = {"is_active": True, "is_staff": staff, "is_superuser": superuser}
    for name, value in wanted.items():
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed = True
    if email and user.email != email:
        user.email = email
        changed = True
    user.save()
    if not superuser:
        if group is not None:
            if not user.groups.filter(pk=group.pk).exists():
                user.groups.add(group)
                changed = True
        else:
            access_admin = Permission.objects.get(
                content_type__app_label="wagtailadmin", codename="access_admin"
            )
            if not user.user_permissions.filter(pk=access_admin.pk).exists():
                user.user_permissions.add(access_admin)
                changed = True
    if created:
        return "created"
    return "updated" if changed else "unchanged"
