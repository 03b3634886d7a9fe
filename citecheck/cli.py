"""Command line: ``citecheck check MANUSCRIPT``. Thin over ``citecheck.check``.

Exit codes (a public contract, see README): 0 clean, 1 findings at/above --fail-on,
2 usage or input error, 3 incomplete (some references unverified).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from citecheck import __version__
from citecheck.atomic import write_text
from citecheck.audit import Report, check, lookup, parse
from citecheck.batch import BATCH_DIR, Outcome, require_extras, run_batch
from citecheck.batch import exit_code as batch_exit_code
from citecheck.dates import parse_date
from citecheck.errors import CitecheckError
from citecheck.ingest import Manuscript, read_manuscript
from citecheck.model import ReferenceResult
from citecheck.references.export import EXPORTS
from citecheck.report import FORMATS, github
from citecheck.settings import (
    EXECUTORS,
    FAIL_ON,
    Settings,
    check_relevance_settings,
    load_settings,
)
from citecheck.suppress import BASELINE_FILE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="citecheck", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"citecheck {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_check(sub)
    _add_extract(sub)
    _add_resolve(sub)
    _add_index(sub)
    return parser


def _add_service_options(c: argparse.ArgumentParser) -> None:
    """Options of every command that looks references up."""
    c.add_argument("--config", type=Path, help="citecheck.toml or pyproject.toml to read")
    c.add_argument("--mailto", help="contact e-mail for the services' polite pools")
    c.add_argument("--cache-dir", type=Path)
    c.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    c.add_argument("--timeout", type=float, help="seconds per request (default 10)")
    c.add_argument(
        "--replay",
        type=Path,
        metavar="DIR",
        help="answer every request from recorded cassettes in DIR; no network",
    )
    c.add_argument(
        "--record",
        type=Path,
        metavar="DIR",
        help="record the live responses as cassettes in DIR (secrets removed)",
    )
    c.add_argument(
        "--index",
        type=Path,
        metavar="DIR",
        help="resolve from a local index (citecheck index build) instead of the services",
    )
    c.add_argument(
        "--online",
        action="store_true",
        default=None,
        help="with --index: ask the services for the references the index cannot match",
    )


def _service_settings(args: argparse.Namespace) -> Settings:
    settings = load_settings(args.config)
    if args.replay and args.record:
        raise CitecheckError("--replay and --record exclude each other")
    return settings.replace(
        mailto=args.mailto,
        cache_dir=args.cache_dir,
        timeout=args.timeout,
        replay_dir=args.replay,
        record_dir=args.record,
        use_cache=False if args.no_cache else None,
        index=args.index,
        online=args.online,
    )


def _add_check(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser(
        "check",
        help="audit a manuscript's reference list",
        description="Audit one manuscript, or a batch: several files or folders (one report "
        "each in --output-dir, plus index.html and index.csv ranking them by problems).",
    )
    c.set_defaults(run=_check)
    c.add_argument("manuscripts", type=Path, nargs="+", metavar="MANUSCRIPT")
    c.add_argument(
        "--format",
        choices=sorted(FORMATS),
        help="report format (default terminal; html for a batch)",
    )
    c.add_argument("--output", "-o", type=Path, help="write the report here (default stdout)")
    c.add_argument(
        "--output-dir",
        type=Path,
        metavar="DIR",
        help=f"batch: where reports and the index go (default {BATCH_DIR})",
    )
    c.add_argument(
        "--resume",
        action="store_true",
        help="batch: skip manuscripts whose report is newer than the file",
    )
    c.add_argument(
        "--executor",
        choices=EXECUTORS,
        help="batch: a local process pool (default), or Ray: a local Ray, or the cluster "
        "RAY_ADDRESS or `ray start` names (pip install 'citecheck-biomed[ray]')",
    )
    c.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        metavar="N",
        help="batch: manuscripts audited at once (default: one per CPU with --index and no "
        "--online; 1 when the services are asked, whose rate limits the jobs then share)",
    )
    c.add_argument(
        "--parquet",
        action="store_true",
        help="batch: also write index.parquet (pip install 'citecheck-biomed[parquet]')",
    )
    c.add_argument("--fail-on", choices=FAIL_ON, help="lowest severity that fails (default error)")
    c.add_argument(
        "--ignore",
        action="append",
        default=None,
        metavar="CODE",
        help="drop findings with this code (repeatable)",
    )
    c.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="accept the findings recorded in this baseline; only new ones fail",
    )
    c.add_argument(
        "--write-baseline",
        nargs="?",
        const=True,
        metavar="FILE",
        help="record every current finding as accepted (default: the --baseline file, "
        "else citecheck-baseline.json)",
    )
    _add_service_options(c)
    c.add_argument(
        "--topic",
        help='what the manuscript is about, e.g. "targeted therapy in acute lymphoblastic '
        'leukemia" (default: read from its title and text)',
    )
    c.add_argument(
        "--relevance-threshold",
        type=float,
        metavar="SCORE",
        help="flag references scoring below this as off-topic (default 0.35)",
    )
    c.add_argument("--no-relevance", action="store_true", help="skip the off-topic check")
    c.add_argument(
        "--submitted",
        metavar="DATE",
        help="when the manuscript was received, e.g. 2024-11-01 (default: its 'Received:' "
        "line); notices dated later are marked so",
    )


def _jobs(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}")
    return int(text)


def _check(args: argparse.Namespace) -> int:
    settings = _service_settings(args).replace(
        executor=args.executor,
        jobs=args.jobs,
        fail_on=args.fail_on,
        ignore=tuple(args.ignore) if args.ignore else None,
        topic=args.topic,
        relevance=False if args.no_relevance else None,
        baseline=args.baseline,
    )
    if args.write_baseline:
        target = settings.baseline or Path(BASELINE_FILE)
        if args.write_baseline is not True:
            target = Path(args.write_baseline)
        settings = settings.replace(write_baseline=target)
    if args.relevance_threshold is not None:
        settings = settings.replace(
            relevance_threshold=args.relevance_threshold,
            relevance_weak_threshold=max(
                args.relevance_threshold, settings.relevance_weak_threshold
            ),
        )
    if args.submitted:
        submitted = parse_date(args.submitted)
        if submitted is None:
            raise CitecheckError(f"--submitted: not a date: {args.submitted!r}")
        settings = settings.replace(submitted=submitted)
    check_relevance_settings(settings)
    if len(args.manuscripts) > 1 or args.manuscripts[0].is_dir():
        return _check_batch(args, settings)
    report = check(args.manuscripts[0], settings)
    write_output(FORMATS[args.format or "terminal"](report), args.output)
    github.publish(report)
    return report.exit_code(settings.fail_on)


def _check_batch(args: argparse.Namespace, settings: Settings) -> int:
    if args.output:
        raise CitecheckError("a batch writes one report per manuscript: use --output-dir")
    out_dir = args.output_dir or Path(BATCH_DIR)
    require_extras(settings, args.parquet)
    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("citecheck", total=None)

        def progress(i: int, total: int, name: str) -> None:
            bar.update(task, completed=i, total=total, description=name or "index")

        def done(o: Outcome) -> None:
            counts = ", ".join(
                f"{o.severities[s]} {s}{'s' if o.severities[s] > 1 and s != 'info' else ''}"
                for s in ("error", "warning", "info")
                if o.severities.get(s)
            )
            what = o.error or counts or "no findings"
            bar.console.print(f"{o.status:>10}  {escape(o.name)}: {escape(what)}", highlight=False)

        outcomes = run_batch(
            args.manuscripts,
            settings,
            out_dir,
            args.format or "html",
            args.resume,
            progress,
            done,
            parquet=args.parquet,
            notice=lambda note: bar.console.print(f"note: {escape(note)}", highlight=False),
        )
    if not outcomes:
        raise CitecheckError(f"no manuscripts found in {', '.join(map(str, args.manuscripts))}")
    resumed = sum(o.resumed for o in outcomes)
    console.print(
        f"{len(outcomes)} manuscripts ({resumed} from earlier reports); "
        f"index: {out_dir / 'index.html'}",
        highlight=False,
    )
    return batch_exit_code(outcomes)


def _add_extract(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser(
        "extract", help="print the parsed reference list (no lookups) as JSON, CSV, BibTeX or RIS"
    )
    c.set_defaults(run=_extract)
    c.add_argument("manuscript", type=Path)
    c.add_argument("--format", choices=sorted(EXPORTS), default="json")
    c.add_argument("--output", "-o", type=Path, help="write here (default stdout)")
    c.add_argument("--config", type=Path, help="citecheck.toml or pyproject.toml to read")


def _extract(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    manuscript = read_manuscript(args.manuscript, int(settings.max_input_mb * 1024 * 1024))
    write_output(EXPORTS[args.format](manuscript, parse(manuscript)), args.output)
    return 0


def _add_resolve(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("resolve", help="look up one reference string and check it")
    c.set_defaults(run=_resolve)
    c.add_argument("reference", help='e.g. "Pui CH, Evans WE. Treatment of … 2006;354:166-78."')
    c.add_argument("--format", choices=("json", "terminal"), default="terminal")
    c.add_argument("--output", "-o", type=Path, help="write here (default stdout)")
    c.add_argument("--fail-on", choices=FAIL_ON, help="lowest severity that fails (default error)")
    _add_service_options(c)


def _resolve(args: argparse.Namespace) -> int:
    settings = _service_settings(args).replace(fail_on=args.fail_on)
    result = lookup(args.reference, settings)
    if args.format == "json":
        doc = {"schema_version": "1.0", "reference": result.to_dict()}
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    else:
        text = _describe(result)
    write_output(text, args.output)
    # The verdict of `check` on a one-entry list: 1 findings, 3 unverified, 0 clean.
    alone = Manuscript(path="<reference>", text=args.reference, encoding="utf-8")
    return Report(alone, [result]).exit_code(settings.fail_on)


def _describe(result: ReferenceResult) -> str:
    """Plain text for a terminal; control characters from the services are not passed on."""
    ref, rec = result.reference, result.record
    score = f" (match score {result.match_score:.2f})" if result.match_score is not None else ""
    lines = [f"cited:    {ref.raw}", f"status:   {result.status}{score}"]
    if rec is not None:
        lines.append(f"record:   {rec.source}")
        for name, value in (
            ("DOI", rec.doi),
            ("PMID", rec.pmid),
            ("title", rec.title),
            ("journal", rec.container),
            ("year", rec.year),
            ("volume", rec.volume),
            ("issue", rec.issue),
            ("pages", rec.pages),
            ("authors", ", ".join(str(a) for a in rec.authors)),
        ):
            if value:
                lines.append(f"  {name + ':':<9} {value}")
    lines.append("findings:" if result.findings else "findings: none")
    for f in result.findings:
        about = f" ({f.field})" if f.field else ""
        lines.append(f"  {f.severity} {f.code}{about}: {f.message}")
        if f.suggestion:
            lines.append(f"    suggested: {f.suggestion}")
        elif f.field and f.record not in (None, "", []):
            lines.append(f"    the record has: {_value(f.record)}")
    lines.append("lookups:" if result.lookups else "lookups: none")
    for lk in result.lookups:
        detail = f" ({lk.detail})" if lk.detail else ""
        lines.append(f"  {lk.service} {lk.outcome}: {lk.query}{detail}")
    return "".join(_printable(line) + "\n" for line in lines)


def _value(value: object) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _add_index(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("index", help="build or inspect a local metadata index")
    isub = c.add_subparsers(dest="index_command", required=True)
    b = isub.add_parser(
        "build",
        help="create or update an index from metadata dumps",
        description="Apply Crossref public data / Metadata Plus files (.json.gz, .jsonl.gz, "
        ".tar), PubMed baseline and update files (pubmedYYnNNNN.xml.gz) and the Retraction "
        "Watch CSV to the index in DIR. Files already applied (same SHA-256) are skipped; "
        "re-applying one, or an older one after a newer, changes nothing.",
    )
    b.set_defaults(run=_index_build)
    b.add_argument("directory", type=Path, metavar="DIR")
    b.add_argument("sources", type=Path, nargs="+", metavar="SOURCE", help="files or folders")
    b.add_argument("--force", action="store_true", help="re-read files already applied")
    b.add_argument(
        "--complete",
        action="store_true",
        help="declare that these sources are the whole Crossref public data file / PubMed "
        "baseline: only then is a reference the index cannot match reported not found "
        "(otherwise unverified)",
    )
    b.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="processes reading and encoding dump files while one writes (default: all cores)",
    )
    i = isub.add_parser("info", help="what an index holds, where from, and how old it is")
    i.set_defaults(run=_index_info)
    i.add_argument("directory", type=Path, metavar="DIR")
    i.add_argument("--json", action="store_true", help="print the manifest as JSON")


def _index_build(args: argparse.Namespace) -> int:
    from citecheck.index.build import build

    def say(line: str) -> None:
        print(f"applying {line}", file=sys.stderr, flush=True)

    done = build(
        args.directory,
        args.sources,
        force=args.force,
        progress=say,
        complete=args.complete,
        jobs=args.jobs,
    )
    for path in done.skipped:
        print(f"already applied: {path}", file=sys.stderr)
    _index_info(argparse.Namespace(directory=args.directory, json=False))
    return 0


def _index_info(args: argparse.Namespace) -> int:
    from citecheck.index.manifest import Manifest

    manifest = Manifest.load(args.directory)
    if args.json:
        sys.stdout.write(manifest.to_json())
    else:
        sys.stdout.write(manifest.summary(args.directory))
    return 0


def write_output(text: str, path: Path | None) -> None:
    """To stdout, or atomically to a file (a reader never sees half a report)."""
    if path is None:
        sys.stdout.write(text)
        return
    write_text(path, text)


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: stop, keep what the cache holds, say so."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main else None
    try:
        return int(args.run(args))
    except CitecheckError as exc:
        print(f"citecheck: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        what = "terminated" if isinstance(exc, Terminated) else "interrupted"
        print(
            f"citecheck: {what}; completed lookups are kept in the cache, so a rerun "
            "continues from there",
            file=sys.stderr,
        )
        return 143 if isinstance(exc, Terminated) else 130
    except OSError as exc:
        print(
            f"citecheck: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
            file=sys.stderr,
        )
        return 2
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
