"""In-text citations: every marker in the manuscript, the entries it cites, and what it cites
that the list lacks.

Numeric markers ("[1,2]", "[3-5]", "^4^", "¹⁻³", "(4)") point at entry numbers; author–year
citations ("(Smith et al., 2019)", "Smith and Lee (2018)") are matched on first author and
year. A marker that matches no entry is kept as unresolved: that is a missing reference. The
sentence around a marker is the citation context, the claim the reference should back.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from citecheck.accents import unaccent
from citecheck.model import ParsedReference
from citecheck.references.segment import NoReferenceList, text_section

_SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_PLAIN = str.maketrans(_SUP + "˒⁻", "0123456789,-")
# What a numeric marker holds: "1", "1,2", "3-5", "1–3; 7" (also used by the HTML reader).
MARKER_NUMBERS = r"\d{1,4}(?:\s*[,;–—‐−\-]\s*\d{1,4})*"
_BRACKET = re.compile(rf"\[\s*({MARKER_NUMBERS})\s*\]")
_PAREN = re.compile(rf"\(\s*({MARKER_NUMBERS})\s*\)")
_SUPERSCRIPT = re.compile(
    rf"\^\s*({MARKER_NUMBERS})\s*\^|<sup>\s*({MARKER_NUMBERS})\s*</sup>|([{_SUP}]+(?:[,˒⁻\-–][{_SUP}]+)*)(?![\w⁺⁻])",
    re.IGNORECASE,
)

_PARTICLE = r"(?i:van|von|der|den|de|del|della|di|da|du|dos|das|le|la|ten|ter)\s+"
_NAME = rf"(?:{_PARTICLE}){{0,3}}[A-Z\u00c0-\u00de\u0100-\u017f][^\W\d_]*(?:['’\-][^\W\d_]+)*"
_NAMES = rf"(?P<name>{_NAME})(?P<more>\s+et\s+al\b\.?|\s+(?:and|&)\s+{_NAME})?"
_YEAR = r"(?:1[5-9]|20)\d\d[a-z]?"
_YEARS = rf"(?P<years>(?:{_YEAR}|in press|n\.\s?d\.)(?:\s*,\s*(?:{_YEAR}|[a-z]\b))*)"
_ORG = r"(?P<org>[A-Z][\w\-]*(?:\s+(?:(?:of|for|and|the|on|in|&)\s+)?[A-Z][\w\-]*){1,7})"
_LEAD = r"(?:(?i:see(?: also)?|e\.\s?g\.|i\.\s?e\.|cf\.|for example|(?:as )?reviewed in)[,:]?\s+)?"
_PAGE = r"(?:,\s*pp?\.\s*\d+(?:\s*[-–]\s*\d+)?)?"
_PART = re.compile(rf"{_LEAD}(?:{_NAMES}|{_ORG}),?\s+{_YEARS}{_PAGE}")
_NARRATIVE = re.compile(rf"(?<![\w'’\-]){_NAMES}\s+\(\s*{_YEARS}\s*\)")
_CAPS_BEFORE = re.compile(r"(?:\b[A-Z][\w\-]*\s+(?:(?:of|for|and|the|on|&)\s+)?)+$")
_PLACE_BEFORE = re.compile(r"\b(?i:in|at|from|of|across|throughout|within|into|to|the)\s+$")
# Capitalised words that come before a year without being anyone's surname.
_STOP_WORDS = (
    "in since from during between after before until till by to of the and or at on as for "
    "with without about around circa ca through throughout within across table tables figure "
    "figures fig figs phase version stage stages grade type class level step arm dose cycle "
    "visit wave round part section chapter appendix supplement volume vol issue edition eq "
    "equation model group cohort study studies trial trials survey census report protocol "
    "registry database guideline guidelines act law year years day days week weeks month "
    "months spring summer autumn fall winter era period season quarter total age aged born "
    "patients data updated accessed published retrieved revised copyright released update "
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec however recently similarly previously "
    "notably moreover furthermore additionally also thus here there this these that those it "
    "we our while whereas although though when where because if unlike like following "
    "according both each all some most many few several other others early late later "
    "earlier previous recent first second third last next finally overall together"
)
_STOP = set(_STOP_WORDS.split())
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\[(]?[A-Z0-9\u00c0-\u024f])")
_ABBREVIATIONS = re.compile(
    r"\b(?:et al|e\.g|i\.e|Fig|Figs|Eq|Ref|Refs|vs|cf|approx|No|Dr|Prof|St|Suppl|Vol|al)\.$"
)


@dataclass(frozen=True)
class Citation:
    """One sentence citing an entry: the claim the entry should back (relevance check)."""

    sentence: str  # the sentence around the marker, markers removed
    line: int  # 1-based line where the marker starts


@dataclass(frozen=True)
class Marker:
    """One in-text citation as written, the entries it cites and what it cites in vain."""

    text: str
    line: int
    targets: tuple[int, ...]  # 1-based indexes into the reference list, list order
    unresolved: tuple[str, ...]  # cited but matching no entry: "11", "Smith 2019"
    sentence: str
    hint: str | None = None  # for an unresolved author–year citation: a near miss


@dataclass(frozen=True)
class InText:
    """How the manuscript cites, and every marker in reading order."""

    style: Literal["numeric", "author-year", "none"]
    markers: tuple[Marker, ...]

    def citing(self) -> dict[int, list[Citation]]:
        """Entry index -> the distinct sentences citing it, in reading order."""
        out: dict[int, list[Citation]] = {}
        for marker in self.markers:
            citation = Citation(marker.sentence, marker.line)
            for index in marker.targets:
                found = out.setdefault(index, [])
                if citation not in found:
                    found.append(citation)
        return out

    def cited(self) -> set[int]:
        return {index for marker in self.markers for index in marker.targets}


@dataclass(frozen=True)
class _Hit:
    start: int  # [start, end): what to cut from the sentence (a whole parenthesis group)
    end: int
    at: int  # where the marker itself starts
    text: str
    targets: tuple[int, ...]
    unresolved: tuple[str, ...]
    hint: str | None = None


def body_text(text: str) -> tuple[str, int]:
    """The manuscript before its reference list, and that list's first line index."""
    lines = text.split("\n")
    bounds = _list_bounds(text)
    if bounds is None:
        return text, len(lines)
    return "\n".join(lines[: bounds[0]]), bounds[0]


