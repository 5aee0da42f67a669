"""Masking personal data in example replies: e-mail addresses, social-media handles, phone numbers,
card-like numbers, and customers' names (the ones the export names, and the name a greeting
addresses)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import regex

from .._language import Language, language_data, words_regex

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w@.])@\w{2,}")  # a social-media handle names the customer too
# 13-19 digits, in groups separated by spaces or dashes: card-like
_CARD = re.compile(r"(?<![\w])(?:\d[ -]?){12,18}\d(?![\w])")
# 7+ digits with the separators phone numbers are written with, optionally a leading +
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]{5,}\d(?![\w])")
_UPPER = "A-ZÀ-ÖØ-Þ"


class _Greeting:
    """The name a greeting addresses ("Hi Sam", "Dear Ms. Lopez"), from the language's greeting
    words, titles and words that are no one's name (rules/en/language.yml, `greetings`): the
    same lists the reply's anatomy and the name checks read."""

    def __init__(self, language: Language) -> None:
        greetings = language.data.greetings
        words = words_regex(greetings.words, r"\s+")
        titles = words_regex(greetings.titles)
        name = rf"[{_UPPER}][\w'’-]*"
        self.pattern = regex.compile(rf"\b(?i:{words})\s+((?:(?i:{titles})\.?\s+)?{name}(?:\s+{name})?)")
        self.not_names = frozenset(word.casefold() for word in greetings.not_names)


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    words = {w for name in names for w in re.split(r"\s+", name) if len(w) >= 2}
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b", re.I)


def redact(text: str, names: Iterable[str] = ()) -> str:
    text = _EMAIL.sub("[email]", text)
    text = _HANDLE.sub("[handle]", text)
    text = _CARD.sub("[card number]", text)
    text = _PHONE.sub(lambda m: "[phone]" if sum(c.isdigit() for c in m.group()) >= 7 else m.group(), text)
    pattern = _names_pattern(names)
    if pattern is not None:
        text = pattern.sub("[name]", text)
    greeting = language_data().derived(_Greeting)

    def mask(m: regex.Match[str]) -> str:
        if m.group(1).split()[0].casefold() in greeting.not_names:
            return m.group()
        return m.group()[: m.start(1) - m.start()] + "[name]"

    return greeting.pattern.sub(mask, text)
