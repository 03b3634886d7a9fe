"""Property tests: no input makes the reading stages crash, hang or invent identifiers."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck.errors import InputError
from citecheck.ingest.text import decode
from citecheck.references import NoReferenceList, parse_reference, split_references

PIECES = st.sampled_from(
    [
        "Smith J",
        "Jones AB",
        "et al.",
        "et al",
        ". ",
        ", ",
        "; ",
        ": ",
        "(",
        ")",
        "[1] ",
        "1. ",
        "2019",
        "2019;",
        "33(2):249-260",
        "e0213475",
        "doi:10.1000/x.1",
        "10.",
        "PMID: 123",
        "N Engl J Med",
        "J. Biol. Chem.",
        "“",
        "”",
        "'",
        "&",
        "and",
        " ",
        "\n",
        "References\n",
        "https://x.org/a",
        "¢",
        "?",
        "-",
        "–",
        "Title of a study",
        "Blood",
        "vol. 3",
        "pp. 1-2",
    ]
)
TEXT = st.lists(PIECES | st.text(string.printable + "éüø–—“”’", max_size=20), max_size=60).map(
    "".join
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_parse_reference_never_fails_and_keeps_raw(raw: str) -> None:
    parsed = parse_reference(raw)
    assert parsed.raw == raw
    if parsed.doi:
        assert parsed.doi.startswith("10.") and parsed.doi.replace(" ", "") in raw.lower().replace(
            " ", ""
        ).replace("\n", "")
    if parsed.year is not None:
        assert str(parsed.year) in raw


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_split_references_either_splits_or_says_why(text: str) -> None:
    try:
        entries = split_references(text)
    except NoReferenceList:
        return
    assert entries and all(e.text.strip() and e.line >= 1 for e in entries)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048))
def test_decode_accepts_text_or_raises_input_error(data: bytes) -> None:
    try:
        text, _ = decode(data)
    except InputError:
        return
    assert isinstance(text, str)


@pytest.mark.parametrize(
    "raw",
    [
        "A" * 20000,
        "Smith J, " * 3000 + "Title. Blood. 2001;1:2.",
        "(" * 5000 + "2019" + ")" * 5000,
        "1. " * 5000,
        "10.1000/" + "x" * 10000,
        ". " * 10000,
    ],
    ids=["long-word", "many-authors", "parens", "markers", "long-doi", "dots"],
)
def test_pathological_entries_terminate(raw: str) -> None:
    """Inputs that make naive regexes backtrack for ever (speed itself is benchmarked)."""
    assert parse_reference(raw).raw == raw
