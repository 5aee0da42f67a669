"""Property tests: check() on arbitrary text keeps its promises about offsets, order and stability."""

from __future__ import annotations

import re

from conftest import TONE_CATEGORIES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tonecheck
from tonecheck import CATEGORIES, Applicability, Config, Severity
from tonecheck._ruleset.load import load_rules

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

# Every rule, preview rules included (they do not run by default: see test_preview.py).
ALL_RULES = Config(preview=True)
# The narrowing rules (NEG007) report only where their source rules are not reported: every rule
# but those sources, so that they run too.
NARROWED = Config(
    preview=True,
    ignore=tuple(sorted({code for r in load_rules().rules if r.kind == "narrowing" for code in r.narrows})),
)

# The phrase/regex rules of the tone categories: these look only at the words around a match,
# so moving, quoting or re-spelling apostrophes must not change what they find.
TONE_CONFIG = Config(
    select=tuple(r.code for r in load_rules().rules if r.category in TONE_CATEGORIES and r.kind != "detector")
)

BAD = [
    "We can't",
    "we really can’t",
    "We cannot",
    "I'm unable to",
    "I’m not able to",
    "You have to",
    "you will definitely have to",
    "You’ll need to",
    "you must",
    "As I said,",
    "as I’ve mentioned",
    "Per my last email",
    "That's your fault",
    "Obviously",
    "No, we don't",
    "No.",
    "Nope",
    "Actually,",
    "Again,",
    "I don't know.",
    "no idea!",
    "This is the 3rd time",
    "see section 4.2",
    "Please be advised",
    "Dear Sir/Madam",
    "company policy",
    "Simply",
    "Just to be clear,",
    "for the last time",
    "your call is important to us",
    "it's impossible",
    "There's no way to",
    "{{first_name}}",
    "[NAME]",
    "Hi ,",
    "XXX",
    "ETA",
    "RMA",
    "escalate to L2",
]
INNOCENT = [
    "No problem!",
    "no worries",
    "there's no charge",
    "you don't have to do anything",
    "you no longer need to",
    "I can't wait to",
    "nothing to worry about",
    "as you mentioned",
    "Thanks,",
    "Best,\nAna",
    "Hi Sam,",
    "Let me know if you have any questions.",
]
NOISE = [
    "\n",
    "\n\n",
    " ",
    "  ",
    "\t",
    "> ",
    ">",
    "```\n",
    "```",
    "`",
    "~~~\n",
    "\n-- \n",
    "\r\n",
    "\r",
    "On Mon, 3 Jun 2024, Sam <sam@example.com> wrote:\n",
    "'",
    "’",
    "\u2018",
    "\u00a0",
    ",",
    ".",
    "!",
    "?",
    ":",
    "-",
    "*",
    "•",
    "(",
    ")",
    '"',
    "“",
    "”",
    "\u2028",
    "\x85",
    "\ufeff",
    "é",
    "👋🏽",
]

_chunk = st.one_of(
    st.sampled_from(BAD),
    st.sampled_from(BAD),
    st.sampled_from(INNOCENT),
    st.sampled_from(NOISE),
    st.text(max_size=12),
)
# chunks glued by the separators real text has between phrases (or by nothing at all)
mixed_text = st.lists(
    st.tuples(_chunk, st.sampled_from([" ", " ", "\n", "\n\n", ". ", ", ", ""])),
    min_size=1,
    max_size=25,
).map(lambda parts: "".join(chunk + sep for chunk, sep in parts))

any_text = st.one_of(mixed_text, st.text(), mixed_text)


def _keys(findings):
    return [(f.code, f.start, f.end) for f in findings]


