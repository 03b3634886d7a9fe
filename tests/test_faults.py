"""The fault suite: the real CLI, a realistic manuscript, local services that misbehave.

Whatever the services do, a run must end with every reference either checked or
`unverified` with the reason: never a `not-found` (or any other finding) caused by a fault,
never a crash, exit 3 when incomplete (1 when a real failing finding exists: README "Exit
codes"), and the circuit breaker must stop asking a service that keeps failing.

Backoff and rate-limit waits are recorded instead of slept (``waits``): this suite is about
outcomes; pacing has its own tests (test_http). Timeouts are real, and short.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from citecheck import audit
from citecheck.cli import main
from citecheck.resolve import resolver
from tests.conftest import use_services
from tests.fakeservice import (
    FakeServices,
    cut,
    hang,
    reset,
    stall,
    status,
    truncated,
)
from tests.test_integration import CART, DISTRACTOR
from tests.test_integration import MANUSCRIPT as LOOKUP_MANUSCRIPT
from tests.test_integrity import (
    BLINA,
    NOTICE,
    PALESTINIANS,
    PREPRINT,
    PUBLISHED,
    PUI,
    RETRACTED,
    SANDLUND,
)
from tests.test_integrity import MANUSCRIPT as INTEGRITY_MANUSCRIPT

WORKS = [
    PALESTINIANS,
    RETRACTED,
    NOTICE,
    PREPRINT,
    PUBLISHED,
    PUI,
    SANDLUND,
    BLINA,
    CART,
    DISTRACTOR,
]
CROSSREF, EUTILS = r"^/crossref/", r"^/eutils/"
TIMEOUT = 0.5  # seconds per request; every hang below is longer
NO_HOST = "http://citecheck-no-such-host.invalid"
# A dead service may see: the breaker's threshold (2 questions) plus the questions already
# in flight when it opens (the resolver asks up to 4 at a time), each tried retries+1 = 2
# times. Without the breaker the 10-entry manuscript asks Crossref 12 questions (24 tries).
BOUND = 12


def manuscript_text() -> str:
    """The integrity manuscript (retractions, a notice's DOI, a preprint, bad DOIs,
    duplicates, PubMed-only work) plus the integration one's PMID-cited and fabricated
    entries as 9 and 10: every step of the resolver has something to ask."""
    entries = [line for line in LOOKUP_MANUSCRIPT.splitlines() if line.startswith(("4. ", "5. "))]
    assert len(entries) == 2
    return INTEGRITY_MANUSCRIPT + "".join(
        f"{9 + i}.{entry[2:]}\n" for i, entry in enumerate(entries)
    )


@dataclass
class Waits:
    backoff: list[float] = field(default_factory=list)  # between attempts (Retry-After)
    paced: list[float] = field(default_factory=list)  # rate limiter


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> Waits:
    """Every Http the CLI builds records its waits instead of sleeping."""
    recorded = Waits()
    real = audit.Http

    def quick(*args: Any, **kwargs: Any) -> Any:
        http = real(*args, sleep=recorded.backoff.append, **kwargs)
        for limiter in http.limiters.values():
            limiter.sleep = recorded.paced.append
        return http

    monkeypatch.setattr(audit, "Http", quick)
    return recorded


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    path = tmp_path / "paper.md"
    path.write_text(manuscript_text(), encoding="utf-8")
    return path


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, waits: Waits) -> Iterator[FakeServices]:
    with FakeServices(WORKS) as services:
        use_services(monkeypatch, services, timeout=TIMEOUT, retries=1)
        yield services
    assert services.errors == []  # the fake itself never failed


@pytest.fixture(params=[None, 3], ids=["one-chunk", "chunks-of-3"])
def chunks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The manuscript resolved as one chunk, and in chunks of 3 (both services at once)."""
    if request.param:
        monkeypatch.setattr(resolver, "CHUNK", request.param)


@pytest.fixture
def no_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names under .invalid never resolve (RFC 6761). Answered here as the C library does,
    so that no DNS query leaves the machine and the failure is instant everywhere."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, str | bytes) and str(host).rstrip(".'").endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def audit_json(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, str]:
    code = main(["check", str(path), "--format", "json", "--no-cache"])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


_CLEAN: dict[str, Any] = {}


