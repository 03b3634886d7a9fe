"""PDF manuscripts: the text rebuilt from glyph positions (pdfplumber over pdfminer.six).

Glyphs, not a library's text boxes, because what matters is only visible in them: a citation
printed as a superscript ("cancer¹²") is a smaller, raised "12" that plain extraction glues to
the word, and two-column pages, running headers and hyphenated line ends need positions to
undo. The result keeps the printed line structure (the reference-list segmenter works on
lines), with superscript citations written as ``[12]`` so the marker reader finds them, page
breaks as blank lines, and the page of every line in ``Manuscript.pages``.

Hostile input is bounded: at most ``MAX_PAGES`` pages, pages whose content would decompress
past ``MAX_PAGE_CONTENT`` are skipped unread, and each page's layout is freed once read.
"""

from __future__ import annotations

import itertools
import logging
import re
import statistics
import struct
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import pdfplumber
from pdfminer.layout import LTChar, LTContainer, LTItem
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, resolve1
from pdfminer.psparser import PSException
from pdfplumber.page import Page
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from citecheck.errors import InputError
from citecheck.ingest.manuscript import Manuscript
from citecheck.ingest.text import guess_title

MAX_PAGES = 500
MAX_PAGE_CONTENT = 4_000_000  # decoded content-stream bytes of one page
MAX_PAGE_GLYPHS = 60_000  # a dense journal page has about 8,000

# What pdfminer raises on malformed files. Besides its own PSException tree it lets plain
# Python errors escape from deep inside its parsers (a None where a dict was expected, a short
# struct, bad zlib data, an object graph that recurses forever), so those are listed too;
# MemoryError and KeyboardInterrupt are deliberately not.
_BROKEN: tuple[type[BaseException], ...] = (
    PSException,
    PdfminerException,
    MalformedPDFException,
    ValueError,
    TypeError,
    LookupError,
    AttributeError,
    AssertionError,
    EOFError,
    OverflowError,
    RecursionError,
    NotImplementedError,
    struct.error,
    zlib.error,
)

_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)
_CITATION = re.compile(r"\d{1,4}(?:[,–\-]\d{1,4})*")
_POWER = re.compile(r"[−\-–+]?\d{1,3}")
_UNITS = {"m", "cm", "mm", "km", "µm", "μm", "nm", "m/s", "kg", "ml", "mL", "l", "L", "s", "ft"}
_FRONT_END = re.compile(r"^\s*(?:\d+\.?\s*)?(abstract|summary|background|introduction)\b", re.I)
_HYPHENS = ("-", "\u00ad", "\u2010")


@dataclass(frozen=True, slots=True)
class _Glyph:
    """One printed character, in points from the page's top-left corner."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass
class _Line:
    """One printed line: its glyphs (left to right) and where it sits."""

    chars: list[_Glyph]
    page: int
    top: float
    bottom: float
    size: float  # the font size most of its glyphs have
    bold: bool
    column: str  # "L", "R" or "S" (spanning / single column)
    text: str = ""
    blank_before: bool = False
    furniture: str | None = None  # a margin row's text, numbers aside: maybe a running header


@dataclass
class _Document:
    lines: list[_Line] = field(default_factory=list)
    sizes: Counter[float] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    pages_read: int = 0
    textless: list[int] = field(default_factory=list)
    too_big: list[int] = field(default_factory=list)
    broken: list[int] = field(default_factory=list)
    error: BaseException | None = None  # the first page's error, when no page can be read
    unmapped: int = 0


def read_pdf(path: Path, data: bytes) -> Manuscript:
    """A PDF's text in reading order; InputError for what has no readable text layer."""
    with _quiet():
        try:
            pdf = pdfplumber.open(BytesIO(data))
        except _BROKEN as exc:
            raise _error(path, exc, data) from None
        try:
            doc = _read_pages(pdf)
        except _BROKEN as exc:
            raise _error(path, exc, data) from None
        finally:
            pdf.flush_cache()
    if not doc.lines:
        if doc.too_big:
            raise InputError(f"{path}: {doc.skipped[0]}")
        if doc.unmapped:
            raise InputError(
                f"{path}: no usable text layer (its fonts map glyphs to no characters): "
                "run OCR first"
            )
        raise InputError(f"{path}: no text layer (a scanned PDF?): run OCR first")
    if _truncated(data):
        doc.skipped.append("the PDF seems truncated (no %%EOF at its end): pages may be missing")
    if doc.textless:
        doc.skipped.append(f"{_pages(doc.textless)} of the PDF have no text layer (scanned?)")
    if doc.unmapped:
        doc.skipped.append(f"{doc.unmapped} PDF glyphs without a Unicode mapping were dropped")
    body = doc.sizes.most_common(1)[0][0] if doc.sizes else 10.0
    lines = _without_furniture(doc.lines, doc.pages_read)
    text_lines, pages = _assemble(lines, body)
    text = "\n".join(text_lines)
    if not text.strip():
        raise InputError(f"{path}: no text layer (a scanned PDF?): run OCR first")
    return Manuscript(
        path=str(path),
        text=text,
        encoding="pdf",
        title=_title(lines, body) or guess_title(text),
        format="pdf",
        pages=tuple(pages),
        skipped=tuple(doc.skipped),
    )