def _list_bounds(text: str) -> tuple[int, int] | None:
    """[heading, end) line indexes of the reference list, or None without one."""
    try:
        start, end = text_section(text)
    except NoReferenceList:
        return None
    return (start - 1 if start > 0 else start), end


def read_citations(text: str, refs: list[ParsedReference]) -> InText:
    """Every marker outside the reference list (legends after it cite too), resolved."""
    paragraphs = [p for region, first in _regions(text) for p in _paragraphs(region, first)]
    texts = [t for t, _ in paragraphs]
    numeric = _numeric(texts, refs)
    lower = set(re.findall(r"\b[a-z][a-z'’\-]+", " ".join(texts)))
    author_year = _author_year(texts, refs, lower)
    style: Literal["numeric", "author-year", "none"] = "numeric"
    hits = numeric
    if sum(map(len, author_year)) > sum(map(len, numeric)):
        style, hits = "author-year", author_year
    elif not any(numeric):
        return InText("none", ())
    markers = [
        marker
        for (paragraph, starts), found in zip(paragraphs, hits, strict=True)
        for marker in _markers(paragraph, starts, found)
    ]
    return InText(style, tuple(markers))


def _regions(text: str) -> list[tuple[str, int]]:
    """(text, first line number) of the parts that may cite: all but the list itself."""
    lines = text.split("\n")
    bounds = _list_bounds(text)
    if bounds is None:
        return [(text, 1)]
    heading, end = bounds
    return [("\n".join(lines[:heading]), 1), ("\n".join(lines[end:]), end + 1)]


