"""Lookups in parallel within each service's limits; a hung network costs one timeout."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from citecheck.cli import main
from citecheck.resolve.http import Http, Slots
from citecheck.resolve.interface import (
    BudgetExceeded,
    RateLimited,
    ServiceUnavailable,
    Unreachable,
)
from citecheck.resolve.resolver import Breaker
from citecheck.settings import Settings
from tests.conftest import SEED


class InFlight:
    """A mock transport that answers after a pause and records how many were in flight."""

    def __init__(self, headers: dict[str, str], pause: float = 0.05) -> None:
        self.headers, self.pause = headers, pause
        self.now = self.peak = 0
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
        time.sleep(self.pause)
        with self.lock:
            self.now -= 1
        return httpx.Response(200, headers=self.headers, json={"status": "ok"})


def hammer(http: Http, n: int = 9) -> None:
    threads = [
        threading.Thread(
            target=http.request, args=("crossref", "GET", f"https://api.crossref.org/works/{i}")
        )
        for i in range(n)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_crossref_concurrency_follows_its_pool_and_headers(settings: Settings) -> None:
    polite = settings.replace(mailto="editor@example.org")
    transport = InFlight({"x-concurrency-limit": "3", "x-rate-limit-limit": "1000"})
    with Http(polite, transport=httpx.MockTransport(transport)) as http:
        hammer(http)
    assert transport.peak == 3  # in parallel, but never beyond the polite pool's 3

    transport = InFlight({"x-concurrency-limit": "1", "x-rate-limit-limit": "1000"})
    with Http(polite, transport=httpx.MockTransport(transport)) as http:
        http.request("crossref", "GET", "https://api.crossref.org/works/first")
        hammer(http)
    assert transport.peak == 1  # the header lowered it


def test_slots_never_exceed_the_limit() -> None:
    slots, lock = Slots(2), threading.Lock()
    state = {"now": 0, "peak": 0}

    def work() -> None:
        with slots:
            with lock:
                state["now"] += 1
                state["peak"] = max(state["peak"], state["now"])
            time.sleep(0.01)
            with lock:
                state["now"] -= 1

    threads = [threading.Thread(target=work) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert state["peak"] == 2
    slots.update({"x-concurrency-limit": "5"})
    assert slots.limit == 5
    slots.update({"x-concurrency-limit": "many"})
    assert slots.limit == 5


def test_breaker_each_keeps_item_order_and_stops_after_first_contact_failure() -> None:
    breaker = Breaker()
    assert breaker.each("svc", lambda x: x * 2, [3, 1, 2]) == [6, 2, 4]

    calls: list[int] = []

    def down(x: int) -> int:
        calls.append(x)
        raise Unreachable("other", "timed out waiting (10 s)")

    out = Breaker().each("other", down, list(range(40)))
    assert all(isinstance(o, ServiceUnavailable) for o in out)
    assert len(calls) <= 4  # the questions already in flight, not one per item
    assert "not asked: other is failing (timed out waiting (10 s))" in {o.reason for o in out}


@pytest.fixture
def hung() -> Iterator[tuple[str, list[socket.socket]]]:
    """A server that accepts connections and never answers: a hung network or proxy."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(50)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", accepted
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def test_a_hung_network_costs_one_request_per_service(
    hung: tuple[str, list[socket.socket]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, accepted = hung
    monkeypatch.setenv("CITECHECK_CROSSREF_URL", url)
    monkeypatch.setenv("CITECHECK_EUTILS_URL", url + "/eutils")
    monkeypatch.setenv("CITECHECK_TIMEOUT", "0.5")
    code = main(["check", str(SEED), "--format", "json", "--no-cache", "--no-relevance"])
    report = json.loads(capsys.readouterr().out)
    assert code == 3
    assert report["summary"]["unverified"] == 10 and report["summary"]["not_found"] == 0
    assert report["summary"]["requests"] == 2  # one timeout per service, then not asked
    assert len(accepted) == 2
    details = {lk["detail"] for r in report["references"] for lk in r["lookups"]}
    assert "timed out waiting (0.5 s)" in details
    assert any(d.startswith("not asked: crossref is failing (timed out") for d in details)
    assert any(d.startswith("not asked: pubmed is failing (timed out") for d in details)


def test_a_reference_budget_cuts_retries_short_without_waiting(settings: Settings) -> None:
    """A 429 storm asking for 5 s: with 1 s left for this reference, give up at once."""
    waits: list[float] = []

    def storm(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "5"})

    with Http(settings, transport=httpx.MockTransport(storm), sleep=waits.append) as http:
        with http.budget(1.0), pytest.raises(BudgetExceeded) as raised:
            http.request("crossref", "GET", "https://api.crossref.org/works")
        assert raised.value.reason == "time budget for this reference is spent"
        assert 5.0 not in waits and http.requests_sent == 1
        # Outside the reference's budget the run's applies: the same storm is waited out.
        with pytest.raises(RateLimited):
            http.request("crossref", "GET", "https://api.crossref.org/works")
        assert waits.count(5.0) == settings.retries  # (the others are rate pacing)


def test_each_question_runs_in_its_reference_budget() -> None:
    entered: list[int] = []

    @contextlib.contextmanager
    def budget() -> Iterator[None]:
        entered.append(threading.get_ident())
        yield

    assert Breaker(budget=budget).each("svc", lambda x: x, [1, 2, 3]) == [1, 2, 3]
    assert len(entered) == 3
