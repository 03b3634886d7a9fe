"""The whole pipeline against the local fake of Crossref and PubMed on 127.0.0.1.

The corpus below is test-only: its identifiers use Crossref's example prefix 10.5555 and
PMIDs from 90000001 up, so nobody mistakes them for real records.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from citecheck.cli import main
from tests.conftest import use_services
from tests.fakeservice import FakeServices, Work, hang, malformed, status, truncated

PUI = Work(
    doi="10.5555/all.2006.001",
    pmid="90000001",
    title="Treatment of acute lymphoblastic leukemia",
    authors=[("Pui", "Ching-Hon"), ("Evans", "William E.")],
    journal="The New England Journal of Medicine",
    journal_abbrev="N Engl J Med",
    year=2006,
    volume="354",
    issue="2",
    pages="166-178",
)
SANDLUND = Work(
    doi="10.5555/nhl.1996.002",
    pmid="90000002",
    title="Non-Hodgkin's lymphoma in childhood",
    authors=[("Sandlund", "John T."), ("Downing", "James R."), ("Crist", "William M.")],
    journal="The New England Journal of Medicine",
    journal_abbrev="N Engl J Med",
    year=1996,
    volume="334",
    issue="19",
    pages="1238-1248",
)
BLINA = Work(
    doi="10.5555/blina.2017.003",
    pmid=None,
    title="Blinatumomab versus chemotherapy for advanced acute lymphoblastic leukemia",
    authors=[("Kantarjian", "Hagop"), ("Stein", "Anthony")],
    journal="The New England Journal of Medicine",
    journal_abbrev="N Engl J Med",
    year=2017,
    volume="376",
    issue="9",
    pages="836-847",
)
CART = Work(
    doi=None,
    pmid="90000004",
    in_crossref=False,
    title="Tisagenlecleucel in children and young adults with B-cell lymphoblastic leukemia",
    authors=[("Maude", "Shannon L."), ("Laetsch", "Theodore W.")],
    journal="The New England Journal of Medicine",
    journal_abbrev="N Engl J Med",
    year=2018,
    volume="378",
    issue="5",
    pages="439-448",
)
DISTRACTOR = Work(
    doi="10.5555/other.2006.005",
    pmid="90000005",
    title="Treatment of chronic myeloid leukemia in adults",
    authors=[("Other", "Anna")],
    journal="Blood",
    journal_abbrev="Blood",
    year=2006,
    volume="108",
    issue="1",
    pages="1-10",
)

MANUSCRIPT = """# Targeted therapy in ALL

Text citing [1-5].

## References

