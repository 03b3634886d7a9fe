"""The finding codes: a public contract (JSON report, --ignore, CI). Add, never rename."""

from __future__ import annotations

from dataclasses import dataclass

from citecheck.model import Finding, Severity


@dataclass(frozen=True)
class Code:
    id: str  # stable short id, like a linter's
    code: str
    severity: Severity
    meaning: str
    source: str


CODES = {
    c.code: c
    for c in (
        Code(
            "CC101",
            "not-found",
            "error",
            "No record in Crossref or PubMed supports the entry: it may be fabricated.",
            "Crossref + PubMed",
        ),
        Code(
            "CC102",
            "doi-mismatch",
            "error",
            "The cited DOI does not exist (no registration agency knows it), or points to a "
            "different work than the entry.",
            "Crossref",
        ),
        Code(
            "CC103",
            "pmid-mismatch",
            "error",
            "The cited PMID does not exist, or is a different article than the entry.",
            "PubMed",
        ),
        Code(
            "CC110",
            "field-mismatch",
            "warning",
            "A cited field (authors, year, volume, issue, pages, title, journal) disagrees "
            "with the record.",
            "Crossref / PubMed record",
        ),
        Code(
            "CC120",
            "unverified",
            "warning",
            "A lookup failed (timeout, refused, 429, 5xx, malformed answer, not recorded): "
            "the entry could not be checked. Never a claim that it does not exist.",
            "the failing service",
        ),
        Code(
            "CC130",
            "unparsed",
            "warning",
            "The entry could not be read into fields.",
            "citecheck parser",
        ),
        Code(
            "CC140",
            "off-topic",
            "warning",
            "The reference is about a different subject than the manuscript (relevance score "
            "below the threshold; info when only loosely related).",
            "citecheck relevance (lexicon, MeSH when reachable)",
        ),
        Code(
            "CC141",
            "reference-list-off-topic",
            "error",
            "Most of the reference list is about other subjects than the manuscript: the "
            "pattern of a copied or fabricated list.",
            "citecheck relevance",
        ),
    )
}


def severity(code: str) -> Severity:
    return CODES[code].severity


def finding(code: str, message: str, **evidence: object) -> Finding:
    """A finding with the code's default severity; evidence: field, cited, record, source, line."""
    return Finding(code=code, severity=severity(code), message=message, **evidence)  # type: ignore[arg-type]
