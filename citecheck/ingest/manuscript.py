"""What every reader returns: the manuscript's text, and its structure when the format has it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from citecheck.model import ParsedReference
from citecheck.references.citations import InText


@dataclass(frozen=True)
class Manuscript:
    """A manuscript as read from one file.

    ``text`` is the plain text the relevance check reads and, for formats without structure,
    the text the reference list and the in-text markers are read from. A structured format
    (JATS, BibTeX, LaTeX with .bib, Word citation fields…) gives ``references`` used as parsed
    and ``citations`` read from its own markup; their ``line`` is a line of the source file.
    """

    path: str
    text: str
    encoding: str
    title: str | None = None
    format: str = "text"
    references: tuple[ParsedReference, ...] | None = None
    citations: InText | None = None
    pages: tuple[int, ...] = ()  # PDF: pages[i] is the page of text line i + 1
    skipped: tuple[str, ...] = ()  # what the reader could not read, for the report's notes

    def page(self, line: int | None) -> int | None:
        """The PDF page a text line is on."""
        if line is None or not self.pages or not 1 <= line <= len(self.pages):
            return None
        return self.pages[line - 1]


def reference_list(
    path: Path,
    references: tuple[ParsedReference, ...],
    fmt: str,
    encoding: str = "utf-8",
    skipped: tuple[str, ...] | list[str] = (),
) -> Manuscript:
    """A file that is a reference list alone (RIS, CSL-JSON, EndNote XML, .bib, .bbl): the
    entries as parsed, no text and no markers to check them against."""
    return Manuscript(
        path=str(path),
        text="",
        encoding=encoding,
        format=fmt,
        references=references,
        citations=InText("none", ()),
        skipped=tuple(skipped),
    )
