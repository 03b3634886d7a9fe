"""Batch audits: a folder of good, bad and broken files; the index; --resume; interrupts."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import lxml.html
import pytest

from citecheck import batch
from citecheck.cli import main
from tests.conftest import ROOT, SEED, use_services
from tests.fakeservice import FakeServices
from tests.test_integration import PUI, SANDLUND

CASSETTES = ROOT / "cassettes" / "001_ea8cd2c476dabe3b"
DATA = ROOT / "tests" / "data"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Submissions as an editor gets them: two good, four broken, and files to leave alone."""
    d = tmp_path / "submissions"
    (d / "round2").mkdir(parents=True)
    shutil.copy(SEED, d / "seed.txt")
    shutil.copy(DATA / "html_seed.html", d / "round2" / "seed.html")
    (d / "junk.pdf").write_bytes(os.urandom(2048))
    (d / "empty.txt").write_bytes(b"")
    shutil.copy(DATA / "docx_truncated.docx", d / "truncated.docx")
    (d / "=HYPERLINK(1).txt").write_text("no reference list here\n")
    (d / "round2" / "chapter.tex").write_text("\\section{Methods} see \\cite{x}\n")  # \input
    (d / "references.bib").write_text("@article{x, title={T}}\n")  # a bibliography
    (d / ".hidden.txt").write_text("x")
    return d


def run(*args: str) -> int:
    return main(["check", *args, "--replay", str(CASSETTES)])


