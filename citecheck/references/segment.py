"""Find the reference list in running text and split it into entries.

Real manuscripts reach editors as text pulled from PDFs: numbering lost (". Janz TA"),
running headers and "Citation:" footers interleaved with entries, correspondence blocks in
the middle of the list, blank lines inside entries and a block of bare URLs after it. The
approach: locate the section, drop lines that are page furniture, then decide entry
boundaries from entry markers (numbers, lost numbers) or, without markers, from author-led
lines and paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from citecheck.errors import InputError

_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\d+\.?\s*)?\**\s*(references(?: and notes| cited)?|bibliography|"
    r"literature(?: cited)?|works cited|reference list|citations|cited literature)"
    r"\s*\**\s*:?\s*$",
    re.IGNORECASE,
)
# Sections that may follow the list; the list ends where one starts.
_AFTER = re.compile(
    r"^\s*(?:#{1,6}\s*)?(appendix|supplementary|supporting information|figure legends?|"
    r"tables?|acknowledge?ments?|author contributions?|funding|conflicts? of interest|"
    r"competing interests|abbreviations|footnotes|figures?)\b[^.]{0,40}$",
    re.IGNORECASE,
)
_NOISE = re.compile(
    r"^\s*(?:\*?\s*correspondence\b|received\s*:|accepted\s*:|revised\s*:|published\s*:|"
    r"citation\s*:|copyright\b|©|\(c\)\s*\d{4}|page\s+\d+\s+(?:of\s+\d+)?\s*$|"
    r"e-?mail\s*:|doi\s*:\s*10\.35841|downloaded from\b|this article is\b|"
    r"\d{1,4}\s*$)",
    re.IGNORECASE,
)
_HEADER_FURNITURE = re.compile(
    r"\b(?:volume|vol\.?)\s*\d+\s*(?:issue|no\.?|number)\s*\d+\s*$", re.IGNORECASE
)
_URL_LINE = re.compile(r"^\s*<?(?:https?://|www\.)\S+>?\s*$", re.IGNORECASE)

# Entry markers. Each captures the marker number (if any) and leaves the rest.
_NUM_MARKERS = (
    re.compile(r"^\s*\[(\d{1,4})\]\s*(?=\S)"),
    re.compile(r"^\s*\((\d{1,4})\)\s*(?=[A-Z\u00c0-\u024f])"),
    # "28. van der Meulen MJ", "18. 1000 Genomes Project Consortium" start entries too.
    re.compile(
        r"^\s*(\d{1,4})\.(?!\d)\s*(?=[A-Z\u00c0-\u024f\"“'‘(—–_]|-{2}|"
        r"(?:(?:van|von|der|den|de|del|della|di|da|du|dos|das|le|la|ten|ter)\s+){1,3}[A-Z]|"
        r"\d+\s+[A-Z])"
    ),
    re.compile(r"^\s*(\d{1,4})\)\s*(?=[A-Z\u00c0-\u024f])"),
    re.compile(r"^\s*\^?(\d{1,4})\^?\s+(?=[A-Z\u00c0-\u024f][\w'’\-]+,?\s+[A-Z])"),
)
_LOST_MARKER = re.compile(r"^\s*[.·•▪\-–]\s+(?=[A-Z\u00c0-\u024f])")
# "Smith J, ..." / "Smith, J." / "van der Berg AB," / "O'Neil, K." at the start of a line.
_AUTHOR_START = re.compile(
    r"^\s*(?:(?:van|von|der|de|del|della|di|da|le|la|du|dos|das|ten|ter)\s+){0,3}"
    r"[A-Z\u00c0-\u024f][\w'’\-]+(?:\s[A-Z\u00c0-\u024f][\w'’\-]+)?"
    r"(?:,\s*(?:[A-Z]\.\s*){1,3}|,?\s+[A-Z]{1,3}\b[,.]|\s+[A-Z]\.\s*(?:[A-Z]\.\s*)?,)"
)
_YEAR = re.compile(r"\b(1[6-9]\d\d|20\d\d)[a-z]?\b")


class NoReferenceList(InputError):
    """The text has no recognisable reference list."""


@dataclass(frozen=True)
class Entry:
    text: str
    line: int  # 1-based line in the manuscript where the entry starts
    number: int | None = None
    numbered: bool = False  # the entry had its own marker ("1.", "[1]", a lost ". ")


def find_section(lines: list[str]) -> tuple[int, int]:
    """Return [start, end) line indexes of the reference list body."""
    heads = [i for i, line in enumerate(lines) if _HEADING.match(line)]
    if heads:
        start = heads[-1] + 1
    else:
        guessed = _guess_start(lines)
        if guessed is None:
            raise NoReferenceList("no reference list found (no 'References' heading)")
        start = guessed
    end = len(lines)
    for i in range(start, len(lines)):
        if (i == 0 or not lines[i - 1].strip()) and _AFTER.match(lines[i]):
            end = i
            break
    return start, end


@lru_cache(maxsize=2)
def text_section(text: str) -> tuple[int, int]:
    """``find_section`` over the lines of ``text``, cached: one check looks for the list in
    the same text three times (to split it, and to leave it out of the in-text citations
    and out of the topic profile), and each look reads every line."""
    return find_section(text.split("\n"))


def _guess_start(lines: list[str]) -> int | None:
    """Without a heading: the first of a run of >= 3 numbered, year-bearing lines."""
    run: list[int] = []
    for i, line in enumerate(lines):
        m = _marker(line)
        if m and m[0] is not None and _YEAR.search(line + " " + " ".join(lines[i + 1 : i + 3])):
            if run and m[0] != len(run) + 1:
                run = []
            if not run and m[0] != 1:
                continue
            run.append(i)
            if len(run) >= 3:
                return run[0]
    return None


def _marker(line: str) -> tuple[int | None, str] | None:
    for pattern in _NUM_MARKERS:
        m = pattern.match(line)
        if m:
            return int(m.group(1)), line[m.end() :]
    m = _LOST_MARKER.match(line)
    if m:
        return None, line[m.end() :]
    return None


def _furniture(lines: list[str], text_lines: list[str]) -> set[str]:
    """Lines repeated across pages (running headers/footers) that are not references."""
    counts = Counter(line.strip() for line in text_lines if line.strip())
    return {
        line
        for line, n in counts.items()
        if n >= 2 and len(line) < 100 and not line.endswith((".", ",", ";")) and not _marker(line)
    }


def _clean(lines: list[str], all_lines: list[str], offset: int) -> list[tuple[int, str]]:
    """Drop page furniture; return (line number, text) with blank lines kept as ''."""
    furniture = _furniture(lines, all_lines)
    kept: list[tuple[int, str]] = []
    skipping = False  # inside a noise paragraph (e.g. a correspondence block)
    prev_blank = True
    for i, raw in enumerate(lines):
        line = raw.rstrip()
        stripped = line.strip()
        number = offset + i + 1
        if not stripped:
            skipping = False
            prev_blank = True
            kept.append((number, ""))
            continue
        url_line = _URL_LINE.match(stripped) is not None
        noise = (
            _NOISE.match(stripped) is not None
            or stripped in furniture
            or _header_furniture(stripped)
            or (url_line and (prev_blank or _url_context(kept)))
        )
        if noise and prev_blank and not url_line:
            skipping = True  # a noise line opening a paragraph takes the paragraph with it
        prev_blank = False
        if noise or skipping:
            continue
        kept.append((number, line))
    return kept


def _header_furniture(line: str) -> bool:
    """A running header "… Volume 3 Issue 2"; "vol" is a cheap test every such line passes."""
    return "vol" in line.lower() and _HEADER_FURNITURE.search(line) is not None


def _url_context(kept: list[tuple[int, str]]) -> bool:
    """True when the previous kept line is itself a dropped-URL context (URL block)."""
    for _, text in reversed(kept):
        if text:
            return bool(_URL_LINE.match(text))
        return True
    return True


def _join(parts: list[str]) -> str:
    """Join wrapped lines, undoing end-of-line hyphenation of words (not of page ranges)."""
    if len(parts) == 1:  # most entries are one line
        return " ".join(parts[0].split())
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if not out:
            out = part
        elif out.endswith("-") and len(out) > 1 and out[-2].isdigit() and part[:1].isdigit():
            out += part
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha() and part[:1].islower():
            out = out[:-1] + part
        else:
            out += " " + part
    return " ".join(out.split())  # as re.sub(r"\s+", " ", out).strip(), faster


_VOL_PAGES = re.compile(r"\b\d+\s*(?:\(\w+\))?\s*[:,]\s*[A-Za-z]?\d+(?:\s*[-–]\s*\d+)?\b")


def _looks_like_reference(entry: Entry) -> bool:
    """Numbered entries always count (the author numbered them); unnumbered text needs a
    year, a DOI or a volume:pages to be taken for a reference."""
    text = entry.text
    if len(text) < 15:
        return False
    if entry.numbered:
        return True
    return bool(
        _YEAR.search(text) or "doi" in text.lower() or "10." in text or _VOL_PAGES.search(text)
    )


def split_references(text: str) -> list[Entry]:
    """Split a manuscript's reference list into entries, in list order."""
    all_lines = text.split("\n")
    start, end = text_section(text)
    kept = _clean(all_lines[start:end], all_lines, start)
    entries = _split_marked(kept)
    if entries is None:
        entries = _split_unmarked(kept)
    entries = [part for e in entries for part in _unglue(e) if _looks_like_reference(part)]
    if not entries:
        raise NoReferenceList("a reference heading was found but no entries under it")
    return entries


