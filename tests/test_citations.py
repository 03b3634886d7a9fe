"""In-text citations: which sentence cites which reference, and what cites nothing."""

from __future__ import annotations

import pytest

from citecheck.ingest import read_manuscript
from citecheck.model import Author, ParsedReference
from citecheck.references import read_references
from citecheck.references.citations import (
    InText,
    Marker,
    body_text,
    read_citations,
)
from tests.conftest import SEED


def refs(n: int) -> list[ParsedReference]:
    return [ParsedReference(raw=f"ref {i}") for i in range(1, n + 1)]


def test_numeric_brackets_lists_and_ranges() -> None:
    text = (
        "Intro\n\nImatinib changed CML [1]. TKIs are used in Ph+ ALL [2, 3].\n"
        "CAR T cells work [4-6]; see also Fig. 2 for details [1,\n6].\n\nReferences\n\n"
        + "\n".join(f"{i}. Author A. Title {i}. J. 2001;1:1-2." for i in range(1, 7))
    )
    found = read_citations(text, refs(6)).citing()
    assert [c.sentence for c in found[1]] == [
        "Imatinib changed CML.",
        "CAR T cells work; see also Fig. 2 for details.",
    ]
    assert found[5][0].sentence.startswith("CAR T cells work")
    # A marker's line is where the marker starts: "[1,\n6]" starts on line 4.
    assert found[3][0].line == 3 and found[6][-1].line == 4


def test_a_page_break_inside_a_sentence_is_undone() -> None:
    text = "Antibody-\nDrug Conjugates (ADCs): ADCs combine the specificity of\n\nantibodies with drugs [1].\n\nReferences\n\n1. A B. T. J. 2000;1:1."
    (citation,) = read_citations(text, refs(1)).citing()[1]
    assert citation.sentence == (
        "Antibody-Drug Conjugates (ADCs): ADCs combine the specificity of antibodies with drugs."
    )
    assert citation.line == 4


def test_parenthesised_numbers_only_when_they_fit_the_list() -> None:
    text = "We saw it (2). Doses were high (n = 45) and (120).\n\nReferences\n\n1. A. 2.\n"
    found = read_citations(text, refs(2)).citing()
    assert list(found) == [2]


def test_author_year_citations() -> None:
    ref = [
        ParsedReference(raw="Smith", authors=(Author("Smith", "J"),), year=2019),
        ParsedReference(raw="Núñez", authors=(Author("Núñez", "A"),), year=2020),
    ]
    text = "Prior work (Smith et al., 2019) and Nunez and Lee (2020) agree.\n\nReferences\n\nx\n"
    found = read_citations(text, ref).citing()
    assert set(found) == {1, 2}


def test_body_stops_at_the_reference_heading() -> None:
    body, start = body_text("Text.\n\nReferences\n\n1. A. 2001.\n")
    assert body.strip() == "Text." and start == 2


LIST = "\n\nReferences\n\n1. Author A. Title. J. 2001;1:1-2.\n"


def read(body: str, entries: list[ParsedReference]) -> InText:
    return read_citations(body + LIST, entries)


def only(intext: InText) -> Marker:
    (marker,) = intext.markers
    return marker


def ay(family: str, year: int | None, raw: str = "") -> ParsedReference:
    return ParsedReference(
        raw=raw or f"{family}. Title. {year}", authors=(Author(family),), year=year
    )


# --- numeric ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marker", "targets"),
    [
        ("[1]", (1,)),
        ("[1,2]", (1, 2)),
        ("[3-5]", (3, 4, 5)),
        ("[3–5]", (3, 4, 5)),
        ("[1–3, 7]", (1, 2, 3, 7)),
        ("[1; 4]", (1, 4)),
        ("[ 2 , 4 - 5 ]", (2, 4, 5)),
        ("^1,2^", (1, 2)),
        ("^3-5^", (3, 4, 5)),
        ("<sup>1,2</sup>", (1, 2)),
        ("¹", (1,)),
        ("¹⁻³", (1, 2, 3)),
        ("¹˒²", (1, 2)),
        ("⁴,⁵", (4, 5)),
        ("¹²", (12,)),
    ],
)
def test_numeric_marker_forms(marker: str, targets: tuple[int, ...]) -> None:
    intext = read(f"Intro.\n\nDrugs work well{marker}. Next sentence.", refs(12))
    assert intext.style == "numeric"
    m = only(intext)
    assert (m.text, m.targets, m.unresolved) == (marker, targets, ())
    assert m.sentence == "Drugs work well." and m.line == 3


def test_a_number_with_no_entry_is_unresolved() -> None:
    intext = read("It works [9-11]. Also [12].", refs(10))
    assert [(m.targets, m.unresolved) for m in intext.markers] == [
        ((9, 10), ("11",)),
        ((), ("12",)),
    ]
    assert intext.cited() == {9, 10}
    assert set(intext.citing()) == {9, 10}


