"""Whether a reply can hold any phrase match at all, told without tokenizing it.

With the default rules about 96% of real replies match no phrase, yet tokenizing them and running
the PhraseMatcher (and its view over skipped words) was the largest share of `check()`. A phrase
matches only tokens whose NORMs are its words, and a token's NORM comes from its own text: the
text itself (the reply is tokenized lower-cased), a tokenizer special case ("ca" of "can't" is
"can") or spaCy's base norms ("’" is "'"). So wherever a phrase matches, the lower-cased reply
holds, for each word of the phrase, one of the texts that give it its NORM. The gate keeps up to
three rare words of each phrase; a reply that lacks one of them in every phrase is not tokenized.

Words alone let through many replies where a phrase is all common words (of the speed
benchmark's replies, one in eight holds "we" or "i", "can" and "not"; one in twenty-four "can't",
"cannot" or "can not" as well). So the gate also takes one pair of words that follow each other
in the phrase, and looks for them next to each other (only in replies that hold the phrase's
words): between two tokens of a match there is only whitespace, or, in the view that skips words,
skippable words and commas. A pattern of the pair's texts with just those between them therefore
finds every match of the pair, and a few more.

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
import itertools
import operator
import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from .._text import _WORD_RUN, word_runs


class Form(NamedTuple):
    """A text a token with some NORM can have; `inside_words`: it may be a piece of a longer run
    of word characters (a special case's token), so it is looked for without word boundaries;
    `within`: the special case's whole text, where the piece comes from one."""

    text: str
    inside_words: bool
    within: str = ""


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
            piece = Form(token.orth_.lower(), inside_words=True, within=special.lower())
            inverse.setdefault(token.norm_, set()).add(piece)

    def forms(norm: str) -> frozenset[Form]:
        return frozenset({Form(norm, inside_words=False), *inverse.get(norm, ())})

    return forms


class PhraseGate:
    """Whether a lower-cased reply may hold a match of any of the phrases the gate was built from.

    Of each phrase the gate takes up to three of its rarest words (one of a language's `common`
    words is never rarer than one that is not; then a word found only as a whole word; then the
    longest) and lets a reply through when all of them are in it, as texts that give them their
    NORMs, and, for a phrase of two words or more, its rarest pair of neighbours is next to each
    other (`skippable`: the NORMs a match may skip). A text of word characters is in the reply
    when it is one of the reply's runs of word characters (a set lookup); a special case's piece
    where its special case is (see `_presence`); any other text (one holding punctuation,
    "net-30", "n't") when it is anywhere in the reply: a substring test, which may let more
    through, never less.

    `may_match` reads the text the tokenizer reads: a pair is looked for as it is tokenized."""

    __slots__ = (
        "_all_words",
        "_anchor_runs",
        "_elsewhere",
        "_gap",
        "_mask_of_run",
        "_not_outside",
        "_odd_anchors",
        "_outside",
        "_pair_patterns",
        "_pair_texts",
        "_pairs_of",
        "_reducible",
        "_runs",
        "_sets_by_run",
        "_short_patterns",
        "_skip_patterns",
        "_skip_words",
    )

    def __init__(
        self,
        phrases: Iterable[tuple[str, ...]],
        forms: Forms,
        *,
        common: frozenset[str] = frozenset(),
        frequent: frozenset[str] = frozenset(),
        skippable: Iterable[str] = (),
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
                -len({(form.text, form.inside_words) for form in found}),
            )

        def pair_rarity(pair: tuple[str, str]) -> tuple[int, int, int, int]:
            """Two words seldom next to each other: neither common, then neither short ("can"
            "not" before "we" "can")."""
            classes = sorted(0 if norm in common else 1 if norm in frequent else 2 for norm in pair)
            return (classes[0], classes[1], min(map(len, pair)), sum(map(len, pair)))

        number: dict[str, int] = {}  # each chosen word's NORM, numbered
        pair_number: dict[tuple[str, str], int] = {}  # each chosen pair, numbered
        # the rarest word -> the words each phrase needs -> the pairs, one of which it needs (None: none)
        by_anchor: dict[int, dict[frozenset[int], frozenset[int] | None]] = {}
        for phrase in phrases:
            for norm in set(phrase) - by_norm.keys():
                by_norm[norm] = forms(norm)
                if any(not form.text for form in by_norm[norm]):
                    raise ValueError(f"a NORM with an empty text: {norm!r}")
            # (ties go by the text, so that every process picks the same words)
            rarest = sorted(sorted(set(phrase)), key=rarity, reverse=True)[:3]
            chosen = [number.setdefault(norm, len(number)) for norm in rarest]
            neighbours = sorted(set(itertools.pairwise(phrase)))
            pair = pair_number.setdefault(max(neighbours, key=pair_rarity), len(pair_number)) if neighbours else None
            of_anchor = by_anchor.setdefault(chosen[0], {})
            words = frozenset(chosen)
            if words in of_anchor:
                before = of_anchor[words]
                of_anchor[words] = None if before is None or pair is None else before | {pair}
            else:
                of_anchor[words] = None if pair is None else frozenset({pair})

        def redundant(words: frozenset[int], pairs: frozenset[int] | None, sets: dict[frozenset[int], Any]) -> bool:
            """Whether another word set of the anchor lets through all this one does: fewer words,
            and no pair, or every pair of this one."""
            return any(
                other < words and (needed is None or (pairs is not None and pairs <= needed))
                for other, needed in sets.items()
            )

        sets_of = {
            anchor: tuple((words, pairs) for words, pairs in sets.items() if not redundant(words, pairs, sets))
            for anchor, sets in by_anchor.items()
        }
        self._pair_texts = _pair_texts(pair_number, by_norm)
        self._gap, self._skip_words = _gap(skippable, forms)
        self._skip_patterns: dict[str, re.Pattern[str]] = {}
        # the pairs none of whose texts can overlap a skippable word in a reply: looked for in a
        # reply with skippable words by their short pattern, in the reply with those words made
        # spaces (see _reduced); none where a skippable word is no whole word
        skip_words = self._skip_words
        self._reducible = frozenset(
            index
            for pair, index in pair_number.items()
            if skip_words is not None
            and not any(_may_overlap(form, skip_words) for norm in pair for form in by_norm[norm])
        )
        self._pair_patterns: dict[int, re.Pattern[str]] = {}
        self._short_patterns: dict[int, re.Pattern[str]] = {}
        # Each chosen word is a bit; a word set is the mask of its words, and the words a reply
        # holds are one mask: a set is in the reply when its mask has no bit the reply's lacks.
        by_run: dict[str, int] = {}
        elsewhere: dict[int, set[str]] = {}
        for norm, index in number.items():
            for form in by_norm[norm]:
                text, whole = _presence(form)
                if whole:
                    by_run[text] = by_run.get(text, 0) | 1 << index
                else:
                    elsewhere.setdefault(index, set()).add(text)
        self._mask_of_run = by_run
        self._runs = frozenset(by_run)
        self._elsewhere = {index: tuple(sorted(texts)) for index, texts in elsewhere.items()}
        self._outside = _mask(self._elsewhere)  # the words with a text that is no run of word characters
        self._all_words = _mask(number.values())
        self._not_outside = self._all_words ^ self._outside  # (positive, as `absent` in may_match)

        # the pairs a word set needs, one of them (a set without: none)
        pairs_of: dict[int, frozenset[int] | None] = {}
        for word_sets in sets_of.values():
            for word_set, needed in word_sets:
                mask = _mask(word_set)
                known = pairs_of.get(mask, frozenset())
                pairs_of[mask] = None if needed is None or known is None else known | needed
        self._pairs_of = {mask: tuple(sorted(pairs)) for mask, pairs in pairs_of.items() if pairs is not None}

        def sets_and_outside(anchors: Iterable[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
            """The masks of the word sets of these anchors, and those of them with a word that may
            be in the reply outside its runs."""
            masks = sorted({_mask(words) for anchor in anchors for words, _ in sets_of[anchor]})
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
        runs = word_runs(lowered) if runs is None else runs
        found = self._runs.intersection(runs)
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
        # (a positive mask: & of two positive ints reads the shorter, of a negative one copies it)
        absent = self._all_words ^ present
        candidates = [*map(self._sets_by_run.__getitem__, anchored), *(sets for _, sets in odd)]
        pairs_found: dict[int, Any] = {}  # each pair looked for in this reply
        pairs_of = self._pairs_of
        for masks, _ in candidates:
            for needs in masks:
                if not needs & absent and self._has_a_pair(pairs_of.get(needs), lowered, pairs_found, runs):
                    return True
        # a set whose missing words may be in the reply outside its runs: looked for there, each
        # word once
        not_outside = self._not_outside
        elsewhere = self._elsewhere
        outside_found: dict[int, bool] = {}

        def found_outside(index: int) -> bool:
            if index not in outside_found:
                outside_found[index] = any(text in lowered for text in elsewhere[index])
            return outside_found[index]

        for _, outside_masks in candidates:
            for needs in outside_masks:
                missing = needs & absent
                if (
                    not missing & not_outside
                    and all(map(found_outside, _bits(missing)))
                    and self._has_a_pair(pairs_of.get(needs), lowered, pairs_found, runs)
                ):
                    return True
        return False

    def _has_a_pair(self, pairs: tuple[int, ...] | None, lowered: str, found: dict[int, Any], runs: list[str]) -> bool:
        """Whether one of the pairs is in the reply (None: the word set needs none); `found`
        remembers what was looked for in this reply (and, under _SKIPPED, whether its `runs`
        hold a skippable word; under _REDUCED, the reply with its skippable words made spaces)."""
        if pairs is None:
            return True
        for pair in pairs:
            if pair not in found:
                skipped = found.get(_SKIPPED)
                if skipped is None:
                    skipped = found[_SKIPPED] = self._skip_words is None or not self._skip_words.isdisjoint(runs)
                if not skipped:
                    found[pair] = self._short_pattern(pair).search(lowered) is not None
                elif pair in self._reducible and len(lowered) <= REDUCED_UP_TO:
                    found[pair] = self._short_pattern(pair).search(self._reduced(lowered, found, runs)) is not None
                else:
                    found[pair] = self._pair_pattern(pair).search(lowered) is not None
            if found[pair]:
                return True
        return False

    def _reduced(self, lowered: str, found: dict[int, Any], runs: list[str]) -> str:
        """The reply with each skippable word made one space, once per reply. Each is one item of
        a pair's gap, as a space is, and every other character stays, so a pair none of whose
        texts can overlap a skippable word is in the reply, by its whole pattern, exactly where
        its short pattern finds it here; the short pattern compiles ten times faster (a fresh
        process compiled 300 whole patterns in 0.3 s for the speed benchmark's replies). The words
        go one at a time, each by a pattern that opens with its first letter, which `re` skips
        to: one alternation of them all took 14 us a reply, these 6."""
        reduced: str | None = found.get(_REDUCED)
        if reduced is None:
            assert self._skip_words is not None  # (only then is a pair reducible)
            reduced = lowered
            for word in sorted(self._skip_words.intersection(runs)):
                pattern = self._skip_patterns.get(word)
                if pattern is None:
                    pattern = self._skip_patterns[word] = re.compile(_form_pattern(Form(word, inside_words=False)))
                reduced = pattern.sub(" ", reduced)
            found[_REDUCED] = reduced
        return reduced

    def _pair_pattern(self, pair: int) -> re.Pattern[str]:
        """A pair's whole pattern, compiled on first use (most are never needed, and the gate is
        cached on disk without them)."""
        pattern = self._pair_patterns.get(pair)
        if pattern is None:
            pattern = self._pair_patterns[pair] = re.compile(_pair_source(self._pair_texts[pair], self._gap))
        return pattern

    def _short_pattern(self, pair: int) -> re.Pattern[str]:
        """A pair's pattern for a reply without skippable words: only whitespace and commas
        between its words. Its gap is a character class, so it compiles ten times faster than
        the whole pattern (0.1 against 0.8 ms). A process that checks the speed benchmark's 2,000
        replies needs about 300 pairs, and compiling them with the skippable words spelt out took
        0.57 s."""
        pattern = self._short_patterns.get(pair)
        if pattern is None:
            pattern = self._short_patterns[pair] = re.compile(_pair_source(self._pair_texts[pair], r"[\s,]"))
        return pattern


GAP_ITEMS = 8  # whitespace characters, commas and skippable words looked at between a pair's words
# characters: a longer text is searched with the whole patterns, as making its skippable words
# spaces rescans all of it once per word it holds (the speed benchmark's 1 MB text: 0.11 s)
REDUCED_UP_TO = 2_000


_SKIPPED = -1  # where a reply's `found` keeps whether the reply holds a skippable word
_REDUCED = -2  # and the reply with its skippable words made spaces (see PhraseGate._reduced)


def _pair_texts(
    pair_number: dict[tuple[str, str], int], by_norm: dict[str, frozenset[Form]]
) -> tuple[tuple[str, str], ...]:
    """Each pair's patterns of the texts of its first and its second word."""

    def texts(norm: str) -> str:
        return "(?:" + "|".join(sorted(set(map(_form_pattern, by_norm[norm])), key=lambda p: (-len(p), p))) + ")"

    found = [("", "")] * len(pair_number)
    for (first, second), index in pair_number.items():
        found[index] = (texts(first), texts(second))
    return tuple(found)


def _gap(skippable: Iterable[str], forms: Forms) -> tuple[str, frozenset[str] | None]:
    """What may stand between a pair's words, one item at a time: whitespace, a comma or a
    skippable word; and the skippable words, when all are whole words (a reply holds one only as
    a run of its word characters; None: a word is looked for elsewhere, so never assumed absent)."""
    skipped = sorted({form for norm in skippable for form in forms(norm)})
    words = [form.text for form in skipped if _whole_word(form)]
    others = [re.escape(form.text) for form in skipped if not _whole_word(form)]
    # (one boundary test around all the whole words, not one each: 2.4 times faster to compile)
    whole = rf"(?<!\w)(?:{'|'.join(map(re.escape, words))})(?!\w)" if words else ""
    gap = "(?:" + "|".join(filter(None, [r"[\s,]", whole, *others])) + ")"
    return gap, None if others else frozenset(words)


def _pair_source(texts: tuple[str, str], gap: str) -> str:
    """A pair's pattern: a text of its first word, then up to GAP_ITEMS items of the gap, then a
    text of its second. Past GAP_ITEMS of those between them, the pair counts as found: then each
    place the first word is found costs a bounded look ahead, and a text made of skippable words
    ("just just just ...") stays linear."""
    first, second = texts
    return f"{first}(?:{gap}{{0,{GAP_ITEMS}}}{second}|{gap}{{{GAP_ITEMS + 1}}})"


def _form_pattern(form: Form) -> str:
    """A form as a pattern: a whole-word form only as a whole run of word characters. (Its
    first character comes before the test of the one before it, so that the pattern opens with
    characters `re` can look for: 8 times faster.)"""
    if not _whole_word(form):
        return re.escape(form.text)
    first, rest = re.escape(form.text[0]), re.escape(form.text[1:])
    return rf"{first}(?<!\w.){rest}(?!\w)"


def _may_overlap(form: Form, skip_words: frozenset[str]) -> bool:
    """Whether the form, found in a reply, may share characters with a skippable word there (a
    whole run of word characters). A whole-word form only by being one. Any other only through
    a run of word characters of its own: one between two other characters is a whole run there
    too; one that opens the form ends a run ("it" of "it'"), one that closes it opens a run ("ve"
    of "'ve"), and one that is all of the form lies inside a run ("ca" of "can't")."""
    if _whole_word(form):
        return form.text in skip_words
    text = form.text
    for run in _WORD_RUN.finditer(text):
        piece, opens, closes = run.group(), run.start() == 0, run.end() == len(text)
        for word in skip_words:
            if (
                (opens and closes and piece in word)
                or (opens and not closes and word.endswith(piece))
                or (closes and not opens and word.startswith(piece))
                or piece == word
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


def _presence(form: Form) -> tuple[str, bool]:
    """What shows the form is in a reply: a text, and whether it is a whole run of word
    characters there (a set lookup) or a substring. A special case's piece made of word characters
    is in a reply only where the special case's whole text is, as the tokenizer reads it: "ca" of
    "can't" where "can't" is (not in every "call"), "can" of "cannot" where the run "cannot" is,
    and "we" of "we're" where the run "we" is. A piece with other characters ("n't") is rare
    enough as it is."""
    if _whole_word(form):
        return form.text, True
    if not form.within or _WORD_RUN.fullmatch(form.text) is None:
        return form.text, False
    if form.text in word_runs(form.within):
        return form.text, True
    return form.within, _WORD_RUN.fullmatch(form.within) is not None


def _whole_word(form: Form) -> bool:
    """Whether the form is a token only as a whole run of word characters."""
    return not form.inside_words and _WORD_RUN.fullmatch(form.text) is not None
