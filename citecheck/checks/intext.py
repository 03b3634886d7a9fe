"""The manuscript against its own list: markers that point nowhere, entries never cited,
numbered references cited out of order."""

from __future__ import annotations

from citecheck.checks.codes import finding
from citecheck.model import Finding, ReferenceResult
from citecheck.references.citations import InText

# Below this share of entries cited, marker reading most likely failed (superscripts lost in
# PDF extraction, an unknown style): per-entry "uncited" findings would be noise.
MIN_CITED_SHARE = 0.5


def check_intext(intext: InText, results: list[ReferenceResult]) -> tuple[list[Finding], list[str]]:
    """Document findings and notes; ``uncited`` findings are added to the entries."""
    if intext.style == "none" or not results:
        return [], ["no in-text citation markers found: in-text checks skipped"]
    findings = _missing(intext, len(results))
    notes: list[str] = []
    cited = intext.cited()
    share = len(cited) / len(results)
    if share < MIN_CITED_SHARE:
        notes.append(
            f"only {len(cited)} of {len(results)} entries have in-text markers citecheck could "
            "read: the uncited check was skipped"
        )
    else:
        for result in results:
            if result.index not in cited:
                result.findings.append(_uncited(result, intext.style))
    if intext.style == "numeric":
        order = _order(intext)
        if order is not None:
            findings.append(order)
    return findings, notes


def _missing(intext: InText, count: int) -> list[Finding]:
    where: dict[str, list[int]] = {}
    hints: dict[str, str] = {}
    for marker in intext.markers:
        for value in marker.unresolved:
            where.setdefault(value, []).append(marker.line)
            if marker.hint:
                hints.setdefault(value, marker.hint)
    out = []
    for value, lines in where.items():
        lines = sorted(set(lines))
        if intext.style == "numeric":
            message = (
                f"The text cites [{value}], but the reference list as read has {count} entries"
            )
            shown = f"[{value}]"
        else:
            message = f"The text cites ({value}), but no entry has that first author and year"
            shown = f"({value})"
        message += f" (line {', '.join(map(str, lines))})."
        if value in hints:
            message += f" {hints[value][0].upper()}{hints[value][1:]}."
        out.append(
            finding(
                "missing-reference",
                message,
                field="citation",
                cited=shown,
                record=f"{count} entries",
                source="manuscript text",
                line=lines[0],
            )
        )
    return out


def _uncited(result: ReferenceResult, style: str) -> Finding:
    how = (
        f"no marker cites [{result.index}]"
        if style == "numeric"
        else "no author–year citation matches it"
    )
    return finding(
        "uncited",
        f"Entry {result.index} is never cited in the text ({how}).",
        field="citation",
        cited=result.reference.raw,
        source="manuscript text",
        line=result.reference.line,
    )


def _order(intext: InText) -> Finding | None:
    """Vancouver order: each entry is first cited after every lower-numbered one."""
    first: dict[int, int] = {}  # entry -> line of its first citation
    sequence: list[int] = []
    for marker in intext.markers:
        for target in sorted(marker.targets):
            if target not in first:
                first[target] = marker.line
                sequence.append(target)
    late = [n for i, n in enumerate(sequence) if any(m > n for m in sequence[:i])]
    if not late:
        return None
    n = late[0]
    earlier = next(m for m in sequence[: sequence.index(n)] if m > n)
    return finding(
        "citation-order",
        f"References are not first cited in list order: [{earlier}] is cited (line "
        f"{first[earlier]}) before [{n}] (line {first[n]}); {len(late)} "
        f"entr{'y is' if len(late) == 1 else 'ies are'} first cited after a higher-numbered one.",
        field="citation",
        cited=f"first citations in order: {', '.join(map(str, sequence[:20]))}",
        source="manuscript text",
        line=first[n],
    )
