"""Rewrites that read as good English, or none: each class of broken rewrite seen on real replies
(issue 10, "Broken rewrites") has its tests here; where a rewrite would not read right in its
context, the suggestion is advice (display-only, no replacement)."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from conftest import jargon_edit_code
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tonecheck
from tonecheck import Applicability
from tonecheck._engine.suggest import same_advice
from tonecheck._ruleset.load import load_rules

ALL_RULES = tonecheck.Config(preview=True)


def rewrites(text: str, code: str, config: tonecheck.Config = ALL_RULES) -> list[str]:
    """The text after each rewrite (a suggestion with a replacement) of rule `code`, applied alone."""
    found = [f for f in tonecheck.check(text, config=config).findings if f.code == code]
    assert found, f"{code} does not fire on {text!r}"
    out = []
    for f in found:
        for s in f.suggestions:
            if s.replacement is None or s.applicability is Applicability.display_only:
                continue
            assert s.start is not None and s.end is not None
            out.append(text[: s.start] + s.replacement + text[s.end :])
    return out


def advice_only(text: str, code: str, config: tonecheck.Config = ALL_RULES) -> bool:
    found = [f for f in tonecheck.check(text, config=config).findings if f.code == code]
    assert found, f"{code} does not fire on {text!r}"
    return all(
        s.replacement is None and s.applicability is Applicability.display_only for f in found for s in f.suggestions
    )


# -- clause boundaries: "please" only where an independent clause starts -------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I think you have to pay the return postage.",  # inside a complement clause
        "Please be advised that you must complete the form.",  # after "that"
        "We believe you need to pay the fee first.",  # the complement of "believe"
        "It seems you must pay the fee again.",  # after an opener that is no bad news to drop
    ],
)
def test_no_request_inside_a_subordinate_clause(text):
    assert advice_only(text, "NEG010")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You have to pay the return postage.", "Please pay the return postage."),
        ("In that case, you need to pay the return postage.", "In that case, please pay the return postage."),
        (
            "The warranty covers it, but you'll have to post the laptop to us.",
            "The warranty covers it, but please post the laptop to us.",
        ),
        ("Hi Anna, you need to pay the return postage.", "Hi Anna, please pay the return postage."),
    ],
)
def test_request_where_an_independent_clause_starts(text, expected):
    assert rewrites(text, "NEG010") == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm afraid, you have to ring the clinic to move it.", "Please ring the clinic to move it."),
        ("Unfortunately you'll need to send the form again.", "Please send the form again."),
        ("@kim Sadly, you need to pay the return postage.", "@kim Please pay the return postage."),
        ("Hi Jo, regrettably you must post it back to us.", "Hi Jo, please post it back to us."),
    ],
)
def test_a_request_takes_the_bad_news_opener_with_it(text, expected):
    assert rewrites(text, "NEG010") == [expected]


def test_a_bad_news_opener_is_kept_when_the_request_is_further_on():
    text = "Unfortunately, the box is gone, so you need to order again."
    assert rewrites(text, "NEG010") == ["Unfortunately, the box is gone, so please order again."]


@pytest.mark.parametrize(
    "text",
    [
        "You have to be over 18 to order.",
        "You must be over 18.",
        "You'll have to wait until the 20th for the next surveyor.",
        "Customers must return the bike to the station they took it from.",
    ],
)
def test_a_rule_is_never_turned_into_a_request(text):
    assert advice_only(text, "NEG010")


# -- sentence-start capitals ----------------------------------------------------------------------

SLOT_RULE = """\
category: negative-language
rules:
  - code: NEG901
    name: cannot-do-that-test
    message: "\\"{match}\\" is a flat no."
    why: Test rule for slot capitals.
    fix: Say what you can do.
    kind: regex
    regex: ["\\\\bwe\\\\s+can't\\\\s+do\\\\s+that\\\\b"]
    rewrites:
      - pattern: "(?P<we>we)\\\\s+can't\\\\s+do\\\\s+that"
        replacement: "here's what {we} can do instead"
        title: "Lead with what you can do"
    examples:
      flag: ["We can't do that."]
      pass: ["Here is what we can do."]
