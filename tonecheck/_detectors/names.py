"""Greetings and sign-offs: pasted twice, or naming the wrong person."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import regex

from .._lazy import Lazy
from .._types import Applicability, Suggestion
from .base import DetectorOptions, Hit, Scan, detector

if TYPE_CHECKING:
    from .._ruleset.schema import DetectorRule


# -- greetings and sign-offs -------------------------------------------------------------------


@detector("pasted-twice")
def _pasted_twice(scan: Scan, rule: DetectorRule, options: DetectorOptions) -> Iterable[Hit]:
    """A block of 1-4 lines repeated right after itself, when it holds a greeting or sign-off."""
    stripped = [line.strip() for line in scan.scan.split("\n")]
    nonempty = [line for line in stripped if line]
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
                and any(_is_greeting_or_signoff(t) for t in first)
                and scan.anatomy.region_of(lines[index][0]) not in ("quoted", "code")
            ):
                yield Hit(rule.code, lines[index + size][0], lines[index + 2 * size - 1][1])
                index += 2 * size - 1
                break
        index += 1


def _is_greeting_or_signoff(line: str) -> bool:
    from .._anatomy import _GREETING, _SIGNOFF

    return bool(_GREETING.match(line) or _SIGNOFF.match(line))


_TITLES = ("mr", "mrs", "ms", "miss", "dr", "mx")
_GREETING_NAME = Lazy(
    r"(?im)^[ \t]*(?:hi|hello|hey|dear|good\s+(?:morning|afternoon|evening))[ \t]+"
    r"(?:(?P<title>mr|mrs|ms|miss|dr|mx)\.?[ \t]+)?"
    r"(?!(?:mr|mrs|ms|miss|dr|mx)\b)(?P<name>\p{Lu}[\p{L}'\-]+)"  # a bare title ("Dear Ms,") names no one
)
_NOT_NAMES = {"there", "team", "all", "everyone", "folks", "again", "friend", "customer", "sir", "madam"}


def _split_title(name: str) -> tuple[list[str], list[str]]:
    """("Ms. Sara Lopez") -> (["Ms."], ["Sara", "Lopez"]): leading titles, then the name itself."""
    words = name.split()
    titles = []
    while words and words[0].rstrip(".").casefold() in _TITLES:
        titles.append(words.pop(0))
    return titles, words


@detector("wrong-name")
def _wrong_name(scan: Scan, rule: DetectorRule, options: DetectorOptions) -> Iterable[Hit]:
    expected = (scan.context.get("customer_name") or "").strip()
    titles, words = _split_title(expected)
    if not words:  # no name, or a title alone: nothing to compare a greeting with
        return
    # "Sara-Jane Lopez": "Sara-Jane", "Sara", "Jane" and "Lopez" all name her
    known = {word.casefold() for word in words} | {
        part.casefold() for word in words for part in word.split("-") if part
    }
    for m in _GREETING_NAME.finditer(scan.scan):
        name = m.group("name").casefold()
        if name in _NOT_NAMES or name in known or all(part in known for part in name.split("-") if part):
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
