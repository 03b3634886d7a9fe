"""Accepted findings: config suppressions per reference, and baseline files (issue 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citecheck.cli import main
from citecheck.errors import ConfigError
from citecheck.fingerprints import fingerprint, reference_key
from citecheck.model import Finding, ParsedReference, ReferenceResult
from citecheck.suppress import Suppression, parse_suppressions
from tests.conftest import ROOT, SEED

CASSETTES = ROOT / "cassettes" / "001_ea8cd2c476dabe3b"


def run_seed(
    capsys: pytest.CaptureFixture[str], *extra: str, manuscript: Path = SEED
) -> tuple[int, dict, str]:
    code = main(["check", str(manuscript), "--replay", str(CASSETTES), "--format", "json", *extra])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def active(report: dict) -> list[str]:
    return [f["code"] for f in report["findings"]] + [
        f["code"] for r in report["references"] for f in r["findings"]
    ]


def test_write_baseline_then_only_new_findings_fail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "citecheck-baseline.json"
    code, report, _ = run_seed(capsys)
    assert code == 1
    before = [c for c in active(report) if c != "unverified"]
    assert "reference-list-off-topic" in before and before.count("off-topic") >= 5

    code, report, _ = run_seed(capsys, "--write-baseline", str(baseline))
    assert code == 3  # nothing fails any more; 4 references are still unverified in replay
    assert [c for c in active(report) if c != "unverified"] == []
    assert report["summary"]["suppressed"] == len(before)
    assert {s["reason"] for s in report["suppressed"]} == {"baseline"}
    data = json.loads(baseline.read_text())
    assert data["citecheck_baseline"] == 1
    (entries,) = data["manuscripts"].values()
    assert sorted(e["code"] for e in entries) == sorted(before)
    assert all(e["code"] != "unverified" for e in entries)

    # The same manuscript, edited: lines moved down. Every finding is still recognised.
    moved = tmp_path / SEED.name
    moved.write_text("\n\n\n" + SEED.read_text(encoding="utf-8"), encoding="utf-8")
    data["manuscripts"] = {moved.as_posix(): entries}
    baseline.write_text(json.dumps(data))
    code, report, _ = run_seed(capsys, "--baseline", str(baseline), manuscript=moved)
    assert code == 3
    assert report["summary"]["suppressed"] == len(before)
    assert not any("baseline:" in n for n in report["notes"])

    # One accepted finding dropped from the baseline: that one fails again, and only it.
    dropped = next(e for e in entries if e["code"] == "reference-list-off-topic")
    data["manuscripts"] = {moved.as_posix(): [e for e in entries if e is not dropped]}
    baseline.write_text(json.dumps(data))
    code, report, _ = run_seed(capsys, "--baseline", str(baseline), manuscript=moved)
    assert code == 1
    assert [c for c in active(report) if c != "unverified"] == ["reference-list-off-topic"]
    assert report["findings"][0]["fingerprint"] == dropped["fingerprint"]


def test_stale_baseline_entries_are_noted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "b.json"
    run_seed(capsys, "--write-baseline", str(baseline))
    data = json.loads(baseline.read_text())
    (key,) = data["manuscripts"]
    data["manuscripts"][key].append(
        {"fingerprint": "0" * 32, "code": "not-found", "reference": "gone", "message": "fixed"}
    )
    baseline.write_text(json.dumps(data))
    _, report, _ = run_seed(capsys, "--baseline", str(baseline))
    assert any("1 accepted finding(s) no longer occur" in n for n in report["notes"])


def test_write_baseline_keeps_other_manuscripts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "b.json"
    other = {"fingerprint": "f" * 32, "code": "off-topic", "reference": "x", "message": "m"}
    baseline.write_text(
        json.dumps({"citecheck_baseline": 1, "manuscripts": {"other/paper.md": [other]}})
    )
    run_seed(capsys, "--write-baseline", str(baseline))
    data = json.loads(baseline.read_text())
    assert data["manuscripts"]["other/paper.md"] == [other]
    assert len(data["manuscripts"]) == 2


@pytest.mark.parametrize(
    "content",
    ["not json", '{"manuscripts": {}}', '{"citecheck_baseline": 99}'],
)
def test_bad_baseline_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    baseline = tmp_path / "b.json"
    baseline.write_text(content)
    code = main(["check", str(SEED), "--replay", str(CASSETTES), "--baseline", str(baseline)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("citecheck: error:") and "baseline" in err and len(err.splitlines()) == 1


def test_missing_baseline_file_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["check", str(SEED), "--baseline", str(tmp_path / "nope.json")])
    assert code == 2
    assert "baseline file not found" in capsys.readouterr().err


def test_config_suppression_per_reference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "citecheck.toml").write_text(
        "[[suppress]]\n"
        'reference = "3"\n'
        'codes = ["CC140"]\n'
        'reason = "cited for the staging system"\n'
        "[[suppress]]\n"
        'codes = ["reference-list-off-topic"]\n'
    )
    monkeypatch.chdir(tmp_path)
    code, report, _ = run_seed(capsys)
    by_index = {s["index"]: s for s in report["suppressed"]}
    assert by_index[3]["reason"] == "config: cited for the staging system"
    assert by_index[3]["finding"]["code"] == "off-topic"
    assert by_index[None]["finding"]["code"] == "reference-list-off-topic"
    assert not any(f["code"] == "off-topic" for f in report["references"][2]["findings"])
    assert any(f["code"] == "off-topic" for f in report["references"][3]["findings"])
    assert code == 3  # the other off-topic entries are warnings; the error was suppressed


def test_unknown_code_in_suppression_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "citecheck.toml").write_text('[[suppress]]\ncodes = ["CC999"]\n')
    monkeypatch.chdir(tmp_path)
    assert main(["check", str(SEED)]) == 2
    assert "unknown finding code 'CC999'" in capsys.readouterr().err


def test_suppression_selectors() -> None:
    ref = ParsedReference(
        raw="7. Pui CH, Evans WE. Treatment of acute lymphoblastic leukemia. N Engl J Med 2006",
        doi="10.1056/NEJMra052603",
        pmid="16407512",
        number=7,
    )
    result = ReferenceResult(index=7, reference=ref)
    f = Finding("off-topic", "warning", "m")
    assert Suppression(reference="10.1056/nejmra052603").applies(f, result)
    assert Suppression(reference="doi:10.1056/NEJMra052603").applies(f, result)
    assert Suppression(reference="pmid:16407512").applies(f, result)
    assert Suppression(reference="7").applies(f, result)
    assert Suppression(reference="treatment of  ACUTE lymphoblastic").applies(f, result)
    assert Suppression(reference="*").applies(f, result)
    assert not Suppression(reference="8").applies(f, result)
    assert not Suppression(reference="pmid:1").applies(f, result)
    assert not Suppression(reference="10.1056/other").applies(f, result)
    assert not Suppression(codes=("not-found",), reference="7").applies(f, result)
    assert not Suppression(reference="7").applies(f, None)  # the document is not entry 7
    assert Suppression(codes=("off-topic",)).applies(f, None)


def test_parse_suppressions_errors() -> None:
    assert parse_suppressions([{"code": "cc140"}])[0].codes == ("off-topic",)
    with pytest.raises(ConfigError, match="list of tables"):
        parse_suppressions({"codes": []})
    with pytest.raises(ConfigError, match="unknown key"):
        parse_suppressions([{"refrence": "1"}])


def test_fingerprints_ignore_position_but_not_identity() -> None:
    a = ParsedReference(raw="1. Smith J. A title. J. 2019;1:2.", line=10, number=1)
    moved = ParsedReference(raw="4. Smith J. A title. J. 2019;1:2.", line=90, number=4)
    other = ParsedReference(raw="1. Jones K. Other. J. 2019;1:2.", line=10, number=1)
    f = Finding("off-topic", "warning", "m", line=10)
    assert fingerprint(f, a) == fingerprint(Finding("off-topic", "warning", "n", line=90), moved)
    assert fingerprint(f, a) != fingerprint(f, other)
    assert fingerprint(f, a) != fingerprint(Finding("not-found", "error", "m"), a)
    assert reference_key(ParsedReference(raw="x", doi="10.1/AbC")) == "doi:10.1/abc"
    missing = Finding("missing-reference", "error", "m", cited="[12]")
    assert fingerprint(missing) != fingerprint(
        Finding("missing-reference", "error", "m", cited="[13]")
    )
    order = Finding("citation-order", "info", "m", cited="first citations in order: 1, 3, 2")
    assert fingerprint(order) == fingerprint(
        Finding("citation-order", "info", "m", cited="first citations in order: 1, 4, 2")
    )
