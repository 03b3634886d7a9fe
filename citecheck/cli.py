"""Command line: ``citecheck check MANUSCRIPT``. Thin over ``citecheck.check``.

Exit codes (a public contract, see README): 0 clean, 1 findings at/above --fail-on,
2 usage or input error, 3 incomplete (some references unverified).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from citecheck import __version__
from citecheck.audit import check
from citecheck.dates import parse_date
from citecheck.errors import CitecheckError
from citecheck.report import FORMATS
from citecheck.settings import FAIL_ON, Settings, check_relevance_settings, load_settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="citecheck", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"citecheck {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_check(sub)
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
    )


def _add_check(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("check", help="audit a manuscript's reference list")
    c.set_defaults(run=_check)
    c.add_argument("manuscript", type=Path)
    c.add_argument("--format", choices=sorted(FORMATS), default="terminal")
    c.add_argument("--output", "-o", type=Path, help="write the report here (default stdout)")
    c.add_argument("--fail-on", choices=FAIL_ON, help="lowest severity that fails (default error)")
    c.add_argument(
        "--ignore",
        action="append",
        default=None,
        metavar="CODE",
        help="drop findings with this code (repeatable)",
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


def _check(args: argparse.Namespace) -> int:
    settings = _service_settings(args).replace(
        fail_on=args.fail_on,
        ignore=tuple(args.ignore) if args.ignore else None,
        topic=args.topic,
        relevance=False if args.no_relevance else None,
    )
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
    report = check(args.manuscript, settings)
    write_output(FORMATS[args.format](report), args.output)
    return report.exit_code(settings.fail_on)


def write_output(text: str, path: Path | None) -> None:
    """To stdout, or atomically to a file (a reader never sees half a report)."""
    if path is None:
        sys.stdout.write(text)
        return
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except CitecheckError as exc:
        print(f"citecheck: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("citecheck: interrupted; completed lookups are kept in the cache", file=sys.stderr)
        return 130
    except OSError as exc:
        print(
            f"citecheck: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
