"""Word (.docx) manuscripts: the text as Word shows it, and the reference manager's data.

The package is read straight from its XML with a hardened lxml parser, not through
python-docx or docx2python: neither renders list numbers from numbering.xml the way Word
shows them, neither exposes the field codes where Zotero, Mendeley and EndNote keep each
citation's data, and both load every part of the zip whole (a zip bomb would be read in
full). One walk over the XML yields the text, the list numbers, the notes and the citation
fields in step, so a field knows the line its paragraph has in ``text``.

Lines: a .docx has no lines of its own. Each paragraph is one line of ``text`` (a table row
is one line, its cells joined), with a blank line between paragraphs; list numbers are
written in ("1. Smith J…"); footnotes and endnotes follow the body. A structured
reference's ``line`` is the line of the first paragraph that cites it.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any, Literal

from lxml import etree

from citecheck.errors import InputError
from citecheck.ingest.csl import item_reference
from citecheck.ingest.fields import make_reference, split_name
from citecheck.ingest.manuscript import Manuscript
from citecheck.ingest.text import guess_title
from citecheck.model import ParsedReference
from citecheck.references.citations import InText, Marker
from citecheck.references.segment import NoReferenceList, find_section

MAX_PART_BYTES = 200 * 1024 * 1024  # one part, uncompressed: more is a zip bomb
_W_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # "Strict Open XML"
)
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
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
_SENTINELS = re.compile("[\ue000-\ue003]")
_NOTE_MARK = re.compile("\ue000([fe])(-?\\d+)\ue001")
_NOTE_LABEL = re.compile("\ue003([fe])(-?\\d+)\ue001")
_YEAR = re.compile(r"\b(?:1[6-9]|20)\d\d\b")
_NUMERIC_MARK = re.compile(r"[\s\[\]()\d,;.\-–—⁰¹²³⁴⁵⁶⁷⁸⁹⁻˒]+")
_CSL_FIELD = re.compile(r"^\s*ADDIN\s+(?:ZOTERO_ITEM|CSL_CITATION)\b")
_ENDNOTE_FIELD = re.compile(r"^\s*ADDIN\s+EN\.CITE\b(?!\.DATA)", re.S)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_xml(data: bytes, what: str) -> etree._Element:
    """Parse untrusted XML: no entities, no DTD, no network; a DOCTYPE is refused."""
    if re.search(rb"<!(?:DOCTYPE|ENTITY)", data[:65536]):
        raise InputError(f"{what} declares a DTD (entities), which Word never writes: refused")
    try:
        root = etree.fromstring(data, _parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"{what} is not well-formed XML ({first})") from None
    if root is None:
        raise InputError(f"{what} is empty")
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise InputError(f"{what} declares a DTD (entities), which Word never writes: refused")
    return root


class _Package:
    """The zip, with every part size-checked before it is read."""

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

    def xml(self, name: str) -> etree._Element | None:
        blob = self.read(name)
        if blob is None:
            return None
        try:
            return parse_xml(blob, name)
        except InputError as exc:
            raise InputError(f"{self.path}: {exc}") from None

    def optional(self, name: str) -> etree._Element | None:
        """A part the text can do without: unreadable XML is skipped, and said so."""
        blob = self.read(name)
        if blob is None:
            return None
        try:
            return parse_xml(blob, name)
        except InputError as exc:
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
        rels = self.optional("word/_rels/document.xml.rels")
        if rels is None:
            return found
        for rel in rels:
            kind = str(rel.get("Type") or "").rsplit("/", 1)[-1]
            target = str(rel.get("Target") or "")
            if kind in found and target and rel.get("TargetMode") != "External":
                name = target.lstrip("/") if target.startswith("/") else f"word/{target}"
                found[kind] = re.sub(r"[^/]+/\.\./", "", name)
        return found


# --- list numbers -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"
    legal: bool = False
    style: str | None = None


def _int(value: object, default: int) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


def _roman(n: int) -> str:
    out = ""
    for value, letters in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        count, n = divmod(n, value)
        out += letters * count
    return out


def _format(n: int, fmt: str) -> str:
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 4000:
        return _roman(n) if fmt == "lowerRoman" else _roman(n).upper()
    if fmt in ("lowerLetter", "upperLetter") and n > 0:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    return str(n)


class _Numbering:
    """Word's list numbers: numbering.xml levels, counters shared per abstract list."""

    def __init__(self, w: str, numbering: etree._Element | None, styles: etree._Element | None):
        self.w = w
        self.abstracts: dict[str, dict[int, _Level]] = {}
        self.links: dict[str, str] = {}  # abstractNum with numStyleLink -> style id
        self.nums: dict[str, tuple[str, dict[int, _Level], dict[int, int]]] = {}
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.based_on: dict[str, str] = {}
        self.title_styles: set[str] = set()
        self.counters: dict[str, list[int | None]] = {}
        self.used: set[str] = set()
        if styles is not None:
            self._read_styles(styles)
        if numbering is not None:
            self._read_numbering(numbering)

    def _val(self, el: etree._Element | None, child: str) -> str | None:
        found = el.find(self.w + child) if el is not None else None
        return None if found is None else found.get(self.w + "val")

    def _read_styles(self, styles: etree._Element) -> None:
        for style in styles.iter(self.w + "style"):
            sid = style.get(self.w + "styleId")
            if not sid:
                continue
            if sid.lower() == "title" or (self._val(style, "name") or "").lower() == "title":
                self.title_styles.add(sid)
            parent = self._val(style, "basedOn")
            if parent:
                self.based_on[sid] = parent
            numpr = style.find(f"{self.w}pPr/{self.w}numPr")
            if numpr is not None:
                ilvl = self._val(numpr, "ilvl")
                self.style_num[sid] = (
                    self._val(numpr, "numId"),
                    _int(ilvl, 0) if ilvl is not None else None,
                )

    def _level(self, lvl: etree._Element, base: _Level | None = None) -> _Level:
        base = base or _Level()
        text = lvl.find(self.w + "lvlText")
        legal = lvl.find(self.w + "isLgl")
        return _Level(
            start=_int(self._val(lvl, "start"), base.start),
            fmt=self._val(lvl, "numFmt") or base.fmt,
            text=(text.get(self.w + "val") or "") if text is not None else base.text,
            suffix=self._val(lvl, "suff") or base.suffix,
            legal=legal is not None and legal.get(self.w + "val") not in ("0", "false", "off"),
            style=self._val(lvl, "pStyle") or base.style,
        )

    def _read_numbering(self, numbering: etree._Element) -> None:
        for abstract in numbering.iter(self.w + "abstractNum"):
            aid = abstract.get(self.w + "abstractNumId")
            if aid is None:
                continue
            levels = {}
            for lvl in abstract.iter(self.w + "lvl"):
                levels[_int(lvl.get(self.w + "ilvl"), 0)] = self._level(lvl)
            self.abstracts[aid] = levels
            link = self._val(abstract, "numStyleLink")
            if link:
                self.links[aid] = link
        for num in numbering.iter(self.w + "num"):
            nid, aid = num.get(self.w + "numId"), self._val(num, "abstractNumId")
            if nid is None or aid is None:
                continue
            levels, starts = {}, {}
            for override in num.iter(self.w + "lvlOverride"):
                ilvl = _int(override.get(self.w + "ilvl"), 0)
                start = self._val(override, "startOverride")
                if start is not None:
                    starts[ilvl] = _int(start, 1)
                lvl = override.find(self.w + "lvl")
                if lvl is not None:
                    levels[ilvl] = self._level(lvl)
            self.nums[nid] = (aid, levels, starts)

    def _style_numpr(self, style: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        while style and style not in seen:
            seen.add(style)
            if style in self.style_num:
                return self.style_num[style]
            style = self.based_on.get(style)
        return None, None

    def _abstract(self, nid: str) -> str | None:
        aid = self.nums[nid][0] if nid in self.nums else None
        for _ in range(3):  # numStyleLink -> the style's list -> its abstract
            if aid is None or aid not in self.links:
                break
            linked, _ = self._style_numpr(self.links[aid])
            if linked is None or linked not in self.nums or self.nums[linked][0] == aid:
                break
            aid = self.nums[linked][0]
        return aid if aid in self.abstracts else None

    def is_title(self, ppr: etree._Element | None) -> bool:
        return self._val(ppr, "pStyle") in self.title_styles

    def label(self, ppr: etree._Element | None) -> str:
        """The number Word shows before this paragraph ('' when none); counts it."""
        if ppr is None:
            return ""
        style = self._val(ppr, "pStyle")
        numpr = ppr.find(self.w + "numPr")
        nid = self._val(numpr, "numId")
        raw_ilvl = self._val(numpr, "ilvl")
        ilvl = _int(raw_ilvl, 0) if raw_ilvl is not None else None
        if nid is None:
            nid, style_ilvl = self._style_numpr(style)
            ilvl = ilvl if ilvl is not None else style_ilvl
        if not nid or nid == "0" or nid not in self.nums:
            return ""
        aid = self._abstract(nid)
        if aid is None:
            return ""
        levels = {**self.abstracts[aid], **self.nums[nid][1]}
        if ilvl is None:
            ilvl = next((k for k, v in levels.items() if style and v.style == style), 0)
        ilvl = min(max(ilvl, 0), 8)
        counters = self.counters.setdefault(aid, [None] * 9)
        if nid not in self.used:
            self.used.add(nid)
            for k, start in self.nums[nid][2].items():
                if 0 <= k <= 8:
                    counters[k] = start - 1
        level = levels.get(ilvl, _Level())
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        return self._render(level, levels, counters)

    def _render(self, level: _Level, levels: dict[int, _Level], counters: list[int | None]) -> str:
        if level.fmt == "none":
            return ""
        if level.fmt == "bullet":
            glyph = level.text.strip()
            return "•" if not glyph or any("\ue000" <= c <= "\uf8ff" for c in glyph) else glyph

        def number(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lvl = levels.get(k, _Level())
            value = counters[k] if counters[k] is not None else lvl.start
            return _format(value or 0, "decimal" if level.legal else lvl.fmt)

        return re.sub(r"%([1-9])", number, level.text).strip()


# --- the walk ---------------------------------------------------------------------------


@dataclass
class _Field:
    instr: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)  # w:fldData (EndNote keeps its XML here)
    result: list[str] = field(default_factory=list)
    in_result: bool = False
    line: int = 0  # index of the line (paragraph) where the field starts


@dataclass(frozen=True)
class _Done:
    instr: str
    data: tuple[str, ...]
    result: str
    line: int


@dataclass
class _Line:
    text: list[str] = field(default_factory=list)
    joined: bool = False  # continues the line before it: no blank line between


class _Walker:
    """One pass over the body (then the notes): lines of text and finished fields."""

    def __init__(self, w: str, numbering: _Numbering) -> None:
        self.w = w
        self.numbering = numbering
        self.lines: list[_Line] = []
        self.fields: list[_Done] = []
        self.stack: list[_Field] = []
        self.note_refs: list[tuple[str, str]] = []  # ("f"/"e", id) in reading order
        self.title: str | None = None
        self.text_boxes = 0
        self.in_row = 0
        self.joined = False

    # lines
    def _emit(self, text: str) -> None:
        if any(not f.in_result for f in self.stack):
            return  # inside a field's code: Word does not show it
        if not self.lines:
            self.lines.append(_Line())
        self.lines[-1].text.append(text)
        for f in self.stack:
            f.result.append(text)

    def _new_line(self) -> None:
        self.lines.append(_Line(joined=self.joined))

    # block level
    def block(self, el: etree._Element) -> None:
        w = self.w
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == w + "p":
                self.paragraph(child)
            elif tag == w + "tbl":
                for row in child.iterchildren(w + "tr"):
                    self._new_line()
                    self.in_row += 1
                    for cell in row.iterchildren(w + "tc"):
                        self.block(cell)
                    self.in_row -= 1
            elif tag == w + "sdt":
                self._sdt(child, self.block)
            elif tag in (w + "customXml", w + "ins", w + "moveTo", w + "smartTag"):
                self.block(child)
            elif tag == _MC + "AlternateContent":
                self._alternate(child, self.block)

    def paragraph(self, p: etree._Element) -> None:
        ppr = p.find(self.w + "pPr")
        if not self.in_row:
            self._new_line()
        elif self.lines and self.lines[-1].text:
            self.lines[-1].text.append(" ")
        label = self.numbering.label(ppr)
        if label:
            self.lines[-1].text.append(label + " ")
        start = len(self.lines[-1].text)
        self.inline(p)
        if self.title is None and self.numbering.is_title(ppr):
            self.title = " ".join("".join(self.lines[-1].text[start:]).split()) or None
        for f in self.stack:
            if f.in_result:
                f.result.append(" ")

    # inline level
    def inline(self, el: etree._Element) -> None:
        w = self.w
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == w + "r":
                self.run(child)
            elif tag == w + "fldSimple":
                self.stack.append(_Field([str(child.get(w + "instr") or "")], line=self._at()))
                self.stack[-1].in_result = True
                self.inline(child)
                self._end_field()
            elif tag == w + "sdt":
                self._sdt(child, self.inline)
            elif tag in (
                w + "hyperlink",
                w + "smartTag",
                w + "customXml",
                w + "ins",
                w + "moveTo",
                w + "dir",
                w + "bdo",
            ):
                self.inline(child)
            elif tag == _MC + "AlternateContent":
                self._alternate(child, self.inline)

    def run(self, r: etree._Element) -> None:
        w = self.w
        rpr = r.find(w + "rPr")
        vanish = rpr.find(w + "vanish") if rpr is not None else None
        hidden = vanish is not None and vanish.get(w + "val") not in ("0", "false", "off")
        for child in r:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            local = tag[len(w) :] if tag.startswith(w) else ""
            if local == "t":
                if not hidden:
                    self._emit(_SENTINELS.sub("", child.text or ""))
            elif local == "instrText":
                if self.stack and not self.stack[-1].in_result:
                    self.stack[-1].instr.append(child.text or "")
            elif local == "fldChar":
                self._fld_char(child)
            elif local in ("tab", "ptab", "br", "cr"):
                self._emit(" ")
            elif local == "noBreakHyphen":
                self._emit("-")
            elif local in ("footnoteReference", "endnoteReference"):
                if child.get(w + "customMarkFollows") not in ("1", "true", "on"):
                    kind = "f" if local.startswith("foot") else "e"
                    ident = str(_int(child.get(w + "id"), -9))
                    self.note_refs.append((kind, ident))
                    self._emit(f"\ue000{kind}{ident}\ue001")
            elif local in ("drawing", "pict", "object") or tag == _MC + "AlternateContent":
                self.text_boxes += sum(
                    1
                    for e in child.iter()
                    if isinstance(e.tag, str) and e.tag.endswith("}txbxContent")
                )

    def _fld_char(self, el: etree._Element) -> None:
        kind = el.get(self.w + "fldCharType")
        if kind == "begin":
            data = el.find(self.w + "fldData")
            self.stack.append(_Field(line=self._at()))
            if data is not None and data.text:
                self.stack[-1].data.append(data.text)
        elif kind == "separate" and self.stack:
            self.stack[-1].in_result = True
        elif kind == "end" and self.stack:
            self._end_field()

    def _end_field(self) -> None:
        done = self.stack.pop()
        if self.stack and not self.stack[-1].in_result:
            self.stack[-1].data.extend(done.data)  # EndNote: EN.CITE.DATA inside EN.CITE
        self.fields.append(
            _Done("".join(done.instr), tuple(done.data), "".join(done.result), done.line)
        )

    def _sdt(self, sdt: etree._Element, walk: Any) -> None:
        """A content control; Mendeley Cite keeps a citation's data in its tag."""
        tag = sdt.find(f"{self.w}sdtPr/{self.w}tag")
        value = str(tag.get(self.w + "val") or "") if tag is not None else ""
        content = sdt.find(self.w + "sdtContent")
        if content is None:
            return
        if value.startswith("MENDELEY_CITATION_v3_"):
            self.stack.append(
                _Field(["MENDELEY_V3 " + value[21:]], in_result=True, line=self._at())
            )
            walk(content)
            self._end_field()
        else:
            walk(content)

    def _alternate(self, el: etree._Element, walk: Any) -> None:
        choice = el.find(_MC + "Choice")
        if choice is None:
            choice = el.find(_MC + "Fallback")
        if choice is not None:
            walk(choice)

    def _at(self) -> int:
        if not self.lines:
            self.lines.append(_Line())
        return len(self.lines) - 1

    def end_part(self) -> None:
        self.stack.clear()  # a field left open at the end of a part ends there


# --- notes ------------------------------------------------------------------------------


def _notes(root: etree._Element | None, w: str, tag: str) -> dict[str, etree._Element]:
    if root is None:
        return {}
    return {
        str(_int(note.get(w + "id"), -9)): note
        for note in root.iter(w + tag)
        if note.get(w + "type") in (None, "normal")
    }


def _walk_notes(
    walker: _Walker, kind: str, order: list[str], notes: dict[str, etree._Element]
) -> list[tuple[str, int]]:
    """Each cited note as numbered lines (its paragraphs joined): (id, first line index)."""
    out = []
    for ident in order:
        note = notes.get(ident)
        if note is None:
            continue
        first = len(walker.lines)
        walker.joined = False
        for n, p in enumerate(x for x in note.iter(walker.w + "p")):
            walker.joined = n > 0
            walker.paragraph(p)
        walker.joined = False
        if len(walker.lines) > first:
            walker.lines[first].text.insert(0, f"\ue003{kind}{ident}\ue001")
            out.append((ident, first))
        walker.end_part()
    return out


def _has_list(paragraphs: list[str]) -> bool:
    """Does the body hold a reference list (a heading with entries under it)?"""
    lines = [line for p in paragraphs if p for line in ("", p)]
    try:
        start, end = find_section(lines)
    except NoReferenceList:
        return False
    return any(_YEAR.search(line) for line in lines[start:end])


# --- citation fields --------------------------------------------------------------------


@dataclass
class _Cite:
    """One citation: its rendered text, its line index, and the keys of what it cites."""

    text: str
    line: int
    keys: list[str]


@dataclass
class _Items:
    refs: dict[str, Any] = field(default_factory=dict)  # key -> CSL item or EndNote record
    kinds: dict[str, str] = field(default_factory=dict)  # key -> "csl" / "endnote"
    cites: list[_Cite] = field(default_factory=list)
    endnote_fields: int = 0
    endnote_unread: int = 0
    bad_fields: int = 0
    no_data: int = 0


def _csl_payload(instr: str) -> Any:
    if instr.startswith("MENDELEY_V3 "):
        encoded = instr[12:].strip()
        try:
            raw = base64.b64decode(
                encoded.replace("-", "+").replace("_", "/") + "=" * (-len(encoded) % 4)
            )
            return json.loads(raw.decode("utf-8"))
        except (ValueError, binascii.Error, RecursionError):
            return None
    start = instr.find("{")
    if start < 0:
        return None
    try:
        return json.loads(instr[start:])
    except (ValueError, RecursionError):
        return None


def _citation_key(entry: dict[str, Any]) -> str:
    uris = entry.get("uris") or entry.get("uri")
    if isinstance(uris, list) and uris and isinstance(uris[0], str):
        return "uri:" + uris[0]
    if isinstance(uris, str) and uris:
        return "uri:" + uris
    if entry.get("id") is not None:
        return f"id:{entry['id']}"
    return "data:" + json.dumps(entry.get("itemData"), sort_keys=True, default=str)


def _endnote_xml(instr: str, data: tuple[str, ...]) -> etree._Element | None:
    """The <EndNote> XML: in the field code, or base64 in a w:fldData of the field."""
    texts = [instr]
    for chunk in data:
        try:
            blob = base64.b64decode("".join(chunk.split()))
        except (ValueError, binascii.Error):
            continue
        for encoding in ("utf-8", "utf-16"):
            try:
                texts.append(blob.decode(encoding))
            except UnicodeDecodeError:
                continue
    text = next((t for t in texts if "<EndNote" in t), "")
    start = text.find("<EndNote")
    if start < 0:
        return None
    try:
        return parse_xml(text[start:].strip().encode("utf-8"), "EndNote field")
    except InputError:
        return None


def _collect(fields: list[_Done]) -> _Items:
    items = _Items()
    for done in fields:
        instr = done.instr.strip()
        if _ENDNOTE_FIELD.match(instr):
            items.endnote_fields += 1
            root = _endnote_xml(instr, done.data)
            cites = [] if root is None else list(root.iter("Cite"))
            keys = []
            for cite in cites:
                record = cite.find("record")
                if record is None:
                    continue
                number = cite.findtext("RecNum") or record.findtext("rec-number") or ""
                key = "endnote:" + (
                    " ".join(number.split()) or " ".join("".join(record.itertext()).split())
                )
                items.refs.setdefault(key, record)
                items.kinds.setdefault(key, "endnote")
                keys.append(key)
            if keys:
                items.cites.append(_Cite(done.result.strip(), done.line, keys))
            else:
                items.endnote_unread += 1
            continue
        if not (instr.startswith("MENDELEY_V3 ") or _CSL_FIELD.match(instr)):
            continue
        payload = _csl_payload(instr)
        entries = payload.get("citationItems") if isinstance(payload, dict) else None
        if not isinstance(entries, list):
            items.bad_fields += 1
            continue
        keys = []
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("itemData"), dict):
                items.no_data += 1
                continue
            key = _citation_key(entry)
            items.refs.setdefault(key, entry["itemData"])
            items.kinds.setdefault(key, "csl")
            keys.append(key)
        if keys:
            items.cites.append(_Cite(done.result.strip(), done.line, keys))
    return items