def _paragraphs(body: str, first: int = 1) -> list[tuple[str, list[tuple[int, int]]]]:
    """Paragraphs as one line each, with (offset, manuscript line) where each line starts.

    A paragraph that stops mid-sentence and one that goes on in lower case are one
    paragraph split by a page break; an end-of-line hyphen before lower case is undone.
    """
    paragraphs: list[tuple[str, list[tuple[int, int]]]] = []
    parts: list[str] = []  # the paragraph so far; parts[-1] is always a line
    starts: list[tuple[int, int]] = []
    size = 0
    lines = body.split("\n")
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        gap = number > 1 and not lines[number - 2].strip()
        if parts and gap and not (parts[-1][-1] not in ".!?:" and line[:1].islower()):
            paragraphs.append(("".join(parts), starts))
            parts, starts, size = [], [], 0
        if parts and parts[-1].endswith("-") and line[:1].islower():
            parts[-1], size = parts[-1][:-1], size - 1
        elif parts and not parts[-1].endswith("-"):
            parts.append(" ")
            size += 1
        starts.append((size, number + first - 1))
        parts.append(line)
        size += len(line)
    if parts:
        paragraphs.append(("".join(parts), starts))
    return paragraphs


def _markers(text: str, starts: list[tuple[int, int]], hits: list[_Hit]) -> list[Marker]:
    """Markers of one paragraph, each with its sentence less every marker in it."""
    masked = list(text)
    for hit in hits:  # masked markers neither end sentences nor hide a full stop
        masked[hit.start : hit.end] = " " * (hit.end - hit.start)
    bounds = [*sentence_starts("".join(masked)), len(text)]
    line_offsets = [at for at, _ in starts]
    cuts: dict[int, set[tuple[int, int]]] = {}
    for hit in hits:
        cuts.setdefault(bisect_right(bounds, hit.start) - 1, set()).add((hit.start, hit.end))
    sentences: dict[int, str] = {}
    out: list[Marker] = []
    for hit in hits:
        k = bisect_right(bounds, hit.at) - 1
        if k not in sentences:
            sentences[k] = cut_markers(text, bounds[k], bounds[k + 1], sorted(cuts.get(k, ())))
        line = starts[max(0, bisect_right(line_offsets, hit.at) - 1)][1]
        out.append(Marker(hit.text, line, hit.targets, hit.unresolved, sentences[k], hit.hint))
    return out


def cut_markers(text: str, lo: int, hi: int, cuts: list[tuple[int, int]]) -> str:
    """The sentence ``text[lo:hi]`` without its markers (the ``cuts`` spans, in order), with
    whitespace and the punctuation left stranded before a full stop tidied: the citation
    context a marker's entry should back."""
    sentence, pos = "", lo
    for start, end in cuts:
        sentence += text[pos : max(pos, start)] + " "
        pos = max(pos, end)
    sentence = re.sub(r"\s+([.,;:!?])", r"\1", " ".join((sentence + text[pos:hi]).split()))
    return re.sub(r"[,;:]+(?=[.,;:!?])", "", sentence)  # "work; [3]." -> "work."


def sentence_starts(text: str) -> list[int]:
    """Offsets where the sentences of a one-line paragraph start (0 first); the full stop of
    an abbreviation ("et al.", "Fig.") ends none. Mask markers first: "[3]." ends a sentence
    only through its full stop."""
    out = [0]
    for m in _SPLIT.finditer(text):
        if not _ABBREVIATIONS.search(text[max(out[-1], m.start() - 16) : m.start()]):
            out.append(m.end())
    return out


def _numbers(spec: str) -> list[int] | None:
    """The numbers a numeric marker cites; None when it cannot be a citation ("[0, 1]")."""
    out: list[int] = []
    for part in re.split(r"\s*[,;]\s*", spec.strip()):
        bounds = [int(b) for b in re.split(r"\s*[–—‐−\-]\s*", part)]
        lo, hi = bounds[0], bounds[-1]
        if len(bounds) > 2 or lo == 0 or hi < lo or hi - lo > 50:
            return None
        out.extend(n for n in range(lo, hi + 1) if n not in out)
    return out


