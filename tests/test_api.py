"""The library API: tonecheck.check, Report, Finding, Config."""

from __future__ import annotations

import re
from typing import Any

import pydantic
import pytest
from conftest import TONE_CATEGORIES, overlapping, span_of, tone_findings, wrap_reply

import tonecheck
from tonecheck import (
    CATEGORIES,
    Applicability,
    Config,
    ConfigError,
    Finding,
    InputError,
    Report,
    RuleError,
    Severity,
    Suggestion,
    TonecheckError,
)
from tonecheck._ruleset.load import load_rules

FIVE_CATEGORIES = {"negative-language", "passive-aggressive", "jargon", "template-leftover", "missing-closing"}


# These tests exercise what the rules find, preview rules included (they do not run by default:
# see test_preview.py for the default selection).
ALL_RULES = Config(preview=True)


def _rules():
    return load_rules().rules


# -- public surface ---------------------------------------------------------------------------


def test_public_names_are_exported():
    for name in (
        "check",
        "Config",
        "Report",
        "Finding",
        "Suggestion",
        "Severity",
        "Applicability",
        "ConfigError",
        "RuleError",
        "InputError",
        "TonecheckError",
        "CATEGORIES",
    ):
        assert hasattr(tonecheck, name), name
        assert name in tonecheck.__all__, name


def test_categories_are_the_five_from_the_issue():
    assert set(CATEGORIES) == FIVE_CATEGORIES
    assert len(CATEGORIES) == 5


def test_error_classes_share_a_base():
    for cls in (ConfigError, RuleError, InputError):
        assert issubclass(cls, TonecheckError)
        assert issubclass(cls, Exception)


def test_applicability_values():
    assert {a.value for a in Applicability} == {"safe", "unsafe", "display-only"}


def test_check_is_keyword_only_after_text():
    with pytest.raises(TypeError):
        tonecheck.check("We can't do that.", "draft")  # type: ignore[misc]


# -- the report -------------------------------------------------------------------------------


def test_report_echoes_text_and_mode():
    text = wrap_reply("We can't ship to Norway until May.")
    report = tonecheck.check(text)
    assert isinstance(report, Report)
    assert report.text == text
    assert report.mode == "draft"
    saved = tonecheck.check(text, mode="saved")
    assert saved.mode == "saved"


def test_a_bare_refusal_is_flagged_with_a_complete_finding():
    text = wrap_reply("Thanks for waiting. We can't ship to Norway until May.")
    report = tonecheck.check(text, config=ALL_RULES)
    start, end = span_of(text, "We can't")
    hits = overlapping(report.findings, start, end, ["negative-language"])
    assert hits, report.findings
    finding = hits[0]
    assert isinstance(finding, Finding)
    assert finding.category == "negative-language"
    assert re.fullmatch(r"[A-Z]{3}\d{3}", finding.code)
    rule = load_rules().by_code()[finding.code]
    assert finding.name == rule.name
    assert finding.category == rule.category
    assert isinstance(finding.severity, Severity)
    assert finding.message.strip()
    assert text[finding.start : finding.end] == finding.match
    assert "can't" in finding.match
    for suggestion in finding.suggestions:
        assert isinstance(suggestion, Suggestion)
        assert suggestion.title.strip()
        assert suggestion.replacement is None or isinstance(suggestion.replacement, str)
        assert isinstance(suggestion.applicability, Applicability)


def test_line_and_column_are_one_based_and_match_offsets():
    text = "Hi Sam,\n\nThanks for waiting.\nSadly we can't ship to Norway.\n\nBest,\nAna"
    report = tonecheck.check(text, config=ALL_RULES)
    start, end = span_of(text, "we can't")
    hits = overlapping(report.findings, start, end, ["negative-language"])
    assert hits
    f = hits[0]
    line_start = text.rfind("\n", 0, f.start) + 1
    assert f.line == 4
    assert f.column == f.start - line_start + 1
    assert f.column >= 1
    assert f.end_line == 4
    # single-line match: end_column is one past the last character, 1-based
    assert f.end_column == f.column + (f.end - f.start)


