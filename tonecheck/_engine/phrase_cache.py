"""Phrase data packed for the disk cache, and unpacked again."""

from __future__ import annotations

from array import array
from typing import Any

# spaCy's hashes are unsigned 64-bit integers: the standard library's array packs and unpacks them
# in C, without importing numpy (a third of `import tonecheck` when this module did)
_HASH = "Q"


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


def _unpack_phrases(packed: dict[str, Any]) -> dict[str, Any]:
    def rows(raw: bytes, width: int) -> list[list[int]]:
        flat = array(_HASH)
        flat.frombytes(raw)
        numbers = flat.tolist()
        return [numbers[at : at + width] for at in range(0, len(numbers), width)]

    keywords = [
        (key, [phrase for length, raw in groups for phrase in rows(raw, length)]) for key, groups in packed["keywords"]
    ]
    return {**packed, "keywords": keywords, "bigrams": set(map(tuple, rows(packed["bigrams"], 2)))}
