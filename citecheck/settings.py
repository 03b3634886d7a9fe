"""Settings: defaults, then a config file, then ``CITECHECK_*`` environment, then flags.

Secrets (``NCBI_API_KEY``) are read from the environment only, never from a config file
that might be committed next to a manuscript.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from citecheck.errors import ConfigError
from citecheck.relevance.score import DEFAULT_THRESHOLD, DEFAULT_WEAK_THRESHOLD, DEFAULT_WEIGHTS
from citecheck.suppress import Suppression, parse_suppressions

CROSSREF_URL = "https://api.crossref.org"
EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
FAIL_ON = ("error", "warning", "info", "never")
EXECUTORS = ("local", "ray")  # how a batch runs its manuscripts side by side


@dataclass(frozen=True)
class Settings:
    crossref_url: str = CROSSREF_URL
    eutils_url: str = EUTILS_URL
    mailto: str | None = None
    ncbi_api_key: str | None = field(default=None, repr=False)
    ncbi_tool: str = "citecheck"
    cache_dir: Path = field(default_factory=lambda: Path(platformdirs.user_cache_dir("citecheck")))
    use_cache: bool = True
    cache_ttl_days: float = 30.0
    timeout: float = 10.0  # seconds per request (connect, read, write, pool)
    retries: int = 3  # extra attempts after the first, for transient failures
    max_retry_wait: float = 30.0  # a Retry-After longer than this is not waited for
    run_budget: float = 300.0  # seconds for all lookups of one manuscript
    reference_budget: float = 60.0  # seconds for one reference's own questions, retries included
    crossref_rows: int = 5
    fail_on: str = "error"
    replay_dir: Path | None = None
    record_dir: Path | None = None
    max_input_mb: float = 20.0
    ignore: tuple[str, ...] = ()
    relevance: bool = True  # the off-topic check
    topic: str | None = None  # what the manuscript is about, in the user's words
    relevance_threshold: float = DEFAULT_THRESHOLD  # below: off-topic (warning)
    relevance_weak_threshold: float = DEFAULT_WEAK_THRESHOLD  # below: loosely related (info)
    relevance_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    off_topic_share: float = 0.5  # above this share of the list: reference-list-off-topic
    submitted: str | None = None  # when the manuscript was received (default: from its text)
    suppress: tuple[Suppression, ...] = ()  # accepted findings, per reference ([[suppress]])
    baseline: Path | None = None  # a baseline file of accepted findings to apply
    write_baseline: Path | None = None  # accept every current finding into this baseline
    index: Path | None = None  # resolve from this local index (citecheck index build)
    online: bool = False  # with an index: ask the services for what it cannot match
    index_max_age_days: float = 90.0  # an older index is named in the report's notes
    executor: str = "local"  # a batch's processes: a local pool, or Ray (the ray extra)
    jobs: int = 0  # manuscripts of a batch audited at once; 0 = as many as is polite
    # Processes that ask the services at the same time; each keeps to its share of the
    # rate and concurrency limits. Set by a batch for its workers, not by users.
    limits_shared_by: int = 1

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


_ENV = {
    "CITECHECK_CROSSREF_URL": ("crossref_url", str),
    "CITECHECK_EUTILS_URL": ("eutils_url", str),
    "CITECHECK_MAILTO": ("mailto", str),
    "CITECHECK_CACHE_DIR": ("cache_dir", Path),
    "CITECHECK_TIMEOUT": ("timeout", float),
    "CITECHECK_RETRIES": ("retries", int),
    "CITECHECK_RUN_BUDGET": ("run_budget", float),
    "CITECHECK_REFERENCE_BUDGET": ("reference_budget", float),
    "CITECHECK_FAIL_ON": ("fail_on", str),
    "CITECHECK_TOPIC": ("topic", str),
    "CITECHECK_BASELINE": ("baseline", Path),
    "CITECHECK_INDEX": ("index", Path),
    "CITECHECK_INDEX_MAX_AGE_DAYS": ("index_max_age_days", float),
    "CITECHECK_EXECUTOR": ("executor", str),
    "CITECHECK_JOBS": ("jobs", int),
    "NCBI_API_KEY": ("ncbi_api_key", str),
}
_FILE_KEYS = {
    f.name: f.type
    for f in dataclasses.fields(Settings)
    if f.name
    not in {"ncbi_api_key", "replay_dir", "record_dir", "write_baseline", "limits_shared_by"}
}


def _coerce(name: str, value: Any) -> Any:
    target = {f.name: f for f in dataclasses.fields(Settings)}[name]
    kind = str(target.type)
    try:
        if "Path" in kind:
            return Path(os.path.expanduser(str(value)))
        if kind.startswith("bool"):
            if isinstance(value, str):
                return value.strip().lower() in {"1", "true", "yes", "on"}
            return bool(value)
        if kind.startswith("float"):
            return float(value)
        if kind.startswith("int"):
            return int(value)
        if kind.startswith("dict"):
            if not isinstance(value, dict):
                raise TypeError
            return {str(k): float(v) for k, v in value.items()}
        if kind.startswith("tuple"):
            return tuple(value if isinstance(value, list) else str(value).split(","))
        return str(value)
    except (TypeError, ValueError):
        raise ConfigError(f"setting {name}: invalid value {value!r}") from None


def _config_file(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """citecheck.toml, or [tool.citecheck] of pyproject.toml, in start or its parents."""
    for folder in [start, *start.parents]:
        for name in ("citecheck.toml", "pyproject.toml"):
            path = folder / name
            if not path.is_file():
                continue
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
                raise ConfigError(f"{path}: {exc}") from None
            if name == "pyproject.toml":
                data = data.get("tool", {}).get("citecheck")
                if data is None:
                    continue
            return path, data
    return None


def load_settings(
    config: Path | None = None, start: Path | None = None, env: dict[str, str] | None = None
) -> Settings:
    """Resolve settings from the config file and environment (flags are applied by the CLI)."""
    env = dict(os.environ) if env is None else env
    values: dict[str, Any] = {}
    source: Path | None = config
    if config is not None:
        if not config.is_file():
            raise ConfigError(f"{config}: config file not found")
        found = _config_file(config.parent) if config.name == "pyproject.toml" else None
        try:
            data = found[1] if found else tomllib.loads(config.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{config}: {exc}") from None
    else:
        found = _config_file((start or Path.cwd()).resolve())
        data = found[1] if found else {}
        source = found[0] if found else None
    for key, value in data.items():
        name = key.replace("-", "_")
        if name == "ncbi_api_key":
            raise ConfigError("ncbi_api_key belongs in the NCBI_API_KEY environment variable")
        if name not in _FILE_KEYS:
            raise ConfigError(f"unknown setting {key!r} in config file")
        if name == "suppress":
            values[name] = parse_suppressions(value)
            continue
        values[name] = _coerce(name, value)
        if name in ("baseline", "index") and source and not values[name].is_absolute():
            values[name] = source.parent / values[name]  # beside the config that names it
    for var, (name, _) in _ENV.items():
        if env.get(var):
            values[name] = _coerce(name, env[var])
    settings = Settings(**values)
    if settings.fail_on not in FAIL_ON:
        raise ConfigError(f"fail_on must be one of {', '.join(FAIL_ON)}")
    if settings.executor not in EXECUTORS:
        raise ConfigError(f"executor must be one of {', '.join(EXECUTORS)}")
    if settings.jobs < 0:
        raise ConfigError("jobs must be 0 (as many as is polite) or more")
    check_relevance_settings(settings)
    return settings


def check_relevance_settings(settings: Settings) -> None:
    unknown = set(settings.relevance_weights) - set(DEFAULT_WEIGHTS)
    if unknown:
        raise ConfigError(f"relevance_weights: unknown kind(s) {', '.join(sorted(unknown))}")
    if any(w < 0 for w in settings.relevance_weights.values()):
        raise ConfigError("relevance_weights must not be negative")
    if not 0 <= settings.relevance_threshold <= settings.relevance_weak_threshold <= 1:
        raise ConfigError("need 0 <= relevance_threshold <= relevance_weak_threshold <= 1")
