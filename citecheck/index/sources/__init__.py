"""Readers of the metadata dumps users can download, as one stream of changes each.

Every reader yields the same three kinds of change, so the store applies them without
knowing the format. Order matters only through ``stamp``: applying a file twice, or an
older file after a newer one, leaves the index as it was (the store keeps the newer stamp).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from citecheck.model import Notice, Record

Source = Literal["crossref", "pubmed"]


@dataclass(frozen=True)
class Upsert:
    """A record as of ``stamp``. Crossref: key = lower-cased DOI, stamp = the work's
    ``indexed`` date-time. PubMed: key = PMID, stamp = the file's place in the series
    ("26n0001") plus the record's place in it, and ``version`` = ``<PMID Version>``
    (a higher version wins over any stamp)."""

    source: Source
    key: str
    stamp: str
    record: Record
    version: int = 1


@dataclass(frozen=True)
class Ready:
    """An ``Upsert`` made ready to write: the record encoded for the store and laid out for
    the full-text index. Readers' output is turned into these in worker processes, so the
    one process that writes does little more than write."""

    source: Source
    key: str
    stamp: str
    version: int
    doi: str | None
    payload: bytes  # codec.encode(record)
    document: dict[str, str]  # fulltext.document(...)


@dataclass(frozen=True)
class Deletion:
    """PubMed's ``<DeleteCitation>``: the PMID is gone as of ``stamp``."""

    source: Source
    key: str
    stamp: str


@dataclass(frozen=True)
class RetractionEntry:
    """One Retraction Watch row: a notice about the work with this DOI and/or PMID."""

    record_id: str
    original_doi: str | None  # lower-cased; None when "unavailable" or empty
    original_pmid: str | None  # None when 0 or empty
    notice: Notice  # channel "retraction-watch", record_id set


Change = Upsert | Deletion


@dataclass
class Tally:
    """What a reader saw, for the index manifest: how many of each outcome ("upserts",
    "skipped_no_doi"…) and the files read, in order. Readers add to one passed in, so a
    build can total several inputs; counts are final once the reader's iterator is spent."""

    counts: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def add(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def __getitem__(self, what: str) -> int:
        return self.counts.get(what, 0)

    def to_dict(self) -> dict[str, object]:
        return {"counts": dict(sorted(self.counts.items())), "files": list(self.files)}
