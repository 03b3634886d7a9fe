"""SARIF: valid against the official 2.1.0 schema, one rule per code, stable fingerprints."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator, validators

from citecheck.audit import Report, check
from citecheck.checks.codes import CODES, finding
from citecheck.cli import main
from citecheck.ingest import Manuscript
from citecheck.model import ParsedReference, ReferenceResult
from citecheck.report.json import to_dict as json_report
from citecheck.report.sarif import artifact_location, to_sarif
from citecheck.settings import load_settings
from citecheck.suppress import Suppressed
from tests.conftest import DATA, ROOT, SEED
from tests.fakeservice import FakeServices
from tests.test_integrity import MANUSCRIPT, fake  # noqa: F401  (fake is a fixture)

CASSETTES = ROOT / "cassettes" / "001_ea8cd2c476dabe3b"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
HOSTILE = '<script>alert(1)</script> & "quotes" {0} [x](1) \\ Title'


@cache
def schema() -> dict[str, Any]:
    return json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def assert_valid(log: dict[str, Any]) -> None:
    """Draft-07 (as asked of SARIF producers) and the schema's own draft-04, formats checked."""
    for cls in (Draft7Validator, validators.validator_for(schema())):
        validator = cls(schema(), format_checker=cls.FORMAT_CHECKER)
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
        assert not errors, errors[:5]


def run_of(log: dict[str, Any]) -> dict[str, Any]:
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    return log["runs"][0]


