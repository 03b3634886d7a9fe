"""Crossref and PubMed asked at the same time: chunks of references and the PubMed lane.

Observed through the order of events (what the fake saw before what), never durations.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from citecheck.cli import main
from citecheck.model import ParsedReference, Record
from citecheck.resolve import resolver
from citecheck.resolve.pubmed import CitMatch
from citecheck.resolve.resolver import Breaker, Halted, Resolver
from tests.conftest import use_services
from tests.fakeservice import FakeServices, RecordedRequest
from tests.test_faults import WORKS, manuscript_text

LAST_ENTRY = "never published"  # words of entry 10's title, the last Crossref search


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    path = tmp_path / "paper.md"
    path.write_text(manuscript_text(), encoding="utf-8")
    return path


def report(paper: Path, capsys: pytest.CaptureFixture[str]) -> tuple[dict, int]:
    """The JSON report without its timing, and the requests it took."""
    main(["check", str(paper), "--format", "json", "--no-cache"])
    data = json.loads(capsys.readouterr().out)
    data["summary"].pop("seconds")
    return data, data["summary"].pop("requests")


def test_chunks_change_no_report(
    paper: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ten entries in chunks of 3: statuses, records, findings and every evidence trail as
    in one chunk; only the batches are smaller."""
    with FakeServices(WORKS) as svc:
        use_services(monkeypatch, svc, timeout=5, retries=1)
        whole, whole_requests = report(paper, capsys)
        eutils_whole = svc.count(r"^/eutils/(esearch|ecitmatch|efetch)")
        monkeypatch.setattr(resolver, "CHUNK", 3)
        svc.clear_requests()
        chunked, chunked_requests = report(paper, capsys)
        eutils_chunked = svc.count(r"^/eutils/(esearch|ecitmatch|efetch)")
    assert chunked == whole
    assert {r["status"] for r in whole["references"]} >= {"verified", "problem", "not_found"}
    # Four chunks instead of one: more PubMed batches, as many Crossref questions.
    assert eutils_chunked > eutils_whole
    assert chunked_requests - eutils_chunked == whole_requests - eutils_whole


def test_pubmed_works_while_crossref_still_searches(
    paper: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The last Crossref search is held at the fake until PubMed has been asked a step 4-5
    question (ESearch or ECitMatch) about an earlier chunk. Asked one service after the
    other, that question could only come after this search: the hold would run out.
    Crossref's polite pool (3 at a time) keeps the other searches going meanwhile."""
    monkeypatch.setattr(resolver, "CHUNK", 3)
    monkeypatch.setenv("CITECHECK_MAILTO", "editor@example.org")
    with FakeServices(WORKS, latency=0.05) as svc:
        use_services(monkeypatch, svc, timeout=30, retries=0)
        asked_pubmed = threading.Event()
        held: list[bool] = []
        record = svc._record

        def watch(request: RecordedRequest) -> None:
            record(request)
            if request.path.endswith(("/esearch.fcgi", "/ecitmatch.cgi")):
                asked_pubmed.set()
            elif LAST_ENTRY in request.query.get("query.bibliographic", ""):
                held.append(asked_pubmed.wait(timeout=10))

        monkeypatch.setattr(svc, "_record", watch)
        data, _ = report(paper, capsys)
    assert held == [True]
    assert not any(r["status"] == "unverified" for r in data["references"])


class StubCrossref:
    """Crossref knows nothing; the search for the entry titled "stop" is a Ctrl-C, once
    the PubMed lane has ``hold`` title searches in flight."""

    def __init__(self, lane_busy: threading.Event) -> None:
        self.lane_busy = lane_busy

    def works(self, dois: list[str]) -> dict[str, Record]:
        return {}

    def search(self, ref: ParsedReference) -> list[Record]:
        if ref.title == "stop":
            assert self.lane_busy.wait(timeout=10)
            raise KeyboardInterrupt
        return []


class StubPubMed:
    """PubMed whose title searches wait for ``release``; counts them."""

    def __init__(self, hold: int) -> None:
        self.hold = hold
        self.titles: list[str] = []
        self.busy = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()

    def fetch(self, pmids: list[str]) -> dict[str, Record]:
        return {}

    def by_dois(self, dois: list[str]) -> list[str]:
        return []

    def citmatch(self, refs: dict[str, ParsedReference]) -> dict[str, CitMatch]:
        return {}

    def by_title(self, ref: ParsedReference) -> list[str]:
        with self._lock:
            self.titles.append(ref.title or "")
            if len(self.titles) == self.hold:
                self.busy.set()
        self.release.wait(timeout=10)
        return []


def test_ctrl_c_stops_the_pubmed_lane(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C during chunk 2's Crossref searches: the lane's title searches already in
    flight finish, the rest of its chunk is not asked (its threads would keep the process
    alive until they had asked everything)."""
    monkeypatch.setattr(resolver, "CHUNK", 10)
    pubmed = StubPubMed(hold=resolver.WORKERS)
    resolve = Resolver(StubCrossref(pubmed.busy), pubmed)  # type: ignore[arg-type]
    refs = [
        ParsedReference(raw=f"Author A. Unmatched title number {i}.", title=f"Unmatched title {i}")
        for i in range(10)
    ]
    refs += [ParsedReference(raw="Author A. A last entry, interrupted.", title="stop")]
    with pytest.raises(KeyboardInterrupt):
        resolve.resolve_all(refs)
    pubmed.release.set()
    for thread in threading.enumerate():
        if thread.name.startswith("citecheck"):
            thread.join(timeout=10)
    assert len(pubmed.titles) == resolver.WORKERS  # of 10 in the chunk


def test_a_halted_breaker_asks_nothing() -> None:
    breaker = Breaker()
    calls: list[Any] = []
    assert breaker.call("crossref", lambda: calls.append(1)) is None
    breaker.halt()
    with pytest.raises(Halted):
        breaker.call("crossref", lambda: calls.append(2))
    with pytest.raises(Halted):
        breaker.each("pubmed", calls.append, [3, 4, 5])
    assert calls == [1]
