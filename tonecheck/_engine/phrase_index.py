"""Every phrase of every rule, found in a reply's NORMs in one pass.

Phrases are sequences of NORM hashes (see `Engine._compile_phrases`). This index finds each of them
wherever it occurs in a sequence of NORMs, as spaCy's PhraseMatcher over the NORM attribute
would, and gives the same matches (key, first token, end token). spaCy's matcher held the ~50,000
phrases of the default rules in a trie of hash maps of 45-50 MiB, built in 0.25 s; these
dictionaries take about 15 MiB, are built from hashes alone (no vocabulary: a renewed pipeline
keeps them), and read a list of NORMs, so the view over skipped words needs no Doc of its own.

The index is keyed by a phrase's first NORM, then by its second: at most tokens neither lookup
finds anything, and where both do, the rest of the phrase is one tuple lookup per length.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

# first NORM -> (keys of the one-word phrases, second NORM -> ((length of the rest, rest -> keys), ...))
_Rests = tuple[tuple[int, dict[tuple[int, ...], tuple[int, ...]]], ...]
_Entry = tuple[tuple[int, ...], dict[int, _Rests]]


class PhraseIndex:
    """`phrases`: (key, its phrases as sequences of NORM hashes) pairs; a key's matches carry it."""

    __slots__ = ("_index",)

    def __init__(self, phrases: Iterable[tuple[int, Iterable[Sequence[int]]]]) -> None:
        singles: dict[int, list[int]] = {}
        longer: dict[int, dict[int, dict[int, dict[tuple[int, ...], list[int]]]]] = {}
        same: dict[int, int] = {}  # one int object per hash: the phrases share their words
        for key, group in phrases:
            for phrase in group:
                if not phrase:
                    raise ValueError(f"an empty phrase for key {key}")
                norms = [same.setdefault(norm, norm) for norm in phrase]
                if len(norms) == 1:
                    keys = singles.setdefault(norms[0], [])
                else:
                    by_length = longer.setdefault(norms[0], {}).setdefault(norms[1], {})
                    keys = by_length.setdefault(len(norms) - 2, {}).setdefault(tuple(norms[2:]), [])
                if key not in keys:
                    keys.append(key)
        index: dict[int, _Entry] = {}
        for first in singles.keys() | longer.keys():
            seconds = {
                second: tuple(
                    (length, {rest: tuple(keys) for rest, keys in rests.items()})
                    for length, rests in sorted(by_length.items())
                )
                for second, by_length in longer.get(first, {}).items()
            }
            index[first] = (tuple(singles.get(first, ())), seconds)
        self._index = index

    def __call__(self, norms: Sequence[int]) -> list[tuple[int, int, int]]:
        """Every match in `norms`, as (key, first token, end token): by first token, then by
        length, a span's keys in the order they were given."""
        found: list[tuple[int, int, int]] = []
        count = len(norms)
        entry_of = self._index.get
        for at, first in enumerate(norms):
            entry = entry_of(first)
            if entry is None:
                continue
            singles, seconds = entry
            for key in singles:
                found.append((key, at, at + 1))
            if at + 1 == count:
                continue
            rests = seconds.get(norms[at + 1])
            if rests is None:
                continue
            for length, keys_of in rests:
                end = at + 2 + length
                if end > count:
                    break
                keys = keys_of.get(tuple(norms[at + 2 : end]))
                if keys is not None:
                    found.extend((key, at, end) for key in keys)
        return found
