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
            "The cited DOI belongs to a different work than the entry describes (a copy-paste "
            "error); the DOI that fits the rest of the entry is suggested when found.",
            "Crossref",
        ),
        Code(
            "CC103",
            "pmid-mismatch",
            "error",
            "The cited PMID does not exist, or is a different article than the entry; the "
            "PMID that fits is suggested when found.",
            "PubMed",
        ),
        Code(
            "CC104",
            "doi-invalid",
            "error",
            "The cited DOI is malformed, or no registration agency knows it. A DOI registered "
            "with another agency (DataCite: arXiv, Zenodo) is not an error.",
            "Crossref (works, agency)",
        ),
        Code(
            "CC105",
            "preprint-published",
            "warning",
            "A preprint is cited although its journal version exists; the published version "
            "is suggested.",
            "Crossref relation is-preprint-of",
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
        Code(
            "CC150",
            "retracted",
            "error",
            "The cited work was retracted (warning for a partial retraction), or the entry "
            "cites a retraction notice as if it were the article. Channels and dates are given; "
            "a retraction after the manuscript was received is marked so.",
            "Crossref updated-by (publisher, Retraction Watch), PubMed, RETRACTED: titles",
        ),
        Code(
            "CC151",
            "withdrawn",
            "warning",
            "The cited work was withdrawn or removed by its publisher.",
            "Crossref updated-by",
        ),
        Code(
            "CC152",
            "expression-of-concern",
            "warning",
            "An expression of concern was published about the cited work.",
            "Crossref updated-by, PubMed",
        ),
        Code(
            "CC153",
            "corrected",
            "info",
            "A correction (erratum, corrigendum) was published for the cited work; warning "
            "when it was corrected and republished, i.e. its results changed.",
            "Crossref updated-by, PubMed",
        ),
        Code(
            "CC160",
            "missing-reference",
            "error",
            "An in-text citation points to no entry of the reference list ([11] when the list "
            "has 10; (Smith 2019) with no Smith 2019 entry).",
            "manuscript text",
        ),
        Code(
            "CC161",
            "uncited",
            "warning",
            "An entry of the reference list is never cited in the text.",
            "manuscript text",
        ),
        Code(
            "CC162",
            "citation-order",
            "info",
            "In a numbered style, references are not first cited in the order of the list.",
            "manuscript text",
        ),
        Code(
            "CC163",
            "duplicate",
            "warning",
            "The same work is listed twice (same DOI or PMID, same resolved record, or the "
            "same authors, year, volume and pages).",
            "reference list, Crossref / PubMed records",
        ),
    )
}


def severity(code: str) -> Severity:
    return CODES[code].severity


def finding(code: str, message: str, **evidence: object) -> Finding:
    """A finding with the code's default severity; evidence: field, cited, record, source, line."""
    return Finding(code=code, severity=severity(code), message=message, **evidence)  # type: ignore[arg-type]