"""


def test_a_slot_that_opened_the_sentence_loses_its_capital_inside_the_new_words(tmp_path: Path):
    path = tmp_path / "slot.yml"
    path.write_text(SLOT_RULE, encoding="utf-8")
    config = tonecheck.Config(rule_paths=(str(path),), select=("NEG901",))
    assert rewrites("We can't do that.", "NEG901", config) == ["Here's what we can do instead."]
    assert rewrites("Sorry, we can't do that.", "NEG901", config) == ["Sorry, here's what we can do instead."]


def test_a_capital_after_a_handle_is_kept():
    assert rewrites("@sam Please revert to the email.", "PAG020") == ["@sam Please reply to the email."]
    assert rewrites("@sam Sorry for the inconvenience caused.", "PAG021") == ["@sam Sorry for the trouble caused."]


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        ("@jane_doe For the last time, the store opens at 9am.", "PAG006", "@jane_doe The store opens at 9am."),
        (
            "@BrandCare @jane Please be informed that your refund was sent on Monday.",
            "PAG020",
            "@BrandCare @jane Your refund was sent on Monday.",
        ),
    ],
)
def test_a_removal_after_the_handles_that_open_a_reply_hands_on_the_capital(text, code, expected):
    assert rewrites(text, code) == [expected]


def test_a_removal_inside_a_sentence_after_a_handle_leaves_the_case_alone():
    assert rewrites("Hi @jane, for the last time, the store opens at 9am.", "PAG006") == [
        "Hi @jane, the store opens at 9am."
    ]


# -- the whole phrase -----------------------------------------------------------------------------


def test_a_reminder_goes_as_a_unit():
    # at the start of a sentence: a neutral recap, or the point on its own
    assert rewrites("As I said in my last email, the refund takes five days.", "PAG002") == [
        "To recap, the refund takes five days.",
        "The refund takes five days.",
    ]
    assert rewrites("The refund, as I said in my last email, takes five days.", "PAG002") == [
        "The refund takes five days."
    ]
    # after a greeting its comma stays
    assert rewrites("Hi Guillermo, as previously advised, this is not something we sell.", "PAG002") == [
        "Hi Guillermo, to recap, this is not something we sell.",
        "Hi Guillermo, this is not something we sell.",
    ]
    # "Again," goes with it
    assert rewrites("Again, as mentioned, transfers after 3pm land on Monday.", "PAG002") == [
        "To recap, transfers after 3pm land on Monday.",
        "Transfers after 3pm land on Monday.",
    ]


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        # one opening word keeps its comma
        (
            "However, as previously advised, the fare difference is due.",
            "PAG002",
            "However, the fare difference is due.",
        ),
        ("Also, per my last email, the refund was issued.", "PAG003", "Also, the refund was issued."),
        # so does an introductory phrase; not a clause's subject before its verb
        (
            "To answer your question, per my earlier email, the price includes VAT.",
            "PAG003",
            "To answer your question, the price includes VAT.",
        ),
        (
            "Thanks Maria, as per my previous reply, your order ships on Friday.",
            "PAG003",
            "Thanks Maria, your order ships on Friday.",
        ),
        ("If the router, as I said, keeps dropping, call us.", "PAG002", "If the router keeps dropping, call us."),
        # after a clause or an opinion the parenthetical's opening comma goes with it
        (
            "The charge is right because, as I said, the plan renewed.",
            "PAG002",
            "The charge is right because the plan renewed.",
        ),
        ("I think, as I said before, the best option is a reset.", "PAG002", "I think the best option is a reset."),
        ("I believe, as per my previous message, that the fee stands.", "PAG003", "I believe that the fee stands."),
    ],
)
def test_a_parenthetical_reminder_leaves_the_commas_the_sentence_needs(text, code, expected):
    assert expected in rewrites(text, code)


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        # a comma with no space after it keeps one before the next word
        (
            "Hi,Please be informed that this booking is for September.",
            "PAG020",
            "Hi, this booking is for September.",
        ),
        (
            "Hi there,kindly be informed that all flights run as normal.",
            "PAG020",
            "Hi there, all flights run as normal.",
        ),
        # a space before the comma after a replaced reminder goes with it
        ("As we advised earlier , the insurance covers the first flight.", "PAG002", "To recap, the insurance covers"),
    ],
)
def test_a_rewrite_mends_the_spacing_around_its_comma(text, code, expected):
    assert any(expected in after for after in rewrites(text, code))


@pytest.mark.parametrize(
    "text",
    [
        # a recap before a question, or a step in a list, reads wrong: the point stands alone
        "As I said yesterday, have you added the infant to the booking?",
        "To return them:\n- Print the label\n- As mentioned in my last message, pack them in the box",
        "To return them:\n2) As mentioned in my last message, pack them in the box",
    ],
)
def test_no_recap_before_a_question_or_in_a_list(text):
    offered = rewrites(text, "PAG002")
    assert offered and not any("recap" in r.lower() for r in offered)
    assert all("As " not in r for r in offered)


def test_a_reminder_without_its_comma_is_advice():
    assert advice_only("As I mentioned before the update is ready.", "PAG002")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # not "I'll say this: the pool closes at 8pm."
        ("I'll say this one last time: the pool closes at 8pm.", "The pool closes at 8pm."),
        # not "Answering this yes, the plant ships in a box."
        ("Answering this for the third time: yes, the plant ships in a box.", "Yes, the plant ships in a box."),
        ("@sam Explaining it again for the last time: the app needs an update.", "@sam The app needs an update."),
    ],
)
def test_a_count_before_a_colon_goes_with_its_lead_in(text, expected):
    assert rewrites(text, "PAG006") == [expected]


# -- determiners: "Our apologies" keeps its noun -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our apologies for any inconvenience.", "Our apologies for the trouble."),
        ("Please accept our apologies for any inconvenience.", "Please accept our apologies for the trouble."),
        ("Apologies for any inconvenience this may have caused.", "Sorry for the trouble."),
        ("We apologize for any inconvenience this may have caused.", "We're sorry for the trouble."),
        ("I apologise for the inconvenience.", "I'm sorry for the trouble."),
    ],
)
def test_an_apology_keeps_its_grammar_and_its_speaker(text, expected):
    assert rewrites(text, "PAG021") == [expected]


# -- a positive rewrite drops the negative opener ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Unfortunately we can't ship to Norway until the warehouse reopens.",
            "We can ship to Norway once the warehouse reopens.",
        ),
        ("Sadly, we cannot ship until May.", "We can ship from May."),
        (
            "I'm afraid we can't change the flight until we have the booking reference.",
            "We can change the flight once we have the booking reference.",
        ),
        ("We can't ship to Norway until May.", "We can ship to Norway from May."),
    ],
)
def test_a_positive_rewrite_drops_the_negative_opener(text, expected):
    assert rewrites(text, "NEG001") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "We can't refund the deposit until further notice.",  # not a time: "from further notice"
        "We can't do anything until Monday.",  # "we can do anything" reverses it
    ],
)
def test_a_positive_rewrite_only_where_it_keeps_the_meaning(text):
    assert advice_only(text, "NEG001")


# -- form-letter formulas: the formula goes only where a clause follows it ------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Please be advised of our new opening hours from Monday.", "Please note our new opening hours from Monday."),
        ("Kindly be informed about the change to your plan.", "Please note the change to your plan."),
        ("Please be reminded to bring your ID to the counter.", "Please remember to bring your ID to the counter."),
        ("We regret to inform you of a delay to your order.", "We're sorry to tell you about a delay to your order."),
        ("Please be informed, that the store is closing.", "The store is closing."),
        ("Hi Sam, be advised that the store is closing.", "Hi Sam, the store is closing."),
    ],
)
def test_a_formula_before_a_preposition_becomes_a_plain_request(text, expected):
    assert rewrites(text, "PAG020") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "You should be advised that the store is closing.",  # "You should the store is closing"
        "Please be advised to contact your bank.",
    ],
)
def test_a_formula_inside_a_clause_is_advice(text):
    assert advice_only(text, "PAG020")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dear Customer Care,\n\nThanks for the update.", "PAG020"),  # a team, not the reader
        ('The letter says "Dear Customer" because your name was missing, sorry!', "PAG020"),  # quoted
        ("Please advise your bank that you'll be travelling.", "PAG020"),  # telling someone else
        ("Nope, no hidden fees: what you see at checkout is what you pay.", "NEG003"),  # reassurance
    ],
)
def test_an_innocent_use_of_a_formula_is_not_flagged(text, code):
    assert code not in [f.code for f in tonecheck.check(text, config=ALL_RULES).findings]


# -- plain wordings: compound nouns, articles, number, particle verbs, inflection ----------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The fix needs a purge of the CDN cache.", "JAR007"),  # compound noun
        ("Your SSO login is broken.", "JAR003"),  # compound noun
        ("Your MX records still point to the old host.", "JAR002"),  # plural term, singular wording
        ("Do you use SSO?", "JAR003"),  # an -ing wording for a noun
        ("We'll prorate the charge.", "JAR004"),  # a verb wording with its own object
        ("Could you send me the phone's IMEI?", "JAR006"),  # "the phone's your phone's …"
        ("The hotel places an auth hold of €150 on your card.", "JAR004"),  # two phrases stacked
        ("Your new broadband line is still in provisioning.", "JAR006"),  # "in setting up"
    ],
)
def test_a_plain_wording_that_would_not_read_right_is_advice(jargon_with_edits, text, code):
    code = jargon_edit_code(code)
    assert advice_only(text, code, jargon_with_edits)
    title = next(
        s.title
        for f in tonecheck.check(text, config=jargon_with_edits).findings
        if f.code == code
        for s in f.suggestions
    )
    assert '"' in title  # the advice still gives the plain wording


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        ("Our CDN is down.", "JAR007", "Our network that delivers our pages is down."),
        (
            "I've added your screenshots to the Jira ticket for the export bug.",
            "JAR001",
            "I've added your screenshots to the internal report for the export bug.",
        ),
        (
            "The printer went offline when its DHCP lease expired.",
            "JAR002",
            "The printer went offline when its automatic address your router hands out expired.",
        ),
        ("We are throttling your speed.", "JAR006", "We are slowing down your speed."),
        ("We've provisioned it.", "JAR006", "We've set it up."),
        ("Please order a SKU today.", "JAR005", "Please order an item today."),
    ],
)
def test_a_plain_wording_that_reads_right_is_offered(jargon_with_edits, text, code, expected):
    assert rewrites(text, jargon_edit_code(code), jargon_with_edits) == [expected]


@pytest.mark.parametrize(
    ("text", "code", "plain"),
    [
        ("Our CDN is down.", "JAR007", "network that delivers our pages"),
        ("Please order a SKU today.", "JAR005", "item"),
        ("We could not repro the crash.", "JAR001", "reproduce"),
    ],
)
def test_a_builtin_jargon_rule_gives_its_plain_wording_as_advice(text, code, plain):
    """Built-in plain wordings are advice, not edits: judged blind on held-apart replies, 0.71 of
    them read right where they landed (README, "Rewrites")."""
    assert advice_only(text, code)
    titles = [
        s.title for f in tonecheck.check(text, config=ALL_RULES).findings if f.code == code for s in f.suggestions
    ]
    assert any(f'"{plain}"' in title for title in titles), titles


ALLOWLIST_RULE = """\
category: jargon
rules:
  - code: JAR901
    name: allowlist-test
    message: "\\"{match}\\" is jargon."
    why: Test rule for verb wordings.
    fix: Say it plainly.
    kind: lexicon
    lexicon:
      "(whitelist|whitelisted|whitelisting)": "let through"
    suggestions:
      - title: "Say it in plain words: \\"{plain}\\""
        replacement: "{plain}"
        applicability: unsafe
    examples:
      flag: ["We've whitelisted it."]
      pass: ["We let it through."]