def rows(out: Path) -> list[dict[str, str]]:
    with open(out / "index.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_batch_over_a_folder(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reports"
    code = run(str(folder), "--output-dir", str(out))
    err = capsys.readouterr().err
    assert code == 1  # the seed fails; the broken files did not stop the batch
    index = rows(out)
    by_name = {r["manuscript"]: r for r in index}
    assert set(by_name) == {
        "seed.txt",
        "round2/seed.html",
        "junk.pdf",
        "empty.txt",
        "truncated.docx",
        "'=HYPERLINK(1).txt",  # a file name that is a formula, neutralised for spreadsheets
    }
    # Ranked: what cannot be read first, then failing manuscripts by errors and warnings.
    assert [r["status"] for r in index] == ["unreadable"] * 4 + ["failing"] * 2
    assert [r["rank"] for r in index] == [str(i) for i in range(1, 7)]
    assert by_name["empty.txt"]["error"].endswith("empty file")
    assert "no reference list" in by_name["'=HYPERLINK(1).txt"]["error"].lower()
    seed = by_name["seed.txt"]
    assert (seed["references"], seed["errors"], seed["warnings"]) == ("10", "1", "9")
    assert seed["report"] == "seed.txt.html"
    assert by_name["round2/seed.html"]["report"] == "round2/seed.html.html"
    for name in ("seed.txt", "round2/seed.html"):
        data = json.loads((out / f"{name}.json").read_text())
        assert data["summary"]["references"] == 10
        assert (out / f"{name}.html").read_text().startswith("<!DOCTYPE html>")
    assert "failing" in err and "unreadable" in err and "index:" in err

    assert ",=HYPERLINK" not in (out / "index.csv").read_text()

    page = lxml.html.fromstring((out / "index.html").read_text())
    links = [a.get("href") for a in page.iter("a")]
    assert "./seed.txt.html" in links and "./round2/seed.html.html" in links
    assert all(h.startswith("./") for h in links)
    assert len(page.xpath("//tbody/tr")) == 6


SMALL = """# Treating leukemia

Treatment has changed [1]. Lymphoma differs [2].

## References

1. Pui CH, Evans WE. Treatment of acute lymphoblastic leukemia. N Engl J Med. 2006;354(2):166-78.
2. Sandlund JT, Downing JR, Crist WM. Non-Hodgkin's lymphoma in childhood. N Engl J Med. 1996;334:1238-48.
"""


def test_resume_reuses_complete_reports_and_redoes_changed_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.md", "b.md"):
        (folder / name).write_text(SMALL)
    out = tmp_path / "reports"
    args = ["check", str(folder), "--output-dir", str(out), "--format", "json", "--no-relevance"]
    with FakeServices([PUI, SANDLUND]) as services:
        use_services(monkeypatch, services, timeout=2, retries=1)
        assert main(args) == 0
        first = (out / "a.md.json").stat().st_mtime_ns
        requests = len(services.requests)
        capsys.readouterr()
        assert main([*args, "--resume"]) == 0
        assert "(2 from earlier reports)" in capsys.readouterr().err
        assert (out / "a.md.json").stat().st_mtime_ns == first
        assert len(services.requests) == requests  # nothing asked again

        later = (out / "b.md.json").stat().st_mtime + 10
        os.utime(folder / "b.md", (later, later))
        assert main([*args, "--resume"]) == 0
        assert "(1 from earlier reports)" in capsys.readouterr().err
    assert [r["status"] for r in rows(out)] == ["clean", "clean"]


def test_resume_redoes_incomplete_reports(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The seed's replay leaves 4 references unverified: such a report gets another try."""
    out = tmp_path / "reports"
    run(str(folder), "--output-dir", str(out), "--format", "json")
    capsys.readouterr()
    assert run(str(folder), "--output-dir", str(out), "--format", "json", "--resume") == 1
    assert "(0 from earlier reports)" in capsys.readouterr().err


def test_a_crash_is_reported_and_the_batch_goes_on(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = batch.check

    def flaky(path: Path, *args: object) -> object:
        if path.name == "seed.html":
            raise RuntimeError("boom")
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "check", flaky)
    out = tmp_path / "reports"
    assert run(str(folder), "--output-dir", str(out), "--jobs", "1") == 1  # patched here
    crashed = next(r for r in rows(out) if r["status"] == "crashed")
    assert crashed["manuscript"] == "round2/seed.html"
    assert crashed["error"] == "internal error: RuntimeError('boom')"


def test_interrupt_keeps_an_index_of_what_finished(
    folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real = batch.check

    def interrupted(path: Path, *args: object) -> object:
        if path.name == "seed.txt":
            raise KeyboardInterrupt
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "check", interrupted)
    out = tmp_path / "reports"
    assert run(str(folder), "--output-dir", str(out), "--jobs", "1") == 130  # patched here
    done = {r["manuscript"] for r in rows(out)}
    assert "seed.txt" not in done and "empty.txt" in done  # sorted order: empty before seed
    assert "interrupted" in capsys.readouterr().err


def test_files_given_one_by_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "x" / "001_ea8cd2c476dabe3b.txt"
    other.parent.mkdir()
    shutil.copy(SEED, other)
    out = tmp_path / "reports"
    assert run(str(SEED), str(other), "--output-dir", str(out), "--format", "markdown") == 1
    names = [r["manuscript"] for r in rows(out)]
    assert sorted(names) == ["001_ea8cd2c476dabe3b-2.txt", "001_ea8cd2c476dabe3b.txt"]
    assert (out / "001_ea8cd2c476dabe3b-2.txt.md").read_text().startswith("# citecheck report")


def test_batch_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(str(empty), "--output-dir", str(tmp_path / "o")) == 2
    assert "no manuscripts found" in capsys.readouterr().err
    assert run(str(SEED), str(SEED), "-o", str(tmp_path / "r.json")) == 2
    assert "use --output-dir" in capsys.readouterr().err


def test_exit_code_precedence() -> None:
    def outcome(code: int) -> batch.Outcome:
        return batch.Outcome(Path("x"), "x", "clean", code)

    assert batch.exit_code([outcome(0), outcome(3), outcome(2)]) == 2
    assert batch.exit_code([outcome(2), outcome(1)]) == 1
    assert batch.exit_code([outcome(0), outcome(3)]) == 3
    assert batch.exit_code([outcome(0)]) == 0