def test_first_character_is_line_1_column_1():
    text = "We can't ship to Norway."
    f = tonecheck.check(text, config=ALL_RULES).by_category("negative-language")[0]
    assert f.start == 0
    assert (f.line, f.column) == (1, 1)


def test_findings_are_sorted_by_position():
    text = wrap_reply(
        "As I said, you have to restart the router. We can't refund this. "
        "Per my last email, that's your fault. Obviously, the FAQ covers it. We can't help."
    )
    report = tonecheck.check(text, config=ALL_RULES)
    assert len(report.findings) >= 4
    starts = [(f.start, f.end) for f in report.findings]
    assert [s for s, _ in starts] == sorted(s for s, _ in starts)


def test_offsets_are_into_the_text_given_even_with_non_ascii_before():
    prefix = "Héllo 👋🏽 Zoë — 日本語のテキスト.\n\n"
    text = prefix + "We can’t refund this order."
    report = tonecheck.check(text, config=ALL_RULES)
    start, end = span_of(text, "We can’t")
    hits = overlapping(report.findings, start, end, ["negative-language"])
    assert hits
    assert hits[0].start == start
    assert hits[0].match.startswith("We can’t")
    assert hits[0].line == 3 and hits[0].column == 1


def test_finding_is_frozen():
    f = tonecheck.check("We can't do that.", config=ALL_RULES).by_category("negative-language")[0]
    with pytest.raises((pydantic.ValidationError, TypeError, AttributeError)):
        f.start = 5  # type: ignore[misc]
    with pytest.raises((pydantic.ValidationError, TypeError, AttributeError)):
        f.code = "XXX999"  # type: ignore[misc]
    assert f.start == 0


def test_finding_rejects_unknown_category_and_fields():
    base = {
        "code": "NEG001",
        "name": "x",
        "category": "negative-language",
        "severity": "warning",
        "message": "m",
        "start": 0,
        "end": 1,
        "source_start": 0,
        "source_end": 1,
        "line": 1,
        "column": 1,
        "end_line": 1,
        "end_column": 2,
        "match": "a",
    }
    Finding(**base)
    # a team's rule pack may declare a category of its own (`category: house-style`), in kebab case
    assert Finding(**{**base, "category": "house-style"}).category == "house-style"
    with pytest.raises(pydantic.ValidationError):
        Finding(**{**base, "category": "Rude ness"})
    with pytest.raises(pydantic.ValidationError):
        Finding(**{**base, "colour": "red"})
    with pytest.raises(pydantic.ValidationError):
        Suggestion(title="t", applicability="maybe")


def test_report_helpers_filter_by_category_and_severity():
    text = wrap_reply("That's your fault. We can't refund this. Please be advised that it shipped.")
    report = tonecheck.check(text, config=ALL_RULES)
    assert report.findings
    for category in CATEGORIES:
        assert report.by_category(category) == tuple(f for f in report.findings if f.category == category)
    for level in Severity:
        expected = tuple(f for f in report.findings if f.severity.rank >= level.rank)
        assert report.at_least(level) == expected
        assert report.at_least(level.value) == expected
    assert len(report.at_least("info")) == len(report.findings)


# -- input validation -------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [b"We can't", None, 42, ["We can't"]])
def test_non_string_input_raises_input_error(bad):
    with pytest.raises(InputError):
        tonecheck.check(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("mode", ["Draft", "final", "", None])
def test_unknown_mode_raises_input_error(mode):
    with pytest.raises(InputError):
        tonecheck.check("We can't.", mode=mode)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "\t \r\n ", "\u00a0\u2028"])
def test_empty_and_blank_text_give_no_tone_findings(text):
    report = tonecheck.check(text, config=ALL_RULES)
    assert report.text == text
    assert tone_findings(report) == []
    for f in report.findings:
        assert 0 <= f.start <= f.end <= len(text)


def test_large_neutral_text_is_checked():
    text = "Thanks for writing in, the parcel is on its way and should arrive on Monday.\n" * 14_000
    assert len(text) > 1_000_000
    report = tonecheck.check(text, config=ALL_RULES)
    assert tone_findings(report) == []