# "…Autism. 2001;5(3):277. Gosch A, Pankau R. …" : a finished Vancouver/BMC tail, then a new
# author list. PDF extraction glues entries like this when a line break is lost.
# The ";" or "," comes first and the year is looked behind for from there: the engine
# skips ahead to the next ";" or ",", where a leading look-behind is tried at every character.
_GLUE = re.compile(
    r"[;,](?<=\b(?:1[6-9]|20)\d\d[;,])"
    r"(?:\s*[\w()\s]{1,20}(?::\s*[A-Za-z]?\d+(?:\s*[-–]\s*\d+)?)?)\.\s+"
    r"(?=(?:[A-Z][\w'’\-]+(?:\s[A-Z][\w'’\-]+)?\s[A-Z]{1,3},\s){1,}[A-Z][\w'’\-]+\s[A-Z]{1,3}[.,])"
)


def _unglue(entry: Entry) -> list[Entry]:
    """Split an entry that holds two references (each with its own year and tail)."""
    m = _GLUE.search(entry.text)
    if m is None or not _YEAR.search(entry.text[m.end() :]):
        return [entry]
    first = Entry(entry.text[: m.end()].strip(), entry.line, entry.number, entry.numbered)
    rest = Entry(entry.text[m.end() :].strip(), entry.line, None, False)
    return [first, *_unglue(rest)]