"""


@pytest.fixture
def allowlist(tmp_path: Path) -> tonecheck.Config:
    path = tmp_path / "allowlist.yml"
    path.write_text(ALLOWLIST_RULE, encoding="utf-8")
    return tonecheck.Config(rule_paths=(str(path),), select=("JAR901",))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We've whitelisted it.", "We've let it through."),  # participle, pronoun inside
        ("We whitelisted them yesterday.", "We let them through yesterday."),
        ("Please whitelist it.", "Please let it through."),
        ("We are whitelisting your address.", "We are letting through your address."),
        ("We've whitelisted your address.", "We've let through your address."),
    ],
)
def test_a_particle_verb_is_inflected_and_keeps_a_pronoun_between_its_parts(allowlist, text, expected):
    assert rewrites(text, "JAR901", allowlist) == [expected]
    assert tonecheck.fix(text, unsafe=True, config=allowlist).text == expected


def test_a_verb_wording_is_not_put_after_a_determiner(allowlist):
    assert advice_only("The whitelist is full.", "JAR901", allowlist)


# -- no duplicate suggestions ---------------------------------------------------------------------


def _examples():
    for rule in load_rules().rules:
        for text in rule.examples.flag:
            yield pytest.param(text, rule.examples.mode, dict(rule.examples.context), id=f"{rule.code}:{text[:30]}")


@pytest.mark.parametrize(("text", "mode", "context"), list(_examples()))
def test_no_finding_says_the_same_thing_twice(text, mode, context):
    for f in tonecheck.check(text, mode=mode, context=context or None, config=ALL_RULES).findings:
        edits = [(s.start, s.end, s.replacement) for s in f.suggestions if s.replacement is not None]
        assert len(edits) == len(set(edits)), f.suggestions
        titles = [s.title for s in f.suggestions]
        for i, a in enumerate(titles):
            for b in titles[i + 1 :]:
                assert not same_advice(a, b), (f.code, titles)


def test_the_bare_no_advice_is_not_repeated_next_to_its_rewrite():
    f = next(
        f for f in tonecheck.check("No, we don't ship to Canada.", config=ALL_RULES).findings if f.code == "NEG003"
    )
    assert [s.title for s in f.suggestions] == ['Drop the bare "No" and lead with the reason']


# -- properties: rewrites of these classes are idempotent and stay inside their edits -----------

CLASS_PHRASES = [
    "I think you have to restart it",
    "the ways you need to reach us",
    "a form that you have to sign",
    "You have to be over 18",
    "You have to restart the router",
    "To reset it, you need to hold it",
    "Our apologies for any inconvenience",
    "As I said in my last email, ",
    "as I said in my last email",
    "Unfortunately we can't ship until May",
    "Unfortunately, we can't ship until the depot reopens",
    "the CDN cache",
    "our CDN",
    "your MX records",
    "the phone's IMEI",
    "We've provisioned it",
    "@sam Please revert to the email",
    "Hi Ana, as previously advised, ",
    "I don't know.",
    "That's not my department",
    "You entered the wrong address",
    "one last time: ",
    "Just to be clear, ",
    "Let me be clear: ",
    "Kindly revert with the address",
    "Our policy doesn't allow pets",
    "it's against our policy to share it",
    "Per company policy, we",
    "We can't ship outside the EU",
    "we can't hold it past 6pm",
    "This is the third time I've said that it opens at 9",
    "You need to call us, I'm afraid",
    "Unfortunately, you need to call us",
    "the speed test site",
    "Ref no. 4471",
    "I have already explained this twice. ",
    "This is the fourth time I've explained this: ",
]
GLUE = [" ", ". ", ", ", "\n", "; ", " — ", ""]
class_texts = st.lists(st.tuples(st.sampled_from(CLASS_PHRASES), st.sampled_from(GLUE)), min_size=1, max_size=8).map(
    lambda parts: "".join(a + b for a, b in parts)
)
PROPERTY = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@PROPERTY
@given(text=class_texts)
def test_rewrites_are_idempotent(text):
    first = tonecheck.fix(text, unsafe=True, config=ALL_RULES)
    second = tonecheck.fix(first.text, unsafe=True, config=ALL_RULES)
    assert second.text == first.text, (text, first.text, second.edits)


@PROPERTY
@given(text=class_texts)
def test_a_rewrite_never_touches_text_outside_its_span(text):
    for f in tonecheck.check(text, config=ALL_RULES).findings:
        for s in f.suggestions:
            if s.replacement is None:
                continue
            assert s.start is not None and s.end is not None
            start, end, replacement = s.start, s.end, s.replacement
            # the edit stays in the finding's sentence: nothing of the sentence before it, and of
            # the sentence after it at most the first letter, handed a capital when the whole
            # sentence goes ("I've said this twice. The…" -> "The…")
            assert start <= f.start <= end or start <= f.end <= end, (text, f, start, end)
            assert not regex.search(r"[.!?\n]", text[start : f.start]), (text, f.code, text[start:end])
            tail = regex.search(r"[.!?\n][\s\"')\]]*(\w)", text[max(f.end, start) : end])
            if tail is not None:
                assert max(f.end, start) + tail.end() == end, (text, f.code, text[start:end])
                assert replacement.endswith(tail.group(1).upper()), (text, f.code, replacement)
    result = tonecheck.fix(text, unsafe=True, max_rounds=1, config=ALL_RULES)
    rebuilt = text
    for edit in sorted(result.edits, key=lambda e: e.start, reverse=True):
        assert rebuilt[edit.start : edit.end] == edit.original
        rebuilt = rebuilt[: edit.start] + edit.replacement + rebuilt[edit.end :]
    assert rebuilt == result.text


# -- more clause shapes with a positive side, and where there is none ---------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We can't take bookings outside opening hours.", "We can only take bookings within opening hours."),
        ("Sadly we cannot post batteries outside the EU.", "We can only post batteries within the EU."),
        ("Our team can't hold parcels past 6pm.", "Our team can hold parcels until 6pm."),
        ("We cannot refund tickets after 14 days.", "We can refund tickets within 14 days."),
        ("We can't keep the room for longer than two hours.", "We can keep the room for up to two hours."),
        (
            "The team isn't able to release the deposit until the keys are back.",
            "The team can release the deposit once the keys are back.",
        ),
    ],
)
def test_a_limit_is_said_as_its_positive_side(text, expected):
    assert rewrites(text, "NEG001") == [expected]


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        ("We don't post parcels outside the EU.", "NEG001", "We only post parcels within the EU."),
        ("Unfortunately we don't accept returns after 30 days.", "NEG001", "We accept returns within 30 days."),
        ("We do not deliver after 8pm.", "NEG001", "We deliver until 8pm."),
        ("Sadly we don't sell vouchers outside our shops.", "NEG006", "We only sell vouchers within our shops."),
    ],
)
def test_a_limit_said_with_dont_is_said_as_its_positive_side(text, code, expected):
    assert rewrites(text, code) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "We don't currently ship outside the EU.",  # "currently" would be lost
        "Sadly we don't usually deliver after 8pm.",  # "usually" would be lost
    ],
)
def test_no_positive_side_where_dont_is_followed_by_an_adverb(text):
    found = [f for f in tonecheck.check(text, config=ALL_RULES).findings if f.category == "negative-language"]
    assert found, text
    assert all(s.replacement is None for f in found for s in f.suggestions), text


@pytest.mark.parametrize(
    "text",
    [
        "We can't refund a used item.",  # no positive side says the same
        "We cannot extend cover beyond two years.",  # "for up to two years" says something else
        "We can't restore a page once it has been gone for more than a week.",  # "once … for up to"
    ],
)
def test_a_limit_without_a_faithful_positive_side_is_advice(text):
    found = [f for f in tonecheck.check(text, config=ALL_RULES).findings if f.code == "NEG001"]
    assert found
    for f in found:
        for s in f.suggestions:
            if s.replacement is not None:
                assert "within our control" not in s.replacement
                assert "up to" not in s.replacement


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our policy doesn't allow dogs in the dining room.", "We don't allow dogs in the dining room."),
        (
            "It's against our policy to give out staff phone numbers, for their privacy.",
            "We don't give out staff phone numbers, for their privacy.",
        ),
        ("Company policy doesn't let us hold seats overnight.", "We don't hold seats overnight."),
        ("As per company policy, we refund within ten days.", "We refund within ten days."),
    ],
)
def test_a_policy_wall_becomes_what_the_team_does(text, expected):
    assert rewrites(text, "NEG020") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Our policy doesn't allow us to refund it.",  # "we don't allow us"
        "The manager said it's against our policy to share it.",  # "it" is not where the clause starts
        "It's against our policy to be late.",  # a rule about being, not a thing we do
        "That's against our policy.",  # nothing to say instead
    ],
)
def test_a_policy_wall_without_a_clean_rewrite_is_advice(text):
    assert advice_only(text, "NEG020")


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        (
            "This is the second time I've told you that the gym opens at six.",
            "PAG006",
            "The gym opens at six.",
        ),
        ("We have already explained that the parcel left on Monday.", "PAG002", "The parcel left on Monday."),
    ],
)
def test_a_count_or_reminder_before_that_goes_and_the_point_stays(text, code, expected):
    assert rewrites(text, code) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "You need to ring us back, I'm afraid.",  # the regret would stay behind the request
        "You'll have to collect it in person, sorry.",
    ],
)
def test_no_request_where_the_sentence_keeps_the_bad_news_or_is_a_complement(text):
    assert advice_only(text, "NEG010")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We're so sorry for any inconvenience.", "We're so sorry for the trouble."),
        ("I'm really sorry for any trouble with the app.", "I'm really sorry for the trouble with the app."),
        ("We apologise for any inconvenience.", "We're sorry for the trouble."),
    ],
)
def test_an_apology_keeps_its_warmth(text, expected):
    assert rewrites(text, "PAG021") == [expected]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("You simply need to read the manual.", "PAG010"),  # removing "simply" leaves an order
        ("Your complaint has been noted and passed to the manager.", "PAG021"),  # "…noted and passed"
    ],
)
def test_a_removal_or_wording_that_changes_the_sentence_is_advice(text, code):
    assert advice_only(text, code)


@pytest.mark.parametrize(
    "text",
    [
        "Please see my previous message.",
        "Could you refer to my last email for the steps?",
        "Did you check my earlier reply?",
    ],
)
def test_a_reference_that_is_the_sentence_itself_is_never_removed_as_safe(text):
    # removing "see my previous message" would leave "Please." and --fix applies safe fixes unasked
    assert advice_only(text, "PAG003", tonecheck.Config())
    assert tonecheck.fix(text).text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Per my previous email, the courier comes at noon.", "The courier comes at noon."),
        ("The courier, per my last message, comes at noon.", "The courier comes at noon."),
    ],
)
def test_a_reference_that_is_an_aside_is_a_safe_removal(text, expected):
    assert tonecheck.fix(text).text == expected


def test_a_reminder_that_names_the_earlier_email_goes_whole():
    text = "The form is attached, as stated in my previous email."
    assert rewrites(text, "PAG002") == ["The form is attached."]


@pytest.mark.parametrize(
    "text",
    [
        "Could you add a repro?",  # a verb wording after "a": "a reproduce"
        "This PR is a WIP.",  # a prepositional wording after "a": "an in progress"
        "We are triaging and reviewing issues.",  # "reviewing and prioritising and reviewing"
    ],
)
def test_a_plain_wording_that_breaks_the_phrase_around_it_is_advice(jargon_with_edits, text):
    assert advice_only(text, jargon_edit_code("JAR001"), jargon_with_edits)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We could not repro the crash.", "We could not reproduce the crash."),
        (
            "The maintainers triage new issues every week.",
            "The maintainers review and prioritise new issues every week.",
        ),
        ("I've moved it to our backlog.", "I've moved it to our list of planned work."),
    ],
)
def test_a_plain_wording_that_fits_the_phrase_is_offered(jargon_with_edits, text, expected):
    assert rewrites(text, jargon_edit_code("JAR001"), jargon_with_edits) == [expected]


def test_a_citation_after_the_answer_goes_and_the_answer_stays():
    text = "Delivery takes three days, as stated in our terms and conditions."
    assert rewrites(text, "PAG011") == ["Delivery takes three days."]
    # inside the sentence it is not an aside: the rest would lose its link
    assert advice_only("As stated in the FAQ delivery takes three days.", "PAG011")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "This is a final reminder that your car is due for a service.",
            "This is a reminder that your car is due for a service.",
        ),
        ("Please be reminded that payment is due on Friday.", "Payment is due on Friday."),
        ("We must remind you that the pool shuts at 8.", "The pool shuts at 8."),
    ],
)
def test_a_reminder_keeps_what_it_reminds_of(text, expected):
    assert rewrites(text, "PAG017") == [expected]


def test_the_words_known_only_as_verbs_come_from_the_cache_as_lemminflect_gives_them(monkeypatch, tmp_path):
    """Which words are only verbs ("escalate", not "charge") is read from tonecheck's cache, not from
    lemminflect's tables loaded in every process; the answer is lemminflect's, word for word, and
    with the cache off each word is looked up in lemminflect itself."""
    from lemminflect import getAllLemmas

    from tonecheck._engine import grammar

    def lemminflect_says(word: str) -> bool:
        lemmas = getAllLemmas(word)
        return "VERB" in lemmas and not {"NOUN", "ADJ", "ADV"} & set(lemmas)

    words = ["prioritise", "Escalate", "escalate", "reinstall", "charge", "refund", "top", "quickly", "reboot", "xyzzy"]
    monkeypatch.setenv("TONECHECK_CACHE_DIR", str(tmp_path))
    for cached in (False, True):  # built from lemminflect's tables, then read from the cache
        grammar._verb_only_words.cache_clear()
        grammar._verb_only.cache_clear()
        only = grammar._verb_only_words()
        assert only is not None and len(list(tmp_path.glob("lemminflect-*.pickle"))) == 1
        assert {"prioritise", "escalate", "reinstall"} <= only and not {"charge", "top", "quickly"} & only, cached
        assert [grammar._verb_only(w) for w in words] == [lemminflect_says(w) for w in words]
    monkeypatch.setenv("TONECHECK_NO_CACHE", "1")
    grammar._verb_only_words.cache_clear()
    grammar._verb_only.cache_clear()
    assert grammar._verb_only_words() is None
    assert [grammar._verb_only(w) for w in words] == [lemminflect_says(w) for w in words]
    grammar._verb_only_words.cache_clear()
    grammar._verb_only.cache_clear()


# -- "actually" set off mid-sentence: the word goes, and its commas with it ---------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The refund was, actually, sent on Monday.", "The refund was sent on Monday."),
        ("Thanks Sam, but actually the store opens at nine.", "Thanks Sam, but the store opens at nine."),
        ("That's not actually what the contract says.", "That's not what the contract says."),
        ("I checked, and actually, it's already been sent.", "I checked, and it's already been sent."),
    ],
)
def test_a_contradicting_actually_is_removed(text, expected):
    assert rewrites(text, "PAG007") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Hi Priya, actually, the parcel was delivered yesterday.",  # would lose the greeting's comma
        "Dear Sam, actually, your plan renews in May.",
        "No, actually, we did send it.",  # "No we did send it."
        "No actually, we did send it.",
        "OK, actually, the fee is waived.",
        "Thanks, actually, the refund is on its way.",
    ],
)
def test_actually_after_a_greeting_or_an_interjection_is_advice(text):
    assert advice_only(text, "PAG007")


# -- a count that is its own sentence goes whole; one that shares it with the answer, alone -----


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I've told you several times. The refund left on Monday.", "The refund left on Monday."),
        ("The refund left on Monday. We have been over this at least five times now.", "The refund left on Monday."),
        ("How many times do I have to say it? The shop opens at nine.", "The shop opens at nine."),
        (
            "I keep having to repeat myself. The code is on the back of the card.",
            "The code is on the back of the card.",
        ),
        ("This is now the fifth time you've asked me. Your contract ends in May.", "Your contract ends in May."),
        ("I've told you twice already that the refund left on Monday.", "The refund left on Monday."),
        ("As I've explained three times now, the shop opens at nine.", "The shop opens at nine."),
        # the subject comes before the finding ("said this over and over"), and goes with it
        ("The limit is £5,000 a day. I've said this over and over.", "The limit is £5,000 a day."),
        # counted in occasions or messages
        (
            "The card is blocked, which I've explained on three separate occasions. Try a cash machine.",
            "The card is blocked. Try a cash machine.",
        ),
        ("As we have already explained to you on several occasions, the fee is fixed.", "The fee is fixed."),
        ("The fee is fixed. We've answered this in three separate replies.", "The fee is fixed."),
        # a paragraph of its own, with the answer in another: the paragraph goes, with its line
        (
            "Hi Jo,\n\nThe refund left on Monday.\n\nWe have been over this at least five times now.\n\nThanks,\nMo",
            "Hi Jo,\n\nThe refund left on Monday.\n\nThanks,\nMo",
        ),
        # the whole opener with its count; "now" after the count; the customer's asking before "but"
        ("Once again and for the last time, it's free.", "It's free."),
        ("Thanks. Once again and for the last time: it's free.", "Thanks. It's free."),
        ("It was signed for, so for the second time now, it was delivered.", "It was signed for, so it was delivered."),
        (
            "@sunnyside_mo This is the fourth time you've asked, but the pool reopens on 15 May.",
            "@sunnyside_mo The pool reopens on 15 May.",
        ),
        # after a bare "and" the count goes alone ("again and" takes the opener's rewrite)
        ("The fee is fixed, and for the last time, we can't refund it.", "The fee is fixed, and we can't refund it."),
    ],
)
def test_a_count_goes_and_the_answer_stays(text, expected):
    assert rewrites(text, "PAG006") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        # the count is all the reply says between its greeting and sign-off: nothing would be left
        "Hi Jo,\n\nWe have been over this at least five times now.\n\nThanks,\nMo",
        "I've told you several times.",
        # the count names what was asked about, which the next sentence may call "it"
        "You've contacted us five times about this same refund. It left on Monday.",
        # the subject before the finding does not open the sentence
        "For larger amounts, I've said this over and over.",
        # the sentence goes on to say the answer has not changed
        "Hi Jo,\n\nWe have now replied to this query on five separate occasions, and our answer is the same.\n\nBest,\nMo",
        "Hi Sam,\n\nThis is the third time I've explained this.\n\nThanks",
    ],
)
def test_a_count_that_carries_something_is_advice(text):
    assert advice_only(text, "PAG006")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It's not rocket science: press the button twice.", "Press the button twice."),
        ("It isn't hard to find, it's on the home page.", "It's on the home page."),
        ("It's literally one button: tap Save.", "Tap Save."),
        ("It really isn't that hard to work out: the 30 days start on delivery.", "The 30 days start on delivery."),
        ("Honestly, it's not rocket science, just unplug the router.", "Just unplug the router."),
        ("Come on, it's not that hard — the tray pops out.", "The tray pops out."),
        # after the answer: the last clause goes with its semicolon or dash, or the sentence whole
        ("Hold the reset button for five seconds; it's not rocket science.", "Hold the reset button for five seconds."),
        ("Hold it down for ten seconds — it's really not complicated.", "Hold it down for ten seconds."),
        (
            "The code is on the back of the card. That's not hard to spot, is it?",
            "The code is on the back of the card.",
        ),
        # a sentence that is nothing but the remark, beside the answer
        ("It's not rocket science. Press the button twice.", "Press the button twice."),
        ("Honestly, it's not rocket science. Press the button twice.", "Press the button twice."),
        (
            "@kay_b It's honestly not that hard. Tap Settings, then Privacy. ^RM",
            "@kay_b Tap Settings, then Privacy. ^RM",
        ),
        ("Thanks for waiting. It really isn't that complicated. Tap Renew.", "Thanks for waiting. Tap Renew."),
        ("This is pretty basic stuff. The printer goes under Devices.", "The printer goes under Devices."),
        ("It's common sense. Keep the receipt.", "Keep the receipt."),
        ("The form is on the help page; it's self-explanatory.", "The form is on the help page."),
        (
            "Most people manage this without contacting us. The link is on the login page.",
            "The link is on the login page.",
        ),
        ("I'm a bit surprised you got stuck here. The code is on the card.", "The code is on the card."),
        ("I'm surprised you couldn't find it. It's on the home page.", "It's on the home page."),
        ("I shouldn't really need to explain this again. The fee is in the summary.", "The fee is in the summary."),
        # the remark before what it says is plain
        ("As anyone can see, the discount went on the first item.", "The discount went on the first item."),
        ("Surely you can understand that we need the receipt.", "We need the receipt."),
    ],
)
def test_a_remark_on_how_easy_it_is_goes_before_the_answer(text, expected):
    assert rewrites(text, "PAG018") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "It isn't hard to find, is it?",  # "Is it?"
        "It's not rocket science to change the setting, just open the app.",
        # the remark goes on to what it is about ("...to find"): not a clause that can go alone
        "The reset is on the back; it's not that hard to find.",  # the setting would go too
        # the remark is the whole reply, or carries more than the remark
        "It's self-explanatory.",
        "This is pretty basic stuff, but here's the link to the guide.",
        "Most people manage this without any help but if you're stuck I can call you.",
        "Surely you can see why we need the receipt.",  # "Why we need the receipt."
        # a sentence after a greeting on its line: "Hi Dana, The export button" would be left
        "Hi Dana, it's self-explanatory. The export button is at the top right.",
    ],
)
def test_a_remark_on_how_easy_it_is_without_an_answer_after_it_is_advice(text):
    assert advice_only(text, "PAG018")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Even a child could do it. Slide the tray out.", "Slide the tray out."),
        (
            "The router restarted. The technical side would probably go over your head. It's back now.",
            "The router restarted. It's back now.",
        ),
        (
            "I'm afraid you won't understand the technical details. In short, the update failed.",
            "In short, the update failed.",
        ),
    ],
)
def test_a_sentence_saying_they_would_not_follow_goes_beside_the_explanation(text, expected):
    assert rewrites(text, "PAG013") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "I'm afraid you won't understand the technical details.",  # nothing would be left
        "I could explain the calibration, but it would probably go over your head.",
        "Hi Jo, I'm afraid you won't understand it. The short version: your card expired.",
    ],
)
def test_a_remark_that_they_would_not_follow_is_advice_where_it_cannot_go_whole(text):
    assert advice_only(text, "PAG013")


def test_puzzlement_at_what_went_wrong_is_no_remark_on_the_customer():
    assert not [
        f
        for f in tonecheck.check("I'm surprised you didn't get the email. It went out on Monday.").findings
        if f.code == "PAG018"
    ]
    assert [f.code for f in tonecheck.check("I'm surprised you didn't notice the banner.").findings] == ["PAG018"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kindly do the needful and sign the attached form so we can activate the account.",
            "Please sign the attached form so we can activate the account.",
        ),
        ("Hi Tom, kindly do the needful and sign the form.", "Hi Tom, please sign the form."),
        ("Do the needful.", "Please take care of this."),
    ],
)
def test_do_the_needful_becomes_the_request_it_stands_for(text, expected):
    assert rewrites(text, "PAG020") == [expected]


@pytest.mark.parametrize("text", ["We will do the needful and get back to you.", "We will do the needful."])
def test_do_the_needful_said_of_ourselves_is_advice(text):
    # not "We will please get back to you"
    assert advice_only(text, "PAG020")


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for asking, no, we don't sell gift cards in the café.",
        "Thanks for getting in touch about gift wrapping, no, we don't do that for online orders.",
        "Good question, no, we don't ship there.",
    ],
)
def test_a_no_after_thanks_and_a_comma_is_advice(text):
    # dropping it would splice two sentences: "Thanks for asking, we don't …"
    assert advice_only(text, "NEG003")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # after an interjection and its comma
        ("Sorry, no, we don't sell gift cards.", "Sorry, we don't sell gift cards."),
        # a "No." or "No!" that is a sentence of its own
        ("No. That isn't possible.", "That isn't possible."),
        ("Thanks. No. We can't do that.", "Thanks. We can't do that."),
        ("No! We don't sell those.", "We don't sell those."),
    ],
)
def test_a_no_that_opens_its_clause_still_goes(text, expected):
    assert rewrites(text, "NEG003") == [expected]


# -- session 24: shapes a tuning set of 120 replies (labelled.jsonl pag-ctx-...) showed -------------


@pytest.mark.parametrize(
    "text",
    [
        "As for waiving the late fee, the answer is no. Let me know if you need statements.",
        "About the upgrade: the answer is no! Thanks for asking.",
    ],
)
def test_a_no_that_ends_its_sentence_is_advice(text):
    # removing "no." there would run the next sentence into this one ("the answer is Let me know")
    assert advice_only(text, "NEG003")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Actually it's the blue button, not the green one.", "It's the blue button, not the green one."),
        # (a chat's small letter stays: the removed word had none to hand on)
        ("actually you ordered the 42, not the 43.", "you ordered the 42, not the 43."),
        ("Well actually the store is open.", "The store is open."),
    ],
)
def test_actually_goes_without_the_word_after_it(text, expected):
    # the rule's phrase reads the next word ("actually you"); a safe fix must not take it away
    found = [f for f in tonecheck.check(text, config=ALL_RULES).findings if f.code == "PAG001"]
    safe = [s for f in found for s in f.suggestions if s.applicability is Applicability.safe]
    assert [text[: s.start] + (s.replacement or "") + text[s.end :] for s in safe] == [expected]


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        ("As mentioned, the sale finished on Sunday.", "PAG002", "To recap, the sale finished on Sunday."),
        ("As mentioned, the sale finished on Sunday.", "PAG002", "The sale finished on Sunday."),
        (
            "@marta I've already explained that the pass is tied to the booking. Show it at the desk.",
            "PAG002",
            "@marta The pass is tied to the booking. Show it at the desk.",
        ),
        ("I've explained this twice now: the voucher covers delivery.", "PAG002", "The voucher covers delivery."),
        (
            "Your appointment is on Tuesday at 08:40, just to be clear. Bring your list.",
            "PAG004",
            "Your appointment is on Tuesday at 08:40. Bring your list.",
        ),
        (
            "The size chart is right under the price, which should be obvious. Go half a size up.",
            "PAG018",
            "The size chart is right under the price. Go half a size up.",
        ),
        (
            "My manager will tell you the same thing. The repair is booked for Thursday.",
            "PAG014",
            "The repair is booked for Thursday.",
        ),
        # a remark or a count as a clause before the answer goes with its "but", "so ...:" or dash
        (
            "Honestly, I've answered this four times, but the 9:30 ferry is the only one with car spaces.",
            "PAG006",
            "The 9:30 ferry is the only one with car spaces.",
        ),
        (
            "You've messaged us five times about this bill, so here it is again: the extra £6.50 is for calls.",
            "PAG006",
            "The extra £6.50 is for calls.",
        ),
        (
            "We've been through this twice already - API keys can't be recovered.",
            "PAG006",
            "API keys can't be recovered.",
        ),
        (
            "Your refund was declined after 4 Aug. Our decision is final.",
            "PAG014",
            "Your refund was declined after 4 Aug.",
        ),
        (
            "Escalating this won't change anything - the late fee applies after 12:00.",
            "PAG014",
            "The late fee applies after 12:00.",
        ),
        (
            "I apologise that you think the fee is unfair. The tank was a quarter full.",
            "PAG015",
            "The tank was a quarter full.",
        ),
        (
            "Surely you noticed that the new calendar came with your bill.",
            "PAG018",
            "The new calendar came with your bill.",
        ),
        (
            "All you had to do was enter the code we texted you.",
            "PAG018",
            "All you need to do is enter the code we texted you.",
        ),
        (
            "I feel like I'm repeating myself, but the refund goes back to your card.",
            "PAG006",
            "The refund goes back to your card.",
        ),
        (
            "Bins are collected on Thursdays (for the fourth time now), with recycling fortnightly.",
            "PAG006",
            "Bins are collected on Thursdays, with recycling fortnightly.",
        ),
        (
            "It's not rocket science, but you do need your PIN to activate the card.",
            "PAG018",
            "You do need your PIN to activate the card.",
        ),
        (
            "I doubt you'll follow the technical side of it, but the payment was held by our fraud checks.",
            "PAG013",
            "The payment was held by our fraud checks.",
        ),
        (
            "Not sure which part of my message wasn't clear - the jacket was final sale.",
            "PAG004",
            "The jacket was final sale.",
        ),
        (
            "Look, my manager will say the same: the £35 fee stands because the account was overdrawn.",
            "PAG014",
            "The £35 fee stands because the account was overdrawn.",
        ),
        # as the last clause
        (
            "The transfer was stopped by your daily limit, and I'm surprised you missed the warning.",
            "PAG018",
            "The transfer was stopped by your daily limit.",
        ),
        (
            "Deleted items stay in Trash for 30 days, which is common sense for any storage service.",
            "PAG018",
            "Deleted items stay in Trash for 30 days.",
        ),
        (
            "Calendar sync runs every 15 minutes, for the umpteenth time.",
            "PAG006",
            "Calendar sync runs every 15 minutes.",
        ),
        (
            "@tilly As stated in my last reply: the sale ended on Sunday 9 June.",
            "PAG002",
            "@tilly The sale ended on Sunday 9 June.",
        ),
        (
            "@hamza Do I need to be any clearer? The fee applies under £15.",
            "PAG004",
            "@hamza The fee applies under £15.",
        ),
        (
            "Hi Pete, not sure which part of my last message wasn't clear, so here it is step by step: open Settings.",
            "PAG004",
            "Hi Pete, here it is step by step: open Settings.",
        ),
        (
            "In layman's terms, your flight was swapped to a smaller plane.",
            "PAG013",
            "In plain terms, your flight was swapped to a smaller plane.",
        ),
        (
            "To put it in terms you'll understand: the importer keeps both.",
            "PAG013",
            "Put simply: the importer keeps both.",
        ),
        (
            "Hi Mike, as anyone who's flown before knows, liquids over 100ml go in your hold bag.",
            "PAG018",
            "Hi Mike, liquids over 100ml go in your hold bag.",
        ),
        (
            "- Verify files in the launcher (as any gamer should know)\n- Restart",
            "PAG018",
            "- Verify files in the launcher\n- Restart",
        ),
        (
            "You can move sessions under Sessions, it's hardly difficult.",
            "PAG018",
            "You can move sessions under Sessions.",
        ),
        (
            "I keep repeating this, but you don't need to pay anything now.",
            "PAG006",
            "You don't need to pay anything now.",
        ),
        (
            "Since this is the third time you've asked, here it is again: the add-on costs £2 a day.",
            "PAG006",
            "The add-on costs £2 a day.",
        ),
        (
            "My manager would only tell you the same, but good news: your claim was approved.",
            "PAG014",
            "Good news: your claim was approved.",
        ),
        ("I've kept this simple, as the tax rules would go right over your head.", "PAG013", "I've kept this simple."),
        # with no subject: "sorry you feel that way" is still a non-apology
        (
            "Hey there, sorry you feel this way. We can refund it.",
            "PAG015",
            "Hey there, sorry this has been so frustrating. We can refund it.",
        ),
        # a greeting or an opener of feeling keeps its comma; a conjunction does not
        (
            "Hi Martin, per my last email, the claim was approved on 2 May.",
            "PAG003",
            "Hi Martin, the claim was approved on 2 May.",
        ),
        (
            "The plan covers weekdays and, to reiterate, evening classes need the full plan.",
            "PAG004",
            "The plan covers weekdays and evening classes need the full plan.",
        ),
        (
            "The payment was held, but, for what must be the fifth time, it was released the same day.",
            "PAG006",
            "The payment was held, but it was released the same day.",
        ),
        ("The PUK, for the umpteenth time, is the code on the card.", "PAG006", "The PUK is the code on the card."),
        # all that was in parentheses goes, and them with it
        ("Your card (as I mentioned already) was posted on Tuesday.", "PAG002", "Your card was posted on Tuesday."),
        # a removal hands on a capital only where the removed words had one
        (
            "The credit applies at checkout (per my earlier email, it covers one order) until May.",
            "PAG003",
            "The credit applies at checkout (it covers one order) until May.",
        ),
        (
            "2. Choose the card ending 2209 - it's not hard to spot, it's the only one.",
            "PAG018",
            "2. Choose the card ending 2209 - it's the only one.",
        ),
    ],
)
def test_a_pointer_preamble_or_remark_goes_and_the_answer_stays(text, code, expected):
    assert expected in rewrites(text, code)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I'm sorry you feel that way about the new layout. The old view is still there.", "PAG015"),
        ("I know it's frustrating. I'm sorry you feel that way, but the fee stands.", "PAG015"),
        ("I found two accounts under that email. Please advise.", "PAG020"),
        ("My manager will tell you the same thing.", "PAG014"),
        # a remark after an opener, not after a clause: "Honestly." would be left
        ("Honestly, it's not rocket science.", "PAG018"),
        # "and hopefully invoices are made ..." would be left
        ("Once more, and hopefully for the final time: invoices are made on the 1st.", "PAG006"),
        # what follows the "but" points back at the manager: "pass it to her" would lose her
        ("My supervisor would say exactly the same, but I'm happy to pass it to her.", "PAG014"),
        # "so sorry this has been so frustrating" reads clumsy
        ("I'm so sorry you feel that way. We can refund it.", "PAG015"),
        # the next sentence leans on the one the count is in
        ("This is the fourth email you've sent us about that estimate. It was recalculated on Monday.", "PAG006"),
        # blame put on the customer's side is advice: its removals were judged good on only about
        # 2 in 3 held-apart replies
        ("It works fine on our end. Could you restart the router?", "PAG012"),
        ("Our system is working correctly, so please check your settings.", "PAG012"),
        # "that" is a determiner: "Tab when you set up the card." would be left
        ("Surely you noticed that tab when you set up the card.", "PAG018"),
    ],
)
def test_a_rewrite_that_would_not_read_right_here_is_advice(text, code):
    # "frustrating about the new layout"; "frustrating ... frustrating"; a bare "Please let me
    # know." says no more than "Please advise."; nothing would be left of the reply
    assert advice_only(text, code)
