"""Read plain-text and Markdown manuscripts safely.

Decoding is deliberately forgiving (BOMs, UTF-16, Windows-1252) because editors receive
files from every word processor, but binary data is refused rather than "decoded" into
garbage references.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from citecheck.errors import InputError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Manuscript:
    path: str
    text: str
    encoding: str
    title: str | None = None


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


def read_manuscript(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Manuscript:
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
    try:
        text, encoding = decode(data)
    except InputError as exc:
        raise InputError(f"{p}: {exc}") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{p}: no text in file")
    return Manuscript(path=str(p), text=text, encoding=encoding, title=guess_title(text))
