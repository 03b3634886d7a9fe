"""The local index at scale: build rate, size, ID lookups/s and fuzzy references/s.

    python benchmarks/index_data.py /data/g2m --records 2000000 --queries 2000   # the dumps
    python benchmarks/index_scale.py /data/g2m --index /data/ix2m [--jobs 2]
    python benchmarks/index_scale.py /data/g2m --index /data/ix2m --skip-build  # queries only

Input: a folder written by ``index_data.py`` (``crossref/``, ``pubmed/``,
``retraction_watch.csv``, ``queries.tsv``, ``manifest.json``). It measures, and prints as
Markdown:

- **build** (``citecheck.index.build.build`` with ``--jobs`` reader processes, ``complete``):
  wall time, CPU time of this process (all its threads: Tantivy indexes in its own) and of
  the reader processes (``RUSAGE_CHILDREN``), records/s by wall and per CPU-second, and the
  peak resident set of both.
- **size**: ``kv/`` and ``fulltext/`` on disk, bytes per record; and the LMDB file after
  ``env.copy(compact=True)`` (``--compact``; it copies the whole file).
- **ID lookups**: ``--lookups`` random DOIs (``IndexCrossref.works``) and as many PMIDs
  (``IndexPubMed.fetch``), one per call as the resolver asks for a cited identifier, each
  returning a decoded ``Record`` with its Retraction Watch notices; twice, the second pass
  warm. Per CPU-second of this process = per core.
- **fuzzy references**: the ``queries.tsv`` strings, parsed (not timed), then resolved by
  ``IndexResolver.resolve_all`` in batches of 40 (one manuscript each): bibliographic search
  in Tantivy, candidates from LMDB, validation, the PubMed side; twice, the second pass warm.
  Precision / recall of the predicted DOI (else PMID) against the generator's expected ids;
  a query of a work in neither dump is correct when nothing is predicted.

CPU time is ``resource.getrusage``, wall ``time.perf_counter``. On a shared machine wall time
is noisy; per-CPU figures are the ones to compare.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citecheck.index.build import FTS_DIR, KV_DIR, build  # noqa: E402
from citecheck.index.manifest import Manifest  # noqa: E402
from citecheck.references import parse_reference  # noqa: E402
from citecheck.resolve.index import IndexResolver, LocalIndex  # noqa: E402

BATCH = 40


def cpu(who: int = resource.RUSAGE_SELF) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def peak_mib(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def mb(n: float) -> str:
    return f"{n / 1e6:,.0f} MB"


def measure_build(data: Path, index: Path, jobs: int) -> list[str]:
    sources = [data / "crossref", data / "pubmed", data / "retraction_watch.csv"]
    shutil.rmtree(index, ignore_errors=True)
    w0, c0, k0 = time.perf_counter(), cpu(), cpu(resource.RUSAGE_CHILDREN)
    build(index, sources, complete=True, jobs=jobs)
    wall = time.perf_counter() - w0
    own, kids = cpu() - c0, cpu(resource.RUSAGE_CHILDREN) - k0
    m = Manifest.load(index)
    records = sum(
        s["counts"].get("upserts", 0) + s["counts"].get("deletions", 0)
        for s in m.sources
        if s["kind"] != "retraction-watch"
    )
    stored = m.totals.get("crossref", 0) + m.totals.get("pubmed", 0)
    return [
        "| build | value |",
        "|---|---:|",
        f"| records read (Crossref items + PubMed records and deletions) | {records:,} |",
        f"| records stored (Crossref {m.totals.get('crossref', 0):,}, PubMed "
        f"{m.totals.get('pubmed', 0):,}) | {stored:,} |",
        f"| reader processes (`--jobs`) | {jobs} |",
        f"| wall | {wall:,.1f} s |",
        f"| CPU, writer process (all threads) | {own:,.1f} s |",
        f"| CPU, reader processes | {kids:,.1f} s |",
        f"| records/s, wall | {records / wall:,.0f} |",
        f"| records per CPU-second (all processes) | {records / (own + kids):,.0f} |",
        f"| peak RSS, writer / one reader | {peak_mib():,.0f} / "
        f"{peak_mib(resource.RUSAGE_CHILDREN):,.0f} MiB |",
    ]


def measure_size(index: Path, compact: bool) -> list[str]:
    m = Manifest.load(index)
    stored = m.totals.get("crossref", 0) + m.totals.get("pubmed", 0)
    kv, fts = du(index / KV_DIR), du(index / FTS_DIR)
    rows = [
        "| size | bytes | per stored record |",
        "|---|---:|---:|",
        f"| kv/ (LMDB) | {mb(kv)} | {kv / stored:,.0f} |",
        f"| fulltext/ (Tantivy) | {mb(fts)} | {fts / stored:,.0f} |",
        f"| whole index | {mb(kv + fts)} | {(kv + fts) / stored:,.0f} |",
    ]
    if compact:
        import lmdb

        with tempfile.TemporaryDirectory(dir=index.parent) as tmp:
            env = lmdb.open(str(index / KV_DIR), readonly=True, lock=False, max_dbs=8)
            env.copy(tmp, compact=True)
            env.close()
            small = du(Path(tmp))
        rows.append(f"| kv/ compacted copy | {mb(small)} | {small / stored:,.0f} |")
    return rows


def sample_keys(index: LocalIndex, n: int, seed: int) -> tuple[list[str], list[str]]:
    """Random live DOIs and PMIDs (reservoir over the key space)."""
    rng = random.Random(seed)
    out: dict[str, list[str]] = {}
    store = index.store
    for source in ("crossref", "pubmed"):
        keys: list[str] = []
        with store.env.begin(db=store._db[source]) as txn:
            for i, key in enumerate(txn.cursor().iternext(values=False)):
                if len(keys) < n:
                    keys.append(bytes(key).decode())
                elif (j := rng.randrange(i + 1)) < n:
                    keys[j] = bytes(key).decode()
        rng.shuffle(keys)
        out[source] = keys
    return out["crossref"], out["pubmed"]


def measure_lookups(index: LocalIndex, n: int, seed: int) -> list[str]:
    resolver = IndexResolver(index)
    dois, pmids = sample_keys(index, n, seed)
    rows = [
        "| ID lookups | pass | calls | found | CPU s | per CPU-second |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for label, keys, ask in (
        ("DOI (`IndexCrossref.works`)", dois, resolver.crossref.works),
        ("PMID (`IndexPubMed.fetch`)", pmids, resolver.pubmed.fetch),
    ):
        for run in ("first", "warm"):
            c0 = cpu()
            found = sum(len(ask([k])) for k in keys)
            spent = cpu() - c0
            rows.append(
                f"| {label} | {run} | {len(keys):,} | {found:,} | {spent:.2f} | "
                f"{len(keys) / spent:,.0f} |"
            )
    return rows


@dataclass
class Query:
    style: str
    noise: str
    doi: str
    pmid: str
    text: str


def load_queries(path: Path, limit: int) -> list[Query]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        Query(r["style"], r["noise"], r["expected_doi"], r["expected_pmid"], r["reference"])
        for r in rows[:limit]
    ]


def measure_fuzzy(index: LocalIndex, queries: list[Query]) -> list[str]:
    refs = [parse_reference(q.text) for q in queries]
    pairs = [(q, r) for q, r in zip(queries, refs, strict=True) if r is not None]
    resolver = IndexResolver(index)
    rows = [
        "| fuzzy references | pass | references | CPU s | per CPU-second | wall s |",
        "|---|---|---:|---:|---:|---:|",
    ]
    states = []
    for run in ("first", "warm"):
        c0, w0 = cpu(), time.perf_counter()
        states = []
        for start in range(0, len(pairs), BATCH):
            states += resolver.resolve_all([r for _, r in pairs[start : start + BATCH]])
        spent, wall = cpu() - c0, time.perf_counter() - w0
        rows.append(
            f"| `IndexResolver.resolve_all`, batches of {BATCH} | {run} | {len(pairs):,} | "
            f"{spent:.1f} | {len(pairs) / spent:,.0f} | {wall:.1f} |"
        )
    tp = fp = fn = tn = 0
    for (q, _), s in zip(pairs, states, strict=True):
        got = [r for r in (s.crossref, s.pubmed) if r is not None]
        if not (q.doi or q.pmid):
            tn += not got
            fp += bool(got)
        elif not got:
            fn += 1
        elif any(
            (q.doi and (r.doi or "").lower() == q.doi.lower()) or (q.pmid and r.pmid == q.pmid)
            for r in got
        ):
            tp += 1
        else:
            fp += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    rows += [
        "",
        f"Matching on the generator's queries ({len(queries) - len(pairs)} unparsed): "
        f"precision {precision:.3f}, recall {recall:.3f} ({tp} right, {fp} wrong or spurious, "
        f"{fn} missed, {tn} rightly unmatched).",
    ]
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, help="a folder written by index_data.py")
    ap.add_argument("--index", type=Path, required=True, help="where to build the index")
    ap.add_argument("--jobs", type=int, default=2, help="reader processes for the build")
    ap.add_argument("--skip-build", action="store_true", help="measure an existing index")
    ap.add_argument("--compact", action="store_true", help="also measure a compacted LMDB copy")
    ap.add_argument("--lookups", type=int, default=20_000, help="DOIs and PMIDs to look up")
    ap.add_argument("--queries", type=int, default=2_000, help="reference strings to resolve")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    out: list[str] = []
    if not args.skip_build:
        out += [*measure_build(args.data, args.index, args.jobs), ""]
    out += [*measure_size(args.index, args.compact), ""]
    index = LocalIndex(args.index)
    try:
        out += [*measure_lookups(index, args.lookups, args.seed), ""]
        queries = load_queries(args.data / "queries.tsv", args.queries)
        out += measure_fuzzy(index, queries)
    finally:
        index.close()
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
