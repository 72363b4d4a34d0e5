"""Where the map step of a heavy stage runs when it is given an executor.

Segmentation, discovery and keyword scoring are a map over shards of cases plus an
exact merge. By default the map runs in this process or in worker processes on this
machine (``n_jobs``; :func:`map_shards`). Given an executor, the same map runs there
instead:

- a ``dask.distributed`` :class:`~distributed.Client`, which may be connected to a
  cluster of many machines (:func:`caseminer.pipeline.cluster.connected`; ``caseminer
  discover --scheduler tcp://host:8786``);
- any :class:`concurrent.futures.Executor` (a ``ProcessPoolExecutor``, or the
  executor of a Dask client, ``client.get_executor()``).

The results are the same wherever the map runs: every merge is exact and does not
depend on the order in which shards come back.

Each task is ``func(shared, item)``. ``shared`` is what every shard needs (the
settings, a pass's frequent n-grams, a segmenter's dictionary): a Dask client sends
it once to every worker (scattered, broadcast); any other executor sends it with every
task. Only a few tasks are in flight at a time (two per worker), so the shards are
encoded as they are needed and the results merged as they come back, never all held.
"""

from __future__ import annotations

import functools
import gc
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, wait
from itertools import chain, islice
from typing import Any

from ..errors import InvalidInput, fail

log = logging.getLogger(__name__)

_END = object()

# Local workers inherit the map's function and shared state by forking, which Windows
# cannot do; there the map runs in this process, with the same results.
CAN_FORK = "fork" in multiprocessing.get_all_start_methods()

_FORKED: dict = {}  # the running map's (func, shared), inherited by forked workers


def map_shards(func: Callable[[Any, Any], Any], shared: Any, items: Iterable[Any], *, n_jobs: int = 1,
               executor: object = None, what: str = "the stage") -> Iterator[Any]:
    """``func(shared, item)`` for every item, results as they complete (in any order).

    On ``executor`` if given (:func:`map_unordered`); else in ``n_jobs`` worker
    processes forked from this one, which inherit ``shared`` (only the items and the
    results are pickled); else, or where the platform cannot fork, here (with a
    warning naming ``what`` runs in one process).
    """
    if executor is not None:
        yield from map_unordered(func, shared, items, executor)
        return
    items = iter(items)  # drawn as the workers need them, never all made at once
    head = list(islice(items, 2))
    if n_jobs > 1 and len(head) > 1 and not CAN_FORK:
        warn_no_fork(n_jobs, what)
    if n_jobs <= 1 or len(head) <= 1 or not CAN_FORK:
        for item in chain(head, items):
            yield func(shared, item)
        return
    _FORKED["work"] = (func, shared)
    try:
        # Frozen objects are never scanned by a worker's garbage collector, which would
        # otherwise write to (and so copy) every page holding a Python container.
        gc.freeze()
        try:
            pool = multiprocessing.get_context("fork").Pool(n_jobs)
        finally:
            gc.unfreeze()
        with pool:
            yield from pool.imap_unordered(_run_forked, chain(head, items))
    finally:
        _FORKED.pop("work", None)  # the map's shared state is freed with the map


def _run_forked(item):
    func, shared = _FORKED["work"]
    return func(shared, item)


@functools.lru_cache(maxsize=8)
def warn_no_fork(jobs: int, what: str) -> None:
    """Say once per stage that ``n_jobs`` > 1 runs in one process here, and why."""
    log.warning("n_jobs=%d: %s's worker processes are forked, and this platform cannot fork; %s runs in one "
                "process (the results are the same).", jobs, what, what)


def shard_count(n_jobs: int, executor: object = None, per_worker: int = 4) -> int:
    """How many shards to cut the cases into: a few per worker, so that a worker that
    finishes early takes another and no one waits for a long last shard."""
    return per_worker * (workers(executor) if executor is not None else max(1, n_jobs))


