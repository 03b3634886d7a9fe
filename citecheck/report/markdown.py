"""Markdown report for editors and CI job summaries. All service/manuscript text is escaped."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import quote

from citecheck.audit import Report

# Inline Markdown that could restyle or break a table cell; HTML is escaped separately.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def esc(value: object) -> str:
    """Escape HTML first (titles may carry markup), then inline Markdown syntax."""
    text = html.escape(str(value), quote=True)
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def doi_url(doi: str) -> str:
    return "https://doi.org/" + quote(doi, safe="/:;()")


STATUS_LABEL = {
    "verified": "verified",
    "problem": "PROBLEM",
    "not_found": "NOT FOUND",
    "unverified": "unverified",
}


def to_markdown(report: Report) -> str:
    c = report.counts()
    lines = [
        f"# citecheck report: {esc(report.manuscript.title or Path(report.manuscript.path).name)}",
        "",
        f"File: `{html.escape(report.manuscript.path)}`  ",
        f"{c['references']} references: {c['verified']} verified, {c['problems']} with problems, "
        f"{c['not_found']} not found, {c['unverified']} unverified; "
        f"{c['off_topic']} off-topic, {c['retracted']} retracted.",
        "",
    ]
    if report.topics:
        lines += [f"Manuscript topics (as read by citecheck): {esc('; '.join(report.topics))}", ""]
    for f in report.findings:
        where = f" (line {f.line})" if f.line else ""
        lines += [f"**{f.severity}** `{f.code}`{where}: {esc(f.message)}", ""]
    lines += ["| # | status | relevance | reference | record |", "|---|---|---|---|---|"]
    for r in report.references:
        rec = r.record
        link = ""
        if rec is not None:
            ids = []
            if rec.doi:
                ids.append(f"[doi:{esc(rec.doi)}](<{doi_url(rec.doi)}>)")
            if rec.pmid:
                pmid = quote(rec.pmid, safe="")
                ids.append(f"[PMID {esc(rec.pmid)}](https://pubmed.ncbi.nlm.nih.gov/{pmid}/)")
            link = " ".join(ids) or esc(rec.source)
        score = f"{r.relevance.score:.2f}" if r.relevance else ""
        lines.append(
            f"| {r.index} | {STATUS_LABEL[r.status]} | {score} | {esc(r.reference.raw[:160])} "
            f"| {link} |"
        )
    lines.append("")
    for r in report.references:
        if not r.findings:
            continue
        page = report.manuscript.page(r.reference.line)
        where = f"line {r.reference.line}" + (f", page {page}" if page else "")
        lines.append(f"## Reference {r.index} ({where})")
        lines.append("")
        lines.append(f"> {esc(r.reference.raw)}")
        lines.append("")
        for f in r.findings:
            lines.append(f"- **{f.severity}** `{f.code}`: {esc(f.message)}")
            if f.suggestion:
                lines.append(f"  - suggested: {esc(f.suggestion)}")
        lines.append("")
    if report.suppressed:
        lines += [f"{len(report.suppressed)} accepted finding(s), not counted:", ""]
        for s in report.suppressed:
            entry = f"reference {s.index}" if s.index else "manuscript"
            lines.append(f"- `{s.finding.code}` on {entry} ({esc(s.reason)})")
        lines.append("")
    for note in report.notes:
        lines.append(f"_Note: {esc(note)}_")
    return "\n".join(lines).rstrip() + "\n"
