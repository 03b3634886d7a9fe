"""A batch on a local process pool (``--executor local``, the default for ``--jobs`` > 1).

Each worker process opens the index and the HTTP client once (``batch.Auditor``) and audits
manuscripts as they are handed out; the parent collects outcomes in whatever order they
finish (the index is sorted). Workers ignore Ctrl-C: the parent handles it, stops them and
writes the index of what finished.

A worker that dies (os._exit, a signal, the OOM killer) breaks the whole pool, and with it
the manuscripts in flight in the other workers. Those are audited again, each alone in a
fresh pool: the one that dies again is reported as ``crashed``, the others get their report.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Generator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from citecheck.batch import DIED, Auditor, Batch, Outcome, worker

Item = tuple[Path, str]
_worker: Callable[[Path, str], Outcome] | None = None  # this worker process's auditor


def run_pool(
    todo: list[Item], batch: Batch, jobs: int, auditor: type[Auditor] = Auditor
) -> Generator[Outcome, None, None]:
    queue = deque(todo)
    while queue:
        lost = yield from _pool(queue, batch, jobs, auditor)
        for item in lost:  # alone, so that a death names its manuscript
            if (yield from _pool(deque([item]), batch, 1, auditor)):
                yield Outcome(*item, "crashed", 2, error=DIED)


def _pool(
    queue: deque[Item], batch: Batch, jobs: int, auditor: type[Auditor]
) -> Generator[Outcome, None, list[Item]]:
    """Audit from ``queue`` until it is empty or a worker dies; return what was in flight."""
    pool = ProcessPoolExecutor(
        jobs, mp_context=_context(), initializer=_start, initargs=(batch, auditor)
    )
    running: dict[Future[Outcome], Item] = {}
    lost: list[Item] = []
    try:
        while (queue or running) and not lost:
            while queue and len(running) < 2 * jobs:  # a little ahead, so no worker waits
                item = queue.popleft()
                running[pool.submit(_run, *item)] = item
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            if any(isinstance(f.exception(), BrokenProcessPool) for f in finished):
                wait(running)  # the pool is gone: every future in flight ends now
                finished = set(running)
            for future in sorted(finished, key=lambda f: running[f][1]):
                item = running.pop(future)
                error = future.exception()
                if error is None:
                    yield future.result()
                elif isinstance(error, BrokenProcessPool):
                    lost.append(item)
                else:  # the outcome could not be sent back; the audit itself catches the rest
                    yield Outcome(*item, "crashed", 2, error=f"internal error: {error!r}")
    except BaseException:  # Ctrl-C, SIGTERM, or the batch closed early
        _stop(pool)
        raise
    if lost:
        _stop(pool)
    else:
        pool.shutdown()
    return lost


def _context() -> multiprocessing.context.BaseContext:
    """Forkserver where there is one: a clean fork of a server that imported citecheck,
    safe beside the parent's threads (the progress bar), unlike a plain fork."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["citecheck.batch"])
        return ctx
    return multiprocessing.get_context("spawn")


def _start(batch: Batch, auditor: type[Auditor]) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _worker = worker(batch, auditor)


def _run(path: Path, name: str) -> Outcome:
    assert _worker is not None, "the pool's initializer sets it"
    return _worker(path, name)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop at once: no new work, the workers terminated and reaped (no zombies)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # public in 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join()
