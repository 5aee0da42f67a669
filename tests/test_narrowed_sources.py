"""Sources matched for a narrowing rule alone (NEG001, NEG002, NEG004 and NEG006 for NEG007, when
they are not reported themselves) are looked for only in replies where the narrowing rule could
report one of their matches: NEG007 reports a refusal only when no other sentence says more than
courtesy, so a reply of several sentences of substance is neither tokenized for their phrases nor
scanned with their regular expressions. Findings must be those of looking everywhere."""

from __future__ import annotations

import bisect
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tonecheck import Config
from tonecheck._engine import context, linter
from tonecheck._engine.context import Cue, matches_within
from tonecheck._engine.linter import Engine, get_engine
from tonecheck._engine.literals import gate

# NEG007 and what is on by default; its sources are not reported, so they are matched for it alone
NARROWING = Config(extend_select=("NEG007",))

REFUSALS = [
    "We can't refund this order.",
    "Unfortunately, we are unable to provide lounge access.",
    "Sorry, we do not carry pets on our flights.",
    "I'm afraid that's impossible.",
    "We don't have that in stock.",
    "Sadly, not.",
    "We won't be able to reopen the ticket.",
    "That is not possible for this fare",
]
COURTESY = [
    "Hi Sam,",
    "Thanks for getting in touch.",
    "Sorry for the wait!",
    "Have a great day!",
    "Best regards,",
    "Anna",
    "If you have any other questions, let us know.",
    "^KM",
]
SUBSTANCE = [
    "The parcel left our warehouse today.",
    "You can change the date in your account.",
    "Our partner shop delivers there.",
    "Basic fares are non-refundable.",
    "Could you send us your order number?",
    "It should arrive by Friday",
]
SEPARATORS = [" ", "\n", "\n\n", " - ", "! "]


def _unskipped(engine: Engine, text: str) -> Any:
    """The report when every source is looked for everywhere."""
    with mock.patch.object(Engine, "_idle_sources", lambda self, scan: frozenset()):
        return engine.check(text, mode="draft")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sentences=st.lists(st.sampled_from(REFUSALS + COURTESY + SUBSTANCE), min_size=1, max_size=14),
    separators=st.lists(st.sampled_from(SEPARATORS), min_size=14, max_size=14),
)
# a refusal whose only sentence of substance is nine sentences away: out of its "others" window
@example(
    sentences=[
        REFUSALS[0],
        *["Thanks for getting in touch.", "Sorry for the wait!", "Have a great day!"] * 3,
        SUBSTANCE[0],
    ],
    separators=[" "] * 14,
)
def test_skipping_idle_sources_keeps_every_finding(sentences: list[str], separators: list[str]) -> None:
    text = "".join(s + sep for s, sep in zip(sentences, separators, strict=False)).strip()
    engine = get_engine(NARROWING)
    assert engine.check(text, mode="draft") == _unskipped(engine, text)


def _every_sentence_read(scan: Any, vetoes: Any) -> bool:
    """vetoed_everywhere's answer from its definition: every sentence a match can be read as in
    has, in a window of each veto, a sentence holding that veto, asked in plain order."""
    found, starts = context._own_sentences(scan)
    if not found or not vetoes:
        return False
    pending = sorted({max(0, bisect.bisect_right(starts, start) - 1) for start in (0, *starts)})
    for veto in vetoes:
        held = context._HeldIn(scan, found, veto)
        pending = [
            at
            for at in pending
            if not any(
                held.kept(index) if name != "reply" else held.anywhere(index)
                for name in veto.windows
                for index in context.neighbours(name, at, len(found))
            )
        ]
    return not pending


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sentences=st.lists(st.sampled_from(REFUSALS + COURTESY + SUBSTANCE), min_size=1, max_size=60),
    separators=st.lists(st.sampled_from(SEPARATORS), min_size=60, max_size=60),
)
def test_vetoed_everywhere_answers_as_its_definition_does(sentences: list[str], separators: list[str]) -> None:
    # it reads a long text's sentences out of order, and skips most: the answer must not change
    text = "".join(s + sep for s, sep in zip(sentences, separators, strict=False)).strip()
    asked: list[tuple[Any, Any, bool]] = []
    vetoed_everywhere = linter.vetoed_everywhere

    def recorded(scan: Any, vetoes: Any) -> bool:
        asked.append((scan, vetoes, vetoed_everywhere(scan, vetoes)))
        return asked[-1][2]

    with mock.patch.object(linter, "vetoed_everywhere", recorded):
        get_engine(NARROWING).check(text, mode="draft")
    for scan, vetoes, answer in asked:
        scan.cache.clear()
        assert answer == _every_sentence_read(scan, vetoes)


def test_a_long_text_of_substance_is_not_read_sentence_by_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    # a sentence holding the veto answers for the sentences whose windows hold it: of a long
    # text, about one sentence in eight is read
    text = " ".join(SUBSTANCE * 40)
    read: list[int] = []
    kept = context._HeldIn.kept
    monkeypatch.setattr(context._HeldIn, "kept", lambda self, index: read.append(index) or kept(self, index))
    asked: list[bool] = []
    vetoed_everywhere = linter.vetoed_everywhere
    monkeypatch.setattr(
        linter, "vetoed_everywhere", lambda scan, vetoes: asked.append(vetoed_everywhere(scan, vetoes)) or asked[-1]
    )
    get_engine(NARROWING).check("We can't refund this order. " + text, mode="draft")
    assert asked == [True]
    assert 0 < len(read) <= len(SUBSTANCE) * 40 // 4


