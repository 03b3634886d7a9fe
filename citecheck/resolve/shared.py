"""What a batch worker opens once and lends to each manuscript's run: the index and a client.

``audit.services`` builds the HTTP stack and the resolver per manuscript, because their
state belongs to that manuscript's run and report: the time budget, the request count, the
circuit breaker, the limiters that learn from Crossref's headers. Opening the local index
and building an HTTP client (its TLS context alone takes some 30-80 ms) does not; a process
auditing many manuscripts does both once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from citecheck.resolve.cassettes import ReplayTransport
from citecheck.resolve.http import new_client
from citecheck.settings import Settings

if TYPE_CHECKING:
    from citecheck.resolve.index import LocalIndex


class Shared:
    """Opened for one ``Settings`` and used only with them (``audit.check(..., shared=)``)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client: httpx.Client | None = None
        self.index: LocalIndex | None = None
        try:
            if settings.record_dir is None:  # a recording run keeps its own, to save it
                replay = settings.replay_dir
                self.client = new_client(settings, ReplayTransport(replay) if replay else None)
            if settings.index is not None:
                from citecheck.resolve.index import LocalIndex

                self.index = LocalIndex(settings.index)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.index is not None:
            self.index.close()
            self.index = None
        if self.client is not None:
            self.client.close()
            self.client = None

    def __enter__(self) -> Shared:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
