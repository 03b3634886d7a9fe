"""How many manuscripts a batch audits at once, and how its processes share the services.

N processes with a rate limiter each would ask Crossref and NCBI N times as fast as one
process is allowed to. So:

* Nothing is asked over the network (an index without ``--online``, or ``--replay``):
  ``jobs`` 0 means one process per CPU.
* The services are asked (the API path, or ``--index --online``): ``jobs`` 0 means one
  process. More may be asked for, up to the requests Crossref allows in flight (1 in its
  public pool, 3 in the polite pool, i.e. with a mailto); the processes then divide every
  rate and concurrency limit among them, so the batch asks no faster than one process.
* ``--record`` and ``--write-baseline``: one process, because every manuscript reads and
  rewrites the same cassettes or baseline file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from citecheck.resolve.http import crossref_limits
from citecheck.settings import Settings


def asks_services(settings: Settings) -> bool:
    """Does a run send requests to Crossref or NCBI (or at least try to)?"""
    return settings.replay_dir is None and (settings.index is None or settings.online)


def cpus() -> int:
    """The CPUs this process may run on (a container's or taskset's limit, not the host's)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Plan:
    jobs: int  # manuscripts audited at once
    settings: Settings  # what each process audits with (its share of the services' limits)
    notes: list[str] = field(default_factory=list)  # why fewer jobs than asked for


def plan(settings: Settings, manuscripts: int, available: int | None = None) -> Plan:
    """The number of processes for a batch of ``manuscripts`` on ``available`` CPUs."""
    available = available or cpus()
    asked = settings.jobs
    jobs = asked or (1 if asks_services(settings) else available)
    notes = []
    one_file = "--record" if settings.record_dir else None
    if settings.write_baseline is not None:
        one_file = "--write-baseline"
    if one_file and jobs > 1:
        jobs = 1
        notes.append(
            f"{one_file}: one manuscript at a time, since each one rewrites the same files"
        )
    if asks_services(settings):
        in_flight = crossref_limits(settings)[1]
        if jobs > in_flight:
            pool = "polite pool (with a mailto)" if settings.mailto else "public pool"
            notes.append(
                f"{asked} jobs asked for, {in_flight} used: the services are asked, and "
                f"Crossref's {pool} allows {in_flight} request(s) in flight; the processes "
                "share its limits (an --index without --online has no such limit)"
            )
            jobs = in_flight
    jobs = max(1, min(jobs, manuscripts))
    shared_by = jobs if asks_services(settings) else 1
    return Plan(jobs, settings.replace(limits_shared_by=shared_by), notes)
