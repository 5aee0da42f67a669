"""Jargon helpers: unexplained acronyms, terms the reply explains, and the team's glossary."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import regex

from .._lazy import Lazy
from .base import AcronymOptions, Hit, Scan, _derived, detector
from .placeholders import placeholder_spans

if TYPE_CHECKING:
    from .._ruleset.schema import DetectorRule


# -- jargon ------------------------------------------------------------------------------------

# Two to six capitals (digits allowed after the first); "P1"-style codes are left to the lexicon.
# A cheap scan for capital runs first; the exact shape and its surroundings are checked after.
_CAPITAL_RUN = re.compile(r"[A-Z][0-9A-Z]+s?|[0-9][A-Z][A-Z]+s?")  # ASCII only: `re` scans it faster
_ACRONYM_SHAPE = Lazy(r"(?:[A-Z][0-9]?[A-Z][A-Z0-9]{0,4}|[0-9][A-Z]{2,4})s?")
_NOT_BEFORE_ACRONYM = set("-/.@#&_")
_NOT_AFTER_ACRONYM = set("-/@_")
_DELIMITER_BEFORE = "{|%<[*$#!_^~"  # "^JK" and "~AB" are sign-off initials, not acronyms
_DELIMITER_AFTER = "}|%>]*_"


@detector("acronym", AcronymOptions)
def _acronym(scan: Scan, rule: DetectorRule, options: AcronymOptions) -> Iterable[Hit]:
    everyday, words = _acronym_lists(options)
    glossary: set[str] | None = None  # both looked up only once a candidate needs them
    placeholders: list[tuple[int, int, str]] = []
    text = scan.scan
    for m in _CAPITAL_RUN.finditer(text):
        start, end = m.span()
        if (start and (text[start - 1].isalnum() or text[start - 1] in _NOT_BEFORE_ACRONYM)) or (
            end < len(text) and (text[end].isalnum() or text[end] in _NOT_AFTER_ACRONYM)
        ):
            continue
        if not _ACRONYM_SHAPE.fullmatch(m.group()):
            continue
        token = m.group()
        bare = token[:-1] if token.endswith("s") and len(token) > 2 else token
        if bare in everyday or bare in words or token in everyday:
            continue
        if glossary is None:
            glossary = {term.upper() for term in scan.config.glossary}
            placeholders = placeholder_spans(scan)
        if bare in glossary:
            continue
        if any(s <= m.start() < e for s, e, _ in placeholders) or _in_delimiters(scan.scan, m.start(), m.end()):
            continue
        if _shouting(scan.scan, m.start(), m.end()):
            continue
        yield Hit(rule.code, m.start(), m.end())


def _acronym_lists(options: AcronymOptions) -> tuple[frozenset[str], frozenset[str]]:
    return _derived(
        "acronym lists",
        options,
        lambda o: (frozenset(item.upper() for item in o.everyday), frozenset(item.upper() for item in o.words)),
    )


_LETTERS = Lazy(r"\p{L}")
_CAPITALS = Lazy(r"\p{Lu}")


def _in_delimiters(text: str, start: int, end: int) -> bool:
    """A token wrapped in template punctuation ("*|FNAME|", "{{ NAME") is a placeholder, even a broken one."""
    before = text[max(0, start - 3) : start].strip()
    after = text[end : end + 3].strip()
    return bool(before and before[-1] in _DELIMITER_BEFORE) or bool(after and after[0] in _DELIMITER_AFTER)


def _shouting(text: str, start: int, end: int) -> bool:
    """True when the token sits in a run of capitals (a shouted phrase, not an acronym): judged on
    its line, at most 80 characters either side, so long lines stay linear."""
    line_start = max(text.rfind("\n", 0, start) + 1, start - 80)
    line_end = text.find("\n", end, end + 80)
    window = text[line_start : min(len(text), end + 80) if line_end == -1 else line_end]
    letters = len(_LETTERS.findall(window))
    return letters >= 12 and len(_CAPITALS.findall(window)) / letters > 0.7


_GLOSS_VERBS = r"(?!\b(?:is|are|was|were|will|has|have|had|can|should|must|may|might)\b)"
_EXPLAINED_AFTER = Lazy(  # used with .match(text, pos): no "^", which only matches at 0
    # (possessive repeats and blanks read once, before the glosses that start with a mark or
    # after them for those that start with a word: no run of blanks or words is split two ways)
    r"(?:s|es)?(?:\s++[\w\-]++){0,2}?(?:\s*+(?:"
    r"\(|"  # "SSO (single sign-on)"
    r",\s*(?:that\s+is|i\.?e\.?|meaning|aka|also\s+known\s+as|basically|in\s+other\s+words|short\s+for)\b|"
    r",\s*which\s+(?:is|are|means)\s+(?:a|an|the|basically|just|simply|how|where|what|when|our|your)\b|"
    r",\s*which\s+(?:lets|allows|tells|shows|stands|sends|connects|points|links|keeps|protects|proves|"
    r"confirms|checks|identifies|gives|holds|stores|carries|moves|routes|handles)\b|"
    r",\s*(?:the|a|an|our|your)\s+(?:" + _GLOSS_VERBS + r"[^\s,.;!?]++\s*+){1,9}+(?:[,.;!?]|$))|"  # appositive
    r"\s++(?:[—–]\s+|-\s+|"
    r"(?:stands\s+for|means|is\s+short\s+for|is\s+(?:a|an|the)\s+(?:way|setting|number|code|name|place|term|tool|list|record|kind|type|step|check|process|service|team|system|fee|charge|bank|payment|feature|app|link|address|file))))",
    regex.IGNORECASE,
)
_EXPLAINED_BEFORE = Lazy(
    r"(?:\(\s*|\b(?:called|known\s+as|named|termed|so-called)\s+(?:an?\s+|the\s+)?[\"'“]?)$", regex.IGNORECASE
)


def explained(scan: Scan, start: int, end: int) -> bool:
    """A term is explained if the reply glosses it where it stands ("SSO (single sign-on)",
    "single sign-on (SSO)", "a webhook, the address we send alerts to", "a setting called TTL"),
    or glosses the same term anywhere else in the reply."""
    term = scan.scan[start:end]
    cache = scan.cache.setdefault("explained", {})
    if term.casefold() not in cache:
        cache[term.casefold()] = _explained_anywhere(scan, term)
    return bool(cache[term.casefold()])


def _explained_anywhere(scan: Scan, term: str) -> bool:
    text = scan.scan
    for start, end in _occurrences(scan, term):
        if _EXPLAINED_AFTER.match(text, end, min(len(text), end + 120)):
            return True
        if _EXPLAINED_BEFORE.search(text, max(0, start - 30), start):
            return True
    return False


def _occurrences(scan: Scan, term: str) -> Iterable[tuple[int, int]]:
    """Where the term stands as a whole word, in any case. Found with str.find on the lower-cased
    reply: compiling a regex per term cost more than the rest of the jargon check."""
    lowered, needle = scan.lowered, term.lower()
    if len(lowered) != len(scan.scan) or len(needle) != len(term):  # lower-casing moved offsets
        for m in regex.finditer(r"(?<!\w)" + regex.escape(term) + r"(?!\w)", scan.scan, flags=regex.IGNORECASE):
            yield m.span()
        return
    at = lowered.find(needle)
    while at >= 0:
        end = at + len(needle)
        if not _word_char(lowered, at - 1) and not _word_char(lowered, end):
            yield at, end
        at = lowered.find(needle, at + 1)


def _word_char(text: str, index: int) -> bool:
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] == "_")


def in_glossary(scan: Scan, start: int, end: int) -> bool:
    term = " ".join(scan.scan[start:end].split()).casefold()
    return any(term == " ".join(g.split()).casefold() for g in scan.config.glossary)
