"""The missing-closing check (CLO001): what counts as a closing, the chat-length exemption, and
the configuration (required elements, accepted phrases, region size)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import tonecheck
from tonecheck import Config, ConfigError, RuleError

CLOSING = "missing-closing"
BODY = (
    "Your refund was processed on Monday. It went back to the card you paid with. "
    "Banks usually post it within three working days."
)

# built once: each distinct configuration compiles its own engine. CLO001 is a preview rule (it
# does not run by default: see test_preview.py), so every configuration here turns preview on.
ALL_RULES = Config(preview=True)
NEXT_STEP_REQUIRED = Config(preview=True, closing={"required": ["next-step"]})
OFFER_AND_NEXT_STEP = Config(preview=True, closing={"required": ["offer-of-help", "next-step"]})
BAKING_ACCEPTED = Config(preview=True, closing={"accepted": [r"\bhappy baking\b"]})
THREE_SENTENCE_REGION = Config(preview=True, closing={"region-sentences": 3})
NO_CHAT_EXEMPTION = Config(preview=True, closing={"chat-max-sentences": 0, "chat-max-words": 0})


def reply(last: str, *, body: str = BODY, signoff: str = "Thanks,\nAna") -> str:
    return f"Hi Sam,\n\n{body} {last}".rstrip() + f"\n\n{signoff}"


def closing_findings(text: str, *, config: Config = ALL_RULES, **kwargs) -> list[tonecheck.Finding]:
    return [f for f in tonecheck.check(text, config=config, **kwargs).findings if f.category == CLOSING]


@pytest.mark.parametrize(
    "last",
    [
        "",  # the body just stops before the sign-off
        "Hope this helps!",
        "Have a lovely weekend.",
        "We will not refund the delivery fee.",  # "we will" is a next step; "we will not" is not
        "If you aren't seeing it, check your spam folder.",  # an instruction, not an offer of help
    ],
)
def test_a_reply_that_just_stops_is_flagged_once(last):
    text = reply(last)
    [finding] = closing_findings(text)
    assert finding.code == "CLO001"
    assert finding.severity == "warning"
    assert text[finding.start : finding.end] == finding.match
    assert finding.suggestions and all(
        s.applicability == "display-only" and s.replacement is None for s in finding.suggestions
    )


def test_the_finding_is_anchored_at_the_last_sentence_of_the_body():
    text = reply("Hope this helps!")
    [finding] = closing_findings(text)
    assert finding.match == "Hope this helps!"
    assert text[finding.end :].startswith("\n\nThanks,")


@pytest.mark.parametrize(
    "last",
    [
        # offer of help
        "Let me know if anything else comes up.",
        "Happy to help if you have more questions.",
        "If you have any other questions, I'm here.",
        "Don't hesitate to ask if something is unclear.",
        "We're always here if you need us.",
        "I can set up a reminder for you if you'd like.",
        # invitation to reply
        "Just reply to this email if it hasn't arrived by Friday.",
        "Give us a call whenever suits you.",
        "Does that work for you?",
        "Looking forward to hearing from you.",
        # next step
        "I'll check back on Friday with an update.",
        "We're going to email you the tracking link tomorrow.",
        "You'll receive a confirmation email within the hour.",
        "The courier will contact you to book a slot.",
        "In the meantime, the old card keeps working.",
        "Please send us a photo of the label.",
    ],
)
def test_each_kind_of_closing_line_counts(last):
    assert closing_findings(reply(last)) == []


def test_curly_apostrophes_and_capitals_still_count():
    assert closing_findings(reply("LET ME KNOW if anything else comes up.")) == []
    assert closing_findings(reply("I\u2019ll check back on Friday with an update.")) == []


def test_a_closing_phrase_in_quoted_history_does_not_count():
    text = reply("Hope this helps!") + "\n\n> Let me know if anything else comes up.\n> Sam"
    assert len(closing_findings(text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Your refund is on its way. Thanks!",
        "Done, the order is cancelled.",
    ],
)
def test_chat_length_replies_are_exempt_by_default(text):
    assert closing_findings(text) == []
    assert len(closing_findings(text, config=NO_CHAT_EXEMPTION)) == 1


def test_a_social_post_needs_no_closing_whatever_its_length():
    text = "@sam Fixed now."
    assert tonecheck.check(text).channel == "social"
    assert closing_findings(text) == closing_findings(text, config=NO_CHAT_EXEMPTION) == []


def test_region_size_decides_how_far_back_a_closing_may_sit():
    text = reply(
        "The bank may add a note. It depends on the bank.", body="Let me know if it has not arrived by Friday. " + BODY
    )
    assert len(closing_findings(text)) == 1
    # with three sentences the region reaches back only to "Banks usually post it...": still missing
    assert len(closing_findings(text, config=THREE_SENTENCE_REGION)) == 1
    near = reply("It depends on the bank.", body=BODY + " Let me know if it has not arrived by Friday.")
    assert closing_findings(near) == []


def test_required_element_missing_is_reported_by_name():
    text = reply("Let me know if anything else comes up.")
    assert closing_findings(text) == []  # any one element is enough by default
    [finding] = closing_findings(text, config=NEXT_STEP_REQUIRED)
    assert "next step" in finding.message
    assert "offer of help" not in finding.message
    [suggestion] = finding.suggestions
    assert "I'll check back" in suggestion.title


def test_required_elements_all_present_pass():
    both = reply("I'll check back on Friday. Let me know if anything else comes up.")
    assert closing_findings(both, config=NEXT_STEP_REQUIRED) == []
    assert closing_findings(both, config=OFFER_AND_NEXT_STEP) == []
    only_next = reply("I'll check back on Friday with an update.")
    [finding] = closing_findings(only_next, config=OFFER_AND_NEXT_STEP)
    assert "offer of help" in finding.message and "next step" not in finding.message


def test_a_question_counts_as_an_invitation_to_reply_only():
    text = reply("Would Tuesday suit you instead?")
    assert closing_findings(text) == []
    assert len(closing_findings(text, config=NEXT_STEP_REQUIRED)) == 1
    invitation = Config(preview=True, closing={"required": ["invitation-to-reply"]})
    assert closing_findings(text, config=invitation) == []


def test_accepted_phrases_from_the_configuration_count_as_a_closing():
    text = reply("Happy baking!")
    assert len(closing_findings(text)) == 1
    assert closing_findings(text, config=BAKING_ACCEPTED) == []


def test_unknown_required_element_is_a_config_error_naming_the_key():
    with pytest.raises(ConfigError, match=r"closing\.required.*'next-steps'.*next-step"):
        tonecheck.check(reply(""), config=Config(closing={"required": ["next-steps"]}))


def test_closing_config_keys_are_checked():
    with pytest.raises(ConfigError):
        Config(closing={"requried": ["next-step"]})


# -- rule data ---------------------------------------------------------------------------------


def _closing_pack(tmp_path: Path, options: dict) -> str:
    pack = {
        "category": CLOSING,
        "rules": [
            {
                "code": "TST900",
                "name": "test-closing",
                "severity": "warning",
                "message": "No closing.",
                "why": "Replies should end warmly.",
                "fix": "Add one.",
                "kind": "detector",
                "detector": "closing",
                "options": options,
                "examples": {"flag": [reply("")], "pass": [reply("Have a great day!")]},
            }
        ],
    }
    (tmp_path / "closing.yml").write_text(yaml.safe_dump(pack))
    return str(tmp_path)


def test_a_custom_closing_rule_uses_its_own_elements(tmp_path):
    path = _closing_pack(
        tmp_path,
        {
            "elements": {"cheer": {"phrases": ["(have|enjoy) a (great|good) (day|one)"]}},
            "examples": {"cheer": ["Have a great day!"]},
        },
    )
    config = Config(rule_paths=(path,), select=("TST900",))
    assert closing_findings(reply("Enjoy a good one."), config=config) == []
    [finding] = closing_findings(reply("Let me know if anything else comes up."), config=config)
    assert [s.title for s in finding.suggestions] == ['Add a closing line, e.g. "Have a great day!"']


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"elements": {"cheer": {}}}, "options.elements.cheer"),
        ({"elements": {"cheer": {"phrases": ["(unclosed"]}}}, "options.elements.cheer.phrases"),
        ({"elements": {"cheer": {"patterns": ["(unclosed"]}}}, "options.elements.cheer.patterns"),
        ({"elements": {"cheer": {"phrases": ["hi"]}}, "examples": {"other": ["x"]}}, "examples"),
        ({"elements": {"cheer": {"phrases": ["hi"], "extra": 1}}}, "extra"),
    ],
)
def test_bad_closing_options_name_the_file_and_field(tmp_path, options, field):
    path = _closing_pack(tmp_path, options)
    with pytest.raises(RuleError) as error:
        tonecheck.check("Hi", config=Config(rule_paths=(path,)))
    message = str(error.value)
    assert "closing.yml" in message and "TST900" in message and field in message
