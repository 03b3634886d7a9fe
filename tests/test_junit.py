"""JUnit XML: parsed back, counted, escaped."""

from __future__ import annotations

from defusedxml import ElementTree

from citecheck.audit import Report
from citecheck.checks.codes import finding
from citecheck.cli import main
from citecheck.ingest import Manuscript
from citecheck.model import ParsedReference, ReferenceResult
from citecheck.report.junit import to_junit
from tests.conftest import ROOT, SEED

CASSETTES = ROOT / "cassettes" / "001_ea8cd2c476dabe3b"


def report(fail_on: str = "error") -> Report:
    hostile = "<script>alert(1)</script> & ]]> Title"
    refs = [
        ReferenceResult(
            1,
            ParsedReference(raw=f"A B. {hostile}. J. 2001;1:1.", line=10),
            status="problem",
            findings=[finding("retracted", f"Retracted: {hostile}", line=10)],
        ),
        ReferenceResult(
            2,
            ParsedReference(raw="C D. Fine. J. 2002;2:2.", line=11),
            status="verified",
            findings=[finding("corrected", "Corrected.", line=11)],
        ),
        ReferenceResult(
            3,
            ParsedReference(raw="E F. Unknown. J. 2003;3:3.", line=12),
            findings=[finding("unverified", "Could not be checked: crossref: timeout.", line=12)],
        ),
    ]
    doc = [finding("missing-reference", "The text cites [9].", line=3)]
    return Report(
        manuscript=Manuscript(path="paper.md", text="", encoding="utf-8"),
        references=refs,
        findings=doc,
        fail_on=fail_on,
    )


def test_one_case_per_reference_failures_at_fail_on_skips_for_unverified() -> None:
    root = ElementTree.fromstring(to_junit(report()).encode())
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("4", "2", "1")
    cases = suite.findall("testcase")
    assert [c.get("line") for c in cases] == ["10", "11", "12", None]
    failure = cases[0].find("failure")
    assert failure is not None and failure.get("type") == "CC150 retracted"
    assert "<script>alert(1)</script> & ]]>" in (failure.get("message") or "")  # escaped, intact
    assert cases[1].find("failure") is None and "CC153 corrected" in cases[1].findtext("system-out")
    assert cases[2].find("skipped") is not None
    assert cases[3].get("name") == "manuscript" and cases[3].find("failure") is not None


def test_fail_on_moves_the_line() -> None:
    strict = ElementTree.fromstring(to_junit(report("info")).encode()).find("testsuite")
    lenient = ElementTree.fromstring(to_junit(report("never")).encode()).find("testsuite")
    assert strict is not None and lenient is not None
    assert strict.get("failures") == "3" and lenient.get("failures") == "0"


def test_cli_junit_on_the_seed(capsys) -> None:  # type: ignore[no-untyped-def]
    code = main(["check", str(SEED), "--replay", str(CASSETTES), "--format", "junit"])
    out, _ = capsys.readouterr()
    suite = ElementTree.fromstring(out.encode()).find("testsuite")
    assert code == 1 and suite is not None
    # 10 references + the list-level off-topic error; 4 not in the recorded evidence
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("11", "1", "4")
