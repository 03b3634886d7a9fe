"""Rendering laid-out lines as text: citation markers, paragraphs, headings, title, pages.

A superscript number is a citation (written ``[12]`` so the marker reader finds it) unless it
is a power ("10⁻⁵", "cm²") or an affiliation in page 1's front matter. Paragraph and page
breaks and the lines around headings become blank lines, end-of-line hyphenation is undone,
and each text line keeps the page it was printed on.
"""

from __future__ import annotations

import re
import statistics

from citecheck.ingest.pdf.glyphs import Glyph, Line

_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)
_CITATION = re.compile(r"\d{1,4}(?:[,–\-]\d{1,4})*")
_POWER = re.compile(r"[−\-–+]?\d{1,3}")
_UNITS = {"m", "cm", "mm", "km", "µm", "μm", "nm", "m/s", "kg", "ml", "mL", "l", "L", "s", "ft"}
_FRONT_END = re.compile(r"^\s*(?:\d+\.?\s*)?(abstract|summary|background|introduction)\b", re.I)
_HYPHENS = ("-", "\u00ad", "\u2010")


def render(lines: list[Line]) -> None:
    """Write each line's text and let go of its glyphs (a long PDF must not keep them all).
    Superscript numbers become [n], except in page 1's front matter (author affiliations)
    when a heading (Abstract, Introduction…) ends it."""
    front = 0
    for i, line in enumerate(lines):
        if line.page != 1:
            break
        if _FRONT_END.match("".join(c.text for c in line.chars[:20])) and len(line.chars) < 40:
            front = i
            break
    for i, line in enumerate(lines):
        line.text = _text(line, citations=i >= front)
        line.chars = []


def _text(line: Line, citations: bool) -> str:
    size = line.size
    main = [c for c in line.chars if c.size >= 0.85 * size] or line.chars
    baseline = statistics.median(c.bottom for c in main)
    out = ""
    sup: list[Glyph] = []
    prev: Glyph | None = None

    def close_sup() -> None:
        nonlocal out
        if not sup:
            return
        run = "".join(c.text for c in sup).replace(" ", "")
        before = out.rstrip()
        word = before.split()[-1] if before.split() else ""
        exponent = bool(before) and (before[-1].isdigit() or word.lstrip("(") in _UNITS)
        if exponent and _POWER.fullmatch(run):
            out = f"{before}^{run}"  # "10⁻⁵", "cm²": a power, no citation
        elif citations and before and _CITATION.fullmatch(run):
            marker = f"[{run.replace('–', '-')}]"
            if before[-1] in ".,;:" and len(before) > 1 and not before[-2].isspace():
                out = f"{before[:-1]} {marker}{before[-1]}"  # "cancer.¹²" -> "cancer [12]."
            else:
                out = f"{before} {marker}"
        else:
            out = before + run
        sup.clear()

    for c in line.chars:
        raised = c.size < 0.85 * size and c.bottom < baseline - 0.15 * size
        if prev is not None and prev.text == c.text and abs(prev.x0 - c.x0) < 0.1 * size:
            continue  # a glyph printed twice (fake bold)
        gap = c.x0 - prev.x1 if prev is not None else 0.0
        if raised:
            if not sup and prev is not None and gap > 0.15 * size:
                out += " "
            sup.append(c)
        else:
            if sup:
                close_sup()
            if prev is not None and gap > 0.15 * size and not out.endswith(" "):
                out += " "
            out += c.text
        prev = c
    close_sup()
    return " ".join(out.translate(_LIGATURES).split())


def assemble(lines: list[Line], body: float) -> tuple[list[str], list[int]]:
    """The text lines and the page of each: blank lines at paragraph and page breaks and around
    headings, end-of-line hyphenation undone where the next line starts in lower case."""
    text: list[str] = []
    pages: list[int] = []

    def blank(page: int) -> None:
        if text and text[-1]:
            text.append("")
            pages.append(page)

    previous: Line | None = None
    for line in lines:
        if not line.text:
            continue
        heading = _is_heading(line, body)
        if previous is not None:
            same_heading = heading and _is_heading(previous, body) and previous.size == line.size
            if line.page != previous.page:
                blank(previous.page)
            elif (line.blank_before and not same_heading) or heading != _is_heading(previous, body):
                blank(line.page)
        text.append(line.text)
        pages.append(line.page)
        previous = line
    _dehyphenate(text)
    while text and not text[-1]:
        text.pop()
        pages.pop()
    return text, pages


def _is_heading(line: Line, body: float) -> bool:
    return line.size >= 1.1 * body or (line.bold and len(line.text) < 80)


def _dehyphenate(text: list[str]) -> None:
    """'revolu-' + 'tionary approach' -> 'revolutionary' + 'approach' (a page break between
    them may intervene); 'Non-' + 'Hodgkin' and '366-' + '70' stay as printed."""
    for i, line in enumerate(text):
        if len(line) < 2 or not line.endswith(_HYPHENS) or not line[-2].isalpha():
            continue
        j = i + 1
        if j < len(text) and not text[j]:
            j += 1
        if j >= len(text) or not text[j][:1].islower():
            continue
        word, _, rest = text[j].partition(" ")
        text[i] = line[:-1] + word
        text[j] = rest


def printed_title(lines: list[Line], body: float) -> str | None:
    """The largest type on page 1 when it reads like a title (several words, not a number)."""
    first = [ln for ln in lines if ln.page == 1 and ln.text]
    if not first:
        return None
    biggest = max(ln.size for ln in first)
    if biggest < 1.25 * body:
        return None
    parts: list[str] = []
    for ln in first:
        if abs(ln.size - biggest) <= 0.05 * biggest:
            parts.append(ln.text)
        elif parts:
            break
    _dehyphenate(parts)
    title = " ".join(p for p in parts if p)
    words = re.findall(r"[^\W\d_]{2,}", title)
    if len(words) < 3 or not 10 <= len(title) <= 300:
        return None
    return title.rstrip(".")
