"""Code detectors: the escape hatch for checks a phrase list cannot express.

A rule names one with `detector:`; the function gets the reply's scan and the rule and yields Hits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._engine import Hit, Scan
    from ._rules import Rule

Detector = Callable[["Scan", "Rule"], Iterable["Hit"]]
REGISTRY: dict[str, Detector] = {}


def detector(name: str) -> Callable[[Detector], Detector]:
    def register(function: Detector) -> Detector:
        REGISTRY[name] = function
        return function

    return register
