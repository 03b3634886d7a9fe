"""GitHub Actions: findings as workflow-command annotations, and a Markdown job summary.

Annotations go to stderr so that a report on stdout stays parseable; the runner reads
workflow commands from both streams. GitHub shows only the first few annotations of a
step, so at most ``LIMIT`` are written, most severe first, and one notice says how many
more the report holds.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from citecheck.audit import SEVERITY_RANK, Report
from citecheck.checks.codes import CODES
from citecheck.model import Finding
from citecheck.report.markdown import to_markdown

LIMIT = 50
SUMMARY_LIMIT = 1_000_000  # GitHub refuses a step summary over 1 MiB
_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def workspace_path(path: str, env: Mapping[str, str]) -> str:
    """The path relative to the checkout, as annotations need it to land on the file."""
    base = Path(env.get("GITHUB_WORKSPACE") or Path.cwd()).resolve()
    try:
        return Path(path).resolve().relative_to(base).as_posix()
    except ValueError:
        return Path(path).as_posix()


def commands(report: Report, env: Mapping[str, str] | None = None) -> list[str]:
    env = os.environ if env is None else env
    file = workspace_path(report.manuscript.path, env)
    items: list[tuple[Finding, int | None, str]] = [(f, f.line, "") for f in report.findings]
    for r in report.references:
        items += [(f, f.line or r.reference.line, f"[{r.index}] ") for f in r.findings]
    items.sort(key=lambda item: (-SEVERITY_RANK[item[0].severity], item[1] or 0))
    lines = []
    # A line of text extracted from a PDF or Word file is no line of the file GitHub shows.
    extracted = report.manuscript.format in ("pdf", "docx")
    for f, line, prefix in items[:LIMIT]:
        where = f"file={_property(file)}"
        if line and not extracted:
            where += f",line={line}"
        page = report.manuscript.page(line)
        if page:
            prefix = f"(page {page}) {prefix}"
        title = _property(f"citecheck {CODES[f.code].id} {f.code}")
        message = f"{prefix}{f.message}" + (f" Suggested: {f.suggestion}" if f.suggestion else "")
        lines.append(f"::{_COMMAND[f.severity]} {where},title={title}::{_data(message)}")
    if len(items) > LIMIT:
        more = f"{len(items) - LIMIT} more finding(s) are in the citecheck report"
        lines.append(f"::notice file={_property(file)},title=citecheck::{more}")
    return lines


def publish(report: Report, env: Mapping[str, str] | None = None) -> None:
    """Annotate and summarise when running inside GitHub Actions; do nothing elsewhere."""
    env = os.environ if env is None else env
    if env.get("GITHUB_ACTIONS") != "true":
        return
    for line in commands(report, env):
        print(line, file=sys.stderr)
    summary = env.get("GITHUB_STEP_SUMMARY")
    if summary:
        text = to_markdown(report)
        if len(text.encode("utf-8")) > SUMMARY_LIMIT:
            cut = text.encode("utf-8")[: SUMMARY_LIMIT - 200].decode("utf-8", "ignore")
            text = cut + "\n\n*(summary truncated; the full report is in the job's output)*\n"
        with open(summary, "a", encoding="utf-8") as out:
            out.write(text + "\n")