# -- forms of the bad phrases -----------------------------------------------------------------

NEGATIVE_FORMS = [
    "We can't ship to Norway.",
    "We can’t ship to Norway.",
    "We cannot ship to Norway.",
    "We can not ship to Norway.",
    "I'm unable to change the billing date.",
    "I’m unable to change the billing date.",
    "We won't be able to reopen the ticket.",
    "We really can't refund this order.",
    "We really can’t refund this order.",
    "Unfortunately, we simply cannot refund this order.",
    "We honestly just can't do that.",
    # obligations put on the customer (how-to steps towards their own goal are not: see
    # tests/test_context.py)
    "You have to pay the return postage.",
    "You’ll have to pay the return postage.",
    "You'll have to wait until Monday.",
    "You will definitely have to wait until Monday.",
    "You will also need to pay the difference in fare.",
    "You’re required to give 30 days' notice.",
    "You must return the item within 14 days.",
]


@pytest.mark.parametrize("sentence", NEGATIVE_FORMS)
def test_negative_language_is_caught_in_its_forms(sentence):
    text = wrap_reply(sentence)
    start, end = span_of(text, sentence)
    report = tonecheck.check(text, config=ALL_RULES)
    hits = overlapping(report.findings, start, end, ["negative-language"])
    assert hits, f"nothing flagged in {sentence!r}"
    # the match starts at the subject, never in the greeting before it
    assert all(start <= f.start for f in hits)


PASSIVE_AGGRESSIVE_FORMS = [
    "As I said, the refund takes five days.",
    "As I’ve said, the refund takes five days.",
    "As I've already mentioned, the refund takes five days.",
    "Like I mentioned before, the app needs an update.",
    "Per my last email, the invoice is attached.",
    "Just to be clear, the plan renews monthly.",
    "Obviously, you need to log in first.",
    "Please read the FAQ before contacting us.",
    "This is the third time I've explained this.",
    "I’m sorry you feel that way.",
]


@pytest.mark.parametrize("sentence", PASSIVE_AGGRESSIVE_FORMS)
def test_passive_aggressive_language_is_caught_in_its_forms(sentence):
    text = wrap_reply(sentence)
    start, end = span_of(text, sentence)
    hits = overlapping(tonecheck.check(text, config=ALL_RULES).findings, start, end, ["passive-aggressive"])
    assert hits, f"nothing flagged in {sentence!r}"


