"""Plain-text and Markdown manuscripts: decoded safely.

Decoding is deliberately forgiving (BOMs, UTF-16, Windows-1252) because editors receive
files from every word processor, but binary data is refused rather than "decoded" into
garbage references.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from citecheck.errors import InputError
from citecheck.ingest.manuscript import Manuscript

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding); raise InputError for data that is not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(f"invalid {encoding} text: {exc.reason}") from None
    if b"\x00" in data[:8192]:
        raise InputError("binary data, not a text manuscript (NUL bytes found)")
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Not UTF-8: the common case is a Windows-1252/Latin-1 export. Accept it only if the
        # result looks like prose; otherwise it is binary junk.
        text, encoding = data.decode("cp1252", errors="replace"), "cp1252"
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) / len(sample) > 0.01:
        raise InputError("binary data, not a text manuscript (control characters found)")
    if text.count("\ufffd") > max(10, len(text) // 100):
        raise InputError("undecodable text: not UTF-8, UTF-16 or Windows-1252")
    return text, encoding


def decode_file(path: Path, data: bytes) -> tuple[str, str]:
    """``decode`` for a reader: the error names the file."""
    try:
        return decode(data)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None


_SECTIONS = re.compile(
    r"^(abstract|introduction|background|methods?|results|discussion|conclusions?|references|"
    r"keywords?|summary|acknowledge?ments?)\b",
    re.IGNORECASE,
)


def guess_title(text: str) -> str | None:
    """A Markdown heading or a stand-alone first line that is not a section name."""
    lines = text.splitlines()[:40]
    for i, line in enumerate(lines):
        stripped = line.strip()
        heading = stripped.startswith("#")
        stripped = stripped.lstrip("#").strip()
        if not stripped or _SECTIONS.match(stripped):
            continue
        standalone = (i + 1 >= len(lines) or not lines[i + 1].strip()) and (
            i == 0 or not lines[i - 1].strip()
        )
        if (heading or standalone) and 3 <= len(stripped) <= 250 and not stripped.endswith("."):
            return stripped
    return None


def read_text(path: Path, data: bytes) -> Manuscript:
    """Plain text or Markdown: the reference list and markers are read from the text."""
    text, encoding = decode_file(path, data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{path}: no text in file")
    fmt = "markdown" if path.suffix.lower() in (".md", ".markdown") else "text"
    return Manuscript(
        path=str(path), text=text, encoding=encoding, title=guess_title(text), format=fmt
    )
