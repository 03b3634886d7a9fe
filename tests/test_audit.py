"""Judging a resolution: statuses, the unparsed and unverified codes, exit codes."""

from __future__ import annotations

import contextlib

from citecheck.audit import Report, judge
from citecheck.ingest import Manuscript
from citecheck.model import Finding, Lookup, ParsedReference
from citecheck.resolve.interface import ServerError, ServiceUnavailable
from citecheck.resolve.resolver import Breaker, Resolution


def test_unreadable_entry_is_unparsed_and_still_looked_up() -> None:
    res = Resolution(ParsedReference(raw="~~ 2019 ~~ 12 ~~ 34 ~~", year=2019))
    res.note("crossref", "bibliographic search", "no_match", "0 candidate(s)")
    res.note("pubmed", "search by title", "no_match", "no hits")
    result = judge(1, res)
    assert [f.code for f in result.findings] == ["unparsed", "not-found"]
    assert result.status == "not_found"


def test_one_failed_lookup_makes_an_unmatched_entry_unverified() -> None:
    res = Resolution(ParsedReference(raw="x", title="A title", container="Blood"))
    res.note("crossref", "bibliographic search", "no_match", "")
    res.note("pubmed", "citation match", "failed", "HTTP 503")
    result = judge(3, res)
    assert result.status == "unverified"
    (finding,) = result.findings
    assert finding.code == "unverified" and "pubmed: HTTP 503" in finding.message
    assert (
        result.to_dict()["lookups"][1]
        == Lookup("pubmed", "citation match", "failed", "HTTP 503").to_dict()
    )


def test_exit_codes() -> None:
    manuscript = Manuscript(path="m", text="", encoding="utf-8")
    ok = judge(1, Resolution(ParsedReference(raw="x", title="T", container="J")))
    report = Report(manuscript, [ok])
    ok.status = "verified"
    ok.findings = []
    assert report.exit_code("error") == 0
    ok.findings = [Finding("field-mismatch", "warning", "m")]
    assert report.exit_code("error") == 0 and report.exit_code("warning") == 1
    assert report.exit_code("never") == 0
    ok.status, ok.findings = "unverified", [Finding("unverified", "warning", "m")]
    assert report.exit_code("warning") == 3  # incomplete, not "findings"


def test_breaker_stops_asking_a_failing_service() -> None:
    breaker = Breaker(threshold=2)
    calls = []

    def failing() -> None:
        calls.append(1)
        raise ServerError("crossref", "HTTP 503")

    for _ in range(5):
        with contextlib.suppress(ServerError, ServiceUnavailable):
            breaker.call("crossref", failing)
    assert len(calls) == 2 and breaker.is_open("crossref") and not breaker.is_open("pubmed")


def test_repeated_author_dash_inherits_the_authors() -> None:
    from citecheck.audit import parse

    text = (
        "References\n1. Smith J, Jones K. First title. Blood. 2001;98:1-2.\n"
        "2. ———. Second title. Blood. 2002;99:3-4.\n"
    )
    _, second = parse(Manuscript(path="m", text=text, encoding="utf-8"))
    assert second.title == "Second title"
    assert [a.family for a in second.authors] == ["Smith", "Jones"]


def test_an_entry_nothing_could_be_asked_about_is_not_called_missing() -> None:
    result = judge(2, Resolution(ParsedReference(raw="Ibid., 2019.", year=2019)))
    assert result.status == "unverified"
    assert [f.code for f in result.findings] == ["unparsed", "unverified"]
