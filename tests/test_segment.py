"""Finding and splitting reference lists in messy text."""

from __future__ import annotations

import pytest

from citecheck.references import NoReferenceList, split_references
from tests.conftest import SEED

SEED_STARTS = [
    "Ott PA. Intralesional Cancer Immunotherapies.",
    "Janz TA, Neskey DM, Nguyen SA, et al.",
    "Barker CA, Salama AK.",
    "Blakely AM, Comissiong DS, Vezeridis MP, et al",
    "Cho SI, Lee J, Jo G, et al.",
    "Gurney JG, Severson RK, Davis S, et al.",
    "JtS. downing Jr, Crist WM.",
    "Jaffe ES, Harris NL, Stein H, et al.",
    "Mbulaiteye SM, Biggar RJ, Bhatia K, et al.",
    "Klapper W, Szczepanowski M, Burkhardt B, et al.",
]


def test_seed_yields_exactly_ten_clean_entries_in_order() -> None:
    entries = split_references(SEED.read_text(encoding="utf-8"))
    assert [e.text[: len(s)] for e, s in zip(entries, SEED_STARTS, strict=True)] == SEED_STARTS
    assert [e.number for e in entries] == list(range(1, 11))
    joined = " ".join(e.text for e in entries)
    for noise in ("J Mol Oncol Res 2024", "Citation:", "Correspondence", "http", "Received"):
        assert noise not in joined


def test_seed_entries_are_rejoined_across_page_furniture() -> None:
    entries = split_references(SEED.read_text(encoding="utf-8"))
    assert entries[5].text.endswith("rates by histologic type. Cancer. 1995;75(8):2186-95.")
    assert entries[8].text.endswith("Pediatr Blood Canc. 2009;53(3):366-70.")  # "366-\n70"
    assert entries[0].line == 95  # points at the manuscript line


@pytest.mark.parametrize(
    "marker", ["[{n}] ", "({n}) ", "{n}. ", "{n}) "], ids=["brackets", "parens", "dot", "paren"]
)
def test_numbered_styles(marker: str) -> None:
    body = "\n".join(
        marker.format(n=n)
        + f"Author{chr(64 + n)} B, Other C. Title number {n}. J Test. 20{10 + n};{n}:1-{n}."
        for n in range(1, 5)
    )
    entries = split_references("Intro text.\n\nReferences\n" + body + "\n")
    assert [e.number for e in entries] == [1, 2, 3, 4]
    assert entries[2].text.startswith("AuthorC B")


def test_wrapped_numbered_entries_and_page_range_continuation() -> None:
    text = """References
1. Smith J, Jones K. A study of things that
wrap over lines. Blood. 2001;98(3):123-
45.
2. Lee A. Another study. Cancer. 2003;12:1-9.
"""
    entries = split_references(text)
    assert len(entries) == 2
    assert entries[0].text == (
        "Smith J, Jones K. A study of things that wrap over lines. Blood. 2001;98(3):123-45."
    )


def test_apa_unnumbered_list() -> None:
    text = """## References

Smith, J. A., & Jones, B. (2019). Targeted therapy in leukemia. Blood, 12(3), 45-67.
https://doi.org/10.1000/xyz123

Lee, K. (2020). Immune evasion in acute lymphoblastic leukemia. Cancers, 13(7), 1536.
"""
    entries = split_references(text)
    assert len(entries) == 2
    assert "10.1000/xyz123" in entries[0].text  # a URL continuing an entry is kept
    assert entries[1].text.startswith("Lee, K. (2020)")


def test_harvard_hanging_lines_without_blank_separators() -> None:
    text = """Bibliography
Adams, P. and Brown, Q. (2015) 'Relapse in ALL', Leukemia, 29(4), pp. 1-10.
Clark, R. (2016) 'CAR T cells in
children', Blood, 127(2), pp. 20-30.
"""
    entries = split_references(text)
    assert [e.text[:6] for e in entries] == ["Adams,", "Clark,"]


def test_no_reference_list_is_a_clear_error() -> None:
    with pytest.raises(NoReferenceList):
        split_references("Just some prose.\nNo list at all.\n")


def test_numbered_list_without_heading_is_found() -> None:
    text = "Body text.\n\n1. Smith J. A title. Blood. 2001;98:1-2.\n2. Lee K. B title. Cell. 2002;3:4-5.\n3. Kim M. C title. Cancer. 2003;4:5-6.\n"
    assert len(split_references(text)) == 3


def test_numbered_entries_without_a_year_are_kept() -> None:
    text = (
        "References\n1. Smith J. A title. Blood. 2001;98:1-2.\n"
        "2. Genome-wide association study of something. Nature Genetics, 42(1), 24-26.\n"
    )
    assert len(split_references(text)) == 2


def test_two_glued_references_are_split() -> None:
    text = (
        "References\n1. Gillott A, Furniss F, Walter A. Anxiety in high-functioning children "
        "with autism. Autism. 2001;5(3):277. Gosch A, Pankau R. Personality characteristics "
        "of Williams syndrome. Dev Med Child Neurol. 1997;39:527-33.\n"
        "2. Lee K. Another. Blood. 2002;99:3-4.\n"
    )
    entries = split_references(text)
    assert [e.text[:8] for e in entries] == ["Gillott ", "Gosch A,", "Lee K. A"]
    assert entries[0].text.endswith("2001;5(3):277.")


def test_numbered_entries_starting_with_a_particle_or_a_number() -> None:
    text = (
        "References\n\n1. Smith J. Title one. J. 2001;1:1.\n"
        "2. van der Meulen MJ, Ab C. Title two. J. 2002;2:2.\n"
        "3. 1000 Genomes Project Consortium. A map of variation. Nature. 2010;467:1061.\n"
    )
    entries = split_references(text)
    assert [e.number for e in entries] == [1, 2, 3]
    assert entries[1].text.startswith("van der Meulen")
