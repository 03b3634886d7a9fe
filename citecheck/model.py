"""The values that flow through the pipeline: a parsed reference, a record, a finding.

Everything here is a plain frozen dataclass so that stages can be tested on canned
objects, and the JSON report is a direct projection of these types.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from citecheck.relevance.score import Relevance

_FIELD_ATTRS = {
    "title": ("title",),
    "author": ("authors",),
    "authors": ("authors",),
    "year": ("year",),
    "volume": ("volume",),
    "issue": ("issue",),
    "pages": ("pages",),
    "journal": ("container", "container_abbrev"),
}


def has_field(obj: object, name: str) -> bool:
    """Does a cited reference or a record carry this field at all?"""
    # A loop rather than any(generator), twice as fast: asked per field of every record.
    for attr in _FIELD_ATTRS[name]:  # noqa: SIM110
        if getattr(obj, attr, None):
            return True
    return False


def _plain(obj: object, names: tuple[str, ...]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name in names:
        value = getattr(obj, name)
        out[name] = [str(a) for a in value] if name == "authors" else value
    return out


Status = Literal["verified", "problem", "not_found", "unverified", "unparsed"]
Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Author:
    family: str
    initials: str = ""

    def __str__(self) -> str:
        return f"{self.family} {self.initials}".strip()


@dataclass(frozen=True)
class ParsedReference:
    """One entry of a reference list, as cited. ``raw`` is kept verbatim for evidence."""

    raw: str
    authors: tuple[Author, ...] = ()
    et_al: bool = False
    title: str | None = None
    container: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    line: int | None = None
    number: int | None = None  # the entry's own number in a numbered list, as written

    @property
    def first_page(self) -> str | None:
        if not self.pages:
            return None
        return self.pages.split("-")[0].strip() or None

    def to_dict(self) -> dict[str, object]:
        return _plain(self, REFERENCE_FIELDS)


REFERENCE_FIELDS = (
    "authors",
    "et_al",
    "title",
    "container",
    "year",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "url",
)
_RECORD_FIELDS = (
    "doi",
    "pmid",
    "title",
    "container",
    "year",
    "volume",
    "issue",
    "pages",
    "authors",
    "source",
    "url",
)


@dataclass(frozen=True)
class MeshHeading:
    """A PubMed MeSH heading; ``major`` when the descriptor or a qualifier is a major topic."""

    ui: str
    name: str
    major: bool = False


NoticeKind = Literal[
    "retraction",
    "partial_retraction",
    "retraction_and_replacement",
    "withdrawal",
    "removal",
    "expression_of_concern",
    "correction",
    "correction_and_republication",
    "other",
]


@dataclass(frozen=True)
class Notice:
    """An editorial notice about a work (retraction, correction…) and who reported it.

    On a work's ``notices`` it points at the notice; on a notice's ``notice_of`` it points
    at the work the notice is about. ``date`` is ISO, as precise as the source ("2001-03").
    """

    kind: NoticeKind
    label: str  # the source's own word: "Retraction", "RetractionIn", "Corrigendum"
    channel: str  # "publisher" (Crossref deposit), "retraction-watch", "pubmed", "title"
    doi: str | None = None
    pmid: str | None = None
    date: str | None = None
    record_id: str | None = None  # Retraction Watch database id

    def to_dict(self) -> dict[str, object]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Record:
    """What a bibliographic service says about a work. ``source`` names the service(s)."""

    source: str
    doi: str | None = None
    pmid: str | None = None
    title: str | None = None
    container: str | None = None
    container_abbrev: tuple[str, ...] = ()
    year: int | None = None
    years: tuple[int, ...] = ()  # every date the service gives (print, online, issued)
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    authors: tuple[Author, ...] = ()
    url: str | None = None
    # What the work is about, for the relevance check; not part of the JSON record.
    abstract: str | None = None
    mesh: tuple[MeshHeading, ...] = ()
    keywords: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    publication_types: tuple[str, ...] = ()
    # Editorial status: notices about this work; what this record is a notice of; for a
    # preprint, the DOIs of its published versions.
    work_type: str | None = None
    notices: tuple[Notice, ...] = ()
    notice_of: tuple[Notice, ...] = ()
    published_as: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return _plain(self, _RECORD_FIELDS)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    field: str | None = None
    cited: object = None
    record: object = None
    source: str | None = None
    line: int | None = None
    suggestion: str | None = None  # what the entry should say instead, when known

    def to_dict(self) -> dict[str, object]:
        return _plain(
            self,
            (
                "code",
                "severity",
                "message",
                "field",
                "cited",
                "record",
                "source",
                "line",
                "suggestion",
            ),
        )


@dataclass(frozen=True)
class Lookup:
    """One question put to a service about one reference, and how it went."""

    service: str
    query: str
    outcome: Literal["match", "no_match", "failed"]
    detail: str = ""

    def to_dict(self) -> dict[str, str]:
        return {
            "service": self.service,
            "query": self.query,
            "outcome": self.outcome,
            "detail": self.detail,
        }


@dataclass
class ReferenceResult:
    index: int
    reference: ParsedReference
    status: Status = "unverified"
    record: Record | None = None
    findings: list[Finding] = field(default_factory=list)
    lookups: list[Lookup] = field(default_factory=list)
    match_score: float | None = None
    relevance: Relevance | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "index": self.index,
            "line": self.reference.line,
            "raw": self.reference.raw,
            "parsed": self.reference.to_dict(),
            "status": self.status,
            "record": self.record.to_dict() if self.record else None,
            "match_score": self.match_score,
            "relevance": self.relevance.to_dict() if self.relevance else None,
            "findings": [f.to_dict() for f in self.findings],
            "lookups": [lk.to_dict() for lk in self.lookups],
        }