# Two-letter words a citation follows ("reviewed in³⁷"); other two-letter lower-case words
# before a superscript are units (cm², μm³).
_SHORT_WORDS = frozenset(
    [
        "in",
        "of",
        "to",
        "as",
        "at",
        "by",
        "on",
        "or",
        "is",
        "be",
        "we",
        "an",
        "it",
        "so",
        "up",
        "no",
        "do",
    ]
)


def _exponent(text: str, start: int) -> bool:
    """A superscript on a number, a unit or a one-letter symbol (10⁶, m², I²) is no marker;
    on a name that ends in a digit (T4⁵⁶, PBDE-99¹²) it is."""
    token = re.search(r"[\w\-.]*$", text[max(0, start - 24) : start])
    word = token.group(0) if token else ""
    if word[-1:].isdigit():
        return not re.search(r"[^\W\d_]", word)  # digits only: a power
    letters = re.search(r"[^\W\d_]*$", word)
    tail = letters.group(0) if letters else ""
    if len(word) > len(tail) + 1 and len(tail) <= 2:
        return False  # "OHIP-E³⁰", "Y291F²⁷": a symbol inside a longer name
    if tail in _SHORT_WORDS:
        return False
    return len(tail) == 1 or (len(tail) == 2 and tail.islower())


def _numeric(paragraphs: list[str], refs: list[ParsedReference]) -> list[list[_Hit]]:
    """Brackets and superscripts; parenthesised numbers only in a text with neither."""
    numbers = [r.number for r in refs]
    if refs and None not in numbers and len(set(numbers)) == len(numbers):
        index = {r.number: i for i, r in enumerate(refs, 1) if r.number is not None}
    else:
        index = {i: i for i in range(1, len(refs) + 1)}

    def hit(m: re.Match[str], spec: str, paren: bool = False) -> _Hit | None:
        if re.match(r"\s*[=<>≤≥]", m.string[m.end() : m.end() + 4]):
            return None  # a statistic's degrees of freedom, F[1,12] = 8.42
        cited = _numbers(spec.translate(_PLAIN))
        if cited is None or any(1900 <= n <= 2100 and n > len(refs) for n in cited):
            return None
        if paren and not all(n in index for n in cited):
            return None
        targets = tuple(index[n] for n in cited if n in index)
        unresolved = tuple(str(n) for n in cited if n not in index)
        return _Hit(m.start(), m.end(), m.start(), m.group(0), targets, unresolved)

    found = [
        [h for m in _BRACKET.finditer(text) if (h := hit(m, m.group(1)))]
        + [
            h
            for m in _SUPERSCRIPT.finditer(text)
            if not _exponent(text, m.start()) and (h := hit(m, m.group(m.lastindex or 0)))
        ]
        for text in paragraphs
    ]
    if not any(found):
        found = [
            [h for m in _PAREN.finditer(text) if (h := hit(m, m.group(1), paren=True))]
            for text in paragraphs
        ]
    return [sorted(hits, key=lambda h: h.at) for hits in found]


def _author_year(
    paragraphs: list[str], refs: list[ParsedReference], lower: set[str]
) -> list[list[_Hit]]:
    """Parenthetical groups, one marker per ';' part, and narrative "Smith (2019)"."""
    out: list[list[_Hit]] = []
    for text in paragraphs:
        hits: list[_Hit] = []
        for group in re.finditer(r"\(([^()]*)\)", text):
            pos = group.start(1)
            for part in group.group(1).split(";"):
                at, pos = pos + len(part) - len(part.lstrip()), pos + len(part) + 1
                m = _PART.fullmatch(part.strip())
                resolved = m and _resolve(m["name"], m["org"], m["years"], refs, lower, False)
                if resolved:
                    hits.append(_Hit(group.start(), group.end(), at, part.strip(), *resolved))
        hits += _narrative(text, refs, lower)
        out.append(sorted(hits, key=lambda h: h.at))
    return out


