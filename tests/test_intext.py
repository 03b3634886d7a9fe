"""The manuscript against its own list: missing, uncited, out of order."""

from __future__ import annotations

from citecheck.checks.intext import check_intext
from citecheck.model import Author, ParsedReference, ReferenceResult
from citecheck.references.citations import read_citations


def numbered(n: int) -> list[ParsedReference]:
    return [
        ParsedReference(raw=f"Author{i} A. Title {i}. J. 2001;1:{i}.", number=i, line=100 + i)
        for i in range(1, n + 1)
    ]


def run(body: str, refs: list[ParsedReference]) -> tuple[list, list[ReferenceResult], list[str]]:
    text = body + "\n\nReferences\n\n" + "\n".join(f"{r.number}. {r.raw}" for r in refs)
    results = [ReferenceResult(index=i, reference=r) for i, r in enumerate(refs, 1)]
    findings, notes = check_intext(read_citations(text, refs), results)
    return findings, results, notes


def test_a_marker_beyond_the_list_is_a_missing_reference() -> None:
    findings, results, _ = run("A [1]. B [2, 3].\nC [4].\nD [4, 11].", numbered(4))
    (f,) = findings
    assert (f.code, f.severity, f.cited, f.line) == ("missing-reference", "error", "[11]", 3)
    assert "has 4 entries" in f.message
    assert not any(r.findings for r in results)


def test_uncited_entries_and_the_guard_against_lost_markers() -> None:
    _, results, notes = run("A [1]. B [2]. C [3].", numbered(4))
    assert [[f.code for f in r.findings] for r in results] == [[], [], [], ["uncited"]]
    assert results[3].findings[0].line == 104 and notes == []
    # One marker for ten entries: the markers were lost (superscripts in a PDF), not the
    # citations; say so instead of calling nine entries uncited.
    _, results, notes = run("A [1].", numbered(10))
    assert not any(r.findings for r in results)
    assert "only 1 of 10 entries" in notes[0]


def test_citation_order() -> None:
    findings, _, _ = run("A [1]. B [3]. C [2]. D [4].", numbered(4))
    (f,) = findings
    assert (f.code, f.severity, f.line) == ("citation-order", "info", 1)
    assert "[3] is cited (line 1) before [2]" in f.message
    assert run("A [1, 2]. B [3-4]. C [1].", numbered(4))[0] == []


def test_author_year_missing_with_a_hint() -> None:
    refs = [
        ParsedReference(raw="Smith J. T. J. 2018;1:1.", authors=(Author("Smith", "J"),), year=2018),
        ParsedReference(raw="Lee K. T. J. 2020;1:1.", authors=(Author("Lee", "K"),), year=2020),
    ]
    text = "As shown (Smith et al., 2019; Lee 2020).\n\nReferences\n\n" + "\n".join(
        r.raw for r in refs
    )
    results = [ReferenceResult(index=i, reference=r) for i, r in enumerate(refs, 1)]
    findings, _ = check_intext(read_citations(text, refs), results)
    (f,) = findings
    assert f.code == "missing-reference" and f.cited == "(Smith 2019)"
    assert "The list has Smith 2018 (entry 1)" in f.message
    assert [[g.code for g in r.findings] for r in results] == [["uncited"], []]


def test_no_markers_at_all_skips_the_checks() -> None:
    findings, results, notes = run("No citations here.", numbered(3))
    assert findings == [] and not any(r.findings for r in results)
    assert "no in-text citation markers" in notes[0]
