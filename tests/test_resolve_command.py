"""`citecheck resolve "a reference"`: one entry looked up against the local fake services."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from citecheck.audit import lookup
from citecheck.cli import _describe, main
from citecheck.errors import InputError
from citecheck.model import Author, Finding, Lookup, ParsedReference, Record, ReferenceResult
from citecheck.settings import load_settings
from tests.conftest import ROOT, use_services
from tests.fakeservice import FakeServices
from tests.test_integration import DISTRACTOR as OTHER
from tests.test_integration import PUI

CITED = "Pui CH, Evans WE. Treatment of acute lymphoblastic leukemia. N Engl J Med 2006;354:166-78."


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServices]:
    with FakeServices([PUI, OTHER]) as services:
        use_services(monkeypatch, services, timeout=0.3, retries=0)
        yield services


def resolve(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    code = main(["resolve", *args, "--no-cache"])
    out, err = capsys.readouterr()
    doc = json.loads(out) if "--format" in args and out else out
    return code, doc, err


def test_found_and_consistent(fake: FakeServices, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc, err = resolve(capsys, CITED, "--format", "json")
    assert code == 0, err
    ref = doc["reference"]
    assert ref["status"] == "verified" and ref["findings"] == []
    assert ref["raw"] == CITED and ref["parsed"]["year"] == 2006
    record = ref["record"]
    assert (record["doi"], record["pmid"]) == ("10.5555/all.2006.001", "90000001")
    assert record["authors"] == ["Pui CH", "Evans WE"] and record["pages"] == "166-178"
    assert ref["match_score"] > 0
    assert {lk["outcome"] for lk in ref["lookups"]} >= {"match"}


def test_terminal_shows_record_score_and_lookups(
    fake: FakeServices, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = resolve(capsys, CITED)
    assert code == 0
    assert out.startswith(f"cited:    {CITED}\nstatus:   verified (match score ")
    for line in (
        "  DOI:      10.5555/all.2006.001",
        "  PMID:     90000001",
        "  title:    Treatment of acute lymphoblastic leukemia",
        "  journal:  The New England Journal of Medicine",
        "  year:     2006",
        "  authors:  Pui CH, Evans WE",
        "findings: none",
        "lookups:",
    ):
        assert line in out.splitlines()
    assert "crossref match:" in out


def test_wrong_year_is_a_metadata_finding_with_the_right_value(
    fake: FakeServices, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = CITED.replace("2006;", "2007;")
    code, doc, _err = resolve(capsys, wrong, "--format", "json")
    ref = doc["reference"]
    assert ref["status"] == "problem" and ref["record"]["doi"] == "10.5555/all.2006.001"
    (year,) = ref["findings"]
    assert (year["code"], year["field"], year["cited"], year["record"]) == (
        "field-mismatch",
        "year",
        2007,
        2006,
    )
    assert code == 0  # a warning, below the default --fail-on error, as in `check`
    code, out, _err = resolve(capsys, wrong, "--fail-on", "warning")
    assert code == 1
    assert "  warning field-mismatch (year): " in out
    assert "    the record has: 2006" in out.splitlines()


def test_doi_of_another_work_comes_with_a_suggestion(
    fake: FakeServices, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = resolve(capsys, CITED + " doi:10.5555/other.2006.005")
    assert code == 1
    assert "  error doi-mismatch (doi): " in out
    assert "    suggested: DOI 10.5555/all.2006.001" in out.splitlines()


def test_not_found(fake: FakeServices, capsys: pytest.CaptureFixture[str]) -> None:
    fabricated = (
        "Nobody X, Fabricated Y. A study that was never published on leukemia cures. "
        "J Imaginary Res. 2021;12(3):45-51."
    )
    code, doc, _err = resolve(capsys, fabricated, "--format", "json")
    assert code == 1
    ref = doc["reference"]
    assert ref["status"] == "not_found" and ref["record"] is None
    (nf,) = ref["findings"]
    assert nf["code"] == "not-found" and nf["severity"] == "error"
    assert ref["lookups"] and all(lk["outcome"] == "no_match" for lk in ref["lookups"])


def test_an_outage_is_unverified_never_not_found(
    fake: FakeServices, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.down = True
    code, doc, _err = resolve(capsys, CITED, "--format", "json")
    assert code == 3
    ref = doc["reference"]
    assert ref["status"] == "unverified"
    assert [f["code"] for f in ref["findings"]] == ["unverified"]
    assert any(lk["outcome"] == "failed" for lk in ref["lookups"])


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_an_empty_reference_is_a_usage_error(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = resolve(capsys, text)
    assert code == 2 and out == ""
    assert err == "citecheck: error: the reference is empty\n"


def test_replay_of_a_recorded_seed_reference(capsys: pytest.CaptureFixture[str]) -> None:
    jaffe = (
        "Jaffe ES, Harris NL, Stein H, et al. Classification of lymphoid neoplasms: the "
        "microscope as a tool for disease discovery. Blood. 2008;112(12):4384-99."
    )
    replay = str(ROOT / "cassettes" / "001_ea8cd2c476dabe3b")
    code, doc, err = resolve(capsys, jaffe, "--replay", replay, "--format", "json")
    assert code == 0, err
    ref = doc["reference"]
    assert ref["status"] == "verified" and ref["findings"] == []
    assert ref["record"]["doi"] == "10.1182/blood-2008-07-077982"
    assert ref["record"]["authors"][:2] == ["Jaffe ES", "Harris NL"]


def test_library_function(fake: FakeServices) -> None:
    result = lookup(f"  1. {CITED}\n", load_settings().replace(use_cache=False))
    assert isinstance(result, ReferenceResult)
    assert result.status == "verified" and result.record is not None
    assert result.reference.authors[0] == Author("Pui", "CH")
    with pytest.raises(InputError):
        lookup(" ", load_settings())


def test_terminal_output_passes_no_control_characters() -> None:
    """A service's title is untrusted: no escape sequence reaches the terminal."""
    result = ReferenceResult(
        index=1,
        reference=ParsedReference(raw="Evil\x1b[2J entry"),
        status="problem",
        record=Record(source="crossref", title="Title\x1b]8;;http://x\x07 here\rX"),
        findings=[Finding("field-mismatch", "warning", "bad\x1b[31m", field="title")],
        lookups=[Lookup("crossref", "q\x00", "match")],
    )
    out = _describe(result)
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out and "\x00" not in out
    assert out.count("\n") == 8
