"""The same work listed twice."""

from __future__ import annotations

from citecheck.checks.duplicates import check_duplicates
from citecheck.model import Author, ParsedReference, Record, ReferenceResult


def result(index: int, record: Record | None = None, **fields: object) -> ReferenceResult:
    ref = ParsedReference(raw=f"entry {index}", line=100 + index, **fields)  # type: ignore[arg-type]
    return ReferenceResult(index=index, reference=ref, record=record)


def codes(results: list[ReferenceResult]) -> list[list[str]]:
    return [[f.code for f in r.findings] for r in results]


def test_same_doi_written_twice() -> None:
    results = [result(1, doi="10.1/abc"), result(2), result(3, doi="10.1/ABC")]
    check_duplicates(results)
    assert codes(results) == [[], [], ["duplicate"]]
    (f,) = results[2].findings
    assert f.line == 103 and "entry 1 (line 101): same DOI 10.1/abc" in f.message
    assert f.suggestion == "remove entry 3 and cite entry 1 instead"


def test_two_differently_written_entries_resolving_to_one_record() -> None:
    rec = Record(source="pubmed", pmid="25207766", doi="10.1200/jco.2014.56.0000")
    results = [result(1, rec, title="Treatment of ALL"), result(2, rec, title="ALL treatment")]
    check_duplicates(results)
    assert codes(results) == [[], ["duplicate"]]


def test_same_author_year_volume_page_without_identifiers() -> None:
    a = dict(authors=(Author("Pui", "CH"),), year=2015, volume="33", pages="2938-48")
    results = [result(1, **a, title="One"), result(2, **a, title="Other spelling")]
    check_duplicates(results)
    assert "same first author, year, volume and first page" in results[1].findings[0].message


def test_different_works_are_not_duplicates() -> None:
    results = [
        result(1, authors=(Author("Pui", "CH"),), year=2015, volume="33", pages="2938-48"),
        result(2, authors=(Author("Pui", "CH"),), year=2015, volume="34", pages="2938-48"),
        result(3, Record(source="crossref", doi="10.1/a")),
        result(4, Record(source="crossref", doi="10.1/b")),
    ]
    check_duplicates(results)
    assert codes(results) == [[], [], [], []]
