"""Phrase data packed for the disk cache, and unpacked again."""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import Any

# spaCy's hashes are unsigned 64-bit integers: the standard library's array packs and unpacks them
# in C, without importing numpy (a third of `import tonecheck` when this module did)
_HASH = "Q"
_HASH_BYTES = array(_HASH).itemsize


def _pack_phrases(data: dict[str, Any]) -> dict[str, Any]:
    """Phrase data for the disk cache, its ~16,000 hash sequences as one flat array per key and
    phrase length: unpickling them as tuples of large ints took longer than building the rest of
    the engine, and arrays turn back into lists in one call each."""
    keywords = []
    for key, phrases in data["keywords"]:
        by_length: dict[int, list[int]] = {}
        for phrase in phrases:
            by_length.setdefault(len(phrase), []).extend(phrase)
        keywords.append((key, [(length, array(_HASH, flat).tobytes()) for length, flat in by_length.items()]))
    bigrams = array(_HASH, [number for pair in sorted(data["bigrams"]) for number in pair]).tobytes()
    return {**data, "keywords": keywords, "bigrams": bigrams}


def _rows(raw: bytes, width: int) -> list[list[int]]:
    flat = array(_HASH)
    flat.frombytes(raw)
    numbers = flat.tolist()
    return [numbers[at : at + width] for at in range(0, len(numbers), width)]


class PackedPhrases:
    """A key's phrases as the cache holds them, one flat array of hashes per length, read only
    when iterated. The engine reads them once, to build its phrase index when a reply first
    needs it (often never in a short-lived process); unpacked at load, the phrases of the
    default rules took 44 ms and 18 MiB in every process."""

    __slots__ = ("_groups",)

    def __init__(self, groups: list[tuple[int, bytes]]) -> None:
        self._groups = groups

    def __iter__(self) -> Iterator[list[int]]:
        for length, raw in self._groups:
            yield from _rows(raw, length)

    def __len__(self) -> int:
        return sum(len(raw) // (length * _HASH_BYTES) for length, raw in self._groups)


def _unpack_phrases(packed: dict[str, Any]) -> dict[str, Any]:
    keywords = [(key, PackedPhrases(groups)) for key, groups in packed["keywords"]]
    return {**packed, "keywords": keywords, "bigrams": set(map(tuple, _rows(packed["bigrams"], 2)))}
