"""The JSON report: a versioned public contract (see CHANGELOG.md before changing it)."""

from __future__ import annotations

import json
from typing import Any

from citecheck import __version__
from citecheck.audit import Report
from citecheck.fingerprints import fingerprint
from citecheck.model import Finding, ParsedReference, ReferenceResult

SCHEMA_VERSION = "1.4"


def to_dict(report: Report) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "citecheck", "version": __version__},
        "manuscript": {
            "path": report.manuscript.path,
            "title": report.manuscript.title,
            "topics": list(report.topics),
            "submitted": report.submitted,
            "format": report.manuscript.format,
        },
        "summary": report.counts()
        | {
            "suppressed": len(report.suppressed),
            "requests": report.requests,
            "seconds": report.seconds,
        },
        "references": [_paged(report, _reference(r)) for r in report.references],
        "findings": [_paged(report, _finding(f, None)) for f in report.findings],
        "suppressed": [_paged(report, s.to_dict()) for s in report.suppressed],
        "notes": report.notes,
    }


def _finding(f: Finding, ref: ParsedReference | None) -> dict[str, Any]:
    return f.to_dict() | {"fingerprint": fingerprint(f, ref)}


def _reference(r: ReferenceResult) -> dict[str, Any]:
    item = r.to_dict()
    item["findings"] = [_finding(f, r.reference) for f in r.findings]
    return item


def _paged(report: Report, item: dict[str, Any]) -> dict[str, Any]:
    """PDF input: the page of every line given, beside the line (a line of extracted text)."""
    if not report.manuscript.pages:
        return item
    item["page"] = report.manuscript.page(item.get("line"))  # type: ignore[arg-type]
    for f in item.get("findings", []):
        f["page"] = report.manuscript.page(f.get("line"))
    if "finding" in item:  # a suppressed finding
        item["finding"]["page"] = report.manuscript.page(item["finding"].get("line"))
    return item


def to_json(report: Report) -> str:
    # ensure_ascii keeps '<' etc. as-is, but JSON consumers must escape titles themselves.
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"
