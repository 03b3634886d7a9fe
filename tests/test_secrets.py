"""Secrets never leak: the NCBI API key and the contact address stay out of every output.

Both are sent to the services (api_key, email/mailto parameters, the User-Agent): that is
their purpose. They must not reach stdout, stderr, a report, a recorded cassette, the cache
or a log record, whatever the services answer, including error pages that print the
request back. Searched for: the key (letters and digits, the same in every URL encoding)
and the address's distinctive local part (so "%40" for "@" does not hide it).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from citecheck.cli import main
from citecheck.references.export import EXPORTS
from citecheck.report import FORMATS
from tests.conftest import use_services
from tests.fakeservice import FakeServices, hang, reset, status
from tests.test_faults import CROSSREF, EUTILS, WORKS, manuscript_text, waits

__all__ = ["waits"]  # the fixture: backoff and pacing recorded, not slept

TIMEOUT = 0.2  # seconds per request; the hangs below are longer
KEY = "k3yNCBIsecret0f9e8d7c6b5a4"
MAILTO = "qz7-contact-secret@example.org"
NEEDLES = (KEY, "qz7-contact-secret")
# E-utilities answer a mistyped key with a 400 whose JSON body quotes the key back.
BAD_KEY = json.dumps(
    {"error": "API key invalid", "api-key": KEY, "type": "invalid", "status": "unknown"}
)
REFERENCE = (
    "Pui CH, Evans WE. Treatment of acute lymphoblastic leukemia. N Engl J Med. 2006;354(2):166-78."
)


def leaks(data: str | bytes, where: str) -> list[str]:
    raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
    return [f"{where}: {n}" for n in NEEDLES if n.encode() in raw]


def files_under(*folders: Path) -> Iterator[Path]:
    for folder in folders:
        if folder.is_dir():
            yield from (p for p in sorted(folder.rglob("*")) if p.is_file())


def assert_clean(out: str, err: str, *folders: Path) -> None:
    found = leaks(out, "stdout") + leaks(err, "stderr")
    for path in files_under(*folders):
        found += leaks(path.read_bytes(), str(path))
    assert not found, found


@pytest.fixture
def secret_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCBI_API_KEY", KEY)
    monkeypatch.setenv("CITECHECK_MAILTO", MAILTO)


@pytest.fixture
def fake(
    monkeypatch: pytest.MonkeyPatch, waits: object, secret_env: None
) -> Iterator[FakeServices]:
    with FakeServices(WORKS) as services:
        use_services(monkeypatch, services, timeout=TIMEOUT, retries=1)
        yield services
    assert services.errors == []


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    path = tmp_path / "paper.md"
    path.write_text(manuscript_text(), encoding="utf-8")
    return path


def secrets_were_sent(fake: FakeServices) -> None:
    """Against a vacuous pass: the services did get both (E-utilities as api_key and email,
    Crossref as mailto)."""
    asked = [{**r.query, **dict(parse_qsl(r.body))} for r in fake.requests]
    assert any(q.get("api_key") == KEY and q.get("email") == MAILTO for q in asked), asked
    assert any(q.get("mailto") == MAILTO for q in asked), asked


SITUATIONS = {
    "success": lambda fake: None,
    "500-printing-the-request": lambda fake: fake.flaky(
        "^/", 0.5, status(500, "Internal error while serving ", echo=True), seed=3
    ),
    "400-printing-the-key": lambda fake: (
        fake.flaky(
            EUTILS, 1.0, status(400, BAD_KEY, {"Content-Type": "application/json"}, echo=True)
        ),
        fake.flaky(CROSSREF, 1.0, status(400, "Bad request: ", echo=True)),
    ),
    "timeouts": lambda fake: fake.flaky("^/", 1.0, hang(3 * TIMEOUT)),
    "429-retry-after": lambda fake: fake.flaky(
        "^/", 0.5, status(429, "Too many requests: ", {"Retry-After": "1"}, echo=True), seed=5
    ),
    "reset": lambda fake: fake.flaky(EUTILS, 1.0, reset()),
}


@pytest.mark.parametrize(
    ("situation", "record"),
    [
        pytest.param(
            situation,
            record,
            id=f"{situation}-{'record' if record else 'cache'}",
        )
        for situation in SITUATIONS
        for record in (False, True)
    ],
)
def test_check_keeps_secrets_out_of_output_cassettes_and_cache(
    situation: str,
    record: bool,
    fake: FakeServices,
    paper: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    SITUATIONS[situation](fake)
    cache, cassettes = tmp_path / "cache", tmp_path / "evidence"
    args = ["--record", str(cassettes)] if record else ["--cache-dir", str(cache)]
    code = main(["check", str(paper), "--format", "json", *args])
    out, err = capsys.readouterr()
    assert code in (0, 1, 3), err
    json.loads(out)
    secrets_were_sent(fake)
    assert_clean(out, err, cache, cassettes)
    if record and situation != "timeouts":  # nothing answered, nothing to record
        assert list(cassettes.glob("*.yaml"))
    elif situation == "success":
        assert (cache / "responses.sqlite3").stat().st_size > 0


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_report_format_keeps_secrets_out(
    fmt: str,
    fake: FakeServices,
    paper: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Failure reasons reach the reports: let some lookups fail with pages printing the
    request, and run as inside GitHub Actions (annotations, job summary) too."""
    fake.flaky(EUTILS, 1.0, status(400, BAD_KEY, echo=True))
    fake.flaky(r"^/crossref/works\?query", 0.5, status(500, "Error: ", echo=True), seed=2)
    reports = tmp_path / "reports"
    reports.mkdir()
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(reports / "summary.md"))
    code = main(["check", str(paper), "--format", fmt, "--no-cache"])
    out, err = capsys.readouterr()
    main(["check", str(paper), "--format", fmt, "--no-cache", "-o", str(reports / f"r.{fmt}")])
    out2, err2 = capsys.readouterr()
    assert code in (1, 3) and "::error" in err
    assert "HTTP 400" in out  # the failure, and the URL asked, reached the report
    secrets_were_sent(fake)
    assert_clean(out + out2, err + err2, reports)
    assert (reports / f"r.{fmt}").stat().st_size > 0


