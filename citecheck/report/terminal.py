"""Terminal table (rich). Text from manuscripts and services is shown literally, never as markup."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from citecheck.audit import Report

STYLE = {"verified": "green", "problem": "yellow", "not_found": "red", "unverified": "magenta"}


def to_terminal(report: Report, width: int = 110, color: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, no_color=not color)
    c = report.counts()
    console.print(Text(f"citecheck: {report.manuscript.path}", style="bold"))
    table = Table(show_lines=False, expand=True)
    table.add_column("#", justify="right", width=3)
    table.add_column("status", width=10)
    table.add_column("rel.", width=4)
    table.add_column("reference", ratio=3)
    table.add_column("findings", ratio=4)
    for r in report.references:
        findings = (
            "\n".join(
                f"{f.code}: {f.message}" + (f" Suggested: {f.suggestion}." if f.suggestion else "")
                for f in r.findings
            )
            or "-"
        )
        table.add_row(
            str(r.index),
            Text(r.status, style=STYLE[r.status]),
            Text(f"{r.relevance.score:.2f}" if r.relevance else "-"),
            Text(r.reference.raw[:140]),
            Text(findings),
        )
    console.print(table)
    console.print(
        Text(
            f"{c['references']} references: {c['verified']} verified, {c['problems']} with "
            f"problems, {c['not_found']} not found, {c['unverified']} unverified, "
            f"{c['off_topic']} off-topic, {c['retracted']} retracted "
            f"({report.requests} requests, {report.seconds:.1f} s)"
        )
    )
    if report.topics:
        console.print(Text(f"manuscript topics: {'; '.join(report.topics)}"))
    for f in report.findings:
        where = f" (line {f.line})" if f.line else ""
        console.print(Text(f"{f.severity} {f.code}{where}: {f.message}", style="bold"))
    if report.suppressed:
        reasons = sorted({s.reason for s in report.suppressed})
        console.print(
            Text(f"{len(report.suppressed)} accepted finding(s) not counted: {'; '.join(reasons)}")
        )
    for note in report.notes:
        console.print(Text(f"note: {note}"))
    return buffer.getvalue()
