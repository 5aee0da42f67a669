"""Masking personal data in example replies: e-mail addresses, social-media handles, phone numbers,
card-like numbers, and customers' names (the ones the export names, and the name a greeting
addresses)."""

from __future__ import annotations

import re
from collections.abc import Iterable

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w@.])@\w{2,}")  # a social-media handle names the customer too
# 13-19 digits, in groups separated by spaces or dashes: card-like
_CARD = re.compile(r"(?<![\w])(?:\d[ -]?){12,18}\d(?![\w])")
# 7+ digits with the separators phone numbers are written with, optionally a leading +
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]{5,}\d(?![\w])")
_UPPER = "A-ZÀ-ÖØ-Þ"
_GREETING_NAME = re.compile(
    rf"\b(?i:hi|hello|hey|dear|good (?:morning|afternoon|evening))\s+((?:(?i:mr|mrs|ms|dr)\.?\s+)?"
    rf"[{_UPPER}][\w'’-]*(?:\s+[{_UPPER}][\w'’-]*)?)"
)
_NOT_NAMES = frozenset({"there", "team", "all", "everyone", "again", "folks", "friend", "customer", "sir", "madam"})


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
    return _GREETING_NAME.sub(_mask_greeting, text)


def _mask_greeting(m: re.Match[str]) -> str:
    if m.group(1).split()[0].casefold() in _NOT_NAMES:
        return m.group()
    return m.group()[: m.start(1) - m.start()] + "[name]"
