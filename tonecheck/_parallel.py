"""Work spread over every core: a process pool that maps plain-data work items in input order.

    results = run_pool(work, items, setup=functools.partial(get_engine, config), jobs=None)

`setup()` makes what every item needs (typically a compiled `Engine`); it runs ONCE per worker
process, never per item. Where the platform can fork (Linux), it runs once in the calling process
before the pool starts, so the workers are forked with it already built and share its memory; elsewhere
each worker runs it when it starts. `work(state, item)` is then called for every item with that
state, and `run_pool` returns the results as a list in the order of `items`, as
`[work(setup(), item) for item in items]` would: results are identical to one process.

Rules for callers:
- `work` and `setup` must be module-level functions (or `functools.partial` of one), and the items and
  results must pickle: plain data (str, numbers, tuples, lists, dicts, pydantic models).
- `work` should not print; return what is to be shown and let the caller print it in order.
- An exception raised by `work` stops the run and is raised again in the caller, as in one process.

`jobs`: None for `default_jobs()` (the cores this process may use); 1, or a single item, runs in
this process without a pool. The pool never has more workers than items.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

__all__ = ["default_jobs", "run_pool"]

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

# what each worker calls and with what state: set in the parent before a fork, or by `_start` in
# a freshly started worker
_work: Callable[[Any, Any], Any] | None = None
_state: Any = None


def default_jobs() -> int:
    """The number of cores this process may run on (its CPU affinity where the OS says)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _start(work: Callable[[Any, Any], Any] | None, setup: Callable[[], Any] | None) -> None:
    """Worker start: Ctrl-C is the parent's to handle; what a fork did not inherit is built."""
    global _work, _state
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if work is not None and setup is not None:
        _work, _state = work, setup()


def _call(item: Any) -> Any:
    assert _work is not None
    return _work(_state, item)


def run_pool(
    work: Callable[[S, T], R],
    items: Sequence[T],
    *,
    setup: Callable[[], S],
    jobs: int | None = None,
) -> list[R]:
    """`[work(setup(), item) for item in items]`, with `setup` run once per process and the items
    spread over `jobs` worker processes (None: every core this process may use)."""
    global _work, _state
    items = list(items)
    workers = min(default_jobs() if jobs is None else max(1, jobs), len(items))
    if workers <= 1:
        state = setup()
        return [work(state, item) for item in items]
    import gc

    context: multiprocessing.context.BaseContext
    can_fork = "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"
    if can_fork:
        # built once here; the forked workers inherit it (and share its pages until they write)
        _work, _state = work, setup()
        gc.freeze()  # keep the collector from touching (and so copying) the inherited objects
        context = multiprocessing.get_context("fork")
        initargs: tuple[Any, Any] = (None, None)
    else:
        context = multiprocessing.get_context("spawn")
        initargs = (work, setup)
    # a few chunks per worker: little pickling overhead, yet an uneven item does not leave a core idle
    chunksize = max(1, len(items) // (workers * 4))
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start, initargs=initargs)
    try:
        results = list(pool.map(_call, items, chunksize=chunksize))
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)  # an error or Ctrl-C: no work is left running
        raise
    finally:
        if can_fork:
            gc.unfreeze()
            _work, _state = None, None
    pool.shutdown(wait=True)
    return results
