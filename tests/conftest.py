"""Shared fixtures: a clean environment, canned records, recorded bodies, an Http stack."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from citecheck.model import Author, ParsedReference, Record
from citecheck.resolve.http import Http
from citecheck.settings import Settings

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
SEED = ROOT / "examples" / "001_ea8cd2c476dabe3b.txt"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's settings, cache or network."""
    import os

    for var in list(os.environ):
        if var.startswith(("CITECHECK_", "NCBI_")):
            monkeypatch.delenv(var)
    monkeypatch.setenv("CITECHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def no_outside_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection to anything but loopback is a test bug."""
    real = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else str(address)
        if host not in ("127.0.0.1", "::1", "localhost") and not isinstance(address, str | bytes):
            raise OSError(f"test tried to reach {host}")
        return real(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


def use_services(
    monkeypatch: pytest.MonkeyPatch, services: object, timeout: float = 0.3, retries: int = 1
) -> None:
    """Point citecheck's endpoints at a running FakeServices, with short timeouts."""
    monkeypatch.setenv("CITECHECK_CROSSREF_URL", services.crossref_url)  # type: ignore[attr-defined]
    monkeypatch.setenv("CITECHECK_EUTILS_URL", services.eutils_url)  # type: ignore[attr-defined]
    monkeypatch.setenv("CITECHECK_TIMEOUT", str(timeout))
    monkeypatch.setenv("CITECHECK_RETRIES", str(retries))


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        cache_dir=tmp_path / "cache", use_cache=False, retries=2, timeout=2.0, run_budget=60
    )


@pytest.fixture
def http(settings: Settings) -> Iterator[Http]:
    """Http over the default transport (respx intercepts it); sleeping is instant."""
    client = Http(settings, sleep=lambda s: None)
    yield client
    client.close()


def make_http(settings: Settings, handler: object) -> Http:
    return Http(settings, transport=httpx.MockTransport(handler), sleep=lambda s: None)  # type: ignore[arg-type]


def ref(**kw: object) -> ParsedReference:
    kw.setdefault("raw", "")
    return ParsedReference(**kw)  # type: ignore[arg-type]


def authors(*names: str) -> tuple[Author, ...]:
    out = []
    for n in names:
        family, _, initials = n.rpartition(" ")
        out.append(Author(family, initials))
    return tuple(out)


@pytest.fixture
def jaffe_record() -> Record:
    """Seed reference (h), metadata as verified in cassettes/README.md."""
    return Record(
        source="pubmed",
        pmid="19029456",
        doi="10.1182/blood-2008-07-077982",
        title="Classification of lymphoid neoplasms: the microscope as a tool for disease discovery",
        container="Blood",
        container_abbrev=("Blood",),
        year=2008,
        years=(2008,),
        volume="112",
        issue="12",
        pages="4384-99",
        authors=authors("Jaffe ES", "Harris NL", "Stein H", "Isaacson PG"),
    )
