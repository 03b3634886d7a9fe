"""The .docx as a zip of XML parts, read safely.

Every part is size-checked before it is read, and read bounded even when its zip header
lies, so a zip bomb costs nothing; each part is parsed by ``citecheck.ingest.xml`` with
Word's rule that no part declares a DTD. A password-protected .docx (an OLE box, not a zip)
and an old .doc are named for what they are.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from io import BytesIO
from pathlib import Path

from lxml import etree

from citecheck.errors import InputError
from citecheck.ingest.xml import parse_xml

MAX_PART_BYTES = 200 * 1024 * 1024  # one part, uncompressed: more is a zip bomb
_OLE = b"\xd0\xcf\x11\xe0"  # an OLE compound file: .doc, or an encrypted .docx
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    struct.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,  # an unknown compression method
    RuntimeError,  # an encrypted zip member
    KeyError,
)


def word_xml(data: bytes, what: str) -> etree._Element:
    """A part (or a citation field's XML): refused if it declares a DTD, as Word never does."""
    return parse_xml(data, what, no_dtd_in="Word")


class Package:
    """The zip; ``skipped`` says which optional parts could not be read."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        self.skipped: list[str] = []
        if data.startswith(_OLE):
            if _ENCRYPTED in data:
                raise InputError(
                    f"{path}: a password-protected (encrypted) Office document; remove the "
                    "password and save it as .docx again"
                )
            raise InputError(f"{path}: an old Word (.doc) file; save it as .docx or PDF")
        try:
            self.zip = zipfile.ZipFile(BytesIO(data))
            self.names = {info.filename: info for info in self.zip.infolist()}
        except _ZIP_ERRORS:
            raise InputError(f"{path}: a damaged zip archive (a truncated .docx?)") from None
        if "word/document.xml" not in self.names:
            raise InputError(f"{path}: a zip archive without word/document.xml, not a .docx")

    def read(self, name: str) -> bytes | None:
        info = self.names.get(name)
        if info is None:
            return None
        if info.file_size > MAX_PART_BYTES:
            raise InputError(
                f"{self.path}: {name} unpacks to {info.file_size / 1e6:.0f} MB, over the "
                f"{MAX_PART_BYTES / 1e6:.0f} MB limit (a zip bomb?)"
            )
        try:
            with self.zip.open(info) as part:
                blob = part.read(MAX_PART_BYTES + 1)  # bounded even if the header lies
        except _ZIP_ERRORS:
            raise InputError(f"{self.path}: {name} is damaged in the zip archive") from None
        if len(blob) > MAX_PART_BYTES:
            raise InputError(f"{self.path}: {name} is larger than its zip header says")
        return blob

    def xml(self, name: str, *, needed: bool = True) -> etree._Element | None:
        """A part, parsed (None when the package has no such part). Unreadable XML is an
        InputError, or, in a part the text can do without, skipped and said so."""
        blob = self.read(name)
        if blob is None:
            return None
        try:
            return word_xml(blob, name)
        except InputError as exc:
            if needed:
                raise InputError(f"{self.path}: {exc}") from None
            self.skipped.append(f"{exc}; not read")
            return None

    def related(self) -> dict[str, str]:
        """Relationship type ('numbering', 'footnotes'…) -> part name, from document.xml.rels."""
        found = {
            "styles": "word/styles.xml",
            "numbering": "word/numbering.xml",
            "footnotes": "word/footnotes.xml",
            "endnotes": "word/endnotes.xml",
        }
        rels = self.xml("word/_rels/document.xml.rels", needed=False)
        if rels is None:
            return found
        for rel in rels:
            kind = str(rel.get("Type") or "").rsplit("/", 1)[-1]
            target = str(rel.get("Target") or "")
            if kind in found and target and rel.get("TargetMode") != "External":
                name = target.lstrip("/") if target.startswith("/") else f"word/{target}"
                found[kind] = re.sub(r"[^/]+/\.\./", "", name)
        return found

    def core_title(self) -> str | None:
        """The title in the document's properties, unless it is Word's placeholder."""
        core = self.xml("docProps/core.xml", needed=False)
        if core is None:
            return None
        title = core.findtext("{http://purl.org/dc/elements/1.1/}title") or ""
        title = " ".join(title.split())
        if 3 <= len(title) <= 250 and not title.lower().startswith("microsoft"):
            return title
        return None
