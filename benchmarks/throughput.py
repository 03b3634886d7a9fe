"""Throughput of citecheck: parsing speed, and requests and wall time per manuscript.

Three measurements, printed as Markdown tables:

(a) Parse throughput, references/s, for ``split_references`` + ``parse_reference``:
    the seed manuscript (``examples/001_ea8cd2c476dabe3b.txt``) processed whole, repeatedly;
    the 17,015 glutton strings as numbered lists of ``--list-size`` ("[n] ..." lines, one
    string each) through the same two calls; and the glutton strings through
    ``parse_reference`` alone (as stored, line breaks kept).
(b) ``citecheck.check`` on the seed, against ``tests/fakeservice.FakeServices`` serving the
    verified seed metadata of ``cassettes/build_seed.py`` (``WORKS``, converted to fake
    ``Work``s): cold (an empty temporary cache directory) and then warm (the same directory
    again). Requests are counted at the fake (``services.requests``) and by the client.
(c) The same for a synthetic 100-reference manuscript whose entries are glutton strings, with
    their gold works (built as in ``matching.py``, with their synthetic distractors) plus
    background works from 1,900 other glutton rows in the fake corpus.

``check`` runs as a user would run it: through ``citecheck.audit.services``, so with the
HTTP policy's rate limiters on (Crossref 5/s without ``mailto``, NCBI 3/s without a key).
A cold run's wall time is therefore mostly politeness pacing; the table gives that floor
(requests / rate per service) next to it. The fake answers from 127.0.0.1 with no added
latency, so network time is absent. Timing is ``time.perf_counter``; each figure is the
median of ``--runs`` runs (default 3), a cold run always starting from a new empty cache.

Usage::

    python benchmarks/throughput.py [--runs 3] [--seed-reps 300] [--skip-resolve]
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests/ is not installed
sys.path.insert(0, str(ROOT / "benchmarks"))

from matching import build_corpus, code_version, load_rows  # noqa: E402

from citecheck.audit import Report, check  # noqa: E402
from citecheck.ingest import read_manuscript  # noqa: E402
from citecheck.references import parse_reference, split_references  # noqa: E402
from citecheck.settings import Settings  # noqa: E402
from tests.fakeservice import FakeServices, Work  # noqa: E402

SEED = ROOT / "examples" / "001_ea8cd2c476dabe3b.txt"
BUILD_SEED = ROOT / "cassettes" / "build_seed.py"
CROSSREF_RATE = 5.0  # Http's default without mailto (the fake also advertises 5/s)
NCBI_RATE = 3.0  # without an API key


def median_time(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    """Median wall time of ``runs`` calls, and the last call's result."""
    times = []
    result: object = None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


# ---------------------------------------------------------------------------------------
# (a) parsing
# ---------------------------------------------------------------------------------------


def split_and_parse(text: str) -> int:
    return sum(1 for e in split_references(text) if parse_reference(e.text, line=e.line))


def glutton_list(strings: list[str]) -> str:
    """A manuscript whose list is the given strings, one "[n] ..." line each.

    Lists are kept to manuscript size: the segmenter reads at most four-digit markers.
    """
    lines = [f"[{i}] {' '.join(s.split())}" for i, s in enumerate(strings, 1)]
    return "Benchmark manuscript\n\nReferences\n\n" + "\n".join(lines) + "\n"