def _split_marked(kept: list[tuple[int, str]]) -> list[Entry] | None:
    markers = [_marker(t) if t else None for _, t in kept]  # each line read once
    starts = [m for m in markers if m]
    numbered = [m for m in starts if m[0] is not None]
    if len(starts) < 2 and not (len(starts) == 1 and numbered):
        return None
    entries: list[Entry] = []
    current: list[str] = []
    current_line = 0
    current_number: int | None = None
    current_marked = False

    def flush() -> None:
        if current:
            entries.append(Entry(_join(current), current_line, current_number, current_marked))

    for (n, t), m in zip(kept, markers, strict=True):
        if m is not None and m[0] is not None:
            expected = len(entries) + (1 if current else 0) + 1
            # A number that breaks the sequence (a page range "70." or a year) is text.
            if not (expected - 1 <= m[0] <= expected + 1):
                m = None
        if m is not None:
            flush()
            current = [m[1]]
            current_line = n
            current_number = m[0] if m[0] is not None else len(entries) + 1
            current_marked = True
        elif current and t:
            current.append(t)
        elif not current and t and entries == [] and _AUTHOR_START.match(t):
            current = [t]
            current_line = n
            current_number = 1
            current_marked = False
    flush()
    return entries


def _split_unmarked(kept: list[tuple[int, str]]) -> list[Entry]:
    """Author–year lists: an entry starts at an author-led line after a finished one."""
    entries: list[Entry] = []
    current: list[str] = []
    current_line = 0
    after_blank = True
    paragraphs_are_entries = _paragraphs_are_entries(kept)
    for n, t in kept:
        if not t:
            after_blank = True
            continue
        prev = current[-1].rstrip() if current else ""
        starts = not current or (
            (after_blank and paragraphs_are_entries)
            or (
                _AUTHOR_START.match(t) is not None
                and prev.endswith((".", ">"))
                and _YEAR.search(" ".join(current)) is not None
            )
        )
        if starts and current:
            entries.append(Entry(_join(current), current_line, len(entries) + 1))
            current = []
        if not current:
            current_line = n
        current.append(t)
        after_blank = False
    if current:
        entries.append(Entry(_join(current), current_line, len(entries) + 1))
    return entries


def _paragraphs_are_entries(kept: list[tuple[int, str]]) -> bool:
    """Blank-line separated paragraphs each holding one year: the list is spaced out."""
    paragraphs: list[str] = []
    buf: list[str] = []
    for _, t in [*kept, (0, "")]:
        if t:
            buf.append(t)
        elif buf:
            paragraphs.append(" ".join(buf))
            buf = []
    if len(paragraphs) < 2:
        return False
    with_one_year = sum(1 for p in paragraphs if len(set(_YEAR.findall(p))) >= 1)
    return with_one_year >= 0.8 * len(paragraphs) and all(len(p) < 800 for p in paragraphs)