@pytest.mark.parametrize(
    "straight",
    [
        "We can't refund this. You'll have to wait. As I've said, it's on its way.",
        "I'm unable to help; you're required to call. That's your fault.",
        "Well, actually, it's in the terms you accepted. I'm sorry you feel that way.",
    ],
)
def test_curly_apostrophes_give_the_same_findings(straight):
    curly = straight.replace("'", "\u2019")
    left = straight.replace("'", "\u2018")
    assert len(curly) == len(straight)
    base = [(f.code, f.start, f.end) for f in tone_findings(tonecheck.check(straight, config=ALL_RULES))]
    assert base
    assert [(f.code, f.start, f.end) for f in tone_findings(tonecheck.check(curly, config=ALL_RULES))] == base
    assert [(f.code, f.start, f.end) for f in tone_findings(tonecheck.check(left, config=ALL_RULES))] == base
    # and the match is the customer's own characters, curly ones included
    for f in tonecheck.check(curly, config=ALL_RULES).findings:
        assert f.match == curly[f.start : f.end]


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("Sorry, but we\ncan't ship to Norway.", "we\ncan't"),
        ("Sorry, we  can't ship to Norway.", "we  can't"),
        ("Thanks. As I\nsaid, the refund takes five days.", "As I\nsaid"),
        ("The router is old. You have\nto pay for it.", "You have\nto"),
    ],
)
def test_phrases_broken_by_line_wrap_or_double_space_are_caught(text, phrase):
    # Plain-text email is often hard-wrapped; a phrase split over two lines (or with a double
    # space) is the same phrase.
    start, end = span_of(text, phrase)
    hits = overlapping(tonecheck.check(text, config=ALL_RULES).findings, start, end, TONE_CATEGORIES)
    assert hits, f"{phrase!r} not flagged in {text!r}"


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("Sorry, but we\ncan't ship to Norway.", "we\ncan't"),
        ("Thanks. As I\nsaid, the refund takes five days.", "As I\nsaid"),
        ("The parcel is late. You have\nto pay the postage.", "You have\nto"),
    ],
)
def test_wrapped_phrases_deep_in_a_long_text_are_caught_where_they_are(text, phrase):
    # the view that reads across line wraps is built near the wraps only: far into a long,
    # hard-wrapped text a wrapped phrase is still found, at its own offsets
    # (a neutral filler: news such as "it is on its way" next to a limit would soften it to a note)
    filler = "The parcel left the depot\non time on a grey and\nwindy Monday morning.\n\n" * 400
    start, end = span_of(text, phrase)
    long_text = filler + text + "\n\n" + filler
    hits = overlapping(
        tonecheck.check(long_text, config=ALL_RULES).findings, len(filler) + start, len(filler) + end, TONE_CATEGORIES
    )
    short = overlapping(tonecheck.check(text, config=ALL_RULES).findings, start, end, TONE_CATEGORIES)
    assert hits and [(f.code, f.start - len(filler), f.end - len(filler)) for f in hits] == [
        (f.code, f.start, f.end) for f in short
    ]


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("WE CAN'T SHIP TO NORWAY.", "WE CAN'T"),
        ("WE CANNOT REFUND THIS ORDER.", "WE CANNOT"),
        ("We CAN'T refund this order.", "We CAN'T"),
    ],
)
def test_shouted_phrases_are_caught(text, phrase):
    start, end = span_of(text, phrase)
    hits = overlapping(tonecheck.check(text, config=ALL_RULES).findings, start, end, ["negative-language"])
    assert hits, f"{phrase!r} not flagged in {text!r}"


# -- innocent look-alikes ---------------------------------------------------------------------

INNOCENT = [
    "No problem!",
    "No problem at all, happy to help.",
    "No worries, it happens to everyone.",
    "no worries",
    "There's no charge for the exchange.",
    "There’s no charge for the exchange.",
    "You don't have to do anything else.",
    "You don’t have to do anything.",
    "You no longer need to verify your email.",
    "You won't have to pay again.",
    "I can't wait to see what you build!",
    "I can’t wait to hear how it goes.",
    "There's nothing to worry about.",
    "Nothing to worry about, it is all sorted.",
    "As you mentioned, the app crashes on start.",
    "As you’ve mentioned, the app crashes on start.",
    "If you need to change the address, just reply here.",
    "We'll do it as soon as possible.",
    "Again, thank you for your patience!",
]


@pytest.mark.parametrize("phrase", INNOCENT)
def test_innocent_look_alikes_are_not_flagged(phrase):
    text = wrap_reply(phrase)
    start, end = span_of(text, phrase)
    report = tonecheck.check(text, config=ALL_RULES)
    assert overlapping(report.findings, start, end, TONE_CATEGORIES) == []


def test_innocent_phrases_do_not_hide_a_real_problem_next_to_them():
    text = wrap_reply("No problem! We can't refund the order, but there's no charge for the exchange.")
    report = tonecheck.check(text, config=ALL_RULES)
    bad = span_of(text, "We can't")
    assert overlapping(report.findings, *bad, ["negative-language"])
    for innocent in ("No problem!", "there's no charge"):
        assert overlapping(report.findings, *span_of(text, innocent), TONE_CATEGORIES) == []


# -- text that is not the agent's -------------------------------------------------------------

BAD = "We can't refund this. You have to read the FAQ. As I said, that's your fault."


def _assert_not_flagged_inside(text: str, foreign: str) -> None:
    start, end = span_of(text, foreign)
    report = tonecheck.check(text, config=ALL_RULES)
    inside = [f for f in report.findings if f.start < end and start < f.end and f.end > f.start]
    assert inside == [], inside


