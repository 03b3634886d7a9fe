"""Replay and record HTTP evidence as vcrpy-format YAML cassettes.

``--replay DIR`` answers every request from DIR and nothing else; a request that was not
recorded raises ``NotRecorded`` (the reference becomes `unverified`). ``--record DIR`` wraps
the live transport and writes what it saw, with secrets removed, so an audit can be
archived and re-run identically. Requests match on method, path and query/form parameters
(order-free, secrets ignored); the host is ignored so mirrors replay the same evidence.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import yaml

from citecheck.atomic import write_text
from citecheck.errors import InputError
from citecheck.resolve.http import scrub
from citecheck.resolve.interface import NotRecorded

SECRET_PARAMS = ("api_key", "email", "mailto", "tool")
_SERVICE_BY_PATH = (
    ("/works", "crossref"),
    ("eutils", "pubmed"),
    (".fcgi", "pubmed"),
    (".cgi", "pubmed"),
)


def _service(path: str) -> str:
    for marker, service in _SERVICE_BY_PATH:
        if marker in path:
            return service
    return "other"


def _match_key(method: str, url: str, body: str) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    parts = urlsplit(url)
    params = parse_qsl(parts.query, keep_blank_values=True)
    if body:
        params += parse_qsl(body, keep_blank_values=True)
    visible = tuple(sorted((k, v) for k, v in params if k not in SECRET_PARAMS))
    path = parts.path
    for marker in ("/works", "/esearch", "/efetch", "/esummary", "/ecitmatch", "/elink", "/einfo"):
        if marker in path:
            path = path[path.index(marker) :]
            break
    return method.upper(), path, visible


def _load(directory: Path) -> dict[tuple[Any, ...], dict[str, Any]]:
    if not directory.is_dir():
        raise InputError(f"{directory}: replay directory not found")
    table: dict[tuple[Any, ...], dict[str, Any]] = {}
    for path in sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")]):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: not a readable cassette ({exc})") from None
        for item in data.get("interactions", []):
            req = item["request"]
            body = req.get("body") or ""
            table.setdefault(_match_key(req["method"], req["uri"], body), item["response"])
    return table


class ReplayTransport(httpx.BaseTransport):
    def __init__(self, directory: Path) -> None:
        self.table = _load(directory)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read().decode("utf-8", errors="replace")
        key = _match_key(request.method, str(request.url), body)
        response = self.table.get(key)
        if response is None:
            raise NotRecorded(_service(key[1]), "not in the recorded evidence")
        headers = [
            (name, value)
            for name, values in (response.get("headers") or {}).items()
            if name.lower() not in {"content-encoding", "content-length", "transfer-encoding"}
            for value in (values if isinstance(values, list) else [values])
        ]
        content = response["body"]["string"]
        if isinstance(content, str):
            content = content.encode("utf-8")
        return httpx.Response(response["status"]["code"], headers=headers, content=content)


class RecordingTransport(httpx.BaseTransport):
    """Passes requests to ``inner`` and keeps scrubbed interactions for ``save``."""

    def __init__(self, inner: httpx.BaseTransport, directory: Path, secrets: list[str]) -> None:
        self.inner = inner
        self.directory = directory
        self.secrets = [s for s in secrets if s]
        self.interactions: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def _scrub(self, text: str) -> str:
        return scrub(text, self.secrets)

    def _scrub_url(self, url: str) -> str:
        parts = urlsplit(url)
        params = [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k not in SECRET_PARAMS
        ]
        return self._scrub(parts._replace(query=urlencode(params)).geturl())

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        content = response.read()
        body = request.read().decode("utf-8", errors="replace")
        form = [
            (k, v) for k, v in parse_qsl(body, keep_blank_values=True) if k not in SECRET_PARAMS
        ]
        item = {
            "request": {
                "method": request.method,
                "uri": self._scrub_url(str(request.url)),
                "body": urlencode(form) if body else "",
                "headers": {"user-agent": [self._scrub(request.headers.get("user-agent", ""))]},
            },
            "response": {
                "status": {"code": response.status_code, "message": response.reason_phrase},
                "headers": {
                    k.lower(): [self._scrub(v)]
                    for k, v in response.headers.items()
                    if k.lower() not in {"content-encoding", "content-length", "set-cookie"}
                },
                "body": {"string": self._scrub(content.decode("utf-8", errors="replace"))},
            },
        }
        with self._lock:
            self.interactions.append(item)
        return httpx.Response(
            response.status_code, headers=response.headers, content=content, request=request
        )

    def close(self) -> None:
        self.inner.close()

    def save(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        by_service: dict[str, list[dict[str, Any]]] = {}
        for item in self.interactions:
            by_service.setdefault(_service(urlsplit(item["request"]["uri"]).path), []).append(item)
        for service, items in by_service.items():
            path = self.directory / f"{service}.yaml"
            existing: list[dict[str, Any]] = []
            if path.exists():
                existing = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(
                    "interactions", []
                )
            write_text(
                path,
                yaml.safe_dump(
                    {"interactions": existing + items, "version": 1},
                    allow_unicode=True,
                    sort_keys=False,
                    width=100,
                ),
            )