def _endnote_reference(record: etree._Element, line: int | None) -> ParsedReference:
    """An EndNote <record> (the same shape as EndNote's XML export)."""

    def text(path: str) -> str | None:
        found = record.find(path)
        value = " ".join("".join(found.itertext()).split()) if found is not None else ""
        return value or None

    authors = [
        split_name(" ".join("".join(a.itertext()).split()))
        for a in record.iterfind("contributors/authors/author")
    ]
    pmid = text("accession-num")
    return make_reference(
        authors=authors,
        title=text("titles/title"),
        container=text("titles/secondary-title")
        or text("periodical/full-title")
        or text("periodical/abbr-1"),
        year=text("dates/year"),
        volume=text("volume"),
        issue=text("number"),
        pages=text("pages"),
        doi=text("electronic-resource-num"),
        pmid=pmid if pmid and pmid.isdigit() else None,
        url=text("urls/related-urls/url"),
        line=line,
    )


# --- assembly ---------------------------------------------------------------------------


def read_docx(path: Path, data: bytes) -> Manuscript:
    """A Word document: its text, and its reference manager's references when it has them."""
    package = _Package(path, data)
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


def _read(path: Path, package: _Package, document: etree._Element, w: str) -> Manuscript:
    parts = package.related()
    numbering = _Numbering(
        w, package.optional(parts["numbering"]), package.optional(parts["styles"])
    )
    walker = _Walker(w, numbering)
    body = document.find(w + "body")
    if body is not None:
        walker.block(body)
    walker.end_part()
    body_end = len(walker.lines)

    order: dict[str, list[str]] = {"f": [], "e": []}
    for kind, ident in walker.note_refs:
        if ident not in order[kind]:
            order[kind].append(ident)
    numbers = {(kind, ident): n for kind in "fe" for n, ident in enumerate(order[kind], start=1)}
    notes: dict[str, list[tuple[str, int]]] = {"f": [], "e": []}
    for kind, part, tag in (("f", "footnotes", "footnote"), ("e", "endnotes", "endnote")):
        if order[kind]:  # a notes part is only read when the body cites a note
            found = _notes(package.optional(parts[part]), w, tag)
            notes[kind] = _walk_notes(walker, kind, order[kind], found)
    body_lines = [_plain("".join(line.text)) for line in walker.lines[:body_end]]
    refs_kind = _notes_as_references(walker, notes, body_lines)
    text, line_of = _assemble(walker, body_end, notes, numbers, refs_kind)
    if not text.strip():
        raise InputError(f"{path}: no text in the Word document")

    skipped = package.skipped
    if walker.text_boxes:
        skipped.append(f"{walker.text_boxes} text box(es) in the Word document were not read")
    references, citations = _structured(walker, line_of, skipped)
    title = walker.title or _core_title(package) or _first_title(walker.lines[:body_end])
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