def _check_invariants(text: str, report: tonecheck.Report) -> None:
    assert report.text == text
    codes = load_rules().by_code()
    previous = -1
    for f in report.findings:
        assert 0 <= f.start <= f.end <= len(text), f
        assert text[f.start : f.end] == f.match, f
        # lines end at "\n", "\r\n" or a lone "\r", as editors count them
        breaks = [m.end() for m in re.finditer(r"\r\n|\r|\n", text) if m.end() <= f.start]
        assert f.line == len(breaks) + 1, f
        assert f.column == f.start - (breaks[-1] if breaks else 0) + 1, f
        assert f.line >= 1 and f.column >= 1
        if not re.search(r"\r(?!$)|\n", f.match):
            assert f.end_line == f.line, f
            assert f.end_column == f.column + len(f.match), f
        else:
            assert f.end_line > f.line, f
        assert f.start >= previous, "findings are not sorted by start"
        previous = f.start
        assert f.category in CATEGORIES
        assert isinstance(f.severity, Severity)
        assert f.code in codes and codes[f.code].name == f.name and codes[f.code].category == f.category
        for s in f.suggestions:
            assert isinstance(s.applicability, Applicability)
            assert s.title
    for region in report.regions:
        assert 0 <= region.start <= region.end <= len(text), region


@SETTINGS
@given(text=any_text, mode=st.sampled_from(["draft", "saved"]))
def test_check_never_raises_and_findings_are_consistent(text, mode):
    report = tonecheck.check(text, mode=mode, config=ALL_RULES)
    _check_invariants(text, report)


@SETTINGS
@given(text=any_text, mode=st.sampled_from(["draft", "saved"]))
def test_narrowing_rules_keep_the_invariants_and_report_a_subset_of_their_sources(text, mode):
    report = tonecheck.check(text, mode=mode, config=NARROWED)
    _check_invariants(text, report)
    # a narrowing rule's finding is a match of a source rule: with every rule on, a finding of its
    # category stands there (the source's, or one that overlapping matches were merged into)
    narrowed = [f for f in report.findings if f.code == "NEG007"]
    if narrowed:
        wide = [
            f for f in tonecheck.check(text, mode=mode, config=ALL_RULES).findings if f.category == "negative-language"
        ]
        for f in narrowed:
            assert any(w.start < f.end and f.start < w.end for w in wide), f


@SETTINGS
@given(text=any_text)
def test_same_input_same_findings(text):
    first = tonecheck.check(text, config=ALL_RULES)
    second = tonecheck.check(text, config=ALL_RULES)
    assert first.findings == second.findings
    assert first.regions == second.regions


@SETTINGS
@given(text=any_text, customer=st.sampled_from(["Sam", "Zoë", "O'Neil"]))
def test_context_never_breaks_the_invariants(text, customer):
    report = tonecheck.check(text, context={"customer_name": customer}, mode="saved", config=ALL_RULES)
    _check_invariants(text, report)


@SETTINGS
@given(
    text=any_text,
    prefix=st.sampled_from(
        ["Hello there.\n\n", "Thanks for getting back to me.\n\n", "Quick update on your order.\n\n"]
    ),
)
def test_neutral_prefix_shifts_tone_findings_by_its_length(text, prefix):
    before = tonecheck.check(text, config=TONE_CONFIG).findings
    after = tonecheck.check(prefix + text, config=TONE_CONFIG).findings
    shift = len(prefix)
    assert _keys(after) == [(code, start + shift, end + shift) for code, start, end in _keys(before)]
    assert [f.match for f in after] == [f.match for f in before]


@SETTINGS
@given(text=any_text)
def test_curly_apostrophes_do_not_change_tone_findings(text):
    straight = tonecheck.check(text, config=TONE_CONFIG).findings
    for curly in ("\u2019", "\u2018"):
        respelled = text.replace("'", curly)
        assert _keys(tonecheck.check(respelled, config=TONE_CONFIG).findings) == _keys(straight)


def _inside(findings, start: int, end: int):
    """Findings that touch text[start:end]: overlapping it, or empty and sitting inside it."""
    return [f for f in findings if (f.start < end and start < f.end) or (f.start == f.end and start < f.start < end)]


@SETTINGS
@given(text=any_text, mode=st.sampled_from(["draft", "saved"]))
def test_fully_quoted_text_is_never_flagged(text, mode):
    quoted = "\n".join("> " + line for line in text.splitlines())
    head = "Hi Sam,\n\nThanks for the details below.\n\n"
    reply = head + quoted + "\n"
    report = tonecheck.check(reply, mode=mode, context={"customer_name": "Sam"}, config=ALL_RULES)
    assert _inside(report.findings, len(head), len(head) + len(quoted)) == []


