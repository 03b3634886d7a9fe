"""Ingest: turn a file on disk into a ``Manuscript``, whatever format it comes in.

The format is detected from the content (``detect``); each format has one reader module.
Readers are imported when needed, so a PDF library is only loaded for PDFs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from citecheck.errors import InputError
from citecheck.ingest.detect import detect
from citecheck.ingest.manuscript import Manuscript

__all__ = ["READERS", "Manuscript", "detect", "read_manuscript"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# format -> "module:function" taking (path, data) and returning a Manuscript
READERS = {
    "text": "citecheck.ingest.text:read_text",
    "markdown": "citecheck.ingest.markdown:read_markdown",
    "pdf": "citecheck.ingest.pdf:read_pdf",
    "docx": "citecheck.ingest.docx:read_docx",
    "jats": "citecheck.ingest.jats:read_jats",
    "latex": "citecheck.ingest.latex:read_latex",
    "bibtex": "citecheck.ingest.bibtex:read_bibtex",
    "ris": "citecheck.ingest.ris:read_ris",
    "csl-json": "citecheck.ingest.csl:read_csl_json",
    "endnote-xml": "citecheck.ingest.endnote:read_endnote_xml",
    "html": "citecheck.ingest.html:read_html",
}


def reader(fmt: str) -> Callable[[Path, bytes], Manuscript]:
    module, _, name = READERS[fmt].partition(":")
    try:
        found: Callable[[Path, bytes], Manuscript] = getattr(importlib.import_module(module), name)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            raise InputError(f"{fmt} files are not supported yet") from None
        raise InputError(f"reading {fmt} files needs the package {exc.name!r}") from None
    return found


def read_manuscript(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Manuscript:
    """Read any supported file; InputError (one line, no traceback) for what cannot be read."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a directory, not a manuscript file")
    size = p.stat().st_size
    if size == 0:
        raise InputError(f"{p}: empty file")
    if size > max_bytes:
        raise InputError(
            f"{p}: {size / 1e6:.1f} MB is larger than the {max_bytes / 1e6:.0f} MB limit "
            "(set max_input_mb to raise it)"
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot read ({exc.strerror})") from None
    return reader(detect(p, data))(p, data)