@pytest.mark.parametrize(
    "text",
    [
        "Scores lie in [0, 1].",
        "As reported in [2019].",
        "Ages [1990-2005] were seen.",
        "A range [1-60] is no citation.",
        "A reversed range [5-3] is no citation.",
        "Area 10 m² and I² and 10⁶ cells and Ca²⁺ and ¹H NMR.",
    ],
)
def test_things_that_are_not_numeric_markers(text: str) -> None:
    assert read(text, refs(10)).style == "none"


def test_parentheses_count_only_without_other_markers_and_never_go_unresolved() -> None:
    intext = read("We saw it (2) and (1, 2) and (3-5). Doses (45) and (0) and (2, 30).", refs(5))
    assert [m.targets for m in intext.markers] == [(2,), (1, 2), (3, 4, 5)]
    assert all(not m.unresolved for m in intext.markers)
    mixed = read("We saw it (2) and [1].", refs(5))
    assert [m.text for m in mixed.markers] == ["[1]"]


def test_numbers_map_by_the_entries_own_numbers_when_all_have_unique_ones() -> None:
    numbered = [ParsedReference(raw=f"r{n}", number=n) for n in (3, 4, 5)]  # list starts at 3
    assert only(read("See [4] here.", numbered)).targets == (2,)
    assert only(read("See [1] here.", numbered)).unresolved == ("1",)
    partly = [ParsedReference(raw="a", number=3), ParsedReference(raw="b")]
    assert only(read("See [2] here.", partly)).targets == (2,)  # by position
    twice = [ParsedReference(raw="a", number=1), ParsedReference(raw="b", number=1)]
    assert only(read("See [2] here.", twice)).targets == (2,)


def test_a_wrapped_marker_is_on_the_line_where_it_starts() -> None:
    m = only(read("Intro.\n\nThis is shown [1,\n2]. Next.", refs(2)))
    assert (m.text, m.line, m.targets) == ("[1, 2]", 3, (1, 2))


def test_markers_after_the_list_count_but_the_list_does_not() -> None:
    text = (
        "Body cites [1].\n\nReferences\n\n1. Smith A. Cited in [2]. J. 2001;1:1.\n"
        "2. Lee B. Other. J. 2002;2:2.\n\nFigure legends\n\nFigure 1. Survival curves [2].\n"
    )
    intext = read_citations(text, refs(2))
    assert [(m.text, m.line) for m in intext.markers] == [("[1]", 1), ("[2]", 10)]
    assert intext.citing()[2][0].sentence == "Survival curves."


def test_without_a_reference_list_the_whole_text_is_read() -> None:
    assert only(read_citations("Just text [1].", refs(1))).targets == (1,)


def test_citing_lists_distinct_sentences_in_reading_order() -> None:
    intext = read("First [1], again [1]. Second [2, 1].", refs(2))
    assert [c.sentence for c in intext.citing()[1]] == ["First, again.", "Second."]


def test_the_seed_article() -> None:
    text = read_manuscript(SEED).text
    intext = read_citations(text, read_references(text))
    assert intext.style == "numeric"
    assert [(m.text, m.line) for m in intext.markers] == [
        ("[1,2]", 12),
        ("[3, 4]", 26),
        ("[5, 6]", 50),
        ("[7, 8]", 67),
        ("[9, 10]", 81),
    ]
    assert intext.cited() == set(range(1, 11))
    assert not any(m.unresolved for m in intext.markers)


# --- author–year ------------------------------------------------------------------------

AY = [
    ay("Smith", 2019),
    ay("Smith", 2019),
    ay("Lee", 2020),
    ay("van der Berg", 2017),
    ay("de Souza", 2016),
    ay("O’Brien", 2015),
    ay("Müller", 2014),
    ay("García-López", 2013),
    ay("Jones", None),
    ay("Kim", 2018),
    ay("Health Organization", 2020, raw="World Health Organization. Global report. 2020."),
]


