"""In-text citations: which sentences of the manuscript cite which reference.

Numeric markers ("[1,2]", "[3-5]", "(4)") point at list positions; author–year citations
("(Smith et al., 2019)", "Smith and Lee (2018)") are matched on first author and year.
The sentence around a marker is the citation context, the claim the reference should back.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from citecheck.model import ParsedReference
from citecheck.references.segment import NoReferenceList, find_section

_BRACKET = re.compile(r"\[\s*(\d{1,4}(?:\s*[,;–\-]\s*\d{1,4})*)\s*\]")
_PAREN = re.compile(r"\(\s*(\d{1,4}(?:\s*[,;–\-]\s*\d{1,4})*)\s*\)")
_AUTHOR_YEAR = re.compile(
    r"(?P<name>[A-Z\u00c0-\u024f][\w'’\-]+)(?:\s+(?:et\s+al\.?|and\s+[A-Z][\w'’\-]+|&\s+[A-Z]"
    r"[\w'’\-]+))?,?\s*\(?(?P<year>(?:1[6-9]|20)\d\d)[a-z]?"
)
_ABBREVIATIONS = re.compile(
    r"\b(?:et al|e\.g|i\.e|Fig|Figs|Eq|Ref|Refs|vs|cf|approx|No|Dr|Prof|St|Suppl|Vol|al)\.$"
)


@dataclass(frozen=True)
class Citation:
    sentence: str
    line: int  # 1-based line of the marker


def body_text(text: str) -> tuple[str, int]:
    """The manuscript before its reference list, and that list's first line index."""
    lines = text.split("\n")
    try:
        start, _ = find_section(lines)
    except NoReferenceList:
        return text, len(lines)
    heading = start - 1 if start > 0 else start
    return "\n".join(lines[:heading]), heading


def _numbers(spec: str) -> list[int]:
    out: list[int] = []
    for part in re.split(r"\s*[,;]\s*", spec):
        bounds = re.split(r"\s*[–\-]\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            lo, hi = int(bounds[0]), int(bounds[1])
            if lo <= hi and hi - lo <= 50:
                out.extend(range(lo, hi + 1))
        elif part.isdigit():
            out.append(int(part))
    return out


def _sentences(body: str) -> list[tuple[str, int]]:
    """(sentence, line of its end) with line breaks and end-of-line hyphens undone."""
    out: list[tuple[str, int]] = []
    for text, starts in _paragraphs(body):
        pieces = re.split(r"(?<=[.!?])\s+(?=[\[(]?[A-Z0-9\u00c0-\u024f])", text)
        buffer, position = "", 0
        for piece in pieces:
            position = text.index(piece, position) + len(piece)
            buffer = f"{buffer} {piece}" if buffer else piece
            if _ABBREVIATIONS.search(buffer):
                continue
            out.append((buffer, _line_at(starts, position - 1)))
            buffer = ""
        if buffer:
            out.append((buffer, _line_at(starts, len(text) - 1)))
    return out


def _line_at(starts: list[tuple[int, int]], offset: int) -> int:
    line = starts[0][1]
    for at, number in starts:
        if at > offset:
            break
        line = number
    return line


def _paragraphs(body: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """Paragraphs as one line each, with (offset, manuscript line) where each line starts.

    A paragraph that stops mid-sentence and one that goes on in lower case are one
    paragraph split by a page break.
    """
    paragraphs: list[tuple[str, list[tuple[int, int]]]] = []
    text, starts = "", []  # type: tuple[str, list[tuple[int, int]]]
    lines = body.split("\n")
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        gap = number > 1 and not lines[number - 2].strip()
        if text and gap and not (text[-1] not in ".!?:" and line[:1].islower()):
            paragraphs.append((text, starts))
            text, starts = "", []
        if text.endswith("-") and line[:1].islower():
            text = text[:-1]
        elif text and not text.endswith("-"):
            text += " "
        starts.append((len(text), number))
        text += line
    if text:
        paragraphs.append((text, starts))
    return paragraphs


def find_citations(text: str, refs: list[ParsedReference]) -> dict[int, list[Citation]]:
    """Map reference index (1-based, list order) to the sentences that cite it."""
    body, _ = body_text(text)
    count = len(refs)
    found: dict[int, list[Citation]] = defaultdict(list)
    sentences = _sentences(body)
    numeric = [(s, line, m) for s, line in sentences for m in _BRACKET.finditer(s)]
    if not numeric:
        numeric = [
            (s, line, m)
            for s, line in sentences
            for m in _PAREN.finditer(s)
            if all(1 <= n <= count for n in _numbers(m.group(1)))
        ]
    for sentence, line, match in numeric:
        clean = _BRACKET.sub("", sentence) if match.re is _BRACKET else _PAREN.sub("", sentence)
        for n in _numbers(match.group(1)):
            if 1 <= n <= count:
                _add(found[n], Citation(re.sub(r"\s+([.,;])", r"\1", clean).strip(), line))
    if not numeric:
        _author_year(sentences, refs, found)
    return dict(found)


def _author_year(
    sentences: list[tuple[str, int]],
    refs: list[ParsedReference],
    found: dict[int, list[Citation]],
) -> None:
    keys: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, ref in enumerate(refs, start=1):
        if ref.authors and ref.year:
            keys[(fold(ref.authors[0].family), ref.year)].append(i)
    if not keys:
        return
    for sentence, line in sentences:
        for m in _AUTHOR_YEAR.finditer(sentence):
            for i in keys.get((fold(m.group("name")), int(m.group("year"))), []):
                _add(found[i], Citation(sentence, line))


def fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _add(citations: list[Citation], citation: Citation) -> None:
    if citation not in citations:
        citations.append(citation)
