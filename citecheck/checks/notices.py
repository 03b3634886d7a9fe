"""Retractions, expressions of concern, corrections, withdrawals: is the cited work still sound?

Three channels report them independently: the publisher's Crossref deposit (``updated-by``),
the Retraction Watch database carried by Crossref (the same field, ``source``
"retraction-watch"), and PubMed (CommentsCorrections, publication types). A record may also
be a notice itself, cited as if it were the article; and Elsevier marks a retracted article's
title "RETRACTED:". Every finding names the channels that said so and the dates they gave.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from citecheck.checks.codes import finding
from citecheck.dates import after
from citecheck.model import Finding, Notice, NoticeKind, ParsedReference, Record, Severity

# Notice kind -> (finding code, severity, what happened to the work)
_EFFECT: dict[str, tuple[str, Severity, str]] = {
    "retraction": ("retracted", "error", "retracted"),
    "retraction_and_replacement": (
        "retracted",
        "error",
        "retracted and replaced by a corrected version",
    ),
    "partial_retraction": ("retracted", "warning", "partially retracted"),
    "withdrawal": ("withdrawn", "warning", "withdrawn"),
    "removal": ("withdrawn", "warning", "removed"),
    "expression_of_concern": (
        "expression-of-concern",
        "warning",
        "the subject of an expression of concern",
    ),
    "correction": ("corrected", "info", "corrected"),
    "correction_and_republication": (
        "corrected",
        "warning",
        "corrected and republished (the cited version's results changed)",
    ),
}
_CODE_ORDER = ("retracted", "withdrawn", "expression-of-concern", "corrected")
_CHANNEL = {
    "publisher": "the publisher (Crossref)",
    "retraction-watch": "Retraction Watch (via Crossref)",
    "pubmed": "PubMed",
    "title": "the record's title",
    "cited title": "the cited title",
}
_MARKED = re.compile(r"^\s*RETRACTED\b\s*(?:ARTICLE)?\s*[:\-–]", re.IGNORECASE)
_NOTICE_TITLE = re.compile(
    r"^\s*(?:notice\s+of\s+retraction|retraction|expression\s+of\s+concern|erratum|errata|"
    r"corrigendum|correction|retracted)(?:\s+(?:notice|note))?(?:\s+(?:to|for))?"
    r"\s*(?:[:'\"“‘«]|\.?\s*$)",
    re.IGNORECASE,
)


def check_notices(
    ref: ParsedReference,
    records: list[Record],
    submitted: str | None = None,
    related: Mapping[str, Record] | None = None,
    cited_notice: Record | None = None,
) -> list[Finding]:
    """Findings for the editorial status of the work an entry resolved to (or cites).

    ``cited_notice`` is a notice the entry's DOI or PMID pointed to instead of the work.
    """
    related = related or {}
    findings = _status(ref, records, submitted, related)
    if cited_notice is not None and cited_notice.notice_of:
        notice = _notice_cited(ref, [cited_notice], list(cited_notice.notice_of), related)
        if not any(f.code == notice.code for f in findings):
            findings.insert(0, notice)
    return findings


def _status(
    ref: ParsedReference,
    records: list[Record],
    submitted: str | None,
    related: Mapping[str, Record],
) -> list[Finding]:
    notice_of = [n for r in records for n in r.notice_of]
    titles = [r.title for r in records if r.title]
    marked = [t for t in titles if _MARKED.match(t)]  # "RETRACTED: …"
    if not notice_of and not marked and any(_NOTICE_TITLE.match(t) for t in titles):
        # A notice whose deposit says nothing about what it is: its title does.
        title = next(t for t in titles if _NOTICE_TITLE.match(t))
        notice_of = [Notice(kind=_title_kind(title), label=title, channel="title")]
    if notice_of:
        if _cites_a_notice(ref):
            return []  # the manuscript cites the notice as a notice
        return [_notice_cited(ref, records, notice_of, related)]
    notices = [n for r in records for n in r.notices]
    if marked:
        notices.append(Notice(kind="retraction", label=marked[0], channel="title"))
    elif ref.title and _MARKED.match(ref.title):
        notices.append(Notice(kind="retraction", label=ref.title, channel="cited title"))
    if not notices:
        return []  # most works
    by_code: dict[str, list[Notice]] = {}
    for n in notices:
        by_code.setdefault(_EFFECT[n.kind][0], []).append(n)
    return [
        _finding(ref, code, by_code[code], submitted) for code in _CODE_ORDER if code in by_code
    ]


def _finding(
    ref: ParsedReference, code: str, notices: list[Notice], submitted: str | None
) -> Finding:
    # The strongest kind decides the wording and severity (a retraction over a partial one).
    ranked = sorted(notices, key=lambda n: list(_EFFECT).index(n.kind))
    _, severity, effect = _EFFECT[ranked[0].kind]
    dates = sorted({n.date for n in notices if n.date})
    ids = list(dict.fromkeys(_ident(n) for n in ranked if _ident(n)))
    message = f"The cited work has been {effect}"
    if dates:
        message += f" ({dates[0]})"
    if ids:
        message += f"; notice {', '.join(ids)}"
    message += f". Reported by {_channels(notices)}."
    late = bool(dates) and all(after(d, submitted) for d in dates)
    if late:
        message += f" The notice is dated after this manuscript was received ({submitted})"
        message += (
            "."
            if code == "corrected"
            else ": the authors may not have known, but the reference should be reconsidered."
        )
    evidence = [n.to_dict() | ({"after_submission": True} if late else {}) for n in notices]
    result = finding(
        code,
        message,
        field="status",
        cited=ref.title or ref.raw,
        record=evidence,
        source=",".join(sorted({_source(n) for n in notices})),
        line=ref.line,
    )
    return replace(result, severity=severity)


def _notice_cited(
    ref: ParsedReference,
    records: list[Record],
    notice_of: list[Notice],
    related: Mapping[str, Record],
) -> Finding:
    """The entry resolved to a notice, but reads like the article the notice is about."""
    kind = notice_of[0].kind
    code, severity, effect = _EFFECT[kind]
    own = next((r.doi or (r.pmid and f"PMID {r.pmid}") for r in records if r.doi or r.pmid), None)
    targets = list(dict.fromkeys(_ident(n) for n in notice_of if _ident(n)))
    message = f"This entry is a notice ({notice_of[0].label}"
    message += f", {own})" if own else ")"
    message += " cited as if it were an article"
    suggestion = None
    if targets:
        target = notice_of[0].doi or notice_of[0].pmid or ""
        described = related.get(target)
        what = _describe(described) if described else targets[0]
        message += f"; the work it concerns, {what}, has been {effect}"
        suggestion = f"cite the work itself, {targets[0]}, and say that it has been {effect}"
    message += f". Reported by {_channels(notice_of)}."
    result = finding(
        code,
        message,
        field="status",
        cited=ref.title or ref.raw,
        record=[n.to_dict() for n in notice_of],
        source=",".join(sorted({_source(n) for n in notice_of})),
        line=ref.line,
    )
    return replace(result, severity=severity, suggestion=suggestion)


def _title_kind(title: str) -> NoticeKind:
    word = title.strip().lower()
    if word.startswith("expression"):
        return "expression_of_concern"
    if word.startswith(("erratum", "errata", "corrigendum", "correction")):
        return "correction"
    return "retraction"


def _cites_a_notice(ref: ParsedReference) -> bool:
    return bool(_NOTICE_TITLE.match(ref.title or "")) and not _MARKED.match(ref.title or "")


def _ident(n: Notice) -> str:
    if n.doi:
        return f"doi:{n.doi}"
    return f"PMID {n.pmid}" if n.pmid else ""


def _channels(notices: list[Notice]) -> str:
    names = []
    for n in notices:
        name = _CHANNEL.get(n.channel, n.channel)
        if n.record_id:
            name += f" record {n.record_id}"
        if name not in names:
            names.append(name)
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def _source(n: Notice) -> str:
    return {"publisher": "crossref", "title": "record", "cited title": "manuscript"}.get(
        n.channel, n.channel
    )


def _describe(rec: Record) -> str:
    first = f"{rec.authors[0].family} et al." if rec.authors else ""
    bits = [first, f'"{rec.title}"' if rec.title else "", str(rec.year or "")]
    ident = f"doi:{rec.doi}" if rec.doi else (f"PMID {rec.pmid}" if rec.pmid else "")
    return ", ".join(b for b in (*bits, ident) if b)
