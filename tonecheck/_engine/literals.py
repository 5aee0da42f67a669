"""Literal gates for regular expressions: strings one of which every match must contain.

A pattern that starts with a character class or a lookahead (`(?=[A-Z])...`) gives the `regex`
engine nothing to skip ahead with: it tries the pattern at every position of the reply, about
45 ns a character even where nothing can match. Most of such a pattern's matches need some literal
text, though ("NAME" or "NUMBER" after a capitalised word): when none of those strings is in the
reply, the pattern cannot match and is not run. A substring test runs at C speed.

`gate(source, flags)` reads the pattern conservatively: anything it does not understand gives no
gate (the pattern always runs), so a gate never drops a match. It takes a run of literal
characters that every match must hold, or a group every match must pass through whose every
branch holds such a run, and keeps the most selective. Case-insensitive text (`(?i:...)`, the
IGNORECASE flag) is looked for in the lower-cased reply. Two characters match an ASCII letter
case-insensitively without lower-casing to it: "İ" (U+0130) matches "i" and "ſ" (U+017F) "s". A
gate with a case-insensitive string holding "i" or "s" lets through every text that holds one of
them (two substring tests), so those letters may stay in its runs: "this", not "th".
"""

from __future__ import annotations

import re
import string
from typing import Generic, NamedTuple, TypeVar

import regex

# flags a pattern may be compiled with for a gate to be read from it
_KNOWN_FLAGS = regex.IGNORECASE | regex.MULTILINE | regex.DOTALL | regex.ASCII | regex.UNICODE | regex.VERSION0
# characters a case-insensitive run may hold: each matches only characters that lower-case to it,
# but for "i" and "s" (see _FOLDING)
_CASELESS_SAFE = frozenset(string.printable) - set(string.whitespace[1:])
# the characters a case-insensitive "i" or "s" matches that do not lower-case to it
_FOLDING = ("\u0130", "\u017f")
_QUANTIFIER = re.compile(r"\{(\d*)(?:(,)(\d*))?\}")
_INLINE_FLAGS = re.compile(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]+))?([:)])")
_P = TypeVar("_P")


class Gate(NamedTuple):
    """A pattern can match only if one of `exact` is in the text or one of `lowered` is in the
    lower-cased text, or `folding` and the text holds one of _FOLDING."""

    exact: tuple[str, ...]
    lowered: tuple[str, ...]
    folding: bool = False  # a string of `lowered` holds "i" or "s"

    def may_match(self, text: str, lowered: str) -> bool:
        return (
            any(map(text.__contains__, self.exact))
            or any(map(lowered.__contains__, self.lowered))
            or (self.folding and _folds(text))
        )


def _folds(text: str) -> bool:
    """Whether the text holds a character that a case-insensitive "i" or "s" matches and that
    does not lower-case to it."""
    return any(map(text.__contains__, _FOLDING))


class Gates(Generic[_P]):
    """The gates of one rule's sources, read together: each gate string is looked for once (the
    sources of a rule share most of theirs), and the sources it lets through are a bit mask.
    `kept` gives the sources whose gate says they may match (a source without a gate always)."""

    __slots__ = ("_exact", "_folding", "_kept", "_lowered", "_sources", "_ungated")

    def __init__(self, sources: tuple[_P, ...], gates: tuple[Gate | None, ...]) -> None:
        exact: dict[str, int] = {}
        lowered: dict[str, int] = {}
        ungated = folding = 0
        for index, found in enumerate(gates):
            bit = 1 << index
            if found is None:
                ungated |= bit
                continue
            if found.folding:
                folding |= bit
            for text in found.exact:
                exact[text] = exact.get(text, 0) | bit
            for text in found.lowered:
                lowered[text] = lowered.get(text, 0) | bit
        self._sources = sources
        self._ungated = ungated
        self._folding = folding
        self._exact = tuple(exact.items())
        self._lowered = tuple(lowered.items())
        self._kept: dict[int, tuple[_P, ...]] = {}  # by mask: the few combinations replies give

    def kept(self, text: str, lowered: str) -> tuple[_P, ...]:
        mask = self._ungated
        if self._folding and _folds(text):
            mask |= self._folding
        for piece, bits in self._exact:
            if bits & ~mask and piece in text:  # (a string whose sources are all let through: not looked for)
                mask |= bits
        for piece, bits in self._lowered:
            if bits & ~mask and piece in lowered:
                mask |= bits
        found = self._kept.get(mask)
        if found is None:
            found = self._kept[mask] = tuple(s for i, s in enumerate(self._sources) if mask >> i & 1)
        return found


