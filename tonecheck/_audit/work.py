"""Linting batches of replies: in this process, on a local process pool, or on a Dask cluster.

Each worker builds the engine once (per configuration) and sends back plain tuples, never spaCy
or pydantic objects. Batches go out in order and come back in order, with a bounded number in
flight, so memory does not grow with the export and every runner gives the same results.
"""

from __future__ import annotations

import collections
import functools
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from .._api import Linter
from .._config import Config
from .._exceptions import InputError
from .records import Reply

# one finding: code, category, start, end, match, rewrite (or None), rewrite start, rewrite end
FindingRow = tuple[str, str, int, int, str, str | None, int, int]
# one reply: channel, findings, the text as linted when it differs from the reply's (HTML), error,
# language, and the note when no rules ran on it (a language without a rule pack)
ReplyResult = tuple[str, tuple[FindingRow, ...], str | None, str | None, str, str | None]

BATCH = 256  # replies per batch sent to a local worker
DASK_BATCH = 2048  # replies per Dask partition: a task costs the scheduler more than a pool item

_LINTERS: dict[str, Linter] = {}


def linter_for(config: Config) -> Linter:
    """This process's Linter for a configuration, built on first use."""
    key = config.cache_key()
    linter = _LINTERS.get(key)
    if linter is None:
        if len(_LINTERS) > 4:
            _LINTERS.clear()
        linter = _LINTERS[key] = Linter(config)
    return linter


def _prepare(config: Config) -> None:
    """Build this process's Linter now; nothing comes back (a Linter stays where it was built)."""
    linter_for(config)


def lint_batch(config: Config, replies: list[Reply]) -> list[ReplyResult]:
    linter = linter_for(config)
    return [_lint_one(linter, reply) for reply in replies]


def _lint_one(linter: Linter, reply: Reply) -> ReplyResult:
    try:
        report = linter.check(
            reply.text, format="html" if reply.is_html else "text", mode="draft", channel=reply.channel
        )
    except InputError as exc:
        return ("", (), None, str(exc), "", None)
    rows: list[FindingRow] = []
    for f in report.findings:
        rewrite = next((s for s in f.suggestions if s.replacement is not None), None)
        if rewrite is not None and rewrite.start is not None and rewrite.end is not None:
            rows.append((f.code, f.category, f.start, f.end, f.match, rewrite.replacement, rewrite.start, rewrite.end))
        else:
            rows.append((f.code, f.category, f.start, f.end, f.match, None, f.start, f.end))
    text = report.text if report.text != reply.text and rows else None
    unchecked = None if report.checked else next(iter(report.notes), None)
    return (report.channel, tuple(rows), text, None, report.language, unchecked)


class Runner(Protocol):
    batch: int

    def map(self, batches: Iterable[list[Reply]]) -> Iterator[tuple[list[Reply], list[ReplyResult]]]: ...

    def close(self) -> None: ...


class InProcess:
    """One process: no pool."""

    batch = BATCH

    def __init__(self, config: Config) -> None:
        self.config = config
        linter_for(config)

    def map(self, batches: Iterable[list[Reply]]) -> Iterator[tuple[list[Reply], list[ReplyResult]]]:
        for batch in batches:
            yield batch, lint_batch(self.config, batch)

    def close(self) -> None:
        pass


def _lint_with(linter: Linter, replies: list[Reply]) -> list[ReplyResult]:
    return [_lint_one(linter, reply) for reply in replies]


class ProcessPool:
    """The local process pool of `tonecheck._parallel`: the Linter built once (and forked into
    each worker where the platform can fork), batches streamed through a bounded window."""

    batch = BATCH

    def __init__(self, config: Config, workers: int) -> None:
        self.config = config
        self.workers = workers

    def map(self, batches: Iterable[list[Reply]]) -> Iterator[tuple[list[Reply], list[ReplyResult]]]:
        from .._parallel import iter_pool

        sent: collections.deque[list[Reply]] = collections.deque()

        def remember(source: Iterable[list[Reply]]) -> Iterator[list[Reply]]:
            for batch in source:
                sent.append(batch)
                yield batch

        results = iter_pool(
            _lint_with, remember(batches), setup=functools.partial(linter_for, self.config), jobs=self.workers
        )
        for result in results:
            yield sent.popleft(), result

    def close(self) -> None:
        pass


def _bounded(
    submit: Any, batches: Iterable[list[Reply]], window: int
) -> Iterator[tuple[list[Reply], list[ReplyResult]]]:
    pending: collections.deque[tuple[list[Reply], Any]] = collections.deque()
    for batch in batches:
        pending.append((batch, submit(batch)))
        if len(pending) >= window:
            done, future = pending.popleft()
            yield done, future.result()
    while pending:
        done, future = pending.popleft()
        yield done, future.result()


class DaskRunner:
    """The same batches as partitions on a Dask cluster: a local one (`address` None) or an
    existing scheduler. Each worker builds its engine once, before the first partition."""

    batch = DASK_BATCH

    def __init__(self, config: Config, *, address: str | None, workers: int) -> None:
        try:
            import importlib

            distributed: Any = importlib.import_module("dask.distributed")  # untyped: used through Any
        except ImportError:
            raise InputError('running on Dask needs the dask extra: pip install "tonecheck[dask]"') from None
        self.cluster: Any = None
        self.client: Any
        if address is None:
            self.cluster = distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
            )
            self.client = distributed.Client(self.cluster)
        else:
            try:
                self.client = distributed.Client(address, timeout=30)
            except OSError as exc:
                raise InputError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        self.config = config
        self.client.run(_prepare, config)  # per-worker set-up: each worker builds its engine now
        self.window = 3 * max(1, len(self.client.scheduler_info().get("workers", {})))

    def map(self, batches: Iterable[list[Reply]]) -> Iterator[tuple[list[Reply], list[ReplyResult]]]:
        config = self.client.scatter(self.config, broadcast=True)  # sent to each worker once
        yield from _bounded(
            lambda batch: self.client.submit(lint_batch, config, batch, pure=False), batches, self.window
        )

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def default_workers() -> int:
    from .._parallel import default_jobs

    return default_jobs()
