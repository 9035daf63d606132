"""Run one function over every district partition, on Dask.

:func:`map_districts` is the only place that knows about schedulers. It sends each
worker a batch of district ids and the name of a **top-level** function (pickled by
reference, never a lambda or closure), together with plain arguments (text, numbers,
frozen dataclasses such as :class:`costing.Scenario`); the worker reads its districts'
partitions from disk itself (:func:`costing.statewide.load_district`), so no open file
or DataFrame travels over the network. The same code runs:

* on a ``dask.distributed`` cluster: a :class:`distributed.Client` passed as ``client``,
  a scheduler address (``scheduler="tcp://host:8786"``), or by default a
  :class:`distributed.LocalCluster` of ``workers`` single-threaded processes started for
  the call and closed after it;
* in this process, without a cluster (``client="sync"``: Dask's synchronous scheduler),
  for tests and debugging.

Pricing (:func:`costing.statewide.price_statewide`) and, later, Monte Carlo draws per
district are both ``map_districts`` of a per-district function.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .collection import Statewide
from .source import StatewideError

__all__ = ["SYNC", "WORKER_CONFIG", "map_districts", "run_batch"]

#: ``client=SYNC``: run every task in this process (Dask's synchronous scheduler)
SYNC = "sync"
#: Dask settings of the local cluster :func:`map_districts` starts (set the same in the
#: Dask config of a cluster you start yourself: ``docs/statewide.md``)
WORKER_CONFIG = {"distributed.worker.profile.enabled": False,
                 "distributed.admin.system-monitor.gil.enabled": False}


def run_batch(func: Callable[..., Any], root: str, districts: Sequence[str], args: tuple, kwargs: dict) -> list:
    """``[func(root, d, *args, **kwargs) for d in districts]``: the task a worker runs."""
    return [func(root, d, *args, **kwargs) for d in districts]


def _batches(ids: list[str], n: int) -> list[list[str]]:
    size = max(1, math.ceil(len(ids) / max(n, 1)))
    return [ids[i:i + size] for i in range(0, len(ids), size)]


@contextlib.contextmanager
def _client(client: Any, scheduler: str | None, workers: int | None) -> Iterator[Any]:
    """The distributed Client to use (None for the synchronous scheduler); a cluster
    started here is closed on exit."""
    if isinstance(client, str):
        if client != SYNC:
            raise StatewideError(f"client must be a distributed.Client or {SYNC!r}, got {client!r}")
        yield None
        return
    if scheduler in (SYNC, "synchronous"):
        yield None
        return
    if client is not None:
        yield client
        return
    from distributed import Client, LocalCluster

    if scheduler is not None:
        if not str(scheduler).startswith(("tcp://", "tls://", "inproc://", "ws://", "wss://", "ucx://")):
            raise StatewideError(f"scheduler must be an address such as tcp://127.0.0.1:8786 (or {SYNC!r}), "
                                 f"got {scheduler!r}")
        try:
            c = Client(scheduler, timeout="10s")
        except OSError as exc:
            raise StatewideError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
        try:
            yield c
        finally:
            c.close()
        return
    n = int(workers or 2)
    if n < 1:
        raise StatewideError(f"workers must be at least 1, got {workers!r}")
    import dask

    # the workers' statistical profiler (every 10 ms) and GIL monitor (every 1 ms) cost a
    # CPU-bound worker a share of its core, which 2 workers on 2 cores cannot spare
    with dask.config.set(WORKER_CONFIG), \
            LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as c:
        yield c


def map_districts(func: Callable[..., Any], statewide: Statewide, args: tuple = (), kwargs: dict | None = None, *,
                  client: Any = None, scheduler: str | None = None, workers: int | None = None,
                  batches: int | None = None) -> list:
    """``func(root, district, *args, **kwargs)`` for every district of ``statewide``, in
    the collection's order; returns the list of results.

    ``func`` must be a module-level function (workers import it by name); ``args`` and
    ``kwargs`` plain, picklable data. Districts are sent in ``batches`` (default 4 per
    worker, at most one district each), so each task reads and prices several districts
    and the scheduler's overhead stays small. ``client``: a ``distributed.Client``, or
    ``"sync"`` for this process; ``scheduler``: an address (``tcp://...``) or ``"sync"``;
    neither: a LocalCluster of ``workers`` processes (default 2), closed after.
    """
    if getattr(func, "__name__", "") == "<lambda>" or "<locals>" in getattr(func, "__qualname__", ""):
        raise StatewideError(f"{func!r}: map_districts needs a module-level function (workers import it by "
                             "name; lambdas and nested functions break on a real cluster)")
    ids = statewide.ids
    if not ids:
        return []
    root = str(statewide.path)
    kwargs = dict(kwargs or {})
    with _client(client, scheduler, workers) as c:
        if c is None:
            return [r for b in _batches(ids, 1) for r in run_batch(func, root, b, tuple(args), kwargs)]
        n_workers = max(1, len(c.nthreads()))
        parts = _batches(ids, batches or 4 * n_workers)
        futures = [c.submit(run_batch, func, root, b, tuple(args), kwargs, pure=False) for b in parts]
        results = c.gather(futures)
    return [r for batch in results for r in batch]
