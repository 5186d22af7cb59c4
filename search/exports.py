"""Exports of search results for national and EU bodies: CSV and Excel (.xlsx).

An export is the whole result set of one search - the same ``SearchParams`` the
search API and page accept, every filter and the scope - as one row per record.
Only the paging parameters (``size``, ``after``) do not apply: an export is every
page. Facets and highlights are not computed.

Reading: the rows are read in batches with ``search_after`` inside a **point in
time** of the engine (``SearchEngine.pit_open``), so the export is one
consistent snapshot: the total told up front is exactly the number of rows that
follow, and a record written or withdrawn meanwhile neither appears twice nor
shifts the pages. The first batch (with the total) is read when the export is
opened, so an unreachable engine or a result over the cap is known before a
response starts; later batches are read while the response streams. Memory is
bounded by one batch.

Writing: ``csv_stream`` yields UTF-8 bytes with a byte order mark (Excel reads
the encoding from it) and one header row; ``xlsx_write`` writes a workbook in
xlsxwriter's constant-memory mode to a file. Lists are joined with ``"; "``;
whitespace inside a cell (line breaks too) becomes one space, so a CSV row is
one line and a client can count rows by counting line ends. Text cells that a
spreadsheet would run as a formula (starting with ``= + - @``, a tab or a
carriage return) are neutralised: CSV prefixes an apostrophe, the workbook
stores them as text with Excel's quote prefix.

    export = search_export_open(params=params)   # may raise ExportTooLarge
    export.total                                 # rows that follow
    csv_stream(export.rows())                    # or xlsx_write(export.rows(), ...)
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import IO, Any

from django.conf import settings

from federation.text import plain_text
from hubs.nuts import nuts_country
from search.documents import project_transparency
from search.engine import SearchEngine, SearchNotFound, search_engine
from search.index import index_alias
from search.queries import search_body, search_hit
from search.types import SearchHit, SearchParams, cursor_decode

# Renewed by every batch; long enough for a slow client to take one batch.
PIT_KEEP_ALIVE = "5m"
SUMMARY_LENGTH = 500
LIST_SEPARATOR = "; "
BOM = "\ufeff"
# A spreadsheet runs a cell starting with these as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SPACE = re.compile(r"\s+")

Cell = str | int | float | None
Row = dict[str, Cell]


class ExportTooLarge(ValueError):
    """The search matches more records than an export may hold."""

    def __init__(self, *, total: int, limit: int) -> None:
        super().__init__(
            f"The search matches {total} records; an export holds at most {limit}. "
            "Narrow it with a filter or a smaller scope."
        )
        self.total = total
        self.limit = limit


# -- columns -----------------------------------------------------------------------
def _body(hit: SearchHit) -> Mapping[str, Any]:
    return hit.record.get("body") or {}


def _location(hit: SearchHit) -> Mapping[str, Any]:
    return _body(hit).get("location") or {}


def _field(name: str) -> Callable[[SearchHit], Any]:
    return lambda hit: _body(hit).get(name)


def _summary(hit: SearchHit) -> str:
    body = _body(hit)
    if body.get("shortDescription"):
        return body["shortDescription"]
    text = plain_text(body.get("description"))
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


def _organisation(hit: SearchHit) -> Any:
    body = _body(hit)
    return body.get("organisation") or body.get("publisher") or body.get("provider")


def _country(hit: SearchHit) -> str | None:
    location = _location(hit)
    if location.get("country"):
        return location["country"]
    codes = location.get("nuts") or []
    return nuts_country(codes[0]) if codes else None


def _derived(name: str) -> Callable[[SearchHit], Any]:
    """A transparency fact derived from a project's body (as the index has it)."""
    return lambda hit: (
        project_transparency(dict(_body(hit))).get(name)
        if hit.kind == "project"
        else None
    )


def _funding_programmes(hit: SearchHit) -> list[str]:
    return sorted({line["programme"] for line in _body(hit).get("funding") or []})


def _organisation_type(hit: SearchHit) -> Any:
    return _body(hit).get("type") if hit.kind == "organisation" else None


