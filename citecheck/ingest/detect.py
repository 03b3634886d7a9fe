"""Which reader a file needs, from its content first and its extension second.

Editors receive files with wrong or missing extensions ("paper.txt" that is a PDF), so the
first bytes decide where they can; the extension only chooses between text-like formats.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

from citecheck.errors import InputError

_EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".xml": "jats",
    ".nxml": "jats",
    ".tex": "latex",
    ".bbl": "latex",
    ".bib": "bibtex",
    ".ris": "ris",
    ".json": "csl-json",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
}


def detect(path: Path, data: bytes) -> str:
    """The format name of the reader for these bytes (see ``citecheck.ingest.READERS``)."""
    head = data[:4096]
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path, data)
    if head.startswith(b"\xd0\xcf\x11\xe0") and "EncryptedPackage".encode("utf-16-le") in data:
        return "docx"  # a password-protected .docx is an OLE box; its reader says so
    if head.startswith((b"\xd0\xcf\x11\xe0", b"{\\rtf")):
        raise InputError(f"{path}: an old Word (.doc) or RTF file; save it as .docx or PDF")
    text = _peek(head)
    suffix = path.suffix.lower()
    if re.match(
        r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE\s+article|<article\b)", text, re.S
    ):
        return "jats"
    if re.match(r"\s*(?:<\?xml[^>]*>\s*)?<xml>\s*<records>", text):
        return "endnote-xml"
    if re.match(r"\s*(?:<!DOCTYPE\s+html|<html\b)", text, re.I):
        return "html"
    if re.match(r"\s*TY\s{2}-\s", text):
        return "ris"
    if re.match(r"\s*[\[{]", text) and suffix in ("", ".json", ".txt"):
        return "csl-json"
    if suffix == ".bib" or re.match(r"\s*(?:%.*\n\s*)*@\w+\s*[{(]", text):
        return "bibtex"
    if suffix in (".tex", ".bbl") or re.search(r"\\documentclass|\\begin\{document\}", text):
        return "latex"
    if suffix == ".pdf":
        raise InputError(f"{path}: not a PDF (no %PDF- header): damaged or mislabelled")
    if suffix == ".docx":
        raise InputError(f"{path}: not a Word document (not a zip archive)")
    return _EXTENSIONS.get(suffix, "text")


def _peek(head: bytes) -> str:
    for bom, enc in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(enc, errors="ignore")
    return head.decode("utf-8", errors="ignore")


def _zip_kind(path: Path, data: bytes) -> str:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError(f"{path}: a damaged zip archive (a truncated .docx?)") from None
    if "word/document.xml" in names:
        return "docx"
    if "content.xml" in names:
        raise InputError(f"{path}: an OpenDocument file; save it as .docx or PDF")
    raise InputError(f"{path}: a zip archive that is not a Word document")
