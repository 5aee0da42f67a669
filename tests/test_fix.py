"""`tonecheck.fix` and the CLI's --fix / --diff / --unsafe-fixes.

The expected strings below are worked out from the rule files (rules/en/*/*.yml: `rewrites:` and
`suggestions:` with their applicability) and from the tidying `fix` promises (a removal takes its
separators with it and capitalises the next word at a sentence start; a replacement keeps the
case at a sentence start, does not double a determiner and agrees with "a"/"an").
"""

from __future__ import annotations

import itertools
import json
import os
import stat
from pathlib import Path

import pytest
from conftest import REPO_ROOT, wrap_reply
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import tonecheck
from tonecheck import Applicability, FixResult

# These tests exercise what the rules find and fix, preview rules included (they do not run by
# default: see test_preview.py for the default selection).
ALL_RULES = tonecheck.Config(preview=True)
PREVIEW = "--preview"

SAFE = {Applicability.safe}
SAFE_OR_UNSAFE = {Applicability.safe, Applicability.unsafe}


def _allowed(unsafe: bool) -> set[Applicability]:
    return SAFE_OR_UNSAFE if unsafe else SAFE


def _applied(text: str, edits) -> str:
    """Apply one round's edits (offsets into `text`) from the end backwards."""
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text


# -- strategies -----------------------------------------------------------------------------------

PROBLEM_PHRASES = [
    "Actually, ",
    "actually, ",
    "Well, actually, ",
    "Per my last email, ",
    "per my last email",
    "As I said, ",
    ", as I said, ",
    "as I said",
    "Like I mentioned before, ",
    "As previously stated, ",
    "I have already explained this twice. ",
    "you have to ",
    "You must ",
    "you will need to ",
    "Again, ",
    "Once again, ",
    "Obviously, ",
    "obviously ",
    "Simply ",
    "simply ",
    "just simply ",
    "{{first_name}}",
    "{{ticket.requester.first_name}}",
    "*|FNAME|*",
    "{FNAME}",
    "[Customer Name]",
    "Please be advised that ",
    "Kindly confirm ",
    "Kindly revert",
    "We regret to inform you ",
    "We can't ship to Norway until May",
    "we can\u2019t refund this until Monday",
    "I cannot help with that",
    "No, we don't ship to Canada.",
    "No. ",
    "Hi John,",
    "Hi {{first_name}},",
    "Hi ,",
    "Dear Sir/Madam,",
    "Hello undefined,",
    "sorry for the inconvenience",
    "We apologize for any inconvenience this may have caused.",
    "With all due respect, ",
    "No offense, but ",
    "For the last time, ",
    "Friendly reminder: ",
    "Just to be clear, ",
    "Maybe the problem is on your end.",
    "I'm sorry you feel that way.",
    "a SKU",
    "an OTP",
    "the payment gateway",
    "a chargeback",
    "the A-record",
    "SSO",
    "the backend",
    "Best,\nAna",
    "Best,\nAna\nBest,\nAna",
    "Hi Tom,\nHi Tom,\n",
    "\n> As I said, you have to pay.\n",
    "`you have to`",
]
WORDS = [
    "the",
    "a",
    "an",
    "refund",
    "invoice",
    "router",
    "we",
    "you",
    "I",
    "can",
    "it",
    "order",
    "is",
    "was",
    "restart",
    "Monday",
    "item",
    "Sara",
    "John",
    "Thanks",
    "please",
    "again",
    "actually",
    "said",
    "email",
    "coupon",
    "used",
    "once",
    "hour",
    "one",
]
SEPARATORS = [
    " ",
    "  ",
    ", ",
    ". ",
    "! ",
    "? ",
    "; ",
    ": ",
    ",",
    ".",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "\u201c",
    "\u201d",
    "\u2018",
    "\u2019",
    "'",
    '"',
    " \u2014 ",
    "-",
    "(",
    ")",
    "\u00a0",
    "\u2028",
    "*",
    "> ",
]

fragment = st.one_of(
    st.sampled_from(PROBLEM_PHRASES),
    st.sampled_from(WORDS),
    st.sampled_from(SEPARATORS),
    st.text(max_size=6),
)
reply_texts = st.lists(fragment, max_size=30).map("".join)
any_texts = st.one_of(reply_texts, reply_texts, st.text(max_size=300))
contexts = st.sampled_from([None, {"customer_name": "Sara"}, {"customer_name": "Ana Mar\u00eda"}])
modes = st.sampled_from(["draft", "saved"])