# Column → value. The common columns first, then those of one or two kinds
# (empty for the others): one sheet for all kinds, as national and EU bodies
# filter and pivot it.
COLUMNS: dict[str, Callable[[SearchHit], Any]] = {
    "id": lambda hit: hit.id,
    "kind": lambda hit: hit.kind,
    "title": lambda hit: hit.title,
    "summary": _summary,
    "organisation": _organisation,  # project organisation, publisher, provider
    "origin": lambda hit: hit.record.get("origin"),
    "origin_path": lambda hit: hit.record.get("originPath"),
    "level": lambda hit: hit.level,
    "language": lambda hit: hit.record.get("language"),
    "country": _country,
    "nuts": lambda hit: _location(hit).get("nuts"),
    "place": lambda hit: _location(hit).get("place"),
    "lat": lambda hit: _location(hit).get("lat"),
    "lon": lambda hit: _location(hit).get("lon"),
    "distance_km": lambda hit: hit.distance_km,
    "status": _field("status"),
    "themes": _field("themes"),
    "sectors": _field("sectors"),
    "technologies": _field("technologies"),
    "keywords": _field("keywords"),
    "target_groups": _field("targetGroups"),
    "ai_act_class": _field("aiActClass"),
    "annex_iii_area": _field("annexIiiArea"),
    "trl": _field("trl"),
    "decision_type": _field("decisionType"),
    "human_influence": _field("humanInfluence"),
    "rights_impact": _field("rightsImpact"),
    "impact_level": _field("impactLevel"),
    "biometric_data": _field("biometricData"),
    "objection_route": _derived("objectionRoute"),
    "impact_assessments": _derived("impactAssessmentTypes"),
    "publicly_funded": _field("publiclyFunded"),
    "funding_programmes": _funding_programmes,
    "source_code_published": _derived("sourceCodePublished"),
    "source_code_url": _field("sourceCodeUrl"),
    "procurement_clauses": _field("procurementClauses"),
    "start_date": _field("startDate"),
    "end_date": _field("endDate"),
    "access_rights": _field("accessRights"),
    "b2g_sharing": _field("b2gSharing"),
    "licence": _field("licence"),
    "mode": _field("mode"),
    "workload_hours": _field("workloadHours"),
    "price_eur": _field("priceEur"),
    "eqf_level": _field("eqfLevel"),
    "school_level": _field("schoolLevel"),
    "organisation_type": _organisation_type,
    "size_class": _field("sizeClass"),
    "services": _field("services"),
    "open_to_partnership": _field("openToPartnership"),
    "website": _field("website"),
    "url": lambda hit: hit.record.get("url"),
    "updated_at": lambda hit: hit.record.get("updatedAt"),
    "version": lambda hit: hit.record.get("version"),
}
COLUMN_NAMES: tuple[str, ...] = tuple(COLUMNS)


def cell_value(value: Any) -> Cell:
    """A value as a cell: numbers stay numbers, lists are joined, booleans are
    ``true``/``false``, text is one line. Not yet formula-safe (see
    ``cell_text_safe``): the writers do that, each in its format's way."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or isinstance(value, int | float):
        return value
    if isinstance(value, list | tuple):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    return _SPACE.sub(" ", str(value)).strip()


def cell_formula_like(value: Cell) -> bool:
    """Would a spreadsheet run this text cell as a formula?"""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def cell_text_safe(value: Cell) -> Cell:
    """A cell for CSV: formula-like text gets a leading apostrophe."""
    return f"'{value}" if cell_formula_like(value) else value


def export_row(hit: SearchHit) -> Row:
    """One row of the export: every column of ``COLUMNS``."""
    return {name: cell_value(value(hit)) for name, value in COLUMNS.items()}


# -- reading -----------------------------------------------------------------------
@dataclass
class SearchExport:
    """An opened export: the total and the rows (``rows()`` may be iterated once;
    it releases the point in time when it ends or is closed)."""

    total: int
    params: SearchParams
    body: dict[str, Any]
    engine: SearchEngine
    pit_id: str | None
    first: list[dict[str, Any]] = field(default_factory=list)

    def rows(self) -> Iterator[Row]:
        """Every row, in the search's order, batch after batch."""
        try:
            # Hand the first batch over: kept here too, it would double the peak.
            batch, self.first = self.first, []
            sent = 0
            while batch:
                for raw in batch:
                    if sent == self.total:
                        return
                    sent += 1
                    yield export_row(search_hit(raw, near=self.params.near))
                if len(batch) < self.body["size"] or self.pit_id is None:
                    return
                batch = self._batch(after=batch[-1]["sort"])
        finally:
            self.close()

    def _batch(self, *, after: list[Any]) -> list[dict[str, Any]]:
        assert self.pit_id is not None
        body = {
            **self.body,
            "track_total_hits": False,
            "search_after": after,
            "pit": {"id": self.pit_id, "keep_alive": PIT_KEEP_ALIVE},
        }
        return self.engine.pit_search(body=body)["hits"]["hits"]

    def close(self) -> None:
        """Release the point in time (idempotent)."""
        if self.pit_id is not None:
            self.engine.pit_close(pit_id=self.pit_id)
            self.pit_id = None


