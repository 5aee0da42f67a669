"""Applying suggestions: `fix` rewrites a reply with the suggestions it may apply, to a fixed point.

Each round lints the current text, takes the first applicable suggestion of every finding, keeps
the ones that do not overlap, applies them from the end backwards, and lints again. Every change,
including the tidying around a removal (a following comma, a capital for the next word), lies
inside the edit's own span, so text outside the edits is never touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import regex

from ._anatomy import is_sentence_start
from ._api import check
from ._config import Config
from ._models import Applicability, Edit, Finding, FixResult, Mode

_AFTER_REMOVAL = regex.compile(r"[ \t]*[,;:]?[ \t]*")
_SPACES = regex.compile(r"[ \t]*")


def fix(
    text: str,
    *,
    mode: Mode = "draft",
    config: Config | None = None,
    context: Mapping[str, str] | None = None,
    unsafe: bool = False,
    ignore: Iterable[str] = (),
    max_rounds: int = 10,
) -> FixResult:
    """Apply safe suggestions (and unsafe ones too with `unsafe=True`) until none is left.

    Display-only suggestions are never applied. Returns the new text, the edits made (offsets
    into the text of their round) and the findings that remain in the new text.
    """
    allowed = {Applicability.safe, Applicability.unsafe} if unsafe else {Applicability.safe}
    ignored = tuple(ignore)
    current = text
    edits: list[Edit] = []
    for round_number in range(1, max_rounds + 1):
        report = check(current, mode=mode, config=config, context=context, ignore=ignored)
        planned = [edit for f in report.findings if (edit := _plan(current, f, allowed, round_number))]
        chosen: list[Edit] = []
        for edit in sorted(planned, key=lambda e: (e.start, e.end)):
            if not chosen or edit.start >= chosen[-1].end:
                chosen.append(edit)
        if not chosen:
            return FixResult(text=current, edits=tuple(edits), remaining=report.findings)
        for edit in reversed(chosen):
            current = current[: edit.start] + edit.replacement + current[edit.end :]
        edits.extend(chosen)
    report = check(current, mode=mode, config=config, context=context, ignore=ignored)
    return FixResult(text=current, edits=tuple(edits), remaining=report.findings)


def _plan(text: str, finding: Finding, allowed: set[Applicability], round_number: int) -> Edit | None:
    for suggestion in finding.suggestions:
        if suggestion.replacement is None or suggestion.applicability not in allowed:
            continue
        start = finding.start if suggestion.start is None else suggestion.start
        end = finding.end if suggestion.end is None else suggestion.end
        start, end, replacement = tidy(text, start, end, suggestion.replacement)
        if text[start:end] == replacement:
            continue
        return Edit(code=finding.code, round=round_number, start=start, end=end, original=text[start:end],
                    replacement=replacement, title=suggestion.title, applicability=suggestion.applicability)
    return None


def tidy(text: str, start: int, end: int, replacement: str) -> tuple[int, int, str]:
    """Widen an edit so the result reads right: a removal takes the separator after it with it,
    a removed sentence opening hands its capital to the next word, and no double space is left."""
    if replacement:
        if is_sentence_start(text, start) and replacement[:1].islower() and text[start:start + 1].isupper():
            replacement = replacement[0].upper() + replacement[1:]
        return start, end, replacement
    end += _AFTER_REMOVAL.match(text, end).end() - end
    if is_sentence_start(text, start):
        if end < len(text) and text[end] in ".!?":  # the whole sentence went: take its full stop too
            end += 1
            end = _SPACES.match(text, end).end()
        if end < len(text) and text[end].islower():
            return start, end + 1, text[end].upper()
        if end >= len(text) or text[end] == "\n":  # nothing left on the line: drop the gap before
            while start > 0 and text[start - 1] in " \t":
                start -= 1
        return start, end, ""
    if end >= len(text) or text[end] in ".,;:!?\n":
        while start > 0 and text[start - 1] in " \t":  # "click it simply." -> "click it."
            start -= 1
    return start, end, ""