def _first_title(lines: list[_Line]) -> str | None:
    """A Word manuscript opens with its title: a short first paragraph, not a section name."""
    first = [p for p in (_plain("".join(line.text)) for line in lines[:8]) if p][:3]
    return guess_title("\n\n".join(first)) if first else None


def _plain(text: str) -> str:
    return " ".join(_NOTE_LABEL.sub("", _NOTE_MARK.sub("", text)).split())


def _notes_as_references(
    walker: _Walker, notes: dict[str, list[tuple[str, int]]], body_lines: list[str]
) -> str | None:
    """Which notes hold the reference list: endnotes (or footnotes) that mostly carry a
    year, in a document whose body has no reference list of its own."""
    if _has_list(body_lines):
        return None
    for kind in "ef":
        texts = [_plain("".join(walker.lines[first].text)) for _, first in notes[kind]]
        if texts and sum(1 for t in texts if _YEAR.search(t)) * 2 >= len(texts):
            return kind
    return None


def _assemble(
    walker: _Walker,
    body_end: int,
    notes: dict[str, list[tuple[str, int]]],
    numbers: dict[tuple[str, str], int],
    refs_kind: str | None,
) -> tuple[str, dict[int, int]]:
    """The text, and each walker line's 1-based line in it (empty lines map to the next)."""
    names = {"f": "footnote", "e": "endnote"}

    def mark(m: re.Match[str]) -> str:
        n = numbers.get((m.group(1), m.group(2)))
        if n is None:
            return ""
        return f"[{n}]" if m.group(1) == refs_kind else f"[{names[m.group(1)]} {n}]"

    def label(m: re.Match[str]) -> str:
        n = numbers.get((m.group(1), m.group(2)), 0)
        return f"{n}. " if m.group(1) == refs_kind else f"{names[m.group(1)]} {n}: "

    heads: dict[int, str] = {}
    other = [first for kind in "fe" if kind != refs_kind for _, first in notes[kind]]
    if other:
        heads[min(other)] = "Footnotes"
    if refs_kind and notes[refs_kind]:
        heads[notes[refs_kind][0][1]] = "References"
    out: list[str] = []
    line_of: dict[int, int] = {}
    pending: list[int] = []
    for i, line in enumerate(walker.lines):
        if i in heads:
            out += ["", heads[i]] if out else [heads[i]]
        text = " ".join(_NOTE_LABEL.sub(label, _NOTE_MARK.sub(mark, "".join(line.text))).split())
        if not text:
            pending.append(i)
            continue
        if out and not line.joined:
            out.append("")
        out.append(text)
        for j in [*pending, i]:
            line_of[j] = len(out)
        pending = []
    for j in pending:
        line_of[j] = max(1, len(out))
    return "\n".join(out) + "\n", line_of


