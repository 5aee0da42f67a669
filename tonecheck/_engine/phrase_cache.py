"""Phrase data packed for the disk cache, and unpacked again."""

from __future__ import annotations

from typing import Any

import numpy


def _pack_phrases(data: dict[str, Any]) -> dict[str, Any]:
    """Phrase data for the disk cache, its ~16,000 hash sequences as one flat array per key and
    phrase length: unpickling them as tuples of large ints took longer than building the rest of
    the engine, and arrays turn back into lists in one numpy call each."""
    keywords = []
    for key, phrases in data["keywords"]:
        by_length: dict[int, list[int]] = {}
        for phrase in phrases:
            by_length.setdefault(len(phrase), []).extend(phrase)
        keywords.append(
            (key, [(length, numpy.array(flat, dtype=numpy.uint64).tobytes()) for length, flat in by_length.items()])
        )
    bigrams = numpy.array(sorted(data["bigrams"]), dtype=numpy.uint64).tobytes()
    return {**data, "keywords": keywords, "bigrams": bigrams}


def _unpack_phrases(packed: dict[str, Any]) -> dict[str, Any]:
    def rows(raw: bytes, width: int) -> list[list[int]]:
        return numpy.frombuffer(raw, dtype=numpy.uint64).reshape(-1, width).tolist()

    keywords = [
        (key, [phrase for length, raw in groups for phrase in rows(raw, length)]) for key, groups in packed["keywords"]
    ]
    return {**packed, "keywords": keywords, "bigrams": set(map(tuple, rows(packed["bigrams"], 2)))}
