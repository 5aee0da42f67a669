"""The missing-closing check (CLO001): what counts as a closing, the reply's channel (email, chat,
social: missing-closing applies to email by default), what is not a reply needing one (notices,
snippets, text in another language), and the configuration (channels, required elements,
accepted phrases, region size)."""

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

# built once: each distinct configuration compiles its own engine. CLO001 was a preview rule
# when these were written; it runs by default now, and preview rules do not change its findings.
ALL_RULES = Config(preview=True)
NEXT_STEP_REQUIRED = Config(preview=True, closing={"required": ["next-step"]})
OFFER_AND_NEXT_STEP = Config(preview=True, closing={"required": ["offer-of-help", "next-step"]})
BAKING_ACCEPTED = Config(preview=True, closing={"accepted": [r"\bhappy baking\b"]})
THREE_SENTENCE_REGION = Config(preview=True, closing={"region-sentences": 3})
NO_CHAT_EXEMPTION = Config(preview=True, closing={"chat-max-sentences": 0, "chat-max-words": 0})
EVERY_CHANNEL = Config(preview=True, closing={"channels": ["email", "chat", "social"]})


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
        # a reminder the customer will get is not a next step
        "You'll get a text on the day.",
        "You'll receive a reminder text 24 hours before your visit.",
        "You'll get a text with your driver's name on the morning of delivery.",
        "Please note that our office is closed on Monday.",  # "please note" asks for nothing
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
        "Could you send us a photo of the label?",
        "Could you send us a photo of the label.",  # a request, even without its question mark
        "Please provide the order number so I can look it up.",
        "I would appreciate it if you could add the missing details.",
        "Keep us posted on how the new router does.",
        "Report back if the light stays red.",
        "Send me a fresh photo in a couple of weeks and tell me how it's settling in.",
        # the agent as someone to find, in the agent's own words
        "I'm on the front desk until half five, so come and grab me if the new one sulks.",
        "My inbox is always open if the new timetable needs another tweak.",
        "Any wobbles with the new schedule, my phone's on: 0161 555 0182.",
        "Whatever else would make the weekend special, I'm all ears.",
        "For every other need I stay at your complete disposal.",
        # next step
        "I'll check back on Friday with an update.",
        "We're going to email you the tracking link tomorrow.",
        "You'll hear back from us within the hour.",
        "You'll receive a confirmation email within the hour.",
        "You'll receive updates at this email address.",
        "The courier will contact you to book a slot.",
        "A technician will look at your connection tomorrow and call you with the result.",
        "Your request will be reviewed by our billing team.",
        "The full report will follow.",
        "Stay tuned for the new release!",
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


# -- channels --------------------------------------------------------------------------------

CHAT_TURN = "Your refund was processed on Monday. Banks usually post it within three days."
TWEET = "@sam Your refund was processed on Monday. Banks usually post it within three days."
LONG_WITHOUT_GREETING = BODY + " The bank may add a note to the statement. It depends on the bank."


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        (CHAT_TURN, "chat"),  # short, with neither greeting nor sign-off
        ("Done, the order is cancelled.", "chat"),
        (TWEET, "social"),  # opens with an @handle
        (".@sam Fixed now, thanks for waiting!", "social"),
        (LONG_WITHOUT_GREETING, "email"),  # too long for a chat turn
        ("Hi Sam,\n\nDone, the order is cancelled.\n\nThanks,\nAna", "email"),  # short, but greeting and sign-off
        ("Hi Sam,\n\nDone, the order is cancelled. The refund follows.", "email"),  # a greeting alone will do
        ("Done, the order is cancelled.\n\nBest,\nAna", "email"),  # and so will a sign-off
    ],
)
def test_the_channel_is_detected_from_the_reply_shape(text, channel):
    assert tonecheck.check(text).channel == channel


