"""What every renderer shares: the file result, positions and rule text."""

from __future__ import annotations

import bisect
import functools
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from .._types import Finding, Suggestion




@dataclass(frozen=True)
class FileResult:
    """The findings of one file. `reply_ids[i]` names the saved reply `findings[i]` is in (or None)."""

    path: str
    findings: Sequence[Finding]
    reply_ids: Sequence[str | None]
    source: str | None = None

    def __post_init__(self) -> None:
        if len(self.reply_ids) != len(self.findings):
            raise ValueError(
                f"{self.path}: reply_ids has {len(self.reply_ids)} entries for {len(self.findings)} findings"
            )


def _pairs(result: FileResult) -> Iterator[tuple[Finding, str | None]]:
    return zip(result.findings, result.reply_ids)


# -- shared helpers ------------------------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@functools.lru_cache(maxsize=4)
def _line_starts(source: str) -> tuple[int, ...]:
    """The offset each "\\n"-separated line starts at (cached: suggestions of one file share it)."""
    starts = [0]
    index = source.find("\n")
    while index != -1:
        starts.append(index + 1)
        index = source.find("\n", index + 1)
    return tuple(starts)


def _position(starts: Sequence[int], offset: int) -> tuple[int, int]:
    """The 1-based (line, column) of an offset."""
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


@dataclass(frozen=True)
class _Span:
    """Where a suggestion's replacement goes, in file positions, and the text it replaces."""

    line: int
    column: int
    end_line: int
    end_column: int
    original: str


def _suggestion_span(finding: Finding, suggestion: Suggestion, source: str | None) -> _Span | None:
    """The file region a suggestion's replacement replaces, or None if it cannot be placed.

    A suggestion without offsets of its own (or with the finding's) replaces the finding's span.
    One that reaches further is placed by its distance from the finding: that needs the file's
    text, and is trusted only where the finding's match stands in the file exactly as checked.
    """
    start = finding.start if suggestion.start is None else suggestion.start
    end = finding.end if suggestion.end is None else suggestion.end
    if (start, end) == (finding.start, finding.end):
        return _Span(finding.line, finding.column, finding.end_line, finding.end_column, finding.match)
    if source is None:
        return None
    starts = _line_starts(source)
    if not 1 <= finding.line <= len(starts):
        return None
    begin = starts[finding.line - 1] + finding.column - 1
    if source[begin : begin + len(finding.match)] != finding.match:
        return None
    start, end = begin + start - finding.start, begin + end - finding.start
    if not 0 <= start <= end <= len(source):
        return None
    line, column = _position(starts, start)
    end_line, end_column = _position(starts, end)
    return _Span(line, column, end_line, end_column, source[start:end])


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _printable(line: str) -> str:
    """A source line safe to print: control characters and odd line breaks become one space each."""
    return "".join(
        " " if (unicodedata.category(char) in ("Cc", "Zl", "Zp") and char != "\t") else char for char in line
    )


def _pointer(line: str, column: int, end_column: int | None) -> str:
    """Padding and carets under line[column - 1 : end_column - 1]; tabs in the padding stay tabs."""
    before = line[: max(0, column - 1)]
    padding = "".join("\t" if char == "\t" else " " * _char_width(char) for char in before)
    stop = len(line) if end_column is None else max(column - 1, end_column - 1)
    width = sum(1 if char == "\t" else _char_width(char) for char in line[column - 1 : stop])
    return padding + "^" * max(1, width)


# -- text ----------------------------------------------------------------------------------------
