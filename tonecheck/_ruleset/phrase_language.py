"""The phrase language of rule files, expanded to literal phrases at load time.

    we (really|just)? (can't|cannot) help      alternation; `?` makes a group optional
    you @adv? (have|need) to                   @name inserts a vocabulary list (rules/en/vocab.yml)

Expansion happens once per configuration; the literal phrases then go into one PhraseMatcher,
which is far cheaper per reply than token patterns (see shared notes on measured costs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated

from pydantic import AfterValidator, StrictStr

MAX_EXPANSIONS = 20_000


class PatternSyntaxError(ValueError):
    pass


def expand(pattern: str, vocab: Mapping[str, Sequence[str]], _active: tuple[str, ...] = ()) -> list[str]:
    """The literal phrases a pattern stands for. Raises PatternSyntaxError for bad syntax, an
    unknown or self-referencing vocabulary list, or more than MAX_EXPANSIONS phrases (checked
    before they are built, so a pattern cannot exhaust memory)."""
    parser = _Parser(pattern, vocab, _active)
    try:
        results = parser.parse_sequence()
    except RecursionError:
        raise PatternSyntaxError(f"{_short(pattern)} is nested too deeply") from None
    if parser.pos != len(pattern):
        raise PatternSyntaxError(f"unexpected {pattern[parser.pos]!r} at {parser.pos} in {pattern!r}")
    seen: dict[str, None] = {}
    for phrase in results:
        normalised = " ".join(phrase.split())
        if normalised:
            seen[normalised] = None
    if not seen:
        raise PatternSyntaxError(f"{pattern!r} expands to nothing")
    return list(seen)


def _short(pattern: str) -> str:
    return repr(pattern) if len(pattern) <= 80 else repr(pattern[:77] + "...")


class _Parser:
    def __init__(self, text: str, vocab: Mapping[str, Sequence[str]], active: tuple[str, ...] = ()) -> None:
        self.text = text
        self.vocab = vocab
        self.active = active  # vocabulary lists being expanded, outermost first (to catch loops)
        self.pos = 0

    def _too_many(self, count: int) -> None:
        if count > MAX_EXPANSIONS:
            raise PatternSyntaxError(f"{_short(self.text)} expands to more than {MAX_EXPANSIONS} phrases")

    def parse_sequence(self) -> list[str]:
        results = [""]
        literal: list[str] = []
        while self.pos < len(self.text) and self.text[self.pos] not in ")|":
            char = self.text[self.pos]
            if char in "(@":
                if literal:
                    results = [r + "".join(literal) for r in results]
                    literal = []
                alternatives = self._group() if char == "(" else self._macro()
                if self.pos < len(self.text) and self.text[self.pos] == "?":
                    self.pos += 1
                    alternatives = [*alternatives, ""]
                self._too_many(len(results) * len(alternatives))  # before the product is built
                results = [r + a for r in results for a in alternatives]
            else:
                literal.append(char)
                self.pos += 1
        if literal:
            results = [r + "".join(literal) for r in results]
        return results

    def _group(self) -> list[str]:
        self.pos += 1  # "("
        alternatives: list[str] = []
        while True:
            alternatives.extend(self.parse_sequence())
            self._too_many(len(alternatives))
            if self.pos >= len(self.text):
                raise PatternSyntaxError(f"unclosed '(' in {self.text!r}")
            closing = self.text[self.pos]
            self.pos += 1
            if closing == ")":
                return alternatives

    def _macro(self) -> list[str]:
        start = self.pos + 1
        end = start
        while end < len(self.text) and (self.text[end].isalnum() or self.text[end] == "_"):
            end += 1
        name = self.text[start:end]
        if name not in self.vocab:
            raise PatternSyntaxError(f"unknown vocabulary @{name} in {self.text!r}")
        if name in self.active:
            loop = " -> ".join(f"@{n}" for n in (*self.active[self.active.index(name) :], name))
            raise PatternSyntaxError(f"vocabulary @{name} refers to itself ({loop})")
        self.pos = end
        expanded: list[str] = []
        for entry in self.vocab[name]:
            expanded.extend(
                expand(entry, self.vocab, (*self.active, name)) if ("(" in entry or "@" in entry) else [entry]
            )
            self._too_many(len(expanded))
        return expanded


def _compiles(source: str) -> str:
    import regex

    try:
        regex.compile(source)
    except regex.error as exc:
        raise ValueError(f"regular expression {source!r} does not compile: {exc}") from None
    return source


# A regular expression in a rule file or configuration, checked when it is loaded.
RegexSource = Annotated[StrictStr, AfterValidator(_compiles)]
