"""The values that flow through the pipeline: a parsed reference, a record, a finding.

Everything here is a plain frozen dataclass so that stages can be tested on canned
objects, and the JSON report is a direct projection of these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

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

    @property
    def first_page(self) -> str | None:
        if not self.pages:
            return None
        return self.pages.split("-")[0].strip() or None

    def to_dict(self) -> dict[str, object]:
        return {
            "authors": [str(a) for a in self.authors],
            "et_al": self.et_al,
            "title": self.title,
            "container": self.container,
            "year": self.year,
            "volume": self.volume,
            "issue": self.issue,
            "pages": self.pages,
            "doi": self.doi,
            "pmid": self.pmid,
            "url": self.url,
        }


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

    def to_dict(self) -> dict[str, object]:
        return {
            "doi": self.doi,
            "pmid": self.pmid,
            "title": self.title,
            "container": self.container,
            "year": self.year,
            "volume": self.volume,
            "issue": self.issue,
            "pages": self.pages,
            "authors": [str(a) for a in self.authors],
            "source": self.source,
            "url": self.url,
        }


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

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "field": self.field,
            "cited": self.cited,
            "record": self.record,
            "source": self.source,
            "line": self.line,
        }


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

    def to_dict(self) -> dict[str, object]:
        return {
            "index": self.index,
            "line": self.reference.line,
            "raw": self.reference.raw,
            "parsed": self.reference.to_dict(),
            "status": self.status,
            "record": self.record.to_dict() if self.record else None,
            "match_score": self.match_score,
            "findings": [f.to_dict() for f in self.findings],
            "lookups": [lk.to_dict() for lk in self.lookups],
        }
