"""Parsing single entries into fields."""

from __future__ import annotations

import pytest

from citecheck.references import parse_reference, split_references
from tests.conftest import SEED


@pytest.fixture(scope="module")
def seed():
    return [parse_reference(e.text, e.line) for e in split_references(SEED.read_text("utf-8"))]


def test_seed_fields(seed) -> None:
    ott, janz, barker, blakely, cho, gurney, downing, jaffe, mbul, klapper = seed
    assert (ott.authors[0].family, ott.authors[0].initials) == ("Ott", "PA")
    assert ott.title == "Intralesional Cancer Immunotherapies"
    assert ott.container == "Hematol Oncol Clin North Am"
    assert (ott.year, ott.volume, ott.issue, ott.pages) == (2019, "33", "2", "249-260")
    assert [str(a) for a in janz.authors] == ["Janz TA", "Neskey DM", "Nguyen SA"] and janz.et_al
    assert janz.title.endswith("neck melanomas?")
    assert barker.issue == "5S" and barker.container == "J Natl Compr Canc Netw"
    assert blakely.title.startswith("Suboptimal compliance") and blakely.et_al
    assert (blakely.year, blakely.volume, blakely.issue, blakely.pages) == (
        2018,
        "41",
        "8",
        "754-759",
    )
    assert cho.pages == "e0213475"  # OCR "¢0213475" repaired
    assert [a.family for a in cho.authors] == ["Cho", "Lee", "Jo"]
    assert gurney.title.startswith("Incidence of cancer in children in the United States. Sex-")
    assert [a.family for a in downing.authors][-1] == "Crist"
    assert downing.container == "N engl J Med" and downing.volume == "334" and downing.issue is None
    assert jaffe.pages == "4384-99" and jaffe.container == "Blood"
    assert mbul.container == "Pediatr Blood Canc" and mbul.pages == "366-70"
    assert klapper.title.startswith("Molecular profiling of pediatric mature B-cell lymphoma")
    assert all(r.doi is None and r.pmid is None for r in seed)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Smith J, Jones K. Title here. N Engl J Med. 2020;382(8):727-733. doi:10.1056/NEJMoa2001017. PMID: 31978945",
            {"doi": "10.1056/nejmoa2001017", "pmid": "31978945", "year": 2020, "pages": "727-733"},
        ),
        (
            "Smith, J. A., & Jones, B. (2019). Targeted therapy in leukemia. Blood, 12(3), 45-67. https://doi.org/10.1000/XYZ123",
            {
                "title": "Targeted therapy in leukemia",
                "container": "Blood",
                "year": 2019,
                "volume": "12",
                "issue": "3",
                "pages": "45-67",
                "doi": "10.1000/xyz123",
            },
        ),
        (
            "LeCun, Y., Bengio, Y. & Hinton, G. Deep learning. Nature 521, 436–444 (2015).",
            {
                "title": "Deep learning",
                "container": "Nature",
                "year": 2015,
                "volume": "521",
                "pages": "436-444",
            },
        ),
        (
            "Adams, P. and Brown, Q. (2015) 'Relapse in ALL', Leukemia, 29(4), pp. 1-10.",
            {"title": "Relapse in ALL", "container": "Leukemia", "year": 2015, "pages": "1-10"},
        ),
        (
            'Smith, John, and Bob Jones. 2019. "Targeted Therapy." Blood 12 (3): 45–67.',
            {"title": "Targeted Therapy", "container": "Blood", "year": 2019, "volume": "12"},
        ),
        (
            "Pui CH, Evans WE. Treatment of acute lymphoblastic leukemia. N Engl J Med 2006;354:166-78.",
            {
                "title": "Treatment of acute lymphoblastic leukemia",
                "container": "N Engl J Med",
                "year": 2006,
                "volume": "354",
                "pages": "166-78",
            },
        ),
    ],
    ids=["ama-ids", "apa", "nature", "harvard", "chicago", "vancouver-no-period"],
)
def test_styles(raw: str, expected: dict) -> None:
    parsed = parse_reference(raw)
    got = {k: getattr(parsed, k) for k in expected}
    assert got == expected
    assert parsed.raw == raw


def test_first_authors_across_styles() -> None:
    assert (
        parse_reference("Smith, J. A., & Jones, B. (2019). T. Blood, 1, 2-3.").authors[0].family
        == "Smith"
    )
    nature = parse_reference(
        "LeCun, Y., Bengio, Y. & Hinton, G. Deep learning. Nature 521, 436–444 (2015)."
    )
    assert [a.family for a in nature.authors] == ["LeCun", "Bengio", "Hinton"]


def test_doi_with_parentheses_is_kept_whole() -> None:
    raw = "Gurney JG. Incidence. Cancer. 1995;75(8):2186-95. doi:10.1002/1097-0142(19950415)75:8<2186::AID-CNCR2820750825>3.0.CO;2-F"
    assert (
        parse_reference(raw).doi
        == "10.1002/1097-0142(19950415)75:8<2186::aid-cncr2820750825>3.0.co;2-f"
    )
