"""Running a harvest: one source at a time under a lease, page by page, each
page committed with the run's progress so a successor resumes where a dead
worker stopped.

An item is keyed by its source and its identifier there; an item whose content
hash is the one last written is left alone ("unchanged": no new version). A
full run withdraws the items the source no longer lists, unless the source
shrank below ``HARVEST_SHRINK_RATIO`` of what it had: then the run is held
until an administrator confirms. A CKAN source runs incrementally after its
first full run; a package marked deleted is withdrawn.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cms.indexing import indexing_deferred
from federation.records import RecordInvalid
from federation.services.rows import rows_insert
from standards.harvest.ckan import ckan_first_url
from standards.harvest.dcat import PageMalformed
from standards.harvest.fetch import HarvestFetchError, HarvestTransient
from standards.harvest.items import Item, ItemRefused, Refusal
from standards.harvest.models import (
    HarvestItem,
    HarvestKind,
    HarvestRun,
    HarvestRunStatus,
    HarvestSource,
)
from standards.harvest.pages import (
    dataset_page_write,
    dataset_pages_create,
    page_withdraw,
    register_page_write,
)
from standards.harvest.read_ahead import source_pages

LINES_KEPT = 1000
# Kinds whose new items are dataset pages, created in bulk per source page.
BULK_KINDS = frozenset({HarvestKind.DCAT, HarvestKind.HUBNET, HarvestKind.CKAN})


class HarvestSourceInvalid(ValueError):
    """A source that cannot be added; the message says why."""


def harvest_source_add(
    *,
    name: str,
    url: str,
    kind: str,
    interval_minutes: int = 1440,
    publish: bool = False,
) -> HarvestSource:
    """Add a source to harvest; ``HarvestSourceInvalid`` for a bad one."""
    if kind not in HarvestKind.values:
        raise HarvestSourceInvalid(
            f"unknown kind {kind!r}: one of {', '.join(HarvestKind.values)}"
        )
    try:
        URLValidator(schemes=("http", "https"))(url)
    except ValidationError:
        raise HarvestSourceInvalid(f"not an http(s) URL: {url[:200]!r}") from None
    if not name.strip():
        raise HarvestSourceInvalid("a source needs a name")
    try:
        return HarvestSource.objects.create(
            name=name.strip(),
            url=url,
            kind=kind,
            interval_minutes=interval_minutes,
            publish=publish,
        )
    except IntegrityError:
        raise HarvestSourceInvalid(f"a source named {name!r} exists") from None


def harvest_source_remove(*, name: str, withdraw: bool = False) -> int:
    """Remove a source and its history (its pages stay, unless ``withdraw``);
    the number of pages withdrawn."""
    source = HarvestSource.objects.filter(name=name).first()
    if source is None:
        raise HarvestSourceInvalid(f"no source named {name!r}")
    withdrawn = 0
    if withdraw:
        for item in source.items.filter(withdrawn=False):
            withdrawn += int(page_withdraw(page_id=item.page_id))
    source.delete()
    return withdrawn


def harvest_lease_take(*, source_id: int, owner: str) -> bool:
    """Take the source's lease for ``owner`` when it is free, expired or already
    theirs; False when another live worker holds it."""
    now = timezone.now()
    with transaction.atomic():
        source = (
            HarvestSource.objects.select_for_update(skip_locked=True)
            .filter(pk=source_id)
            .filter(
                Q(lease_until__isnull=True)
                | Q(lease_until__lt=now)
                | Q(lease_owner=owner)
            )
            .first()
        )
        if source is None:
            return False
        source.lease_owner = owner
        source.lease_until = now + dt.timedelta(seconds=settings.HARVEST_LEASE_SECONDS)
        source.save(update_fields=["lease_owner", "lease_until"])
    return True


def harvest_lease_release(*, source_id: int, owner: str) -> None:
    """Free the source's lease if ``owner`` holds it."""
    HarvestSource.objects.filter(pk=source_id, lease_owner=owner).update(
        lease_owner="", lease_until=None
    )


def harvest_run(
    *, source_id: int, owner: str, full: bool = False, only_if_due: bool = False
) -> HarvestRun | None:
    """Run source ``source_id`` for worker ``owner`` (resuming its unfinished
    run); None when another worker holds it, or when ``only_if_due`` and it is
    not due (a scheduled run queued twice runs once). Raises
    ``HarvestTransient`` (the run stays open for a retry) when the source
    failed in a way that may pass."""
    if not harvest_lease_take(source_id=source_id, owner=owner):
        return None
    try:
        source = HarvestSource.objects.get(pk=source_id)
        if only_if_due and not _due(source, timezone.now(), lease_free=True):
            return None
        run = _run_open(source, full=full)
        with _old_objects_frozen():
            _run_pages(source, run, owner)
            if run.status == HarvestRunStatus.RUNNING:
                _run_finish(source, run)
        return run
    finally:
        harvest_lease_release(source_id=source_id, owner=owner)


