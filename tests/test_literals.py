"""Literal gates of regular expressions (tonecheck/_engine/literals.py): a pattern is skipped on a
reply that holds none of its gate strings, so a gate must never say no where the pattern matches."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import regex

import tonecheck
from tonecheck._engine.linter import get_engine
from tonecheck._engine.literals import Gate, Gates, gate
from tonecheck._ruleset.schema import RegexRule

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("source", "flags", "expected"),
    [
        (r"\bTBD\b:?", 0, Gate(("TBD",), ())),
        (r"(?=X)(?<![\w#-])X{3,}(?![\w-])", 0, Gate(("X",), ())),
        # the group whose shortest string is longest; NUMBER holds NUM, so NUM is enough
        (r"(?:CUSTOMER|ORDER)_?(?:NAMES?|NUMBER|NUM)\b", 0, Gate(("CUSTOMER", "ORDER"), ())),
        (r"(?:CUSTOMER|PR)_?(?:NAMES?|NUMBER|NUM)\b", 0, Gate(("NAME", "NUM"), ())),
        (r"ab?c", 0, Gate(("a",), ())),  # "a" then an optional b: the run ends there; "c" ties, "a" first
        (r"abc+d", 0, Gate(("abc",), ())),
        (r"(?i:lorem\s+ipsum)", 0, Gate((), ("lorem",))),
        (r"lorem", regex.IGNORECASE, Gate((), ("lorem",))),
        (r"(?i)Lorem", 0, Gate((), ("lorem",))),
        # i and s match "İ" and "ſ", which do not lower-case to them: such a gate lets them through
        (r"(?i)this", 0, Gate((), ("this",), folding=True)),
        (r"(?i)thx", 0, Gate((), ("thx",), folding=False)),
        (r"(?i:we)(?-i:SIS)", 0, Gate(("SIS",), ())),  # a case-sensitive "S" matches only itself
        (r"(?i:x)(?-i:YZ)", 0, Gate(("YZ",), ())),
        (r"need|want", 0, Gate(("need", "want"), ())),
        (r"(?=[^\]]{1,9}\])\[[a-z]+\]", 0, Gate(("]",), ())),  # one character: "[" and "]" tie
        (r"(?<=\bdear )NAME", 0, Gate(("dear ",), ())),  # what a lookbehind needs is in the text too
        (r"(?<!never )NAME", 0, Gate(("NAME",), ())),
        (r"(?P<word>abc)(?#note)d", 0, Gate(("abc",), ())),
    ],
)
def test_gate_strings(source: str, flags: int, expected: Gate) -> None:
    assert gate(source, flags) == expected


@pytest.mark.parametrize(
    ("source", "flags"),
    [
        (r"\d+", 0),  # nothing literal
        (r"abc|\d", 0),  # a branch without a literal
        (r"(a)\1", 0),  # back-references are not followed
        (r"(?(1)a|b)", 0),  # conditionals
        (r"abc", regex.VERBOSE),  # spaces and # mean something else
        (r"(?x)abc", 0),
        (r"a(?i)bc", 0),  # a global flag after the start
        (r"[[:alpha:]]abc", 0),  # POSIX classes
        (r"(?:abc)?", 0),  # an optional group
        (r"a{x}", 0),  # a brace that is no quantifier
        (r"(?|a|b)", 0),  # branch reset
        (r"\x41BC", 0),  # escapes that are not followed
        (r"abc", regex.FULLCASE | regex.IGNORECASE),  # full case folding: "ss" matches "ß"
    ],
)
def test_no_gate_where_the_reader_cannot_be_sure(source: str, flags: int) -> None:
    assert gate(source, flags) is None


def _regex_sources() -> list[tuple[str, regex.Pattern[str], Gate]]:
    """Every regex source of every rule of every pack (preview rules too), with its gate."""
    found = []
    engine = get_engine(tonecheck.Config(preview=True))
    for code in ("en", "ru"):
        other = engine.for_language(code)
        assert other is not None
        for rule_code, patterns, _, _ in other.rule_regex:
            for pattern in patterns:
                known = gate(pattern.source, pattern.flags)
                if known is not None:
                    found.append((rule_code, regex.compile(pattern.source, pattern.flags), known))
    return found


def _texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "corpora").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if isinstance(row.get("text"), str):
                    texts.append(row["text"])
    engine = get_engine(tonecheck.Config(preview=True))
    for code in ("en", "ru"):
        other = engine.for_language(code)
        assert other is not None
        for rule in other.ruleset.rules:
            if isinstance(rule, RegexRule) or getattr(rule, "regex", ()):
                examples = getattr(rule, "examples", None)
                texts.extend(getattr(examples, "flag", ()) or ())
    return texts


# characters whose case-insensitive matches cross ASCII: Kelvin sign, long s, dotted and dotless i
_ODD = "\u212a\u017f\u0130\u0131ßẞ"


def _variants(text: str, rng: random.Random) -> list[str]:
    swapped = "".join(c.swapcase() if rng.random() < 0.3 else c for c in text)
    odd = "".join(
        rng.choice(_ODD) if c.lower() in "kis" and rng.random() < 0.5 else c for c in text
    )  # "know" as "\u212anow"
    return [text, text.upper(), text.lower(), swapped, odd]


def test_a_gate_never_says_no_where_its_pattern_matches() -> None:
    sources = _regex_sources()
    assert len(sources) > 20  # the rules' own patterns are read, not skipped
    rng = random.Random(14)
    matched = 0
    for text in _texts():
        for variant in _variants(text, rng):
            lowered = variant.lower()
            for code, pattern, known in sources:
                if pattern.search(variant):
                    matched += 1
                    assert known.may_match(variant, lowered), (code, pattern.pattern, variant)
    assert matched > 500  # the check saw many matches


def test_a_gated_rule_finds_what_it_found_without_its_gate() -> None:
    """The engine with gates and the same patterns run on every reply agree on every corpus reply."""
    engine = get_engine()
    texts = _texts()
    gated = [tonecheck.check(text).findings for text in texts]
    saved = engine._source_gates
    engine._source_gates = dict.fromkeys(saved)
    try:
        ungated = [tonecheck.check(text).findings for text in texts]
    finally:
        engine._source_gates = saved
    assert gated == ungated
    assert any(f.code == "TPL003" for findings in gated for f in findings)


def test_a_rules_gates_read_together_keep_the_sources_each_gate_keeps() -> None:
    """Gates.kept (each gate string looked for once, sources as a bit mask) gives the sources whose
    own gate may match (and those without a gate), in their order, on every test text."""
    engine = get_engine()
    rng = random.Random(3)
    checked = 0
    for code, patterns, _, _ in engine.rule_regex:
        gates = tuple(gate(p.source, p.flags) for p in patterns)
        table = engine._source_gates[code]
        if table is None:
            continue
        for text in _texts():
            for variant in _variants(text, rng):
                lowered = variant.lower()
                expected = tuple(p for p, g in zip(patterns, gates) if g is None or g.may_match(variant, lowered))
                assert table.kept(variant, lowered) == expected, (code, variant)
                checked += 1
    assert checked > 500


@pytest.mark.parametrize("text", ["TH\u0130S", "thi\u017f", "\u017fits"])
def test_a_gate_with_i_or_s_lets_through_the_characters_that_match_them_unlowered(text: str) -> None:
    pattern = regex.compile(r"\b(?:this|sits)\b", regex.IGNORECASE)
    assert pattern.search(text)
    found = gate(pattern.pattern, pattern.flags)
    assert found is not None and found.folding
    assert found.may_match(text, text.lower())
    assert Gates(("p",), (found,)).kept(text, text.lower()) == ("p",)
    assert not found.may_match("That sit", "that sit")


def test_gates_read_together_on_sources_sharing_strings() -> None:
    sources = ("a", "b", "c", "d")
    gates = (
        Gate(exact=("NAME",), lowered=()),
        None,
        Gate(exact=("NAME", "DATE"), lowered=("todo",)),
        Gate((), ("xx",)),
    )
    table = Gates(sources, gates)
    assert table.kept("no gate string here", "no gate string here") == ("b",)
    assert table.kept("Dear NAME", "dear name") == ("a", "b", "c")
    assert table.kept("DATE", "date") == ("b", "c")
    assert table.kept("TODO xx", "todo xx") == ("b", "c", "d")
    assert table.kept("Dear NAME", "dear name") == ("a", "b", "c")  # the same answer from its cache