def _truncated(data: bytes) -> bool:
    return b"%%EOF" not in data[-2048:]


def _error(path: Path, exc: BaseException, data: bytes) -> InputError:
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect):
        return InputError(f"{path}: the PDF is password-protected")
    if isinstance(cause, PDFEncryptionError):
        return InputError(f"{path}: the PDF is encrypted in a way that cannot be read ({cause})")
    detail = str(cause).strip().splitlines()[0][:80] if str(cause).strip() else ""
    detail = detail or type(cause).__name__
    if _truncated(data):
        detail = f"truncated, no %%EOF at its end: {detail}"
    return InputError(f"{path}: damaged PDF ({detail})")


@contextmanager
def _quiet() -> Iterator[None]:
    """pdfminer logs a warning for every oddity of a damaged file; the report says enough."""
    loggers = [logging.getLogger(name) for name in ("pdfminer", "pdfplumber")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def _pages(numbers: Sequence[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10])
    more = f" and {len(numbers) - 10} more" if len(numbers) > 10 else ""
    return f"page{'s' if len(numbers) > 1 else ''} {shown}{more}"


# ---------------------------------------------------------------- pages


def _read_pages(pdf: pdfplumber.PDF) -> _Document:
    """Read page by page, freeing each page's layout before the next. A page pdfminer cannot
    parse is skipped with a note; a document none of whose pages parse is damaged."""
    doc = _Document()
    total = _page_count(pdf)
    pages = PDFPage.create_pages(pdf.doc)
    number = 0
    while True:
        try:
            page_obj = next(pages)
        except StopIteration:
            break
        except _BROKEN as exc:
            if not doc.pages_read:
                raise
            doc.skipped.append(f"the PDF's page list is damaged after page {number} ({exc!r:.60})")
            break
        number += 1
        if number > MAX_PAGES:
            of = f" of {total}" if total > MAX_PAGES else ""
            doc.skipped.append(f"only the first {MAX_PAGES}{of} PDF pages were read")
            break
        doc.pages_read = number
        try:
            _read_page(pdf, page_obj, number, doc)
        except _BROKEN as exc:
            doc.broken.append(number)
            doc.error = doc.error or exc
    if doc.broken and (doc.lines or doc.too_big):
        doc.skipped.append(f"{_pages(doc.broken)} of the PDF could not be read (damaged)")
    elif doc.error is not None:
        raise doc.error
    if doc.too_big:
        doc.skipped.append(
            f"{_pages(doc.too_big)} of the PDF not read: content larger than "
            f"{MAX_PAGE_CONTENT / 1e6:g} MB or {MAX_PAGE_GLYPHS} characters"
        )
    return doc


def _read_page(pdf: pdfplumber.PDF, page_obj: PDFPage, number: int, doc: _Document) -> None:
    if _content_size(page_obj) > MAX_PAGE_CONTENT:
        doc.too_big.append(number)
        return
    page = Page(pdf, page_obj, page_number=number)
    try:
        width, height = float(page.width), float(page.height)
        chars = list(_glyphs(page.layout))
    finally:
        page.close()
    if len(chars) > MAX_PAGE_GLYPHS:
        doc.too_big.append(number)
        return
    lines, unmapped = _page_lines(chars, number, width, height)
    del chars
    doc.unmapped += unmapped
    if not lines:
        doc.textless.append(number)
        return
    for line in lines:
        doc.sizes[line.size] += len(line.chars)
    _render(lines)
    doc.lines.extend(lines)


def _glyphs(item: LTItem) -> Iterator[LTChar]:
    """pdfminer's characters of a page, walked straight from its layout tree (faster than
    pdfplumber's ``page.chars``, which turns every object of the page into a dict)."""
    if isinstance(item, LTChar):
        yield item
    elif isinstance(item, LTContainer):
        for child in item:
            yield from _glyphs(child)


def _page_count(pdf: pdfplumber.PDF) -> int:
    """The page tree's /Count (0 when the tree is too broken to say)."""
    try:
        count = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
    except _BROKEN:
        return 0
    return count if isinstance(count, int) else 0


def _content_size(page_obj: PDFPage) -> int:
    """Decoded size of a page's content streams, counted without inflating past the limit."""
    total = 0
    for item in page_obj.contents:
        stream = resolve1(item)
        if not isinstance(stream, PDFStream):
            continue
        if stream.data is not None:
            total += len(stream.data)
            continue
        raw = stream.rawdata or b""
        filters = stream.get_filters()
        if filters and filters[0][0] in LITERALS_FLATE_DECODE:
            if stream.decipher and stream.objid is not None and stream.genno is not None:
                raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
            inflater = zlib.decompressobj()
            try:
                total += len(inflater.decompress(raw, MAX_PAGE_CONTENT + 1 - total))
            except zlib.error:
                total += len(raw)  # pdfminer will decide what to make of it
        else:
            total += len(raw)
        if total > MAX_PAGE_CONTENT:
            break
    return total


# ---------------------------------------------------------------- lines and columns


def _page_lines(
    chars: list[LTChar], page: int, width: float, height: float
) -> tuple[list[_Line], int]:
    """The page's lines in reading order: full-width lines in place, columns left then right."""
    glyphs: list[_Glyph] = []
    unmapped = 0
    for c in chars:
        text = c.get_text()
        if text.startswith("(cid:"):
            unmapped += 1
        elif (
            text.strip()
            and c.upright
            and 0 < c.size < height
            and -1 <= c.x0 <= c.x1 <= width + 1
            and -1 <= c.y0 <= c.y1 <= height + 1
        ):  # visible glyphs only: a damaged file may put some anywhere
            glyphs.append(
                _Glyph(
                    text=text,
                    x0=c.x0,
                    x1=c.x1,
                    top=height - c.y1,
                    bottom=height - c.y0,
                    size=c.size,
                    bold="bold" in str(c.fontname).lower(),
                )
            )
    if not glyphs:
        return [], unmapped
    rows = _merge_small(_rows(glyphs))
    gutter = _gutter(rows)
    lines: list[_Line] = []
    block: list[_Line] = []

    def flush() -> None:
        lines.extend(sorted(block, key=lambda ln: (ln.column != "L", ln.top)))
        block.clear()

    ordered = sorted(rows, key=lambda r: min(c.top for c in r))
    edge = 0.1 * height
    for i, row in enumerate(ordered):
        # a running header or footer: one of the page's outermost rows, in the margin
        outer = i < 3 and min(c.top for c in row) < edge
        outer = outer or (i >= len(ordered) - 3 and max(c.bottom for c in row) > height - edge)
        key = _furniture_key(row) if outer else None
        parts = _split(row, gutter) if gutter is not None else None
        if parts is None:
            flush()
            lines.append(_line(row, page, "S", key))
        else:
            left, right = parts
            block.extend(
                _line(part, page, side, key) for side, part in (("L", left), ("R", right)) if part
            )
    flush()
    _mark_paragraphs(lines)
    return lines, unmapped


def _rows(glyphs: list[_Glyph]) -> list[list[_Glyph]]:
    """Glyphs of one size on one baseline (their bottoms agree to a quarter of their size).
    A superscript thus gets a row of its own, even when another column's line sits level
    with it; ``_merge_small`` then gives it to its line."""
    rows: list[list[_Glyph]] = []
    open_rows: list[tuple[float, float, int]] = []  # (bottom, size, index into rows)
    for c in sorted(glyphs, key=lambda g: (g.bottom, g.x0)):
        size = c.size
        open_rows = [o for o in open_rows if c.bottom - o[0] <= 0.25 * o[1]]
        for _, row_size, index in open_rows:
            if 0.87 <= size / row_size <= 1.15:
                rows[index].append(c)
                break
        else:
            open_rows.append((c.bottom, size, len(rows)))
            rows.append([c])
    return rows


def _size(row: Sequence[_Glyph]) -> float:
    return float(statistics.median_high(round(c.size, 1) for c in row))


def _merge_small(rows: list[list[_Glyph]]) -> list[list[_Glyph]]:
    """Superscripts and subscripts sit on their own baseline: give each to the line it is in."""
    spans = [(min(c.top for c in r), max(c.bottom for c in r), _size(r)) for r in rows]
    extents = [(min(c.x0 for c in r), max(c.x1 for c in r)) for r in rows]
    keep: list[list[_Glyph]] = [[] for _ in rows]
    for i, row in enumerate(rows):
        top, bottom, size = spans[i]
        hosts = [
            j
            for j in range(max(0, i - 3), min(len(rows), i + 4))
            if j != i
            and spans[j][2] >= 1.15 * size
            and min(bottom, spans[j][1]) - max(top, spans[j][0]) >= 0.4 * (bottom - top)
        ]
        for c in row:
            near = [(max(0.0, extents[j][0] - c.x1, c.x0 - extents[j][1]), j) for j in hosts]
            distance, host = min(near, default=(0.0, i))
            keep[host if distance <= 3 * spans[host][2] else i].append(c)
    return [r for r in keep if r]


def _runs(row: Sequence[_Glyph]) -> list[tuple[float, float]]:
    """Horizontal stretches of text in a row, split where the gap is wider than an em."""
    out: list[tuple[float, float]] = []
    for c in sorted(row, key=lambda g: g.x0):
        if out and c.x0 - out[-1][1] <= c.size:
            out[-1] = (out[-1][0], max(out[-1][1], c.x1))
        else:
            out.append((c.x0, c.x1))
    return out


def _gutter(rows: list[list[_Glyph]]) -> float | None:
    """The x of a column gutter: a vertical strip in the middle of the text that runs of
    consecutive rows leave empty, with text on both sides of it. Lines across the page
    (title, abstract, a wide table) interrupt the runs but do not hide the gutter; a
    one-column page has no such strip, its short last lines of paragraphs never make a run."""
    if len(rows) < 6:
        return None
    left = min(c.x0 for r in rows for c in r)
    right = max(c.x1 for r in rows for c in r)
    if right - left < 100:
        return None
    ordered = sorted(rows, key=lambda r: min(c.top for c in r))
    runs = [_runs(r) for r in ordered]
    scores: dict[int, int] = {}
    step = max(1, int((right - left) / 250))  # a point, or coarser on a huge page
    for x in range(int(left + 0.3 * (right - left)), int(left + 0.7 * (right - left)) + 1, step):
        in_runs = lefts = rights = 0
        streak: list[list[tuple[float, float]]] = []
        for rr in [*runs, [(x - 1.0, x + 1.0)]]:  # a sentinel that covers x ends the last run
            if any(a < x < b for a, b in rr):
                if len(streak) >= 4:
                    in_runs += len(streak)
                    lefts += sum(1 for s in streak if any(b <= x for _, b in s))
                    rights += sum(1 for s in streak if any(a >= x for a, _ in s))
                streak = []
            else:
                streak.append(rr)
        if min(lefts, rights) >= 3:
            scores[x] = in_runs
    if not scores:
        return None
    # the strip most rows leave empty (not a river of wide word spaces in one column)
    peak = max(scores, key=lambda x: scores[x])
    if scores[peak] < max(6, 0.3 * len(rows)):
        return None
    good = {x for x, n in scores.items() if n >= 0.9 * scores[peak]}
    lo = hi = peak
    while lo - step in good:
        lo -= step
    while hi + step in good:
        hi += step
    return (lo + hi) / 2 if hi - lo >= 3 else None


def _split(row: list[_Glyph], gutter: float) -> tuple[list[_Glyph], list[_Glyph]] | None:
    """A row's left- and right-column parts; None when the row runs across the gutter."""
    left = [c for c in row if (c.x0 + c.x1) / 2 < gutter]
    right = [c for c in row if (c.x0 + c.x1) / 2 >= gutter]
    if left and right:
        gap = min(c.x0 for c in right) - max(c.x1 for c in left)
        if gap < 0.9 * _size(row):
            return None
    return left, right


def _line(chars: list[_Glyph], page: int, column: str, furniture: str | None = None) -> _Line:
    chars = sorted(chars, key=lambda c: c.x0)
    size = _size(chars)
    main = [c for c in chars if c.size >= 0.85 * size] or chars
    bold = sum(1 for c in main if c.bold) > len(main) / 2
    return _Line(
        chars=chars,
        page=page,
        top=min(c.top for c in main),
        bottom=max(c.bottom for c in main),
        size=size,
        bold=bold,
        column=column,
        furniture=furniture,
    )


def _mark_paragraphs(lines: list[_Line]) -> None:
    """A blank line where the vertical step to the next line is wider than the page's usual
    line pitch (paragraph or section spacing), and around headings."""
    steps = [
        b.top - a.top
        for a, b in itertools.pairwise(lines)
        if a.column == b.column and 0.5 * a.size < b.top - a.top < 3 * a.size
    ]
    pitch = statistics.median(steps) if steps else None
    for a, b in itertools.pairwise(lines):
        step = b.top - a.top
        if step <= 0:
            continue  # the next column starts: the text runs on
        if pitch is not None and step > pitch + 0.25 * b.size:
            b.blank_before = True


# ---------------------------------------------------------------- text


def _without_furniture(lines: list[_Line], pages: int) -> list[_Line]:
    """Drop running headers and footers: margin rows whose text (numbers aside) recurs on
    other pages."""
    if pages < 2:
        return lines
    keys: dict[str, set[int]] = {}
    for line in lines:
        if line.furniture is not None:
            keys.setdefault(line.furniture, set()).add(line.page)
    repeated = {k for k, on in keys.items() if len(on) >= max(2, 0.3 * pages)}
    kept = [ln for ln in lines if ln.furniture not in repeated]
    for prev, line in itertools.pairwise(kept):
        if line.page != prev.page:
            line.blank_before = False  # the page break gives the blank line
    return kept


def _furniture_key(row: Sequence[_Glyph]) -> str:
    text = "".join(c.text for c in sorted(row, key=lambda c: c.x0))
    return re.sub(r"\d+", "#", text.lower())


def _render(lines: list[_Line]) -> None:
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


def _text(line: _Line, citations: bool) -> str:
    size = line.size
    main = [c for c in line.chars if c.size >= 0.85 * size] or line.chars
    baseline = statistics.median(c.bottom for c in main)
    out = ""
    sup: list[_Glyph] = []
    prev: _Glyph | None = None

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


def _assemble(lines: list[_Line], body: float) -> tuple[list[str], list[int]]:
    """The text lines and the page of each: blank lines at paragraph and page breaks and around
    headings, end-of-line hyphenation undone where the next line starts in lower case."""
    text: list[str] = []
    pages: list[int] = []

    def blank(page: int) -> None:
        if text and text[-1]:
            text.append("")
            pages.append(page)

    previous: _Line | None = None
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


def _is_heading(line: _Line, body: float) -> bool:
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


def _title(lines: list[_Line], body: float) -> str | None:
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
