"""Creating many new record pages under one parent at once (a harvest's page
of new items), with what Wagtail's one-page path leaves behind.

``add_child`` + ``save_revision`` + ``revision.publish()`` cost about a hundred
queries per page (slug checks, treebeard's parent lookups, the revision, the
log entries, the publish signal's record). Here the new children of one parent
get their tree paths counted on from the parent's last child once, their slugs
checked against the siblings in one query, and pages, rows, revisions, log
entries and records go in a few bulk statements per batch. The tree stays what
treebeard would make (``Page.find_problems()`` finds nothing), each page has the
revision and the log entries ("wagtail.create", "wagtail.edit", then
"wagtail.publish") that the one-page path writes, and a published page's
record goes through ``records_publish`` as the publish signal's would.
Wagtail's own search and reference index entries are left to the deferred
indexing (``cms.indexing``).

Callers validate the pages first (fields, ``page_problems``, the record body):
nothing here refuses a page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import CharField, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.models import get_all_child_relations
from wagtail.models import COMMENTS_RELATION_NAME, Page, PageLogEntry, Revision

from cms.indexing import index_updates_defer
from cms.mapping import body_from_page
from cms.models import HubPage
from cms.services import page_is_private
from cms.wire import page_record_url
from federation.records import record_id_new
from federation.services.store import PublishItem, records_publish
from hubs.identity import hub_identity

# Rows per INSERT of the pages' own table (about 30 columns each).
_INSERT_BATCH = 200


def page_slug_base(title: str) -> str:
    """The slug Wagtail would derive from ``title`` before making it unique
    among the siblings ("" when the title has no letters or digits to keep)."""
    allow_unicode = getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
    return slugify(title, allow_unicode=allow_unicode)


@transaction.atomic
def pages_bulk_create(*, parent: Page, pages: Sequence[HubPage], publish: bool) -> None:
    """Add ``pages`` (new, validated, of one specific class, each with a title
    that gives a slug) as the last children of ``parent``: published with
    their records when ``publish``, drafts otherwise. Sets each page's id."""
    if not pages:
        return
    model = type(pages[0])
    # The parent's row locked: no other writer adds children meanwhile.
    parent = Page.objects.select_for_update().select_related("locale").get(pk=parent.pk)
    now = timezone.now()
    private = publish and page_is_private(parent)
    origin = hub_identity().slug
    paths = _child_paths(parent, len(pages))
    slugs = _slugs_free(parent, [page_slug_base(page.title) for page in pages])
    content_type = ContentType.objects.get_for_model(model)
    for page, path, slug in zip(pages, paths, slugs, strict=True):
        page.path, page.depth, page.numchild = path, parent.depth + 1, 0
        page.slug = slug
        page.set_url_path(parent)
        page.locale = parent.locale
        page.content_type = content_type
        page.draft_title = page.title
        page.live = publish
        page.has_unpublished_changes = not publish
        page.latest_revision_created_at = now
        if publish:
            page.first_published_at = page.last_published_at = now
            if not private:
                page.record_id = record_id_new(origin=origin, kind=page.record_kind)
    _rows_insert(model, pages)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    revisions = _revisions_create(pages, content_type, now)
    _log_entries_create(pages, revisions, content_type, now, publish=publish)
    if publish and not private:
        records_publish(
            items=[
                PublishItem(
                    kind=page.record_kind,
                    body=body_from_page(page),
                    record_id=page.record_id,
                    language=page.record_language,
                    url=page_record_url(page),
                )
                for page in pages
            ]
        )
    index_updates_defer(
        app_label=model._meta.app_label,
        model_name=model._meta.model_name or "",
        pks=[page.pk for page in pages],
    )


def _child_paths(parent: Page, count: int) -> list[str]:
    """Tree paths for ``count`` new last children of ``parent``, as treebeard's
    ``add_child`` would give them one by one."""
    last = parent.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last is not None else 0
    return [
        Page._get_path(parent.path, parent.depth + 1, step + number)
        for number in range(1, count + 1)
    ]