PROPERTY = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


# -- properties -----------------------------------------------------------------------------------


@PROPERTY
@given(text=any_texts, context=contexts, mode=modes)
def test_fix_never_raises_safe_or_unsafe(text, context, mode):
    for unsafe in (False, True):
        result = tonecheck.fix(text, mode=mode, context=context, unsafe=unsafe, config=ALL_RULES)
        assert isinstance(result, FixResult)
        assert isinstance(result.text, str)
        assert result.changed == bool(result.edits)
        if not result.edits:
            assert result.text == text


@PROPERTY
@given(text=any_texts, context=contexts, unsafe=st.booleans(), mode=modes)
def test_fix_is_idempotent(text, context, unsafe, mode):
    first = tonecheck.fix(text, mode=mode, context=context, unsafe=unsafe, config=ALL_RULES)
    second = tonecheck.fix(first.text, mode=mode, context=context, unsafe=unsafe, config=ALL_RULES)
    assert second.text == first.text, (text, first.text, second.edits)
    assert second.edits == (), (text, first.text, second.edits)
    assert second.remaining == first.remaining


@PROPERTY
@given(text=any_texts, context=contexts, unsafe=st.booleans())
def test_one_round_only_changes_text_inside_its_edits(text, context, unsafe):
    result = tonecheck.fix(text, context=context, unsafe=unsafe, max_rounds=1, config=ALL_RULES)
    previous_end = -1
    for edit in sorted(result.edits, key=lambda e: (e.start, e.end)):
        assert edit.round == 1
        assert 0 <= edit.start <= edit.end <= len(text)
        assert edit.original == text[edit.start : edit.end], edit
        assert edit.replacement != edit.original, edit
        assert edit.start >= previous_end, ("overlapping edits", result.edits)
        previous_end = edit.end
    # everything outside the edits is copied byte for byte
    assert _applied(text, result.edits) == result.text


@PROPERTY
@given(text=any_texts, context=contexts, unsafe=st.booleans())
def test_every_round_is_replayable_from_its_edits(text, context, unsafe):
    """Edit offsets index the text of their round: replaying round by round gives the result."""
    result = tonecheck.fix(text, context=context, unsafe=unsafe, config=ALL_RULES)
    current = text
    rounds = sorted({e.round for e in result.edits})
    assert rounds == list(range(1, len(rounds) + 1)), result.edits
    for number in rounds:
        edits = sorted((e for e in result.edits if e.round == number), key=lambda e: (e.start, e.end))
        for before, after in itertools.pairwise(edits):
            assert after.start >= before.end, ("overlapping edits in a round", edits)
        for edit in edits:
            assert edit.original == current[edit.start : edit.end], (number, edit, current)
        current = _applied(current, edits)
    assert current == result.text


def _new_findings(before, after) -> list[tuple[str, str]]:
    """Findings of `after` that match no finding of `before`.

    Offsets shift and a removal may capitalise the next word, so findings are compared by code
    and case-folded matched text; a match that contains, or lies inside, the match of an unused
    finding of the same code in `before` is the same problem with a wider or narrower span. A
    missing-closing finding is about the reply as a whole and its match is the last sentence (which
    a fix inside that sentence rewrites), so it is compared by code only (see
    _closing_edits for when a fix may make one appear).
    """

    def key(f) -> tuple[str, str]:
        return f.code, "" if f.category == "missing-closing" else " ".join(f.match.casefold().split())

    unused = [key(f) for f in before]
    new = []
    for code, match in sorted((key(f) for f in after), key=lambda k: -len(k[1])):
        same = next((i for i, (c, m) in enumerate(unused) if c == code and m == match), None)
        if same is None:
            same = next((i for i, (c, m) in enumerate(unused) if c == code and (match in m or m in match)), None)
        if same is None:
            new.append((code, match))
        else:
            unused.pop(same)
    return new


