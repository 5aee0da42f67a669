"""Fixes written back into files that hold replies inside markup or data: JSON helpdesk exports,
HTML, Markdown files of several replies.

Each round extracts the file's replies, plans one round of fixes per reply (`fix_text`), maps
every edit to the stretch of the file its characters came from, writes the replacement escaped as
that place needs it (a JSON string's escapes, HTML entities), and extracts again. Every byte of the
file outside the edited stretches is kept as it was. An edit whose characters do not come from one
unbroken stretch of the file (it would reach over a tag or a line-break element) is not applied.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .._inputs import Segment
from .._types import Edit, Finding, FixResult, Report
from .apply import fix_text


class ReadOnlyFormat(Exception):
    """The file's replies cannot be written back (its format is read-only for fixes)."""


def fix_segments(
    source: str,
    segments_of: Callable[[str], Sequence[Segment]],
    check_of: Callable[[Segment], Callable[[str], Report]],
    *,
    unsafe: bool = False,
    max_rounds: int = 10,
) -> FixResult:
    """The file's text with the fixes of every reply in it applied (edits: file offsets of
    their round). `segments_of` extracts the replies of a version of the file; `check_of` gives
    the check for one reply (its mode, ignores and suppressions). Raises ReadOnlyFormat when a
    reply's format cannot be written back."""
    current = source
    edits: list[Edit] = []
    for round_number in range(1, max_rounds + 1):
        planned: list[tuple[int, int, str, Edit]] = []
        for segment in segments_of(current):
            if segment.escapes is None:
                raise ReadOnlyFormat
            result = fix_text(segment.text, check_of(segment), unsafe=unsafe, max_rounds=1)
            for edit in result.edits:
                if not segment.contiguous(edit.start, edit.end):
                    continue
                start, end = segment.source_span(edit.start, edit.end)
                planned.append((start, end, segment.encode(edit.replacement), edit))
        chosen: list[tuple[int, int, str, Edit]] = []
        for item in sorted(planned, key=lambda p: (p[0], p[1])):
            if chosen and item[0] < chosen[-1][1]:
                continue
            chosen.append(item)
        if not chosen:
            break
        edits.extend(
            edit.model_copy(
                update={
                    "round": round_number,
                    "start": start,
                    "end": end,
                    "original": current[start:end],
                    "replacement": replacement,
                }
            )
            for start, end, replacement, edit in chosen
        )
        # the file rebuilt in one pass (a copy of the file per edit was quadratic in the edits)
        pieces: list[str] = []
        position = 0
        for start, end, replacement, _ in chosen:  # sorted, not overlapping
            pieces.extend((current[position:start], replacement))
            position = end
        pieces.append(current[position:])
        current = "".join(pieces)
    remaining: list[Finding] = []
    for segment in segments_of(current):
        remaining.extend(check_of(segment)(segment.text).findings)
    return FixResult(text=current, edits=tuple(edits), remaining=tuple(remaining))
