"""SARIF 2.1.0, for GitHub code scanning (``github/codeql-action/upload-sarif``) and IDEs.

One rule per finding code (all of them, so a rule's page exists before its first alert) and
one result per finding. GitHub needs a location for every alert, so a finding without a line
points at its reference's line, else line 1. ``partialFingerprints`` carries the finding's
fingerprint, which ignores line numbers and list positions: rerunning on an edited
manuscript updates the same alerts instead of opening new ones. An unverified reference is a
note, not a warning: it says the run was incomplete, not that the entry is wrong. Suppressed
findings (config, baseline) are results with an accepted suppression, as SARIF intends.

Every string goes through ``json.dumps`` and nothing else: titles with markup stay literal.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from citecheck import __version__
from citecheck.audit import Report
from citecheck.checks.codes import CODES, Code
from citecheck.fingerprints import fingerprint
from citecheck.model import Finding, ParsedReference, Severity

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/citecheck-biomed/"
FINGERPRINT_KEY = "citecheck/v1"
SRCROOT = "%SRCROOT%"

LEVELS: dict[str, str] = {"error": "error", "warning": "warning", "info": "note"}
# GitHub's own severity scale for non-security rules, by SARIF level.
PROBLEM_SEVERITY: dict[str, str] = {
    "error": "error",
    "warning": "warning",
    "note": "recommendation",
}
# Codes are grouped by their id's tens ("CC15x": editorial notices); a new code lands in its group.
_GROUPS: dict[str, tuple[str, str]] = {  # id prefix -> (tag, precision)
    "CC10": ("identity", "high"),
    "CC11": ("metadata", "high"),
    "CC12": ("lookup", "high"),
    "CC13": ("parsing", "medium"),
    "CC14": ("relevance", "medium"),
    "CC15": ("editorial-notice", "high"),
    "CC16": ("reference-list", "high"),
}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_EXIT_CODES = {
    0: "clean: no finding at or above --fail-on",
    1: "findings at or above --fail-on",
    3: "incomplete: some references could not be checked",
}


def level(code: str, severity: Severity | str) -> str:
    """SARIF level of a finding; an unverified entry is a note whatever its severity."""
    return "note" if code == "unverified" else LEVELS[severity]


def rule_name(code: str) -> str:
    """SARIF's PascalCase rule name: reference-list-off-topic -> ReferenceListOffTopic."""
    return "".join(part.capitalize() for part in code.split("-"))


def _rule(c: Code) -> dict[str, Any]:
    tag, precision = _GROUPS.get(c.id[:4], ("", "high"))
    first = _SENTENCE_END.split(c.meaning, maxsplit=1)[0]
    default = level(c.code, c.severity)
    help_text = (
        f"{c.id} {c.code} (default severity: {c.severity}). {c.meaning} Evidence: {c.source}. "
        f"Drop the code with --ignore {c.code}; accept single findings with [[suppress]] "
        "in the config or a baseline."
    )
    help_markdown = (
        f"**{c.id} `{c.code}`**, default severity **{c.severity}**\n\n{c.meaning}\n\n"
        f"Evidence: {c.source}.\n\nDrop the code with `--ignore {c.code}`; accept single "
        "findings with `[[suppress]]` in the config or a baseline (`--baseline`)."
    )
    return {
        "id": c.id,
        "name": rule_name(c.code),
        "shortDescription": {"text": first},
        "fullDescription": {"text": c.meaning},
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"level": default},
        "properties": {
            "tags": ["citations", *([tag] if tag else [])],
            "precision": precision,
            "problem.severity": PROBLEM_SEVERITY[default],
            "code": c.code,
        },
    }


def artifact_location(path: str, cwd: Path | None = None) -> dict[str, str]:
    """The manuscript relative to the working directory (the repository root in CI).

    Relative URIs are what GitHub maps onto the repository; a path outside the working
    directory stays as given (absolute: a file URI). Symlinks are not followed, so the URI
    is the path the user named.
    """
    base = os.path.abspath(cwd or os.getcwd())
    full = os.path.normpath(os.path.join(base, path))
    try:
        inside = os.path.commonpath([base, full]) == base and full != base
    except ValueError:  # another drive (Windows)
        inside = False
    if inside:
        relative = Path(os.path.relpath(full, base)).as_posix()
        return {"uri": quote(relative), "uriBaseId": SRCROOT}
    given = Path(path)
    if given.is_absolute():
        return {"uri": given.as_uri()}
    return {"uri": quote(given.as_posix()), "uriBaseId": SRCROOT}