@PROPERTY
@example(text="Actually, No, we don't ship to Canada.", context=None, mode="draft")
@example(text="As I said, Hi {{first_name}},As I said, ", context={"customer_name": "Sara"}, mode="draft")
# (found by a longer search: fixes inside the closing lines; see _closing_edits)
@example(
    text="As I said, . actually please\nActually, Per my last email, actually Per my last email, please",
    context=None,
    mode="draft",
)
@example(
    text="Thanks\n Just to be clear, onceHi . {{first_name}}As I said, {{first_name}}",
    context={"customer_name": "Sara"},
    mode="draft",
)
@given(text=any_texts, context=contexts, mode=modes)
def test_safe_fixes_never_introduce_a_finding(text, context, mode):
    report = tonecheck.check(text, mode=mode, context=context, config=ALL_RULES)
    result = tonecheck.fix(text, mode=mode, context=context, config=ALL_RULES)
    new = _new_findings(report.findings, result.remaining)
    if _closing_edits(report, result):
        closing_codes = {f.code for f in result.remaining if f.category == "missing-closing"}
        new = [(code, match) for code, match in new if code not in closing_codes]
    assert not new, (text, result.text, new)


def _closing_edits(report, result) -> list:
    """The first-round edits inside the reply's closing lines (its last sentences and sign-off,
    from the first of them to the end). Whether a reply lacks a closing is read from those lines:
    an edit there may take away words that read as one ("... Per my last email, please" loses
    "email, please" with the phrase) or fill in the placeholder the reply ended on (a reply that
    ends on content filled in when it is sent is not judged). An edit anywhere else must not make
    a missing-closing finding appear."""
    closing = [r.start for r in report.regions if r.kind in ("closing", "signoff", "footer")]
    start = min(closing, default=len(report.text))
    return [e for e in result.edits if e.round == 1 and e.end > start]


@PROPERTY
@given(text=any_texts, context=contexts, unsafe=st.booleans())
def test_applied_edits_have_an_allowed_applicability(text, context, unsafe):
    result = tonecheck.fix(text, context=context, unsafe=unsafe, config=ALL_RULES)
    for edit in result.edits:
        assert edit.applicability in _allowed(unsafe), edit
        assert edit.applicability is not Applicability.display_only, edit
    # and the applicability an edit reports is that of a real suggestion of its finding
    first_round = tonecheck.check(text, context=context, config=ALL_RULES).findings
    for edit in (e for e in result.edits if e.round == 1):
        assert any(
            f.code == edit.code
            and any(
                s.title == edit.title and s.applicability == edit.applicability and s.replacement is not None
                for s in f.suggestions
            )
            for f in first_round
        ), (edit, first_round)


@PROPERTY
@given(text=any_texts, context=contexts, unsafe=st.booleans(), mode=modes)
def test_remaining_is_the_check_of_the_fixed_text(text, context, unsafe, mode):
    result = tonecheck.fix(text, mode=mode, context=context, unsafe=unsafe, config=ALL_RULES)
    assert result.remaining == tonecheck.check(result.text, mode=mode, context=context, config=ALL_RULES).findings


@PROPERTY
@given(text=reply_texts)
def test_safe_only_fix_applies_nothing_unsafe(text):
    """The same text: what the safe run changes is a subset of what the unsafe run may touch, and
    a text whose findings offer nothing but display-only or unsafe suggestions is left alone."""
    report = tonecheck.check(text, config=ALL_RULES)
    safe_offered = any(
        s.applicability is Applicability.safe and s.replacement is not None
        for f in report.findings
        for s in f.suggestions
    )
    result = tonecheck.fix(text, config=ALL_RULES)
    if not safe_offered:
        assert result.text == text and result.edits == (), (text, result.edits)


# -- examples: safe removals ------------------------------------------------------------------------


def test_sentence_initial_actually_is_removed_and_next_word_capitalised():
    result = tonecheck.fix("Actually, the refund was sent on Monday.", config=ALL_RULES)
    assert result.text == "The refund was sent on Monday."
    assert [e.code for e in result.edits] == ["PAG001"]
    assert result.edits[0].applicability is Applicability.safe
    assert result.remaining == ()


def test_actually_at_the_start_of_a_later_sentence():
    text = wrap_reply("Thanks for waiting. Actually, your refund was sent on Monday.")
    result = tonecheck.fix(text, config=ALL_RULES)
    assert result.text == wrap_reply("Thanks for waiting. Your refund was sent on Monday.")


def test_well_actually_goes_as_a_whole():
    assert (
        tonecheck.fix("Well, actually, that option is under Settings.", config=ALL_RULES).text
        == "That option is under Settings."
    )


def test_per_my_last_email_is_removed():
    result = tonecheck.fix("Per my last email, the invoice is attached.", config=ALL_RULES)
    assert result.text == "The invoice is attached."
    assert [(e.code, e.applicability) for e in result.edits] == [("PAG003", Applicability.safe)]