def export_body(*, params: SearchParams, batch_size: int) -> dict[str, Any]:
    """The request body of every batch: the search's own body (query, filters,
    sort) without facets, highlights and paging, ``batch_size`` hits a batch."""
    if params.after:
        # Ignored (an export is every page), but refused when malformed, as the
        # search refuses it: the page's export links carry its cursor.
        cursor_decode(params.after, sort=params.sort)
    single = replace(params, size=1, after=None, facets=(), highlight=False)
    body = search_body(params=single)
    body.pop("aggs", None)
    body.pop("search_after", None)
    body["size"] = batch_size
    return body


def search_export_open(
    *,
    params: SearchParams,
    limit: int | None = None,
    batch_size: int | None = None,
    engine: SearchEngine | None = None,
) -> SearchExport:
    """Open an export of every record matching ``params`` (module docstring).

    Reads the first batch and the total now: raises ``SearchUnavailable`` when
    the engine is down and ``ExportTooLarge`` when the total exceeds ``limit``
    (default ``SEARCH_EXPORT_MAX_ROWS``), before anything is sent.
    """
    engine = engine or search_engine()
    limit = settings.SEARCH_EXPORT_MAX_ROWS if limit is None else limit
    batch_size = batch_size or settings.SEARCH_EXPORT_BATCH_SIZE
    body = export_body(params=params, batch_size=batch_size)
    try:
        pit_id = engine.pit_open(index=index_alias(), keep_alive=PIT_KEEP_ALIVE)
    except SearchNotFound:  # no alias yet: an empty catalogue
        return SearchExport(
            total=0, params=params, body=body, engine=engine, pit_id=None
        )
    export = SearchExport(
        total=0, params=params, body=body, engine=engine, pit_id=pit_id
    )
    try:
        answer = engine.pit_search(
            body={
                **body,
                "track_total_hits": True,
                "pit": {"id": pit_id, "keep_alive": PIT_KEEP_ALIVE},
            }
        )
        export.total = int(answer["hits"]["total"]["value"])
        export.first = answer["hits"]["hits"]
        if export.total > limit:
            raise ExportTooLarge(total=export.total, limit=limit)
    except BaseException:
        export.close()
        raise
    return export


def search_export_rows(
    *,
    params: SearchParams,
    limit: int | None = None,
    batch_size: int | None = None,
    engine: SearchEngine | None = None,
) -> Iterator[Row]:
    """Every row of the export of ``params`` (opens it first: see
    ``search_export_open`` for what it raises)."""
    return search_export_open(
        params=params, limit=limit, batch_size=batch_size, engine=engine
    ).rows()


# -- writing -----------------------------------------------------------------------
class _Line:
    """A pseudo-buffer for ``csv.writer``: ``write`` hands the line back."""

    def write(self, value: str) -> str:
        return value


def csv_stream(
    rows: Iterable[Row],
    *,
    columns: tuple[str, ...] = COLUMN_NAMES,
    chunk_rows: int = 200,
) -> Iterator[bytes]:
    """The CSV of ``rows`` as UTF-8 chunks: BOM and header first, then about
    ``chunk_rows`` rows a chunk (fewer, larger writes than one per row)."""
    writer = csv.writer(_Line())
    yield (BOM + writer.writerow(columns)).encode()
    lines: list[str] = []
    for row in rows:
        lines.append(writer.writerow([cell_text_safe(row[name]) for name in columns]))
        if len(lines) >= chunk_rows:
            yield "".join(lines).encode()
            lines = []
    if lines:
        yield "".join(lines).encode()


def xlsx_write(
    rows: Iterable[Row],
    *,
    file: str | IO[bytes],
    columns: tuple[str, ...] = COLUMN_NAMES,
) -> int:
    """Write the rows as a workbook (one sheet, header row frozen) to ``file`` (a
    path or a seekable binary file); returns the number of rows written.

    Constant-memory mode: rows go to a temporary file as they come, so memory
    does not grow with the rows. Text is always written as text (never as a
    formula); formula-like text gets Excel's quote prefix.
    """
    import xlsxwriter  # imported here: only exports need it

    workbook = xlsxwriter.Workbook(file, {"constant_memory": True})
    try:
        sheet = workbook.add_worksheet("hubnet")
        bold = workbook.add_format({"bold": True})
        quoted = workbook.add_format({"quote_prefix": True})
        for column, name in enumerate(columns):
            sheet.write_string(0, column, name, bold)
        sheet.freeze_panes(1, 0)
        count = 0
        for count, row in enumerate(rows, start=1):
            for column, name in enumerate(columns):
                value = row[name]
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    fmt = quoted if cell_formula_like(value) else None
                    sheet.write_string(count, column, value, fmt)
                else:
                    sheet.write_number(count, column, value)
        sheet.autofilter(0, 0, count, len(columns) - 1)
    finally:
        workbook.close()
    return count
