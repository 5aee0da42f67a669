"""What every renderer shares: the file result, positions and rule text."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from .._text import LineIndex
from .._types import FileReport, Finding, Suggestion

# What every renderer takes: one file's replies and findings, positions already in the file.
FileResult = FileReport


@dataclass(frozen=True)
class FileError:
    """A file that could not be linted (a broken export, a missing path, an unreadable file): the
    formats that can hold it report it beside the findings (JSON, SARIF, JUnit), not only on
    standard error. `line` and `column` (1-based) where the problem is known to be."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None


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


# -- escaping ------------------------------------------------------------------------------------
#
# Output goes to terminals and CI logs, and GitHub's runner reads any output line that starts,
# after blanks, with "::" (or holds "##[" anywhere) as a workflow command. So no text that comes
# from a reply, a file name or a reply title may start a line, hold a line break, colour a
# terminal or reorder text: control characters (C0, DEL, C1), line and paragraph separators,
# bidirectional controls and lone surrogates (non-UTF-8 file names) are written as visible
# escapes, and "##[" as "##\x5b".

# characters no output line may carry raw, beyond the C0 controls (tab and, for formats that
# encode them, line breaks aside)
_WIDE_UNSAFE = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f" + _WIDE_UNSAFE + "]|##\\[")
_UNSAFE_KEEP_BREAKS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f" + _WIDE_UNSAFE + "]|##\\[")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_char(char: str) -> str:
    """The visible escape of one unsafe character: \\n, \\x1b, \\u202e, \\udcff."""
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _escape_match(m: re.Match[str]) -> str:
    found = m.group()
    return "##\\x5b" if found == "##[" else escape_char(found)


def escape_text(value: str, *, keep_line_breaks: bool = False) -> str:
    """value safe to print inside a line (see above); `keep_line_breaks` leaves "\\n" and "\\r"
    for a format that encodes them itself (GitHub's %0A)."""
    pattern = _UNSAFE_KEEP_BREAKS if keep_line_breaks else _UNSAFE
    return pattern.sub(_escape_match, value) if pattern.search(value) else value


def starts_a_command(line: str) -> bool:
    """Whether GitHub's runner would read this output line as a workflow command."""
    return line.lstrip().startswith("::")


_JSON_UNSAFE = re.compile("[" + _WIDE_UNSAFE + "]|##\\[")  # json.dumps escapes C0 controls itself


def escape_json(dumped: str) -> str:
    """JSON text (from json.dumps(..., ensure_ascii=False)) with every unsafe character written
    as a \\uXXXX escape: the same JSON values (a lone surrogate stays the same lone surrogate),
    but valid UTF-8 and nothing a log reader takes as a line break or a command. These characters
    occur only inside strings, so the replacement never touches the structure."""

    def escaped(m: re.Match[str]) -> str:
        found = m.group()
        return "##\\u005b" if found == "##[" else f"\\u{ord(found):04x}"

    return _JSON_UNSAFE.sub(escaped, dumped) if _JSON_UNSAFE.search(dumped) else dumped


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