def test_again_is_removed_but_not_again_thank_you():
    assert tonecheck.fix("Again, the code only works once.", config=ALL_RULES).text == "The code only works once."
    kept = "Again, thank you for your patience!"
    assert tonecheck.fix(kept, config=ALL_RULES).text == kept


def test_a_removal_never_touches_the_text_before_it():
    text = "Hi Sam,\n\nYour order shipped.  Per my last email, the invoice is attached."
    result = tonecheck.fix(text, config=ALL_RULES)
    assert result.text == "Hi Sam,\n\nYour order shipped.  The invoice is attached."


def test_a_removed_line_takes_its_line_break_and_a_removed_paragraph_its_blank_line():
    pasted = "Hi Tom,\nHi Tom,\n\nThanks for your order! The lamp shipped today.\n\nBest,\nIsla"
    assert (
        tonecheck.fix(pasted, config=ALL_RULES).text
        == "Hi Tom,\n\nThanks for your order! The lamp shipped today.\n\nBest,\nIsla"
    )
    counted = "Hi Jo,\n\nThe refund left on Monday.\n\nI keep having to repeat myself.\n\nThanks,\nMo"
    fixed = tonecheck.fix(counted, config=ALL_RULES, unsafe=True).text
    assert fixed == "Hi Jo,\n\nThe refund left on Monday.\n\nThanks,\nMo"


def test_fix_respects_ignore():
    text = "Actually, the refund was sent."
    result = tonecheck.fix(text, ignore=("PAG001",), config=ALL_RULES)
    assert result.text == text
    assert result.edits == ()


# -- examples: placeholders and names -------------------------------------------------------------


def test_first_name_placeholder_is_filled_from_context_without_unsafe():
    text = "Hi {{first_name}},\n\nYour order shipped."
    result = tonecheck.fix(text, context={"customer_name": "Sara"}, config=ALL_RULES)
    assert result.text == "Hi Sara,\n\nYour order shipped."
    assert [(e.code, e.applicability, e.original) for e in result.edits] == [
        ("TPL001", Applicability.safe, "{{first_name}}")
    ]


def test_placeholder_without_a_name_in_context_is_display_only_and_left_alone():
    text = "Hi {{first_name}},\n\nYour order shipped."
    for unsafe in (False, True):
        result = tonecheck.fix(text, unsafe=unsafe, config=ALL_RULES)
        assert result.text == text
        assert result.edits == ()
        # (a short email without a closing line also gets CLO001: not what this test is about)
        assert [f.code for f in result.remaining if f.category != "missing-closing"] == ["TPL001"]


def test_wrong_name_in_greeting_is_replaced_with_the_first_name():
    result = tonecheck.fix("Hi John,\n\nYour order shipped.", context={"customer_name": "Sara Lee"}, config=ALL_RULES)
    assert result.text == "Hi Sara,\n\nYour order shipped."
    assert result.edits[0].applicability is Applicability.safe


# -- examples: unsafe tone rewrites -----------------------------------------------------------------


def test_as_i_said_and_obligation_rewritten_with_unsafe():
    text = "As I said, you have to pay the return postage."
    result = tonecheck.fix(text, unsafe=True, config=ALL_RULES)
    assert result.text == "To recap, please pay the return postage."
    assert {e.code for e in result.edits} == {"PAG002", "NEG010"}
    assert all(e.applicability is Applicability.unsafe for e in result.edits)


def test_tone_rewrites_are_not_applied_without_unsafe():
    text = "As I said, you have to pay the return postage."
    result = tonecheck.fix(text, config=ALL_RULES)
    assert result.text == text
    assert result.edits == ()
    assert {f.code for f in result.remaining} == {"PAG002", "NEG010"}


def test_mid_sentence_as_i_said_is_dropped_with_its_commas():
    result = tonecheck.fix("The coupon, as I said, can be used once.", unsafe=True, config=ALL_RULES)
    assert result.text == "The coupon can be used once."


def test_cant_until_becomes_can_from():
    assert (
        tonecheck.fix("we can't ship to Norway until May", unsafe=True, config=ALL_RULES).text
        == "we can ship to Norway from May"
    )
    assert (
        tonecheck.fix("We can't ship to Norway until May.", unsafe=True, config=ALL_RULES).text
        == "We can ship to Norway from May."
    )
    # a curly apostrophe is read as a straight one
    assert (
        tonecheck.fix("We can\u2019t ship to Norway until May.", unsafe=True, config=ALL_RULES).text
        == "We can ship to Norway from May."
    )
    unchanged = "We can't ship to Norway until May."
    assert tonecheck.fix(unchanged, config=ALL_RULES).text == unchanged


