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

import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from .._text import word_runs


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

    __slots__ = ("_by_anchor", "_by_run", "_elsewhere", "_odd_anchors", "_outside", "_runs")

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
        self._by_anchor = {
            anchor: tuple(needs for needs in sets if not any(other < needs for other in sets))
            for anchor, sets in by_anchor.items()
        }
        by_run: dict[str, set[int]] = {}
        elsewhere: dict[int, set[str]] = {}
        for norm, index in number.items():
            for form in by_norm[norm]:
                if _whole_word(form):
                    by_run.setdefault(form.text, set()).add(index)
                else:
                    elsewhere.setdefault(index, set()).add(form.text)
        self._by_run = {text: frozenset(indices) for text, indices in by_run.items()}
        self._runs = frozenset(by_run)
        self._elsewhere = {index: tuple(sorted(texts)) for index, texts in elsewhere.items()}
        self._outside = frozenset(self._elsewhere)  # the words with a text that is no run of word characters
        # anchors with a text that is no run of word characters: looked for in every reply
        self._odd_anchors = tuple(
            (text, index) for index in sorted(self._by_anchor) for text in self._elsewhere.get(index, ())
        )

    def may_match(self, lowered: str, runs: list[str] | None = None) -> bool:
        """`runs`: word_runs(lowered), when the caller has them."""
        present: set[int] = set()
        by_run = self._by_run
        for run in self._runs.intersection(word_runs(lowered) if runs is None else runs):
            present |= by_run[run]
        for text, index in self._odd_anchors:
            if text in lowered:
                present.add(index)
        if not present:
            return False
        elsewhere = self._elsewhere
        found: dict[int, bool] = {}  # words looked for outside the runs, this reply

        def found_elsewhere(index: int) -> bool:
            answer = found.get(index)
            if answer is None:
                answer = found[index] = any(text in lowered for text in elsewhere.get(index, ()))
            return answer

        by_anchor = self._by_anchor
        outside = self._outside
        for word in [word for word in present if word in by_anchor]:
            for needs in by_anchor[word]:
                missing = needs - present
                # (a missing word that is only ever a run of word characters is not in the reply)
                if missing <= outside and all(map(found_elsewhere, missing)):
                    return True
        return False


def _whole_word(form: Form) -> bool:
    """Whether the form is a token only as a whole run of word characters."""
    return not form.inside_words and _WORD_RUN.fullmatch(form.text) is not None


_WORD_RUN = re.compile(r"\w+")
