"""Accepted findings: per-reference suppressions from the config, and baseline files.

A manuscript that adopts citecheck late has findings its authors have already judged
(a cited preprint on purpose, an old reference kept for history). Suppressing them keeps
them in the report, marked and with the reason, but out of the exit code; ``--ignore``, by
contrast, drops a code everywhere without trace.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citecheck import __version__
from citecheck.atomic import write_text
from citecheck.checks.codes import CODES
from citecheck.errors import ConfigError
from citecheck.fingerprints import fingerprint
from citecheck.model import Finding, ParsedReference, ReferenceResult

BASELINE_FORMAT = 1
BASELINE_FILE = "citecheck-baseline.json"
_IDS = {c.id: name for name, c in CODES.items()}
_PMID = re.compile(r"^(?:pmid:\s*)?(\d{1,9})$", re.IGNORECASE)


@dataclass(frozen=True)
class Suppression:
    """``[[suppress]]`` in the config: these codes (none = all) on the entries ``reference`` names.

    ``reference`` is a DOI, ``pmid:N``, the entry's number in the list, or words the
    entry's text contains; ``"*"`` or no reference means every entry and the document.
    """

    codes: tuple[str, ...] = ()
    reference: str | None = None
    reason: str = ""

    def applies(self, finding: Finding, result: ReferenceResult | None) -> bool:
        if self.codes and finding.code not in self.codes:
            return False
        if self.reference in (None, "*"):
            return True
        return result is not None and _names(self.reference, result.index, result.reference)


def _names(selector: str, index: int, ref: ParsedReference) -> bool:
    selector = selector.strip()
    if selector.isdigit() and len(selector) <= 4:
        return selector in {str(index), str(ref.number)}
    pmid = _PMID.match(selector)
    if pmid and selector.lower().startswith("pmid"):
        return ref.pmid == pmid.group(1)
    if selector.lower().removeprefix("doi:").strip().startswith("10."):
        doi = selector.lower().removeprefix("doi:").strip()
        return (ref.doi or "").lower() == doi
    return " ".join(selector.split()).lower() in " ".join(ref.raw.split()).lower()


def parse_suppressions(value: Any) -> tuple[Suppression, ...]:
    """From the config's list of tables; codes may be names ("off-topic") or ids ("CC140")."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError("suppress must be a list of tables ([[tool.citecheck.suppress]])")
    out = []
    for item in value:
        unknown = set(item) - {"codes", "code", "reference", "reason"}
        if unknown:
            raise ConfigError(f"suppress: unknown key(s) {', '.join(sorted(unknown))}")
        raw_codes = item.get("codes", item.get("code", []))
        raw_codes = [raw_codes] if isinstance(raw_codes, str) else list(raw_codes)
        codes = []
        for code in raw_codes:
            name = _IDS.get(str(code).upper(), str(code))
            if name not in CODES:
                raise ConfigError(f"suppress: unknown finding code {code!r}")
            codes.append(name)
        reference = item.get("reference")
        out.append(
            Suppression(
                codes=tuple(codes),
                reference=None if reference is None else str(reference),
                reason=str(item.get("reason", "")),
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class Suppressed:
    """A finding kept out of the verdict, with why; ``index`` None for the document."""

    finding: Finding
    index: int | None
    fingerprint: str
    reason: str

    def to_dict(self) -> dict[str, object]:
        return {
            "index": self.index,
            "fingerprint": self.fingerprint,
            "reason": self.reason,
            "finding": self.finding.to_dict(),
        }


class Baseline:
    """Fingerprints of accepted findings, per manuscript path, in a small JSON file."""

    def __init__(self, entries: dict[str, dict[str, dict[str, Any]]] | None = None) -> None:
        self.entries = entries or {}

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: baseline file not found") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ConfigError(f"{path}: not a citecheck baseline ({exc})") from None
        if not isinstance(data, dict) or data.get("citecheck_baseline") != BASELINE_FORMAT:
            raise ConfigError(f"{path}: not a citecheck baseline (format {BASELINE_FORMAT})")
        manuscripts = data.get("manuscripts", {})
        return cls({m: {e["fingerprint"]: e for e in items} for m, items in manuscripts.items()})

    def accepted(self, manuscript: str) -> dict[str, dict[str, Any]]:
        return self.entries.get(_key(manuscript), {})

    def record(self, manuscript: str, items: Iterable[tuple[Finding, ParsedReference | None]]):
        """Replace this manuscript's entries with the given findings (other manuscripts kept)."""
        self.entries[_key(manuscript)] = {
            fingerprint(f, ref): {
                "fingerprint": fingerprint(f, ref),
                "code": f.code,
                "reference": " ".join(ref.raw.split())[:160] if ref else None,
                "message": f.message,
            }
            for f, ref in items
            if f.code != "unverified"  # a failed lookup is not a finding to accept
        }

    def save(self, path: Path) -> None:
        data = {
            "citecheck_baseline": BASELINE_FORMAT,
            "tool": f"citecheck {__version__}",
            "manuscripts": {
                m: sorted(items.values(), key=lambda e: (e["code"], e["fingerprint"]))
                for m, items in sorted(self.entries.items())
            },
        }
        write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _key(manuscript: str) -> str:
    """Paths as given, with forward slashes, so a baseline works on every OS."""
    return Path(manuscript).as_posix()


def apply(
    results: list[ReferenceResult],
    findings: list[Finding],
    suppressions: tuple[Suppression, ...],
    accepted: dict[str, dict[str, Any]],
) -> tuple[list[Finding], list[Suppressed], list[str]]:
    """Move suppressed findings out of ``results`` and ``findings``.

    Returns the document-level findings left, what was suppressed, and notes (baseline
    entries that no longer occur, so the baseline can shrink).
    """
    suppressed: list[Suppressed] = []
    seen: set[str] = set()

    def keep(f: Finding, result: ReferenceResult | None) -> bool:
        if f.code == "unverified":
            return True
        rule = next((s for s in suppressions if s.applies(f, result)), None)
        if rule is None and not accepted:
            return True  # nothing to look up: no fingerprint needed (the usual run)
        fp = fingerprint(f, result.reference if result else None)
        reason = None
        if rule is not None:
            reason = f"config: {rule.reason}" if rule.reason else "config"
        if fp in accepted:
            seen.add(fp)
            reason = reason or "baseline"
        if reason is None:
            return True
        suppressed.append(Suppressed(f, result.index if result else None, fp, reason))
        return False

    for result in results:
        result.findings = [f for f in result.findings if keep(f, result)]
        if result.status == "problem" and not any(
            f.severity in ("error", "warning") for f in result.findings
        ):
            result.status = "verified"
    left = [f for f in findings if keep(f, None)]
    notes = []
    gone = len(set(accepted) - seen)
    if gone:
        notes.append(
            f"baseline: {gone} accepted finding(s) no longer occur; "
            "rewrite the baseline with --write-baseline to drop them"
        )
    return left, suppressed, notes
