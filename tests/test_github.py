"""GitHub Actions: annotations on stderr and the job summary, only inside Actions."""

from __future__ import annotations

from pathlib import Path

import pytest

from citecheck.audit import Report
from citecheck.cli import main
from citecheck.ingest.manuscript import Manuscript
from citecheck.model import Finding, ParsedReference, ReferenceResult
from citecheck.report.github import LIMIT, commands
from tests.conftest import ROOT, SEED

CASSETTES = ROOT / "cassettes" / "001_ea8cd2c476dabe3b"


def test_seed_in_github_actions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(ROOT))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code = main(["check", str(SEED), "--replay", str(CASSETTES), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 1
    assert out.startswith("{")  # the report on stdout is untouched
    lines = [line for line in err.splitlines() if line.startswith("::")]
    assert (
        lines[0].startswith("::error file=examples/001_ea8cd2c476dabe3b.txt,title=")
        and "title=citecheck CC141 reference-list-off-topic::" in lines[0]
    )
    warnings = [c for c in lines if c.startswith("::warning ")]
    assert len(warnings) >= 5 and all(",line=" in c for c in warnings)
    assert sum("CC140 off-topic" in c for c in warnings) == 9
    assert sum(" unverified::" in c for c in warnings) == 4  # honest about what was not checked
    assert any(c.startswith("::notice ") and "CC140 off-topic" in c for c in lines)  # entry 1
    text = summary.read_text()
    assert text.startswith("earlier step\n# citecheck report")  # appended, not replaced


def test_nothing_outside_github_actions(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(SEED), "--replay", str(CASSETTES), "--format", "json"])
    assert "::" not in capsys.readouterr().err


def _report(findings: list[Finding], path: str = "dir, one/paper:1.md") -> Report:
    manuscript = Manuscript(path=path, text="", encoding="utf-8", title=None, format="text")
    ref = ParsedReference(raw="1. A", line=7)
    return Report(manuscript, [ReferenceResult(1, ref, "problem", findings=findings)])


def test_values_are_escaped_so_a_message_cannot_inject_commands() -> None:
    f = Finding("off-topic", "warning", "100% off\n::error::injected\r", suggestion="x,y")
    (line,) = commands(_report([f]), env={"GITHUB_WORKSPACE": "/nowhere"})
    assert line.startswith("::warning file=dir%2C one/paper%3A1.md,line=7,title=")
    assert "\n" not in line and "\r" not in line
    assert line.endswith("::[1] 100%25 off%0A::error::injected%0D Suggested: x,y")


def test_annotations_are_capped_most_severe_first() -> None:
    findings = [Finding("off-topic", "warning", f"w{i}", line=i) for i in range(LIMIT)]
    findings.append(Finding("not-found", "error", "gone", line=999))
    out = commands(_report(findings), env={})
    assert len(out) == LIMIT + 1
    assert out[0].startswith("::error ")
    assert out[-1].endswith("::1 more finding(s) are in the citecheck report")


def test_pdf_findings_name_the_page_not_a_line() -> None:
    manuscript = Manuscript(
        path="paper.pdf", text="a\nb\nc", encoding="utf-8", format="pdf", pages=(1, 1, 2)
    )
    ref = ParsedReference(raw="1. A", line=3)
    report = Report(
        manuscript,
        [ReferenceResult(1, ref, "problem", findings=[Finding("off-topic", "warning", "m")])],
    )
    (line,) = commands(report, env={})
    assert line.startswith("::warning file=paper.pdf,title=") and ",line=" not in line
    assert line.endswith("::(page 2) [1] m")
