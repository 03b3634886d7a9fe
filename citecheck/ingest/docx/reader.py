"""The Word reader: the parts read, walked and put together into a Manuscript."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from citecheck.errors import InputError
from citecheck.ingest.docx.citation_fields import structured
from citecheck.ingest.docx.notes import read_notes, text_with_notes
from citecheck.ingest.docx.numbering import Numbering
from citecheck.ingest.docx.package import Package
from citecheck.ingest.docx.walk import Line, Walker
from citecheck.ingest.manuscript import Manuscript
from citecheck.ingest.text import guess_title

_W_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # "Strict Open XML"
)


def read_docx(path: Path, data: bytes) -> Manuscript:
    """A Word document: its text, and its reference manager's references when it has them."""
    package = Package(path, data)
    document = package.xml("word/document.xml")
    if document is None:
        raise InputError(f"{path}: no word/document.xml")
    w = document.tag[: document.tag.index("}") + 1] if document.tag.startswith("{") else ""
    if w[1:-1] not in _W_NAMESPACES:
        raise InputError(f"{path}: word/document.xml is not a WordprocessingML document")
    try:
        return _read(path, package, document, w)
    except RecursionError:  # lxml caps depth at 256; this is a second guard
        raise InputError(f"{path}: the Word document is nested too deeply") from None


def _read(path: Path, package: Package, document: etree._Element, w: str) -> Manuscript:
    parts = package.related()
    numbering = Numbering(
        w, package.xml(parts["numbering"], needed=False), package.xml(parts["styles"], needed=False)
    )
    walker = Walker(w, numbering)
    body = document.find(w + "body")
    if body is not None:
        walker.block(body)
    walker.end_part()
    body_end = len(walker.lines)
    notes = read_notes(walker, package, parts, body_end)
    text, line_of = text_with_notes(walker, notes)
    if not text.strip():
        raise InputError(f"{path}: no text in the Word document")

    skipped = package.skipped
    if walker.text_boxes:
        skipped.append(f"{walker.text_boxes} text box(es) in the Word document were not read")
    references, citations = structured(walker, line_of, skipped)
    title = walker.title or package.core_title() or _first_title(walker.lines[:body_end])
    return Manuscript(
        path=str(path),
        text=text,
        encoding="utf-8",
        title=title,
        format="docx",
        references=references,
        citations=citations,
        skipped=tuple(skipped),
    )


def _first_title(lines: list[Line]) -> str | None:
    """A Word manuscript opens with its title: a short first paragraph, not a section name."""
    first = [p for p in (line.plain() for line in lines[:8]) if p][:3]
    return guess_title("\n\n".join(first)) if first else None
