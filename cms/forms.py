"""The admin form of record pages: publish rules checked with the submitted
inline rows, messages placed on the field or inline panel they concern.

Wagtail validates a draft with required fields deferred; publishing and
submitting for moderation validate fully. The publish rules (a high-risk project
needs an impact assessment, the record body must validate, ...) follow the same
split: a draft may be incomplete, a page cannot go live incomplete.
"""

from __future__ import annotations

from typing import Any

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import COMMENTS_RELATION_NAME

from cms.validation import Problems, publish_problems

_DEFERRED = "_cms_publish_rules_deferred"


def publish_rules_deferred(page: Any) -> bool:
    """Whether the admin form is validating ``page`` and checks publish rules
    itself (the model's ``clean()`` then skips them)."""
    return bool(getattr(page, _DEFERRED, False))


class HubPageForm(WagtailAdminPageForm):
    """Adds the publish rules to full validation (publish, submit, approve)."""

    def _post_clean(self) -> None:
        # The model's clean() runs here, before the inline rows are validated;
        # it must not judge rules that depend on them.
        setattr(self.instance, _DEFERRED, True)
        try:
            super()._post_clean()
        finally:
            delattr(self.instance, _DEFERRED)

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if valid and not self.is_deferred_validation:
            valid = self._publish_rules_check()
        return valid

    def _publish_rules_check(self) -> bool:
        for name, formset in self.formsets.items():
            if name != COMMENTS_RELATION_NAME:
                # Puts the submitted rows on the in-memory page (no database write).
                formset.save(commit=False)
        problems = publish_problems(self.instance)
        self._problems_show(problems)
        return not problems

    def _problems_show(self, problems: Problems) -> None:
        for name, messages in problems.items():
            if name in self.fields:
                self.add_error(name, messages)
            elif name in self.formsets:
                # Shown above the inline panel, and in the summary at the top.
                self.formsets[name].non_form_errors().extend(messages)
                self.add_error(None, messages)
            else:
                self.add_error(None, messages)