def test_chat_length_limits_decide_what_a_chat_turn_is():
    assert tonecheck.check(CHAT_TURN).channel == "chat"
    assert tonecheck.check(CHAT_TURN, config=NO_CHAT_EXEMPTION).channel == "email"
    assert tonecheck.check(TWEET, config=NO_CHAT_EXEMPTION).channel == "social"  # an @handle still decides


def test_the_channel_can_be_given_by_the_caller_and_the_configuration():
    assert tonecheck.check(CHAT_TURN, channel="email").channel == "email"
    assert tonecheck.check(reply(""), channel="chat").channel == "chat"
    assert tonecheck.check(CHAT_TURN, config=Config(channel="social")).channel == "social"
    with pytest.raises(tonecheck.InputError):
        tonecheck.check(CHAT_TURN, channel="fax")


@pytest.mark.parametrize("text", [CHAT_TURN, TWEET, "Done, the order is cancelled.", "@sam Fixed now."])
def test_chat_turns_and_posts_need_no_closing_by_default(text):
    assert closing_findings(text) == []


def test_missing_closing_applies_to_the_configured_channels():
    assert len(closing_findings(CHAT_TURN, channel="email")) == 1
    assert len(closing_findings(CHAT_TURN, config=EVERY_CHANNEL)) == 1
    assert len(closing_findings(TWEET, config=EVERY_CHANNEL)) == 1
    assert closing_findings(TWEET, config=Config(preview=True, closing={"channels": ["email", "chat"]})) == []
    assert closing_findings(reply(""), channel="chat") == []  # an email shape read in a chat: no closing needed


def test_a_short_email_with_greeting_and_sign_off_needs_a_closing():
    text = "Hi Sam,\n\nDone, the order is cancelled.\n\nThanks,\nAna"
    [finding] = closing_findings(text)
    assert finding.match == "Done, the order is cancelled."
    assert (
        closing_findings("Hi Sam,\n\nDone, the order is cancelled. Let me know if you need anything.\n\nThanks,\nAna")
        == []
    )


@pytest.mark.parametrize(
    "text",
    [
        "Hi Sam,\n\nThank you for your request.",  # a salutation block: greeting and one line
        "Thank you for your request.\n\nBest regards,\nAna",
        "Best regards,\n\n{{agent.first_name}}",  # a signature block
    ],
)
def test_a_one_sentence_snippet_is_not_a_complete_email(text):
    assert closing_findings(text, channel="email") == []


def test_a_thread_part_before_the_last_needs_no_closing():
    first = "@sam Your refund was processed on Monday. Banks usually post it within three days. 1/2"
    assert closing_findings(first, config=EVERY_CHANNEL) == []
    last = "@sam Your refund was processed on Monday. Banks usually post it within three days. 2/2"
    assert len(closing_findings(last, config=EVERY_CHANNEL)) == 1


def test_trailing_initials_and_links_are_not_the_closing():
    text = (
        "@sam Your refund was processed on Monday. Let us know if it has not arrived by Friday. "
        "^JK https://example.com/refunds"
    )
    assert closing_findings(text, config=EVERY_CHANNEL) == []
    bare = (
        "@sam Your refund was processed on Monday. Banks usually post it within three days. ^JK https://example.com/r"
    )
    [finding] = closing_findings(bare, config=EVERY_CHANNEL)
    assert finding.match == "Banks usually post it within three days."


@pytest.mark.parametrize(
    "social",
    [
        "DM us if it has not arrived by Friday.",
        "Send us a DM with your order number and we can check.",
        "Let's continue in DM.",
    ],
)
def test_social_invitations_count(social):
    text = f"@sam Your refund was processed on Monday. {social}"
    assert closing_findings(text, config=EVERY_CHANNEL) == []


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


# -- where the closing sits, and what needs none -----------------------------------------------------