@pytest.mark.parametrize(
    "text",
    [
        "We can't refund this order.",
        "Hi Sam, thanks for getting in touch. Unfortunately we can't refund this order. Best regards, Anna",
        "Sorry, we do not carry pets on our flights. Have a great day!",
    ],
)
def test_a_bare_refusal_is_still_found(text: str) -> None:
    engine = get_engine(NARROWING)
    assert [f.code for f in engine.check(text, mode="draft").findings] == ["NEG007"]


def test_a_reply_with_more_to_say_is_not_tokenized_for_the_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = get_engine(NARROWING)
    tokenized: list[str] = []
    tokenize = Engine._tokenize_broken
    monkeypatch.setattr(Engine, "_tokenize_broken", lambda self, text: tokenized.append(text) or tokenize(self, text))
    engine.check("We can't refund this order. Basic fares are non-refundable.", mode="draft")
    assert tokenized == [], "a refusal with a reason beside it cannot be NEG007's"
    engine.check("We can't refund this order.", mode="draft")
    assert len(tokenized) == 1
    # where the source is reported itself, its phrases are looked for everywhere
    tokenized.clear()
    get_engine(Config(extend_select=("NEG001",))).check(
        "We can't refund this order. Basic fares are non-refundable.", mode="draft"
    )
    assert len(tokenized) == 1


def test_a_regex_source_matched_where_it_could_not_be_reported_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = get_engine(NARROWING)
    assert "NEG001" in engine.narrowed_only
    text = "We don't have that in stock. It comes back in May, and we'll email you then."
    assert engine._idle_sources  # (the method exists: the patch below must not create one)
    calls: list[frozenset[str]] = []
    idle_sources = Engine._idle_sources

    def counted(self: Engine, scan: Any) -> frozenset[str]:
        calls.append(idle_sources(self, scan))
        return calls[-1]

    monkeypatch.setattr(Engine, "_idle_sources", counted)
    assert engine.check(text, mode="draft").findings == ()
    assert calls and "NEG001" in calls[-1]
    # the same words alone are a bare refusal, found by NEG001's regular expression
    assert [f.code for f in engine.check("We don't have that in stock.", mode="draft").findings] == ["NEG007"]


@pytest.mark.parametrize(
    ("source", "within"),
    [
        ("[a-z]{2}", True),
        ("(?:[;:\\u2013\\u2014]|\\s-+\\s)\\W*[a-z]{2}", True),
        ("(?P<word>thanks)", True),
        ("^\\W*yes", False),
        ("sorry$", False),
        ("\\bsorry\\b", False),
        ("(?<![\\w'])sorry", False),
        ("sorry(?!\\s+not)", False),
        ("sorry(?=,)", False),
        ("[^.]+", False),  # (a caret in a class is read as an anchor: erring towards no)
    ],
)
def test_a_pattern_read_sentence_by_sentence_has_no_anchor_or_lookaround(source: str, within: bool) -> None:
    assert matches_within(Cue(source, gate(source))) is within


def test_a_cue_is_not_searched_in_a_window_without_its_words() -> None:
    cue = Cue("(?:any|other) questions", gate("(?:any|other) questions"))
    assert cue.found_in("do you have any questions?")
    assert not cue.found_in("do you have any doubts?")
    cue.pattern = mock.Mock(search=mock.Mock(side_effect=AssertionError("searched")))
    assert not cue.found_in("the parcel left today")
    with pytest.raises(AssertionError, match="searched"):
        cue.found_in("any questions")


def _scanned_rules(monkeypatch: pytest.MonkeyPatch, engine: Engine) -> list[str]:
    """The rules whose regular expressions are scanned from now on, in order."""
    owner = {id(pattern): code for code, patterns, _, _ in engine.rule_regex for pattern in patterns}
    scanned: list[str] = []
    leftmost_first = linter._leftmost_first

    def recorded(patterns: Any, *args: Any) -> Any:
        scanned.append(owner[id(patterns[0])])
        return leftmost_first(patterns, *args)

    monkeypatch.setattr(linter, "_leftmost_first", recorded)
    return scanned


def test_a_long_text_is_asked_about_idle_sources_before_they_are_scanned(monkeypatch: pytest.MonkeyPatch) -> None:
    # In a short reply a narrowed source is scanned and asked only when it matched (most match
    # nothing); in a long one the question costs less than the scan, so it comes first.
    engine = get_engine(NARROWING)
    unit = "We don't have that in stock. It comes back in May, and we'll email you then.\n\n"
    long_text = unit * (linter._IDLE_FIRST // len(unit) + 2)
    expected = _unskipped(engine, long_text)
    scanned = _scanned_rules(monkeypatch, engine)
    assert engine.check(long_text, mode="draft") == expected
    assert "NEG001" not in scanned
    assert engine.check(unit.strip(), mode="draft").findings == ()
    assert "NEG001" in scanned
