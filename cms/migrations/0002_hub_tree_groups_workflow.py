"""The hub's page tree, its editing groups and its moderation workflow.

- The page tree: a ``HubHomePage`` replaces Wagtail's "Welcome to your new Wagtail
  site!" page as the root of the default site, with one index page per kind.
- Groups, with page permissions on the home page only (least privilege):
  "Editors" add and change pages (drafts, submitting for moderation);
  "Coordinators" also publish, lock and unlock. The grants Wagtail's default
  "Editors" and "Moderators" groups have on the whole tree are removed, and the
  "Moderators" group goes when nobody is in it.
- The workflow "Hub moderation": one group approval task for the Coordinators,
  on the home page; Wagtail's default workflow on the tree root is deactivated.

Written against historical models and idempotent, so tests can run it again.
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4
INDEXES = [
    ("projectindexpage", "Projects", "projects"),
    ("datasetindexpage", "Datasets", "datasets"),
    ("courseindexpage", "Courses", "courses"),
    ("organisationindexpage", "Organisations", "organisations"),
]
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
COORDINATOR_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
]


def _step(number):
    digits = ""
    while number:
        number, digit = divmod(number, len(ALPHABET))
        digits = ALPHABET[digit] + digits
    return digits.rjust(STEPLEN, "0")


def _next_child_path(Page, parent):
    last = (
        Page.objects.filter(depth=parent.depth + 1, path__startswith=parent.path)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-STEPLEN:], len(ALPHABET)) + 1 if last else 1
    return parent.path + _step(number)


def _content_type(apps, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(
        app_label=model._meta.app_label, model=model._meta.model_name
    )
    return content_type


def _root_create(apps):
    Page = apps.get_model("wagtailcore", "Page")
    Locale = apps.get_model("wagtailcore", "Locale")
    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    return Page.objects.create(
        title="Root",
        draft_title="Root",
        slug="root",
        content_type=_content_type(apps, Page),
        path=_step(1),
        depth=1,
        numchild=0,
        url_path="/",
        locale_id=locale.pk,
    )


def hub_tree_create(apps, schema_editor):
    """Create the home page and the index pages (once)."""
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HubHomePage = apps.get_model("cms", "HubHomePage")
    if HubHomePage.objects.exists():
        return
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:  # a flushed database (tests): Wagtail's root first
        root = _root_create(apps)
    welcome = Page.objects.filter(
        depth=2,
        slug="home",
        numchild=0,
        content_type__app_label="wagtailcore",
        content_type__model="page",
    ).first()
    locale_id = (
        welcome.locale_id
        if welcome
        else Locale.objects.order_by("pk").values_list("pk", flat=True).first()
    )
    if welcome is not None:
        welcome.delete()  # its Site goes with it; a new one is made below
    now = timezone.now()
    common = {
        "locale_id": locale_id,
        "live": True,
        "has_unpublished_changes": False,
        "first_published_at": now,
        "last_published_at": now,
    }
    # Neutral, so a migrated database can be any hub's: ``hubnet hub_bootstrap``
    # names the page after the hub (databases migrated earlier keep theirs).
    title = "Home"
    home = HubHomePage.objects.create(
        title=title,
        draft_title=title,
        slug="home",
        content_type=_content_type(apps, HubHomePage),
        path=_next_child_path(Page, root),
        depth=2,
        numchild=len(INDEXES),
        url_path="/home/",
        **common,
    )
    for number, (model_name, index_title, slug) in enumerate(INDEXES, start=1):
        model = apps.get_model("cms", model_name)
        model.objects.create(
            title=index_title,
            draft_title=index_title,
            slug=slug,
            content_type=_content_type(apps, model),
            path=home.path + _step(number),
            depth=3,
            numchild=0,
            url_path=f"/home/{slug}/",
            **common,
        )
    root.numchild = Page.objects.filter(depth=2, path__startswith=root.path).count()
    root.save(update_fields=["numchild"])
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True
        )
    else:
        site.root_page_id = home.pk
        site.save(update_fields=["root_page"])


def hub_groups_create(apps, schema_editor):
    """Editors and Coordinators, with page permissions on the home page only."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    HubHomePage = apps.get_model("cms", "HubHomePage")
    home = Page.objects.get(pk=HubHomePage.objects.get().pk)
    root = Page.objects.filter(depth=1).order_by("path").first()

    editors, _ = Group.objects.get_or_create(name="Editors")
    coordinators, _ = Group.objects.get_or_create(name="Coordinators")
    GroupPagePermission.objects.filter(
        group__name__in=["Editors", "Moderators"], page=root
    ).delete()

    def page_permission(codename):
        return Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename
        )

    for group, codenames in (
        (editors, EDITOR_PAGE_PERMISSIONS),
        (coordinators, COORDINATOR_PAGE_PERMISSIONS),
    ):
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=home, permission=page_permission(codename)
            )
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    editors.permissions.add(access_admin)
    # Coordinators may use images and documents as editors do.
    coordinators.permissions.add(access_admin, *editors.permissions.all())
    for grant in GroupCollectionPermission.objects.filter(group=editors):
        GroupCollectionPermission.objects.get_or_create(
            group=coordinators, collection=grant.collection, permission=grant.permission
        )
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is not None and not moderators.user_set.exists():
        moderators.delete()


def hub_workflow_create(apps, schema_editor):
    """The Coordinators approve what Editors submit, for the whole hub."""
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    HubHomePage = apps.get_model("cms", "HubHomePage")
    home = Page.objects.get(pk=HubHomePage.objects.get().pk)
    root = Page.objects.filter(depth=1).order_by("path").first()
    coordinators = Group.objects.get(name="Coordinators")

    task = GroupApprovalTask.objects.filter(name="Coordinators approval").first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name="Coordinators approval",
            content_type=_content_type(apps, GroupApprovalTask),
            active=True,
        )
    task.groups.set([coordinators])
    workflow, created = Workflow.objects.get_or_create(
        name="Hub moderation", defaults={"active": True}
    )
    if created:
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    for default in WorkflowPage.objects.filter(page=root).exclude(workflow=workflow):
        Workflow.objects.filter(pk=default.workflow_id).update(active=False)
        default.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [
        migrations.RunPython(hub_tree_create, migrations.RunPython.noop),
        migrations.RunPython(hub_groups_create, migrations.RunPython.noop),
        migrations.RunPython(hub_workflow_create, migrations.RunPython.noop),
    ]
