"""A time limit for the regular expressions that rule files bring (a service sets one per request).

Rule files, a team's own among them, may hold a regular expression that backtracks without end
on some text. With a budget set for the call, each such expression runs under the `regex`
module's `timeout`; one that runs out is skipped for that reply and its rule code is recorded, so
the caller can report an incomplete check instead of a hung worker. Without a budget (the
command line, the library) nothing changes.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class RegexBudget:
    timeout: float  # seconds one rule's expression may run on one reply
    timed_out: list[str] = field(default_factory=list)  # rule codes cut off during the call


REGEX_BUDGET: ContextVar[RegexBudget | None] = ContextVar("tonecheck_regex_budget", default=None)


def regex_timeout() -> float | None:
    budget = REGEX_BUDGET.get()
    return budget.timeout if budget is not None else None


def record_timeout(code: str) -> None:
    budget = REGEX_BUDGET.get()
    if budget is not None and code not in budget.timed_out:
        budget.timed_out.append(code)
