"""The phrase gate (tonecheck/_engine/phrase_gate.py): a reply it turns away is not tokenized, so it
must never say no where a phrase of the engine matches, in the full text or in the view that skips
words; and it must turn away most ordinary replies, or it only costs time."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import tonecheck
from tonecheck._config import Config
from tonecheck._engine.linter import Engine, _break_punctuation_runs, get_engine
from tonecheck._engine.phrase_gate import REDUCED_UP_TO, Form, PhraseGate, _presence
from tonecheck._ruleset.schema import DetectorRule, LexiconRule
from tonecheck._text import _lower, word_runs

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def engines() -> list[Engine]:
    return [get_engine(), Engine(Config(preview=True))]


def _phrases(engine: Engine) -> list[str]:
    """The phrases the engine matches, as a reply would spell them."""
    found: list[str] = []
    for rule in engine.matched.values():
        found += engine.ruleset.expanded(rule, "phrases", normalise=_lower)
        found += engine.ruleset.expanded(rule, "exceptions", normalise=_lower)
        if isinstance(rule, LexiconRule):
            for term in rule.lexicon:
                found += engine.ruleset.expand_pattern(term)
    return sorted(set(found))


def _matches(engine: Engine, text: str) -> bool:
    """Whether the text holds a phrase match the gate must let through: any but the exceptions of
    a rule that is no detector (those only cancel the rule's own matches; see the test below)."""
    doc = engine.nlp.tokenizer(_tokenized(text))
    return any(_gated(engine, match_id) for match_id, _, _ in engine._phrase_matches(doc))


def _tokenized(text: str) -> str:
    """The text as the engine tokenizes it, and as its phrase gate reads it."""
    return _break_punctuation_runs(text.lower())


def _gated(engine: Engine, match_id: int) -> bool:
    """A detector's own phrase sets open no gate: the detector looks for them where it reads."""
    key = engine._keys[match_id]
    if key.role == "detector-set":
        return False
    return key.role != "exceptions" or isinstance(engine.matched[key.target], DetectorRule)


class _Gates:
    """An engine's phrase gates read together: that of the phrases it may report, and that of the
    sources it matches for a narrowing rule alone (see Engine._may_match)."""

    def __init__(self, engine: Engine) -> None:
        assert engine.phrase_gate is not None, "the blank English pipeline has a gate"
        self.gates: list[PhraseGate] = [g for g in (engine.phrase_gate, engine.narrowed_gate) if g is not None]

    def may_match(self, lowered: str, runs: list[str] | None = None) -> bool:
        return any(gate.may_match(lowered, runs) for gate in self.gates)


def _gate(engine: Engine) -> _Gates:
    return _Gates(engine)


def test_every_phrase_passes_the_gate(engines: list[Engine]) -> None:
    for engine in engines:
        gate = _gate(engine)
        phrases = _phrases(engine)
        assert len(phrases) > 1000
        missed = [p for p in phrases if _matches(engine, p) and not gate.may_match(_tokenized(p))]
        assert missed == []


def test_labelled_replies_with_a_match_pass_the_gate(engines: list[Engine]) -> None:
    replies = [
        json.loads(line)["text"]
        for corpus in ("labelled.jsonl", "holdout.jsonl")
        for line in (ROOT / "corpora" / corpus).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    for engine in engines:
        gate = _gate(engine)
        matched = [text for text in replies if _matches(engine, text)]
        assert matched, "the corpora hold phrase matches"
        assert [text for text in matched if not gate.may_match(_tokenized(text))] == []
    # and it turns away most of the replies that match nothing (the reason it exists)
    default = engines[0]
    unmatched = [text for text in replies if not _matches(default, text)]
    turned_away = sum(not _gate(default).may_match(_tokenized(text)) for text in unmatched)
    assert turned_away > 0.6 * len(unmatched)


_FILLER = st.sampled_from(
    [
        "",
        " ",
        "  ",
        "\n",
        ",",
        ", ",
        ".",
        "!",
        "really",
        "unfortunately",
        ", unfortunately,",
        "so",
        "just",
        "support",
        "report",
        "the",
        "we",
        "you",
        "'",
        "-",
        "...",
        "\u2019",
        "Order #123",
        "can't",
        "cannot",
        "don't",
        "e-mail",
        "it's",
        "I'm",
        "(",
        ")",
        "\u2014",
        "£",
        "ca",
        "n't",
        "net-30",
        "\t",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_gate_never_turns_away_a_match(engines: list[Engine], data: st.DataObject) -> None:
    engine = data.draw(st.sampled_from(engines))
    phrases = _phrases(engine)
    pieces = data.draw(
        st.lists(st.one_of(_FILLER, st.sampled_from(phrases), st.text(max_size=6)), min_size=1, max_size=8)
    )
    # phrases cut into their words, with fillers between them, make the view's matches too
    words = [w for piece in pieces for w in data.draw(st.sampled_from([[piece], piece.split(" ")]))]
    text = data.draw(st.sampled_from([" ", "", "  ", "\n"])).join(words)
    text = data.draw(st.sampled_from([text, text.upper(), text.title()]))
    if _matches(engine, text):
        assert _gate(engine).may_match(_tokenized(text)), text


def test_whole_words_and_special_case_pieces() -> None:
    gate = PhraseGate([("port", "number"), ("can", "not", "help")], _forms)
    assert gate.may_match("we will port number 0123")
    assert not gate.may_match("support will report number 0123")  # "port" is no word there
    assert gate.may_match("we can't help")  # "ca" + "n't" give "can" + "not"
    assert gate.may_match("we cannot help")
    assert not gate.may_match("we can help")


def test_a_pair_of_the_phrase_is_looked_for_next_to_each_other() -> None:
    """Its words alone are in many replies; the pair it takes of them is seldom next to each other,
    except across what a view match skips: skippable words, commas and whitespace."""
    gate = PhraseGate([("can", "not", "help")], _forms, skippable=["really"])
    assert not gate.may_match("we can help, but not today")
    assert not gate.may_match("we can not; help is on its way")
    assert gate.may_match("we can't, really, help")
    assert gate.may_match("we can't\n  help")
    assert not gate.may_match("we can't truly help")  # "truly" is no skippable word here
    # past eight of them, the pair counts as found: the look ahead from each word stays short
    assert gate.may_match("we can't" + " really" * 12 + " help")
    assert gate.may_match("we can't" + " really" * 12 + " hope to help")
    assert not gate.may_match("we can't" + " really" * 3 + " hope to help")


_SKIP_WORDS = ["really", "just", "even"]
_PAIR_PHRASES = [
    ("can", "not", "help"),
    ("we", "have", "told"),
    ("sorry", "are"),
    ("sent", "it", "twice"),
    ("just", "so", "you"),
    ("we", "sent", "twice"),  # a pair of whole words, none skippable
]


def _pieces_forms(norm: str) -> frozenset[Form]:
    """_forms, with pieces found inside skippable words ("re" starts "really", "ve" is inside
    "even") and one that is not ("it'")."""
    pieces = {"have": (("'ve", "we've"), ("ve", "weve")), "are": (("re", "we're"),), "it": (("it'", "it's"),)}
    extra = frozenset(Form(p, inside_words=True, within=w) for p, w in pieces.get(norm, ()))
    return _forms(norm) | extra


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [*_SKIP_WORDS, "can't", "cannot", "we've", "weve", "we're", "it's", "truly", "so", "sorry"]
            ),
            st.sampled_from([" ", ",", ", ", "\n", "  ", "-", "'"]),
            st.sampled_from([w for phrase in _PAIR_PHRASES for w in phrase]),
            st.text(alphabet="aejlnrstuv' ,", max_size=5),
        ),
        max_size=30,
    ).map("".join)
)
@example("sorry really")  # "re" of "we're" starts "really"
@example("even't help")  # "n't" ends a run that is a skippable word
@example("it'  just,twice")
@example("just so you know")  # a word of the pair that is a skippable word
@example("we can't really, just help")  # skippable words between the words of a pair
@example("sent just, really  twice")  # ... made spaces, one for each
@example("sent" + " just" * 4 + " twice")  # nine items: past eight, the pair counts as found
@example("sent justtwice even")  # "justtwice" is no skippable word
def test_a_pair_is_found_with_the_short_pattern_only_where_it_may_be(text: str) -> None:
    """A reply without skippable words is searched with a pair's short pattern (only whitespace
    and commas between its words), which compiles ten times faster; the answer is always the
    one the whole pattern gives."""
    gate = PhraseGate(_PAIR_PHRASES, _pieces_forms, skippable=_SKIP_WORDS)
    item = "(?:\\s|,|" + "|".join(rf"{word[0]}(?<!\w.){word[1:]}(?!\w)" for word in _SKIP_WORDS) + ")"
    for pair, (first, second) in enumerate(gate._pair_texts):
        whole = re.compile(f"{first}(?:{item}{{0,8}}{second}|{item}{{9}})").search(text) is not None
        assert gate._has_a_pair((pair,), text, {}, word_runs(text)) == whole, (first, second, text)
    # a pair with a text that is a skippable word or no whole word ("just", "ca", "'ve") needs its
    # whole pattern where the reply holds a skippable word; any other has a short pattern only
    skipped = any(word in word_runs(text) for word in _SKIP_WORDS)
    whole_only = set(range(len(gate._pair_texts))) - gate._reducible
    assert set(gate._pair_patterns) == (whole_only if skipped else set())
    assert set(gate._short_patterns) == (gate._reducible if skipped else set(range(len(gate._pair_texts))))
    assert gate._reducible and whole_only  # (both kinds are tried)


