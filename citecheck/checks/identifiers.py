"""Identifiers as cited: a DOI that cannot be one, a preprint whose journal version exists.

Wrong and unknown identifiers are found while resolving (they need the services); these two
need only the entry and its records.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from citecheck.checks.codes import finding
from citecheck.model import Finding, ParsedReference, Record

# "doi:" or a doi.org link followed by something; the parser only takes what fits 10.N/…
_DOI_MENTION = re.compile(r"(?:\bdoi\.org/|\bdoi\s*:?\s*)(?P<value>[^\s,;]+)", re.IGNORECASE)
_DOI_SHAPE = re.compile(r"^10\.\d{4,9}/\S+$")


def check_identifiers(
    ref: ParsedReference,
    records: list[Record],
    related: Mapping[str, Record],
    record: Record | None = None,
) -> list[Finding]:
    """Malformed DOI (with the DOI of the matched ``record`` as suggestion), preprint cited."""
    out = []
    malformed = malformed_doi(ref)
    if malformed is not None and record is not None and record.doi:
        fits = f"DOI {record.doi}"
        malformed = replace(
            malformed, message=f"{malformed.message} The entry fits {fits}.", suggestion=fits
        )
    if malformed is not None:
        out.append(malformed)
    preprint = preprint_published(ref, records, related)
    if preprint is not None:
        out.append(preprint)
    return out


def _mentions_doi(text: str) -> bool:
    """Can _DOI_MENTION match? A cheap test first: the case-blind pattern is tried at every
    character. Under re.IGNORECASE "i" also matches the dotless "ı" (and "İ", whose lower
    case starts with "i")."""
    lowered = text.lower()
    return "doi" in lowered or "doı" in lowered


def malformed_doi(ref: ParsedReference) -> Finding | None:
    """A DOI written into the entry that no agency could have registered."""
    if ref.doi or not _mentions_doi(ref.raw):
        return None
    for m in _DOI_MENTION.finditer(ref.raw):
        value = m.group("value").rstrip(".)]")
        if not value or _DOI_SHAPE.match(value):
            continue
        if not re.search(r"\d", value):
            continue  # "doi" as a word, not followed by an identifier
        return finding(
            "doi-invalid",
            f"The cited DOI {value!r} is malformed: a DOI is '10.' + a registrant number + "
            "'/' + a suffix.",
            field="doi",
            cited=value,
            source="citecheck",
            line=ref.line,
        )
    return None


def preprint_published(
    ref: ParsedReference, records: list[Record], related: Mapping[str, Record]
) -> Finding | None:
    """The cited record is a preprint that Crossref links to its journal version."""
    for rec in records:
        if not rec.published_as:
            continue
        published = rec.published_as[0]
        if ref.doi and ref.doi.lower() in rec.published_as:
            return None
        version = related.get(published)
        described = f"doi:{published}"
        if version is not None:
            bits = [version.container or "", str(version.year or "")]
            described = ", ".join(b for b in (*bits, described) if b)
        f = finding(
            "preprint-published",
            f"The entry cites a preprint (doi:{rec.doi}) that has since been published: "
            f"{described}. Cite the published version.",
            field="doi",
            cited=rec.doi,
            record=list(rec.published_as),
            source="crossref",
            line=ref.line,
        )
        return replace(f, suggestion=f"DOI {published}")
    return None