def test_the_closing_is_found_before_a_sign_off_followed_by_an_appendix():
    text = (
        "Hi Sam,\n\nYour licence is ready. Let me know if you have any questions.\n\nBest,\n\n"
        "{{agent.first_name}}\n\n----\n**What the plans include:**\n- Unlimited projects for every team.\n"
        "- Priority support on weekdays."
    )
    assert closing_findings(text, mode="saved") == []
    without = text.replace(" Let me know if you have any questions.", " It covers twenty seats.")
    [finding] = closing_findings(without, mode="saved")
    assert finding.match == "It covers twenty seats."  # the last sentence before the sign-off, not the appendix


def test_a_closing_behind_a_trailing_pleasantry_counts():
    text = reply("If anything goes wrong, please let us know. Thanks again for being a customer!")
    assert closing_findings(text) == []
    assert len(closing_findings(reply("The bank may add a note. Thanks again for being a customer!"))) == 1


@pytest.mark.parametrize(
    "notice",
    [
        "This email is to let you know that your ticket was updated. The new comment is below the line.",
        "You received this message because you wrote to our support address. We logged the message.",
        "Your previous ticket is closed. Your message was not added to it.",
        "A new ticket has been created for your message. It has the number 4411.",
        # the helpdesk reporting a change to the ticket: a post by someone else, a new owner, a new
        # state next to the number the system fills in, a reset the customer asked for
        "A new comment was added to your ticket by the technician. It is shown in the portal.",
        "Your request has been assigned to the network team. The team works on weekdays.",
        "Ticket {{ ticket.id }} has been resolved by our staff. The resolution is shown in the portal.",
        "Ticket #{ticket.number} was escalated to the duty manager. Its priority is now high.",
        "Someone requested a password reset for this account. The link below works for one hour.",
    ],
)
def test_automated_notices_need_no_closing(notice):
    assert closing_findings(f"Hello,\n\n{notice}\n\nSupport Team", mode="saved") == []


@pytest.mark.parametrize(
    "thanks",
    [
        "What a lovely message to start the week with, thank you!",
        "Thank you so much for the kind words about our team.",
        "Thanks for the lovely review!",
    ],
)
def test_a_thank_you_exchange_needs_no_closing(thanks):
    text = reply("", body=f"{thanks} I've shared it with the fitters, who were chuffed. Enjoy the new kitchen!")
    assert closing_findings(text) == []


def test_thanks_for_kind_words_late_in_a_reply_does_not_make_it_a_thank_you_exchange():
    # the thanks must open the reply: here the reply is about a refund first
    body = (
        "Your refund for the cancelled class was processed on Monday and went back to the card you paid with. "
        "Banks usually post it within three to five working days, though some take a little longer over a "
        "weekend. The class itself has been moved to the spring term. Thanks for the kind words about Maya."
    )
    assert len(closing_findings(reply("", body=body))) == 1


def test_an_agent_reporting_the_ticket_state_is_still_an_email():
    # a person writes the state without the system's ticket number, and still owes a closing
    text = reply(
        "", body="Your ticket has been resolved. The fault was in the router firmware. We pushed the fix overnight."
    )
    assert len(closing_findings(text, mode="saved")) == 1
    assert closing_findings(text.replace("Your ticket", "Ticket {{ ticket.id }}"), mode="saved") == []


def test_an_offer_to_reopen_or_comment_is_an_invitation_to_reply():
    for last in (
        "If the noise comes back, you can reopen the ticket from your account page.",
        "You can comment there too.",
    ):
        assert closing_findings(reply(last)) == []


def test_a_reply_ending_on_content_filled_in_when_sent_is_not_judged():
    text = "Hello,\n\nYour ticket was updated. The following comment was added:\n\n{{ comment }}"
    assert closing_findings(text, mode="saved") == []
    text = "Subject: Password reset\n\nGreetings,\n\nSomeone asked for a new password for you.\n\nYour new password is:\n  {$NewPassword}"
    assert closing_findings(text, mode="saved") == []


