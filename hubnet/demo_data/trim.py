"""Make the demo's copies of the shared data (run by hand, never at run time).

    python hubnet/demo_data/trim.py ../shared/data

Keeps the rows and columns the demo seeds from (see README.md here): the AI cases
only, the columns the mapping reads, and hub descriptions cut after the sentence
that ends before 1,500 characters. Everything else is copied unchanged.
"""

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DESCRIPTION_CHARS = 1500
CASE_COLUMNS = [
    "id",
    "name",
    "url",
    "description",
    "geoextent",
    "geocoverage",
    "geocoverage_codes",
    "lead_organisation_name",
    "lead_organisation_category",
    "start_date",
    "end_date",
    "primary_sector",
    "secondary_sector",
    "technology",
    "type",
    "status",
]


def cut(text: str, limit: int) -> str:
    """``text`` up to the last sentence end before ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit]
    end = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    return head[: end + 1] if end > limit // 2 else head.rsplit(" ", 1)[0] + " …"


def rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source)
        return list(reader.fieldnames or []), list(reader)


def write(path: Path, columns: list[str], records: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(records)
    print(f"{path.name}: {len(records)} rows")


def main(shared: Path) -> None:
    columns, hubs = rows(shared / "digital_innovation_hubs.csv")
    for hub in hubs:
        hub["description"] = cut(hub["description"], DESCRIPTION_CHARS)
    write(HERE / "digital_innovation_hubs.csv", columns, hubs)

    _, cases = rows(shared / "public_sector_ai_cases.csv")
    ai_cases = [
        case for case in cases if case["technology"] == "Artificial intelligence"
    ]
    write(HERE / "public_sector_ai_cases.csv", CASE_COLUMNS, ai_cases)

    columns, organisations = rows(shared / "research_organisations_nl_be.csv")
    write(HERE / "research_organisations_nl_be.csv", columns, organisations)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
