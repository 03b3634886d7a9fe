"""Records to compact bytes and back: what the index stores per work.

The index keeps our own ``Record`` (built by the same ``to_record`` functions as the API
path), not the raw Crossref JSON or PubMed XML: a tenth of the size, and a lookup needs no
XML parsing. Fields at their default are left out; the JSON is zlib-compressed.
"""

from __future__ import annotations

import dataclasses
import json
import zlib
from typing import Any

from citecheck.model import Author, MeshHeading, Notice, Record

FORMAT = 1  # bump when Record's fields change; the manifest refuses an index of another
_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Record)}


def encode(record: Record) -> bytes:
    out: dict[str, Any] = {}
    for name, default in _DEFAULTS.items():
        value = getattr(record, name)
        if value == default:
            continue
        if name == "authors":
            value = [[a.family, a.initials] if a.initials else [a.family] for a in value]
        elif name == "mesh":
            value = [[m.ui, m.name, 1] if m.major else [m.ui, m.name] for m in value]
        elif name in ("notices", "notice_of"):
            value = [n.to_dict() for n in value]
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    return zlib.compress(json.dumps(out, separators=(",", ":"), ensure_ascii=False).encode(), 6)


def decode(data: bytes) -> Record:
    raw: dict[str, Any] = json.loads(zlib.decompress(data))
    fields: dict[str, Any] = {}
    for name, value in raw.items():
        if name == "authors":
            value = tuple(Author(*a) for a in value)
        elif name == "mesh":
            value = tuple(MeshHeading(m[0], m[1], len(m) > 2) for m in value)
        elif name in ("notices", "notice_of"):
            value = tuple(Notice(**n) for n in value)
        elif isinstance(value, list):
            value = tuple(value)
        fields[name] = value
    return Record(**fields)
