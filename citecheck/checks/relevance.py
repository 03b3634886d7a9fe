"""The off-topic check: score every reference against the manuscript, flag what does not
belong, and flag the list when most of it does not belong."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from citecheck.checks.codes import finding
from citecheck.model import Finding, ReferenceResult
from citecheck.references.citations import Citation
from citecheck.relevance import Manuscript, assess
from citecheck.settings import Settings


def check_relevance(
    manuscript: Manuscript,
    results: list[ReferenceResult],
    citations: Mapping[int, list[Citation]],
    settings: Settings,
    trees: Mapping[str, tuple[str, ...]] | None = None,
) -> list[Finding]:
    """Set ``relevance`` on each result, add its off-topic finding; return list findings."""
    flagged = 0
    scored = 0
    for result in results:
        contexts = [c.sentence for c in citations.get(result.index, [])]
        rel = assess(
            manuscript,
            result.reference,
            result.record,
            contexts,
            trees,
            settings.relevance_weights,
        )
        result.relevance = rel
        if not result.reference.title and result.record is None:
            continue  # nothing to judge the subject by
        scored += 1
        verdict = rel.verdict(settings.relevance_threshold, settings.relevance_weak_threshold)
        if verdict == "on-topic" or rel.general:
            continue
        if verdict == "off-topic":
            flagged += 1
            message = f"Off-topic (relevance {rel.score:.2f}): {rel.explanation}."
        else:
            message = f"Loosely related (relevance {rel.score:.2f}): {rel.explanation}."
        off = finding(
            "off-topic",
            message,
            field="relevance",
            cited=result.reference.title,
            record="; ".join(rel.reference_topics) or None,
            source="citecheck relevance",
            line=result.reference.line,
        )
        if verdict == "weak":
            off = _with_severity(off, "info")
        if "off-topic" not in settings.ignore:
            result.findings.append(off)
    share = flagged / scored if scored else 0.0
    if (
        scored >= 3
        and share > settings.off_topic_share
        and "reference-list-off-topic" not in (settings.ignore)
    ):
        about = ", ".join(manuscript.main_topics()) or "its own subject"
        return [
            finding(
                "reference-list-off-topic",
                f"{flagged} of {scored} references are off-topic for a manuscript about "
                f"{about}: the list does not support this manuscript.",
                field="relevance",
                cited=f"{flagged}/{scored} references off-topic",
                record=about,
                source="citecheck relevance",
            )
        ]
    return []


def _with_severity(f: Finding, severity: str) -> Finding:
    return replace(f, severity=severity)  # type: ignore[arg-type]
