"""One batch, three ways: one process, a local process pool, and Ray Data.

``--manuscripts`` synthetic manuscripts of ``--size`` references each (numbered lists of
biblio-glutton strings, ``throughput.glutton_list``; distinct rows, sampled with ``--seed``)
are audited by ``citecheck.batch.run_batch`` against a local index built from their works
(``matching.build_corpus``: the gold works and one synthetic distractor each, written as
dumps by ``tests.fakeservice.write_dumps`` and applied by ``citecheck.index.build.build``).
Index only, no network: what ``citecheck check FOLDER --index DIR`` does, relevance check on,
HTML reports plus the JSON ones.

Each way runs into its own output folder:

* ``sequential``: ``--jobs 1``, in this process;
* ``local``: ``--executor local --jobs N``, a process pool (its start is timed);
* ``ray, cold``: ``--executor ray --jobs N`` with no Ray running: the batch starts a local
  Ray with N CPUs and stops it, and that is timed;
* ``ray, warm``: a local Ray with N CPUs started beforehand (``ray.init`` not timed), as on
  a cluster that is already up; the actors and the dataset are still timed.

Wall time is ``time.perf_counter`` around ``run_batch``, one run each (``--runs`` for the
median of several). Manuscripts/s and references/s divide the batch's manuscripts and their
references by it. Every way's output folder is compared file by file with the sequential
one (the reports' ``summary.seconds`` masked), and the table says whether they are equal.

Usage::

    python benchmarks/executors.py                         # 40 x 40 references, 2 jobs
    python benchmarks/executors.py --manuscripts 200 --size 30 --jobs 2 --runs 3
    python benchmarks/executors.py --skip-ray
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests/ is not installed
sys.path.insert(0, str(ROOT / "benchmarks"))

from matching import build_corpus, code_version, load_rows  # noqa: E402
from throughput import glutton_list  # noqa: E402

from citecheck.batch import run_batch  # noqa: E402
from citecheck.index.build import build  # noqa: E402
from citecheck.settings import Settings  # noqa: E402
from tests.fakeservice import write_dumps  # noqa: E402

DEAD = "http://127.0.0.1:9"  # index only: nothing may be asked


def make_batch(folder: Path, manuscripts: int, size: int, seed: int) -> tuple[Path, Path]:
    """The manuscripts and the index of their works; returns (manuscripts folder, index)."""
    rows = load_rows()
    picked = random.Random(seed).sample(range(len(rows)), manuscripts * size)
    cited = [rows[i] for i in picked]
    papers = folder / "manuscripts"
    papers.mkdir()
    for n in range(manuscripts):
        chunk = cited[n * size : (n + 1) * size]
        text = glutton_list([r.reference for r in chunk])
        (papers / f"paper-{n:04}.txt").write_text(text, encoding="utf-8")
    corpus = build_corpus(cited, seed)
    index = folder / "index"
    build(index, write_dumps(corpus.works, folder / "dumps"), complete=True)  # the whole world
    return papers, index


def outputs(out: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(out.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".json":
                report = json.loads(data)
                report["summary"]["seconds"] = None
                data = json.dumps(report).encode()
            files[path.relative_to(out).as_posix()] = data
    return files


def timed(papers: Path, settings: Settings, out: Path) -> tuple[float, int, int]:
    """Wall seconds, manuscripts and references of one batch."""
    started = time.perf_counter()
    outcomes = run_batch([papers], settings, out, "html")
    wall = time.perf_counter() - started
    refs = sum(int(o.counts.get("references", 0)) for o in outcomes)
    return wall, len(outcomes), refs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--manuscripts", type=int, default=40)
    ap.add_argument("--size", type=int, default=40, help="references per manuscript")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--runs", type=int, default=1, help="runs per way (median)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip-ray", action="store_true")
    args = ap.parse_args(argv)

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{code_version()}; Python {platform.python_version()}; {cpus} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        papers, index = make_batch(folder, args.manuscripts, args.size, args.seed)
        print(f"batch and index made in {time.perf_counter() - started:.1f} s\n")
        base = Settings(index=index, crossref_url=DEAD, eutils_url=DEAD, use_cache=False)
        ways: list[tuple[str, Settings]] = [
            ("sequential", base.replace(jobs=1)),
            (f"local pool, {args.jobs} jobs", base.replace(jobs=args.jobs)),
        ]
        ray = None
        if not args.skip_ray:
            import ray

            ray_settings = base.replace(executor="ray", jobs=args.jobs)
            ways.append((f"ray, cold (starts a local Ray), {args.jobs} jobs", ray_settings))
            ways.append((f"ray, warm (Ray already up), {args.jobs} jobs", ray_settings))
        print(
            "| way | manuscripts | references | median wall s | manuscripts/s | "
            "references/s | output = sequential |"
        )
        print("|---|---:|---:|---:|---:|---:|---|")
        reference: dict[str, bytes] | None = None
        for n, (name, settings) in enumerate(ways):
            walls = []
            for run in range(args.runs):
                warm = ray is not None and name.startswith("ray, warm")
                if warm:
                    ray.init(num_cpus=args.jobs, include_dashboard=False, logging_level="warning")
                out = folder / f"out-{n}-{run}"
                try:
                    wall, count, refs = timed(papers, settings, out)
                finally:
                    if warm:
                        ray.shutdown()
                walls.append(wall)
            files = outputs(out)
            reference = reference or files
            wall = statistics.median(walls)
            same = "yes" if files == reference else "NO"
            print(
                f"| {name} | {count} | {refs:,} | {wall:.2f} | {count / wall:.2f} | "
                f"{refs / wall:,.0f} | {same} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