def _assert_flagged_in(text: str, own: str) -> None:
    start, end = span_of(text, own)
    assert overlapping(tonecheck.check(text, config=ALL_RULES).findings, start, end, TONE_CATEGORIES)


def test_quoted_lines_are_never_flagged():
    quote = "\n".join("> " + part for part in BAD.split(". "))
    text = f"Hi Sam,\n\nYou wrote:\n{quote}\n\nSorry about that. {BAD}\n\nBest,\nAna"
    _assert_not_flagged_inside(text, quote)
    _assert_flagged_in(text, "Sorry about that. " + BAD)


def test_indented_and_nested_quotes_are_never_flagged():
    quote = "  > We can't refund this.\n>> You have to read the FAQ.\n> > As I said, that's your fault."
    text = f"Hi Sam,\n\n{quote}\n\nThe refund went out today.\n\nBest,\nAna"
    _assert_not_flagged_inside(text, quote)


@pytest.mark.parametrize(
    "header",
    [
        "On Mon, 3 Jun 2024 at 10:02, Sam Smith <sam@example.com> wrote:",
        "On 3 June 2024, Sam wrote:",
        "On Tue, Jun 4, 2024 at 9:15 AM Sam Smith <sam@example.com> wrote:",
    ],
)
def test_everything_after_an_on_date_wrote_line_is_quoted(header):
    history = f"{header}\n{BAD}\nAnd also: we can't wait forever. You must fix this.\n\n-- \nSam"
    text = f"Hi Sam,\n\nThe refund went out today. {BAD}\n\nBest,\nAna\n\n{history}"
    _assert_not_flagged_inside(text, history)
    _assert_flagged_in(text, BAD)


def test_gmail_wrapped_wrote_header_starts_quoted_history():
    history = "On Tue, Jun 4, 2024 at 9:15 AM Sam Smith <\nsam@example.com> wrote:\n" + BAD
    text = f"Hi Sam,\n\nThe refund went out today.\n\nBest,\nAna\n\n{history}"
    _assert_not_flagged_inside(text, history)


@pytest.mark.parametrize("fence", ["```", "~~~", "```text"])
def test_fenced_code_is_never_flagged(fence):
    closer = fence[:3]
    block = f"{fence}\n{BAD}\nerror: you have to be root\n{closer}"
    text = f"Hi Sam,\n\nHere is the log:\n\n{block}\n\nSorry, {BAD}\n\nBest,\nAna"
    _assert_not_flagged_inside(text, block)
    _assert_flagged_in(text, "Sorry, " + BAD)


def test_inline_code_is_never_flagged():
    text = wrap_reply("Run `you have to restart` and then `we can't` appears; sadly we can't fix that.")
    _assert_not_flagged_inside(text, "`you have to restart`")
    _assert_not_flagged_inside(text, "`we can't`")
    _assert_flagged_in(text, "sadly we can't fix")


def test_quoting_does_not_move_offsets_of_the_agents_own_findings():
    own = "We can't refund this order."
    plain = f"Hi Sam,\n\n{own}\n"
    quote = "> We can't refund this order.\n"
    quoted = f"Hi Sam,\n\n{quote}\n{own}\n"
    plain_hits = overlapping(
        tonecheck.check(plain, config=ALL_RULES).findings, *span_of(plain, own), ["negative-language"]
    )
    quoted_start = quoted.index(own, quoted.index(quote) + len(quote))
    quoted_hits = overlapping(
        tonecheck.check(quoted, config=ALL_RULES).findings, quoted_start, quoted_start + len(own), ["negative-language"]
    )
    assert plain_hits and quoted_hits
    shift = quoted_start - plain.index(own)
    assert [(f.code, f.start + shift, f.end + shift) for f in plain_hits] == [
        (f.code, f.start, f.end) for f in quoted_hits
    ]


# -- configuration: select and ignore ---------------------------------------------------------

MIXED = wrap_reply("We can't refund this. As I said, the FAQ covers it. That's your fault.")


def _categories(report: Report) -> set[str]:
    return {f.category for f in report.findings}


def test_mixed_text_has_both_tone_categories():
    assert {"negative-language", "passive-aggressive"} <= _categories(tonecheck.check(MIXED, config=ALL_RULES))