def _category(path: str, location: dict[str, str]) -> str:
    if "uriBaseId" in location:
        return unquote(location["uri"])
    return Path(path).name


def _message(f: Finding) -> str:
    text = f.message.strip() or CODES[f.code].meaning  # SARIF forbids an empty message
    if f.suggestion:
        text = f"{text.rstrip()} Suggestion: {f.suggestion}."
    return text


def _properties(report: Report, f: Finding, index: int | None, line: int | None) -> dict[str, Any]:
    props: dict[str, Any] = {"code": f.code, "severity": f.severity}
    if index is not None:
        props["reference"] = index
    for name in ("field", "cited", "record", "source", "suggestion"):
        value = getattr(f, name)
        if value is not None:
            props[name] = value
    page = report.manuscript.page(line)
    if page is not None:
        props["page"] = page
    return props


def _result(
    report: Report,
    rule_index: dict[str, int],
    location: dict[str, Any],
    f: Finding,
    ref: ParsedReference | None,
    index: int | None,
    fp: str | None = None,
) -> dict[str, Any]:
    line = f.line or (ref.line if ref is not None else None)
    return {
        "ruleId": CODES[f.code].id,
        "ruleIndex": rule_index[f.code],
        "level": level(f.code, f.severity),
        "message": {"text": _message(f)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": location | {"index": 0},
                    "region": {"startLine": max(line or 1, 1)},
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fp or fingerprint(f, ref)},
        "properties": _properties(report, f, index, line),
    }


def to_dict(report: Report, cwd: Path | None = None) -> dict[str, Any]:
    """The SARIF log as plain data; ``cwd`` is what paths are made relative to."""
    codes = list(CODES.values())
    rule_index = {c.code: i for i, c in enumerate(codes)}
    location = artifact_location(report.manuscript.path, cwd)
    by_index = {r.index: r for r in report.references}
    results = [_result(report, rule_index, location, f, None, None) for f in report.findings]
    for r in report.references:
        results += [
            _result(report, rule_index, location, f, r.reference, r.index) for f in r.findings
        ]
    for s in report.suppressed:
        ref_result = by_index.get(s.index) if s.index is not None else None
        ref = ref_result.reference if ref_result is not None else None
        result = _result(report, rule_index, location, s.finding, ref, s.index, s.fingerprint)
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": s.reason}
        ]
        results.append(result)
    exit_code = report.exit_code(report.fail_on)
    invocation: dict[str, Any] = {
        "executionSuccessful": True,
        "exitCode": exit_code,
        "exitCodeDescription": _EXIT_CODES[exit_code],
        "toolExecutionNotifications": [
            {"message": {"text": note}, "level": "note"} for note in report.notes
        ],
        "properties": {"failOn": report.fail_on},
    }
    if not report.notes:
        del invocation["toolExecutionNotifications"]
    artifact = {
        "location": location,
        "roles": ["analysisTarget"],
        "properties": {"format": report.manuscript.format},
    }
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "citecheck",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(c) for c in codes],
            }
        },
        # One category per manuscript, so that a folder of SARIF files (a batch) can be
        # uploaded together: code scanning refuses two runs of one tool in one category.
        "automationDetails": {"id": f"citecheck/{_category(report.manuscript.path, location)}/"},
        "invocations": [invocation],
        "artifacts": [artifact],
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {
            "summary": report.counts()
            | {
                "suppressed": len(report.suppressed),
                "requests": report.requests,
                "seconds": report.seconds,
            },
            "manuscript": {
                "title": report.manuscript.title,
                "format": report.manuscript.format,
                "submitted": report.submitted,
                "topics": list(report.topics),
            },
        },
    }
    # The spec asks for "version" first, so a reader can tell the format before the rest.
    return {"version": "2.1.0", "$schema": SCHEMA_URI, "runs": [run]}


def to_sarif(report: Report) -> str:
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False, default=str) + "\n"
