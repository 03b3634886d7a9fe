"""In-text citations: which sentence cites which reference."""

from __future__ import annotations

from citecheck.model import Author, ParsedReference
from citecheck.references.citations import body_text, find_citations


def refs(n: int) -> list[ParsedReference]:
    return [ParsedReference(raw=f"ref {i}") for i in range(1, n + 1)]


def test_numeric_brackets_lists_and_ranges() -> None:
    text = (
        "Intro\n\nImatinib changed CML [1]. TKIs are used in Ph+ ALL [2, 3].\n"
        "CAR T cells work [4-6]; see also Fig. 2 for details [1,\n6].\n\nReferences\n\n"
        + "\n".join(f"{i}. Author A. Title {i}. J. 2001;1:1-2." for i in range(1, 7))
    )
    found = find_citations(text, refs(6))
    assert [c.sentence for c in found[1]] == [
        "Imatinib changed CML.",
        "CAR T cells work; see also Fig. 2 for details.",
    ]
    assert found[5][0].sentence.startswith("CAR T cells work")
    assert found[3][0].line == 3 and found[6][-1].line == 5


def test_a_page_break_inside_a_sentence_is_undone() -> None:
    text = "Antibody-\nDrug Conjugates (ADCs): ADCs combine the specificity of\n\nantibodies with drugs [1].\n\nReferences\n\n1. A B. T. J. 2000;1:1."
    (citation,) = find_citations(text, refs(1))[1]
    assert citation.sentence == (
        "Antibody-Drug Conjugates (ADCs): ADCs combine the specificity of antibodies with drugs."
    )
    assert citation.line == 4


def test_parenthesised_numbers_only_when_they_fit_the_list() -> None:
    text = "We saw it (2). Doses were high (n = 45) and (120).\n\nReferences\n\n1. A. 2.\n"
    found = find_citations(text, refs(2))
    assert list(found) == [2]


def test_author_year_citations() -> None:
    ref = [
        ParsedReference(raw="Smith", authors=(Author("Smith", "J"),), year=2019),
        ParsedReference(raw="Núñez", authors=(Author("Núñez", "A"),), year=2020),
    ]
    text = "Prior work (Smith et al., 2019) and Nunez and Lee (2020) agree.\n\nReferences\n\nx\n"
    found = find_citations(text, ref)
    assert set(found) == {1, 2}


def test_body_stops_at_the_reference_heading() -> None:
    body, start = body_text("Text.\n\nReferences\n\n1. A. 2001.\n")
    assert body.strip() == "Text." and start == 2
