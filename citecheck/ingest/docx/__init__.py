"""Word (.docx) manuscripts: the text as Word shows it, and the reference manager's data.

The package is read straight from its XML with the hardened parser, not through
python-docx or docx2python: neither renders list numbers from numbering.xml the way Word
shows them, neither exposes the field codes where Zotero, Mendeley and EndNote keep each
citation's data, and both load every part of the zip whole (a zip bomb would be read in
full). One walk over the XML yields the text, the list numbers, the notes and the citation
fields in step, so a field knows the line its paragraph has in ``text``.

Lines: a .docx has no lines of its own. Each paragraph is one line of ``text`` (a table row
is one line, its cells joined), with a blank line between paragraphs; list numbers are
written in ("1. Smith J…"); footnotes and endnotes follow the body. A structured
reference's ``line`` is the line of the first paragraph that cites it.

Modules: ``package`` (the zip, size limits, safe parts), ``numbering`` (list numbers),
``walk`` (the walk: lines and fields), ``notes`` (footnotes and endnotes),
``citation_fields`` (Zotero, Mendeley and EndNote data as references and markers) and
``reader`` (the parts put together).
"""

from citecheck.ingest.docx.reader import read_docx

__all__ = ["read_docx"]
