"""The process pool: results in input order, identical to one process; setup once per process."""

from __future__ import annotations

import functools
import os

import pytest

from tonecheck import _parallel
from tonecheck._engine.linter import get_engine

setup_pids: list[int] = []


def _setup(tag: str) -> dict[str, object]:
    setup_pids.append(os.getpid())
    return {"tag": tag, "pid": os.getpid()}


def _work(state: dict[str, object], item: int) -> tuple[str, int, bool]:
    return (str(state["tag"]), item * item, state["pid"] == os.getpid() or state["pid"] == _PARENT)


def _fail(state: object, item: int) -> int:
    if item == 7:
        raise ValueError(f"item {item}")
    return item


def _lint(engine: object, text: str) -> tuple[tuple[str, int, int], ...]:
    report = get_engine().check(text, mode="draft")
    assert engine is get_engine()  # the state built once, not an engine per item
    return tuple((f.code, f.start, f.end) for f in report.findings)


_PARENT = os.getpid()


def test_results_in_input_order_and_identical_to_one_process() -> None:
    items = list(range(200))
    one = _parallel.run_pool(_work, items, setup=functools.partial(_setup, "x"), jobs=1)
    pooled = _parallel.run_pool(_work, items, setup=functools.partial(_setup, "x"), jobs=2)
    assert one == pooled == [("x", i * i, True) for i in items]


def test_setup_runs_once_per_process_not_per_item() -> None:
    setup_pids.clear()
    _parallel.run_pool(_work, list(range(100)), setup=functools.partial(_setup, "y"), jobs=2)
    # on Linux the workers are forked after setup, which ran once, here, for all 100 items
    assert setup_pids == [os.getpid()]


def test_an_error_in_a_worker_is_raised_in_the_caller() -> None:
    with pytest.raises(ValueError, match="item 7"):
        _parallel.run_pool(_fail, list(range(50)), setup=functools.partial(_setup, "z"), jobs=2)


def test_engine_results_identical_in_a_pool() -> None:
    texts = [
        "Unfortunately, we can't do that. As I said before, per our policy, no refunds.",
        "Hi {{ticket.requester.first_name}},\n\nYour SLA ticket was escalated to L2.\n\nThanks,\nAna",
        "Please kindly note that this is simply not possible.",
    ] * 20
    one = _parallel.run_pool(_lint, texts, setup=get_engine, jobs=1)
    pooled = _parallel.run_pool(_lint, texts, setup=get_engine, jobs=2)
    assert one == pooled
    assert any(one)  # the texts do have findings to compare


def test_default_jobs_is_at_least_one() -> None:
    assert _parallel.default_jobs() >= 1


def _mark(state: dict[str, object]) -> None:
    state["prepared_in"] = os.getpid()


def _prepared(state: dict[str, object], item: int) -> object:
    return state.get("prepared_in")


def test_before_fork_prepares_the_state_the_workers_inherit() -> None:
    """`before_fork` runs once, here, on the state the workers are forked with (the CLI builds the
    engines' spaCy pipelines there, to be shared); a run in one process never calls it."""
    pooled = _parallel.run_pool(
        _prepared, list(range(40)), setup=functools.partial(_setup, "p"), jobs=2, before_fork=_mark
    )
    assert pooled == [os.getpid()] * 40
    alone = _parallel.run_pool(
        _prepared, list(range(5)), setup=functools.partial(_setup, "p"), jobs=1, before_fork=_mark
    )
    assert alone == [None] * 5
