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
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from .._anatomy import Sentence, sentences
from .._detectors.base import Scan
from .._language import Language, words_regex
from .._lazy import Lazy
from .._ruleset.load import CueSet, RuleSet
from .._ruleset.phrase_language import to_regex
from .._text import _normalise_context, _normalise_words
from .literals import Gate

_SPAN = 8  # sentences: how far "following" and "reply" reach
_CHARS = 600  # characters: how far any window reaches from the match, and how long a sentence in it may be


class _Boundary:
    """Where one clause of a sentence ends and another begins, in one language: punctuation and
    dashes, and the language's clause words (language.yml, `clauses.boundaries`). Commas are no
    boundary: "if you can't log in, we can't see the account" is one condition and its clause."""

    def __init__(self, language: Language) -> None:
        words = words_regex(language.data.clauses.boundaries, r"\s+")
        self.pattern = Lazy(r"[;:\u2013\u2014]|\s-+\s|\b" + words + r"\b")


class Cue:
    """A cue pattern, searched in windows (lower-cased: no case folding is needed) after a test
    of its literal gate (see literals.py): most windows hold none of the words a cue needs, and
    a substring test of each is several times faster than the search."""

    __slots__ = ("_gate", "pattern")

    def __init__(self, source: str, literal_gate: Gate | None) -> None:
        """`literal_gate`: gate(source), which the engine keeps in its cache (reading it from a
        long source takes milliseconds)."""
        self.pattern = Lazy(source)
        self._gate = literal_gate

    @property
    def source(self) -> str:
        return self.pattern.source

    def found_in(self, window: str) -> bool:
        if self._gate is not None and not self._gate.may_match(window, window):
            return False
        return self.pattern.search(window) is not None


def cue_set_parts(ruleset: RuleSet, cue_set: CueSet, language: Language) -> list[str]:
    """A cue set's patterns: one for its phrases as whole words (any run of spaces between
    words), one per regular expression. Joined by "|", they are the set's one pattern."""
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
    return parts


def _own_sentences(scan: Scan) -> tuple[list[Sentence], list[int]]:
    cached = scan.cache.get("context-sentences")
    if cached is None:
        found = sentences(scan.scan, 0, len(scan.scan))
        cached = scan.cache["context-sentences"] = (found, [s.start for s in found])
    return cached


def _normalised_sentence(scan: Scan, found: list[Sentence], index: int) -> str:
    """Sentence `index` (cut to _CHARS), normalised once per reply."""
    cache: dict[int, str] = scan.cache.setdefault("context-sentence", {})
    piece = cache.get(index)
    if piece is None:
        s = found[index]
        piece = cache[index] = _normalise_context(scan.scan[s.start : min(s.end, s.start + _CHARS)], scan.language)
    return piece


def _found(scan: Scan, cue: Cue, window: str) -> bool:
    """Whether the cue is in the window, remembered per reply: the matches of one sentence share
    windows, and a long text that repeats itself repeats them."""
    memo: dict[tuple[int, str], bool] = scan.cache.setdefault("context-found", {})
    key = (id(cue), window)
    found = memo.get(key)
    if found is None:
        if len(memo) > 4096:
            memo.clear()
        found = memo[key] = cue.found_in(window)
    return found


NEIGHBOURS = frozenset({"previous", "next", "following", "reply", "others"})


def neighbours(name: str, at: int, count: int) -> Sequence[int]:
    """The sentences of window `name` (one of NEIGHBOURS) around sentence `at` of `count`."""
    if name == "previous":
        return range(max(0, at - 1), at)
    if name == "next":
        return range(at + 1, min(at + 2, count))
    if name == "following":
        return range(at + 1, min(at + 1 + _SPAN, count))
    if name == "reply":
        return range(max(0, at - _SPAN), min(at + 1 + _SPAN, count))
    if name == "others":
        return [*range(max(0, at - _SPAN), at), *range(at + 1, min(at + 1 + _SPAN, count))]
    raise ValueError(f"not a window of neighbouring sentences: {name!r}")


# What may make a pattern's match depend on the text around it: anchors, word boundaries and
# lookaround. A pattern without them that matches a sentence matches any window holding it.
_LOOKS_AROUND = re.compile(r"[\^$]|\\[bBAZzGmM]|\(\?[=!<]")


def matches_within(pattern: Cue) -> bool:
    """Whether the pattern, found in a sentence, is found in every window that holds the
    sentence (read from its source, erring towards no)."""
    return _LOOKS_AROUND.search(pattern.source) is None