def test_overlapping_edits_are_applied_in_later_rounds():
    # "Actually, y" -> "Y" (PAG001, safe) overlaps "you have to" (NEG010): the second waits a round
    result = tonecheck.fix("Actually, you have to pay the return postage.", unsafe=True, config=ALL_RULES)
    assert result.text == "Please pay the return postage."
    assert [(e.code, e.round) for e in result.edits] == [("PAG001", 1), ("NEG010", 2)]


def test_max_rounds_stops_early():
    result = tonecheck.fix("Obviously, you need to pay the fee.", unsafe=True, max_rounds=1, config=ALL_RULES)
    assert result.text == "You need to pay the fee."
    assert [f.code for f in result.remaining] == ["NEG010"]
    assert (
        tonecheck.fix("Obviously, you need to pay the fee.", unsafe=True, config=ALL_RULES).text
        == "Please pay the fee."
    )


def test_case_is_kept_at_sentence_start():
    assert (
        tonecheck.fix("Kindly note the new address.", unsafe=True, config=ALL_RULES).text
        == "Please note the new address."
    )
    assert (
        tonecheck.fix("Thanks. Kindly note the new address.", unsafe=True, config=ALL_RULES).text
        == "Thanks. Please note the new address."
    )
    assert tonecheck.fix("Obviously the button is blue.", unsafe=True, config=ALL_RULES).text == "The button is blue."
    assert tonecheck.fix("The button is blue, obviously.", unsafe=True, config=ALL_RULES).text == "The button is blue."


def test_display_only_suggestions_are_never_applied():
    text = "Please read the FAQ before contacting us. It works fine on our end."
    report = tonecheck.check(text, config=ALL_RULES)
    assert report.findings
    assert all(s.applicability is Applicability.display_only for f in report.findings for s in f.suggestions)
    result = tonecheck.fix(text, unsafe=True, config=ALL_RULES)
    assert result.text == text
    assert result.edits == ()


# -- examples: jargon, determiners and a/an (the built-in lexicons with their plain wording as an
# edit, as a team's lexicon that declares `replacement: "{plain}"` has it) ---------------------------


def test_jargon_replacement_makes_a_agree_with_a_vowel(jargon_with_edits):
    # JAR005 lexicon: "(SKU|SKUs)": "item"
    result = tonecheck.fix("Please order a SKU today.", unsafe=True, config=jargon_with_edits)
    assert result.text == "Please order an item today."


def test_jargon_replacement_does_not_double_the_article(jargon_with_edits):
    # JAR004 lexicon: "(chargeback|...)": "a payment dispute raised with your bank"
    assert (
        tonecheck.fix("You filed a chargeback last week.", unsafe=True, config=jargon_with_edits).text
        == "You filed a payment dispute raised with your bank last week."
    )
    # "(payment gateway|payment gateways)": "the service that processes card payments"
    assert (
        tonecheck.fix("We changed the payment gateway today.", unsafe=True, config=jargon_with_edits).text
        == "We changed the service that processes card payments today."
    )


def test_jargon_replacement_keeps_a_capital_determiner(jargon_with_edits):
    assert (
        tonecheck.fix("The payment gateway is down.", unsafe=True, config=jargon_with_edits).text
        == "The service that processes card payments is down."
    )


def test_article_agrees_with_the_sound_not_the_letter(jargon_with_edits):
    # JAR003 lexicon: "(OTP|OTPs)": "one-time code"; "one" starts with a consonant sound
    assert (
        tonecheck.fix("We sent you an OTP by text.", unsafe=True, config=jargon_with_edits).text
        == "We sent you a one-time code by text."
    )


def test_jargon_is_not_replaced_without_unsafe():
    text = "Please order a SKU today."
    assert tonecheck.fix(text, config=ALL_RULES).text == text


# -- examples: the result ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, unsafe",
    [
        ("As I said, you have to pay the return postage. Per my last email, the invoice is attached.", False),
        ("As I said, you have to pay the return postage. Per my last email, the invoice is attached.", True),
        ("Hi {{first_name}},\n\nWe can't ship to Norway until May.", True),
    ],
)
def test_remaining_equals_check_of_result(text, unsafe):
    result = tonecheck.fix(text, unsafe=unsafe, config=ALL_RULES)
    assert result.edits
    assert result.remaining == tonecheck.check(result.text, config=ALL_RULES).findings