def test_select_by_category():
    report = tonecheck.check(MIXED, config=Config(preview=True, select=("negative-language",)))
    assert report.findings
    assert _categories(report) == {"negative-language"}


def test_ignore_by_category():
    report = tonecheck.check(MIXED, config=Config(preview=True, ignore=("negative-language",)))
    assert "negative-language" not in _categories(report)
    assert "passive-aggressive" in _categories(report)


def test_select_by_code_and_name():
    start, end = span_of(MIXED, "We can't")
    rule = overlapping(tonecheck.check(MIXED, config=ALL_RULES).findings, start, end, ["negative-language"])[0]
    by_code = tonecheck.check(MIXED, config=Config(preview=True, select=(rule.code,)))
    by_name = tonecheck.check(MIXED, config=Config(preview=True, select=(rule.name,)))
    assert by_code.findings
    assert {f.code for f in by_code.findings} == {rule.code}
    assert [(f.code, f.start, f.end) for f in by_name.findings] == [(f.code, f.start, f.end) for f in by_code.findings]


def test_select_by_code_prefix_is_case_insensitive():
    default = tonecheck.check(MIXED, config=ALL_RULES)
    prefix = default.by_category("negative-language")[0].code[:3]
    for selector in (prefix, prefix.lower()):
        report = tonecheck.check(MIXED, config=Config(preview=True, select=(selector,)))
        assert report.findings
        assert all(f.code.startswith(prefix) for f in report.findings)


def test_ignore_by_code_and_name():
    default = tonecheck.check(MIXED, config=ALL_RULES)
    victim = default.findings[0]
    for selector in (victim.code, victim.name):
        report = tonecheck.check(MIXED, config=Config(preview=True, ignore=(selector,)))
        assert victim.code not in {f.code for f in report.findings}
        assert report.findings  # the others stay


def test_ignore_wins_over_select():
    report = tonecheck.check(
        MIXED, config=Config(preview=True, select=("negative-language",), ignore=("negative-language",))
    )
    assert report.findings == ()


def test_select_and_ignore_do_not_change_the_other_findings():
    default = tonecheck.check(MIXED, config=ALL_RULES)
    for category in TONE_CATEGORIES:
        selected = tonecheck.check(MIXED, config=Config(preview=True, select=(category,)))
        assert [(f.code, f.start, f.end) for f in selected.findings] == [
            (f.code, f.start, f.end) for f in default.by_category(category)
        ]


def test_per_call_ignore_filters_and_does_not_stick():
    default = tonecheck.check(MIXED, config=ALL_RULES)
    victim = default.findings[0]
    for selector in (victim.code, victim.code[:3], victim.name, victim.category):
        report = tonecheck.check(MIXED, ignore=[selector], config=ALL_RULES)
        assert all(f.code != victim.code for f in report.findings), selector
        assert len(report.findings) < len(default.findings)
    again = tonecheck.check(MIXED, config=ALL_RULES)
    assert again.findings == default.findings


def test_severity_override_by_code():
    default = tonecheck.check(MIXED, config=ALL_RULES)
    target = default.by_category("negative-language")[0]
    new_level = Severity.info if target.severity != Severity.info else Severity.error
    report = tonecheck.check(MIXED, config=Config(preview=True, severity={target.code: new_level}))
    changed = [f for f in report.findings if f.code == target.code]
    assert changed and all(f.severity == new_level for f in changed)
    assert tonecheck.check(MIXED, config=ALL_RULES).findings == default.findings  # the override did not leak


def test_severity_override_for_an_unknown_code_is_a_config_error():
    with pytest.raises(ConfigError, match="ZZZ999"):
        tonecheck.check("We can't.", config=Config(severity={"ZZZ999": "error"}))


def test_unknown_key_in_a_mapping_is_a_config_error_naming_the_key():
    with pytest.raises(ConfigError, match="selekt"):
        Config.from_mapping({"selekt": ["NEG"]})
    with pytest.raises(ConfigError, match="fail-on|fail_on"):
        Config.from_mapping({"fail-on": "critical"})