def parse_rows(runs: int, seed_reps: int, list_size: int) -> list[str]:
    seed_text = read_manuscript(SEED).text
    per_seed = len(split_references(seed_text))
    strings = [r.reference for r in load_rows()]
    lists = [glutton_list(strings[i : i + list_size]) for i in range(0, len(strings), list_size)]
    out = ["| input | calls | references in | entries out | runs | median s | references/s |"]
    out.append("|---|---|---:|---:|---:|---:|---:|")

    def seed_loop() -> int:
        return sum(split_and_parse(seed_text) for _ in range(seed_reps))

    t, n = median_time(seed_loop, runs)
    out.append(
        f"| seed manuscript, whole file x{seed_reps} | split + parse | {per_seed * seed_reps:,} "
        f"| {n:,} | {runs} | {t:.3f} | {int(n) / t:,.0f} |"
    )
    t, n = median_time(lambda: sum(split_and_parse(text) for text in lists), runs)
    out.append(
        f"| glutton strings as {len(lists):,} numbered lists of {list_size} | split + parse | "
        f"{len(strings):,} | {n:,} | {runs} | {t:.3f} | {int(n) / t:,.0f} |"
    )
    t, n = median_time(lambda: sum(1 for s in strings if parse_reference(s)), runs)
    out.append(
        f"| glutton strings as stored | parse only | {len(strings):,} | {n:,} | {runs} | "
        f"{t:.3f} | {int(n) / t:,.0f} |"
    )
    out.append("")
    out.append(
        "references/s = entries out / median s. Entries out < references in for the lists: "
        "`split_references` drops entries with no year, no 'doi' and no '10.' "
        "(`_looks_like_reference`), e.g. '[3] Genome-wide association study identifies two "
        "susceptibility loci ... Nature Genetics, 42(1), 24-26.'; such a reference is neither "
        "checked nor reported."
    )
    return out


# ---------------------------------------------------------------------------------------
# (b), (c) check(): requests and wall time, cold and warm
# ---------------------------------------------------------------------------------------


def _load_build_seed() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_seed", BUILD_SEED)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {BUILD_SEED}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module


def seed_works() -> list[Work]:
    """The verified seed metadata as fake ``Work``s; nothing added that is not verified."""
    works = []
    for v in _load_build_seed().WORKS:
        types = tuple(name for _, name in v.publication_types) or ("Journal Article",)
        works.append(
            Work(
                doi=v.doi,
                pmid=v.pmid,
                title=v.title,
                authors=tuple(v.authors or ()),
                journal=v.journal,
                journal_abbrev=v.journal_abbrev,
                year=v.year,
                volume=v.volume,
                issue=v.issue,
                pages=v.pages_crossref or v.pages_pubmed,
                publication_types=types,
                in_crossref=bool(v.doi),
                in_pubmed=bool(v.pmid),
            )
        )
    return works


def synthetic_manuscript(
    directory: Path, size: int, background: int, seed: int
) -> tuple[Path, list[Work]]:
    """A ``size``-entry manuscript of glutton strings, and a corpus holding their works."""
    rows = load_rows()
    rng = random.Random(seed)
    picked = rng.sample(range(len(rows)), size + background)
    cited = [rows[i] for i in picked[:size]]
    corpus = build_corpus([rows[i] for i in picked], seed)
    path = directory / "synthetic_100.txt"
    path.write_text(glutton_list([r.reference for r in cited]), encoding="utf-8")
    return path, corpus.works


def run_check(svc: FakeServices, path: Path, cache_dir: Path) -> tuple[Report, int, Counter]:
    settings = Settings(
        crossref_url=svc.crossref_url,
        eutils_url=svc.eutils_url,
        cache_dir=cache_dir,
        use_cache=True,
        timeout=5,
        retries=1,
        run_budget=10**6,
    )
    svc.clear_requests()
    report = check(path, settings)
    kinds = Counter(
        "crossref" if r.path.startswith("/crossref") else "pubmed" for r in svc.requests
    )
    return report, len(svc.requests), kinds


