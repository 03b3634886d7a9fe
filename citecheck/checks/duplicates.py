"""The same work listed twice: by identifier, by resolved record, or by its bibliographic key.

Two differently written entries are the same work when they cite or resolve to the same DOI
or PMID, or when neither resolved but their first author, year, volume and first page (or
their whole title) agree. The later entry gets the finding and points to the first.
"""

from __future__ import annotations

from citecheck.checks.codes import finding
from citecheck.checks.text import fold, norm_number, page_parts, surname_key
from citecheck.model import Finding, ParsedReference, ReferenceResult


def _keys(result: ReferenceResult) -> list[tuple[str, str]]:
    """(what is the same, value) pairs that identify the work of one entry."""
    ref, rec = result.reference, result.record
    keys = []
    if ref.doi:
        keys.append(("DOI", ref.doi.lower()))
    if ref.pmid:
        keys.append(("PMID", ref.pmid))
    if rec is not None:
        if rec.doi:
            keys.append(("DOI", rec.doi.lower()))
        if rec.pmid:
            keys.append(("PMID", rec.pmid))
    keys += _bibliographic(ref)
    return list(dict.fromkeys(keys))


def _bibliographic(ref: ParsedReference) -> list[tuple[str, str]]:
    if not (ref.authors and ref.year):
        return []
    author = surname_key(ref.authors[0].family)
    out = []
    first, _ = page_parts(ref.pages)
    if ref.volume and first:
        out.append(
            (
                "first author, year, volume and first page",
                f"{author}|{ref.year}|{norm_number(ref.volume)}|{norm_number(first)}",
            )
        )
    if ref.title and len(fold(ref.title)) >= 20:
        out.append(("first author, year and title", f"{author}|{ref.year}|{fold(ref.title)}"))
    return out


def check_duplicates(results: list[ReferenceResult]) -> None:
    """Add a ``duplicate`` finding to every entry that repeats an earlier one."""
    seen: dict[tuple[str, str], ReferenceResult] = {}
    for result in results:
        keys = _keys(result)
        reason = next((key for key in keys if key in seen), None)
        if reason is None:
            for key in keys:
                seen.setdefault(key, result)
            continue
        earlier = seen[reason]
        what, value = reason
        same = f"same {what}" + (f" {value}" if what in ("DOI", "PMID") else "")
        result.findings.append(_finding(result, earlier, same))


def _finding(result: ReferenceResult, earlier: ReferenceResult, same: str) -> Finding:
    return finding(
        "duplicate",
        f"Entry {result.index} is the same work as entry {earlier.index} "
        f"(line {earlier.reference.line}): {same}.",
        field="reference",
        cited=result.reference.raw,
        record=f"entry {earlier.index}: {earlier.reference.raw}",
        source="reference list" if "author" in same else "reference list, records",
        line=result.reference.line,
        suggestion=f"remove entry {result.index} and cite entry {earlier.index} instead",
    )
