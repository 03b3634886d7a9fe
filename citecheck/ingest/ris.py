"""RIS files (reference managers, publisher "export citation"): a reference list alone.

RIS is line-based ("TY  - JOUR" … "ER  - "), simple enough that a library would add a
dependency and no robustness; tags per the RIS specification and what exporters write.
"""

from __future__ import annotations

import re
from pathlib import Path

from citecheck.errors import InputError
from citecheck.ingest.fields import make_reference, split_name
from citecheck.ingest.manuscript import Manuscript, reference_list
from citecheck.ingest.text import decode_file
from citecheck.model import ParsedReference

_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
_JOURNAL_TAGS = ("JO", "JF", "T2", "JA", "J2", "BT")


def read_ris(path: Path, data: bytes) -> Manuscript:
    text, encoding = decode_file(path, data)
    records: list[tuple[int, dict[str, list[str]]]] = []
    current: dict[str, list[str]] | None = None
    start = 0
    last_tag = ""
    for number, line in enumerate(text.splitlines(), start=1):
        m = _LINE.match(line.rstrip())
        if m is None:
            if current is not None and line.strip() and last_tag:
                current[last_tag][-1] += " " + line.strip()  # a wrapped value
            continue
        tag, value = m.group(1), (m.group(2) or "").strip()
        if tag == "TY":
            current, start = {}, number
        elif tag == "ER":
            if current is not None:
                records.append((start, current))
            current = None
        elif current is not None:
            current.setdefault(tag, []).append(value)
            last_tag = tag
    skipped = ["the last RIS record has no ER line"] if current else []
    if current:
        records.append((start, current))
    refs = [_reference(fields, line) for line, fields in records]
    if not refs:
        raise InputError(f"{path}: no RIS records (TY  - … ER  - )")
    return reference_list(path, tuple(refs), "ris", encoding, skipped)


def _reference(fields: dict[str, list[str]], line: int) -> ParsedReference:
    def first(*tags: str) -> str | None:
        return next((fields[t][0] for t in tags if fields.get(t) and fields[t][0]), None)

    start, end = first("SP"), first("EP")
    pages = f"{start}-{end}" if start and end and end != start else start
    pmid = None
    notes = " ".join(fields.get("N1", []) + fields.get("AN", []) + fields.get("M2", []))
    m = re.search(r"\bPMID:?\s*(\d{1,9})\b", notes)
    if m:
        pmid = m.group(1)
    elif fields.get("AN") and "pubmed" in (first("DB", "DP") or "").lower():
        pmid = fields["AN"][0]
    return make_reference(
        authors=[split_name(a) for a in fields.get("AU", []) + fields.get("A1", []) if a],
        title=first("TI", "T1"),
        container=first(*_JOURNAL_TAGS),
        year=first("PY", "Y1", "DA"),
        volume=first("VL"),
        issue=first("IS"),
        pages=pages,
        doi=first("DO"),
        pmid=pmid,
        url=first("UR"),
        line=line,
    )