@pytest.fixture
def clean(
    paper: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], waits: Waits
) -> dict:
    """The fault-free report of the same manuscript (computed once, it is deterministic)."""
    if "report" not in _CLEAN:
        with FakeServices(WORKS) as services, monkeypatch.context() as env:
            use_services(env, services, timeout=TIMEOUT, retries=1)
            code, report, _ = audit_json(paper, capsys)
        statuses = [r["status"] for r in report["references"]]
        # The baseline must itself show what faults could fake or hide.
        assert "not_found" in statuses and "problem" in statuses and code == 1, statuses
        _CLEAN["report"] = report
    return _CLEAN["report"]


# -- the invariants ------------------------------------------------------------------------


def findings_of(report: dict) -> set[tuple[int, str, str, str]]:
    """(entry, code, severity, fingerprint) of every finding but `unverified`; 0: document."""
    out = {(0, f["code"], f["severity"], f["fingerprint"]) for f in report["findings"]}
    out |= {
        (r["index"], f["code"], f["severity"], f["fingerprint"])
        for r in report["references"]
        for f in r["findings"]
        if f["code"] != "unverified"
    }
    return out


def expected_exit(report: dict) -> int:
    """README: 1 if a finding at or above --fail-on (error), else 3 if incomplete, else 0."""
    if any(sev == "error" for _, _, sev, _ in findings_of(report)):
        return 1
    return 3 if any(r["status"] == "unverified" for r in report["references"]) else 0


def assert_invariants(
    code: int, report: dict, err: str, clean: dict, reason: str, dead: tuple[str, ...]
) -> None:
    """What every faulty run must satisfy; ``reason`` matches how the fault is named,
    ``dead`` lists the services (crossref, pubmed) that never answer in this scenario."""
    assert "Traceback" not in err
    assert code == expected_exit(report), (code, err)  # never 2, never 0 when incomplete
    before = {r["index"]: r for r in clean["references"]}
    named = re.compile(reason, re.I)
    breaker = re.compile(r"not asked", re.I)
    failed_lookups = [
        lk for r in report["references"] for lk in r["lookups"] if lk["outcome"] == "failed"
    ]
    for ref in report["references"]:
        index, status = ref["index"], ref["status"]
        failed = [lk for lk in ref["lookups"] if lk["outcome"] == "failed"]
        codes = [f["code"] for f in ref["findings"]]
        if status == "not_found":
            # Only a well-formed "no such work" from every question makes not-found.
            assert not failed, (index, failed)
            assert before[index]["status"] == "not_found", index
        assert "not-found" not in codes or not failed, (index, failed)
        if status in ("verified", "problem"):
            assert any(lk["outcome"] == "match" for lk in ref["lookups"]), index
        if status == "unverified":
            assert failed, index
            (unverified,) = [f for f in ref["findings"] if f["code"] == "unverified"]
            message = unverified["message"]
            # The reason itself, or the breaker, whose reason the report names elsewhere.
            assert named.search(message) or breaker.search(message), (index, message)
        for lk in failed:
            if breaker.search(lk["detail"]):
                # The breaker only stops a service after real failures, shown in the report.
                assert any(
                    other["service"] == lk["service"] and named.search(other["detail"])
                    for other in failed_lookups
                ), lk
            else:
                assert named.search(lk["detail"]), lk
    # A fault never creates a finding, so never a failing exit code (1) on its own.
    assert findings_of(report) <= findings_of(clean), findings_of(report) - findings_of(clean)
    not_found = {r["index"] for r in report["references"] if r["status"] == "not_found"}
    assert not_found <= {r["index"] for r in clean["references"] if r["status"] == "not_found"}
    for service in dead:
        asked = [lk for lk in failed_lookups if lk["service"] == service]
        assert asked, service
        # More questions than the breaker's threshold went to it: it stopped, and says so.
        assert any(breaker.search(lk["detail"]) for lk in asked), service
        assert any(named.search(lk["detail"]) for lk in asked), service


def requests_to(fake: FakeServices, service: str) -> int:
    return fake.count(CROSSREF if service == "crossref" else EUTILS)


# -- scenarios -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    setup: Callable[[FakeServices, pytest.MonkeyPatch], None]
    reason: str  # regex naming the fault in lookups and findings
    dead: tuple[str, ...] = ()  # services that never answer: breaker and request bound


