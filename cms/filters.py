"""The filter forms of the public index pages: one per record kind, submitted
with GET (they work without JavaScript) and turned into a ``CatalogueFilter``.

A value that does not validate is shown with its message and left out of the
filter; the other filters still apply.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cms.selectors import CatalogueFilter
from federation.vocabularies import (
    AccessRights,
    AiActClass,
    CourseMode,
    EdihService,
    EuDataTheme,
    OrganisationType,
    ProjectStatus,
    TargetGroup,
    country_choices,
    nuts_codes_validate,
)

ANY = ("", _("Any"))


def _choice(label: Any, choices: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=[ANY, *choices], required=False, **kwargs
    )


class CatalogueFilterForm(forms.Form):
    """The filters every kind has: name, place and where records come from."""

    kind: str = ""
    # Form fields that map one to one onto ``CatalogueFilter`` attributes.
    direct_fields: tuple[str, ...] = ()

    text = forms.CharField(
        label=_("Name contains"), required=False, max_length=100, strip=True
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    nuts = forms.CharField(
        label=_("Region (NUTS code)"),
        required=False,
        max_length=5,
        help_text=_("E.g. NL41 for Noord-Brabant; regions inside it are included."),
    )
    scope = forms.ChoiceField(
        label=_("From"),
        required=False,
        choices=[
            ("", _("All hubs")),
            ("own", _("This hub only")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country = cast(forms.ChoiceField, self.fields["country"])
        country.choices = [ANY, *country_choices()]

    def clean_nuts(self) -> str:
        code = self.cleaned_data.get("nuts", "").strip().upper()
        if code:
            try:
                nuts_codes_validate([code])
            except ValidationError as error:
                raise ValidationError(
                    _("%(code)s is not a NUTS 2021 region code, e.g. NL41."),
                    code="unknown_nuts",
                    params={"code": code},
                ) from error
        return code

    def catalogue_filter(self) -> CatalogueFilter:
        """The filter of the valid fields (call after ``is_valid()``)."""
        data = getattr(self, "cleaned_data", {})
        values: dict[str, Any] = {
            name: data[name] or None for name in self.direct_fields if name in data
        }
        return CatalogueFilter(
            kind=self.kind,
            text=data.get("text") or None,
            country=data.get("country") or None,
            nuts=data.get("nuts") or None,
            own=data.get("scope") == "own",
            **values,
        )

    @property
    def is_filtered(self) -> bool:
        """Whether any filter is set."""
        return any(
            value not in ("", None)
            for name, value in getattr(self, "cleaned_data", {}).items()
        )


class ProjectFilterForm(CatalogueFilterForm):
    kind = "project"
    direct_fields = ("status", "theme", "ai_act_class")
    field_order = ["text", "status", "ai_act_class", "theme", "country", "nuts"]

    status = _choice(_("Status"), ProjectStatus.choices)
    ai_act_class = _choice(_("AI Act class"), AiActClass.choices)
    theme = _choice(_("Theme"), EuDataTheme.choices)


class DatasetFilterForm(CatalogueFilterForm):
    kind = "dataset"
    direct_fields = ("theme", "access_rights")
    field_order = ["text", "theme", "access_rights", "country", "nuts"]

    theme = _choice(_("Theme"), EuDataTheme.choices)
    access_rights = _choice(_("Access"), AccessRights.choices)


class CourseFilterForm(CatalogueFilterForm):
    kind = "course"
    direct_fields = ("target_group", "mode")
    field_order = ["text", "target_group", "mode", "country", "nuts"]

    target_group = _choice(_("For"), TargetGroup.choices)
    mode = _choice(_("Mode"), CourseMode.choices)


class OrganisationFilterForm(CatalogueFilterForm):
    kind = "organisation"
    direct_fields = ("organisation_type", "service")
    field_order = [
        "text",
        "organisation_type",
        "service",
        "open_to_partnership",
        "country",
        "nuts",
    ]

    organisation_type = _choice(_("Type"), OrganisationType.choices)
    service = _choice(_("Service offered"), EdihService.choices)
    open_to_partnership = forms.BooleanField(
        label=_("Only organisations open to partnership"), required=False
    )

    def catalogue_filter(self) -> CatalogueFilter:
        data = getattr(self, "cleaned_data", {})
        base = super().catalogue_filter()
        return CatalogueFilter(
            **{
                **base.__dict__,
                "open_to_partnership": True
                if data.get("open_to_partnership")
                else None,
            }
        )


FILTER_FORMS: dict[str, type[CatalogueFilterForm]] = {
    form.kind: form
    for form in (
        ProjectFilterForm,
        DatasetFilterForm,
        CourseFilterForm,
        OrganisationFilterForm,
    )
}


def filter_form(kind: str, data: Any) -> CatalogueFilterForm:
    """The bound, validated filter form of ``kind`` for request data (GET)."""
    form = FILTER_FORMS[kind](data=data or None)
    form.is_valid()
    return form
