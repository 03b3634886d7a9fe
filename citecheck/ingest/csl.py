"""CSL-JSON items (Zotero, Mendeley, citeproc, pandoc) as references.

The same item shape comes from a CSL-JSON file and from the citation fields reference
managers leave in Word documents, so both readers use this.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from citecheck.errors import InputError
from citecheck.ingest.fields import author, make_reference, split_name
from citecheck.ingest.manuscript import Manuscript, reference_list
from citecheck.model import Author, ParsedReference


def _year(item: dict[str, Any]) -> object:
    for key in ("issued", "published-print", "published-online", "created"):
        parts = (item.get(key) or {}).get("date-parts") if isinstance(item.get(key), dict) else None
        if parts and isinstance(parts, list) and parts[0]:
            return parts[0][0]
        raw = (item.get(key) or {}).get("raw") if isinstance(item.get(key), dict) else None
        if raw:
            return raw
    return None


def _authors(item: dict[str, Any]) -> tuple[Author, ...]:
    out = []
    for a in item.get("author") or []:
        if not isinstance(a, dict):
            continue
        if a.get("family"):
            particle = a.get("non-dropping-particle") or ""
            out.append(author(f"{particle} {a['family']}".strip(), str(a.get("given") or "")))
        elif a.get("literal"):
            out.append(split_name(str(a["literal"])))
    return tuple(out)


def _text(value: object) -> object:
    return value[0] if isinstance(value, list) and value else value


def item_reference(item: dict[str, Any], line: int | None = None) -> ParsedReference:
    """One CSL item; "container-title" may be a string or (Crossref-style) a list."""
    return make_reference(
        authors=_authors(item),
        title=_text(item.get("title")),
        container=_text(item.get("container-title")) or _text(item.get("container-title-short")),
        year=_year(item),
        volume=item.get("volume"),
        issue=item.get("issue"),
        pages=item.get("page"),
        doi=item.get("DOI"),
        pmid=item.get("PMID"),
        url=item.get("URL"),
        line=line,
    )


def read_csl_json(path: Path, data: bytes) -> Manuscript:
    """A CSL-JSON file: a list of items (or one item): the reference list alone."""
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid CSL-JSON ({exc})") from None
    if isinstance(items, dict):
        items = items.get("items", [items]) if "items" in items else [items]
    if not isinstance(items, list):
        raise InputError(f"{path}: CSL-JSON must be a list of items")
    text = data.decode("utf-8-sig", errors="replace")
    refs: list[ParsedReference] = []
    skipped: list[str] = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            skipped.append(f"CSL-JSON item {n} is not an object")
            continue
        refs.append(item_reference(item, line=_line_of(text, item.get("id"))))
    if not refs:
        raise InputError(f"{path}: no references in the CSL-JSON file")
    return reference_list(path, tuple(refs), "csl-json", skipped=skipped)


def _line_of(text: str, ident: object) -> int | None:
    """JSON keeps no positions: the line where the item's id is written."""
    if ident is None:
        return None
    at = text.find(json.dumps(str(ident)))
    return text.count("\n", 0, at) + 1 if at >= 0 else None
