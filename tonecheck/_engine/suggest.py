"""Messages and suggestions: rule templates filled with a finding's slots, rewrites anchored at it."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING

import regex

from .._anatomy import match_case
from .._detectors.base import Hit, Scan
from .._ruleset.schema import MatchingRule
from .._ruleset.templates import render as _render
from .._types import Applicability, Suggestion
from .grammar import keeps_capital, lower_slot, opens_request, opens_sentence, plain_edit, request_start
from .tidy import _blanks_before, tidy

if TYPE_CHECKING:
    from .linter import Engine


_OPENER_END = r"[ \t]*\Z"


@functools.lru_cache(maxsize=64)
def _opener(source: str) -> regex.Pattern[str]:
    return regex.compile(f"(?:{source}){_OPENER_END}", regex.IGNORECASE)


def _opener_start(text: str, start: int, source: str) -> int | None:
    """Where a rewrite's opener ("Unfortunately,") begins, if the words before the finding are
    one, at the start of a sentence or clause."""
    window = max(0, start - 80)
    m = _opener(source).search(text, window, start)
    if m is None:
        return None
    if opens_sentence(text, m.start()) or regex.search(r"[,;:—–][ \t]*\Z", text[window : m.start()]):
        return m.start()
    return None


# another sentence on the same line: one that ends right before a removed sentence, or one that
# starts right after it
_SENTENCE_BEFORE = regex.compile(r"[.!?][\"')\]’”]{0,2}[ \t]{1,4}\Z")
_SENTENCE_AFTER = regex.compile(r"[\"')\]’”]{0,2}[ \t]{1,4}\S")


_A_WORD = regex.compile(r"[^\W\d_]{2}")


def _opens_a_whole_sentence(text: str, start: int) -> bool:
    """Whether a removed sentence starting at `start` is one of its own: not a clause after a
    semicolon, colon or dash (its end punctuation belongs to the sentence before), nor a sentence
    after a greeting on its line ("Hi Dana, it's easy. The button …" would leave "Hi Dana, The")."""
    before = _blanks_before(text, start)
    if before > 0 and text[before - 1] in ",;:-\u2013\u2014":
        return False
    return opens_sentence(text, start, after_greeting=False)


def _beside_a_sentence(scan: Scan, start: int, end: int) -> bool:
    """Whether the sentence from `start` to `end` (its end punctuation included) has another
    sentence before or after it on its line, or the body of the reply (not its greeting, sign-off
    or footer) has words of its own outside it."""
    text = scan.scan
    if _SENTENCE_BEFORE.search(text, max(0, start - 8), start) is not None or _SENTENCE_AFTER.match(text, end):
        return True
    for region in scan.anatomy.kinds("body", "closing"):
        for left, right in ((region.start, min(region.end, start)), (max(region.start, end), region.end)):
            if left < right and _A_WORD.search(text, left, right) is not None:
                return True
    return False


_TITLE_WORDS = regex.compile(r"[a-z]+")
_TITLE_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "to",
        "of",
        "it",
        "its",
        "with",
        "what",
        "you",
        "your",
        "instead",
        "for",
        "in",
        "on",
        "as",
        "is",
        "be",
    ]
)
_SYNONYMS = {
    "drop": "remove",
    "delete": "remove",
    "leave": "remove",
    "word": "phrase",
    "plainly": "plain",
    "polite": "please",
    "politely": "please",
    "request": "please",
}


def _advice_words(title: str) -> frozenset[str]:
    words = (_SYNONYMS.get(w, w) for w in _TITLE_WORDS.findall(title.lower()))
    return frozenset(w for w in words if w not in _TITLE_STOP)


def same_advice(a: str, b: str) -> bool:
    """Two suggestion titles say the same thing ("Drop the bare No and lead with the reason",
    "Remove the bare No and lead with the reason"): one of them is enough."""
    x, y = _advice_words(a), _advice_words(b)
    if not x or not y:
        return x == y
    return x <= y or y <= x or len(x & y) / len(x | y) >= 0.6


def _keep(suggestions: list[Suggestion], new: Suggestion) -> None:
    """Add a suggestion unless it repeats one already there: the same edit, or the same advice."""
    for old in suggestions:
        same_edit = (old.start, old.end, old.replacement) == (new.start, new.end, new.replacement)
        if new.replacement is not None and same_edit:
            return
        if same_advice(old.title, new.title):
            return
    suggestions.append(new)


def _advice(title: str) -> Suggestion:
    return Suggestion(title=title, replacement=None, applicability=Applicability.display_only)


def _suggestions(
    engine: Engine, scan: Scan, hit: Hit, rule: MatchingRule, values: Mapping[str, str]
) -> tuple[Suggestion, ...]:
    """A finding's suggestions, each edit tidied as the reply needs it (a removal takes its comma
    and hands the capital on): the edit a caller applies on its own is the one `fix` makes."""
    found = hit.suggestions if hit.suggestions is not None else _untidied(engine, scan, hit, rule, values)
    return tuple(_tidied(scan.text, hit, s, engine) for s in found)


def _tidied(text: str, hit: Hit, suggestion: Suggestion, engine: Engine) -> Suggestion:
    if suggestion.replacement is None:
        return suggestion
    start = hit.start if suggestion.start is None else suggestion.start
    end = hit.end if suggestion.end is None else suggestion.end
    if not 0 <= start <= end <= len(text):
        return suggestion
    edit = tidy(text, start, end, suggestion.replacement, engine.language)
    if edit == (suggestion.start, suggestion.end, suggestion.replacement):
        return suggestion
    start, end, replacement = edit
    # (its source span is mapped again from the new span, as the finding's is)
    update = {"start": start, "end": end, "replacement": replacement, "source_start": None, "source_end": None}
    return suggestion.model_copy(update=update)


def _untidied(
    engine: Engine, scan: Scan, hit: Hit, rule: MatchingRule, values: Mapping[str, str]
) -> tuple[Suggestion, ...]:
    text = scan.text
    matched = text[hit.start : hit.end]
    suggestions: list[Suggestion] = []
    starts_sentence = opens_sentence(scan.scan, hit.start)
    for index, spec in enumerate(rule.rewrites):
        # (with an opener, the edit's start is known only once the opener is looked for)
        if spec.opener is None and spec.at_sentence_start not in (None, starts_sentence):
            continue
        # endpos bounds the work: a rewrite stays within its sentence, and `regex` costs grow
        # with the length of the string it is given
        m = engine.rewrite_match(rule.code, index, scan.scan, hit.start, min(len(scan.scan), hit.end + 300))
        if m is None or m.end() == m.start():
            continue
        start = hit.start
        if spec.opener is not None:
            opener = _opener_start(scan.scan, hit.start, spec.opener)
            start = hit.start if opener is None else opener
            if opener is None and spec.needs_opener:
                continue
            if spec.at_sentence_start not in (None, opens_sentence(scan.scan, start)):
                continue
        if spec.beside_a_sentence and not (
            _opens_a_whole_sentence(scan.scan, start) and _beside_a_sentence(scan, start, m.end())
        ):
            continue
        # slot values from the original text, so curly quotes and the like survive; a word that
        # opened the sentence loses its capital inside the new words ("We" in "here's what we…")
        slots = {**values}
        for k in m.groupdict():
            if m.start(k) < 0:
                continue
            value = text[m.start(k) : m.end(k)]
            moved = opens_sentence(scan.scan, m.start(k)) and not spec.replacement.startswith("{" + k + "}")
            if moved or (m.start(k) == hit.start and start != hit.start):
                value = lower_slot(value)
            slots[k] = value
        replacement = _render(spec.replacement, slots)
        if opens_sentence(scan.scan, start) or _capitalised(text[start : m.end()]):
            replacement = match_case(replacement, text[start : m.end()])
        _keep(
            suggestions,
            Suggestion(
                title=_render(spec.title, slots),
                replacement=replacement,
                applicability=spec.applicability,
                start=start,
                end=m.end(),
            ),
        )
    for advice in rule.suggestions:
        title = _render(advice.title, values)
        if advice.replacement is None:
            _keep(suggestions, Suggestion(title=title, replacement=None, applicability=advice.applicability))
            continue
        replacement = _render(advice.replacement, values)
        edit: tuple[int, int, str] | None = (hit.start, hit.end, replacement)
        if "{plain}" in advice.replacement and "plain" in values:
            edit = plain_edit(text, hit.start, hit.end, replacement)
        elif opens_request(replacement) and not opens_request(matched):
            at = request_start(text, hit.start, hit.end)
            edit = None if at is None else (at, hit.end, replacement)
        if edit is None:  # it would not read right here: the suggestion is advice
            _keep(suggestions, _advice(title))
            continue
        start, end, replacement = edit
        if start != hit.start:  # the edit takes an opener with it: the request opens the sentence
            if opens_sentence(scan.scan, start):
                replacement = match_case(replacement, text[start:end])
        elif starts_sentence or _capitalised(matched):
            replacement = match_case(replacement, matched)
        _keep(
            suggestions,
            Suggestion(title=title, replacement=replacement, applicability=advice.applicability, start=start, end=end),
        )
    return tuple(suggestions)


def _capitalised(matched: str) -> bool:
    """The span starts with a capitalised ordinary word ("Kindly", "You"), not "I" or an acronym."""
    m = regex.match(r"[A-Za-z][a-z'’]*", matched)
    if m is None:
        return False
    word = m.group(0)
    return word[0].isupper() and len(word) > 1 and not keeps_capital(word)
