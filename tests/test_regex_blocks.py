"""A long text's regular-expression rules are scanned block by block (the engine's `_BLOCKWISE`):
each block between blank lines only by the sources whose literal gate it passes. That must find
what scanning the whole text finds, and must leave the other blocks unscanned, or it only costs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tonecheck._anatomy import analyse
from tonecheck._config import Config
from tonecheck._engine import linter
from tonecheck._engine.linter import Engine

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(Config(preview=True))


def _long_text(minimum: int) -> str:
    """Labelled replies of every category joined by blank lines, as an export would (those with
    quoted history left out: after it, the rest of the text would be history too)."""
    texts: list[str] = []
    size = 0
    for line in (ROOT / "corpora" / "labelled.jsonl").read_text(encoding="utf-8").splitlines():
        reply = json.loads(line)["text"]
        if analyse(reply).foreign:
            continue
        texts.append(reply)
        size += len(texts[-1]) + 2
        if size > minimum:
            break
    return "\n\n".join(texts)


def _findings(engine: Engine, text: str) -> list[tuple[str, int, int]]:
    return [(f.code, f.start, f.end) for f in engine.check(text, mode="draft").findings]


def test_a_long_text_scanned_block_by_block_gives_the_findings_of_one_scan(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _long_text(60_000)
    assert len(text) > linter._BLOCKWISE
    by_block = _findings(engine, text)
    assert {code for code, _, _ in by_block} >= {"NEG003", "NEG030", "PAG011", "PAG012", "PAG019", "TPL003"}
    monkeypatch.setattr(linter, "_BLOCKWISE", len(text) + 1)
    assert _findings(engine, text) == by_block


def test_a_block_is_scanned_only_by_the_sources_its_gate_lets_through(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    filler = "Your parcel left the depot this morning and should arrive on Thursday."
    asked = "Please read the FAQ before contacting us."
    blocks = [filler] * 400
    blocks[200] = asked
    text = "\n\n".join(blocks)
    assert len(text) > linter._BLOCKWISE
    start = text.index(asked)
    scanned: list[tuple[int, int]] = []
    sources = set(next(patterns for code, patterns, _, _ in engine.rule_regex if code == "PAG019"))
    leftmost_first = linter._leftmost_first

    def recording(patterns, text, start, end, timeout):  # type: ignore[no-untyped-def]
        if sources.issuperset(patterns):
            scanned.append((start, end))
        return leftmost_first(patterns, text, start, end, timeout)

    monkeypatch.setattr(linter, "_leftmost_first", recording)
    found = [f for f in engine.check(text, mode="draft").findings if f.code == "PAG019"]
    assert scanned == [(start, start + len(asked))]
    assert [text[f.start : f.end] for f in found] == ["read the FAQ before contacting us"]
    assert found[0].start == start + len("Please ")