class _Unknown(Exception):
    """Syntax this reader does not follow: no gate."""


_Literal = tuple[str, bool]  # (text, case-insensitive)
_Choice = frozenset[_Literal]  # every match holds one of these


def gate(source: str, flags: int = 0) -> Gate | None:
    """The literal gate of a pattern, or None when none is known."""
    if flags & ~_KNOWN_FLAGS or regex.DEFAULT_VERSION != regex.VERSION0:  # version 1 nests sets in classes
        return None
    try:
        reader = _Reader(source)
        choice = reader.alternation(caseless=bool(flags & regex.IGNORECASE), top=True)
    except (_Unknown, IndexError):
        return None
    if choice is None:
        return None
    literals = _minimal(choice)
    lowered = tuple(sorted(text.lower() for text, caseless in literals if caseless))
    return Gate(
        exact=tuple(sorted(text for text, caseless in literals if not caseless)),
        lowered=lowered,
        folding=any("i" in text or "s" in text for text in lowered),
    )


def _minimal(choice: _Choice) -> _Choice:
    """Without the strings that hold another one of the same case rule ("FNAME" beside "NAME")."""
    return frozenset(
        (text, caseless)
        for text, caseless in choice
        if not any(c == caseless and other != text and other in text for other, c in choice)
    )


