"""Greetings and sign-offs: pasted twice, or naming the wrong person."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import regex
from pydantic import Field, StrictStr

from .._anatomy import greeting_or_signoff
from .._language import Language, expanded, words_regex
from .._lazy import Lazy
from .._text import _WORD_RUN
from .._types import Applicability, Suggestion
from .base import DetectorOptions, Hit, Scan, _derived, detector

if TYPE_CHECKING:
    from .._ruleset.schema import DetectorRule


# -- greetings and sign-offs -------------------------------------------------------------------


@detector("pasted-twice")
def _pasted_twice(scan: Scan, rule: DetectorRule, options: DetectorOptions) -> Iterable[Hit]:
    """A block of 1-4 lines repeated right after itself, when it holds a greeting or sign-off."""
    nonempty = list(filter(None, map(str.strip, scan.scan.split("\n"))))  # (map and filter: in C)
    if len(set(nonempty)) == len(nonempty):
        return
    lines = [m.span() for m in regex.finditer(r"[^\n]*\S[^\n]*", scan.scan)]
    texts = [scan.scan[s:e].strip() for s, e in lines]
    index = 0
    while index < len(lines):
        for size in range(1, 5):
            first, second = texts[index : index + size], texts[index + size : index + 2 * size]
            if (
                len(second) == size
                and first == second
                and sum(len(t) for t in first) <= 120
                and any(greeting_or_signoff(t, scan.language) for t in first)
                and scan.anatomy.region_of(lines[index][0]) not in ("quoted", "code")
            ):
                yield Hit(rule.code, lines[index + size][0], lines[index + 2 * size - 1][1])
                index += 2 * size - 1
                break
        index += 1


class _Patterns:
    """The wrong-name check's pattern for one language: a greeting, perhaps a title, then a name."""

    def __init__(self, language: Language) -> None:
        greetings = language.data.greetings
        titles = words_regex(greetings.titles)
        self.greeting_name = Lazy(
            # "Hi John", "Hi, John", "Здравствуйте, Марина"; a bare title ("Dear Ms,") names no one.
            # The name's capital is read case-sensitively: "Hi, your order…" greets no one "your"
            r"(?im)^[ \t]*" + words_regex(greetings.words) + r"(?:[ \t]*,)?[ \t]+"
            r"(?:(?P<title>" + titles + r")\.?[ \t]+)?(?!" + titles + r"\b)(?P<name>(?-i:\p{Lu})[\p{L}'\-]+)"
        )
        self.not_names = frozenset(word.casefold() for word in greetings.not_names)
        self.titles = frozenset(" ".join(title.split()).casefold() for title in expanded(greetings.titles))


def _split_title(name: str, known_titles: frozenset[str]) -> tuple[list[str], list[str]]:
    """("Ms. Sara Lopez") -> (["Ms."], ["Sara", "Lopez"]): leading titles, then the name itself."""
    words = name.split()
    titles = []
    while words and words[0].rstrip(".").casefold() in known_titles:
        titles.append(words.pop(0))
    return titles, words


@detector("wrong-name")
def _wrong_name(scan: Scan, rule: DetectorRule, options: DetectorOptions) -> Iterable[Hit]:
    expected = (scan.context.get("customer_name") or "").strip()
    patterns = scan.language.derived(_Patterns)
    titles, words = _split_title(expected, patterns.titles)
    if not words:  # no name, or a title alone: nothing to compare a greeting with
        return
    # "Sara-Jane Lopez": "Sara-Jane", "Sara", "Jane" and "Lopez" all name her
    known = {word.casefold() for word in words} | {
        part.casefold() for word in words for part in word.split("-") if part
    }
    for m in patterns.greeting_name.finditer(scan.scan):
        name = m.group("name").casefold()
        if name in patterns.not_names or name in known or all(part in known for part in name.split("-") if part):
            continue
        if m.start("name") >= len(scan.scan) or scan.anatomy.region_of(m.start("name")) in ("quoted", "code"):
            continue
        # after a title ("Dear Ms. Lopes") the surname goes in; a customer known by title and
        # surname only ("Ms. Lopez") is greeted so; otherwise by the first name. Each result is a
        # greeting this check accepts, so fixing twice changes nothing the second time.
        if m.group("title"):
            replacement = words[-1]
        elif titles and len(words) == 1:
            replacement = " ".join((*titles, *words))
        else:
            replacement = words[0]
        yield Hit(
            rule.code,
            m.start("name"),
            m.end("name"),
            {"customer_name": expected},
            suggestions=(
                Suggestion(
                    title=f"Use the customer's name ({expected})",
                    replacement=replacement,
                    applicability=Applicability.safe,
                ),
            ),
        )


# -- an empty name -------------------------------------------------------------------------------


class EmptyNameOptions(DetectorOptions):
    # what a template writes where the name should have been: "Hi undefined,", "Hello [object Object]"
    values: tuple[StrictStr, ...] = Field(min_length=1)


class _EmptyName:
    """The empty-name check for one language and one rule: a greeting with a gap where the name
    was ("Hi ,"), a greeting that needs a name standing alone ("Dear,"), or a greeting followed
    by an empty value ("Hello undefined undefined,"). Greetings match in any case, values exactly."""

    def __init__(self, language: Language, values: Iterable[str]) -> None:
        greetings = language.data.greetings
        greeting = "(?i:" + words_regex(greetings.words) + ")"
        ordered = sorted(set(values), key=lambda v: (-len(v), v))
        value = "(?:" + "|".join(regex.escape(v) for v in ordered) + r")(?!\w)"
        self.pattern = Lazy(
            r"^[ \t]*(?:(?i:" + words_regex(greetings.need_a_name) + r")[ \t]*,[ \t]*$|" + greeting + r"[ \t]+,)"
            r"|^[ \t]*" + greeting + r"(?:[ \t]*,)?[ \t]+" + value + r"(?:[ \t]+" + value + r")*(?:[ \t]*[,!])?",
            regex.MULTILINE,
        )
        # a cheap look first: the lower-cased reply holds one of these wherever the pattern matches;
        # a word, as a whole run of word characters (spaces or a line start before it, no word
        # character after), and in an ASCII reply, where `regex`'s \w and word_runs' agree, the
        # reply's runs are looked up instead
        needs_a_name = [phrase.lower() for phrase in expanded(greetings.need_a_name)]
        self.gate = tuple(dict.fromkeys([" ,", "\t,", *needs_a_name, *(v.lower() for v in ordered)]))
        self.gate_words = frozenset(g for g in self.gate if _WORD_RUN.fullmatch(g))
        self.gate_pieces = tuple(g for g in self.gate if g not in self.gate_words)


@detector("empty-name", EmptyNameOptions)
def _empty_name(scan: Scan, rule: DetectorRule, options: EmptyNameOptions) -> Iterable[Hit]:
    by_language: dict[Language, _EmptyName] = _derived("empty name", options, lambda o: {})
    check = by_language.get(scan.language)
    if check is None:
        check = by_language[scan.language] = _EmptyName(scan.language, options.values)
    lowered = scan.lowered
    if lowered.isascii():  # a word of the gate is a whole run of word characters
        may_match = not check.gate_words.isdisjoint(scan.words()) or any(map(lowered.__contains__, check.gate_pieces))
    else:
        may_match = any(map(lowered.__contains__, check.gate))
    if not may_match:
        return
    for m in check.pattern.finditer(scan.scan):
        yield Hit(rule.code, m.start(), m.end())
