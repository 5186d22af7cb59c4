"""Links from one record page to another record: a page of this hub, or the
record id of a record held here (own or federated from another hub)."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from federation.records import RECORD_ID
from federation.selectors import record_get


class RecordReference(models.Model):
    """An inline row pointing at one record of ``reference_kind``.

    ``reference_fields`` names the page foreign key and the record id text field;
    exactly one of them is filled in.
    """

    reference_kind: ClassVar[str]
    reference_fields: ClassVar[tuple[str, str]]

    class Meta:
        abstract = True

    @property
    def reference(self) -> str:
        """The referenced record id ('' when the chosen page is not published)."""
        page_field, id_field = self.reference_fields
        if getattr(self, f"{page_field}_id"):
            page = getattr(self, page_field)
            return page.record_id if page is not None and page.live else ""
        return getattr(self, id_field).strip()

    def clean(self) -> None:
        super().clean()
        page_field, id_field = self.reference_fields
        record_id = getattr(self, id_field).strip()
        setattr(self, id_field, record_id)
        if bool(getattr(self, f"{page_field}_id")) == bool(record_id):
            raise ValidationError(
                {
                    id_field: _(
                        "Choose a page of this hub or give the record id of another "
                        "hub's record: one of the two."
                    )
                }
            )
        if record_id:
            self._record_id_check(id_field, record_id)

    def _record_id_check(self, id_field: str, record_id: str) -> None:
        match = RECORD_ID.match(record_id)
        if match is None or match["kind"] != self.reference_kind:
            raise ValidationError(
                {
                    id_field: _(
                        "This is not the record id of a %(kind)s; it looks like "
                        "<hub>:%(kind)s:<uuid>."
                    )
                    % {"kind": self.reference_kind}
                }
            )
        held = record_get(record_id=record_id)
        if held is None or held.deleted:
            raise ValidationError(
                {
                    id_field: _(
                        "This hub holds no %(kind)s with this record id (yet). "
                        "Check the id, or wait until the hub has synced."
                    )
                    % {"kind": self.reference_kind}
                }
            )
