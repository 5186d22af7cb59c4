"""Validation rules of record pages, with messages for the field they concern.

Two sets: *coherence* rules hold for every save, drafts included (dates in order,
a point has both coordinates, an override has a reason); *publish* rules hold for
what goes live (a high-risk project names its impact assessment, human oversight
and objection route; references are published; the record body validates against
``federation.records``). Functions return ``{field name: [message, ...]}``; the
model's ``clean()`` and the admin form turn that into errors on the fields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from pydantic import ValidationError as BodyError

from cms.mapping import body_from_page, page_field_for
from federation.records import BODY_MODELS, Kind
from federation.valid_body import ValidBody
from federation.vocabularies import AiActClass, country_of_nuts

if TYPE_CHECKING:
    from cms.models import HubPage, ProjectPage

Problems = dict[str, list[str]]


def page_problems(
    page: HubPage, *, publishing: bool, body: ValidBody | None = None
) -> Problems:
    """Coherence problems, and publish problems too when ``publishing``;
    ``body``: the record body mapped from the page as it is, which the caller
    validated (its schema is not checked a second time)."""
    problems = coherence_problems(page)
    if publishing:
        _merge(problems, publish_problems(page, body=body))
    return problems


def coherence_problems(page: HubPage) -> Problems:
    """Rules every saved version of ``page`` must keep, drafts included."""
    problems: Problems = {}
    if (page.latitude is None) != (page.longitude is None):
        missing = "longitude" if page.longitude is None else "latitude"
        _add(problems, missing, _("Give both latitude and longitude, or neither."))
    if page.country and page.nuts_codes:
        others = country_of_nuts(page.nuts_codes) - {page.country}
        if others:
            _add(
                problems,
                "nuts_codes",
                _("These regions are not in the country chosen (%(country)s).")
                % {"country": page.country},
            )
    for start, end in _DATE_PAIRS.get(page.record_kind, ()):
        first, last = getattr(page, start), getattr(page, end)
        if first and last and last < first:
            _add(problems, end, _("The end date is before the start date."))
    if page.record_kind == Kind.PROJECT:
        _project_coherence(page, problems)
    return problems


def publish_problems(page: HubPage, *, body: ValidBody | None = None) -> Problems:
    """Rules a page must meet to go live, including a valid record body (the
    schema not checked again when ``body`` is the page's, validated)."""
    problems: Problems = {}
    if page.record_kind == Kind.PROJECT:
        _project_publish(page, problems)
    if body is not None and body.kind == page.record_kind:
        return problems
    schema = body_problems(page)
    if problems:
        # The schema's whole-body rules repeat the page rules (e.g. the Annex III
        # area of a high-risk project); the field-level messages say it better.
        schema.pop(NON_FIELD_ERRORS, None)
    _merge(problems, schema)
    return problems


def body_problems(page: HubPage) -> Problems:
    """Where the record body mapped from ``page`` breaks the record schema."""
    kind = page.record_kind
    try:
        BODY_MODELS[Kind(kind)].model_validate(body_from_page(page))
    except BodyError as error:
        problems: Problems = {}
        for problem in error.errors():
            field = page_field_for(kind, problem["loc"]) or NON_FIELD_ERRORS
            message = str(problem["msg"]).removeprefix("Value error, ")
            _add(
                problems,
                field,
                _("The catalogue refuses this: %(reason)s.") % {"reason": message},
            )
        return problems
    return {}


_DATE_PAIRS: dict[str, tuple[tuple[str, str], ...]] = {
    Kind.PROJECT: (("start_date", "end_date"),),
    Kind.DATASET: (("temporal_start", "temporal_end"),),
    Kind.COURSE: (("start_date", "end_date"),),
}


def _project_coherence(page: ProjectPage, problems: Problems) -> None:
    suggestion = page.risk_suggestion
    confirmed = page.ai_act_class
    if (
        confirmed
        and confirmed != suggestion.ai_act_class
        and not page.ai_act_override_reason.strip()
    ):
        _add(
            problems,
            "ai_act_override_reason",
            _(
                "The self-check suggests “%(suggested)s” but you chose "
                "“%(confirmed)s”. Explain why, or choose the suggested class."
            )
            % {
                "suggested": suggestion.ai_act_class_label,
                "confirmed": AiActClass(confirmed).label,
            },
        )


def _project_publish(page: ProjectPage, problems: Problems) -> None:
    if not page.ai_act_class:
        _add(
            problems,
            "ai_act_class",
            _("Confirm the AI Act class. The self-check suggests “%(suggested)s”.")
            % {"suggested": page.risk_suggestion.ai_act_class_label},
        )
    if page.ai_act_class == AiActClass.HIGH:
        if not page.annex_iii_area:
            _add(
                problems,
                "annex_iii_area",
                _("A high-risk project names its Annex III area."),
            )
        if not page.human_intervention.strip():
            _add(
                problems,
                "human_intervention",
                _(
                    "A high-risk project describes human intervention: who checks "
                    "the outcome and what they can change."
                ),
            )
        if not page.objection_procedure.strip():
            _add(
                problems,
                "objection_procedure",
                _(
                    "A high-risk project explains how people can object to or "
                    "appeal a decision."
                ),
            )
        if not page.impact_assessments.all():
            _add(
                problems,
                "impact_assessments",
                _(
                    "A high-risk project needs at least one impact assessment "
                    "(DPIA, IAMA or FRIA): add one under “Impact assessments”."
                ),
            )
    linked = (
        (
            "partners",
            [partner.organisation_page for partner in page.partners.all()],
            _("Publish the organisation “%(name)s” before this project."),
        ),
        (
            "datasets",
            [link.dataset_page for link in page.datasets.all()],
            _("Publish the dataset “%(name)s” before this project."),
        ),
    )
    for field, pages, message in linked:
        for linked_page in pages:
            if linked_page is not None and not _published(linked_page):
                _add(problems, field, message % {"name": linked_page.title})


def _published(page: HubPage) -> bool:
    return bool(page.live and page.record_id)


def _add(problems: Problems, field: str, message: Any) -> None:
    problems.setdefault(field, []).append(str(message))


def _merge(problems: Problems, more: Problems) -> None:
    for field, messages in more.items():
        for message in messages:
            if message not in problems.get(field, []):
                _add(problems, field, message)