def _flaky(regex: str, rate: float, *faults: Any, seed: int = 0) -> Callable[..., None]:
    return lambda fake, env: fake.flaky(regex, rate, *faults, seed=seed)


def _set(attr: str) -> Callable[..., None]:
    return lambda fake, env: setattr(fake, attr, True)


def _unresolvable(*variables: str) -> Callable[..., None]:
    def setup(fake: FakeServices, env: pytest.MonkeyPatch) -> None:
        paths = {"CITECHECK_CROSSREF_URL": "/crossref", "CITECHECK_EUTILS_URL": "/eutils"}
        for var in variables:
            env.setenv(var, NO_HOST + paths[var])

    return setup


def _budget(seconds: float) -> Callable[..., None]:
    """503 on every request, patient retries, a run budget shorter than one backoff."""

    def setup(fake: FakeServices, env: pytest.MonkeyPatch) -> None:
        fake.flaky("^/", 1.0, status(503))
        env.setenv("CITECHECK_RETRIES", "3")
        env.setenv("CITECHECK_RUN_BUDGET", str(seconds))

    return setup


_5XX = (status(500), status(503))
_NAMES = r"ConnectError|Name or service not known"
_RESET = r"reset|ReadError|RemoteProtocolError"

SCENARIOS = {
    "crossref-429-storm-retry-after": Scenario(
        _flaky(CROSSREF, 1.0, status(429, headers={"Retry-After": "1"})), r"HTTP 429", ("crossref",)
    ),
    "crossref-429-storm": Scenario(_flaky(CROSSREF, 1.0, status(429)), r"HTTP 429", ("crossref",)),
    "eutils-429-storm": Scenario(_flaky(EUTILS, 1.0, status(429)), r"HTTP 429", ("pubmed",)),
    "crossref-5xx-20%": Scenario(_flaky(CROSSREF, 0.2, *_5XX, seed=1), r"HTTP 50[03]"),
    "eutils-5xx-20%": Scenario(_flaky(EUTILS, 0.2, *_5XX, seed=1), r"HTTP 50[03]"),
    "both-5xx-20%": Scenario(_flaky("^/", 0.2, *_5XX, seed=1), r"HTTP 50[03]"),
    "both-5xx-20%-seed-7": Scenario(_flaky("^/", 0.2, *_5XX, seed=7), r"HTTP 50[03]"),
    "hang-before-headers": Scenario(
        _flaky("^/", 1.0, hang(3 * TIMEOUT)), r"timed out", ("crossref", "pubmed")
    ),
    "stall-mid-body": Scenario(
        _flaky("^/", 1.0, stall(3 * TIMEOUT)), r"timed out", ("crossref", "pubmed")
    ),
    "crossref-truncated-transfer": Scenario(
        _flaky(CROSSREF, 1.0, truncated()), r"RemoteProtocolError|incomplete", ("crossref",)
    ),
    "crossref-truncated-json": Scenario(_flaky(CROSSREF, 1.0, cut()), r"JSON"),
    "efetch-truncated-xml": Scenario(_flaky(r"^/eutils/efetch", 1.0, cut()), r"malformed XML"),
    "esearch-truncated-xml": Scenario(_flaky(r"^/eutils/esearch", 1.0, cut()), r"malformed XML"),
    "ecitmatch-truncated": Scenario(
        _flaky(r"^/eutils/ecitmatch", 1.0, cut()), r"no answer line|malformed"
    ),
    "eutils-truncated-transfer": Scenario(
        _flaky(EUTILS, 1.0, truncated()), r"RemoteProtocolError|incomplete", ("pubmed",)
    ),
    "connection-reset": Scenario(_flaky("^/", 1.0, reset()), _RESET, ("crossref", "pubmed")),
    "dns-crossref": Scenario(_unresolvable("CITECHECK_CROSSREF_URL"), _NAMES, ("crossref",)),
    "dns-eutils": Scenario(_unresolvable("CITECHECK_EUTILS_URL"), _NAMES, ("pubmed",)),
    "dns-both": Scenario(
        _unresolvable("CITECHECK_CROSSREF_URL", "CITECHECK_EUTILS_URL"),
        _NAMES,
        ("crossref", "pubmed"),
    ),
    "crossref-down": Scenario(_set("crossref_down"), _RESET, ("crossref",)),
    "eutils-down": Scenario(_set("eutils_down"), _RESET, ("pubmed",)),
    "both-down": Scenario(_set("down"), _RESET, ("crossref", "pubmed")),
    "run-budget-spent": Scenario(_budget(0.2), r"budget", ("crossref", "pubmed")),
}