def check_rules_and_results(log: dict[str, Any]) -> None:
    """What every log must satisfy, whatever it reports."""
    run = run_of(log)
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [c.id for c in CODES.values()]
    assert len({r["id"] for r in rules}) == len(rules) == len(CODES)
    for rule, code in zip(rules, CODES.values(), strict=True):
        assert rule["name"] == "".join(w.capitalize() for w in code.code.split("-"))
        assert rule["fullDescription"]["text"] == code.meaning
        assert code.meaning in rule["help"]["text"] and code.meaning in rule["help"]["markdown"]
        expected = "note" if code.code == "unverified" else LEVEL[code.severity]
        assert rule["defaultConfiguration"]["level"] == expected
        assert rule["properties"]["tags"][0] == "citations"
    for result in run["results"]:
        rule = rules[result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        props = result["properties"]
        assert CODES[props["code"]].id == result["ruleId"]
        expected = "note" if props["code"] == "unverified" else LEVEL[props["severity"]]
        assert result["level"] == expected
        (location,) = result["locations"]
        assert location["physicalLocation"]["region"]["startLine"] >= 1
        assert location["physicalLocation"]["artifactLocation"]["index"] == 0
        assert len(result["partialFingerprints"]["citecheck/v1"]) == 32
    assert run["invocations"][0]["executionSuccessful"] is True


def sarif_cli(path: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    args = ["--replay", str(CASSETTES), "--no-cache", "--format", "sarif", "-o", str(out)]
    code = main(["check", str(path), *args])
    capsys.readouterr()
    return code, json.loads(out.read_text(encoding="utf-8"))


def fingerprints(log: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted(
        (r["ruleId"], r["partialFingerprints"]["citecheck/v1"]) for r in run_of(log)["results"]
    )


def test_vendored_schema_is_the_oasis_one() -> None:
    raw = (DATA / "sarif-schema-2.1.0.json").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SCHEMA_SHA256  # as recorded in tests/data/README
    s = schema()
    assert s["id"].endswith("/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    Draft7Validator.check_schema(s)
    validators.validator_for(s).check_schema(s)


def test_seed_via_the_cli_is_valid_and_matches_the_json_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, log = sarif_cli(SEED, tmp_path / "seed.sarif", capsys)
    assert code == 1
    assert_valid(log)
    check_rules_and_results(log)
    run = run_of(log)
    assert run["invocations"][0]["exitCode"] == 1
    # The seed lies outside the working directory: an absolute file URI, no base id.
    assert run["artifacts"][0]["location"] == {"uri": SEED.resolve().as_uri()}
    assert run["properties"]["summary"]["references"] == 10
    # One result per finding, with the JSON report's fingerprints.
    main(["check", str(SEED), "--replay", str(CASSETTES), "--no-cache", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    expected = [("manuscript", f) for f in report["findings"]]
    expected += [(r["index"], f) for r in report["references"] for f in r["findings"]]
    results = run["results"]
    assert len(results) == len(expected)
    for result, (where, f) in zip(results, expected, strict=True):
        assert result["ruleId"] == CODES[f["code"]].id
        assert result["partialFingerprints"]["citecheck/v1"] == f["fingerprint"]
        assert result["properties"].get("reference", "manuscript") == where
        assert result["message"]["text"].startswith(f["message"].strip())
    unverified = [r for r in results if r["ruleId"] == "CC120"]
    assert len(unverified) == 4 and {r["level"] for r in unverified} == {"note"}


def test_cli_accepts_format_sarif_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(SEED), "--replay", str(CASSETTES), "--format", "sarif"])
    log = json.loads(capsys.readouterr().out)
    assert code == 1 and run_of(log)["tool"]["driver"]["name"] == "citecheck"


def test_fingerprints_survive_reruns_and_moved_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, first = sarif_cli(SEED, tmp_path / "a.sarif", capsys)
    _, again = sarif_cli(SEED, tmp_path / "b.sarif", capsys)
    moved = tmp_path / "moved.txt"
    moved.write_text("\n\n\n" + SEED.read_text(encoding="utf-8"), encoding="utf-8")
    _, shifted = sarif_cli(moved, tmp_path / "c.sarif", capsys)
    assert fingerprints(first) == fingerprints(again) == fingerprints(shifted)

    def lines(log: dict[str, Any]) -> list[int]:
        return [
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
            for r in run_of(log)["results"]
            if "reference" in r["properties"]
        ]

    assert [n + 3 for n in lines(first)] == lines(shifted)  # the lines did move
    # Inside the working directory: relative to it, under %SRCROOT%.
    location = run_of(shifted)["artifacts"][0]["location"]
    assert location == {"uri": "moved.txt", "uriBaseId": "%SRCROOT%"}


def test_many_findings_are_valid_with_distinct_fingerprints(
    fake: FakeServices,  # noqa: F811
    tmp_path: Path,
) -> None:
    path = tmp_path / "paper.md"
    path.write_text(MANUSCRIPT, encoding="utf-8")
    report = check(path, load_settings().replace(use_cache=False, relevance=False))
    log = json.loads(to_sarif(report))
    assert_valid(log)
    check_rules_and_results(log)
    results = run_of(log)["results"]
    codes = {r["properties"]["code"] for r in results}
    assert {"retracted", "doi-mismatch", "doi-invalid", "duplicate", "missing-reference"} <= codes
    # Different findings, different fingerprints; entry 7 repeats entry 1 (same PMID), so its
    # retraction is the same finding about the same work, and shares entry 1's fingerprint.
    shared: dict[str, list[tuple[int | None, str]]] = {}
    for r in results:
        key = r["partialFingerprints"]["citecheck/v1"]
        shared.setdefault(key, []).append((r["properties"].get("reference"), r["ruleId"]))
    assert [v for v in shared.values() if len(v) > 1] == [[(1, "CC150"), (7, "CC150")]]
    assert len(shared) == len(results) - 1
    data = json_report(report)
    by_code = {(r["properties"].get("reference"), r["properties"]["code"]): r for r in results}
    invalid = by_code[(4, "doi-invalid")]
    assert invalid["level"] == "error"
    assert invalid["message"]["text"].endswith(" Suggestion: DOI 10.5555/all.2006.001.")
    assert invalid["properties"]["suggestion"] == "DOI 10.5555/all.2006.001"
    assert (
        invalid["locations"][0]["physicalLocation"]["region"]["startLine"]
        == (data["references"][3]["line"])
    )
    missing = by_code[(None, "missing-reference")]
    assert missing["properties"]["cited"] == "[9]"
    assert missing["locations"][0]["physicalLocation"]["region"]["startLine"] == 7
    assert run_of(log)["invocations"][0]["exitCode"] == 1


def _report(**kw: Any) -> Report:
    kw.setdefault("manuscript", Manuscript(path="paper.md", text="", encoding="utf-8"))
    kw.setdefault("references", [])
    return Report(**kw)


def test_a_clean_empty_report_is_valid() -> None:
    log = json.loads(to_sarif(_report()))
    assert_valid(log)
    check_rules_and_results(log)
    run = run_of(log)
    assert run["results"] == []
    assert run["invocations"][0]["exitCode"] == 0
    assert "toolExecutionNotifications" not in run["invocations"][0]
    assert run["artifacts"][0]["location"] == {"uri": "paper.md", "uriBaseId": "%SRCROOT%"}


def test_markup_stays_literal_and_paths_become_uris() -> None:
    ref = ParsedReference(raw=f"A B. {HOSTILE}. J. 2001;1:1.", title=HOSTILE, line=10)
    f = finding("field-mismatch", f"Title differs: {HOSTILE}", field="title", cited=HOSTILE)
    unchecked = ParsedReference(raw="E F. Unknown. J. 2003;3:3.", line=12)
    f2 = finding("unverified", "Could not be checked: crossref: timeout.")
    report = _report(
        manuscript=Manuscript(path="my <paper> #1.md", text="", encoding="utf-8"),
        references=[
            ReferenceResult(1, ref, "problem", findings=[f]),
            ReferenceResult(2, unchecked, "unverified", findings=[f2]),
        ],
        notes=[f"input: {HOSTILE}"],
    )
    text = to_sarif(report)
    log = json.loads(text)
    assert_valid(log)
    assert "&lt;" not in text and "\\u003c" not in text  # no HTML escaping on top of JSON
    run = run_of(log)
    first, second = run["results"]
    assert first["message"]["text"] == f"Title differs: {HOSTILE}"
    assert first["properties"]["cited"] == HOSTILE
    assert second["locations"][0]["physicalLocation"]["region"]["startLine"] == 12  # ref's line
    assert second["level"] == "note"
    assert run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"].endswith(
        HOSTILE
    )
    assert run["invocations"][0]["exitCode"] == 3  # incomplete: one entry unverified
    assert run["artifacts"][0]["location"]["uri"] == "my%20%3Cpaper%3E%20%231.md"


def test_pdf_page_and_suppressed_findings() -> None:
    ref = ParsedReference(raw="C D. Fine. J. 2002;2:2.", doi="10.5555/x", line=3)
    kept = finding("corrected", "Corrected.", line=3)
    accepted = finding("preprint-published", "Published since.", line=3)
    report = _report(
        manuscript=Manuscript(path="paper.pdf", text="", encoding="pdf", pages=(1, 1, 2)),
        references=[ReferenceResult(1, ref, "verified", findings=[kept])],
        suppressed=[Suppressed(accepted, 1, "f" * 32, "baseline")],
    )
    log = json.loads(to_sarif(report))
    assert_valid(log)
    check_rules_and_results(log)
    normal, suppressed = run_of(log)["results"]
    assert normal["properties"]["page"] == 2 and normal["level"] == "note"
    assert "suppressions" not in normal
    assert suppressed["suppressions"] == [
        {"kind": "external", "status": "accepted", "justification": "baseline"}
    ]
    assert suppressed["partialFingerprints"]["citecheck/v1"] == "f" * 32
    assert run_of(log)["properties"]["summary"]["suppressed"] == 1


def test_artifact_location(tmp_path: Path) -> None:
    inside = tmp_path / "docs" / "paper.md"
    assert artifact_location(str(inside), tmp_path) == {
        "uri": "docs/paper.md",
        "uriBaseId": "%SRCROOT%",
    }
    assert artifact_location("docs/../paper.md", tmp_path)["uri"] == "paper.md"
    outside = tmp_path.parent / "elsewhere.md"
    assert artifact_location(str(outside), tmp_path) == {"uri": outside.as_uri()}
    assert artifact_location("../elsewhere.md", tmp_path) == {
        "uri": "../elsewhere.md",
        "uriBaseId": "%SRCROOT%",
    }
