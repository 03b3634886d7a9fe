"""The JSON report: a versioned public contract (see CHANGELOG.md before changing it)."""

from __future__ import annotations

import json
from typing import Any

from citecheck import __version__
from citecheck.audit import Report

SCHEMA_VERSION = "1.2"


def to_dict(report: Report) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "citecheck", "version": __version__},
        "manuscript": {
            "path": report.manuscript.path,
            "title": report.manuscript.title,
            "topics": list(report.topics),
            "submitted": report.submitted,
        },
        "summary": report.counts() | {"requests": report.requests, "seconds": report.seconds},
        "references": [r.to_dict() for r in report.references],
        "findings": [f.to_dict() for f in report.findings],
        "notes": report.notes,
    }


def to_json(report: Report) -> str:
    # ensure_ascii keeps '<' etc. as-is, but JSON consumers must escape titles themselves.
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"
