"""Applying suggestions: `fix` rewrites a reply with the suggestions it may apply, to a fixed point.

Each round lints the current text, takes the first applicable suggestion of every finding, keeps
the ones that do not overlap, applies them from the end backwards, and lints again. Suggestions
come tidied from the engine (`_engine/tidy.py`: a removal takes its comma with it and hands the
capital to the next word), and every change lies inside the edit's own span, so text outside the
edits is never touched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from .._types import Applicability, Edit, Finding, FixResult, Report, finding_identity


def fix_text(
    text: str,
    check: Callable[[str], Report],
    *,
    unsafe: bool = False,
    max_rounds: int = 10,
) -> FixResult:
    """Apply safe suggestions (and unsafe ones too with `unsafe=True`) until none is left.

    `check` lints a text with the caller's settings. Display-only suggestions are never applied.
    Returns the new text, the edits made (offsets into the text of their round) and the findings
    that remain in the new text.

    Cost: one lint per round, plus one to screen the round's safe edits together (and a few more
    only when some edit would surface a new problem, to find which, at most SCREENING_LINTS per
    round: edits not screened by then wait for a later round), so a reply with a thousand fixes
    costs a few dozen lints, not a thousand.
    """
    allowed = {Applicability.safe, Applicability.unsafe} if unsafe else {Applicability.safe}
    current = text
    edits: list[Edit] = []
    report = check(current)
    for round_number in range(1, max_rounds + 1):
        planned = sorted(
            (edit for f in report.findings if (edit := _plan(current, f, allowed, round_number))),
            key=lambda e: (e.start, e.end),
        )
        chosen = _choose(current, planned, report.findings, check)
        if not chosen:
            return FixResult(
                text=current,
                edits=tuple(edits),
                remaining=report.findings,
                language=report.language,
                notes=report.notes,
            )
        current = _applied(current, chosen)
        edits.extend(chosen)
        report = check(current)
    return FixResult(
        text=current, edits=tuple(edits), remaining=report.findings, language=report.language, notes=report.notes
    )


def _choose(text: str, planned: list[Edit], before: tuple[Finding, ...], check: Callable[[str], Report]) -> list[Edit]:
    """The edits of one round: in order, each that does not overlap the last one taken, leaving
    out safe edits that would make a new problem appear ("Actually, No, we…" -> "No, we…")."""
    rejected: set[int] = set()
    screened: set[int] = set()
    budget = [SCREENING_LINTS]
    while True:
        chosen: list[tuple[int, Edit]] = []
        for index, edit in enumerate(planned):
            if index in rejected or (chosen and edit.start < chosen[-1][1].end):
                continue
            chosen.append((index, edit))
        unscreened = [(i, e) for i, e in chosen if e.applicability is Applicability.safe and i not in screened]
        if not unscreened:
            return [edit for _, edit in chosen]
        rejected.update(_introducing(text, unscreened, before, check, budget))
        screened.update(i for i, _ in unscreened)


# Lints one round may spend finding which safe edits surface a new problem. Many edits that each
# do (or that do so only together: a greeting fixed in every one of a thousand pasted lines) would
# otherwise cost two lints each, quadratic in the number of edits.
SCREENING_LINTS = 24


def _introducing(
    text: str,
    group: list[tuple[int, Edit]],
    before: tuple[Finding, ...],
    check: Callable[[str], Report],
    budget: list[int],
) -> list[int]:
    """The edits of the group that make a problem appear: the group is linted with all of its
    edits applied, and only when that surfaces something is it split in halves to find which.
    With the round's lints spent, the whole group counts as introducing (left for a later round)."""
    if budget[0] <= 0:
        return [index for index, _ in group]
    budget[0] -= 1
    if not _introduces_a_finding(text, [edit for _, edit in group], before, check):
        return []
    if len(group) == 1:
        return [group[0][0]]
    middle = len(group) // 2
    return [
        *_introducing(text, group[:middle], before, check, budget),
        *_introducing(text, group[middle:], before, check, budget),
    ]


def _applied(text: str, edits: list[Edit]) -> str:
    """text with non-overlapping edits (sorted by start) applied, in one pass."""
    pieces = []
    cursor = 0
    for edit in edits:
        pieces.append(text[cursor : edit.start])
        pieces.append(edit.replacement)
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _introduces_a_finding(
    text: str, edits: list[Edit], before: tuple[Finding, ...], check: Callable[[str], Report]
) -> bool:
    """Whether applying these edits makes a problem appear that was not there before."""
    after = check(_applied(text, edits))
    remaining = Counter(finding_identity(f) for f in before)
    by_code: dict[str, list[str]] | None = None
    for finding in after.findings:
        key = finding_identity(finding)
        if remaining[key] > 0:
            remaining[key] -= 1
            continue
        if by_code is None:
            by_code = {}
            for f in before:
                by_code.setdefault(f.code, []).append(f.match.casefold())
        match = finding.match.casefold()
        if not any(match in other or other in match for other in by_code.get(finding.code, ())):
            return True
    return False


def _plan(text: str, finding: Finding, allowed: set[Applicability], round_number: int) -> Edit | None:
    for suggestion in finding.suggestions:
        if suggestion.replacement is None or suggestion.applicability not in allowed:
            continue
        start = finding.start if suggestion.start is None else suggestion.start
        end = finding.end if suggestion.end is None else suggestion.end
        replacement = suggestion.replacement
        if text[start:end] == replacement:
            continue
        return Edit(
            code=finding.code,
            round=round_number,
            start=start,
            end=end,
            original=text[start:end],
            replacement=replacement,
            title=suggestion.title,
            applicability=suggestion.applicability,
        )
    return None