@contextmanager
def _old_objects_frozen() -> Iterator[None]:
    """The objects older than the run left out of the collector's full passes
    while it runs (``gc.freeze``): writing a page of models at a time sets one
    off every page or two, and each scanned the process's few hundred thousand
    objects of Django, Wagtail and the rest anew (~0.2 s). After the run they
    are scanned again (and collected, if they became garbage meanwhile)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _run_open(source: HarvestSource, *, full: bool) -> HarvestRun:
    run = source.runs.filter(status=HarvestRunStatus.RUNNING).first()
    if run is not None:
        run.takeovers += 1
        run.save(update_fields=["takeovers"])
        return run
    incremental = (
        source.kind == HarvestKind.CKAN and bool(source.watermark) and not full
    )
    return HarvestRun.objects.create(source=source, full=not incremental)


def _first_url(source: HarvestSource, run: HarvestRun) -> str:
    if source.kind == HarvestKind.CKAN:
        return ckan_first_url(
            base=source.url, since="" if run.full else source.watermark
        )
    return source.url


def _run_pages(source: HarvestSource, run: HarvestRun, owner: str) -> None:
    deadline = time.monotonic() + settings.HARVEST_RUN_DEADLINE
    with source_pages(
        kind=source.kind,
        url=run.next_url or _first_url(source, run),
        deadline=deadline,
        publisher=source.name,
    ) as pages:
        while pages.url:
            if time.monotonic() >= deadline:
                _run_end(run, HarvestRunStatus.FAILED, "the run's deadline passed")
                return
            try:
                page = pages.read()
            except HarvestTransient as error:
                run.reason = f"will retry: {error}"[:2000]
                run.save(update_fields=["reason"])
                raise
            except (HarvestFetchError, PageMalformed) as error:
                _run_end(run, HarvestRunStatus.FAILED, str(error))
                return
            with transaction.atomic(), indexing_deferred():
                _page_harvest(source, run, page.items)
                run.pages += 1
                run.next_url = page.next_url
                run.watermark = max(run.watermark, page.watermark)
                run.save()
                HarvestSource.objects.filter(pk=source.pk, lease_owner=owner).update(
                    lease_until=timezone.now()
                    + dt.timedelta(seconds=settings.HARVEST_LEASE_SECONDS)
                )


def _page_harvest(
    source: HarvestSource, run: HarvestRun, entries: list[Item | Refusal]
) -> None:
    """One page of the source: its items looked up by key in one query,
    unchanged ones marked seen in one, new datasets created in bulk; the rest
    (changed, deleted, register entries, a key twice on the page, and what the
    bulk path leaves) one by one."""
    keys = Counter(entry.source_id for entry in entries if isinstance(entry, Item))
    known = {
        item.source_key: item
        for item in HarvestItem.objects.filter(source=source, source_key__in=keys)
    }
    unchanged: list[int] = []
    fresh: list[Item] = []
    one_by_one: list[Item] = []
    for entry in entries:
        if isinstance(entry, Refusal):
            _refuse(run, entry.source_id, entry.reason)
            continue
        item = known.get(entry.source_id)
        if keys[entry.source_id] > 1:
            one_by_one.append(entry)
        elif item is not None and item.seen_run_id == run.pk:
            continue  # counted already (a page read again after a takeover)
        elif _unchanged(item, entry):
            unchanged.append(item.pk)  # type: ignore[union-attr]
        elif item is None and not entry.deleted and source.kind in BULK_KINDS:
            fresh.append(entry)
        else:
            one_by_one.append(entry)
    HarvestItem.objects.filter(pk__in=unchanged).update(seen_run=run)
    run.unchanged += len(unchanged)
    if fresh:
        created, rest = dataset_pages_create(items=fresh, publish=source.publish)
        rows_insert(
            HarvestItem,
            [
                HarvestItem(
                    source=source,
                    source_key=entry.source_id,
                    content_hash=entry.content_hash,
                    page_id=page_id,
                    seen_run=run,
                )
                for entry, page_id in created
            ],
        )
        for entry, _page_id in created:
            if entry.note:
                _line(run, entry.source_id, entry.note)
        run.created += len(created)
        one_by_one += rest
    for entry in one_by_one:
        _item_harvest(source, run, entry)


def _unchanged(item: HarvestItem | None, entry: Item) -> bool:
    return (
        item is not None
        and not entry.deleted
        and not item.withdrawn
        and item.content_hash == entry.content_hash
    )


def _item_harvest(source: HarvestSource, run: HarvestRun, entry: Item) -> None:
    known = HarvestItem.objects.filter(
        source=source, source_key=entry.source_id
    ).first()
    if known is not None and known.seen_run_id == run.pk:
        return  # counted already: the same item twice on the source's pages
    if entry.deleted:
        if known is not None and not known.withdrawn:
            with transaction.atomic():
                page_withdraw(page_id=known.page_id)
                known.withdrawn = True
                known.seen_run = run
                known.save(update_fields=["withdrawn", "seen_run"])
            run.withdrawn += 1
        return
    digest = entry.content_hash
    if known is not None and known.content_hash == digest and not known.withdrawn:
        known.seen_run = run
        known.save(update_fields=["seen_run"])
        run.unchanged += 1
        return
    try:
        with transaction.atomic():
            outcome, page_id, note = _write(source, entry, known)
            HarvestItem.objects.update_or_create(
                source=source,
                source_key=entry.source_id,
                defaults={
                    "content_hash": digest,
                    "page_id": page_id,
                    "seen_run": run,
                    "withdrawn": False,
                },
            )
    except (ItemRefused, RecordInvalid) as error:
        _refuse(run, entry.source_id, str(error))
        return
    except ValidationError as error:
        _refuse(run, entry.source_id, "; ".join(error.messages))
        return
    for line in (entry.note, note):
        if line:
            _line(run, entry.source_id, line)
    if known is None or outcome == "created":
        run.created += 1
    elif outcome == "unchanged":
        run.unchanged += 1
    else:
        run.updated += 1


def _write(
    source: HarvestSource, entry: Item, known: HarvestItem | None
) -> tuple[str, int, str]:
    if source.kind == HarvestKind.REGISTER:
        return register_page_write(item=entry, publish=source.publish)
    return dataset_page_write(
        item=entry, page_id=known.page_id if known else None, publish=source.publish
    )


def _refuse(run: HarvestRun, source_id: str, reason: str) -> None:
    run.refused += 1
    _line(run, source_id, reason)


def _line(run: HarvestRun, source_id: str, reason: str) -> None:
    if len(run.lines) < LINES_KEPT:
        run.lines.append({"id": source_id[:500], "reason": reason[:500]})


def _run_finish(source: HarvestSource, run: HarvestRun) -> None:
    if run.full:
        gone = source.items.filter(withdrawn=False).exclude(seen_run=run)
        had = source.items.filter(withdrawn=False).count()
        seen = had - gone.count()
        if (
            gone.exists()
            and seen < had * settings.HARVEST_SHRINK_RATIO
            and not source.confirm_shrink
        ):
            _run_end(
                run,
                HarvestRunStatus.HELD,
                f"the source lists {seen} of the {had} items harvested before "
                "(under the shrink ratio): nothing withdrawn until an "
                "administrator confirms",
            )
            return
        with indexing_deferred():
            withdrawn = _withdraw_all(gone)
        run.withdrawn += withdrawn
    HarvestSource.objects.filter(pk=source.pk).update(
        confirm_shrink=False, watermark=run.watermark or source.watermark
    )
    _run_end(run, HarvestRunStatus.DONE, "")


def _withdraw_all(gone: Any) -> int:
    withdrawn = 0
    for item in gone.iterator():
        with transaction.atomic():
            page_withdraw(page_id=item.page_id)
            HarvestItem.objects.filter(pk=item.pk).update(withdrawn=True)
        withdrawn += 1
    return withdrawn


def _run_end(run: HarvestRun, status: str, reason: str) -> None:
    run.status = status
    run.reason = reason[:2000]
    run.finished = timezone.now()
    run.save()
    kept = HarvestRun.objects.filter(source_id=run.source_id).values_list(
        "pk", flat=True
    )[: settings.HARVEST_RUNS_KEPT]
    HarvestRun.objects.filter(source_id=run.source_id).exclude(
        pk__in=list(kept)
    ).delete()


def harvest_run_abandon(*, source_id: int, reason: str) -> None:
    """End the source's open run as failed (its retries are used up): what it
    wrote stays, nothing is withdrawn, the next scheduled run starts afresh."""
    run = HarvestRun.objects.filter(
        source_id=source_id, status=HarvestRunStatus.RUNNING
    ).first()
    if run is not None:
        _run_end(run, HarvestRunStatus.FAILED, reason)


def harvest_sources_due(*, now: dt.datetime | None = None) -> list[int]:
    """Ids of the sources to run now: their interval has passed since their
    last run began, or their open run's worker is gone (lease expired)."""
    now = now or timezone.now()
    return [
        source.pk
        for source in HarvestSource.objects.all()
        if _due(
            source,
            now,
            lease_free=source.lease_until is None or source.lease_until < now,
        )
    ]


def _due(source: HarvestSource, now: dt.datetime, *, lease_free: bool) -> bool:
    last: Any = source.runs.first()
    if not lease_free:
        return False
    if last is not None and last.status == HarvestRunStatus.RUNNING:
        return True
    return bool(source.interval_minutes) and (
        last is None
        or last.started + dt.timedelta(minutes=source.interval_minutes) <= now
    )
