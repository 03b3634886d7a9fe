"""The Retraction Watch database as Crossref publishes it (``retraction_watch.csv`` in
gitlab.com/crossref/retraction-watch-data): one notice per row, about a work named by DOI
and/or PMID.

The export's habits, all handled here: a UTF-8 byte-order mark; quoted fields with commas
and line breaks; lists joined by ``;`` with a trailing ``;`` (reasons also prefixed ``+``);
DOIs written "unavailable"/"Unavailable"/empty, in mixed case or as ``https://doi.org/``
links; PubMed IDs ``0`` for none; dates as ``3/14/2023 0:00`` (month first). Bytes that are
not UTF-8 (older exports had some, in names) are replaced, not fatal: identifiers are ASCII.

``RetractionNature`` maps to a notice kind: Retraction, Correction, Expression of concern.
A Reinstatement is skipped (counted ``skipped_reinstatement``): it withdraws an earlier
notice rather than adding one, and a notice of kind "other" would be reported as a problem
with the work. Rows with neither an original DOI nor a PMID are skipped
(``skipped_no_identifier``), as are rows whose field count differs from the header's
(``skipped_malformed``: a cut-off download ends in one). A header without the columns we
read, or an empty file, raises ``InputError``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from citecheck.errors import InputError
from citecheck.index.sources import RetractionEntry, Tally
from citecheck.index.sources._files import READ_ERRORS, corrupt, decompressed, must_exist
from citecheck.model import Notice, NoticeKind

COLUMNS = (
    "Record ID",
    "Title",
    "Subject",
    "Institution",
    "Journal",
    "Publisher",
    "Country",
    "Author",
    "URLS",
    "ArticleType",
    "RetractionDate",
    "RetractionDOI",
    "RetractionPubMedID",
    "OriginalPaperDate",
    "OriginalPaperDOI",
    "OriginalPaperPubMedID",
    "RetractionNature",
    "Reason",
    "Paywalled",
    "Notes",
)
REQUIRED = (
    "Record ID",
    "RetractionDate",
    "RetractionDOI",
    "RetractionPubMedID",
    "OriginalPaperDOI",
    "OriginalPaperPubMedID",
    "RetractionNature",
)
_KINDS: dict[str, NoticeKind] = {
    "retraction": "retraction",
    "correction": "correction",
    "expression of concern": "expression_of_concern",
}
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def read_retraction_watch(path: Path, tally: Tally | None = None) -> Iterator[RetractionEntry]:
    """One entry per usable row, in file order."""
    tally = tally if tally is not None else Tally()
    must_exist(path)
    where = str(path)
    tally.files.append(where)
    tally.add("files")
    try:
        with path.open("rb") as raw, decompressed(raw) as data:
            text = io.TextIOWrapper(data, encoding="utf-8-sig", errors="replace", newline="")
            yield from _rows(csv.reader(text), where, tally)
    except csv.Error as exc:
        raise InputError(f"{where}: malformed CSV ({exc})") from None
    except READ_ERRORS as exc:
        raise corrupt(where, exc) from None


def _rows(reader: Iterator[list[str]], where: str, tally: Tally) -> Iterator[RetractionEntry]:
    header = [h.strip() for h in next(reader, [])]
    if not any(header):
        raise InputError(f"{where}: empty file (expected a Retraction Watch CSV header)")
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(f"{where}: not a Retraction Watch CSV: no column {', '.join(missing)}")
    index = {name: header.index(name) for name in REQUIRED}
    for row in reader:
        if not any(field.strip() for field in row):
            continue
        tally.add("rows")
        if len(row) != len(header):
            tally.add("skipped_malformed")
            continue
        entry = _entry({name: row[i] for name, i in index.items()}, tally)
        if entry is not None:
            tally.add("entries")
            yield entry


def _entry(row: dict[str, str], tally: Tally) -> RetractionEntry | None:
    record_id = row["Record ID"].strip()
    nature = " ".join(row["RetractionNature"].split())
    kind = _KINDS.get(nature.lower())
    if kind is None:
        reinstated = nature.lower() == "reinstatement"
        tally.add("skipped_reinstatement" if reinstated else "skipped_unknown_nature")
        return None
    doi, pmid = normalize_doi(row["OriginalPaperDOI"]), normalize_pmid(row["OriginalPaperPubMedID"])
    if doi is None and pmid is None:
        tally.add("skipped_no_identifier")
        return None
    date = iso_date(row["RetractionDate"])
    if date is None and row["RetractionDate"].strip():
        tally.add("unparsed_dates")
    notice = Notice(
        kind=kind,
        label=nature,
        channel="retraction-watch",
        doi=normalize_doi(row["RetractionDOI"]),
        pmid=normalize_pmid(row["RetractionPubMedID"]),
        date=date,
        record_id=record_id or None,
    )
    return RetractionEntry(record_id=record_id, original_doi=doi, original_pmid=pmid, notice=notice)


def normalize_doi(value: str) -> str | None:
    """Lower-cased bare DOI; None for "unavailable", empty, or anything not a DOI."""
    doi = _DOI_PREFIX.sub("", value.strip()).strip().lower()
    return doi if doi.startswith("10.") and "/" in doi else None


def normalize_pmid(value: str) -> str | None:
    """The PMID without leading zeros; None for 0, empty, or not a number."""
    value = value.strip()
    return str(int(value)) if value.isdigit() and int(value) > 0 else None


def iso_date(value: str) -> str | None:
    """ "3/14/2023 0:00" (the export's month-first form) or "2023-03-14" -> "2023-03-14"."""
    day = value.strip().split(" ")[0]
    for form in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(day, form).date().isoformat()
        except ValueError:
            continue
    return None


def split_list(value: str) -> tuple[str, ...]:
    """A ``;``-joined field ("+Plagiarism;+Duplication of Image;") as its items, without
    the trailing empty item and the reasons' ``+`` marks."""
    items = (item.strip().removeprefix("+").strip() for item in value.split(";"))
    return tuple(item for item in items if item)