@pytest.mark.parametrize("text", ["we sent, just, twice", "we sent just the one, twice"])
def test_a_long_text_is_searched_with_the_whole_pattern(text: str) -> None:
    # making its skippable words spaces would rescan all of a long text once per such word
    gate = PhraseGate(_PAIR_PHRASES, _pieces_forms, skippable=_SKIP_WORDS)
    pair = next(
        p for p in gate._reducible if re.fullmatch(f"{gate._pair_texts[p][0]} {gate._pair_texts[p][1]}", "sent twice")
    )
    for padded in (text + " ok" * 10, text + " ok" * (REDUCED_UP_TO // 3)):
        found = gate._has_a_pair((pair,), padded, {}, word_runs(padded))
        assert found == ("one" not in text)
        assert (pair in gate._pair_patterns) == (len(padded) > REDUCED_UP_TO)


def _forms(norm: str) -> frozenset[Form]:
    # as the tokenizer's special cases give them: "can't" is "ca" "n't", "cannot" is "can" "not"
    pieces = {"can": (("ca", "can't"), ("can", "cannot")), "not": (("n't", "can't"), ("not", "cannot"))}
    return frozenset(
        {Form(norm, inside_words=False), *(Form(p, inside_words=True, within=w) for p, w in pieces.get(norm, ()))}
    )


def test_a_special_case_piece_is_looked_for_where_its_special_case_is() -> None:
    """ "ca" of "can't" is in a reply only where "can't" is, not in every "call" or "case"; "can"
    of "cannot" only where the run "cannot" is; "we" of "we're" where the run "we" is."""
    assert _presence(Form("ca", inside_words=True, within="can't")) == ("can't", False)
    assert _presence(Form("can", inside_words=True, within="cannot")) == ("cannot", True)
    assert _presence(Form("we", inside_words=True, within="we're")) == ("we", True)
    assert _presence(Form("n't", inside_words=True, within="don't")) == ("n't", False)
    assert _presence(Form("port", inside_words=False)) == ("port", True)
    gate = PhraseGate([("can", "not", "help")], _forms)
    # the gate's substring tests are the special cases' texts, not their pieces
    assert "ca" not in {text for texts in gate._elsewhere.values() for text in texts}
    assert gate.may_match("we can't help") and gate.may_match("we cannot help")


def test_replies_turned_away_keep_their_other_findings() -> None:
    text = "Hi {FNAME},\n\nYour parcel left the warehouse today.\n\nBest,\nSam"
    engine = get_engine()
    assert not _gate(engine).may_match(_tokenized(text))
    codes = [f.code for f in tonecheck.check(text).findings]
    assert "TPL001" in codes


# -- the pipeline is built only when a reply needs it -----------------------------------------

_FRESH_PROCESS = """
import sys, tonecheck
before = [f.code for f in tonecheck.check({quiet!r}).findings]
imported = 'spacy' in sys.modules or 'numpy' in sys.modules
after = [f.code for f in tonecheck.check({phrase!r}).findings]
print(imported, 'spacy' in sys.modules, before, after)
"""


def test_a_reply_the_gate_turns_away_needs_no_spacy(tmp_path: Path) -> None:
    """With the compiled rules in the cache, a process whose replies the gate turns away never
    imports spaCy or numpy (most of a one-reply command's start-up); the first reply that needs it
    does."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "TONECHECK_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("TONECHECK_NO_CACHE", None)
    code = _FRESH_PROCESS.format(
        quiet="Thanks, the parcel left the warehouse today.", phrase="As I said in my last email, it left today."
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
        for _ in range(2)
    ]
    # the first process compiles the rules, which needs the tokenizer; the second reads the cache
    assert runs[0][:2] == ["True", "True"]
    assert runs[1][:2] == ["False", "True"]
    assert runs[0][2:] == runs[1][2:]
    assert "PAG002" in runs[1][3]


def test_threads_build_a_lazy_pipeline_once() -> None:
    import threading

    Engine(Config())  # compiles the rules into the cache (tests run with one)
    engine = Engine(Config())
    assert not engine._pipeline_built
    builds: list[int] = []
    build = engine._build_pipeline

    def counted(data: Any) -> None:
        builds.append(1)
        build(data)

    engine._build_pipeline = counted  # type: ignore[method-assign]
    text = "As I said in my last email, the refund is on its way."
    results: list[list[str]] = []
    barrier = threading.Barrier(8)

    def run() -> None:
        barrier.wait()
        results.append([f.code for f in engine.check(text, mode="draft").findings])

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8 and all(r == results[0] for r in results) and "PAG002" in results[0]
    assert engine._pipeline_built and len(builds) == 1


# -- a reply is tokenized only in the blocks that may hold a phrase ---------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_blocks_of_a_reply_give_the_findings_of_the_whole(
    engines: list[Engine], data: st.DataObject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blocks between blank lines are tokenized alone only when they may hold a phrase: the
    findings (whole reports) are those of tokenizing the whole reply."""
    import tonecheck._engine.linter as linter

    engine = data.draw(st.sampled_from(engines))
    phrases = _phrases(engine)
    plain = ["Thanks for your patience.", "The parcel left today.", "Order 1234 is on its way.", "Best,\nAnna"]
    blocks = data.draw(
        st.lists(
            st.lists(st.one_of(st.sampled_from(plain), st.sampled_from(phrases), _FILLER), min_size=1, max_size=6).map(
                " ".join
            ),
            min_size=2,
            max_size=40,
        )
    )
    separators = data.draw(st.lists(st.sampled_from(["\n\n", "\n\n\n", "\n \n", " \n\n ", "\n"]), min_size=len(blocks)))
    text = "".join(b + sep for b, sep in zip(blocks, separators, strict=False)).strip() or "Thanks."
    by_blocks = engine.check(text, mode="draft")
    with monkeypatch.context() as patch:
        patch.setattr(linter.Engine, "_blocks_to_match", staticmethod(lambda lowered, gate: [(0, len(lowered))]))
        whole = engine.check(text, mode="draft")
    assert by_blocks == whole


def test_only_the_blocks_that_may_match_are_tokenized() -> None:
    engine = get_engine()
    quiet = "Thanks for your patience, the parcel left our warehouse today.\n\n" * 60
    text = quiet + "As I said in my last email, it is on its way.\n\n" + quiet
    blocks = engine._blocks_to_match(text.lower(), _gate(engine).may_match)
    assert len(blocks) == 1 and text[blocks[0][0] : blocks[0][1]].startswith("As I said")
    assert [f.code for f in tonecheck.check(text).findings] == ["PAG002"]


def test_a_regex_match_meets_its_exceptions_in_a_block_the_gate_turned_away() -> None:
    """Exceptions open no gate: the block of a regex match that an exception may cancel is
    tokenized for them afterwards, so the exception still cancels it."""
    engine = get_engine()
    # (NEG003's regex reads "No, that's" as a refusal; its exception "no, that's fine" cancels it)
    reassured = "No, that's fine."
    assert not _gate(engine).may_match(_tokenized(reassured))
    assert [f.code for f in tonecheck.check(reassured).findings if f.code == "NEG003"] == []
    refused = "Thanks for asking.\n\nNo, that's not something we offer."
    assert [f.match for f in tonecheck.check(refused).findings if f.code == "NEG003"] == ["No,"]
    # the same exception in a second block of a longer reply
    longer = "Hi Sam,\n\nThanks for asking about the exchange.\n\n" + reassured
    assert [f.code for f in tonecheck.check(longer).findings if f.code == "NEG003"] == []


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(["a", "1", " ", "\n", "-", ".", "!", "’", "—", "é", "ж", "€", "\x1c", "_"]),
        max_size=80,
    )
)
def test_punctuation_runs_are_broken_as_the_pattern_says(text: str) -> None:
    """Every 16th character of a run of 16 or more punctuation characters or symbols becomes a
    space, whatever the shortcut that first looks for such a run in the text's bytes."""
    import re

    expected = re.sub(
        r"[^\w\s]{16,}", lambda m: "".join(" " if i % 16 == 15 else c for i, c in enumerate(m.group())), text
    )
    assert _break_punctuation_runs(text) == expected


