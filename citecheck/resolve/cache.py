"""SQLite response cache: embedded, on by default, safe to share between runs.

Only answers are stored (statuses the caller declared as answers: 200, and 404 for a DOI
that does not exist); failures never are. A cache file that is corrupt or from an
incompatible version is set aside, not fatal.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

SCHEMA_VERSION = 1


class Cache:
    def __init__(self, directory: Path, ttl_days: float = 30.0) -> None:
        self.ttl = ttl_days * 86400
        self.path = directory / "responses.sqlite3"
        self.warning: str | None = None
        self._lock = threading.Lock()  # one connection, shared by the lookup threads
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self.db = self._open()
        except (sqlite3.DatabaseError, OSError) as exc:
            self.db = self._set_aside(exc)

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = db.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
        if tables and version != SCHEMA_VERSION:
            db.close()
            raise sqlite3.DatabaseError(f"cache schema {version}, expected {SCHEMA_VERSION}")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(
            "CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, status INTEGER,"
            " headers TEXT, body BLOB, stored REAL)"
        )
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        return db

    def _set_aside(self, exc: Exception) -> sqlite3.Connection:
        aside = self.path.with_name(f"{self.path.name}.unusable-{int(time.time())}")
        try:
            if self.path.exists():
                self.path.rename(aside)
            self.warning = f"cache {self.path} was unusable ({exc}); moved to {aside.name}"
            return self._open()
        except (sqlite3.DatabaseError, OSError):
            self.warning = f"cache {self.path} is unusable ({exc}); running without cache"
            return sqlite3.connect(":memory:", check_same_thread=False)

    @staticmethod
    def key(
        method: str,
        url: str,
        params: Mapping[str, str] | None,
        data: Mapping[str, str] | None,
        secret: Iterable[str] = (),
    ) -> str:
        secret = set(secret)
        visible = sorted((k, v) for k, v in (params or {}).items() if k not in secret)
        form = sorted((k, v) for k, v in (data or {}).items() if k not in secret)
        raw = json.dumps([method.upper(), url, visible, form])
        return hashlib.sha256(raw.encode()).hexdigest()

    def get(self, key: str) -> tuple[int, dict[str, str], bytes] | None:
        try:
            with self._lock:
                row = self.db.execute(
                    "SELECT status, headers, body, stored FROM responses WHERE key=?", (key,)
                ).fetchone()
        except sqlite3.DatabaseError:
            return None
        if row is None or time.time() - row[3] > self.ttl:
            return None
        return row[0], json.loads(row[1]), bytes(row[2])

    def put(self, key: str, status: int, headers: dict[str, str], body: bytes) -> None:
        # A cache that cannot be written is a slower run, not a failed one.
        with contextlib.suppress(sqlite3.DatabaseError), self._lock:
            self.db.execute(
                "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?)",
                (key, status, json.dumps(headers), body, time.time()),
            )

    def close(self) -> None:
        # Not while a lookup thread is inside get or put: after Ctrl-C, requests already in
        # flight still finish (and store their answer) while the main thread closes up.
        # Afterwards their get/put meet a closed database: a ProgrammingError, suppressed.
        with self._lock:
            self.db.close()