def test_replies_in_another_language_are_not_judged():
    german = (
        "Hallo Sam,\n\nIhr Paket wurde heute verschickt. Die Lieferung dauert zwei bis drei Tage.\n\nViele Grüße,\nAna"
    )
    assert closing_findings(german) == []
    assert len(closing_findings(reply(""))) == 1  # the same shape in English is judged


def test_a_comment_on_an_issue_tracker_is_a_turn_in_a_thread():
    comment = (
        "Hi there,\n\nThanks for the pull request! The change to the parser looks right to me. The failing "
        "check is unrelated and comes from the docs build on the main branch, which we are fixing separately."
    )
    assert tonecheck.check(comment).channel == "email"  # greeted, like an e-mail
    assert closing_findings(comment, mode="saved") == []
    customer = (
        comment.replace("pull request", "order")
        .replace("parser", "address")
        .replace("docs build on the main branch", "courier's depot")
    )
    assert len(closing_findings(customer, mode="saved")) == 1


def test_a_long_reply_neither_greeted_nor_signed_needs_no_closing_unless_told_it_is_an_email():
    assert tonecheck.check(LONG_WITHOUT_GREETING).channel == "email"  # too long for a chat turn
    assert closing_findings(LONG_WITHOUT_GREETING) == []  # but not written as an e-mail is
    assert closing_findings(LONG_WITHOUT_GREETING, mode="saved") == []
    assert len(closing_findings(LONG_WITHOUT_GREETING, channel="email")) == 1  # the caller says it is one
    assert len(closing_findings(LONG_WITHOUT_GREETING, config=EVERY_CHANNEL)) == 1  # chat turns need one too
    assert len(closing_findings("Hi Sam,\n\n" + LONG_WITHOUT_GREETING)) == 1
    assert len(closing_findings(LONG_WITHOUT_GREETING + "\n\nBest,\nAna")) == 1


@pytest.mark.parametrize(
    "last",
    [
        "Click the link below to choose a new password.",
        "To add a comment, simply log in to the help centre.",
        "To add a comment simply log in to the help centre.",
        "Then run the check again and look at the result.",
        "See our [setup guide](https://example.com/setup) for the remaining steps.",
        "You can view the progress of your request in your account.",
    ],
)
def test_an_instruction_to_the_customer_as_the_last_step_is_a_next_step(last):
    assert closing_findings(reply(last)) == []


@pytest.mark.parametrize(
    "last",
    [
        "Return shipping is free.",  # a noun, not an instruction
        "When you log in to the app, your settings will sync.",  # a condition, then a fact
        "Take care!",
        "Check-in opens at three.",
    ],
)
def test_a_sentence_that_only_opens_with_such_a_verb_is_not_a_next_step(last):
    assert len(closing_findings(reply(last))) == 1


def test_a_hard_wrapped_sentence_is_read_whole():
    wrapped = (
        "Hi Sam,\n\nWe hope this answers your question. If\nnot, please do not open a new ticket.\n"
        "Instead, reply to this email or\nlog in\nto your account.\n\nThanks,\nAna"
    )
    assert closing_findings(wrapped) == []  # "reply to this email" is in the last sentence, over three lines
    ends_on_fact = (
        "Hi Sam,\n\nYour ticket was created on Monday and is in\n{{ticket.department}} queue.\n\nThanks,\nAna"
    )
    [finding] = closing_findings(ends_on_fact, mode="saved")
    assert finding.match.startswith("Your ticket was created") and finding.match.endswith("queue.")


def test_the_last_line_of_a_wrapped_sentence_is_not_a_signature():
    text = "Hi %{ticket.name.first},\n\nYour ticket #%{ticket.number} is in\n%{ticket.dept.name} department."
    assert [r.kind for r in tonecheck.check(text, mode="saved").regions][-1] == "signoff"  # as the anatomy reads it
    assert closing_findings(text, mode="saved") == []  # one sentence, greeted but not signed: a snippet


