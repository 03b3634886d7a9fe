"""Compare what is cited with the matched record(s) and report each field that disagrees.

A field is wrong only if it disagrees with every record that carries it (Crossref and
PubMed sometimes differ, e.g. online vs print year). Tolerated on purpose: "et al." lists,
titles truncated with "…", journal abbreviations, abbreviated page ranges, OCR damage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from citecheck.checks.codes import finding
from citecheck.checks.text import (
    fold,
    journal_matches,
    norm_number,
    page_parts,
    surnames_match,
    title_similarity,
)
from citecheck.model import Author, Finding, ParsedReference, Record, has_field

T = TypeVar("T")


def _finding(
    field: str, message: str, cited: object, record: object, source: str, line: int | None
) -> Finding:
    return finding(
        "field-mismatch", message, field=field, cited=cited, record=record, source=source, line=line
    )


def _fmt(authors: tuple[Author, ...], limit: int = 6) -> str:
    shown = ", ".join(str(a) for a in authors[:limit])
    return shown + (f", … ({len(authors)} authors)" if len(authors) > limit else "")


def _authors(ref: ParsedReference, rec: Record) -> str | None:
    """A message when the cited author list disagrees with the record, else None."""
    if not ref.authors or not rec.authors:
        return None
    cited = list(ref.authors)
    record = list(rec.authors)
    if not surnames_match(cited[0].family, record[0].family):
        if any(surnames_match(cited[0].family, a.family) for a in record[1:]):
            missing = [
                a for a in record if not any(surnames_match(c.family, a.family) for c in cited)
            ]
            head = [
                a
                for a in missing
                if record.index(a)
                < record.index(
                    next(a2 for a2 in record if surnames_match(cited[0].family, a2.family))
                )
            ]
            return (
                f"cited author list starts with {cited[0]}, but the record's first author is "
                f"{record[0]}; the citation omits {', '.join(str(a) for a in head) or 'authors'}"
            )
        return f"cited first author {cited[0]} is not {record[0]}, the record's first author"
    unknown = [c for c in cited if not any(surnames_match(c.family, a.family) for a in record)]
    if unknown and len(unknown) >= max(1, len(cited) // 2):
        return f"cited author(s) {', '.join(str(a) for a in unknown)} not in the record"
    if unknown:
        return f"cited author {', '.join(str(a) for a in unknown)} not in the record"
    if not ref.et_al and len(cited) < len(record) and len(cited) < 6:
        return f"cited {len(cited)} author(s) without 'et al.', the record has {len(record)}"
    return None


def _field_checks() -> list[
    tuple[str, Callable[[ParsedReference, Record], tuple[object, object] | None]]
]:
    def year(ref: ParsedReference, rec: Record) -> tuple[object, object] | None:
        years = rec.years or ((rec.year,) if rec.year else ())
        if ref.year and years and ref.year not in years:
            return ref.year, years[0] if len(years) == 1 else list(years)
        return None

    def volume(ref: ParsedReference, rec: Record) -> tuple[object, object] | None:
        if ref.volume and rec.volume and norm_number(ref.volume) != norm_number(rec.volume):
            return ref.volume, rec.volume
        return None

    def issue(ref: ParsedReference, rec: Record) -> tuple[object, object] | None:
        if ref.issue and rec.issue:
            a, b = norm_number(ref.issue), norm_number(rec.issue)
            if a != b and not (a in b or b in a):  # "5S" vs "5 Suppl"
                return ref.issue, rec.issue
        return None

    def pages(ref: ParsedReference, rec: Record) -> tuple[object, object] | None:
        c_first, c_last = page_parts(ref.pages)
        r_first, r_last = page_parts(rec.pages)
        if not (c_first and r_first):
            return None
        if norm_number(c_first) != norm_number(r_first):
            return ref.pages, rec.pages
        if c_last and r_last and norm_number(c_last) != norm_number(r_last):
            return ref.pages, rec.pages
        return None

    def title(ref: ParsedReference, rec: Record) -> tuple[object, object] | None:
        if (
            ref.title
            and rec.title
            and title_similarity(ref.title, rec.title) < 0.8
            and fold(rec.title) not in fold(ref.raw)
        ):
            return ref.title, rec.title
        return None

    def journal(ref: ParsedReference, rec: Record) -> tuple[object, object] | None:
        names = [n for n in (rec.container, *rec.container_abbrev) if n]
        if ref.container and names and not journal_matches(ref.container, names):
            return ref.container, rec.container or names[0]
        return None

    return [
        ("year", year),
        ("volume", volume),
        ("issue", issue),
        ("pages", pages),
        ("title", title),
        ("journal", journal),
    ]


_CHECKS = _field_checks()


def compare(ref: ParsedReference, records: list[Record]) -> list[Finding]:
    """Field findings for an accepted match; ``records`` are the same work from each source."""
    findings: list[Finding] = []
    authors = _against_all(ref, (r for r in records if r.authors), _authors)
    if authors is not None:
        message, rec = authors
        findings.append(
            _finding(
                "authors",
                f"Authors: {message}.",
                [str(a) for a in ref.authors] + (["et al."] if ref.et_al else []),
                _fmt(rec.authors),
                rec.source,
                ref.line,
            )
        )
    for name, check in _CHECKS:
        disagreement = _against_all(ref, (r for r in records if _carries(r, name)), check)
        if disagreement is not None:
            (cited, found), rec = disagreement
            findings.append(
                _finding(
                    name,
                    f"{name.capitalize()}: cited {cited!s}, the record has {found!s}.",
                    cited,
                    found,
                    rec.source,
                    ref.line,
                )
            )
    return findings


def _against_all(
    ref: ParsedReference,
    records: Iterable[Record],
    ask: Callable[[ParsedReference, Record], T | None],
) -> tuple[T, Record] | None:
    """The first record's disagreement when every record disagrees, else None.

    Stops at the first record that agrees: the checks are pure, so the records after it
    need not be asked.
    """
    first: tuple[T, Record] | None = None
    for rec in records:
        answer = ask(ref, rec)
        if not answer:
            return None
        if first is None:
            first = (answer, rec)
    return first


def _carries(rec: Record, name: str) -> bool:
    return has_field(rec, name)
