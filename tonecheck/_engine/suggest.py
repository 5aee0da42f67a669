"""Messages and suggestions: rule templates filled with a finding's slots, rewrites anchored at it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .._anatomy import match_case
from .._detectors.base import Hit, Scan
from .._ruleset.schema import MatchingRule
from .._ruleset.templates import render as _render
from .._types import Suggestion

if TYPE_CHECKING:
    from .linter import Engine


def _suggestions(
    engine: Engine, scan: Scan, hit: Hit, rule: MatchingRule, values: Mapping[str, str]
) -> tuple[Suggestion, ...]:
    if hit.suggestions is not None:
        return hit.suggestions
    matched = scan.text[hit.start : hit.end]
    suggestions: list[Suggestion] = []
    seen: set[tuple[int, int, str]] = set()
    starts_sentence = scan.at_sentence_start(hit.start)
    for index, spec in enumerate(rule.rewrites):
        if spec.at_sentence_start is not None and spec.at_sentence_start != starts_sentence:
            continue
        # endpos bounds the work: a rewrite stays within its sentence, and `regex` costs grow
        # with the length of the string it is given
        m = engine.rewrite_match(rule.code, index, scan.scan, hit.start, min(len(scan.scan), hit.end + 300))
        if m is None or m.end() == m.start():
            continue
        # slot values from the original text, so curly quotes and the like survive
        slots = {**values, **{k: scan.text[m.start(k) : m.end(k)] for k in m.groupdict() if m.start(k) >= 0}}
        replacement = _render(spec.replacement, slots)
        if starts_sentence:
            replacement = match_case(replacement, scan.text[hit.start : m.end()])
        key = (hit.start, m.end(), replacement)
        if key not in seen:
            seen.add(key)
            suggestions.append(
                Suggestion(
                    title=_render(spec.title, slots),
                    replacement=replacement,
                    applicability=spec.applicability,
                    start=hit.start,
                    end=m.end(),
                )
            )
    for advice in rule.suggestions:
        advice_replacement: str | None = None
        if advice.replacement is not None:
            advice_replacement = _render(advice.replacement, values)
            if starts_sentence:
                advice_replacement = match_case(advice_replacement, matched)
        suggestions.append(
            Suggestion(
                title=_render(advice.title, values),
                replacement=advice_replacement,
                applicability=advice.applicability,
                start=hit.start if advice_replacement is not None else None,
                end=hit.end if advice_replacement is not None else None,
            )
        )
    return tuple(suggestions)
