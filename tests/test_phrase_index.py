"""The phrase index (tonecheck/_engine/phrase_index.py) finds every phrase where spaCy's
PhraseMatcher over NORM would: the same (key, start, end) matches, in a documented order."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import NORM

from tonecheck._config import Config
from tonecheck._engine.linter import Engine, get_engine
from tonecheck._engine.phrase_index import PhraseIndex

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from speed import _spacy_phrase_matcher  # noqa: E402  (the speed benchmark's floor matcher)

_NORM = st.integers(min_value=1, max_value=5)  # few words: phrases overlap and share prefixes
_PHRASES = st.lists(
    st.tuples(st.integers(min_value=100, max_value=104), st.lists(st.lists(_NORM, min_size=1, max_size=5), max_size=6)),
    max_size=5,
)


def _every_match(phrases: list[tuple[int, list[list[int]]]], norms: list[int]) -> list[tuple[int, int, int]]:
    """Each phrase looked for at each position: by start, then length, then the order keys came in."""
    keys_of: dict[tuple[int, ...], list[int]] = {}
    for key, group in phrases:
        for phrase in group:
            keys = keys_of.setdefault(tuple(phrase), [])
            if key not in keys:
                keys.append(key)
    found = []
    for start in range(len(norms)):
        for end in range(start + 1, len(norms) + 1):
            found.extend((key, start, end) for key in keys_of.get(tuple(norms[start:end]), ()))
    return found


@settings(max_examples=300, deadline=None)
@given(phrases=_PHRASES, norms=st.lists(_NORM, max_size=20))
def test_the_index_finds_every_phrase_everywhere_in_order(
    phrases: list[tuple[int, list[list[int]]]], norms: list[int]
) -> None:
    assert PhraseIndex(phrases)(norms) == _every_match(phrases, norms)


def test_an_empty_phrase_is_refused() -> None:
    with pytest.raises(ValueError, match="empty phrase"):
        PhraseIndex([(1, [[]])])


@pytest.fixture(scope="module")
def engines() -> list[Engine]:
    return [get_engine(), Engine(Config(preview=True))]


def test_the_engines_index_matches_as_spacys_phrase_matcher_did(engines: list[Engine]) -> None:
    rows = [
        json.loads(line)
        for name in ("labelled.jsonl", "rewrites.jsonl")
        for line in (ROOT / "corpora" / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    texts = [row.get("text") or row["original"] for row in rows]
    for engine in engines:
        matcher = _spacy_phrase_matcher(engine)
        matched = 0
        for text in texts:
            doc = engine.nlp.tokenizer(text.lower())
            norms = doc.to_array([NORM]).tolist() if len(doc) else []
            expected = sorted(matcher(doc))
            assert sorted(engine.phrase_index(norms)) == expected, text
            matched += bool(expected)
        assert matched > len(texts) // 4  # (the corpora are full of phrases: the test compares matches)


def test_a_renewed_pipeline_keeps_the_index() -> None:
    engine = Engine(Config())
    text = "Hi Sam, as I said, the problem is on your end."
    before = engine.check(text, mode="draft")
    index = engine.phrase_index
    engine._renew_pipeline()
    assert engine.phrase_index is index
    assert engine.check(text, mode="draft") == before
    assert {f.code for f in before.findings} >= {"PAG002", "PAG012"}