def test_the_phrases_a_detector_reads_are_looked_for_in_what_it_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """The missing-closing rule's closing lines ("let us know") are common words: they open no
    gate, so a chat turn or an e-mail with no phrase of a reported rule is not tokenized whole;
    the detector has only the sentences it reads tokenized, and finds the closing there."""
    engine = get_engine()
    assert engine.phrase_gate is not None
    body = "The parcel went out today and is with the courier now. Let us know when it arrives."
    email = f"Hi Sam,\n\n{body}\n\nBest,\nAna"
    assert not engine.phrase_gate.may_match(_break_punctuation_runs(email.lower())), "no reported phrase in it"
    tokenized: list[str] = []
    tokenize = engine._tokenize_broken
    monkeypatch.setattr(engine, "_tokenize_broken", lambda text: tokenized.append(text) or tokenize(text))
    assert engine.check(body, mode="draft").channel == "chat"
    assert tokenized == []
    report = engine.check(email, mode="draft")
    assert report.channel == "email" and report.findings == ()  # the closing line was found
    assert tokenized == [body.lower()]  # the closing region (here the body), not the whole reply
    tokenized.clear()
    ended = email.replace("Let us know when it arrives.", "It left at noon.")
    assert [f.code for f in engine.check(ended, mode="draft").findings] == ["CLO001"]
    assert tokenized == [ended.lower()[ended.index("The parcel") : ended.index("noon.") + 5]]