def test_clean_text_is_returned_as_is():
    text = wrap_reply("Your refund went out today and should arrive within five days.")
    result = tonecheck.fix(text, unsafe=True, config=ALL_RULES)
    assert result.text == text
    assert result.edits == () and not result.changed
    assert result.remaining == tonecheck.check(text, config=ALL_RULES).findings


def test_lone_surrogate_does_not_raise():
    # any str, including one with a lone surrogate (e.g. from os.fsdecode / surrogateescape)
    result = tonecheck.fix("\udcffActually, the refund was sent.", config=ALL_RULES)
    assert isinstance(result.text, str)


# -- CLI ----------------------------------------------------------------------------------------------


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def reply_file(tmp_path):
    path = tmp_path / "reply.txt"
    path.write_bytes(wrap_reply("Actually, the refund was sent on Monday.").encode("utf-8"))
    os.chmod(path, 0o640)
    return path


def test_cli_fix_rewrites_the_file_in_place(run_cli, reply_file):
    result = run_cli(["check", PREVIEW, "--fix", str(reply_file)])
    assert reply_file.read_text(encoding="utf-8") == wrap_reply("The refund was sent on Monday.")
    assert stat.S_IMODE(reply_file.stat().st_mode) == 0o640
    assert _listing(reply_file.parent) == ["reply.txt"]  # no temporary file left behind
    assert result.code == 0, result
    assert "Applied 1 fix." in result.err


def test_cli_fix_keeps_an_executable_mode(run_cli, reply_file):
    os.chmod(reply_file, 0o755)
    run_cli(["check", PREVIEW, "--fix", str(reply_file)])
    assert stat.S_IMODE(reply_file.stat().st_mode) == 0o755


