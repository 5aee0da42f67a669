"""Text normalisation shared by the engine and the detectors."""

from __future__ import annotations

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
_SPELLED_OUT = {"can't": "can not", "cant": "can not", "cannot": "can not", "won't": "will not",
                "n't": " not", "'re": " are", "'m": " am", "'ll": " will", "'ve": " have"}


def _lower(text: str) -> str:
    return _straighten(text).lower()


def _spell_out(text: str) -> str:
    """Spell out contractions, for the textual context checks (both sides use this)."""
    if "'" not in text and "can" not in text:
        return text
    return _CONTRACTIONS.sub(lambda m: _SPELLED_OUT[m.group()], text)


def _normalise_words(text: str) -> str:
    """Lower case, straight quotes, contractions spelled out; whitespace kept as it is."""
    return _spell_out(_lower(text))


def _normalise_phrase(phrase: str) -> str:
    return " ".join(_spell_out(_lower(phrase)).split())


def _normalise_context(text: str) -> str:
    """Context around a match, spelled like normalised phrases (lower case, no contractions)."""
    return _spell_out(text.lower())



