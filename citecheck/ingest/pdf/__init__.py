"""PDF manuscripts: the text rebuilt from glyph positions (pdfplumber over pdfminer.six).

Glyphs, not a library's text boxes, because what matters is only visible in them: a citation
printed as a superscript ("cancer¹²") is a smaller, raised "12" that plain extraction glues to
the word, and two-column pages, running headers and hyphenated line ends need positions to
undo. The result keeps the printed line structure (the reference-list segmenter works on
lines), with superscript citations written as ``[12]`` so the marker reader finds them, page
breaks as blank lines, and the page of every line in ``Manuscript.pages``.

Hostile input is bounded: at most ``MAX_PAGES`` pages, pages whose content would decompress
past ``MAX_PAGE_CONTENT`` are skipped unread, and each page's layout is freed once read. The
limits live here, read when a PDF is read, so they can be lowered for one run or test.

Modules: ``pages`` (reading pages safely: limits, errors, truncation, quiet logging),
``layout`` (glyphs into lines and columns: rows, superscripts, gutter, running headers),
``render`` (lines into text: citation markers, powers, dehyphenation, headings, title, the
page of each line) and ``glyphs`` (the glyph and line they share).
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pdfplumber

from citecheck.errors import InputError
from citecheck.ingest.manuscript import Manuscript
from citecheck.ingest.pdf.layout import without_furniture
from citecheck.ingest.pdf.pages import (
    BROKEN,
    Limits,
    input_error,
    page_list,
    quiet,
    read_pages,
    truncated,
)
from citecheck.ingest.pdf.render import assemble, printed_title
from citecheck.ingest.text import guess_title

__all__ = ["MAX_PAGES", "MAX_PAGE_CONTENT", "MAX_PAGE_GLYPHS", "read_pdf"]

MAX_PAGES = 500
MAX_PAGE_CONTENT = 4_000_000  # decoded content-stream bytes of one page
MAX_PAGE_GLYPHS = 60_000  # a dense journal page has about 8,000


def read_pdf(path: Path, data: bytes) -> Manuscript:
    """A PDF's text in reading order; InputError for what has no readable text layer."""
    limits = Limits(pages=MAX_PAGES, page_content=MAX_PAGE_CONTENT, page_glyphs=MAX_PAGE_GLYPHS)
    with quiet():
        try:
            pdf = pdfplumber.open(BytesIO(data))
        except BROKEN as exc:
            raise input_error(path, exc, data) from None
        try:
            doc = read_pages(pdf, limits)
        except BROKEN as exc:
            raise input_error(path, exc, data) from None
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
    if truncated(data):
        doc.skipped.append("the PDF seems truncated (no %%EOF at its end): pages may be missing")
    if doc.textless:
        doc.skipped.append(f"{page_list(doc.textless)} of the PDF have no text layer (scanned?)")
    if doc.unmapped:
        doc.skipped.append(f"{doc.unmapped} PDF glyphs without a Unicode mapping were dropped")
    body = doc.sizes.most_common(1)[0][0] if doc.sizes else 10.0
    lines = without_furniture(doc.lines, doc.pages_read)
    text_lines, pages = assemble(lines, body)
    text = "\n".join(text_lines)
    if not text.strip():
        raise InputError(f"{path}: no text layer (a scanned PDF?): run OCR first")
    return Manuscript(
        path=str(path),
        text=text,
        encoding="pdf",
        title=printed_title(lines, body) or guess_title(text),
        format="pdf",
        pages=tuple(pages),
        skipped=tuple(doc.skipped),
    )