def _slugs_free(parent: Page, bases: list[str]) -> list[str]:
    """Sibling-unique slugs from ``bases``, suffixed "-2", "-3", ... as Wagtail's
    ``_get_autogenerated_slug`` does."""
    siblings = Page.objects.child_of(parent)
    taken = set(siblings.filter(slug__in=set(bases)).values_list("slug", flat=True))
    counts = Counter(bases)
    clashing = sorted(taken | {base for base, count in counts.items() if count > 1})
    for start in range(0, len(clashing), _INSERT_BATCH):
        suffixed = Q()
        for base in clashing[start : start + _INSERT_BATCH]:
            suffixed |= Q(slug__startswith=f"{base}-")
        taken.update(siblings.filter(suffixed).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        candidate, suffix = base, 1
        while candidate in taken:
            suffix += 1
            candidate = f"{base}-{suffix}"
        taken.add(candidate)
        slugs.append(candidate)
    return slugs


def _rows_insert(model: type[HubPage], pages: Sequence[HubPage]) -> None:
    """The base ``Page`` rows (ids returned), then the specific class's rows
    and the pages' child rows (e.g. distributions)."""
    for page in pages:
        # A new page has no comments; said in memory, so nothing asks the database.
        setattr(page, COMMENTS_RELATION_NAME, [])
    # Read before the pages have ids: an unsaved page's relations are in memory.
    children = [
        (relation, page, order, child)
        for relation in get_all_child_relations(model)
        for page in pages
        for order, child in enumerate(getattr(page, relation.get_accessor_name()).all())
    ]
    base_fields = [
        field for field in Page._meta.concrete_fields if not field.primary_key
    ]
    bases = [
        Page(**{field.attname: getattr(page, field.attname) for field in base_fields})
        for page in pages
    ]
    Page.objects.bulk_create(bases)
    for page, base in zip(pages, bases, strict=True):
        page.id = page.page_ptr_id = base.pk
        page._state.adding = False
    fields = list(model._meta.local_concrete_fields)
    for start in range(0, len(pages), _INSERT_BATCH):
        model._base_manager._insert(pages[start : start + _INSERT_BATCH], fields=fields)
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for relation, page, order, child in children:
        setattr(child, relation.field.name, page)
        if hasattr(child, "sort_order"):
            child.sort_order = order
        by_model.setdefault(relation.related_model, []).append(child)
    for child_model, rows in by_model.items():
        child_model._default_manager.bulk_create(rows)


def _revisions_create(
    pages: Sequence[HubPage], content_type: ContentType, now: object
) -> list[Revision]:
    """Each page's first revision, pointed at as its latest (and live when
    published) revision."""
    base_type = ContentType.objects.get_for_model(Page)
    revisions = [
        Revision(
            content_type=content_type,
            base_content_type=base_type,
            object_id=str(page.pk),
            content=page.serializable_data(),
            object_str=str(page),
            created_at=now,
        )
        for page in pages
    ]
    Revision.objects.bulk_create(revisions)
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = revision
        page.live_revision = revision if page.live else None
    # Each new page has this one revision: one UPDATE points every page at its
    # own (``bulk_update`` would build a CASE of a thousand branches).
    own = Revision.objects.filter(
        base_content_type=base_type, object_id=Cast(OuterRef("pk"), CharField())
    ).values("pk")[:1]
    pointers: dict[str, Any] = {"latest_revision_id": Subquery(own)}
    if pages[0].live:
        pointers["live_revision_id"] = Subquery(own)
    Page.objects.filter(pk__in=[page.pk for page in pages]).update(**pointers)
    return revisions


def _log_entries_create(
    pages: Sequence[HubPage],
    revisions: Sequence[Revision],
    content_type: ContentType,
    now: object,
    *,
    publish: bool,
) -> None:
    """What ``add_child``, ``save_revision(log_action=True)`` and
    ``revision.publish()`` log: the creation, the edit, the publish."""
    actions = ["wagtail.create", "wagtail.edit"] + (["wagtail.publish"] * publish)
    PageLogEntry.objects.bulk_create(
        [
            PageLogEntry(
                content_type=content_type,
                label=page.get_admin_display_title(),
                action=action,
                timestamp=now,
                data={},
                page=page,
                revision=None if action == "wagtail.create" else revision,
                content_changed=True,
            )
            for page, revision in zip(pages, revisions, strict=True)
            for action in actions
        ]
    )