@SETTINGS
@given(text=any_text, mode=st.sampled_from(["draft", "saved"]))
def test_text_after_a_wrote_header_is_never_flagged(text, mode):
    head = "Hi Sam,\n\nThanks for the update.\n\n"
    reply = head + "On Mon, 3 Jun 2024, Sam <sam@example.com> wrote:\n" + text
    report = tonecheck.check(reply, mode=mode, context={"customer_name": "Sam"}, config=ALL_RULES)
    assert _inside(report.findings, len(head), len(reply)) == []


@SETTINGS
@given(text=any_text, mode=st.sampled_from(["draft", "saved"]))
def test_fenced_text_is_never_flagged(text, mode):
    if any(line.lstrip(" \t").startswith(("```", "~~~")) for line in text.splitlines()):
        text = text.replace("`", "'").replace("~", "-")
    head = "Hi Sam,\n\nHere is the log.\n\n"
    block = "```\n" + text + "\n```"
    reply = head + block + "\n"
    report = tonecheck.check(reply, mode=mode, context={"customer_name": "Sam"}, config=ALL_RULES)
    assert _inside(report.findings, len(head), len(head) + len(block)) == []


@SETTINGS
@given(text=mixed_text, data=st.data())
def test_per_call_ignore_is_a_filter(text, data):
    full = tonecheck.check(text, config=ALL_RULES)
    if not full.findings:
        return
    victim = data.draw(st.sampled_from(full.findings))
    selector = data.draw(st.sampled_from([victim.code, victim.name, victim.category, victim.code[:3]]))
    filtered = tonecheck.check(text, ignore=[selector], config=ALL_RULES)
    expected = [f for f in full.findings if not (selector in (f.name, f.category) or f.code.startswith(selector))]
    assert list(filtered.findings) == expected


@given(
    words=st.lists(st.text(alphabet="ab ,\n\t", min_size=1, max_size=5), min_size=1, max_size=4),
    text=st.text(alphabet="ab ,\n\t\u00a0", max_size=30),
)
@settings(max_examples=500, deadline=None)
def test_required_words_are_found_as_in_the_text_with_its_spaces_joined(words, text):
    from tonecheck._engine.linter import _any_required, _has_space, _spaced_words, _without_implied

    plain = tuple(w for w in words if not _has_space(w))
    expected = any(w in " ".join(text.split()) for w in words)
    assert _any_required(text, plain, _spaced_words(words)) == expected
    # the words that hold another one without spaces can go: the engine looks for the rest
    kept = _without_implied(frozenset(words))
    assert _any_required(text, tuple(w for w in kept if not _has_space(w)), _spaced_words(kept)) == expected


# Anatomy's fast paths must answer as the patterns they stand for.
_FOOTER_WORDS = ["unsubscribe", "Privacy Policy", "all rights reserved", "sent by Acme Inc", "(C) 2024", "©", "opt-out"]


@given(
    pieces=st.lists(
        st.sampled_from(_FOOTER_WORDS) | st.text(alphabet="abcKkSsIi -_.()0123456789\t\x1c", max_size=8), max_size=6
    ),
    data=st.data(),
)
@settings(max_examples=500, deadline=None)
def test_ascii_footer_twin_finds_what_the_footer_pattern_finds(pieces, data):
    from tonecheck._anatomy import _Patterns
    from tonecheck._language import language_data

    patterns = language_data().derived(_Patterns)
    assert patterns.ascii_footer is not None  # the English phrases are lower case
    line = "".join(data.draw(st.sampled_from([p, p.upper(), p.title()])) for p in pieces)
    if line.isascii():
        assert bool(patterns.ascii_footer.search(line.lower())) == bool(patterns.footer.search(line)), line


@given(text=st.text(alphabet=".!?\"')] \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000ab", max_size=40), data=st.data())
@settings(max_examples=500, deadline=None)
def test_sentence_ends_are_those_of_the_regex_pattern(text, data):
    import regex

    from tonecheck._anatomy import _sentence_ends

    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    reference = regex.compile(r"[.!?]+[\"')\]]*(?=\s|$)|\n")  # in `regex`, whose \s is Unicode White_Space
    assert _sentence_ends(text, start, end) == [m.end() for m in reference.finditer(text, start, end)]
