"""Harvest sources, their runs and the items they brought in."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HarvestKind(models.TextChoices):
    DCAT = "dcat", _("DCAT-AP catalogue")
    CKAN = "ckan", _("CKAN portal")
    REGISTER = "register", _("Algorithm register export")
    HUBNET = "hubnet", _("Another hub's catalogue")


class HarvestSource(models.Model):
    """A catalogue this hub harvests on a schedule; its lease makes sure only one
    worker runs it at a time, and a dead worker's lease expires."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    url = models.URLField(_("URL"), max_length=1000)
    kind = models.CharField(_("kind"), max_length=20, choices=HarvestKind.choices)
    interval_minutes = models.PositiveIntegerField(
        _("every (minutes)"), default=1440, help_text=_("0: only when run by hand.")
    )
    publish = models.BooleanField(
        _("publish at once"),
        default=False,
        help_text=_("Otherwise harvested pages wait as drafts for review."),
    )
    confirm_shrink = models.BooleanField(
        _("confirm a much smaller source"),
        default=False,
        help_text=_(
            "Tick to let the next run withdraw the items the source no longer lists."
        ),
    )
    # The last metadata_modified seen (CKAN): the next run asks only for newer.
    watermark = models.CharField(max_length=40, blank=True, editable=False)
    lease_owner = models.CharField(max_length=200, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("harvest source")
        verbose_name_plural = _("harvest sources")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class HarvestRunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    HELD = "held", _("Held: the source shrank")
    FAILED = "failed", _("Failed")


class HarvestRun(models.Model):
    """One run of a source: where it got to (so a successor resumes) and its
    report."""

    source = models.ForeignKey(
        HarvestSource, on_delete=models.CASCADE, related_name="runs"
    )
    status = models.CharField(
        max_length=10,
        choices=HarvestRunStatus.choices,
        default=HarvestRunStatus.RUNNING,
    )
    full = models.BooleanField(default=True)
    started = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    next_url = models.CharField(max_length=2000, blank=True)
    pages = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    takeovers = models.PositiveIntegerField(default=0)
    watermark = models.CharField(max_length=40, blank=True)
    # One line per refused item (source id and reason) or item kept as a draft
    # (source id and why), bounded.
    lines = models.JSONField(default=list, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ("-started", "-pk")
        indexes = (models.Index(fields=("source", "-started")),)

    def __str__(self) -> str:
        return f"{self.source} {self.started:%Y-%m-%d %H:%M} {self.status}"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished is None:
            return None
        return (self.finished - self.started).total_seconds()


class HarvestItem(models.Model):
    """One item of a source, by its stable key (source + source identifier), with
    the hash of its content when last written and the page it became."""

    source = models.ForeignKey(
        HarvestSource, on_delete=models.CASCADE, related_name="items"
    )
    source_key = models.CharField(max_length=500)
    content_hash = models.CharField(max_length=64)
    page_id = models.IntegerField(null=True, blank=True)
    seen_run = models.ForeignKey(
        HarvestRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn = models.BooleanField(default=False)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("source", "source_key"), name="harvest_item_unique_key"
            ),
        )

    def __str__(self) -> str:
        return self.source_key
