"""Wall time of ``citecheck.audit.check`` against the rate-limit floor, per manuscript size.

For manuscripts of ``--sizes`` references (numbered lists of biblio-glutton reference strings,
built with ``throughput.glutton_list``; corpus = their gold works and synthetic distractors
plus background works of other glutton rows, ``matching.build_corpus``) served by
``tests.fakeservice.FakeServices(works, latency=--latency)``, this measures:

* cold: ``check(path, settings)`` with a new empty cache directory, in a fresh subprocess
  (settings as a user would have them: the fake's URLs, a mailto so Crossref's polite pool,
  ``--api-key`` for an NCBI key, default timeout, retries and run budget). Wall time is
  ``time.perf_counter`` around the ``check`` call inside the subprocess (interpreter start and
  imports excluded; the subprocess's own wall is reported too). Requests are counted at the
  fake (``svc.requests``; every attempt) and split per service and endpoint.
* the floor: the least wall time the services' limits allow for exactly those requests,
  ``max over services of n_s / min(rate_s, concurrency_s / latency)``. Rate and concurrency
  are read from the headers the fake sends (Crossref ``x-rate-limit-limit`` /
  ``x-concurrency-limit``; NCBI ``X-RateLimit-Limit``, no concurrency limit). ``max``
  assumes the two services are asked at the same time; the per-service floors are printed
  too, since their sum is the best a resolver that asks one service after the other can do.
* peak memory: the peak resident set of that subprocess (``VmHWM`` of /proc/self/status,
  read at its end: interpreter, imports and the run; the fake runs in the parent and is not
  included), next to the same figure read just before ``check``. Not
  ``getrusage(...).ru_maxrss``: on Linux it carries the parent's peak across fork and exec
  (``peak_rss_kib``); ``ru_maxrss`` is the fallback where there is no /proc.
* warm: the same manuscript again, in a new subprocess, over the cold run's cache.
* local throughput (no network, no cache): (1) ``read_manuscript`` + ``audit.parse`` (read
  and parse the list); (2) ``check`` itself with resolution replaced by its results from a
  warm run (``audit.services`` yields a resolver that returns the stored resolutions, and
  ``audit.topic_evidence`` returns the stored MeSH evidence), so everything ``check`` does
  except asking the services or the cache: read, parse, in-text citations, relevance profile,
  judging, duplicate, in-text and relevance checks, suppressions; (3) ``check`` with the warm
  cache, in process, for comparison (adds ``resolve_all`` over the cache: SQLite reads,
  parsing the stored responses, judging candidates). References/s = references / median seconds.

``citecheck/`` is copied to a temporary directory at start and every measurement imports the
copy, so edits made to the checkout while the benchmark runs do not mix versions.

Usage::

    python benchmarks/speed.py                                   # ~5 min (1,000 refs ~3 min)
    python benchmarks/speed.py --sizes 10,50,100 --runs 3
    python benchmarks/speed.py --sizes 200 --api-key --latency 0.3
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import math
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

ROOT = Path(__file__).resolve().parent.parent
MAILTO = "speed-benchmark@example.org"
API_KEY = "speed-benchmark-key"  # the fake only checks that some key is sent
WARM_TARGET = (100, 1.0)  # references, seconds: the target for a warm rerun
REQUESTS_PER_REF_TARGET = 1.2
LOCAL_TARGET = 5000  # references/s, parse + checks

# Endpoint labels, in table order: (service, short label, what it is).
ENDPOINTS = (
    ("crossref", "cr-doi", "Crossref `works?filter=doi:…` (DOI batch, ≤ 40)"),
    ("crossref", "cr-search", "Crossref `works?query.bibliographic` (one per reference)"),
    ("crossref", "cr-work", "Crossref `works/{doi}`"),
    ("crossref", "cr-agency", "Crossref `works/{doi}/agency`"),
    ("crossref", "cr-other", "any other Crossref request"),
    ("pubmed", "es-doi", 'ESearch `"…"[doi] OR …` (Crossref matches, ≤ 50 DOIs)'),
    ("pubmed", "es-title", "ESearch by title words and first author (one per reference)"),
    ("pubmed", "es-mesh-tr", "ESearch retmax=0 (MeSH translation of the manuscript's topic)"),
    ("pubmed", "es-mesh", "ESearch db=mesh"),
    ("pubmed", "esummary", "ESummary (db=mesh)"),
    ("pubmed", "efetch", "EFetch (PMID batch)"),
    ("pubmed", "ecitmatch", "ECitMatch (one batch of citation lines)"),
    ("pubmed", "eu-other", "any other E-utilities request"),
)


def endpoint(method: str, path: str, query: dict[str, str], body: str) -> str:
    """Short label of one request seen by the fake (POST bodies carry long parameters)."""
    q = dict(query)
    if method == "POST" and body:
        q.update({k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()})
    if path.startswith("/crossref"):
        rest = path[len("/crossref") :]
        if rest == "/works":
            if "doi:" in q.get("filter", ""):
                return "cr-doi"
            return "cr-search" if any(k.startswith("query") for k in q) else "cr-other"
        if rest.startswith("/works/"):
            return "cr-agency" if rest.endswith("/agency") else "cr-work"
        return "cr-other"
    util = path.rsplit("/", 1)[-1]
    db = q.get("db", "")
    if util == "esearch.fcgi":
        if db == "mesh":
            return "es-mesh"
        if q.get("retmax") == "0":
            return "es-mesh-tr"
        return "es-doi" if "[doi]" in q.get("term", "") else "es-title"
    return {"efetch.fcgi": "efetch", "ecitmatch.cgi": "ecitmatch", "esummary.fcgi": "esummary"}.get(
        util, "eu-other"
    )


# ---------------------------------------------------------------------------------------
# the child: one check() in a fresh process
# ---------------------------------------------------------------------------------------


def peak_rss_kib() -> int:
    """This process's peak resident set, KiB: VmHWM, else ru_maxrss.

    Not ``ru_maxrss`` where VmHWM exists: Linux carries the parent's peak across fork and
    exec into both the child's RUSAGE_SELF and the parent's RUSAGE_CHILDREN, so a child of
    the benchmark (which holds the corpus and the fake) would report the parent's ~95 MiB.
    """
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(spec: dict[str, Any]) -> None:
    """Run one ``check`` as a user would, print one JSON line with what was measured."""
    started = time.perf_counter()
    sys.path.insert(0, spec["code"])  # the snapshot of citecheck/
    from citecheck.audit import check
    from citecheck.settings import Settings

    imported = time.perf_counter() - started
    settings = Settings(
        crossref_url=spec["crossref_url"],
        eutils_url=spec["eutils_url"],
        mailto=spec["mailto"],
        ncbi_api_key=spec["api_key"],
        cache_dir=Path(spec["cache_dir"]),
        use_cache=True,
    )
    rss_before = peak_rss_kib()
    t0 = time.perf_counter()
    report = check(spec["path"], settings)
    seconds = time.perf_counter() - t0
    rss_peak = peak_rss_kib()
    reasons = Counter(
        f.message.split(":", 1)[-1].strip()[:80]
        for r in report.references
        for f in r.findings
        if f.code == "unverified"
    )
    out = {
        "seconds": seconds,
        "import_seconds": imported,
        "rss_kib_before": rss_before,
        "rss_kib_peak": rss_peak,
        "client_requests": report.requests,
        "counts": report.counts(),
        "unverified_reasons": reasons.most_common(3),
        "notes": report.notes[:3],
    }
    print(json.dumps(out))


# ---------------------------------------------------------------------------------------
# the parent: corpus, fake, runs, tables
# ---------------------------------------------------------------------------------------


@dataclass
class Limits:
    """What the fake advertises to this client (mailto / API key as in the runs)."""

    crossref_rate: float
    crossref_concurrency: float
    ncbi_rate: float
    ncbi_concurrency: float = math.inf  # NCBI states a rate only

    def floors(self, crossref: int, ncbi: int, latency: float) -> tuple[float, float]:
        def floor(n: int, rate: float, conc: float) -> float:
            cap = rate if latency <= 0 else min(rate, conc / latency)
            return n / cap

        return (
            floor(crossref, self.crossref_rate, self.crossref_concurrency),
            floor(ncbi, self.ncbi_rate, self.ncbi_concurrency),
        )


def probe_limits(svc: Any, mailto: str | None, api_key: str | None) -> Limits:
    """Ask the fake once per service and read its limit headers, as citecheck does."""
    import httpx

    agent = f"speed-benchmark (mailto:{mailto})" if mailto else "speed-benchmark"
    with httpx.Client(headers={"User-Agent": agent}, timeout=10) as http:
        cr = http.get(f"{svc.crossref_url}/works", params={"rows": "0"})
        params = {"db": "pubmed", "term": "limits", "retmax": "0"}
        if api_key:
            params["api_key"] = api_key
        eu = http.get(f"{svc.eutils_url}/esearch.fcgi", params=params)
    return Limits(
        crossref_rate=float(cr.headers["x-rate-limit-limit"])
        / float(cr.headers["x-rate-limit-interval"].rstrip("s")),
        crossref_concurrency=float(cr.headers["x-concurrency-limit"]),
        ncbi_rate=float(eu.headers["X-RateLimit-Limit"]),
    )


@dataclass
class Run:
    seconds: float
    process_seconds: float
    import_seconds: float
    rss_mib_before: float
    rss_mib_peak: float
    client_requests: int
    counts: dict[str, int]
    unverified_reasons: list[Any]
    notes: list[str]
    by_endpoint: Counter[str] = field(default_factory=Counter)
    fake_seconds: float = 0.0  # time the fake spent routing (its compute, latency excluded)
    max_in_flight: tuple[int, int] = (0, 0)  # Crossref, NCBI
    max_per_second: tuple[int, int] = (0, 0)

    @property
    def requests(self) -> int:
        return sum(self.by_endpoint.values())

    def per_service(self) -> tuple[int, int]:
        services = {label: s for s, label, _ in ENDPOINTS}
        cr = sum(n for k, n in self.by_endpoint.items() if services[k] == "crossref")
        return cr, self.requests - cr


class Watch:
    """Instruments the fake: its compute time, requests in flight and arrivals per service.

    A request is in flight from when the fake records it (before its latency sleep) until
    its router returns (before the reply is written). The router's time is the fake's own
    compute, latency excluded.
    """

    def __init__(self, svc: Any) -> None:
        self._record, self._route = svc._record, svc._route
        svc._record, svc._route = self.record, self.route
        self._lock = threading.Lock()
        self._local = threading.local()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.seconds = 0.0
            self.in_flight: Counter[str] = Counter()
            self.max_in_flight: Counter[str] = Counter()
            self.arrivals: dict[str, list[float]] = {"crossref": [], "pubmed": []}

    def record(self, request: Any) -> None:
        service = "crossref" if request.path.startswith("/crossref") else "pubmed"
        self._local.service = service
        with self._lock:
            self.arrivals[service].append(time.monotonic())
            self.in_flight[service] += 1
            self.max_in_flight[service] = max(self.max_in_flight[service], self.in_flight[service])
        self._record(request)

    def route(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return self._route(*args, **kwargs)
        finally:
            with self._lock:
                self.seconds += time.perf_counter() - started
                self.in_flight[self._local.service] -= 1

    def max_per_second(self, service: str) -> int:
        """Most arrivals in any half-open one-second window."""
        times = sorted(self.arrivals[service])
        best, lo = 0, 0
        for hi, t in enumerate(times):
            while t - times[lo] >= 1.0:
                lo += 1
            best = max(best, hi - lo + 1)
        return best


def run_child(svc: Any, watch: Watch, spec: dict[str, Any]) -> Run:
    svc.clear_requests()
    watch.reset()
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(spec)],
        capture_output=True,
        text=True,
        cwd=spec["cwd"],
        check=False,
    )
    process_seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"child failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    run = Run(
        seconds=data["seconds"],
        process_seconds=process_seconds,
        import_seconds=data["import_seconds"],
        rss_mib_before=data["rss_kib_before"] / 1024,
        rss_mib_peak=data["rss_kib_peak"] / 1024,
        client_requests=data["client_requests"],
        counts=data["counts"],
        unverified_reasons=data["unverified_reasons"],
        notes=data["notes"],
        fake_seconds=watch.seconds,
        max_in_flight=(watch.max_in_flight["crossref"], watch.max_in_flight["pubmed"]),
        max_per_second=(watch.max_per_second("crossref"), watch.max_per_second("pubmed")),
    )
    run.by_endpoint = Counter(endpoint(r.method, r.path, r.query, r.body) for r in svc.requests)
    return run


@dataclass
class SizeResult:
    size: int
    path: Path
    cold: list[Run]
    warm: list[Run]
    cache_dir: Path


def tree_digest(directory: Path) -> str:
    """SHA-256 of the package's *.py files, as ``matching.code_version`` computes it."""
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*.py")):
        digest.update(("citecheck" / path.relative_to(directory)).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def snapshot_code(directory: Path) -> tuple[Path, str]:
    """Copy citecheck/ so every run measures one version; returns the copy and its digest."""
    for _ in range(5):
        before = tree_digest(ROOT / "citecheck")
        target = directory / "code"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(
            ROOT / "citecheck", target / "citecheck", ignore=shutil.ignore_patterns("__pycache__")
        )
        digest = tree_digest(target / "citecheck")
        if digest == before:
            return target, digest
        time.sleep(1)
    raise RuntimeError("citecheck/ kept changing while it was copied")


def build_inputs(
    directory: Path, sizes: list[int], background: int, seed: int
) -> tuple[dict[int, Path], list[Any]]:
    """Manuscripts of the first n of one sample of glutton rows; one corpus for all sizes.

    The pool is at least 1,000 rows, so a size's manuscript and the served corpus do not
    depend on which other sizes were asked for.
    """
    from matching import build_corpus, load_rows
    from throughput import glutton_list

    rows = load_rows()
    pool = max(1000, *sizes)
    picked = random.Random(seed).sample(range(len(rows)), pool + background)
    chosen = [rows[i] for i in picked]
    works = build_corpus(chosen, seed).works
    paths = {}
    for n in sizes:
        path = directory / f"speed_{n}.txt"
        path.write_text(glutton_list([r.reference for r in chosen[:n]]), encoding="utf-8")
        paths[n] = path
    return paths, works


@contextlib.contextmanager
def resolution_replayed(resolutions: list[Any], mesh: Any) -> Iterator[None]:
    """Make ``check`` take its resolutions and MeSH evidence from a previous run."""
    from unittest import mock

    import citecheck.audit as audit

    class _Breaker:
        def is_open(self, service: str) -> bool:
            return False

    class _Resolver:
        breaker = _Breaker()

        def resolve_all(self, refs: list[Any]) -> list[Any]:
            if len(refs) != len(resolutions):
                raise RuntimeError("the manuscript read differently from the stored run")
            return resolutions

    class _Http:
        requests_sent = 0
        cache = None

    @contextlib.contextmanager
    def services(settings: Any, shared: Any = None) -> Iterator[tuple[Any, Any]]:
        yield _Resolver(), _Http()

    with (
        mock.patch.object(audit, "services", services),
        mock.patch.object(audit, "topic_evidence", lambda *a, **k: mesh),
    ):
        yield


def median_seconds(
    fn: Callable[[], object], min_total: float = 1.0, min_reps: int = 3
) -> tuple[float, int]:
    """Median of repeated calls: at least ``min_reps`` and at least ``min_total`` seconds."""
    times: list[float] = []
    while len(times) < min_reps or sum(times) < min_total:
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(times)


def local_rows(path: Path, n: int, settings: Any, svc: Any) -> list[str]:
    """References/s without the network: read + parse, and check() minus resolution."""
    from unittest import mock

    import citecheck.audit as audit
    from citecheck.ingest import read_manuscript

    # One warm check, to capture what resolution and MeSH gave (no request may reach the fake).
    captured: dict[str, Any] = {}
    real = audit.topic_evidence

    def capture(resolver: Any, about: Any, resolutions: list[Any]) -> Any:
        captured["resolutions"] = resolutions
        captured["mesh"] = real(resolver, about, resolutions)
        return captured["mesh"]

    svc.clear_requests()
    with mock.patch.object(audit, "topic_evidence", capture):
        audit.check(path, settings)
    leaked = len(svc.requests)

    def read_parse() -> int:
        return len(audit.parse(read_manuscript(path)))

    def full_check() -> int:
        return len(audit.check(path, settings).references)

    out = [
        "| what is timed | references | reps | median s | references/s |",
        "|---|---:|---:|---:|---:|",
    ]
    t, reps = median_seconds(read_parse)
    out.append(
        f"| `read_manuscript` + `audit.parse` (read the file, split and parse the list) | "
        f"{n:,} | {reps} | {t:.3f} | {n / t:,.0f} |"
    )
    with resolution_replayed(captured["resolutions"], captured["mesh"]):
        t, reps = median_seconds(full_check)
    out.append(
        f"| `check()` with resolution replayed (all of check but services and cache) | "
        f"{n:,} | {reps} | {t:.3f} | {n / t:,.0f} |"
    )
    t, reps = median_seconds(full_check)
    out.append(
        f"| `check()` over the warm cache, in process (adds resolution from the cache) | "
        f"{n:,} | {reps} | {t:.3f} | {n / t:,.0f} |"
    )
    if leaked or svc.requests:
        out.append(f"\nwarning: {leaked + len(svc.requests)} request(s) reached the fake")
    return out


def fmt_counts(counts: dict[str, int]) -> str:
    keys = (("verified", "ok"), ("problems", "prob"), ("not_found", "nf"), ("unverified", "unv"))
    return " / ".join(f"{counts.get(k, 0)}" for k, _ in keys)


def tables(
    results: list[SizeResult], limits: Limits, latency: float, version: str, args: Any
) -> list[str]:
    out = []
    out.append(
        f"{version}; latency {latency:g} s; mailto set (Crossref polite pool: "
        f"{limits.crossref_rate:g}/s, concurrency {limits.crossref_concurrency:g}); NCBI "
        f"{limits.ncbi_rate:g}/s ({'API key' if args.api_key else 'no API key'}); "
        f"runs {args.runs}; seed {args.seed}; background rows {args.background}"
    )
    out.append("")
    out.append(
        "| refs | cold wall s | requests (Crossref + NCBI) | req/ref | floor s (Crossref / NCBI) "
        "| wall / floor | fake compute s | peak RSS MiB (before check) | warm wall s "
        "| warm process s | warm requests | ok / prob / nf / unv |"
    )
    out.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for res in results:
        cold, warm = res.cold[-1], res.warm[-1]
        wall = statistics.median(r.seconds for r in res.cold)
        cr, eu = cold.per_service()
        fc, fe = limits.floors(cr, eu, latency)
        floor = max(fc, fe)
        per_ref = cold.requests / res.size
        flag = "" if per_ref <= REQUESTS_PER_REF_TARGET else " ⚠"
        warm_wall = statistics.median(r.seconds for r in res.warm)
        warm_proc = statistics.median(r.process_seconds for r in res.warm)
        peak = max(r.rss_mib_peak for r in res.cold)
        out.append(
            f"| {res.size:,} | {wall:.2f} | {cold.requests:,} ({cr:,} + {eu:,}) | "
            f"{per_ref:.2f}{flag} | {floor:.2f} ({fc:.2f} / {fe:.2f}) | "
            f"{wall / floor if floor else math.nan:.2f} | {statistics.median(r.fake_seconds for r in res.cold):.2f} | "
            f"{peak:.0f} ({cold.rss_mib_before:.0f}) | {warm_wall:.3f} | {warm_proc:.2f} | "
            f"{warm.requests} | {fmt_counts(cold.counts)} |"
        )
    out.append("")
    used = [
        (label, what)
        for _, label, what in ENDPOINTS
        if any(r.cold[-1].by_endpoint[label] for r in results)
    ]
    out.append(
        "Cold requests by endpoint (last cold run), the client's own count (`Report.requests`), "
        "and the most requests the fake saw in flight at once and arriving in any one second:"
    )
    out.append("")
    out.append(
        "| refs | "
        + " | ".join(label for label, _ in used)
        + " | client count | max in flight (Crossref / NCBI) | max in any 1 s (Crossref / NCBI) |"
    )
    out.append("|---:|" + "---:|" * (len(used) + 3))
    for res in results:
        cold = res.cold[-1]
        cells = " | ".join(str(cold.by_endpoint[label]) for label, _ in used)
        flight = " / ".join(map(str, cold.max_in_flight))
        rate = " / ".join(map(str, cold.max_per_second))
        out.append(f"| {res.size:,} | {cells} | {cold.client_requests} | {flight} | {rate} |")
    out.append("")
    out.append("; ".join(f"{label} = {what}" for label, what in used) + ".")
    for res in results:
        for run in res.cold:
            if run.unverified_reasons:
                out.append(f"\n{res.size} refs, unverified: {run.unverified_reasons}")
            if run.requests != res.cold[-1].requests:
                out.append(f"\n{res.size} refs: request counts differ between cold runs")
    warm_n, warm_target = WARM_TARGET
    for res in results:
        if res.size == warm_n:
            wall = statistics.median(r.seconds for r in res.warm)
            verdict = "meets" if wall < warm_target else "misses"
            out.append(
                f"\nWarm rerun of {warm_n} references: {wall:.3f} s in `check` "
                f"({verdict} the < {warm_target:g} s target)."
            )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10,50,100,200,1000", help="references per manuscript")
    ap.add_argument("--latency", type=float, default=0.15, help="seconds the fake waits per reply")
    ap.add_argument("--api-key", action="store_true", help="send an NCBI API key (10/s)")
    ap.add_argument("--runs", type=int, default=1, help="cold and warm runs per size (median)")
    ap.add_argument("--background", type=int, default=1000, help="other glutton rows served")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--local-size", type=int, default=0, help="size for local throughput (default: largest)"
    )
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(json.loads(args.child))
        return 0

    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if args.runs < 1 or not sizes:
        ap.error("need --runs >= 1 and at least one size")
    api_key = API_KEY if args.api_key else None
    with tempfile.TemporaryDirectory(prefix="citecheck-speed-") as tmp_name:
        tmp = Path(tmp_name)
        sys.path.insert(0, str(ROOT / "benchmarks"))
        sys.path.insert(0, str(ROOT))  # tests/
        code, digest = snapshot_code(tmp)
        sys.path.insert(0, str(code))
        import citecheck  # first, from the copy: its submodules then follow its __path__

        if not Path(citecheck.__file__).is_relative_to(code):
            raise RuntimeError(f"citecheck was imported from {citecheck.__file__}, not the copy")
        from matching import code_version

        from citecheck.settings import Settings
        from tests.fakeservice import FakeServices

        version = code_version()
        if digest not in version:
            version += f" (measured: a copy with sha256 {digest}, taken at start)"

        print(f"building inputs for sizes {sizes} ...", file=sys.stderr, flush=True)
        paths, works = build_inputs(tmp, sizes, args.background, args.seed)
        results: list[SizeResult] = []
        with FakeServices(works, latency=args.latency) as svc:
            svc._bm25_for("bibliographic")  # build the fake's indexes before any timing
            svc._pubidx  # noqa: B018 - a property that builds the PubMed index
            watch = Watch(svc)
            limits = probe_limits(svc, MAILTO, api_key)
            time.sleep(1.1)  # let the probe leave the fake's NCBI one-second window
            for n in sizes:
                cold: list[Run] = []
                warm: list[Run] = []
                cache_dir = tmp / f"cache-{n}-0"
                for i in range(args.runs):
                    cache_dir = tmp / f"cache-{n}-{i}"
                    spec = {
                        "code": str(code),
                        "path": str(paths[n]),
                        "cache_dir": str(cache_dir),
                        "crossref_url": svc.crossref_url,
                        "eutils_url": svc.eutils_url,
                        "mailto": MAILTO,
                        "api_key": api_key,
                        "cwd": str(tmp),
                    }
                    cold.append(run_child(svc, watch, spec))
                    print(
                        f"{n} refs cold: {cold[-1].seconds:.2f} s, {cold[-1].requests} requests",
                        file=sys.stderr,
                        flush=True,
                    )
                for _ in range(args.runs):
                    warm.append(run_child(svc, watch, {**spec, "cache_dir": str(cache_dir)}))
                results.append(SizeResult(n, paths[n], cold, warm, cache_dir))
            if svc.errors:
                print(f"warning: the fake raised {len(svc.errors)} error(s): {svc.errors[:3]}")
            print("\n".join(tables(results, limits, args.latency, version, args)))
            local = next(
                (r for r in results if r.size == args.local_size),
                max(results, key=lambda r: r.size),
            )
            settings = Settings(
                crossref_url=svc.crossref_url,
                eutils_url=svc.eutils_url,
                mailto=MAILTO,
                ncbi_api_key=api_key,
                cache_dir=local.cache_dir,
                use_cache=True,
            )
            print()
            print(f"Local throughput, {local.size} references (target ≥ {LOCAL_TARGET:,}/s):")
            print()
            print("\n".join(local_rows(local.path, local.size, settings, svc)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
