"""The CLI end to end: the seed article through its cassettes, and every bad-input path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from citecheck.cli import main
from tests.conftest import ROOT, SEED

CASSETTES = ROOT / "cassettes" / "001_ea8cd2c476dabe3b"


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_seed_replay_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        "check", str(SEED), "--replay", str(CASSETTES), "--format", "json", capsys=capsys
    )
    report = json.loads(out)
    assert code == 1, err  # the list-level off-topic finding is an error
    assert report["schema_version"] == "1.4"
    assert report["tool"]["name"] == "citecheck"
    assert report["summary"] | {"requests": 0, "seconds": 0} == {
        "references": 10,
        "verified": 6,
        "problems": 0,
        "not_found": 0,
        "unverified": 4,
        "off_topic": 9,
        "retracted": 0,
        "suppressed": 0,
        "requests": 0,
        "seconds": 0,
    }
    refs = report["references"]
    assert [r["index"] for r in refs] == list(range(1, 11))
    assert [r["status"] for r in refs] == [
        "unverified",
        "unverified",
        "verified",
        "verified",
        "verified",
        "verified",
        "unverified",
        "verified",
        "verified",
        "unverified",
    ]
    assert refs[7]["record"]["doi"] == "10.1182/blood-2008-07-077982"
    assert refs[7]["record"]["pmid"] == "19029456"  # cross-linked from PubMed
    assert refs[7]["record"]["source"] == "crossref+pubmed"
    # "et al." lists (2, 4, 5) and the truncated title (5) raise no mismatch.
    bibliographic = [[f for f in r["findings"] if f["code"] != "off-topic"] for r in refs]
    assert all(
        not found for r, found in zip(refs, bibliographic, strict=True) if r["status"] == "verified"
    )
    for r, found in zip(refs, bibliographic, strict=True):
        if r["status"] == "unverified":
            (finding,) = found
            assert finding["code"] == "unverified"
            assert "not in the recorded evidence" in finding["message"]
        assert 0 <= r["relevance"]["score"] <= 1
    assert refs[0]["parsed"]["title"] == "Intralesional Cancer Immunotherapies"
    assert refs[6]["line"] == 138
    # The off-topic check: melanoma (2-5) and lymphoma (7, 9, 10) references are off-topic,
    # so are cancer incidence in children (6) and the classification of lymphoid neoplasms
    # (8, whose abstract is about lymphomas); the cancer-immunotherapy review (1) is only
    # loosely related.
    off = {
        r["index"]: f["severity"] for r in refs for f in r["findings"] if f["code"] == "off-topic"
    }
    assert off == {1: "info"} | {i: "warning" for i in range(2, 11)}
    melanoma = refs[1]["relevance"]
    assert "Melanoma" in melanoma["reference_topics"]
    assert "Acute lymphoblastic leukemia" in melanoma["manuscript_topics"]
    assert "no shared disease, drug or method concept" in melanoma["explanation"]
    assert "Burkitt" in refs[8]["relevance"]["explanation"]
    (whole,) = report["findings"]
    assert whole["code"] == "reference-list-off-topic" and whole["severity"] == "error"
    assert "9 of 10" in whole["message"]
    assert report["manuscript"]["title"].endswith("acute lymphoblastic leukemia")


def test_markdown_and_terminal_formats(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_file = tmp_path / "report.md"
    code, _, _ = run(
        "check",
        str(SEED),
        "--replay",
        str(CASSETTES),
        "--format",
        "markdown",
        "-o",
        str(out_file),
        capsys=capsys,
    )
    text = out_file.read_text()
    assert code == 1 and "10 references: 6 verified" in text
    assert "https://doi.org/10.1182/blood-2008-07-077982" in text
    code, out, _ = run("check", str(SEED), "--replay", str(CASSETTES), capsys=capsys)
    assert "6 verified" in out and "unverified" in out


def test_fail_on_never_and_ignore(capsys: pytest.CaptureFixture[str]) -> None:
    def seed_json(*extra: str) -> tuple[int, list[dict]]:
        code, out, _ = run(
            "check",
            str(SEED),
            "--replay",
            str(CASSETTES),
            "--format",
            "json",
            *extra,
            capsys=capsys,
        )
        return code, json.loads(out)["references"]

    code, refs = seed_json("--ignore", "unverified")
    assert code == 1  # the off-topic list is still an error
    assert all(f["code"] == "off-topic" for r in refs for f in r["findings"])
    code, refs = seed_json("--ignore", "unverified", "--no-relevance")
    assert code == 3  # ignoring the finding does not make an incomplete run complete
    assert all(not r["findings"] for r in refs)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"\x00\x01\x02binary\x00junk" * 100, "binary"),
        (bytes(range(256)) * 50, "binary"),
        (b"Just prose, no references at all.\n", "no reference list"),
    ],
    ids=["empty", "nul-bytes", "random-bytes", "no-references"],
)
def test_bad_input_is_one_line_exit_2(
    content: bytes, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "in.txt"
    path.write_bytes(content)
    code, out, err = run("check", str(path), "--replay", str(CASSETTES), capsys=capsys)
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_missing_file_directory_and_huge_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("check", str(tmp_path / "nope.txt"), capsys=capsys)[0] == 2
    code, _, err = run("check", str(tmp_path), capsys=capsys)
    assert code == 2 and "directory" in err
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.seek(50 * 1024 * 1024)
        fh.write(b"x")
    code, _, err = run("check", str(big), capsys=capsys)
    assert code == 2 and "larger than" in err


def test_other_encodings_are_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = SEED.read_text(encoding="utf-8").replace("’", "'").replace("¢", "e")
    for encoding in ("utf-16", "cp1252", "utf-8-sig"):
        path = tmp_path / f"seed-{encoding}.txt"
        path.write_bytes(text.encode(encoding))
        _code, out, _ = run(
            "check", str(path), "--replay", str(CASSETTES), "--format", "json", capsys=capsys
        )
        assert json.loads(out)["summary"]["references"] == 10, encoding


def test_html_in_titles_is_escaped_in_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "m.md"
    path.write_text(
        "# <script>alert(1)</script> study\n\nReferences\n\n"
        "1. Smith J. A <b>bold</b> title. Blood. 2001;98:1-2.\n",
        encoding="utf-8",
    )
    _code, out, _ = run(
        "check", str(path), "--replay", str(CASSETTES), "--format", "markdown", capsys=capsys
    )
    assert "<script>" not in out and "<b>" not in out and "&lt;b&gt;" in out


def test_config_errors_are_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "citecheck.toml").write_text('fail_on = "sometimes"\n')
    code, _, err = run("check", str(SEED), capsys=capsys)
    assert code == 2 and "fail_on" in err
    (tmp_path / "citecheck.toml").write_text('ncbi_api_key = "x"\n')
    code, _, err = run("check", str(SEED), capsys=capsys)
    assert code == 2 and "NCBI_API_KEY" in err


def test_module_entry_point_runs(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "citecheck",
            "check",
            str(SEED),
            "--replay",
            str(CASSETTES),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={
            "PATH": "/usr/bin:/bin",
            "CITECHECK_CACHE_DIR": str(tmp_path / "c"),
            "PYTHONPATH": str(ROOT),
        },
    )
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["summary"]["verified"] == 6