def test_cli_fix_keeps_crlf_line_endings(run_cli, tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(wrap_reply("Actually, the refund was sent on Monday.").replace("\n", "\r\n").encode())
    run_cli(["check", PREVIEW, "--fix", str(path)])
    assert path.read_bytes() == wrap_reply("The refund was sent on Monday.").replace("\n", "\r\n").encode()


def test_cli_fix_keeps_a_byte_order_mark(run_cli, tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + wrap_reply("Actually, the refund was sent on Monday.").encode())
    run_cli(["check", PREVIEW, "--fix", str(path)])
    assert path.read_bytes() == b"\xef\xbb\xbf" + wrap_reply("The refund was sent on Monday.").encode()


def test_cli_fix_leaves_a_file_without_fixes_untouched(run_cli, tmp_path):
    path = tmp_path / "clean.txt"
    content = wrap_reply("Your refund went out today.")
    path.write_text(content, encoding="utf-8")
    before = path.stat().st_mtime_ns, path.stat().st_ino
    result = run_cli(["check", PREVIEW, "--fix", str(path)])
    assert path.read_text(encoding="utf-8") == content
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == before
    assert "Applied 0 fixes." in result.err


def test_cli_fix_reports_findings_that_remain(run_cli, tmp_path):
    path = tmp_path / "reply.txt"
    path.write_text(wrap_reply("Actually, the refund was sent. As I said, it takes five days."), encoding="utf-8")
    result = run_cli(["check", PREVIEW, "--fix", str(path)])
    assert path.read_text(encoding="utf-8") == wrap_reply("The refund was sent. As I said, it takes five days.")
    assert result.code == 1, result
    assert "PAG002" in result.out and "PAG001" not in result.out


def test_write_failure_leaves_the_file_and_folder_as_they_were(run_cli, reply_file, monkeypatch):
    original = reply_file.read_bytes()

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    result = run_cli(["check", PREVIEW, "--fix", str(reply_file)])
    assert result.code == 2, result
    assert "cannot write" in result.err
    assert reply_file.read_bytes() == original
    assert _listing(reply_file.parent) == ["reply.txt"]


def test_write_atomically_replaces_and_keeps_mode(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("old\n", encoding="utf-8")
    os.chmod(path, 0o600)
    from tonecheck._files import rewrite

    rewrite(path, "new \u00e9\r\ntext".encode(), expected=b"old\n", root=tmp_path, limit=1000)
    assert path.read_bytes() == "new \u00e9\r\ntext".encode("utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _listing(tmp_path) == ["r.txt"]


def test_cli_diff_prints_a_unified_diff_and_writes_nothing(run_cli, reply_file):
    before = reply_file.read_bytes()
    result = run_cli(["check", PREVIEW, "--diff", str(reply_file)])
    assert result.code == 1, result
    lines = result.out.splitlines()
    assert any(line.startswith("--- ") and line.endswith("reply.txt") for line in lines), result
    assert any(line.startswith("+++ ") and line.endswith("reply.txt") for line in lines), result
    assert any(line.startswith("@@ ") for line in lines), result
    assert "-Actually, the refund was sent on Monday." in lines
    assert "+The refund was sent on Monday." in lines
    assert not [line for line in lines if line.startswith(("-Hi", "+Hi", "-Best", "+Best"))]
    assert reply_file.read_bytes() == before
    assert _listing(reply_file.parent) == ["reply.txt"]


def _patched(old: str, diff: str) -> str:
    """Apply a unified diff (as printed by --diff) to `old`."""
    import re

    source = old.splitlines(keepends=True)
    result: list[str] = []
    cursor = 0
    lines = diff.splitlines(keepends=True)
    index = 0
    while index < len(lines):
        header = re.match(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@", lines[index])
        index += 1
        if not header:
            continue
        start = int(header.group(1)) - (0 if header.group(2) == "0" else 1)
        result.extend(source[cursor:start])
        cursor = start
        while index < len(lines) and not lines[index].startswith("@@"):
            line = lines[index]
            if line.startswith(" "):
                assert source[cursor] == line[1:], (source[cursor], line)
                result.append(line[1:])
                cursor += 1
            elif line.startswith("-"):
                assert source[cursor] == line[1:], (source[cursor], line)
                cursor += 1
            elif line.startswith("+"):
                result.append(line[1:])
            index += 1
    result.extend(source[cursor:])
    return "".join(result)


def test_cli_diff_applies_cleanly(run_cli, reply_file):
    """Applying the printed diff gives exactly what --fix writes."""
    old = reply_file.read_text(encoding="utf-8")
    diff = run_cli(["check", PREVIEW, "--diff", str(reply_file)]).out
    run_cli(["check", PREVIEW, "--fix", str(reply_file)])
    assert _patched(old, diff) == reply_file.read_text(encoding="utf-8") != old


def test_cli_diff_exits_0_when_nothing_would_change(run_cli, tmp_path):
    path = tmp_path / "clean.txt"
    path.write_text(wrap_reply("Your refund went out today."), encoding="utf-8")
    result = run_cli(["check", PREVIEW, "--diff", str(path)])
    assert result.code == 0, result
    assert result.out == ""


def test_cli_diff_exits_0_when_only_unsafe_fixes_exist(run_cli, tmp_path):
    path = tmp_path / "unsafe.txt"
    path.write_text(wrap_reply("As I said, you have to pay the return postage."), encoding="utf-8")
    assert run_cli(["check", PREVIEW, "--diff", str(path)]).code == 0
    result = run_cli(["check", PREVIEW, "--diff", "--unsafe-fixes", str(path)])
    assert result.code == 1, result
    assert "+To recap, please pay the return postage." in result.out.splitlines()
    assert path.read_text(encoding="utf-8") == wrap_reply("As I said, you have to pay the return postage.")


def test_cli_unsafe_fixes_applies_tone_rewrites(run_cli, tmp_path):
    path = tmp_path / "reply.txt"
    path.write_text(wrap_reply("As I said, you have to pay the return postage."), encoding="utf-8")
    run_cli(["check", PREVIEW, "--fix", str(path)])
    assert path.read_text(encoding="utf-8") == wrap_reply("As I said, you have to pay the return postage.")
    result = run_cli(["check", PREVIEW, "--fix", "--unsafe-fixes", str(path)])
    assert path.read_text(encoding="utf-8") == wrap_reply("To recap, please pay the return postage.")
    assert "Applied 2 fixes." in result.err


def test_cli_fix_on_stdin_prints_the_fixed_text(run_cli):
    result = run_cli(["check", PREVIEW, "--fix", "-"], stdin="Actually, the refund was sent on Monday.\n")
    assert result.out == "The refund was sent on Monday.\n"
    assert result.code in (0, 1)


def test_cli_fix_on_stdin_without_changes_still_prints_the_text(run_cli):
    # `tonecheck check --fix - < in > out` must not leave `out` empty when nothing needed fixing
    text = "Your refund went out today.\n"
    result = run_cli(["check", PREVIEW, "--fix", "-"], stdin=text)
    assert result.out == text, result


def test_cli_stdin_is_a_draft_so_placeholders_get_filled(run_cli):
    result = run_cli(
        ["check", PREVIEW, "--fix", "--customer-name", "Sara", "-"], stdin="Hi {{first_name}},\n\nYour order shipped.\n"
    )
    assert result.out == "Hi Sara,\n\nYour order shipped.\n"


def test_cli_files_are_saved_replies_unless_mode_draft(run_cli, tmp_path):
    path = tmp_path / "macro.txt"
    content = wrap_reply("Your order shipped.").replace("Hi Sam,", "Hi {{first_name}},")
    path.write_text(content, encoding="utf-8")
    run_cli(["check", PREVIEW, "--fix", "--customer-name", "Sara", str(path)])
    assert path.read_text(encoding="utf-8") == content  # saved mode: a placeholder is expected
    run_cli(["check", PREVIEW, "--fix", "--mode", "draft", "--customer-name", "Sara", str(path)])
    assert path.read_text(encoding="utf-8") == wrap_reply("Your order shipped.").replace("Hi Sam,", "Hi Sara,")


def test_cli_fix_writes_fixes_into_a_json_export_and_nothing_else(run_cli, tmp_path):
    source = REPO_ROOT / "tests" / "data" / "formats" / "zendesk_macros.json"
    data = json.loads(source.read_text(encoding="utf-8"))
    data["macros"][0]["actions"][1]["value"] = wrap_reply("Actually, the refund was sent on Monday.")
    path = tmp_path / "macros.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    diff = run_cli(["check", PREVIEW, "--diff", str(path)])
    assert diff.code == 1 and "Actually, the refund" in diff.out and "The refund" in diff.out, diff
    result = run_cli(["check", PREVIEW, "--fix", str(path)])
    assert _listing(tmp_path) == ["macros.json"]
    data["macros"][0]["actions"][1]["value"] = wrap_reply("The refund was sent on Monday.")
    assert path.read_text(encoding="utf-8") == json.dumps(data, indent=2)
    assert "PAG001" not in result.out, result


def test_cli_fix_as_a_real_process(run_subprocess, tmp_path):
    path = tmp_path / "reply.txt"
    path.write_text(wrap_reply("Per my last email, the invoice is attached."), encoding="utf-8")
    os.chmod(path, 0o644)
    result = run_subprocess(["check", PREVIEW, "--fix", str(path)])
    assert "Traceback" not in result.err, result
    assert path.read_text(encoding="utf-8") == wrap_reply("The invoice is attached.")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert _listing(tmp_path) == ["reply.txt"]
    assert result.code == 0, result


def test_cli_fix_stdin_as_a_real_process(run_subprocess):
    result = run_subprocess(
        ["check", PREVIEW, "--fix", "--unsafe-fixes", "-"], stdin="We can\u2019t ship to Norway until May.\n"
    )
    assert result.out == "We can ship to Norway from May.\n", result


# -- a suggestion is the whole edit: applied on its own by a caller (the library, the JSON output,
# a pre-send hook), it reads as `fix` writes it -------------------------------------------------

ON_ITS_OWN = [
    ("Actually, we sent it yesterday.", "We sent it yesterday."),
    ("Per my last email, the refund was sent.", "The refund was sent."),
    ("Thanks for waiting. Again, the refund was sent on Monday.", "Thanks for waiting. The refund was sent on Monday."),
    ("The refund, as per my last email, was sent.", "The refund was sent."),
    # a word whose capitals are its own opens the sentence as it is
    ("Actually, iOS does support it.", "iOS does support it."),
]


@pytest.mark.parametrize(("text", "fixed"), ON_ITS_OWN)
def test_a_suggestion_applied_on_its_own_reads_as_fix_writes_it(text, fixed):
    findings = tonecheck.check(text, config=ALL_RULES).findings
    edits = [s for f in findings for s in f.suggestions if s.applicability is Applicability.safe]
    assert len(edits) == 1, findings
    s = edits[0]
    assert s.start is not None and s.end is not None and s.replacement is not None
    assert text[: s.start] + s.replacement + text[s.end :] == fixed
    assert tonecheck.fix(text, config=ALL_RULES).text == fixed
    # the file offsets of plain text are the reply's
    assert (s.source_start, s.source_end) == (s.start, s.end)
