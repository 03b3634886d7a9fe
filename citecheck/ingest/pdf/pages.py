"""Reading a PDF's pages safely: one page at a time, within limits, errors made one line.

pdfminer parses the whole file lazily, so a damaged or hostile PDF shows itself page by page:
a page that cannot be parsed is skipped with a note, one whose content would decompress past
the limit is skipped unread, and each page's layout is freed once its lines are rendered.
"""

from __future__ import annotations

import logging
import struct
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
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
from citecheck.ingest.pdf.glyphs import Line
from citecheck.ingest.pdf.layout import page_lines
from citecheck.ingest.pdf.render import render

# What pdfminer raises on malformed files. Besides its own PSException tree it lets plain
# Python errors escape from deep inside its parsers (a None where a dict was expected, a short
# struct, bad zlib data, an object graph that recurses forever), so those are listed too;
# MemoryError and KeyboardInterrupt are deliberately not.
BROKEN: tuple[type[BaseException], ...] = (
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


@dataclass(frozen=True)
class Limits:
    """How much of a PDF is read: pages, decoded content bytes and characters of one page."""

    pages: int
    page_content: int
    page_glyphs: int


@dataclass
class Document:
    """What the pages gave: their lines, and which pages were not read and why."""

    lines: list[Line] = field(default_factory=list)
    sizes: Counter[float] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    pages_read: int = 0
    textless: list[int] = field(default_factory=list)
    too_big: list[int] = field(default_factory=list)
    broken: list[int] = field(default_factory=list)
    error: BaseException | None = None  # the first page's error, when no page can be read
    unmapped: int = 0


def truncated(data: bytes) -> bool:
    return b"%%EOF" not in data[-2048:]


def input_error(path: Path, exc: BaseException, data: bytes) -> InputError:
    """One line for what pdfminer raised: password, unreadable encryption, or damage."""
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect):
        return InputError(f"{path}: the PDF is password-protected")
    if isinstance(cause, PDFEncryptionError):
        return InputError(f"{path}: the PDF is encrypted in a way that cannot be read ({cause})")
    detail = str(cause).strip().splitlines()[0][:80] if str(cause).strip() else ""
    detail = detail or type(cause).__name__
    if truncated(data):
        detail = f"truncated, no %%EOF at its end: {detail}"
    return InputError(f"{path}: damaged PDF ({detail})")


@contextmanager
def quiet() -> Iterator[None]:
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


def page_list(numbers: Sequence[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10])
    more = f" and {len(numbers) - 10} more" if len(numbers) > 10 else ""
    return f"page{'s' if len(numbers) > 1 else ''} {shown}{more}"


def read_pages(pdf: pdfplumber.PDF, limits: Limits) -> Document:
    """Read page by page, freeing each page's layout before the next. A page pdfminer cannot
    parse is skipped with a note; a document none of whose pages parse is damaged."""
    doc = Document()
    total = _page_count(pdf)
    pages = PDFPage.create_pages(pdf.doc)
    number = 0
    while True:
        try:
            page_obj = next(pages)
        except StopIteration:
            break
        except BROKEN as exc:
            if not doc.pages_read:
                raise
            doc.skipped.append(f"the PDF's page list is damaged after page {number} ({exc!r:.60})")
            break
        number += 1
        if number > limits.pages:
            of = f" of {total}" if total > limits.pages else ""
            doc.skipped.append(f"only the first {limits.pages}{of} PDF pages were read")
            break
        doc.pages_read = number
        try:
            _read_page(pdf, page_obj, number, doc, limits)
        except BROKEN as exc:
            doc.broken.append(number)
            doc.error = doc.error or exc
    if doc.broken and (doc.lines or doc.too_big):
        doc.skipped.append(f"{page_list(doc.broken)} of the PDF could not be read (damaged)")
    elif doc.error is not None:
        raise doc.error
    if doc.too_big:
        doc.skipped.append(
            f"{page_list(doc.too_big)} of the PDF not read: content larger than "
            f"{limits.page_content / 1e6:g} MB or {limits.page_glyphs} characters"
        )
    return doc


def _read_page(
    pdf: pdfplumber.PDF, page_obj: PDFPage, number: int, doc: Document, limits: Limits
) -> None:
    if _content_size(page_obj, limits.page_content) > limits.page_content:
        doc.too_big.append(number)
        return
    page = Page(pdf, page_obj, page_number=number)
    try:
        width, height = float(page.width), float(page.height)
        chars = list(_glyphs(page.layout))
    finally:
        page.close()
    if len(chars) > limits.page_glyphs:
        doc.too_big.append(number)
        return
    lines, unmapped = page_lines(chars, number, width, height)
    del chars
    doc.unmapped += unmapped
    if not lines:
        doc.textless.append(number)
        return
    for line in lines:
        doc.sizes[line.size] += len(line.chars)
    render(lines)
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
    except BROKEN:
        return 0
    return count if isinstance(count, int) else 0


def _content_size(page_obj: PDFPage, limit: int) -> int:
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
                total += len(inflater.decompress(raw, limit + 1 - total))
            except zlib.error:
                total += len(raw)  # pdfminer will decide what to make of it
        else:
            total += len(raw)
        if total > limit:
            break
    return total