@pytest.mark.usefixtures("no_dns", "chunks")
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_fault_never_fakes_a_verdict(
    name: str,
    fake: FakeServices,
    paper: Path,
    clean: dict,
    waits: Waits,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    scenario = SCENARIOS[name]
    scenario.setup(fake, monkeypatch)
    code, report, err = audit_json(paper, capsys)
    assert_invariants(code, report, err, clean, scenario.reason, scenario.dead)
    for service in scenario.dead:
        assert requests_to(fake, service) <= BOUND, (service, requests_to(fake, service))
    # Attempts that never reached the fake: at an unresolvable name. Bounded the same way.
    unreached = report["summary"]["requests"] - fake.count("")
    assert 0 <= unreached <= BOUND * len(scenario.dead) * name.startswith("dns"), unreached
    if "retry-after" in name:
        assert 1.0 in waits.backoff  # the server's Retry-After, not our own backoff
    if "20%" in name:
        assert fake.count("") > clean["summary"]["requests"]  # faults did fire, were retried


def hidden_problems(report: dict, clean: dict) -> list[tuple[int, str, str]]:
    """Entries a fault made look better than they are: another verdict than the fault-free
    run other than `unverified`, or an error finding lost while not `unverified`."""
    before = {r["index"]: r for r in clean["references"]}
    errors = {(i, c, fp) for i, c, sev, fp in findings_of(clean) if sev == "error"}
    now = findings_of(report)
    out = []
    for ref in report["references"]:
        index, status = ref["index"], ref["status"]
        if status == "unverified":
            continue
        if status != before[index]["status"]:
            out.append((index, before[index]["status"], status))
        for i, code, fp in sorted(errors):
            if i == index and not any(f[0] == i and f[3] == fp for f in now):
                out.append((index, code, "lost"))
    return out


@pytest.mark.usefixtures("no_dns", "chunks")
@pytest.mark.parametrize(
    "name",
    [
        n
        for n, scenario in SCENARIOS.items()
        if len(scenario.dead) < 2  # with both dead nothing is matched, nothing can hide
    ],
)
def test_fault_never_hides_a_problem(
    name: str,
    fake: FakeServices,
    paper: Path,
    clean: dict,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    SCENARIOS[name].setup(fake, monkeypatch)
    _, report, _ = audit_json(paper, capsys)
    hidden = hidden_problems(report, clean)
    assert not hidden, hidden


@pytest.mark.usefixtures("chunks")
@pytest.mark.parametrize("down", ["crossref_down", "eutils_down"])
def test_breaker_caps_requests_whatever_the_list_length(
    down: str, fake: FakeServices, paper: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """40 more entries (each asked of both services) must not mean more requests to a dead
    one: without the breaker Crossref would get 2 tries per entry, E-utilities 2 per title."""
    fabricated = "".join(
        f"{11 + i}. Nobody{i} X, Madeup{i} Y. Unpublished trial number {i} of imaginary "
        f"leukemia drug candidate {i}. J Imaginary Res. 2021;12(3):{100 + i}-{105 + i}.\n"
        for i in range(40)
    )
    paper.write_text(manuscript_text() + fabricated, encoding="utf-8")
    setattr(fake, down, True)
    code, report, err = audit_json(paper, capsys)
    service = "crossref" if down == "crossref_down" else "pubmed"
    assert requests_to(fake, service) <= BOUND
    refs = report["references"]
    assert len(refs) == 50 and code == expected_exit(report) and "Traceback" not in err
    assert {r["status"] for r in refs[10:]} == {"unverified"}  # never not_found
    assert (
        sum(any(lk["detail"].startswith("not asked") for lk in r["lookups"]) for r in refs[10:])
        >= 38
    )  # the report says the breaker stopped asking, entry by entry