@pytest.mark.parametrize(
    "block", ["%{response}", "{%ticket.threadMessage%}", "{{ticket.latest_comment}}", "{{ comment }}"]
)
def test_a_notification_around_the_agents_message_needs_no_closing_of_its_own(block):
    text = f"Dear {{{{customer.name}}}},\n\nThanks for waiting while we looked into this. Our answer is below.\n\n{block}\n\nRegards,\nSupport"
    assert closing_findings(text, mode="saved") == []
    assert len(closing_findings(text.replace(block, "{{ticket.priority}}"), mode="saved")) == 1


def test_the_text_of_an_html_tag_is_not_the_reply():
    image = '<img width="400" alt="A cat at a keyboard. It looks busy." src="https://example.com/cat.png">'
    assert closing_findings(f"{image}\nThanks for the report! This is a duplicate of the earlier one.") == []
    text = f"Hi Sam,\n\n{image}\n\nYour refund was processed on Monday. It went back to your card.\n\nThanks,\nAna"
    [finding] = closing_findings(text)
    assert finding.match == "It went back to your card."


@pytest.mark.parametrize("signoff", ["Thanks & regards,\nAna", "Thank you and kind regards,\nAna"])
def test_thanks_and_regards_is_a_sign_off_not_the_last_sentence(signoff):
    text = reply("", signoff=signoff)
    regions = {r.kind: text[r.start : r.end] for r in tonecheck.check(text, config=ALL_RULES).regions}
    assert regions["signoff"] == signoff
    [finding] = closing_findings(text)
    assert finding.match == "Banks usually post it within three working days."
    assert closing_findings(reply("Let me know if it has not arrived by Friday.", signoff=signoff)) == []


@pytest.mark.parametrize(
    "comment",
    [
        # greeted and signed, but an issue or pull-request comment: it speaks of its thread ...
        "Hi there,\n\nThanks for the report. The option only applies to files created after the upgrade, "
        "which is how the repository documents it. Closing this issue as working as intended.\n\nCheers,\nThe maintainers",
        # ... or @mentions a reviewer
        "Hi,\n\nThe change to the parser looks right and the failing check is unrelated to this branch. "
        "I have asked @lena-k to review the pull request once the docs build is green.\n\nThanks,\nSam",
    ],
)
def test_a_greeted_or_signed_comment_on_an_issue_tracker_is_still_a_turn_in_a_thread(comment):
    assert closing_findings(comment, mode="saved") == []
    # the same shape to a customer, with no developer words, is an e-mail and needs a closing
    customer = (
        comment.replace("repository", "handbook")
        .replace("issue", "case")
        .replace("branch", "order")
        .replace("pull request", "refund")
        .replace("parser", "address")
        .replace("docs build", "courier")
    )
    assert len(closing_findings(customer, mode="saved")) == 1


def test_a_greeted_but_unsigned_comment_on_an_issue_tracker_is_a_turn_in_a_thread():
    comment = (
        "Hey there,\n\nThanks for the pull request. The new flag looks good, but the tests fail on Windows "
        "because of the path separator. The rest of the branch is fine."
    )
    assert closing_findings(comment, mode="saved") == []
    customer = (
        comment.replace("pull request", "order")
        .replace("tests fail on Windows", "parcel is held")
        .replace("path separator", "address")
    )
    assert len(closing_findings(customer.replace("branch", "order"), mode="saved")) == 1


def test_a_signed_comment_pointing_to_another_issue_is_a_turn_in_a_thread():
    comment = (
        "Hi,\n\nThanks for the report. This is the same crash as #4821, and the fix is already on the main "
        "branch of the repository. It will be in the next release.\n\nCheers,\nSam"
    )
    assert closing_findings(comment, mode="saved") == []
    # the same comment without the reference is judged like an e-mail
    assert len(closing_findings(comment.replace("#4821", "the one from last week"), mode="saved")) == 1


