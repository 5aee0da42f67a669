"""Whether a reply can hold any phrase match at all, told without tokenizing it.

With the default rules about 96% of real replies match no phrase, yet tokenizing them and running
the PhraseMatcher (and its view over skipped words) was the largest share of `check()`. A phrase
matches only tokens whose NORMs are its words, and a token's NORM comes from its own text: the
text itself (the reply is tokenized lower-cased), a tokenizer special case ("ca" of "can't" is
"can") or spaCy's base norms ("’" is "'"). So wherever a phrase matches, the lower-cased reply
holds, for each word of the phrase, one of the texts that give it its NORM. The gate keeps up to
three rare words of each phrase; a reply that lacks one of them in every phrase is not tokenized.

A token stops inside a run of word characters (`\\w`, as the tokenizer's affix rules read them)
only where a tokenizer special case splits it ("cannot" is "can" "not"): so a text of word
characters is in the reply only as a whole run of them ("port" is not in "support"), unless it is
a special case's piece ("ca" is in "can't").

This holds only where a token's NORM is read from its text alone: a pipeline with a norm table,
lemmas for NORMs or pipes of its own gets no gate (`surface_forms` gives None), and neither does
a reply whose lower case changes its length (the engine then tokenizes it as written).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from .._text import _WORD_RUN, word_runs


class Form(NamedTuple):
    """A text a token with some NORM can have; `inside_words`: it may be a piece of a longer run
    of word characters (a special case's token), so it is looked for without word boundaries."""

    text: str
    inside_words: bool


Forms = Callable[[str], frozenset[Form]]


def surface_forms(nlp: Any) -> Forms | None:
    """For a NORM, every lower-case text a token of this pipeline with that NORM can have; None
    when a token's NORM may depend on more than its text."""
    if getattr(nlp, "pipe_names", ()) or nlp.vocab.lookups.has_table("lexeme_norm"):
        return None
    try:
        from spacy.lang.norm_exceptions import BASE_NORMS
    except ImportError:
        return None
    inverse: dict[str, set[Form]] = {}
    for text in BASE_NORMS:
        lexeme = nlp.vocab[text.lower()]
        inverse.setdefault(lexeme.norm_, set()).add(Form(lexeme.orth_, inside_words=False))
    tokenizer = nlp.tokenizer
    for special in getattr(tokenizer, "rules", None) or {}:
        for token in tokenizer(special.lower()):
            inverse.setdefault(token.norm_, set()).add(Form(token.orth_.lower(), inside_words=True))

    def forms(norm: str) -> frozenset[Form]:
        return frozenset({Form(norm, inside_words=False), *inverse.get(norm, ())})

    return forms


class PhraseGate:
    """Whether a lower-cased reply may hold a match of any of the phrases the gate was built from.

    Of each phrase the gate takes up to three of its rarest words (one of a language's `common`
    words is never rarer than one that is not; then a word found only as a whole word; then the
    longest) and lets a reply through when all of them are in it, as texts that give them their
    NORMs. A text of word characters is in the reply when it is one of the reply's runs of word
    characters (a set lookup); any other text (a special case's piece, or one holding
    punctuation, "net-30") when it is anywhere in the reply: a substring test, which may let more
    through, never less."""

    __slots__ = ("_anchor_runs", "_elsewhere", "_mask_of_run", "_odd_anchors", "_outside", "_runs", "_sets_by_run")

    def __init__(
        self,
        phrases: Iterable[tuple[str, ...]],
        forms: Forms,
        *,
        common: frozenset[str] = frozenset(),
        frequent: frozenset[str] = frozenset(),
    ) -> None:
        by_norm: dict[str, frozenset[Form]] = {}

        def rarity(norm: str) -> tuple[int, bool, int, int]:
            found = by_norm[norm]
            texts = {form.text for form in found}
            whole = all(_whole_word(form) for form in found)
            # a word with a text that is no whole run of word characters ("," "-" "m" of "I'm") is
            # looked for as a substring: in nearly every reply, and by a scan of its own
            return (
                0 if texts & common or not whole else 1 if texts & frequent else 2,
                whole,
                min(len(form.text) for form in found),
                -len(found),
            )

        number: dict[str, int] = {}  # each chosen word's NORM, numbered
        by_anchor: dict[int, set[frozenset[int]]] = {}  # the rarest word -> the words each phrase needs
        for phrase in phrases:
            for norm in set(phrase) - by_norm.keys():
                by_norm[norm] = forms(norm)
                if any(not form.text for form in by_norm[norm]):
                    raise ValueError(f"a NORM with an empty text: {norm!r}")
            # (ties go by the text, so that every process picks the same words)
            rarest = sorted(sorted(set(phrase)), key=rarity, reverse=True)[:3]
            chosen = [number.setdefault(norm, len(number)) for norm in rarest]
            by_anchor.setdefault(chosen[0], set()).add(frozenset(chosen))
        # of an anchor's word sets, one that holds another lets through nothing more
        sets_of = {
            anchor: tuple(needs for needs in sets if not any(other < needs for other in sets))
            for anchor, sets in by_anchor.items()
        }
        # Each chosen word is a bit; a word set is the mask of its words, and the words a reply
        # holds are one mask: a set is in the reply when its mask has no bit the reply's lacks.
        by_run: dict[str, int] = {}
        elsewhere: dict[int, set[str]] = {}
        for norm, index in number.items():
            for form in by_norm[norm]:
                if _whole_word(form):
                    by_run[form.text] = by_run.get(form.text, 0) | 1 << index
                else:
                    elsewhere.setdefault(index, set()).add(form.text)
        self._mask_of_run = by_run
        self._runs = frozenset(by_run)
        self._elsewhere = {index: tuple(sorted(texts)) for index, texts in elsewhere.items()}
        self._outside = _mask(self._elsewhere)  # the words with a text that is no run of word characters

        def sets_and_outside(anchors: Iterable[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
            """The masks of the word sets of these anchors, and those of them with a word that may
            be in the reply outside its runs."""
            masks = sorted({_mask(needs) for anchor in anchors for needs in sets_of[anchor]})
            return tuple(masks), tuple(m for m in masks if m & self._outside)

        # the anchors' word sets by the anchors' texts that are runs of word characters
        self._sets_by_run = {
            text: sets_and_outside(anchors)
            for text, mask in by_run.items()
            if (anchors := [index for index in sets_of if mask >> index & 1])
        }
        self._anchor_runs = frozenset(self._sets_by_run)
        # anchors with a text that is no run of word characters ("net-30"): looked for in every reply,
        # grouped by their start up to their first character that is no letter ("net-"), looked for
        # first ("-" alone is in most replies)
        odd: dict[str, list[tuple[str, int, tuple[tuple[int, ...], tuple[int, ...]]]]] = {}
        for index in sorted(sets_of):
            for text in self._elsewhere.get(index, ()):
                odd.setdefault(_odd_key(text), []).append((text, 1 << index, sets_and_outside([index])))
        self._odd_anchors = tuple((key, tuple(items)) for key, items in sorted(odd.items()))

    def may_match(self, lowered: str, runs: list[str] | None = None) -> bool:
        """`runs`: word_runs(lowered), when the caller has them."""
        found = self._runs.intersection(word_runs(lowered) if runs is None else runs)
        anchored = self._anchor_runs.intersection(found)
        odd = [
            (bit, sets)
            for key, items in self._odd_anchors
            if key in lowered
            for text, bit, sets in items
            if text in lowered
        ]
        if not anchored and not odd:
            return False
        # the chosen words in the reply as runs of word characters, and the anchors found elsewhere
        present = functools.reduce(operator.or_, map(self._mask_of_run.__getitem__, found), 0)
        for bit, _ in odd:
            present |= bit
        absent = ~present
        candidates = [*map(self._sets_by_run.__getitem__, anchored), *(sets for _, sets in odd)]
        for masks, _ in candidates:
            for needs in masks:
                if not needs & absent:
                    return True
        # a set whose missing words may be in the reply outside its runs: looked for there
        not_outside = ~self._outside
        elsewhere = self._elsewhere
        for _, outside_masks in candidates:
            for needs in outside_masks:
                missing = needs & absent
                if not missing & not_outside and all(
                    any(text in lowered for text in elsewhere[index]) for index in _bits(missing)
                ):
                    return True
        return False


def _mask(indices: Iterable[int]) -> int:
    mask = 0
    for index in indices:
        mask |= 1 << index
    return mask


def _bits(mask: int) -> Iterable[int]:
    """The indices of the bits set in the mask."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _odd_key(text: str) -> str:
    """The text up to and with its first character that is no letter a-z ("net-" of "net-30")."""
    for index, char in enumerate(text):
        if not "a" <= char <= "z":
            return text[: index + 1]
    return text


def _whole_word(form: Form) -> bool:
    """Whether the form is a token only as a whole run of word characters."""
    return not form.inside_words and _WORD_RUN.fullmatch(form.text) is not None
