"""Citation fields: the reference manager's own data for every citation in a Word document.

Zotero and Mendeley keep each citation's CSL-JSON items in the field code (``ADDIN
ZOTERO_ITEM CSL_CITATION {…}``, ``ADDIN CSL_CITATION``, Mendeley Cite's base64
``MENDELEY_CITATION_v3_`` content control); EndNote keeps its ``<record>``s in ``ADDIN
EN.CITE``, in the code or base64 in a ``w:fldData``. The items become the references, used
as parsed, in order of first citation; each field's shown text is a marker citing them.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from lxml import etree

from citecheck.errors import InputError
from citecheck.ingest.csl import item_reference
from citecheck.ingest.docx.package import word_xml
from citecheck.ingest.docx.walk import Field, Walker
from citecheck.ingest.endnote import record_reference
from citecheck.ingest.xml import text_of
from citecheck.model import ParsedReference
from citecheck.references.citations import InText, Marker

_NUMERIC_MARK = re.compile(r"[\s\[\]()\d,;.\-–—⁰¹²³⁴⁵⁶⁷⁸⁹⁻˒]+")
_CSL_FIELD = re.compile(r"^\s*ADDIN\s+(?:ZOTERO_ITEM|CSL_CITATION)\b")
_ENDNOTE_FIELD = re.compile(r"^\s*ADDIN\s+EN\.CITE\b(?!\.DATA)", re.S)


def structured(
    walker: Walker, line_of: dict[int, int], skipped: list[str]
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
            refs.append(record_reference(item, line))
        else:
            refs.append(item_reference(item, line))
    text_lines: dict[int, str] = {}
    markers = []
    for cite in items.cites:
        line = line_of.get(cite.line, 1)
        if cite.line not in text_lines:
            text_lines[cite.line] = walker.lines[cite.line].plain()
        targets = tuple(dict.fromkeys(index[key] for key in cite.keys))
        markers.append(Marker(cite.text, line, targets, (), text_lines[cite.line]))
    style: Literal["numeric", "author-year"] = (
        "numeric" if all(_NUMERIC_MARK.fullmatch(m.text or "1") for m in markers) else "author-year"
    )
    return tuple(refs), InText(style, tuple(markers))


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
        return word_xml(text[start:].strip().encode("utf-8"), "EndNote field")
    except InputError:
        return None


def _collect(fields: list[Field]) -> _Items:
    items = _Items()
    for fld in fields:
        instr = fld.instr.strip()
        if _ENDNOTE_FIELD.match(instr):
            keys = _endnote_keys(items, _endnote_xml(instr, fld.data))
            if not keys:
                items.endnote_unread += 1
        elif instr.startswith("MENDELEY_V3 ") or _CSL_FIELD.match(instr):
            keys = _csl_keys(items, _csl_payload(instr))
        else:
            continue
        if keys:
            items.cites.append(_Cite(fld.result.strip(), fld.line, keys))
    return items


def _endnote_keys(items: _Items, root: etree._Element | None) -> list[str]:
    """The records an EndNote field cites, kept in ``items``; their keys."""
    keys = []
    for cite in [] if root is None else root.iter("Cite"):
        record = cite.find("record")
        if record is None:
            continue
        number = cite.findtext("RecNum") or record.findtext("rec-number") or ""
        key = "endnote:" + (" ".join(number.split()) or text_of(record))
        items.refs.setdefault(key, record)
        items.kinds.setdefault(key, "endnote")
        keys.append(key)
    return keys


def _csl_keys(items: _Items, payload: Any) -> list[str]:
    """The CSL items a Zotero or Mendeley field cites, kept in ``items``; their keys."""
    entries = payload.get("citationItems") if isinstance(payload, dict) else None
    if not isinstance(entries, list):
        items.bad_fields += 1
        return []
    keys = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("itemData"), dict):
            items.no_data += 1
            continue
        key = _citation_key(entry)
        items.refs.setdefault(key, entry["itemData"])
        items.kinds.setdefault(key, "csl")
        keys.append(key)
    return keys