@pytest.mark.parametrize(
    "block",
    ["{{dc.closing_line}}", "{{ dc.community_program_closing }}", "{% include 'closing' %}", "{{snippets.closer}}"],
)
def test_a_template_block_after_the_last_sentence_may_hold_the_closing(block):
    body = "Your application was approved. The licence is valid for one year."
    for signature in ("{{current_user.first_name}}", "Best,\n{{current_user.name}}"):
        text = f"Hi {{{{ticket.requester.first_name}}}},\n\n{body}\n\n{block}\n\n{signature}"
        assert closing_findings(text, mode="saved") == [], text
    # a name or signature token there is no closing
    text = f"Hi {{{{ticket.requester.first_name}}}},\n\n{body}\n\n{{{{current_user.signature}}}}"
    [finding] = closing_findings(text, mode="saved")
    assert finding.match == "The licence is valid for one year."


@pytest.mark.parametrize(
    "reminder",
    ["You'll get a text on the day.", "You will receive a reminder the day before.", "You'll get a reminder email."],
)
def test_a_reminder_the_customer_will_get_is_not_a_next_step(reminder):
    text = f"Hi Sam,\n\nYour appointment is booked for Tuesday at ten. {reminder}\n\nBest,\nAna"
    [finding] = closing_findings(text)
    assert finding.match == reminder
    confirmation = text.replace(reminder, "You'll receive a confirmation email within the hour.")
    assert closing_findings(confirmation) == []


@pytest.mark.parametrize(
    "text, flagged",
    [
        (
            "Здравствуйте!\n\nВаш запрос получен. Мы рассмотрим его и постараемся ответить завтра.\n\nКоманда поддержки",
            False,
        ),
        ("Здравствуйте!\n\nВаш запрос получен. Заявка будет обработана до пятницы.\n\nКоманда поддержки", False),
        ("Здравствуйте!\n\nУведомляем вас, что заявка закрыта. Статус изменён вчера.\n\nКоманда поддержки", False),
        ("Здравствуйте!\n\nВаш запрос получен. Номер заявки 4411.\n\nКоманда поддержки", True),
    ],
)
def test_russian_next_steps_and_notices(text, flagged):
    assert bool(closing_findings(text, mode="saved")) is flagged, text


def test_what_is_not_prose_keeps_its_matches_with_bounded_parts():
    """The not-prose pattern's template tags and addresses are bounded (linear on a line of
    openers or a long run of word characters and dashes) and still take what they took."""
    from tonecheck._detectors.closing import _NOT_PROSE

    line = "Write to jane.doe+help@example.co.uk or {{ ticket.requester.first_name }} {% include 'x' %}"
    assert _NOT_PROSE.sub(" ", line).split() == ["Write", "to", "or"]
    # a local part longer than mail allows (64) is no address
    assert _NOT_PROSE.sub(" ", "a" * 65 + "@example.com") == "a" * 65 + "@example.com"
    assert _NOT_PROSE.sub(" ", "a" * 64 + "@example.com") == " "
    # a line of openers with no closer, and a long hyphenated run without an address, stay as they are
    assert _NOT_PROSE.sub(" ", "{%" * 3000) == "{%" * 3000
    assert _NOT_PROSE.sub(" ", "a-" * 3000) == "a-" * 3000


@pytest.mark.parametrize(
    "line",
    [
        "If anything goes wrong on the day, our travel team is on 0345 600 7245 until 10pm.",
        "Have a lovely stay, and if the key card plays up, the front desk is on +44 20 7946 0018.",
        "I'm on shift till 6 today if anything comes up while you're setting it up.",
    ],
)
def test_being_reachable_if_something_goes_wrong_is_an_offer_of_help(line):
    text = f"Hi Sam,\n\nYour tickets are attached to this email.\n\n{line}\n\nBest,\nFiona"
    assert closing_findings(text) == []
    # the same e-mail without the number offers nothing
    assert closing_findings(text.replace(line, "Have a great trip.")) != []
