"""Text normalisation shared by the engine and the detectors."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import regex

from ._lazy import Lazy

if TYPE_CHECKING:
    from ._language import Language

MAX_CHARS = 20_000_000
_STRAIGHT = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "}


def _straighten(text: str) -> str:
    """Curly quotes straight, no-break spaces plain. Same length. (Five str.replace calls
    measured several times faster than str.translate with a table.)"""
    for curly, straight in _STRAIGHT.items():
        if curly in text:
            text = text.replace(curly, straight)
    return text


def _lower(text: str) -> str:
    return _straighten(text).lower()


class _Contractions:
    """A language's contractions (language.yml, `contractions`), spelled out for the textual
    context checks: whole words ("can't" -> "can not") and endings ("n't" -> " not")."""

    def __init__(self, language: Language) -> None:
        table = language.data.contractions
        self.spelled = {**table.words, **{ending: " " + full for ending, full in table.endings.items()}}
        words = sorted(table.words, key=lambda w: (-len(w), w))
        endings = sorted(table.endings, key=lambda w: (-len(w), w))
        parts = []
        if words:
            parts.append(r"(?<![@\w])(?:" + "|".join(regex.escape(w) for w in words) + r")(?!\w)")
        if endings:
            parts.append(r"(?:" + "|".join(regex.escape(e) for e in endings) + r")(?!\w)")
        self.pattern = Lazy("|".join(parts) or "(?!)")
        # a cheap look first: a contraction holds an apostrophe, or is one of the words without one
        keys = [*table.words, *table.endings]
        gate = {"'"} if any("'" in key for key in keys) else set()
        gate.update(key for key in keys if "'" not in key)
        self.gate = tuple(sorted(gate))


def _spell_out(text: str, language: Language) -> str:
    """Spell out contractions, for the textual context checks (both sides use this)."""
    contractions = language.derived(_Contractions)
    if not any(gate in text for gate in contractions.gate):
        return text
    return str(contractions.pattern.sub(lambda m: contractions.spelled[m.group()], text))


def _normalise_words(text: str, language: Language) -> str:
    """Lower case, straight quotes, contractions spelled out; whitespace kept as it is."""
    return _spell_out(_lower(text), language)


def _normalise_phrase(phrase: str, language: Language) -> str:
    return " ".join(_spell_out(_lower(phrase), language).split())


def _normalise_context(text: str, language: Language) -> str:
    """Context around a match, spelled like normalised phrases (lower case, no contractions)."""
    return _spell_out(text.lower(), language)


_LINE_BREAK = re.compile(r"\r\n?|\n")
_LONE_CR = re.compile(r"\r(?!\n)")


def lone_cr_to_lf(text: str) -> str:
    """text with each "\r" that is not part of "\r\n" made "\n" (same length), so that the
    line-based rules read old Mac line endings as the line breaks they are."""
    return _LONE_CR.sub("\n", text) if "\r" in text else text


class LineIndex:
    """Offsets to 1-based (line, column), the one implementation every part of tonecheck uses.

    Lines end at "\n", "\r\n" or a lone "\r" (old Mac files), as editors count them; columns
    count code points, and an end column is exclusive, as in SARIF. Line starts are found once,
    on first use.
    """

    __slots__ = ("_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            starts = [0]
            if "\r" in self.text:
                starts.extend(m.end() for m in _LINE_BREAK.finditer(self.text))
            else:
                find = self.text.find
                index = find("\n")
                while index >= 0:
                    starts.append(index + 1)
                    index = find("\n", index + 1)
            self._starts = starts
        return self._starts

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column) of text[offset]; offset == len(text) is the position after the end.
        An offset inside a "\r\n" is on the line that pair ends."""
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
        """Start and end offsets of a 1-based line, without its line break."""
        starts = self.starts
        start = starts[line - 1]
        if line >= len(starts):
            return start, len(self.text)
        end = starts[line] - 1  # the "\n" or lone "\r"
        if self.text[end] == "\n" and end > start and self.text[end - 1] == "\r":
            end -= 1
        return start, end

    def line_count(self) -> int:
        return len(self.starts)


def delimited_spans(text: str, kinds: Sequence[tuple[re.Pattern[str], re.Pattern[str]]]) -> list[tuple[int, int, int]]:
    """(start, end, kind) of each comment-like span, as finditer of the regex
    `open0.*?close0|open1.*?close1|...` (with DOTALL) would find them: the leftmost span, the
    first kind that matches there, the first closer after the opener; then the next span after it.

    In linear time: that regex searches to the end of the text from every opener that is never
    closed (quadratic in a run of openers). Here the closer of an opener is searched for once:
    the first closer after an opener is also the first after any later opener before it, and once
    an opener has no closer, no later opener of its kind has one either.
    """
    spans: list[tuple[int, int, int]] = []
    pending: list[tuple[int, int] | None] = [None] * len(kinds)  # next span of each kind at or after pos
    closers: list[tuple[int, int]] = [(-1, -1)] * len(kinds)  # last closer found: (start, end)
    done = [False] * len(kinds)
    pos = 0
    while True:
        best: tuple[int, int, int] | None = None
        for kind, (opener, closer) in enumerate(kinds):
            if done[kind]:
                continue
            candidate = pending[kind]
            if candidate is None or candidate[0] < pos:
                opened = opener.search(text, pos)
                if opened is None:
                    done[kind] = True
                    continue
                after = opened.end()
                if closers[kind][0] >= after:
                    close = closers[kind]
                else:
                    found = closer.search(text, after)
                    if found is None:  # no later opener can be closed either
                        done[kind] = True
                        continue
                    close = closers[kind] = found.span()
                candidate = pending[kind] = (opened.start(), close[1])
            if best is None or candidate[0] < best[0]:
                best = (candidate[0], candidate[1], kind)
        if best is None:
            return spans
        spans.append(best)
        pos = best[1]


_WORD_RUN = re.compile(r"\w+")
# \w in ASCII as bytes: a word character stays, every other character becomes a space
_ASCII_NON_WORD = bytes(c if c < 128 and re.match(r"\w", chr(c)) else ord(" ") for c in range(256))


def word_runs(text: str) -> list[str]:
    """The text's runs of word characters (`\\w+`), in order."""
    if text.isascii():  # by one C pass over its bytes (bytes.translate: 3x faster than str's)
        return text.encode("ascii").translate(_ASCII_NON_WORD).decode("ascii").split()
    return _WORD_RUN.findall(text)