1. Pui CH, Evans WE. Treatment of acute lymphoblastic leukemia. N Engl J Med. 2006;354(2):166-78.
2. Downing JR, Crist WM. Non-Hodgkin's lymphoma in childhood. N Engl J Med. 1996;334:1238-48.
3. Kantarjian H, Stein A. Blinatumomab versus chemotherapy for advanced acute lymphoblastic leukemia. N Engl J Med. 2017;376(9):836-47. doi:10.5555/blina.2017.003
4. Maude SL, Laetsch TW. Tisagenlecleucel in children and young adults with B-cell lymphoblastic leukemia. N Engl J Med. 2018;378(5):439-48. PMID: 90000004
5. Nobody X, Fabricated Y. A study that was never published on leukemia cures. J Imaginary Res. 2021;12(3):45-51.
"""


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServices]:
    with FakeServices([PUI, SANDLUND, BLINA, CART, DISTRACTOR]) as services:
        use_services(monkeypatch, services, timeout=0.3, retries=1)
        yield services


@pytest.fixture
def manuscript(tmp_path: Path) -> Path:
    path = tmp_path / "paper.md"
    path.write_text(MANUSCRIPT, encoding="utf-8")
    return path


def audit(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict]:
    """These tests are about lookups and metadata; the off-topic check has its own tests."""
    code = main(["check", str(path), "--format", "json", "--no-cache", "--no-relevance", *extra])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out else {"stderr": err}


def test_end_to_end_against_local_services(
    fake: FakeServices, manuscript: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = audit(manuscript, capsys)
    refs = report["references"]
    assert [r["status"] for r in refs] == [
        "verified",
        "problem",
        "verified",
        "verified",
        "not_found",
    ]
    assert code == 1  # not-found is an error
    pui, sandlund, blina, cart, fabricated = refs
    assert (pui["record"]["doi"], pui["record"]["pmid"]) == ("10.5555/all.2006.001", "90000001")
    (authors,) = sandlund["findings"]
    assert authors["code"] == "field-mismatch" and authors["field"] == "authors"
    assert "Sandlund" in authors["message"]
    assert blina["record"]["doi"] == "10.5555/blina.2017.003"
    assert cart["record"]["pmid"] == "90000004" and cart["record"]["doi"] is None
    (nf,) = fabricated["findings"]
    assert nf["code"] == "not-found" and nf["severity"] == "error"
    assert all(lk["outcome"] != "failed" for lk in fabricated["lookups"])


def test_requests_are_batched(
    fake: FakeServices, manuscript: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    audit(manuscript, capsys)
    paths = [r.path for r in fake.requests]
    assert sum("filter" in r.query for r in fake.requests) == 1  # cited DOIs together
    assert sum(p.endswith("ecitmatch.cgi") for p in paths) <= 1
    assert len(paths) <= 14, paths


def test_a_dead_network_is_unverified_never_not_found(
    fake: FakeServices, manuscript: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.down = True
    code, report = audit(manuscript, capsys)
    assert code == 3
    assert {r["status"] for r in report["references"]} == {"unverified"}
    assert all(f["code"] == "unverified" for r in report["references"] for f in r["findings"])


@pytest.mark.parametrize(
    "fault",
    [lambda: status(500), lambda: status(503), malformed, truncated, lambda: hang(1.0)],
    ids=["500", "503", "malformed", "truncated", "hang"],
)
def test_crossref_faults_never_become_not_found(
    fault, fake: FakeServices, manuscript: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.fail(r"/crossref/works", *[fault() for _ in range(40)])
    fake.fail(r"/eutils/", *[fault() for _ in range(40)])
    code, report = audit(manuscript, capsys)
    assert code == 3
    assert all(r["status"] == "unverified" for r in report["references"])


def test_429_with_retry_after_is_honoured(
    fake: FakeServices, manuscript: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.fail(r"/crossref/works", status(429, headers={"Retry-After": "1"}))
    _code, report = audit(manuscript, capsys)
    assert [r["status"] for r in report["references"]][:4] == [
        "verified",
        "problem",
        "verified",
        "verified",
    ]


def test_doi_pointing_at_another_work(
    fake: FakeServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "m.txt"
    path.write_text(
        "References\n1. Pui CH, Evans WE. Treatment of acute lymphoblastic leukemia. "
        "N Engl J Med. 2006;354(2):166-78. doi:10.5555/other.2006.005\n"
    )
    code, report = audit(path, capsys)
    (ref,) = report["references"]
    codes = [f["code"] for f in ref["findings"]]
    assert codes == ["doi-mismatch"] and code == 1
    assert ref["record"]["doi"] == "10.5555/all.2006.001"  # the work the entry describes
    assert "Treatment of chronic myeloid leukemia" in ref["findings"][0]["message"]


def test_cache_makes_a_rerun_free(
    fake: FakeServices, manuscript: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", str(manuscript), "--format", "json"])
    first = len(fake.requests)
    capsys.readouterr()
    main(["check", str(manuscript), "--format", "json"])
    assert len(fake.requests) == first
    assert json.loads(capsys.readouterr().out)["summary"]["verified"] == 3


def test_record_then_replay_gives_the_same_report(
    fake: FakeServices, manuscript: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, live = audit(manuscript, capsys, "--record", str(tmp_path / "ev"))
    fake.down = True
    code2, replayed = audit(manuscript, capsys, "--replay", str(tmp_path / "ev"))
    assert code == code2
    strip = lambda rep: [(r["status"], r["record"], r["findings"]) for r in rep["references"]]  # noqa: E731
    assert strip(live) == strip(replayed)


def test_pmid_pointing_at_another_article(
    fake: FakeServices, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "m.txt"
    path.write_text(
        "References\n1. Pui CH, Evans WE. Treatment of acute lymphoblastic leukemia. "
        "N Engl J Med. 2006;354(2):166-78. PMID: 90000005\n"
        "2. Maude SL, Laetsch TW. Tisagenlecleucel in children and young adults with B-cell "
        "lymphoblastic leukemia. N Engl J Med. 2018;378:439-48. PMID: 90999999\n"
    )
    code, report = audit(path, capsys)
    first, second = report["references"]
    assert [f["code"] for f in first["findings"]] == ["pmid-mismatch"]
    assert "Treatment of chronic myeloid leukemia" in first["findings"][0]["message"]
    assert first["record"]["pmid"] == "90000001"  # found by the rest of the entry
    assert [f["code"] for f in second["findings"]] == ["pmid-mismatch"]
    assert "does not exist in PubMed" in second["findings"][0]["message"]
    assert second["record"]["pmid"] == "90000004"
    assert code == 1


def test_connection_refused_is_unverified(
    manuscript: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A real refused connection: a port on 127.0.0.1 that nothing listens on."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("CITECHECK_CROSSREF_URL", f"http://127.0.0.1:{port}/crossref")
    monkeypatch.setenv("CITECHECK_EUTILS_URL", f"http://127.0.0.1:{port}/eutils")
    monkeypatch.setenv("CITECHECK_RETRIES", "0")
    code, report = audit(manuscript, capsys)
    assert code == 3
    assert {r["status"] for r in report["references"]} == {"unverified"}
    assert any(
        "ConnectError" in f["message"] or "refused" in f["message"].lower()
        for r in report["references"]
        for f in r["findings"]
    )