def chunks(items: Sequence[Any], n: int) -> list[list[Any]]:
    """``items`` in at most ``n`` contiguous runs of about equal length (none empty)."""
    n = max(1, min(n, len(items)))
    size, extra = divmod(len(items), n)
    out, start = [], 0
    for i in range(n):
        end = start + size + (i < extra)
        out.append(list(items[start:end]))
        start = end
    return [c for c in out if c]


def is_dask_client(executor: object) -> bool:
    """A ``distributed.Client`` (told apart without importing dask)."""
    return all(hasattr(executor, name) for name in ("scatter", "submit", "nthreads", "gather"))


def check_executor(executor: object, stage: str = "this stage") -> None:
    """Refuse what cannot run a map (E308), before any work starts."""
    if executor is None or is_dask_client(executor) or isinstance(executor, Executor):
        return
    raise fail(InvalidInput, "E308", stage=stage, kind=type(executor).__name__)


def describe(executor: object) -> str:
    """Where the map ran, for a stage's log and run record: ``dask tcp://10.0.0.5:8786
    (8 workers)``, ``ProcessPoolExecutor``."""
    if is_dask_client(executor):
        address = getattr(getattr(executor, "scheduler", None), "address", None) or "?"
        return f"dask {address} ({len(executor.nthreads())} workers)"
    return type(executor).__name__


def where(executor: object, n_jobs: int) -> str:
    """Where a stage's map ran, for its run record: :func:`describe` of the executor, or
    ``"this machine, 2 processes"``."""
    if executor is not None:
        return describe(executor)
    return f"this machine, {n_jobs} process{'' if n_jobs == 1 else 'es'}"


def workers(executor: object) -> int:
    """How many tasks the executor runs at once (at least 1)."""
    if is_dask_client(executor):
        return max(1, sum(executor.nthreads().values()))
    return max(1, getattr(executor, "_max_workers", None) or os.cpu_count() or 1)


def map_unordered(func: Callable[[Any, Any], Any], shared: Any, items: Iterable[Any], executor: object,
                  *, window: int | None = None) -> Iterator[Any]:
    """``func(shared, item)`` for every item, on ``executor``; results as they complete.

    ``func`` must be importable by the workers (a module-level function), and
    ``shared`` and the items picklable. At most ``window`` tasks (default: two per
    worker) are in flight; items are drawn from ``items`` only as tasks finish. A task
    that fails raises its error here, and the tasks still pending are cancelled.
    """
    check_executor(executor)
    window = window or 2 * workers(executor)
    if is_dask_client(executor):
        yield from _on_dask(func, shared, iter(items), executor, window)
    else:
        yield from _on_executor(func, shared, iter(items), executor, window)


def _on_executor(func, shared, items: Iterator, executor: Executor, window: int) -> Iterator:
    pending = {executor.submit(func, shared, item) for item in islice(items, window)}
    try:
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                item = next(items, _END)
                if item is not _END:
                    pending.add(executor.submit(func, shared, item))
                yield future.result()
    finally:
        for future in pending:
            future.cancel()


class _Box:
    """Scattered as one object: a dict or list would be scattered element by element."""

    def __init__(self, value: Any):
        self.value = value


def _call_boxed(func, box: _Box, item):
    return func(box.value, item)


def _on_dask(func, shared, items: Iterator, client, window: int) -> Iterator:
    from distributed import as_completed

    box = client.scatter(_Box(shared), broadcast=True, hash=False)
    # pure=False: two shards' tasks must never be taken for one (their keys differ).
    submit = lambda item: client.submit(_call_boxed, func, box, item, pure=False)  # noqa: E731
    running = as_completed([submit(item) for item in islice(items, window)])
    try:
        for future in running:
            item = next(items, _END)
            if item is not _END:
                running.add(submit(item))
            result = future.result()
            future.release()
            yield result
    finally:
        running.clear()
        box.release()