def test_batch_reports_and_index_keep_secrets_out(
    fake: FakeServices, paper: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.flaky(EUTILS, 0.5, status(503, "Unavailable: ", echo=True), seed=4)
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in ("a.md", "b.md"):
        (folder / name).write_text(paper.read_text(encoding="utf-8"), encoding="utf-8")
    out_dir = tmp_path / "reports"
    code = main(["check", str(folder), "--output-dir", str(out_dir), "--no-cache"])
    out, err = capsys.readouterr()
    assert code in (1, 3) and (out_dir / "index.html").is_file()
    assert_clean(out, err, out_dir)


@pytest.mark.parametrize("fmt", sorted(EXPORTS))
def test_extract_keeps_secrets_out(
    fmt: str, secret_env: None, paper: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out" / f"refs.{fmt}"
    target.parent.mkdir()
    assert main(["extract", str(paper), "--format", fmt]) == 0
    assert main(["extract", str(paper), "--format", fmt, "-o", str(target)]) == 0
    out, err = capsys.readouterr()
    assert out and target.stat().st_size > 0
    assert_clean(out, err, target.parent)


@pytest.mark.parametrize("fmt", ["json", "terminal"])
@pytest.mark.parametrize("situation", ["success", "400-printing-the-key", "timeouts"])
def test_resolve_keeps_secrets_out(
    situation: str,
    fmt: str,
    fake: FakeServices,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    SITUATIONS[situation](fake)
    cache = tmp_path / "cache"
    code = main(["resolve", REFERENCE, "--format", fmt, "--cache-dir", str(cache)])
    out, err = capsys.readouterr()
    assert code == (0 if situation == "success" else 3), (out, err)
    if situation != "success":
        assert "unverified" in out and ("HTTP 400" in out or "timed out" in out)
    secrets_were_sent(fake)
    assert_clean(out, err, cache)


@pytest.mark.parametrize(
    "situation",
    [
        "success",
        "500-printing-the-request",
        "timeouts",
    ],
)
def test_log_records_hold_no_secret(
    situation: str,
    fake: FakeServices,
    paper: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Everything citecheck and its HTTP stack log, at DEBUG, as a library user with
    logging configured (or a CI job with verbose logs) would keep it."""
    for name in ("citecheck", "httpx", "httpcore", "tenacity"):
        caplog.set_level(logging.DEBUG, logger=name)
    SITUATIONS[situation](fake)
    main(["check", str(paper), "--format", "json", "--no-cache"])
    capsys.readouterr()
    secrets_were_sent(fake)
    found: list[str] = []
    for rec in caplog.records:
        found += leaks(f"{rec.getMessage()} {rec.exc_text or ''}", f"log {rec.name}")
    assert not found, sorted(set(found))
