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
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import CharField, F, OuterRef, Q, Subquery
from django.db.models.fields import Field
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.models import (
    get_all_child_m2m_relations,
    get_all_child_relations,
    get_field_value,
    get_serializable_data_for_fields,
)
from wagtail.models import COMMENTS_RELATION_NAME, Page, PageLogEntry, Revision

from cms.indexing import index_updates_defer
from cms.mapping import body_from_page
from cms.models import HubPage
from cms.services import page_is_private
from cms.wire import page_record_url
from federation.records import record_id_new
from federation.services.rows import rows_insert
from federation.services.store import PublishItem, records_publish
from federation.valid_body import ValidBody
from hubs.identity import hub_identity

# Clashing slugs looked up per query.
_INSERT_BATCH = 200


def page_slug_base(title: str) -> str:
    """The slug Wagtail would derive from ``title`` before making it unique
    among the siblings ("" when the title has no letters or digits to keep)."""
    allow_unicode = getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
    return slugify(title, allow_unicode=allow_unicode)


@transaction.atomic
def pages_bulk_create(
    *,
    parent: Page,
    pages: Sequence[HubPage],
    publish: bool,
    bodies: Sequence[ValidBody | None] = (),
) -> None:
    """Add ``pages`` (new, validated, of one specific class, each with a title
    that gives a slug) as the last children of ``parent``: published with
    their records when ``publish``, drafts otherwise. Sets each page's id.
    ``bodies``: the pages' record bodies as the caller validated them (None, or
    none given: mapped from the page and validated by the publish)."""
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
        given = list(bodies) or [None] * len(pages)
        # The sites' root paths looked up once for the batch, not once a page.
        sites = SimpleNamespace()
        records_publish(
            items=[
                PublishItem(
                    kind=page.record_kind,
                    body=body or body_from_page(page),
                    record_id=page.record_id,
                    language=page.record_language,
                    url=page_record_url(page, cache_object=sites),
                )
                for page, body in zip(pages, given, strict=True)
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
    and the pages' child rows (e.g. distributions, ids returned: the revision
    holds them)."""
    for page in pages:
        # A new page has no comments; said in memory, so nothing asks the database.
        setattr(page, COMMENTS_RELATION_NAME, [])
    # Read before the pages have ids: an unsaved page's relations are in memory.
    children = [
        (relation, page, child)
        for relation in get_all_child_relations(model)
        for page in pages
        for child in getattr(page, relation.get_accessor_name()).all()
    ]
    base_fields = [
        field for field in Page._meta.concrete_fields if not field.primary_key
    ]
    rows_insert(Page, pages, fields=base_fields, ids=True)
    for page in pages:
        page.page_ptr_id = page.id
        page._state.adding = False
    rows_insert(model, pages, fields=model._meta.local_concrete_fields)
    by_model: dict[type[models.Model], list[models.Model]] = {}
    # Their sort order stays as given: the one-page path saves the children as
    # they are.
    for relation, page, child in children:
        setattr(child, relation.field.name, page)
        by_model.setdefault(relation.related_model, []).append(child)
    for child_model, rows in by_model.items():
        rows_insert(child_model, rows, ids=True)
        for child in rows:
            child._state.adding = False


def _revisions_create(
    pages: Sequence[HubPage], content_type: ContentType, now: object
) -> list[int]:
    """Each page's first revision, pointed at as its latest (and live when
    published) revision; their ids."""
    base_type = ContentType.objects.get_for_model(Page)
    template = _row_of(
        Revision(content_type=content_type, base_content_type=base_type, created_at=now)
    )
    revisions = [
        {
            **template,
            "object_id": str(page.pk),
            "content": _content_as_saved(page),
            "object_str": str(page),
        }
        for page in pages
    ]
    ids = rows_insert(Revision, revisions, ids=True)
    for page, revision_id in zip(pages, ids, strict=True):
        page.latest_revision_id = revision_id
        page.live_revision_id = revision_id if page.live else None
    # Each new page has this one revision: one UPDATE points every page at its
    # own (``bulk_update`` would build a CASE of a thousand branches).
    own = Revision.objects.filter(
        base_content_type=base_type, object_id=Cast(OuterRef("pk"), CharField())
    ).values("pk")[:1]
    pointers: dict[str, Any] = {"latest_revision_id": Subquery(own)}
    if pages[0].live:
        pointers["live_revision_id"] = Subquery(own)
    Page.objects.filter(pk__in=[page.pk for page in pages]).update(**pointers)
    return ids


# The one-page path saves a new page as a draft (``add_child``), then its
# revision holds the page as saved: not live, not yet published or revised.
_AS_SAVED: dict[str, Any] = {
    "live": False,
    "has_unpublished_changes": False,
    "first_published_at": None,
    "last_published_at": None,
    "latest_revision_created_at": None,
}


def _content_as_saved(page: HubPage) -> dict[str, Any]:
    """The revision content of a new page as the one-page path writes it."""
    kept = {name: getattr(page, name) for name in _AS_SAVED}
    for name, value in _AS_SAVED.items():
        setattr(page, name, value)
    try:
        return _serializable_data(page)
    finally:
        for name, value in kept.items():
            setattr(page, name, value)


def _serializable_data(page: HubPage) -> dict[str, Any]:
    """``page.serializable_data()`` as modelcluster writes it (the page's fields,
    then its child relations' rows and its child m2m ids), with each plain
    field's value taken as it is where ``get_field_value`` gives it back as it
    is (for a value of a type in ``_AS_IS``): a dozen calls a field, fifty
    fields a page."""
    key = page._meta.pk
    while key is not None and key.remote_field and key.remote_field.parent_link:
        key = key.remote_field.model._meta.pk
    data = {"pk": get_field_value(key, page)}
    for field, plain in _serialized_fields(type(page)):
        value = getattr(page, field.attname) if plain else None
        if not plain or type(value) not in _AS_IS:
            value = get_field_value(field, page)
        data[field.name] = value
    for relation in get_all_child_relations(page):
        related = relation.related_model
        children = getattr(page, relation.get_accessor_name()).all()
        data[relation.get_accessor_name()] = [
            child.serializable_data()
            if hasattr(related, "serializable_data")
            else get_serializable_data_for_fields(child)
            for child in children
        ]
    for m2m in get_all_child_m2m_relations(page):
        if m2m.serialize:
            data[m2m.name] = [child.pk for child in getattr(page, m2m.name).all()]
    return data


# Values ``get_field_value`` returns unchanged from a plain field (None and
# numbers as protected types; text through ``Field.value_to_string``'s ``str``).
_AS_IS = frozenset({str, int, float, bool, type(None)})
_SERIALIZED: dict[type[models.Model], list[tuple[Field, bool]]] = {}


def _serialized_fields(model: type[models.Model]) -> list[tuple[Field, bool]]:
    """The fields modelcluster serialises, each with whether it is plain: no
    relation, and ``Field``'s own ``pre_save`` and ``value_to_string``."""
    if model not in _SERIALIZED:
        _SERIALIZED[model] = [
            (
                field,
                field.remote_field is None
                and type(field).pre_save is Field.pre_save
                and type(field).value_to_string is Field.value_to_string,
            )
            for field in model._meta.fields
            if field.serialize  # type: ignore[attr-defined]
        ]
    return _SERIALIZED[model]


def _log_entries_create(
    pages: Sequence[HubPage],
    revisions: Sequence[int],
    content_type: ContentType,
    now: object,
    *,
    publish: bool,
) -> None:
    """What ``add_child``, ``save_revision(log_action=True)`` and
    ``revision.publish()`` log: the creation, the edit, the publish."""
    actions = ["wagtail.create", "wagtail.edit"] + (["wagtail.publish"] * publish)
    template = _row_of(
        PageLogEntry(
            content_type=content_type, timestamp=now, data={}, content_changed=True
        )
    )
    rows = []
    for page, revision in zip(pages, revisions, strict=True):
        label = page.get_admin_display_title()
        rows += [
            {
                **template,
                "label": label,
                "action": action,
                "page_id": page.pk,
                "revision_id": None if action == "wagtail.create" else revision,
            }
            for action in actions
        ]
    rows_insert(PageLogEntry, rows)


def _row_of(instance: models.Model) -> dict[str, Any]:
    """An unsaved instance's column values by ``attname``: the defaults shared by
    rows built from it."""
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if not field.primary_key
    }
