"""What every renderer shares: the file result, positions and rule text."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from .._text import LineIndex
from .._types import FileReport, Finding, Suggestion

# What every renderer takes: one file's replies and findings, positions already in the file.
FileResult = FileReport


def _pairs(result: FileReport) -> Iterator[tuple[Finding, str | None]]:
    return iter(result.findings_with_replies())


# -- shared helpers ------------------------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@functools.lru_cache(maxsize=4)
def _lines(source: str) -> LineIndex:
    """The file's line index (cached: the findings and suggestions of one file share it)."""
    return LineIndex(source)


@dataclass(frozen=True)
class _Span:
    """Where a suggestion's replacement goes, in file positions, and the text it replaces."""

    line: int
    column: int
    end_line: int
    end_column: int
    original: str
    start: int  # offsets into the file
    end: int


def _suggestion_span(finding: Finding, suggestion: Suggestion, source: str | None) -> _Span | None:
    """The file region a suggestion's replacement replaces (its source offsets), or None for
    advice, or when the file's text is not at hand."""
    if source is None or suggestion.replacement is None:
        return None
    start = finding.source_start if suggestion.source_start is None else suggestion.source_start
    end = finding.source_end if suggestion.source_end is None else suggestion.source_end
    if not 0 <= start <= end <= len(source):
        return None
    line, column, end_line, end_column = _lines(source).span(start, end)
    return _Span(line, column, end_line, end_column, source[start:end], start, end)


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
