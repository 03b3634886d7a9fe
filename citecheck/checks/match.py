"""Is this record the cited work? Field-by-field evidence, never a service's score alone.

Each field votes agree / disagree / unknown. Acceptance needs agreement that an unrelated
work would rarely produce (a close title plus a second field, or four bibliographic
fields without the title), and no strong contradiction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from citecheck.checks.text import (
    fold,
    is_notice,
    journal_matches,
    norm_number,
    page_parts,
    surnames_match,
    title_similarity,
)
from citecheck.model import ParsedReference, Record, has_field


@dataclass(frozen=True)
class Evidence:
    score: float
    accepted: bool
    agree: tuple[str, ...] = field(default_factory=tuple)
    disagree: tuple[str, ...] = field(default_factory=tuple)
    title_similarity: float = 0.0


def _in_raw(value: str | None, raw_folded: str) -> bool:
    return bool(value) and f" {fold(value or '')} " in f" {raw_folded} "


def evaluate(ref: ParsedReference, rec: Record) -> Evidence:
    raw = fold(ref.raw)
    agree: list[str] = []
    disagree: list[str] = []

    title = title_similarity(ref.title, rec.title)
    # Where the parsed title sits in the raw string: the author block lies before it.
    parsed_at = raw.find(fold(ref.title)) if ref.title else -1
    if rec.title and len(fold(rec.title)) >= 12:
        # The record's title stands in the raw string where the parsed title is (the parser
        # may have cut it badly), not elsewhere, e.g. in a second reference glued on by PDF
        # extraction.
        at = raw.find(fold(rec.title))
        end = at + len(fold(rec.title))
        overlaps = parsed_at < 0 or (
            at <= parsed_at + len(fold(ref.title or "")) and parsed_at <= end
        )
        if at >= 0 and overlaps and (parsed_at >= 0 or at < 0.6 * len(raw)):
            title = max(title, 0.95)
    notice = is_notice(rec.title) and not is_notice(ref.title or ref.raw)
    if notice:
        title = min(title, 0.4)  # "Correction: <title>" is not the article it corrects
    if rec.title and (ref.title or len(raw) > 40):
        if title >= 0.85:
            agree.append("title")
        elif ref.title and title < 0.5:
            disagree.append("title")

    if rec.authors:
        first = rec.authors[0].family
        cited = [a.family for a in ref.authors]
        author_block = raw[:parsed_at] if parsed_at > 0 else raw[:120]
        if any(surnames_match(c, first) for c in cited[:2]) or _in_raw(first, author_block):
            agree.append("author")
        elif cited and not any(surnames_match(c, a.family) for c in cited for a in rec.authors):
            disagree.append("author")

    years = set(rec.years or ((rec.year,) if rec.year else ()))
    if ref.year and years:
        if any(abs(ref.year - y) <= 1 for y in years):
            agree.append("year")
        else:
            disagree.append("year")

    if ref.volume and rec.volume:
        (agree if norm_number(ref.volume) == norm_number(rec.volume) else disagree).append("volume")
    elif rec.volume and _in_raw(rec.volume, raw) and len(rec.volume) >= 2:
        agree.append("volume")

    cited_first, _ = page_parts(ref.pages)
    rec_first, _ = page_parts(rec.pages)
    if cited_first and rec_first:
        same = norm_number(cited_first) == norm_number(rec_first)
        (agree if same else disagree).append("pages")
    elif rec_first and len(rec_first) >= 3 and _in_raw(rec_first, raw):
        agree.append("pages")

    names = [n for n in (rec.container, *rec.container_abbrev) if n]
    if ref.container and names:
        (agree if journal_matches(ref.container, names) else disagree).append("journal")

    weights = {
        "title": 3.0,
        "author": 1.5,
        "year": 1.0,
        "volume": 1.0,
        "pages": 1.5,
        "journal": 1.0,
    }
    score = sum(weights[f] for f in agree) - sum(weights[f] * 0.75 for f in disagree)
    others = [f for f in agree if f != "title"]
    if "title" in agree:
        accepted = (
            len(others) >= 1
            and len(disagree) <= 2
            and not ("year" in disagree and "author" in disagree)
        )
    elif "title" in disagree:
        # A mangled title is tolerated only when everything else pins the work down, and
        # never with another first author: then it is another article of that issue (in
        # journals that number pages per article, many share volume, year and page 1).
        accepted = (
            {"volume", "pages", "year"} <= set(agree)
            and len(agree) >= 4
            and "author" not in disagree
        )
    else:
        accepted = (len(others) >= 4 and not disagree) or (
            {"volume", "pages", "year"} <= set(agree) and len(agree) >= 4 and len(disagree) <= 1
        )
    if notice:
        accepted = False
    return Evidence(
        score=round(score, 3),
        accepted=accepted,
        agree=tuple(agree),
        disagree=tuple(disagree),
        title_similarity=round(title, 3),
    )


def best(ref: ParsedReference, records: list[Record]) -> tuple[Record, Evidence] | None:
    """The accepted candidate with the strongest evidence, if any."""
    scored = [(rec, evaluate(ref, rec)) for rec in records]
    accepted = [(r, e) for r, e in scored if e.accepted]
    if not accepted:
        return None
    return max(accepted, key=lambda pair: pair[1].score)


def same_work(ref: ParsedReference, rec: Record) -> bool:
    """For a record reached through a cited identifier: does the rest of the entry agree?"""
    ev = evaluate(ref, rec)
    if ev.accepted:
        return True
    fields = ("title", "author", "year", "volume", "pages", "journal")
    parsed = [f for f in fields if has_field(ref, f)]
    if len(parsed) <= 1:
        return True  # nothing but the identifier to go on: take it as cited
    return len(ev.agree) >= 2 and len(ev.agree) > len(ev.disagree)
