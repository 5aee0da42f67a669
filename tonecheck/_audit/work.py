"""Auditing tasks: in this process, on a local process pool, or on a Dask cluster.

The reading process only cuts the export into tasks (`readers.Plan`); a worker reads its task's
records, lints the replies and counts them (`audit_task`), and sends back the counts: an
`Aggregate` of a few kilobytes, never a Finding, a reply or a spaCy object. Each worker builds
the engine once (per configuration). Tasks go out in order and their counts come back in order,
with a bounded number in flight, so memory does not grow with the export; the reading process
merges them in order, so every runner gives the same report.
"""

from __future__ import annotations

import collections
import csv
import dataclasses
import functools
import io
import uuid
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

from .._api import Linter
from .._config import Config
from .._exceptions import InputError
from .aggregate import Aggregate
from .readers import ReadSettings, Task, task_items
from .records import FindingRow, Note, Reply, ReplyResult, Skipped, Unreadable
from .render import csv_row

if TYPE_CHECKING:
    from .._engine.linter import Engine

__all__ = ["AuditJob", "DaskRunner", "InProcess", "ProcessPool", "Runner", "audit_task", "default_workers"]

DASK_GROUP = 16  # tasks per Dask task: a task costs the scheduler more than a pool item

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


@dataclasses.dataclass(frozen=True)
class AuditJob:
    """Everything a worker needs besides its tasks; plain data, sent to each worker once."""

    config: Config
    read: ReadSettings
    csv: bool = False  # write the per-finding CSV rows
    key: str = dataclasses.field(default_factory=lambda: uuid.uuid4().hex)  # names its state in a worker


def severity_ranks(config: Config, engine: Engine) -> dict[str, int]:
    """Each rule's severity rank as configured, the other languages' rules included."""
    ranks = {code: severity.rank for code, severity in engine.severities.items()}
    if config.severity:
        from .._engine.linter import OtherPacks, configured_severity

        for rule in OtherPacks(config, engine.language.code).rules():
            ranks.setdefault(rule.code, configured_severity(config, rule).rank)
    return ranks


class WorkerState:
    def __init__(self, job: AuditJob) -> None:
        from .._engine.linter import get_engine

        self.job = job
        self.linter = linter_for(job.config)
        self.severities = severity_ranks(job.config, get_engine(job.config))
        self.fail_rank = job.config.fail_on.rank


_STATES: dict[str, WorkerState] = {}


def worker_state(job: AuditJob) -> WorkerState:
    """This process's state for a job, built on first use."""
    state = _STATES.get(job.key)
    if state is None:
        if len(_STATES) > 4:
            _STATES.clear()
        state = _STATES[job.key] = WorkerState(job)
    return state


def prepare_state(state: WorkerState) -> None:
    """Before pool workers fork from this process: the engine's pipeline built here, once."""
    from .._engine.linter import get_engine

    get_engine(state.job.config).prepare()


def audit_task(state: WorkerState, task: Task) -> Aggregate:
    """Read, lint and count one task: the same work in one process, a pool worker or on Dask."""
    agg = Aggregate()
    out = io.StringIO() if state.job.csv else None
    writer = csv.writer(out) if out is not None else None
    severities, fail_rank = state.severities, state.fail_rank
    for item in task_items(task, state.job.read):
        if isinstance(item, Reply):
            result = _lint_one(state.linter, item)
            agg.add(item, result)
            rows = result[1]
            agg.failing += sum(1 for row in rows if severities.get(row[0], 1) >= fail_rank)
            if writer is not None and result[3] is None:
                writer.writerows(csv_row(item, result[0], row) for row in rows)
        elif isinstance(item, Skipped):
            agg.skip(item.reason)
        elif isinstance(item, Note):
            agg.note(item.message)
        elif isinstance(item, Unreadable):
            agg.unreadable_record(item.message)
    if out is not None:
        agg.csv = out.getvalue()
    return agg


def audit_tasks(job: AuditJob, tasks: list[Task]) -> list[Aggregate]:
    """A group of tasks on a Dask worker (its state built by the first group it runs)."""
    state = worker_state(job)
    return [audit_task(state, task) for task in tasks]


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
    def map(self, tasks: Iterable[Task]) -> Iterator[Aggregate]: ...

    def close(self) -> None: ...


class InProcess:
    """One process: no pool."""

    def __init__(self, job: AuditJob) -> None:
        self.state = worker_state(job)

    def map(self, tasks: Iterable[Task]) -> Iterator[Aggregate]:
        for task in tasks:
            yield audit_task(self.state, task)

    def close(self) -> None:
        pass


class ProcessPool:
    """The local process pool of `tonecheck._parallel`: the engine built once (and forked into
    each worker where the platform can fork), tasks streamed through a bounded window."""

    def __init__(self, job: AuditJob, workers: int) -> None:
        self.job = job
        self.workers = workers

    def map(self, tasks: Iterable[Task]) -> Iterator[Aggregate]:
        from .._parallel import iter_pool

        # the first task runs here, before the workers fork: what the engine learns on the first
        # replies (spaCy's vocabulary and tokenizer cache, lazily loaded analysers) is then learnt
        # once and inherited, not once per worker; its counts come first, as in every runner
        tasks = iter(tasks)
        first = next(tasks, None)
        if first is None:
            return
        counted = audit_task(worker_state(self.job), first)
        setup = functools.partial(worker_state, self.job)
        rest = iter_pool(
            audit_task, tasks, setup=setup, jobs=self.workers, window=4 * self.workers, before_fork=prepare_state
        )
        # the workers fork on the first `next`, before the caller gets anything (and, say, starts
        # a progress bar's thread)
        following = next(rest, None)
        yield counted
        if following is not None:
            yield following
            yield from rest

    def close(self) -> None:
        pass


def _groups(tasks: Iterable[Task], size: int) -> Iterator[list[Task]]:
    group: list[Task] = []
    for task in tasks:
        group.append(task)
        if len(group) >= size:
            yield group
            group = []
    if group:
        yield group


class DaskRunner:
    """The same tasks, in groups, on a Dask cluster: a local one (`address` None) or an existing
    scheduler. Each worker builds its engine once, before the first group."""

    def __init__(self, job: AuditJob, *, address: str | None, workers: int) -> None:
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
        self.job = job
        self.client.run(_prepare, job.config)  # per-worker set-up: each worker builds its engine now
        self.window = 3 * max(1, len(self.client.scheduler_info().get("workers", {})))

    def map(self, tasks: Iterable[Task]) -> Iterator[Aggregate]:
        job = self.client.scatter(self.job, broadcast=True)  # sent to each worker once
        pending: collections.deque[Any] = collections.deque()
        for group in _groups(tasks, DASK_GROUP):
            pending.append(self.client.submit(audit_tasks, job, group, pure=False))
            if len(pending) >= self.window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def default_workers() -> int:
    from .._parallel import default_jobs

    return default_jobs()