@pytest.mark.parametrize(
    ("text", "marker", "targets"),
    [
        ("(Smith et al., 2019)", "Smith et al., 2019", (1, 2)),
        ("(Smith and Jones, 2018; Lee 2020a)", "Lee 2020a", (3,)),
        ("(Smith & Jones 2019)", "Smith & Jones 2019", (1, 2)),
        ("(Smith 2019a, b)", "Smith 2019a, b", (1, 2)),
        ("(Smith 2019b)", "Smith 2019b", (2,)),
        ("(see Smith 2019a)", "see Smith 2019a", (1,)),
        ("(e.g., Lee et al. 2020)", "e.g., Lee et al. 2020", (3,)),
        ("(Lee et al. 2020, p. 4)", "Lee et al. 2020, p. 4", (3,)),
        ("(van der Berg 2017)", "van der Berg 2017", (4,)),
        ("(Berg 2017)", "Berg 2017", (4,)),
        ("(de Souza, 2016)", "de Souza, 2016", (5,)),
        ("(O'Brien 2015)", "O'Brien 2015", (6,)),
        ("(Muller 2014)", "Muller 2014", (7,)),
        ("(Müller et al. 2014)", "Müller et al. 2014", (7,)),
        ("(García-López 2013)", "García-López 2013", (8,)),
        ("(Jones, in press)", "Jones, in press", (9,)),
        ("(Jones n.d.)", "Jones n.d.", (9,)),
        ("(World Health Organization 2020)", "World Health Organization 2020", (11,)),
        ("Smith and Jones (2019)", "Smith and Jones (2019)", (1, 2)),
        ("Lee et al. (2020)", "Lee et al. (2020)", (3,)),
        ("as Lee (2020)", "Lee (2020)", (3,)),
        ("Van der Berg et al. (2017)", "Van der Berg et al. (2017)", (4,)),
        ("Smith et al. (2019a, b)", "Smith et al. (2019a, b)", (1, 2)),
        ("World Health Organization (2020)", "World Health Organization (2020)", (11,)),
    ],
)
def test_author_year_forms(text: str, marker: str, targets: tuple[int, ...]) -> None:
    intext = read(f"Intro.\n\nIt was shown {text} in mice.", AY)
    assert intext.style == "author-year"
    hit = [m for m in intext.markers if m.text == marker]
    assert hit and hit[0].targets == targets and hit[0].line == 3


def test_author_year_markers_start_lines_and_sentences() -> None:
    intext = read(
        "Prior work agrees\n(Smith et al., 2019; Lee 2020a). Lee et al.\n(2020) disagree.", AY
    )
    assert [(m.text, m.line) for m in intext.markers] == [
        ("Smith et al., 2019", 2),
        ("Lee 2020a", 2),
        ("Lee et al. (2020)", 2),
    ]
    assert [m.sentence for m in intext.markers] == [
        "Prior work agrees.",
        "Prior work agrees.",
        "Lee et al. disagree.",
    ]


def test_unresolved_author_year_and_the_hint() -> None:
    intext = read("Shown (Kim et al., 2019; Smith 2019c) and Smith et al. (2019, 2021).", AY)
    assert [(m.targets, m.unresolved) for m in intext.markers] == [
        ((), ("Kim 2019",)),
        ((), ("Smith 2019c",)),
        ((1, 2), ("Smith 2021",)),
    ]
    assert intext.markers[0].hint == "the list has Kim 2018 (entry 10)"
    assert intext.markers[1].hint == "the list has Smith 2019 (entry 1), Smith 2019 (entry 2)"
    assert only(read("Shown (Nobody 2011).", AY)).hint is None


@pytest.mark.parametrize(
    "text",
    [
        "(In 2019)",
        "(Since 2019)",
        "(Table 2019)",
        "(Figure 3, 2019)",
        "(Phase 2019)",
        "(March 2019)",
        "(n = 45, 2019)",
        "(p < 0.05)",
        "Recently (2019)",
        "During (2019)",
        "in Denmark (2019)",
        "(WHO 2019)",
        "(Wrong Organisation 2020)",
        "Global Burden (2019)",
        "(Kim, in press)",
        "(Brown 2019) of brown fat",
    ],
)
def test_what_is_no_unresolved_author_year_citation(text: str) -> None:
    intext = read(f"Seen {text} here. Cited (Lee 2020) and (Kim 2018).", AY)
    assert [m.text for m in intext.markers] == ["Lee 2020", "Kim 2018"]


def test_the_style_with_more_markers_wins() -> None:
    intext = read("A [1]. B (Lee 2020). C (Kim 2018).", AY)
    assert intext.style == "author-year"
    assert read("A [1]. B [2]. C (Kim 2018).", AY).style == "numeric"
    assert read("Nothing cited here.", AY) == InText("none", ())


def test_superscripts_on_names_ending_in_digits_and_after_short_words() -> None:
    text = (
        "Phage T4⁵ infects cells. PBDE-99¹˒² accumulates, as reviewed in³.\n"
        "Cell density was 10⁴ per cm² and I² was low.\n\nReferences\n\n"
        + "\n".join(f"{i}. Author A. Title {i}. J. 2001;1:{i}." for i in range(1, 6))
    )
    markers = read_citations(text, refs(5)).markers
    assert [m.text for m in markers] == ["⁵", "¹˒²", "³"]


def test_a_statistic_in_brackets_is_not_a_citation() -> None:
    text = "Groups differed (F[1,12] = 8.42, p < 0.05) as shown [3].\n\nReferences\n\n" + "\n".join(
        f"{i}. Author A. Title {i}. J. 2001;1:{i}." for i in range(1, 13)
    )
    (marker,) = read_citations(text, refs(12)).markers
    assert marker.targets == (3,)
