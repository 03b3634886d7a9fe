"""Batch audits: a folder (or a list) of manuscripts, one report each, and an index.

An editor's folder of submissions holds broken and odd files; one of them must never stop
the batch. Every manuscript's JSON report is written beside the chosen format because it is
what the index, and a resumed run, are built from: a manuscript whose report is newer than
the file (same citecheck version) is not audited again with ``resume``.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Generator, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citecheck import __version__
from citecheck.atomic import write_text
from citecheck.audit import SEVERITY_RANK, check, fails
from citecheck.errors import CitecheckError
from citecheck.parallel import plan
from citecheck.references.export import csv_cell
from citecheck.report import FORMATS
from citecheck.report.json import to_dict
from citecheck.report.parquet import require_parquet
from citecheck.resolve.shared import Shared
from citecheck.settings import Settings

# What a folder of submissions is scanned for. Reference lists alone (.bib, .ris, .json)
# are left out: beside a manuscript they are its bibliography, not a submission.
MANUSCRIPT_SUFFIXES = [
    ".txt",
    ".md",
    ".markdown",
    ".pdf",
    ".docx",
    ".doc",
    ".xml",
    ".nxml",
    ".tex",
    ".html",
    ".htm",
]
EXTENSION = {"json": "json", "junit": "xml", "markdown": "md", "terminal": "txt"}
EXTENSION |= {"html": "html", "sarif": "sarif"}
BATCH_DIR = "citecheck-reports"
# How an outcome ranks in the index: the ones needing a person first.
STATUS_ORDER = ("unreadable", "crashed", "failing", "incomplete", "clean")


@dataclass
class Outcome:
    """One manuscript of a batch: how it went and where its report is."""

    path: Path
    name: str  # the manuscript relative to the batch's root, with forward slashes
    status: str  # one of STATUS_ORDER
    exit_code: int
    title: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    severities: dict[str, int] = field(default_factory=dict)
    report: str | None = None  # the report file, relative to the output folder
    error: str | None = None
    resumed: bool = False

    def rank_key(self) -> tuple[Any, ...]:
        s = self.severities
        return (
            STATUS_ORDER.index(self.status),
            -s.get("error", 0),
            -s.get("warning", 0),
            -s.get("info", 0),
            self.name,
        )


def manuscripts(paths: list[Path], skip: Path | None = None) -> list[tuple[Path, str]]:
    """Files to audit with their display names; folders are walked, hidden entries skipped."""
    found: list[tuple[Path, str]] = []
    for given in paths:
        if not given.is_dir():
            found.append((given, given.name or "manuscript"))
            continue
        for path in sorted(_walk(given, skip)):
            found.append((path, path.relative_to(given).as_posix()))
    taken: set[str] = set()
    unique = []
    for path, name in found:  # the same name from two places gets "-2", "-3"…
        candidate, n = name, 1
        while candidate in taken:
            n += 1
            candidate = f"{Path(name).with_suffix('')}-{n}{Path(name).suffix}"
        taken.add(candidate)
        unique.append((path, candidate))
    return unique


def _walk(folder: Path, skip: Path | None) -> Iterator[Path]:
    skip = skip.resolve() if skip else None
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and (Path(root) / d).resolve() != skip
        )
        for name in files:
            path = Path(root) / name
            if name.startswith(".") or path.suffix.lower() not in MANUSCRIPT_SUFFIXES:
                continue
            if path.suffix.lower() == ".tex" and not _is_main_tex(path):
                continue  # a chapter \input by the main file
            yield path


def _is_main_tex(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            head = f.read(65536)
    except OSError:
        return True  # let the audit report why it cannot be read
    return b"\\documentclass" in head or b"\\begin{thebibliography}" in head


@dataclass(frozen=True)
class Batch:
    """What every manuscript of a batch is audited with; sent to each worker process."""

    settings: Settings
    out_dir: Path
    fmt: str = "html"
    resume: bool = False
    cwd: str = field(default_factory=os.getcwd)  # manuscripts are named relative to it


class Auditor:
    """Audits manuscripts of a batch in one process, with the index and client opened once."""

    def __init__(self, batch: Batch) -> None:
        self.batch = batch
        self.shared = Shared(batch.settings)

    def __call__(self, path: Path, name: str) -> Outcome:
        b = self.batch
        return _audit(path, name, b.settings, b.out_dir, b.fmt, b.resume, self.shared)

    def close(self) -> None:
        self.shared.close()


# A process that died while auditing a manuscript: os._exit, a signal, the kernel's OOM killer.
DIED = "internal error: the process auditing it died (a crash, a signal or out of memory)"


def worker(batch: Batch, auditor: type[Auditor] = Auditor) -> Callable[[Path, str], Outcome]:
    """The auditor of a worker process (a pool's or a Ray actor's), in the batch's folder.

    One that cannot start (the index went away; the folder is not on this node) reports
    that for every manuscript it is given, rather than failing the pool over and over.
    """
    try:
        os.chdir(batch.cwd)  # manuscripts are named relative to it, as the reports say
        return auditor(batch)
    except Exception as exc:
        reason = f"internal error: the worker could not start: {exc!r}"
        return lambda path, name: Outcome(path, name, "crashed", 2, error=reason)


def run_batch(
    paths: list[Path],
    settings: Settings,
    out_dir: Path,
    fmt: str = "html",
    resume: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    done: Callable[[Outcome], None] | None = None,
    parquet: bool = False,
    notice: Callable[[str], None] | None = None,
    auditor: type[Auditor] = Auditor,
) -> list[Outcome]:
    """Audit every manuscript; write ``<name>.json`` (+ ``<name>.<fmt>``) and the index.

    ``settings.executor`` and ``settings.jobs`` say how (``parallel.plan``; ``notice`` is
    told why fewer jobs run than were asked for); the reports and the index are the same
    whichever runs them. ``parquet`` adds ``index.parquet``. ``auditor`` is a test seam.
    """
    require_extras(settings, parquet)
    todo = manuscripts(paths, skip=out_dir)
    how = plan(settings, len(todo))
    for note in how.notes:
        if notice:
            notice(note)
    batch = Batch(how.settings, out_dir, fmt, resume)
    here = auditor(batch)  # a bad --index fails here, before any work or output
    out_dir.mkdir(parents=True, exist_ok=True)
    outcomes: list[Outcome] = []
    pooled = settings.executor == "ray" or how.jobs > 1
    try:
        if pooled:
            here.close()  # the workers open their own
        if settings.executor == "ray":
            from citecheck.raybatch import run_ray

            runs = run_ray(todo, batch, how.jobs, auditor)
        elif pooled:
            from citecheck.pool import run_pool

            runs = run_pool(todo, batch, how.jobs, auditor)
        else:
            runs = _in_process(todo, here, progress)
        with closing(runs):
            for outcome in runs:
                outcomes.append(outcome)
                if progress and pooled:  # else it is told before each manuscript
                    progress(len(outcomes), len(todo), outcome.name)
                if done:
                    done(outcome)
        if progress:
            progress(len(todo), len(todo), "")
    finally:  # an interrupted batch still gets an index of what it finished
        here.close()
        order = {name: i for i, (_, name) in enumerate(todo)}
        outcomes.sort(key=lambda o: order[o.name])  # as listed, whoever finished first
        write_index(outcomes, out_dir, parquet)
    return outcomes


def require_extras(settings: Settings, parquet: bool) -> None:
    """Fail before a batch starts if it needs an extra that is not installed."""
    if parquet:
        require_parquet()
    if settings.executor == "ray":
        from citecheck.raybatch import require_ray

        require_ray()


def _in_process(
    todo: list[tuple[Path, str]],
    audit: Auditor,
    progress: Callable[[int, int, str], None] | None,
) -> Generator[Outcome, None, None]:
    """One manuscript after the other in this process: no pool to start or feed."""
    for i, (path, name) in enumerate(todo):
        if progress:
            progress(i, len(todo), name)
        yield audit(path, name)


def _audit(
    path: Path,
    name: str,
    settings: Settings,
    out_dir: Path,
    fmt: str,
    resume: bool,
    shared: Shared | None = None,
) -> Outcome:
    json_file = out_dir / f"{name}.json"
    report_file = out_dir / f"{name}.{EXTENSION[fmt]}"
    data = _finished(json_file, path) if resume and report_file.exists() else None
    if data is not None:
        outcome = outcome_from(data, path, name, settings.fail_on)
        outcome.report, outcome.resumed = report_file.relative_to(out_dir).as_posix(), True
        return outcome
    try:
        report = check(path, settings, shared)
    except CitecheckError as exc:
        return Outcome(path, name, "unreadable", 2, error=str(exc))
    except OSError as exc:
        return Outcome(path, name, "unreadable", 2, error=f"{exc.strerror or exc}: {path}")
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # a bug must not cost the rest of the batch; it is reported
        return Outcome(path, name, "crashed", 2, error=f"internal error: {exc!r}")
    data = to_dict(report)
    json_file.parent.mkdir(parents=True, exist_ok=True)
    write_text(json_file, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    if fmt != "json":
        write_text(report_file, FORMATS[fmt](report))
    outcome = outcome_from(data, path, name, settings.fail_on)
    outcome.report = report_file.relative_to(out_dir).as_posix()
    return outcome


def _finished(json_file: Path, manuscript: Path) -> dict[str, Any] | None:
    """An earlier report to reuse: newer than the manuscript, same version, nothing unverified.

    An incomplete report is redone: its answered lookups come from the cache, and the
    failed ones get another chance.
    """
    try:
        if json_file.stat().st_mtime < manuscript.stat().st_mtime:
            return None
        data = json.loads(json_file.read_text(encoding="utf-8"))
        if data["tool"]["version"] != __version__:
            return None
        if any(r["status"] == "unverified" for r in data["references"]):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return data  # type: ignore[no-any-return]


def outcome_from(data: dict[str, Any], path: Path, name: str, fail_on: str) -> Outcome:
    """An outcome from a JSON report, fresh or from an earlier run, judged at ``fail_on``."""
    findings = list(data["findings"]) + [f for r in data["references"] for f in r["findings"]]
    severities = {s: 0 for s in SEVERITY_RANK}
    for f in findings:
        if f["code"] != "unverified":
            severities[f["severity"]] += 1
    failing = any(fails(f["code"], f["severity"], fail_on) for f in findings)
    incomplete = any(r["status"] == "unverified" for r in data["references"])
    status, code = ("failing", 1) if failing else ("incomplete", 3) if incomplete else ("clean", 0)
    return Outcome(
        path,
        name,
        status,
        code,
        title=data["manuscript"].get("title"),
        counts={k: v for k, v in data["summary"].items() if isinstance(v, int)},
        severities=severities,
    )


def exit_code(outcomes: list[Outcome]) -> int:
    """1 if any manuscript fails, else 2 if any could not be read, else 3 if any incomplete."""
    codes = {o.exit_code for o in outcomes}
    for code in (1, 2, 3):
        if code in codes:
            return code
    return 0


INDEX_COLUMNS = [
    "rank",
    "manuscript",
    "title",
    "status",
    "exit_code",
    "references",
    "errors",
    "warnings",
    "info",
    "not_found",
    "unverified",
    "off_topic",
    "retracted",
    "suppressed",
    "report",
    "error",
]


def index_rows(outcomes: list[Outcome]) -> list[dict[str, object]]:
    rows = []
    for rank, o in enumerate(sorted(outcomes, key=Outcome.rank_key), start=1):
        c, s = o.counts, o.severities
        rows.append(
            {
                "rank": rank,
                "manuscript": o.name,
                "title": o.title or "",
                "status": o.status,
                "exit_code": o.exit_code,
                "references": c.get("references", ""),
                "errors": s.get("error", ""),
                "warnings": s.get("warning", ""),
                "info": s.get("info", ""),
                "not_found": c.get("not_found", ""),
                "unverified": c.get("unverified", ""),
                "off_topic": c.get("off_topic", ""),
                "retracted": c.get("retracted", ""),
                "suppressed": c.get("suppressed", ""),
                "report": o.report or "",
                "error": o.error or "",
            }
        )
    return rows


def write_index(outcomes: list[Outcome], out_dir: Path, parquet: bool = False) -> None:
    rows = index_rows(outcomes)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=INDEX_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
    write_text(out_dir / "index.csv", buffer.getvalue())
    from citecheck.report.index import to_index_html  # jinja2 only when a batch runs

    write_text(out_dir / "index.html", to_index_html(rows))
    if parquet:
        from citecheck.report.parquet import write_parquet

        write_parquet(rows, INDEX_COLUMNS, out_dir / "index.parquet")
