"""Text normalisation shared by the engine and the detectors."""

from __future__ import annotations

import bisect

from ._lazy import Lazy

MAX_CHARS = 20_000_000
_STRAIGHT = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "}


def _straighten(text: str) -> str:
    """Curly quotes straight, no-break spaces plain. Same length. (Five str.replace calls
    measured several times faster than str.translate with a table.)"""
    for curly, straight in _STRAIGHT.items():
        if curly in text:
            text = text.replace(curly, straight)
    return text


_CONTRACTIONS = Lazy(r"(?<![@\w])(?:can't|cant|cannot)\b|\bwon't\b|n't\b|'(?:re|m|ll|ve)\b")
_SPELLED_OUT = {
    "can't": "can not",
    "cant": "can not",
    "cannot": "can not",
    "won't": "will not",
    "n't": " not",
    "'re": " are",
    "'m": " am",
    "'ll": " will",
    "'ve": " have",
}


def _lower(text: str) -> str:
    return _straighten(text).lower()


def _spell_out(text: str) -> str:
    """Spell out contractions, for the textual context checks (both sides use this)."""
    if "'" not in text and "can" not in text:
        return text
    return str(_CONTRACTIONS.sub(lambda m: _SPELLED_OUT[m.group()], text))


def _normalise_words(text: str) -> str:
    """Lower case, straight quotes, contractions spelled out; whitespace kept as it is."""
    return _spell_out(_lower(text))


def _normalise_phrase(phrase: str) -> str:
    return " ".join(_spell_out(_lower(phrase)).split())


def _normalise_context(text: str) -> str:
    """Context around a match, spelled like normalised phrases (lower case, no contractions)."""
    return _spell_out(text.lower())


class LineIndex:
    """Offsets to 1-based (line, column), the one implementation every part of tonecheck uses.

    Lines are separated by "\\n" (a "\\r" before it belongs to the line), columns count code
    points, and an end column is exclusive, as in SARIF. Line starts are found once, on first use.
    """

    __slots__ = ("_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            starts = [0]
            find = self.text.find
            index = find("\n")
            while index >= 0:
                starts.append(index + 1)
                index = find("\n", index + 1)
            self._starts = starts
        return self._starts

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column) of text[offset]; offset == len(text) is the position after the end."""
        starts = self.starts
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    def span(self, start: int, end: int) -> tuple[int, int, int, int]:
        """(line, column, end_line, end_column) of text[start:end]: the end is just after the
        last character, on that character's line (an empty span ends where it starts)."""
        line, column = self.position(start)
        if end <= start:
            return line, column, line, column
        end_line, last_column = self.position(end - 1)
        return line, column, end_line, last_column + 1

    def line_bounds(self, line: int) -> tuple[int, int]:
        """Start and end offsets of a 1-based line, without its "\\n"."""
        starts = self.starts
        start = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return start, end