def test_unknown_keyword_to_config_is_a_config_error_naming_the_key():
    # "unknown config keys raise ConfigError naming the key": Config(...) is the public way in.
    with pytest.raises(ConfigError, match="selekt"):
        Config(selekt=("NEG",))  # type: ignore[call-arg]


def test_config_accepts_both_spellings_and_is_frozen():
    a = Config.from_mapping({"fail-on": "error", "extend-select": ["PAG"]})
    b = Config(fail_on="error", extend_select=("PAG",))
    assert a == b
    assert a.fail_on == Severity.error
    with pytest.raises((pydantic.ValidationError, TypeError, AttributeError)):
        a.select = ("NEG",)  # type: ignore[misc]


def test_missing_rule_path_is_a_rule_error(tmp_path):
    with pytest.raises(RuleError, match="does-not-exist"):
        tonecheck.check("We can't.", config=Config(rule_paths=(str(tmp_path / "does-not-exist"),)))


# -- suggestions ------------------------------------------------------------------------------


def test_safe_suggestions_remove_the_problem_when_applied():
    samples = [
        (ex, rule.examples.mode, dict(getattr(rule.examples, "context", None) or {}) or None)
        for rule in _rules()
        for ex in rule.examples.flag
    ]
    applied = 0
    for text, mode, context in [*samples, (MIXED, "draft", None)]:
        for f in tonecheck.check(text, mode=mode, context=context, config=ALL_RULES).findings:
            for s in f.suggestions:
                if s.applicability != Applicability.safe or s.replacement is None:
                    continue
                # a suggestion replaces the finding's span unless it names a wider one
                start = f.start if getattr(s, "start", None) is None else s.start
                end = f.end if getattr(s, "end", None) is None else s.end
                assert 0 <= start <= f.start <= f.end <= end <= len(text), (f, s)
                fixed = text[:start] + s.replacement + text[end:]
                again = tonecheck.check(fixed, mode=mode, context=context, config=ALL_RULES)
                new_end = start + len(s.replacement)
                assert not [g for g in again.findings if g.code == f.code and g.start <= new_end and start <= g.end], (
                    text,
                    fixed,
                )
                applied += 1
    assert applied, "no safe suggestion in any rule example"


# -- determinism ------------------------------------------------------------------------------


def test_same_input_same_findings_across_equal_configs():
    first = tonecheck.check(MIXED, config=Config(preview=True, select=("NEG", "PAG")))
    second = tonecheck.check(MIXED, config=Config(preview=True, select=("NEG", "PAG")))
    assert first.findings == second.findings
    assert first.model_dump() == second.model_dump()


def test_linter_check_and_fix_pass_the_call_options_through_one_place(monkeypatch):
    """`Linter.check` and `Linter.fix` hand a call's options (mode, channel, context, ignore,
    language) to the engine through one function, so the two cannot drift apart: what `fix`
    leaves is what `check` reports on the fixed text with the same options."""
    from tonecheck._project.lint import Options

    calls: list[tuple[str, tuple[str, ...], str | None, str | None]] = []
    original = Options.check

    def recording(self, engine, text, **kwargs):
        calls.append((self.mode or "", self.ignore, self.channel, self.language))
        return original(self, engine, text, **kwargs)

    monkeypatch.setattr(Options, "check", recording)
    linter = tonecheck.Linter()
    text = "Hi Sam,\n\nAs I said before, you need to restart the router. Per my last email, it is on us.\n\nBest,\nAna"
    keywords: dict[str, Any] = {"mode": "saved", "channel": "chat", "ignore": ["PAG002"], "language": "en"}
    checked = linter.check(text, **keywords)
    fixed = linter.fix(text, **keywords)
    assert calls and set(calls) == {("saved", ("PAG002",), "chat", "en")}
    assert [f.code for f in checked.findings] == ["PAG003"]  # PAG002 ignored for the call
    assert [e.code for e in fixed.edits] == ["PAG003"] and fixed.remaining == ()
    assert fixed.remaining == linter.check(fixed.text, **keywords).findings
