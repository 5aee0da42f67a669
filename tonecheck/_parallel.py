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

`iter_pool` is the same for a stream (the audit's export of any size): it reads items only as
workers need them (a bounded number in flight) and yields results in input order, so memory
does not grow with the number of items.

`jobs`: None for `default_jobs()` (the cores this process may use); 1, or a single item, runs in
this process without a pool. The pool never has more workers than items.
"""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
import multiprocessing.context
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

__all__ = ["default_jobs", "iter_pool", "run_pool"]

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


def _start(work: Callable[[Any, Any], Any] | None, setup: Callable[[], Any] | None, parent: int) -> None:
    """Worker start: Ctrl-C is the parent's to handle; a worker goes when its parent does; what a
    fork did not inherit is built."""
    global _work, _state
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # the parent's own SIGTERM handler (`check --fix` raises KeyboardInterrupt with it) would run
    # only when this worker is back in Python: one blocked writing to a pipe nobody reads never is,
    # and the SIGTERM that _end_with asks for would not end it
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _end_with(parent)
    if work is not None and setup is not None:
        _work, _state = work, setup()


_PR_SET_PDEATHSIG = 1  # prctl(2)


def _end_with(parent: int) -> None:
    """On Linux, ask the kernel to end this worker when the process that started it ends. A parent
    killed outright (SIGKILL, the OOM killer) cannot shut its pool down, and its workers would
    wait for ever, each writing to the result pipe that another worker still holds open. The
    check after the request covers a parent gone before it was made. Elsewhere: no such request."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            return
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)


def _call(item: Any) -> Any:
    assert _work is not None
    return _work(_state, item)


@contextlib.contextmanager
def _pool(
    work: Callable[[S, T], R], setup: Callable[[], S], workers: int, before_fork: Callable[[S], object] | None = None
) -> Iterator[ProcessPoolExecutor]:
    """A pool of `workers` processes that each hold `setup()`'s state: built once here and
    inherited where the platform forks (after `before_fork(state)`, which builds what the state
    would otherwise build lazily in every worker), else built by each worker as it starts. On an
    error or Ctrl-C no work is left running."""
    global _work, _state
    import gc

    context: multiprocessing.context.BaseContext
    can_fork = "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"
    if can_fork:
        # built once here; the forked workers inherit it (and share its pages until they write)
        _work, _state = work, setup()
        if before_fork is not None:
            before_fork(_state)
        gc.freeze()  # keep the collector from touching (and so copying) the inherited objects
        context = multiprocessing.get_context("fork")
        initargs: tuple[Any, Any, int] = (None, None, os.getpid())
    else:
        context = multiprocessing.get_context("spawn")
        initargs = (work, setup, os.getpid())
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start, initargs=initargs)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        if can_fork:
            gc.unfreeze()
            _work, _state = None, None
    pool.shutdown(wait=True)


def run_pool(
    work: Callable[[S, T], R],
    items: Sequence[T],
    *,
    setup: Callable[[], S],
    jobs: int | None = None,
    before_fork: Callable[[S], object] | None = None,
) -> list[R]:
    """`[work(setup(), item) for item in items]`, with `setup` run once per process and the items
    spread over `jobs` worker processes (None: every core this process may use). `before_fork`:
    called on the state in this process before workers are forked from it."""
    items = list(items)
    workers = min(default_jobs() if jobs is None else max(1, jobs), len(items))
    if workers <= 1:
        state = setup()
        return [work(state, item) for item in items]
    # chunks of at most 64 items, and at least 16 per worker: a chunk costs one message each way,
    # yet the workers warm up unevenly (the first reply in another language builds its engine in
    # the worker that meets it), and with four large chunks a worker could sit idle at the end
    # while the other finished a quarter of its share
    chunksize = max(1, min(64, len(items) // (workers * 16)))
    with _pool(work, setup, workers, before_fork) as pool:
        return list(pool.map(_call, items, chunksize=chunksize))


def iter_pool(
    work: Callable[[S, T], R],
    items: Iterable[T],
    *,
    setup: Callable[[], S],
    jobs: int | None = None,
    window: int | None = None,
    before_fork: Callable[[S], object] | None = None,
) -> Iterator[R]:
    """`run_pool` over a stream: `(work(setup(), item) for item in items)`, in input order, with at
    most `window` items (default: three per worker) read ahead and in flight."""
    workers = default_jobs() if jobs is None else max(1, jobs)
    if workers <= 1:
        state = setup()
        for item in items:
            yield work(state, item)
        return
    limit = window or 3 * workers
    pending: collections.deque[Any] = collections.deque()
    with _pool(work, setup, workers, before_fork) as pool:
        for item in items:
            pending.append(pool.submit(_call, item))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
