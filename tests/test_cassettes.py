"""Replay answers only from recorded evidence; record scrubs secrets."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from citecheck.resolve.cassettes import RecordingTransport, ReplayTransport
from citecheck.resolve.crossref import Crossref
from citecheck.resolve.http import Http
from citecheck.resolve.interface import NotRecorded
from citecheck.resolve.pubmed import PubMed
from citecheck.settings import Settings
from tests.conftest import data


def _live(request: httpx.Request) -> httpx.Response:
    if "esearch" in request.url.path:
        return httpx.Response(
            200, content=data("esearch1.xml"), headers={"content-type": "text/xml; charset=UTF-8"}
        )
    return httpx.Response(
        200,
        content=data("crossref_work_10.1371_journal.pone.0033693.json"),
        headers={"content-type": "application/json", "x-rate-limit-limit": "10"},
    )


def test_record_then_replay_identically_without_secrets(settings: Settings, tmp_path: Path) -> None:
    secret = settings.replace(mailto="editor@example.org", ncbi_api_key="KEY123SECRET")
    recorder = RecordingTransport(
        httpx.MockTransport(_live), tmp_path / "rec", ["KEY123SECRET", "editor@example.org"]
    )
    http = Http(secret, transport=recorder, sleep=lambda s: None)
    live_rec = Crossref(http, secret.crossref_url).work("10.1371/journal.pone.0033693")
    live_ids = PubMed(http, secret.eutils_url).search("melanoma[ti]")
    recorder.save()
    text = "".join(p.read_text() for p in (tmp_path / "rec").glob("*.yaml"))
    assert "KEY123SECRET" not in text and "editor@example.org" not in text
    assert sorted(p.name for p in (tmp_path / "rec").glob("*.yaml")) == [
        "crossref.yaml",
        "pubmed.yaml",
    ]

    replay = Http(settings, transport=ReplayTransport(tmp_path / "rec"), sleep=lambda s: None)
    assert (
        Crossref(replay, "http://mirror.invalid/api").work("10.1371/journal.pone.0033693")
        == live_rec
    )
    assert PubMed(replay, settings.eutils_url).search("melanoma[ti]") == live_ids
    with pytest.raises(NotRecorded):
        PubMed(replay, settings.eutils_url).search("leukemia[ti]")