class SentenceVeto(NamedTuple):
    """A veto that reads only neighbouring sentences: `pattern` (see matches_within) in one of
    the `windows` (names in NEIGHBOURS), sentences holding one of the `ignore` patterns left out.
    (Those are the ignored cue sets' patterns one by one: a sentence is tested against each, and
    one alternation of anchored and unanchored patterns was twice as slow as the parts.)"""

    pattern: Cue
    windows: tuple[str, ...]
    ignore: tuple[Cue, ...]


def vetoed_everywhere(scan: Scan, vetoes: Sequence[SentenceVeto]) -> bool:
    """Whether one of the vetoes holds for a match in any sentence of the reply: then a rule
    they belong to reports nothing here, whatever matches. Told sentence by sentence (a piece
    found in one sentence is found in a window joining it with others), for each sentence a
    match can be read as in (the one whose start is the last before it: see Around)."""
    found, starts = _own_sentences(scan)
    if not found or not vetoes:
        return False
    count = len(found)
    pending = sorted({max(0, bisect.bisect_right(starts, start) - 1) for start in (0, *starts)})
    for veto in vetoes:
        held = _HeldIn(scan, found, veto)
        if "others" in veto.windows and count <= _SPAN + 1:
            # each sentence is in every other's "others" window: two that hold the veto are enough
            holding = (index for index in range(count) if held.kept(index))
            if next(holding, None) is not None and next(holding, None) is not None:
                return True
        pending = [at for at in pending if not any(held.in_window(name, at, count) for name in veto.windows)]
        if not pending:
            return True
    return False


class _HeldIn:
    """Which sentences hold a veto's pattern, each looked at once, on first use."""

    def __init__(self, scan: Scan, found: list[Sentence], veto: SentenceVeto) -> None:
        self._scan = scan
        self._found = found
        self._veto = veto
        self._anywhere: dict[int, bool] = {}
        self._kept: dict[int, bool] = {}

    def anywhere(self, index: int) -> bool:
        """The pattern is in sentence `index` (the "reply" window keeps every sentence)."""
        if index not in self._anywhere:
            piece = _normalised_sentence(self._scan, self._found, index)
            self._anywhere[index] = self._veto.pattern.found_in(piece)
        return self._anywhere[index]

    def kept(self, index: int) -> bool:
        """The pattern is in sentence `index` and no ignored cue is (as Around.window reads them)."""
        if index not in self._kept:
            piece = _normalised_sentence(self._scan, self._found, index)
            self._kept[index] = self.anywhere(index) and not any(cue.found_in(piece) for cue in self._veto.ignore)
        return self._kept[index]

    def in_window(self, name: str, at: int, count: int) -> bool:
        """Whether a sentence of window `name` around sentence `at` holds the veto. Sentences
        already read answer first, then the rest from the far end: the windows of sentences
        asked in order overlap, and one sentence read far ahead answers for the next several
        (a long text reads about one sentence in eight, not every one)."""
        read = self._anywhere if name == "reply" else self._kept
        test = self.anywhere if name == "reply" else self.kept
        window = neighbours(name, at, count)
        if any(read.get(index, False) for index in window):
            return True
        return any(test(index) for index in reversed(window) if index not in read)


class Around:
    """The windows around one match, each cut and normalised once, on first use."""

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
        return _normalised_sentence(self.scan, self._sentences, index)

    def _neighbours(self, name: str, ignore: Cue | None) -> str:
        if self._at < 0:
            return ""
        pieces = (self._normalised_sentence(index) for index in neighbours(name, self._at, len(self._sentences)))
        return " ".join(p for p in pieces if ignore is None or not self._found(ignore, p))

    def _found(self, pattern: Cue, window: str) -> bool:
        return _found(self.scan, pattern, window)

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

    def window(self, name: str, ignore: Cue | None = None) -> str:
        if name not in NEIGHBOURS or name == "reply":
            ignore = None
        key = (name, id(ignore))
        window = self._windows.get(key)
        if window is None:
            in_neighbours = name in NEIGHBOURS
            window = (
                self._neighbours(name, ignore)
                if in_neighbours
                else _normalise_context(self._raw(name), self.scan.language)
            )
            self._windows[key] = window
        return window

    def any_cue(self, pattern: Cue, windows: Iterable[str], ignore: Cue | None = None) -> bool:
        return any(self._found(pattern, self.window(name, ignore)) for name in windows)