def resolve_rows(name: str, path: Path, works: list[Work], runs: int) -> list[str]:
    """Cold runs (a new cache each), then warm runs over the last cold run's cache."""
    out = []
    with FakeServices(works) as svc, tempfile.TemporaryDirectory() as tmp:
        svc._bm25_for("bibliographic")  # build the fake's indexes outside the timed runs
        svc._pubidx  # noqa: B018 - property that builds the PubMed index
        cold_times, warm_times = [], []
        cache_dir = Path(tmp) / "cache-0"
        cold: tuple[Report, int, Counter] | None = None
        for i in range(runs):
            cache_dir = Path(tmp) / f"cache-{i}"
            started = time.perf_counter()
            cold = run_check(svc, path, cache_dir)
            cold_times.append(time.perf_counter() - started)
        warm: tuple[Report, int, Counter] | None = None
        for _ in range(runs):
            started = time.perf_counter()
            warm = run_check(svc, path, cache_dir)
            warm_times.append(time.perf_counter() - started)
        if svc.errors:
            print(f"warning: the fake raised {len(svc.errors)} error(s): {svc.errors[:3]}")
    assert cold is not None and warm is not None
    for label, (report, count, kinds), times in (
        ("cold", cold, cold_times),
        ("warm", warm, warm_times),
    ):
        refs = len(report.references)
        # The first request to each service does not wait.
        floor = max(0, kinds["crossref"] - 1) / CROSSREF_RATE
        floor += max(0, kinds["pubmed"] - 1) / NCBI_RATE
        statuses = ", ".join(f"{k} {v}" for k, v in report.counts().items() if k != "references")
        wall = statistics.median(times)
        out.append(
            f"| {name} | {refs} | {label} | {count} ({kinds['crossref']} Crossref, "
            f"{kinds['pubmed']} NCBI) | {report.requests} | {count / refs:.2f} | "
            f"{wall:.3f} | {wall / refs:.4f} | {floor:.1f} | {statuses} |"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    ap.add_argument("--seed-reps", type=int, default=300, help="seed manuscripts per parse run")
    ap.add_argument("--list-size", type=int, default=50, help="glutton strings per list")
    ap.add_argument("--size", type=int, default=100, help="entries of the synthetic manuscript")
    ap.add_argument("--background", type=int, default=1900, help="other glutton rows served")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip-resolve", action="store_true", help="parse throughput only")
    args = ap.parse_args(argv)

    print(f"{code_version()}\n")
    print("## (a) Parse throughput\n")
    print("\n".join(parse_rows(args.runs, args.seed_reps, args.list_size)))
    print()
    if args.skip_resolve:
        return 0
    print("## (b, c) citecheck.check against the local fake services\n")
    print(
        "| manuscript | refs | cache | requests at the fake | client count | requests/ref | "
        "median wall s | s/ref | rate-limit floor s | statuses |"
    )
    print("|---|---:|---|---|---:|---:|---:|---:|---:|---|")
    seed_lines = resolve_rows("seed (001_ea8cd2c476dabe3b)", SEED, seed_works(), args.runs)
    print("\n".join(seed_lines), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        path, works = synthetic_manuscript(Path(tmp), args.size, args.background, args.seed)
        name = f"synthetic, {args.size} glutton strings ({len(works):,} works served)"
        print("\n".join(resolve_rows(name, path, works, args.runs)))
    print()
    print(
        "Cold = a new empty cache directory per run; warm = the last cold run's cache again. "
        "Requests at the fake include every attempt; the client count is "
        "`Report.requests` (requests sent, cache hits excluded). Rate-limit floor = (Crossref "
        f"requests - 1) / {CROSSREF_RATE:g} + (NCBI requests - 1) / {NCBI_RATE:g}: the pacing "
        "of citecheck's limiters (no mailto, no API key), which a cold run cannot beat. "
        "Seed corpus: only the verified metadata of cassettes/build_seed.py (6 works), so "
        "refs 1, 2, 7 and 10 find nothing and the fallbacks (ECitMatch, title ESearch) run "
        "for them, as on the live services when a work is missing. Synthetic: the served "
        "records carry the gold first author only, so every multi-author citation gets an "
        "`authors` field-mismatch (CC110); that is why most are 'problems'."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