def _better(a: _Choice | None, b: _Choice) -> _Choice:
    """The more selective choice: longer shortest string, then fewer strings."""

    def score(choice: _Choice) -> tuple[int, int]:
        return (min(len(text) for text, _ in choice), -len(choice))

    return b if a is None or score(b) > score(a) else a


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.at = 0

    def peek(self) -> str:
        return self.source[self.at] if self.at < len(self.source) else ""

    def alternation(self, *, caseless: bool, top: bool = False) -> _Choice | None:
        """Branches up to the closing parenthesis (or the end): one choice that holds for all."""
        branches: list[_Choice | None] = []
        while True:
            found, caseless = self.sequence(caseless=caseless, top=top and not branches)
            branches.append(found)
            char = self.peek()
            if char == "|":
                self.at += 1
                continue
            if char == ")":
                if top:
                    raise _Unknown("unbalanced parenthesis")
                return None if any(b is None for b in branches) else frozenset().union(*branches)  # type: ignore[arg-type]
            if char == "":
                if not top:
                    raise _Unknown("unclosed group")
                return None if any(b is None for b in branches) else frozenset().union(*branches)  # type: ignore[arg-type]

    def sequence(self, *, caseless: bool, top: bool) -> tuple[_Choice | None, bool]:
        """One branch: the most selective choice among its literal runs and required groups."""
        best: _Choice | None = None
        run: list[str] = []
        run_caseless = caseless

        def end_run() -> None:
            nonlocal best
            if run:
                best = _better(best, frozenset({("".join(run), run_caseless)}))
                run.clear()

        source = self.source
        while self.at < len(source):
            char = source[self.at]
            if char in "|)":
                break
            if char == "(":
                end_run()
                start = self.at
                group, required, set_caseless = self.group(caseless=caseless, first=top and start == 0)
                if set_caseless is not None:  # a global flag group at the start
                    caseless = set_caseless
                    run_caseless = caseless
                    continue
                low = self.quantifier()
                if required and group is not None and low != 0:
                    best = _better(best, group)
                continue
            if char == "[":
                end_run()
                self.char_class()
                self.quantifier()
                continue
            if char == "\\":
                literal = self.escape()
            elif char in ".^$":
                literal = None
                self.at += 1
            elif char in "*+?":
                raise _Unknown("a quantifier with nothing to repeat")
            elif char == "{":
                if _QUANTIFIER.match(source, self.at):
                    raise _Unknown("a quantifier with nothing to repeat")
                raise _Unknown("a brace that is no quantifier")
            else:
                literal = char
                self.at += 1
            low = self.quantifier()
            if literal is None or (caseless and literal not in _CASELESS_SAFE):
                end_run()
                continue
            if run and run_caseless != caseless:
                end_run()
            run_caseless = caseless
            if low == 0:
                end_run()
            elif low == -1:  # exactly once
                run.append(literal)
            else:  # at least once, perhaps more: the run ends after one copy
                run.append(literal)
                end_run()
        end_run()
        return best, caseless

    def quantifier(self) -> int:
        """Skips a quantifier; returns its least count, or -1 when there is none (exactly once)."""
        char = self.peek()
        if char in ("?", "*", "+"):
            self.at += 1
            low = 1 if char == "+" else 0
        elif char == "{":
            found = _QUANTIFIER.match(self.source, self.at)
            if found is None:
                raise _Unknown("a brace that is no quantifier")
            if not found.group(1) and not found.group(2):
                raise _Unknown("an empty brace")
            low = int(found.group(1) or 0)
            if not found.group(2) and low == 1:
                low = -1
            self.at = found.end()
        else:
            return -1
        if self.peek() in ("?", "+"):  # lazy or possessive: the same counts
            self.at += 1
        if self.peek() in ("?", "*", "+", "{"):
            raise _Unknown("a quantifier on a quantifier")
        return low

    def escape(self) -> str | None:
        """An escape: the character it stands for if it is a plain one, else None."""
        char = self.source[self.at + 1]
        self.at += 2
        if not char.isalnum() and char != "_":
            return char
        if char.isdigit():
            raise _Unknown("a back-reference or octal escape")
        if char in "pPN":
            if self.peek() == "{":
                end = self.source.index("}", self.at)
                self.at = end + 1
            elif char == "N":
                raise _Unknown("\\N without a name")
            else:
                self.at += 1  # \pL
            return None
        if char in "dDwWsSbBAZGXmM":
            return None
        if char in "tnrfvae":
            return None  # a control character: matched, but not kept in a run
        raise _Unknown(f"escape \\{char}")

    def char_class(self) -> None:
        source = self.source
        self.at += 1
        if self.peek() == "^":
            self.at += 1
        if self.peek() == "]":
            self.at += 1
        while True:
            char = source[self.at]
            if char == "\\":
                self.at += 2
                continue
            if char == "[":
                if source[self.at + 1 : self.at + 2] in (":", "=", "."):
                    raise _Unknown("a POSIX class")
                self.at += 1
                continue
            self.at += 1
            if char == "]":
                return

    def group(self, *, caseless: bool, first: bool) -> tuple[_Choice | None, bool, bool | None]:
        """A group: (its choice, whether a match must contain what it matches, the new case rule
        when it is a global flag group)."""
        source = self.source
        if source.startswith("(?#", self.at):
            self.at = source.index(")", self.at) + 1
            return None, False, caseless if first else None
        flags = _INLINE_FLAGS.match(source, self.at)
        if flags is not None and source[self.at + 1] == "?":
            on, off, kind = flags.group(1), flags.group(2) or "", flags.group(3)
            if set(on + off) - set("imsuaL") or "L" in on + off:
                raise _Unknown("inline flags")
            inner = (caseless or "i" in on) and "i" not in off
            self.at = flags.end()
            if kind == ")":
                if not first:
                    raise _Unknown("a global flag after the start")
                return None, False, inner
            choice = self.alternation(caseless=inner)
            self.at += 1
            return choice, True, None
        required = True
        if source.startswith(("(?:", "(?>", "(?="), self.at):
            self.at += 3
        elif source.startswith("(?<=", self.at):
            self.at += 4
        elif source.startswith(("(?!", "(?<!"), self.at):
            self.at += 3 if source[self.at + 2] == "!" else 4
            required = False
        elif source.startswith(("(?P<", "(?<"), self.at):
            self.at = source.index(">", self.at) + 1
        elif source.startswith("(?", self.at):
            raise _Unknown("group syntax")
        else:
            self.at += 1
        choice = self.alternation(caseless=caseless)
        self.at += 1  # the closing parenthesis
        return (choice if required else None), required, None