def _narrative(text: str, refs: list[ParsedReference], lower: set[str]) -> list[_Hit]:
    """ "Smith et al. (2019)"; after capitalised words, an organisation that only resolves."""
    hits: list[_Hit] = []
    for m in _NARRATIVE.finditer(text):
        base = max(0, m.start() - 120)
        caps = _CAPS_BEFORE.search(text, base, m.start())
        words = list(re.finditer(r"\S+", caps.group(0))) if caps else []
        while words and (words[0][0].casefold() in _STOP or words[0][0].islower()):
            words.pop(0)  # "In World Health Organization (2020)": "In" is no name
        at = caps.start() + words[0].start() if caps and words else m.start()
        org = text[at : m.end("name")] if words else None
        place = _PLACE_BEFORE.search(text, base, m.start())
        only = bool(org) or (not m["more"] and place is not None)
        resolved = _resolve(m["name"], org, m["years"], refs, lower, only)
        if resolved:
            paren = text.rindex("(", 0, m.start("years"))
            hits.append(_Hit(paren, m.end(), at, text[at : m.end()], *resolved))
    return hits


def _resolve(
    name: str | None,
    org: str | None,
    years: str,
    refs: list[ParsedReference],
    lower: set[str],
    resolve_only: bool,
) -> tuple[tuple[int, ...], tuple[str, ...], str | None] | None:
    """(targets, unresolved, hint) of one author–year citation; None when it is none.

    Only a plain surname may go unresolved: an organisation, an acronym or a word the text
    also uses in lower case is too likely not to be a citation at all.
    """
    if name is not None and org is None:
        core = name.split()[-1]
        # A common word ("In 2019", but also a Dr Law or Winter) may name an entry, never
        # a missing one.
        resolve_only = resolve_only or core.casefold() in _STOP
        resolve_only = resolve_only or core.isupper() or fold(core) in lower
    by_author = [i for i, ref in enumerate(refs, 1) if _same_author(name, org, ref)]
    targets: list[int] = []
    unresolved: list[str] = []
    year: int | None = None
    for token in (t.strip() for t in years.split(",")):
        if token[:1].isdigit():
            year, suffix = int(token[:4]), token[4:]
        elif len(token) == 1 and year is not None:
            suffix = token  # "2019a, b"
        else:  # "in press", "n.d.": an entry without a year, or nothing
            targets += [i for i in by_author if refs[i - 1].year is None]
            continue
        same = [i for i in by_author if refs[i - 1].year == year]
        if suffix:  # entries sharing first author and year are a, b, c… in list order
            same = same[ord(suffix) - ord("a") : ord(suffix) - ord("a") + 1]
        targets += same
        if not same and not resolve_only and org is None:
            unresolved.append(f"{name} {year}{suffix}")
    if not targets and not unresolved:
        return None
    hint = None
    if unresolved and by_author:
        near = [
            f"{refs[i - 1].authors[0].family} {refs[i - 1].year or 'n.d.'} (entry {i})"
            for i in by_author
        ]
        hint = "the list has " + ", ".join(near)
    return tuple(dict.fromkeys(targets)), tuple(dict.fromkeys(unresolved)), hint


def _same_author(name: str | None, org: str | None, ref: ParsedReference) -> bool:
    """Is the cited surname (or organisation) the entry's first author?"""
    family = fold(ref.authors[0].family) if ref.authors else ""
    if org is not None:
        return fold(org) == family or fold(ref.raw).startswith(fold(org))
    if not family or name is None:
        return False
    return fold(name) == family or fold(name.split()[-1]) == family.split()[-1]


@lru_cache(maxsize=8192)
def fold(name: str) -> str:
    """Casefolded, accents and curly apostrophes undone: "Núñez" and "Nunez" compare equal."""
    return unaccent(name.replace("’", "'")).casefold()
