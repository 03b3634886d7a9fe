"""A batch on Ray Data (``--executor ray``, the ``ray`` extra): a local Ray, or a cluster.

The manuscripts' names become a dataset; ``map_batches`` hands them to a pool of actors,
each a ``batch.Auditor`` that opened the index and the HTTP client once, in its constructor.
The actors write each manuscript's reports into the output folder, as the local pool does;
their outcomes come back to the driver, which writes the index. On a cluster, the
manuscripts, the index and the output folder must be on a filesystem that every node
mounts at the same path, and the batch must be started from a folder on it (manuscripts
are named relative to it).

Where Ray runs: ``ray.init()`` attaches to the cluster ``RAY_ADDRESS`` names, or to the one
``ray start`` started on this machine; otherwise a local Ray is started for this batch
alone, with one CPU per job, and stopped at its end.

An actor that dies (os._exit, a signal, the OOM killer) is replaced and its manuscript
handed to the new one; Ray Data retries such a task without end. So an actor leaves a mark
in the output folder while it audits a manuscript: an actor handed a manuscript that is
marked already knows that one died on it, and reports it ``crashed`` instead of dying too.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import shutil
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

from citecheck.batch import DIED, Auditor, Batch, Outcome, worker
from citecheck.errors import CitecheckError
from citecheck.parallel import asks_services

EXTRA = "pip install 'citecheck-biomed[ray]'"


def run_ray(
    todo: list[tuple[Path, str]], batch: Batch, jobs: int, auditor: type[Auditor] = Auditor
) -> Generator[Outcome, None, None]:
    if not todo:
        return
    ray = _import_ray()
    started = _connect(ray, jobs)
    import ray.data

    context = ray.data.DataContext.get_current()
    previous = context.max_errored_blocks, context.enable_progress_bars
    context.max_errored_blocks = -1  # whatever else fails costs its manuscript, not the batch
    context.enable_progress_bars = False  # the CLI has its own
    data_log = logging.getLogger("ray.data")
    level = data_log.level
    data_log.setLevel(logging.ERROR)  # its notes (dataset started, bars off) are not ours
    shutil.rmtree(marks(batch), ignore_errors=True)  # an interrupted run's
    try:
        if batch.settings.jobs == 0 and not asks_services(batch.settings):
            jobs = max(1, min(len(todo), int(ray.cluster_resources().get("CPU", 1))))
        items = [{"path": str(path), "name": name} for path, name in todo]
        # One manuscript a block: each outcome comes back as soon as it is done.
        outcomes = ray.data.from_items(items, override_num_blocks=len(items)).map_batches(
            RayAuditor,
            fn_constructor_kwargs={"batch": batch, "auditor": auditor},
            batch_size=1,
            compute=ray.data.ActorPoolStrategy(size=jobs),
            num_cpus=1,
        )
        seen = set()
        for row in outcomes.iter_rows():
            outcome: Outcome = pickle.loads(row["outcome"])
            if outcome.name not in seen:  # a task is retried only if its result was lost
                seen.add(outcome.name)
                yield outcome
        for path, name in todo:
            if name not in seen:
                yield Outcome(path, name, "crashed", 2, error=DIED)
    finally:
        context.max_errored_blocks, context.enable_progress_bars = previous
        data_log.setLevel(level)
        shutil.rmtree(marks(batch), ignore_errors=True)
        if started:
            ray.shutdown()


def marks(batch: Batch) -> Path:
    """Where actors mark the manuscripts they are auditing: beside the reports, so that
    every node sees them."""
    return batch.out_dir / ".citecheck-running"


class RayAuditor:
    """One actor of the pool: the auditor of its process, opened once."""

    def __init__(self, batch: Batch, auditor: type[Auditor]) -> None:
        self.audit: Callable[[Path, str], Outcome] = worker(batch, auditor)
        self.marks = marks(batch)
        self.marks.mkdir(parents=True, exist_ok=True)

    def __call__(self, rows: dict[str, Any]) -> dict[str, list[bytes]]:
        pairs = zip(rows["path"], rows["name"], strict=True)
        return {"outcome": [pickle.dumps(self._once(Path(p), str(n))) for p, n in pairs]}

    def _once(self, path: Path, name: str) -> Outcome:
        mark = self.marks / hashlib.sha256(name.encode()).hexdigest()
        try:
            mark.touch(exist_ok=False)
        except FileExistsError:  # the actor auditing it before this one died
            return Outcome(path, name, "crashed", 2, error=DIED)
        outcome = self.audit(path, name)
        mark.unlink()
        return outcome


def require_ray() -> None:
    """Fail before a batch starts when Ray is not installed, naming the extra."""
    _import_ray()


def _import_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError:
        raise CitecheckError(f"--executor ray needs Ray: {EXTRA}") from None
    return ray


def _connect(ray: Any, jobs: int) -> bool:
    """Attach to a running Ray or start a local one; False if the caller's Ray is in use."""
    if ray.is_initialized():  # a notebook's or a test's session: not ours to stop
        return False
    quiet: dict[str, Any] = {"logging_level": logging.WARNING, "include_dashboard": False}
    try:
        ray.init(num_cpus=jobs, **quiet)  # a new local Ray, unless RAY_ADDRESS or `ray start`
    except ValueError:  # … found a cluster, which has its own CPUs
        ray.init(**quiet)
    return True
