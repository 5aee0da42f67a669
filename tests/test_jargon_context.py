"""Jargon in context (issue 10): what the unexplained-acronym check (JAR010, a preview rule) leaves
alone, explanations written the way people write them, the reply's audience, the customer's own
words, and the channels the technical jargon packs apply to."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import tonecheck
from tonecheck import Config, RuleError

JARGON = "jargon"
# most jargon rules are preview rules (see test_preview.py): the tests here run every rule
PREVIEW = Config(preview=True)
DEFAULTS = Config()
ACRONYMS_ONLY = Config(select=("JAR010",))  # an exact code runs a preview rule


def reply(body: str, *, greeting: str = "Hi Sam,", signoff: str = "Best,\nAna") -> str:
    return f"{greeting}\n\n{body}\n\n{signoff}"


def jargon(text: str, *, config: Config = PREVIEW, **kwargs) -> list[str]:
    """The matched text of each jargon finding (preview rules included unless a config is given)."""
    return [f.match for f in tonecheck.check(text, config=config, **kwargs).findings if f.category == JARGON]


def acronyms(text: str, **kwargs) -> list[str]:
    return jargon(text, config=ACRONYMS_ONLY, **kwargs)


CONTROL = " The QBR deck is attached."  # an unexplained acronym: shows the check ran


# -- the unexplained-acronym check -----------------------------------------------------------------


def test_the_acronym_check_is_a_preview_rule():
    text = reply("Your KPI report is attached.")
    assert jargon(text, config=DEFAULTS) == []
    assert jargon(text, config=PREVIEW) == ["KPI"]
    assert acronyms(text) == ["KPI"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Thanks for your DM about the dress.",  # social-media abbreviations
        "Send us a DM and we'll look at your DMs together.",
        "The webinar starts at 10am ET, which is 7am PT.",  # time zones
        "Streaming in UHD needs a faster connection than HD.",  # what customers see on their screens
        "You can pay in IDR at checkout, it comes to 49900 IDR.",  # currencies, amounts
    ],
)
def test_everyday_abbreviations_are_not_jargon(sentence):
    assert acronyms(reply(sentence + CONTROL)) == ["QBR"]


@pytest.mark.parametrize(
    ("sentence", "token"),
    [
        ("Your booking reference is QZTRWK and both seats are confirmed.", "QZTRWK"),  # a six-letter code
        ("I could not find booking KZBCK in our system.", "KZBCK"),  # beside "booking"
        ("The AX-1200 and the PS5 ship on Monday.", "PS5"),  # model numbers
        ("Can you DM us your RR# so we can check?", "RR"),  # a number field
        ("Please use code GCCOQ3 at checkout.", "GCCOQ3"),
    ],
)
def test_identifiers_are_not_acronyms(sentence, token):
    found = acronyms(reply(sentence + CONTROL))
    assert token not in found and "QBR" in found


@pytest.mark.parametrize(
    "text",
    [
        "@gracie We've sent a replacement today. ^MK",
        "@gracie We've sent a replacement today. - VC",
        "@gracie We've sent a replacement today. TT",
        "@gracie We've sent a replacement today. TT https://example.com/help",
    ],
)
def test_sign_off_initials_are_not_acronyms(text):
    assert acronyms(text) == []
    assert acronyms(text.replace("today.", "today, the QBR is attached.")) == ["QBR"]


@pytest.mark.parametrize(
    "sentence",
    [
        "The VALUE BUNDLE is back in stock.",  # a run of words in capitals
        "I am so HAPPY it worked!",  # one word in capitals, for emphasis
        "Disconnect the cable where it says FIOS TV IN on the box.",  # a label printed in capitals
        "Please do NOT plug it into a travel adapter.",
    ],
)
def test_words_in_capitals_are_not_acronyms(sentence):
    assert acronyms(reply(sentence + CONTROL)) == ["QBR"]


@pytest.mark.parametrize(
    "sentence",
    [
        "See https://help.example.com/article?lang=EN&ref=FAQ for the steps.",  # inside a link
        "Open the NRC app and tap Settings.",  # a product name: "the ... app"
        "Please include your PSN ID with the ticket.",
        "If GTA Online does not connect, restart the console.",  # followed by a capitalised name
        "Which iOS version runs on your iPhone SE?",  # part of a product's name
        "We'd like to help, but XPQ is not developed by us; its makers can help.",  # a product's maker
        "Could you fill in the form sent to you earlier by 'EM'?",  # a colleague's initials in quotes
        # a step of a menu path, anywhere in the reply: the label is on the customer's screen
        "Can you send us the playlist URI? Right-click the playlist > Share > URI.",
        "Open Settings › XPQ › Reset to start again.",
    ],
)
def test_links_and_names_are_not_acronyms(sentence):
    assert acronyms(reply(sentence + CONTROL)) == ["QBR"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Please check the XPQ settings on your router.",
        "We changed the XPQ, which is made for this.",  # no "by": nothing names the maker
        "The XPQ token was sent by the server.",  # not in quotes
        "If the value is > 5, the XPQ is full.",  # a comparison, not a menu path
    ],
)
def test_look_alikes_of_names_and_labels_are_still_acronyms(sentence):
    assert acronyms(reply(sentence + CONTROL)) == ["XPQ", "QBR"]


def test_a_greeting_to_initials_is_a_name():
    assert acronyms("@mj_runs Hi MJ! Your order is on its way, and the QBR is attached.") == ["QBR"]


# -- explanations ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("explained", "bare", "term"),
    [
        (
            "We issued a credit shell (CS) for the flight. The CS is valid for a year.",
            "We issued a CS for the flight. The CS is valid for a year.",
            "CS",
        ),
        ("Add what we call a webhook to your shop.", "Add a webhook to your shop.", "webhook"),
        (
            "The bank raised a chargeback: when your bank takes a payment back while it checks a complaint.",
            "The bank raised a chargeback while it checks a complaint.",
            "chargeback",
        ),
        (
            "The bank raised a chargeback or payment reversal, so the order is on hold.",
            "The bank raised a chargeback, so the order is on hold.",
            "chargeback",
        ),
        (
            "Your account is in our dunning cycle, which means we'll try the card again on the 3rd.",
            "Your account is in our dunning cycle, and we'll try the card again on the 3rd.",
            "dunning cycle",
        ),
        # the words after "or" spell the term out, a digit standing for its number word
        (
            "I've switched on 2FA, or two-factor authentication, for your workspace.",
            "I've switched on 2FA, or asked the team to, for your workspace.",
            "2FA",
        ),
        (
            "Check the TTL, or time to live, on the record.",
            "Check the TTL, or the record itself.",
            "TTL",
        ),
    ],
)
def test_terms_explained_the_way_people_explain_are_not_jargon(explained, bare, term):
    assert jargon(reply(explained), config=PREVIEW) == []
    assert term in jargon(reply(bare), config=PREVIEW)


def test_the_text_of_a_link_is_explained_by_the_page_it_opens():
    linked = "Please add a [regression test](https://en.wikipedia.org/wiki/Regression_testing) to the form."
    assert jargon(reply(linked)) == []
    # brackets with no link after them, or a link a sentence later, explain nothing
    assert "regression" in jargon(reply("Please add a [regression test] to the form."))
    assert "regression" in jargon(reply("Please add a regression test to the form. See https://example.com."))


def test_a_term_the_next_sentence_says_again_in_plain_words_is_explained():
    said_again = "The message means you hit our rate limit. In other words, after ten attempts the app pauses."
    assert jargon(reply(said_again)) == []
    assert jargon(reply(said_again.replace("In other words, a", "A"))) == ["rate limit"]
    # only the sentence right before the plain words is said again
    later = "The message means you hit our rate limit. Sorry! In other words, wait a few minutes."
    assert jargon(reply(later)) == ["rate limit"]


def test_a_term_the_next_sentence_defines_is_explained():
    defined = (
        "Your router needs port forwarding turned on. That's a router setting that lets a "
        "connection from outside reach one device."
    )
    assert jargon(reply(defined), config=PREVIEW) == []
    assert jargon(reply(defined.replace("That's a router setting that lets", "It lets")), config=PREVIEW) == [
        "port forwarding"
    ]
    # a sentence that says something else of what came before defines nothing
    praised = "Your router needs port forwarding turned on. That's a great step for this issue."
    assert jargon(reply(praised), config=PREVIEW) == ["port forwarding"]


@pytest.mark.parametrize(
    ("explained", "bare"),
    [
        (  # a gloss of up to fourteen words after a comma
            "The lag you see is latency, the delay between pressing a button and the game server hearing it.",
            "The lag you see is latency, and pressing a button reaches the game server late.",
        ),
        (  # a colon, then "these are"
            "The last step is updating your MX records: these are the settings that route your email.",
            "The last step is updating your MX records: then the mail arrives here.",
        ),
    ],
)
def test_longer_glosses_and_a_colon_explain_a_term(explained, bare):
    assert jargon(reply(explained), config=PREVIEW) == []
    assert jargon(reply(bare), config=PREVIEW) != []


@pytest.mark.parametrize(
    ("defined", "undefined", "term"),
    [
        (  # the term opens the sentence that defines it
            "DKIM isn't on for your domain yet. DKIM is a digital signature we add to every e-mail.",
            "DKIM isn't on for your domain yet. DKIM is a bit slow for you to switch on.",
            "DKIM",
        ),
        (
            "Please switch your nameservers to ours. Nameservers are the address book for your domain.",
            "Please switch your nameservers to ours. Nameservers are the problem for your domain.",
            "nameservers",
        ),
        (  # an analogy
            "Think of your nameservers as the address book for your domain.",
            "Point your nameservers at ours and the address book changes then.",
            "nameservers",
        ),
    ],
)
def test_a_term_its_own_sentence_defines_is_explained(defined, undefined, term):
    assert jargon(reply(defined), config=PREVIEW) == []
    assert term in [t.split()[-1] for t in jargon(reply(undefined), config=PREVIEW)]


def test_a_shorter_term_inside_an_explained_one_is_explained_too():
    called = "Your site is moving to its new home. You may hear this called DNS propagation."
    assert jargon(reply(called), config=PREVIEW) == []
    assert jargon(reply(called.replace("You may hear this called DNS", "It is DNS")), config=PREVIEW) == [
        "DNS propagation"
    ]


def test_the_acronym_of_a_term_in_the_customers_quoted_words_is_theirs():
    answer = "Thanks for checking! A strict NAT type usually clears after one router setting."
    assert jargon("> my NAT type is strict and I can't join lobbies\n" + answer, config=PREVIEW) == []
    assert jargon("> I can't join lobbies\n" + answer, config=PREVIEW) == ["strict NAT"]


@pytest.mark.parametrize(
    "engineer",
    [
        # an address written out, and a network at the end of a sentence
        "The apex still has an A record to the old load balancer at 192.0.2.40. The subnet is 10.42.14.0/24.",
        # the reader's technical team
        "For your dev team: the TXT record TTL is in seconds. Your network engineers can lower it.",
        # what an engineer runs
        "From your openssl s_client output, the TLS handshake fails on the old version.",
    ],
)
def test_more_signs_of_a_technical_reader(engineer):
    assert jargon(reply(engineer), config=PREVIEW) == []


def test_an_address_alone_or_a_developer_to_ask_is_one_sign_only():
    # an ordinary customer is told of their own address, or to ask their developer: still jargon
    assert jargon(reply("We saw sign-ins from 81.2.3.4. Please check the SPF record."), config=PREVIEW) == [
        "SPF record"
    ]
    assert jargon(reply("Please ask your developers to add the CNAME."), config=PREVIEW) == ["CNAME"]


def test_a_network_engineers_reply_is_for_a_technical_reader():
    engineer = (
        "Thanks for the traceroutes and the config snippet from your edge router. The BGP session "
        "drops because the hold timer is too short."
    )
    assert jargon(reply(engineer), config=PREVIEW) == []
    customer = "Thanks for your call. The BGP session at our end dropped, which cut your line."
    assert "BGP" in jargon(reply(customer), config=PREVIEW)
    # a network in CIDR notation is an admin's tell too
    admin = "Extend the scope of 10.4.8.0/24 to .240 and check the lease table: the subnet is full."
    assert jargon(reply(admin), config=PREVIEW) == []


def test_a_language_says_how_its_replies_say_a_sentence_again():
    # Russian's own cue words (rules/ru/language.yml), not English's
    text = (
        "Здравствуйте, Анна!\n\nМы передали ваш тикет на вторую линию поддержки. Иначе говоря, им "
        "займутся наши специалисты.\n\nС уважением,\nОльга"
    )
    assert jargon(text) == []
    assert jargon(text.replace("Иначе говоря, им", "Им")) == ["тикет", "вторую линию поддержки"]


def test_an_alternative_that_is_jargon_itself_explains_nothing():
    found = jargon(reply("Please check the DNS or the MX record for your domain."))
    assert "MX record" in found and "DNS" in found


# -- the audience and the customer's own words -----------------------------------------------------

DEVELOPER_REPLY = (
    "Thanks for opening this issue! We couldn't reproduce it on the main branch. Could you share "
    "the repro steps? A PR with a failing test would be even better."
)


def test_developer_words_are_fine_in_a_reply_written_for_developers():
    assert jargon(DEVELOPER_REPLY, mode="saved", config=PREVIEW) == []


def test_the_same_words_are_jargon_for_other_customers():
    text = reply("Our engineers couldn't repro the missing invoices, so the case is on the backlog now.")
    assert jargon(text) == ["repro", "on the backlog"]


@pytest.mark.parametrize(
    ("body", "term"),
    [
        ("The app turns it off through our API, so please update it.", "API"),
        ("The points page loads from an endpoint that was down yesterday.", "endpoint"),
    ],
)
def test_technical_terms_are_jargon_for_an_ordinary_customer(body, term):
    assert term in jargon(reply(body))


def test_a_term_inside_a_web_address_is_not_jargon():
    text = reply("Set up port forwarding on your router: https://help.example.com/articles/port-forwarding")
    assert jargon(text) == ["port forwarding"]


@pytest.mark.parametrize(
    "body",
    [
        # an engineer's integration, told by code-like text: a snake_case error and an API path
        "The invalid_grant error means the refresh token expired; call /v2/token again with a new one.",
        # or inline code
        "Set `maxRetries` to 3 and `timeoutMs` to 500, and the DNS lookup and the TLS handshake will retry.",
        # an IT admin's sign-in setup: the identity system and what only its admins configure
        "In Entra ID, paste the Entity ID and the ACS URL from Admin > Security into the SAML app.",
        # a domain's admin: what they run
        "Your DNS provider appends the domain, so the TXT record only needs the host part in your zone file.",
        # graphics internals
        "Some graphics drivers ignore the setting. The app turns it off through the OpenGL API, so please "
        "update your graphics card's driver.",
        # an engineer's integration, told by the words of one
        "The 429 responses come from the rate limit on the /v2/messages endpoint. Add exponential backoff "
        "using the Retry-After header, and I'm happy to look at your retry logic too.",
        # an IT admin's directory: an address of another scheme than the web's, settings as key=value
        "Point the connector at ldaps://dc01.example.local:636 and set the base DN to OU=Staff,DC=example. "
        "LDAP group sync then runs every 30 minutes.",
        # someone who ships software: deploy logs, a redeploy
        "The deploy logs show the variable is missing from the production environment variables. Add it, "
        "then redeploy.",
        # a security researcher: the disclosure programme they reported through
        "We reproduced the stored XSS and the bounty will be paid through our disclosure programme.",
        # a camelCase function name, the reader's config
        "Your service caches the JWKS endpoint keys for a day; createRemoteJWKSet refreshes them on an "
        "unknown key ID, and I'm happy to look at your config.",
    ],
)
def test_technical_terms_are_fine_for_a_technical_reader(body):
    # (the unexplained-acronym check keeps its own list of developer words: "ACS" is not one)
    assert jargon(reply(body), config=Config(preview=True, ignore=("JAR010",))) == []


def test_acronyms_are_the_technical_readers_own_words():
    body = "The import stops because the CSRF check rejects it, and turning on PKCE fixes that."
    assert acronyms(reply(body)) == ["CSRF", "PKCE"]
    admin = body + " Your Okta admin can switch it on beside the Entity ID."
    assert acronyms(reply(admin)) == []


def test_names_and_addresses_that_look_like_code_are_no_hint():
    # one hint ("stack trace") and these: were any of them counted, the reply would be for a
    # technical reader and the endpoint no jargon
    body = (
        "I passed the stack trace from your iPhone to our engineers: the endpoint behind the eBay "
        "sync was down, on macOS too. Write to janeDoe@example.com or open "
        "https://example.com/help?ref=mail&lang=en if it happens again."
    )
    assert "endpoint" in jargon(reply(body))


def test_one_code_like_word_does_not_make_a_technical_reply():
    assert "refresh token" in jargon(reply("The error_code on screen means your refresh token expired."))


def test_code_in_the_customers_quoted_message_is_not_the_agents_reader():
    quoted = "\n\nOn Mon, 3 June 2024, Sam wrote:\n> I ran `sync --all` and `sync --force` and got invalid_grant."
    assert "refresh token" in jargon(reply("The error means your refresh token expired.") + quoted)


def test_a_stack_trace_mentioned_to_a_customer_is_still_jargon():
    # one mention is a hint of a developer reader, not proof of one
    text = reply("I passed your notes to our engineers along with the stack trace from your session.")
    assert jargon(text) == ["stack trace"]


def test_one_weak_hint_does_not_make_a_developer_reply():
    # "PR" alone (public relations?) is no proof of a developer audience
    text = reply("Our PR team will look at the repro steps tomorrow.")
    assert "repro steps" in jargon(text)


def test_a_term_the_customer_used_first_is_not_jargon():
    quoted = (
        "Hi Dan,\n\nYes, your ONT is the white box where the fibre comes in.\n\nThanks,\nGemma\n\n"
        "On Mon, 4 Mar 2024, Dan Price <dan@example.com> wrote:\n> Is the ONT the white box?"
    )
    assert jargon(quoted) == []
    assert jargon(quoted.split("\n\nOn Mon")[0]) == ["your ONT"]


# -- channels ----------------------------------------------------------------------------------------


LEXICONS = Config(preview=True, ignore=("JAR010",))  # the jargon packs, without the acronym check


def test_technical_jargon_packs_leave_social_posts_alone():
    post = "@dan Let us know your NAT type and we'll check the port forwarding."
    assert tonecheck.check(post).channel == "social"
    assert jargon(post, config=LEXICONS) == []
    assert jargon(post, config=LEXICONS, channel="chat") == ["NAT type", "port forwarding"]


def test_internal_support_jargon_is_flagged_everywhere():
    post = "@dan I've escalated this case to our Tier 3 team."
    assert jargon(post) == ["our Tier 3 team"]


def test_a_rule_declares_its_channels(tmp_path: Path):
    pack = {
        "category": JARGON,
        "rules": [
            {
                "code": "TST901",
                "name": "test-channels",
                "message": "Jargon.",
                "why": "Plain words help.",
                "fix": "Say it plainly.",
                "kind": "phrase",
                "phrases": ["flux capacitor"],
                "channels": ["social"],
                "examples": {"flag": ["@sam The flux capacitor is fine."], "pass": ["The warp drive is fine."]},
            }
        ],
    }
    (tmp_path / "pack.yml").write_text(yaml.safe_dump(pack))
    config = Config(rule_paths=(str(tmp_path),), select=("TST901",))
    assert jargon("@sam The flux capacitor is fine.", config=config) == ["flux capacitor"]
    assert jargon("The flux capacitor is fine.", config=config) == []  # a chat turn
    pack["rules"][0]["channels"] = ["fax"]
    bad = tmp_path / "bad"  # a new path: each configuration's engine is built once
    bad.mkdir()
    (bad / "pack.yml").write_text(yaml.safe_dump(pack))
    with pytest.raises(RuleError, match="channels"):
        tonecheck.check("x", config=Config(rule_paths=(str(bad),), select=("TST901",)))
