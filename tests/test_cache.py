"""SQLite cache: answers kept, failures never, corrupt files set aside."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import pytest
import respx

from citecheck.resolve.cache import Cache
from citecheck.resolve.http import Http
from citecheck.resolve.interface import ServerError
from citecheck.settings import Settings

URL = "https://api.crossref.org/works"


def test_roundtrip_and_ttl(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    key = Cache.key("GET", URL, {"a": "1", "mailto": "x@y"}, None, {"mailto"})
    assert key == Cache.key("GET", URL, {"a": "1", "mailto": "other@z"}, None, {"mailto"})
    cache.put(key, 200, {"content-type": "application/json"}, b"{}")
    assert cache.get(key) == (200, {"content-type": "application/json"}, b"{}")
    assert Cache(tmp_path, ttl_days=0).get(key) is None


@respx.mock
def test_failures_are_never_cached(settings: Settings, tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    http = Http(settings.replace(retries=0), cache=cache, sleep=lambda s: None)
    route = respx.get(URL).mock(
        side_effect=[httpx.Response(500), httpx.Response(200, content=b"ok")]
    )
    with pytest.raises(ServerError):
        http.request("crossref", "GET", URL)
    assert http.request("crossref", "GET", URL).body == b"ok"
    again = http.request("crossref", "GET", URL)
    assert again.from_cache and route.call_count == 2


def test_corrupt_cache_is_set_aside(tmp_path: Path) -> None:
    (tmp_path / "responses.sqlite3").write_bytes(b"this is not a database" * 100)
    cache = Cache(tmp_path)
    assert cache.warning and "moved" in cache.warning
    cache.put("k", 200, {}, b"x")
    assert cache.get("k") is not None
    assert list(tmp_path.glob("responses.sqlite3.unusable-*"))


def test_cache_of_another_schema_version_is_set_aside(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "responses.sqlite3")
    db.execute("CREATE TABLE responses (k TEXT)")
    db.execute("PRAGMA user_version=99")
    db.commit()
    db.close()
    assert Cache(tmp_path).warning is not None