def _structured(
    walker: _Walker, line_of: dict[int, int], skipped: list[str]
) -> tuple[tuple[ParsedReference, ...] | None, InText | None]:
    """References and markers from citation fields, or (None, None) to read the text."""
    items = _collect(walker.fields)
    if items.bad_fields:
        skipped.append(f"{items.bad_fields} citation field(s) with unreadable data")
    if items.no_data:
        skipped.append(f"{items.no_data} cited item(s) without their data in the field")
    if items.endnote_unread:
        skipped.append(
            f"EndNote citation fields seen; {items.endnote_unread} without readable records "
            "(the rendered text is used for them)"
        )
    if not items.cites:
        return None, None
    keys = list(dict.fromkeys(key for cite in items.cites for key in cite.keys))
    index = {key: n for n, key in enumerate(keys, start=1)}
    first_line: dict[str, int | None] = {}
    for cite in items.cites:
        for key in cite.keys:
            first_line.setdefault(key, line_of.get(cite.line))
    refs = []
    for key in keys:
        item, line = items.refs[key], first_line[key]
        if items.kinds[key] == "endnote":
            refs.append(_endnote_reference(item, line))
        else:
            refs.append(item_reference(item, line))
    text_lines: dict[int, str] = {}
    markers = []
    for cite in items.cites:
        line = line_of.get(cite.line, 1)
        if cite.line not in text_lines:
            text_lines[cite.line] = _plain("".join(walker.lines[cite.line].text))
        targets = tuple(dict.fromkeys(index[key] for key in cite.keys))
        markers.append(Marker(cite.text, line, targets, (), text_lines[cite.line]))
    style: Literal["numeric", "author-year"] = (
        "numeric" if all(_NUMERIC_MARK.fullmatch(m.text or "1") for m in markers) else "author-year"
    )
    return tuple(refs), InText(style, tuple(markers))


def _core_title(package: _Package) -> str | None:
    core = package.optional("docProps/core.xml")
    if core is None:
        return None
    title = core.findtext("{http://purl.org/dc/elements/1.1/}title") or ""
    title = " ".join(title.split())
    return title if 3 <= len(title) <= 250 and not title.lower().startswith("microsoft") else None
