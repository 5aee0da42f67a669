"""Clause and sentence context of a match, for rules' `context` vetoes.

A phrase alone does not say what a clause does: "we can't add dark mode yet" is a refusal on its
own and the recommended way to set expectations when the same sentence goes on "but I've shared
your request with the design team". A rule's `context` names cue sets (rules/en/vocab.yml `cues`:
an alternative, a reason, a condition...) and the windows around a match to look for them in.
The windows are cut from the agent's own text (quoted history and code are already blanked):

    sentence        the sentence holding the match
    before / after  that sentence before / after the match
    clause-before   the same clause before the match (the sentence from its last "but",
                    "however", "although", semicolon or dash before the match)
    clause-after    the same clause after the match (up to the next such boundary)
    previous / next the sentence before / after
    following       the later sentences (up to eight of them)
    reply           the sentences around the match (eight either side)
    others          those sentences but the match's own

A veto may `ignore` cue sets: neighbouring sentences holding one are left out of the previous,
next, following and others windows (a stock closer, "if you have any other questions, get in touch",
offers no alternative).

Windows are lower-cased with contractions spelled out ("can't" -> "can not"), as cue phrases
are, and built only for the candidate matches of rules that have a context. Every window is
bounded (sentences and characters), so a megabyte of text with a match in every line costs no
more per match than a short reply.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable

from .._anatomy import Sentence, sentences
from .._detectors.base import Scan
from .._language import Language, words_regex
from .._lazy import Lazy
from .._ruleset.load import CueSet, RuleSet
from .._ruleset.phrase_language import to_regex
from .._text import _normalise_context, _normalise_words

_SPAN = 8  # sentences: how far "following" and "reply" reach
_CHARS = 600  # characters: how far any window reaches from the match, and how long a sentence in it may be


class _Boundary:
    """Where one clause of a sentence ends and another begins, in one language: punctuation and
    dashes, and the language's clause words (language.yml, `clauses.boundaries`). Commas are no
    boundary: "if you can't log in, we can't see the account" is one condition and its clause."""

    def __init__(self, language: Language) -> None:
        words = words_regex(language.data.clauses.boundaries, r"\s+")
        self.pattern = Lazy(r"[;:\u2013\u2014]|\s-+\s|\b" + words + r"\b")


def compile_cue_set(ruleset: RuleSet, cue_set: CueSet, language: Language) -> Lazy:
    """One pattern for a cue set: its phrases as whole words (any run of spaces between words)
    or any of its regular expressions."""
    parts = []
    if cue_set.phrases:
        words = "|".join(
            to_regex(pattern, ruleset.vocab, functools.partial(_normalise_words, language=language))
            for pattern in cue_set.phrases
        )
        # "we can" is no alternative in "we can not", nor "we will" in "we will never"
        negations = language.data.clauses.negations
        turned = r"(?!\s+" + words_regex(negations, r"\s+") + r"\b)" if negations else ""
        parts.append(rf"(?<![\w'])(?:{words})(?![\w']){turned}")
    parts.extend(f"(?:{source})" for source in cue_set.regex)
    # windows are lower-cased, so no case folding is needed
    return Lazy("|".join(parts))


def _own_sentences(scan: Scan) -> tuple[list[Sentence], list[int]]:
    cached = scan.cache.get("context-sentences")
    if cached is None:
        found = sentences(scan.scan, 0, len(scan.scan))
        cached = scan.cache["context-sentences"] = (found, [s.start for s in found])
    return cached


class Around:
    """The windows around one match, each cut and normalised once, on first use."""

    _NEIGHBOURS = ("previous", "next", "following", "reply", "others")

    def __init__(self, scan: Scan, start: int, end: int) -> None:
        self.scan = scan
        self.start = start
        self.end = end
        found, starts = _own_sentences(scan)
        self._sentences = found
        self._at = max(0, bisect.bisect_right(starts, start) - 1) if found else -1
        s_start, s_end = (found[self._at].start, found[self._at].end) if found else (start, end)
        # a match across a sentence break keeps its own start and end
        self._s_start = max(min(s_start, start), start - _CHARS)
        self._s_end = min(max(s_end, end), end + _CHARS)
        self._windows: dict[tuple[str, int], str] = {}

    def _normalised_sentence(self, index: int) -> str:
        """Sentence `index` (cut to _CHARS), normalised once per reply."""
        cache: dict[int, str] = self.scan.cache.setdefault("context-sentence", {})
        piece = cache.get(index)
        if piece is None:
            s = self._sentences[index]
            piece = cache[index] = _normalise_context(
                self.scan.scan[s.start : min(s.end, s.start + _CHARS)], self.scan.language
            )
        return piece

    def _neighbours(self, name: str, ignore: Lazy | None) -> str:
        at, count = self._at, len(self._sentences)
        if at < 0:
            return ""
        indices = {
            "previous": range(max(0, at - 1), at),
            "next": range(at + 1, min(at + 2, count)),
            "following": range(at + 1, min(at + 1 + _SPAN, count)),
            "reply": range(max(0, at - _SPAN), min(at + 1 + _SPAN, count)),
            "others": [*range(max(0, at - _SPAN), at), *range(at + 1, min(at + 1 + _SPAN, count))],
        }[name]
        pieces = (self._normalised_sentence(index) for index in indices)
        return " ".join(p for p in pieces if ignore is None or not self._found(ignore, p))

    def _found(self, pattern: Lazy, window: str) -> bool:
        """pattern.search(window), remembered per reply: the matches of one sentence share windows,
        and a long text that repeats itself repeats them."""
        memo: dict[tuple[int, str], bool] = self.scan.cache.setdefault("context-found", {})
        key = (id(pattern), window)
        found = memo.get(key)
        if found is None:
            if len(memo) > 4096:
                memo.clear()
            found = memo[key] = pattern.search(window) is not None
        return found

    def _raw(self, name: str) -> str:
        text = self.scan.scan
        if name == "sentence":
            return text[self._s_start : self._s_end]
        if name == "before":
            return text[self._s_start : self.start]
        if name == "after":
            return text[self.end : self._s_end]
        if name == "clause-before":
            before = text[self._s_start : self.start]
            boundary = self.scan.language.derived(_Boundary).pattern
            boundaries = [m.start() for m in boundary.finditer(before.lower())]
            return before[boundaries[-1] :] if boundaries else before
        if name == "clause-after":
            after = text[self.end : self._s_end]
            first = self.scan.language.derived(_Boundary).pattern.search(after.lower())
            return after[: first.start()] if first is not None else after
        raise ValueError(f"unknown context window {name!r}")

    def window(self, name: str, ignore: Lazy | None = None) -> str:
        if name not in self._NEIGHBOURS or name == "reply":
            ignore = None
        key = (name, id(ignore))
        window = self._windows.get(key)
        if window is None:
            neighbours = name in self._NEIGHBOURS
            window = (
                self._neighbours(name, ignore)
                if neighbours
                else _normalise_context(self._raw(name), self.scan.language)
            )
            self._windows[key] = window
        return window

    def any_cue(self, pattern: Lazy, windows: Iterable[str], ignore: Lazy | None = None) -> bool:
        return any(self._found(pattern, self.window(name, ignore)) for name in windows)
