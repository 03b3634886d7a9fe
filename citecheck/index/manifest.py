"""What an index holds and where it came from: ``manifest.json`` beside the data.

Users copy an index between machines and apply updates for months; the manifest is how
they (and ``citecheck check``) know its sources, its age and whether it is complete.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from citecheck import __version__
from citecheck.atomic import write_text
from citecheck.errors import InputError
from citecheck.index.codec import FORMAT

NAME = "manifest.json"


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class Manifest:
    format: int = FORMAT
    citecheck: str = __version__
    created: str = field(default_factory=now)
    updated: str = ""
    # One entry per file applied: kind, name, path, sha256, bytes, applied, counts.
    sources: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    # The file being applied when a build stopped; the next build repairs it.
    in_progress: str | None = None
    # Sources the builder declared whole (``--complete``: every file of a public data file
    # or baseline). Only for these does the index's silence mean "no such work".
    complete: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, directory: Path) -> Manifest:
        path = directory / NAME
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(f"{directory} is not a citecheck index (no {NAME})") from None
        except (OSError, ValueError) as exc:
            raise InputError(f"{path} is unreadable: {exc}") from None
        if not isinstance(raw, dict):
            raise InputError(f"{path} is not a citecheck index manifest")
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        manifest = cls(**known)
        if manifest.format != FORMAT:
            raise InputError(
                f"{directory} is an index of format {manifest.format}; this citecheck "
                f"reads format {FORMAT}: rebuild it with `citecheck index build`"
            )
        return manifest

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True) + "\n"

    def save(self, directory: Path) -> None:
        self.updated = now()
        write_text(directory / NAME, self.to_json())

    def summary(self, directory: Path) -> str:
        """For ``citecheck index info``: counts, age, and every file applied."""
        t = self.totals
        lines = [
            f"index:     {directory}",
            f"format:    {self.format} (citecheck {self.citecheck})",
            f"created:   {self.created}",
            f"updated:   {self.updated or self.created} ({self.age_days():.1f} days ago)",
            f"crossref:  {t.get('crossref', 0):,} works",
            f"pubmed:    {t.get('pubmed', 0):,} records",
            f"retraction watch: {t.get('retraction_watch', 0):,} notices",
            f"coverage:  {self.coverage()}",
        ]
        if self.in_progress:
            lines.append(f"INCOMPLETE: {self.in_progress} was being applied; build again")
        lines.append(f"sources ({len(self.sources)}):")
        for s in self.sources:
            counts = ", ".join(f"{k} {v:,}" for k, v in sorted(s.get("counts", {}).items()))
            lines.append(f"  {s.get('applied')}  {s.get('kind')}  {s.get('path')}")
            lines.append(f"      sha256 {str(s.get('sha256'))[:16]}…  {s.get('bytes', 0):,} bytes")
            lines.append(f"      {counts}")
        return "\n".join(lines) + "\n"

    def coverage(self) -> str:
        parts = [
            f"{source} {'complete' if source in self.complete else 'partial'}"
            for source in ("crossref", "pubmed")
            if self.totals.get(source)
        ]
        return ", ".join(parts) or "empty"

    def applied(self, sha256: str) -> dict[str, Any] | None:
        return next((s for s in self.sources if s.get("sha256") == sha256), None)

    def age_days(self, at: datetime | None = None) -> float:
        stamp = datetime.fromisoformat((self.updated or self.created).replace("Z", "+00:00"))
        return ((at or datetime.now(UTC)) - stamp).total_seconds() / 86400
