"""The structural detectors, through the public API (issue 3).

Covers the reply anatomy (`Report.regions`), the template-leftover rules (TPL001-TPL006:
placeholders of every helpdesk syntax, broken placeholders in saved replies, fill-in markers,
empty names, pasted-twice greetings, wrong-name greetings) and the jargon rules (the lexicons and
the unexplained-acronym check). The missing-closing check (CLO001) is deliberately left out: it is
being reworked, so the tests below never assert anything about it.
"""

from __future__ import annotations

import itertools

import pytest
import regex

import tonecheck
from tonecheck import Config, ConfigError, Finding, Report

LEFTOVER = "template-leftover"
JARGON = "jargon"
MODES = ("draft", "saved")

# The engine is compiled once per configuration: build each one once, at import. Every rule runs,
# preview rules included (TPL003 and most jargon rules are preview: see test_preview.py).
ALL_RULES = Config(preview=True)
HELPSCOUT_ONLY = Config(preview=True, helpdesk=["helpscout"])
KNOWN_VARIABLES = Config(preview=True, known_variables=["first_name", "ticket.id", "customer.firstName"])
SSO_IN_GLOSSARY = Config(preview=True, glossary=["SSO"])
WITHOUT_AUTH_LEXICON = Config(preview=True, ignore=["JAR003"])  # lets the generic acronym check (JAR010) speak


# -- helpers ---------------------------------------------------------------------------------


def reply(body: str, *, greeting: str = "Hi Sam,", signoff: str = "Best,\nAna") -> str:
    """A complete reply around `body`."""
    return f"{greeting}\n\n{body}\n\n{signoff}"


def of_category(report: Report, category: str) -> list[Finding]:
    return [f for f in report.findings if f.category == category]


def leftovers(text: str, *, config: Config | None = None, **kwargs) -> list[Finding]:
    return of_category(tonecheck.check(text, config=ALL_RULES if config is None else config, **kwargs), LEFTOVER)


def jargon(text: str, *, config: Config | None = None, **kwargs) -> list[Finding]:
    return of_category(tonecheck.check(text, config=ALL_RULES if config is None else config, **kwargs), JARGON)


def spans(text: str, findings: list[Finding]) -> list[str]:
    """The text each finding points at; also checks `match` agrees with the offsets."""
    for f in findings:
        assert f.match == text[f.start : f.end], f
    return [text[f.start : f.end] for f in findings]


def region_texts(report: Report, kind: str) -> list[str]:
    return [report.text[r.start : r.end] for r in report.regions if r.kind == kind]


def overlapping(findings: list[Finding], start: int, end: int) -> list[Finding]:
    return [f for f in findings if f.start < end and start < f.end]


# -- reply anatomy -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Hi Sam,\n\nYour replacement kettle left our warehouse this morning. It should reach you on "
            "Thursday.\n\nIf it arrives damaged, reply to this email and we will sort it out.\n\n"
            "Thanks,\nAna\nCustomer Care, Example Co.\n",
            {
                "greeting": ["Hi Sam,"],
                "body": ["Your replacement kettle left our warehouse this morning."],
                "closing": [
                    "It should reach you on Thursday.\n\n"
                    "If it arrives damaged, reply to this email and we will sort it out."
                ],
                "signoff": ["Thanks,\nAna\nCustomer Care, Example Co."],
            },
            id="greeting-body-closing-signature",
        ),
        pytest.param(
            "Good afternoon Priya,\n\nI have moved your delivery to Saturday as you asked. The driver will "
            "text you an hour before.\n\n-- \nAna Lopez\nhttps://help.example.com",
            {
                "greeting": ["Good afternoon Priya,"],
                "closing": [
                    "I have moved your delivery to Saturday as you asked. The driver will text you an hour before."
                ],
                "signoff": ["-- \nAna Lopez\nhttps://help.example.com"],
            },
            id="dash-dash-signature-delimiter",
        ),
        pytest.param(
            "Dear Mr. Okafor,\n\nThank you for your patience while we looked into the missing parcel.\n\n"
            "Kind regards,\nAna Lopez\nExample Co.\nsupport@example.com",
            {
                "greeting": ["Dear Mr. Okafor,"],
                "closing": ["Thank you for your patience while we looked into the missing parcel."],
                "signoff": ["Kind regards,\nAna Lopez\nExample Co.\nsupport@example.com"],
            },
            id="formal-greeting-contact-lines",
        ),
        pytest.param(
            "Your refund went through today. It can take three working days to show on your statement.\n\nCheers,\nAna",
            {
                "closing": [
                    "Your refund went through today. It can take three working days to show on your statement."
                ],
                "signoff": ["Cheers,\nAna"],
            },
            id="no-greeting",
        ),
    ],
)
def test_regions_of_a_reply(text, expected):
    report = tonecheck.check(text)
    kinds = {r.kind for r in report.regions}
    assert kinds == set(expected)
    for kind, texts in expected.items():
        # the body ends where the closing starts, so it may carry the space between them
        got = [t.strip() for t in region_texts(report, kind)] if kind == "body" else region_texts(report, kind)
        assert got == texts, kind


def test_structural_regions_are_in_reading_order_and_do_not_overlap():
    text = reply("Your order is packed. It leaves tonight. The courier will email you a tracking link.")
    report = tonecheck.check(text)
    structural = [r for r in report.regions if r.kind in ("greeting", "body", "closing", "signoff")]
    assert [r.kind for r in structural] == ["greeting", "body", "closing", "signoff"]
    for before, after in itertools.pairwise(structural):
        assert before.end <= after.start
    assert structural[0].start == 0 and structural[-1].end == len(text)


def test_quote_lines_are_quoted_regions_line_by_line():
    quote = ["> Where is my parcel?", "  > It was due on Monday.", ">> Earlier: thanks for ordering."]
    text = reply("Thanks for checking in.\n\n" + "\n".join(quote) + "\n\nIt left our warehouse today.")
    report = tonecheck.check(text)
    assert region_texts(report, "quoted") == quote
    assert region_texts(report, "greeting") == ["Hi Sam,"]
    assert region_texts(report, "signoff") == ["Best,\nAna"]


@pytest.mark.parametrize(
    "history",
    [
        "On Fri, 7 Jun 2024 at 16:40, Sam Lee <sam@example.com> wrote:\nIs it coming this week?\n",
        "On Fri, 7 Jun 2024 at 16:40, Sam Lee <sam@example.com>\nwrote:\n\nIs it coming this week?\n",
        "-----Original Message-----\nFrom: Sam Lee\nSubject: parcel\nIs it coming this week?\n",
        "---------- Forwarded message ---------\nFrom: Depot <depot@example.com>\nParcel held at depot.\n",
    ],
    ids=["on-wrote", "on-wrote-wrapped", "original-message", "forwarded"],
)
def test_history_header_starts_a_quoted_region_that_runs_to_the_end(history):
    text = reply("It left our warehouse today. Anything else, just ask.") + "\n\n" + history
    report = tonecheck.check(text)
    assert region_texts(report, "quoted") == [history]
    assert region_texts(report, "signoff") == ["Best,\nAna"]  # the agent's sign-off is not history


@pytest.mark.parametrize("fence", ["```json", "~~~"])
def test_fenced_block_is_a_code_region(fence):
    block = f'{fence}\n{{"order": 10023, "status": "packed"}}\n{fence[:3]}'
    text = reply(f"Here is the record you asked for:\n\n{block}\n\nIt is packed and ready.")
    assert region_texts(tonecheck.check(text), "code") == [block]


def test_inline_code_spans_are_code_regions():
    text = reply("Type `reset --all` in the console, then `status` to check it worked.")
    assert region_texts(tonecheck.check(text), "code") == ["`reset --all`", "`status`"]


# -- nothing that is not the agent's is flagged --------------------------------------------------

OWN_MARKER = "The new delivery date is TBD."  # the agent's own leftover: must still be flagged


def with_foreign(foreign: str, layout: str) -> str:
    """A reply holding `foreign` text: as a block in the body, as history after the sign-off, or
    inline in the agent's sentence."""
    if layout == "block":
        return reply(f"{OWN_MARKER}\n\n{foreign}\n\nI have chased it for you.")
    if layout == "history":
        return reply(OWN_MARKER) + "\n\n" + foreign
    return reply(f"{OWN_MARKER} Type {foreign} in the box.")


@pytest.mark.parametrize(
    ("foreign", "layout"),
    [
        pytest.param(
            "> Hi {{first_name}}, your [ORDER NUMBER] is XXX.\n> It went to L2 and the RCA is due EOD, says our SLA.",
            "block",
            id="quote-lines",
        ),
        pytest.param(
            "  > Hi undefined,\n  >> Dear ,\n  >> The 3PL has the backordered SKU *|FNAME|* {{first_name}",
            "block",
            id="nested-quote-lines",
        ),
        pytest.param(
            "On Fri, 7 Jun 2024 at 16:40, Tom <tom@example.com> wrote:\n"
            "Hi Tom,\nHi Tom,\nHi {{first_name}, TODO: the CNAME record and SSO are broken.\n",
            "history",
            id="on-wrote-history",
        ),
        pytest.param(
            "-----Original Message-----\nFrom: Tom\nDear ,\n<insert order number> for {!Contact.FirstName} is a P1.\n",
            "history",
            id="original-message",
        ),
        pytest.param(
            "---------- Forwarded message ---------\nFrom: Depot\n"
            "The backordered SKU for ${Contacts.First Name} went to the 3PL on ____.\n",
            "history",
            id="forwarded",
        ),
        pytest.param(
            '```\nNAME={{first_name}\nGREETING="Hi undefined,"\n# TODO: check the SSO webhook payload\n```',
            "block",
            id="fenced-code",
        ),
        pytest.param("`{{ticket.id}}` or `[Customer Name]` or `MFA`", "inline", id="inline-code"),
    ],
)
def test_text_that_is_not_the_agents_is_never_flagged(foreign, layout):
    text = with_foreign(foreign, layout)
    start = text.index(foreign)
    end = start + len(foreign)
    own = text.index("TBD")
    for mode in MODES:
        report = tonecheck.check(text, mode=mode, context={"customer_name": "Sam"}, config=ALL_RULES)
        # missing-closing is out of scope here (being reworked); every other detector is checked
        checked = [f for f in report.findings if f.category != "missing-closing"]
        assert overlapping(checked, start, end) == [], mode
        # the agent's own marker next to it is still caught: the detectors did run
        assert [(f.code, f.start) for f in of_category(report, LEFTOVER)] == [("TPL003", own)], mode


# -- template leftovers: placeholders in drafts -------------------------------------------------

# (placeholder, the syntax name TPL001 reports) -- one per helpdesk syntax the issue lists
WELL_FORMED = [
    ("{{ticket.requester.first_name}}", "liquid-output"),  # Zendesk / Liquid
    ("{% if customer.vip %}", "liquid-tag"),  # Liquid tag
    ('{{first_name | fallback: "there"}}', "liquid-output"),  # Intercom
    ("{%customer.firstName,fallback=there%}", "helpscout"),  # Help Scout
    ("{{recipient.first_name}}", "liquid-output"),  # Front
    ("{!Contact.FirstName}", "salesforce"),  # Salesforce merge field
    ("{{{Recipient.FirstName}}}", "liquid-output"),  # Salesforce Lightning
    ("${Contacts.First Name}", "zoho"),  # Zoho Desk
    ("#{ticket.customer.firstname}", "zammad"),  # Zammad
    ("%{ticket.name.first}", "osticket"),  # osTicket
    ("*|FNAME|*", "mailchimp"),  # Mailchimp
    ("[[MISSING TOKEN - contact.firstname]]", "hubspot-missing"),  # HubSpot
    ("{FNAME}", "single-brace"),  # generic
    ("%NAME%", "percent"),  # generic
    ("<OTRS_CUSTOMER_FIRSTNAME>", "otrs"),  # OTRS
]


@pytest.mark.parametrize(("placeholder", "syntax"), WELL_FORMED, ids=[p for p, _ in WELL_FORMED])
def test_placeholder_is_flagged_in_a_draft_and_passes_in_a_saved_reply(placeholder, syntax):
    text = reply(f"Your voucher for {placeholder} is attached below.")
    found = leftovers(text)
    assert spans(text, found) == [placeholder]
    assert found[0].code == "TPL001" and f"({syntax} syntax)" in found[0].message
    assert jargon(text) == []  # "FNAME", "OTRS_..." are placeholders, not acronyms
    assert leftovers(text, mode="saved") == []  # a saved reply is meant to hold placeholders


def test_every_placeholder_of_a_draft_is_flagged_where_it_stands():
    text = (
        "Hi {{first_name}},\n\nYour items {{item_one}}{{item_two}} left today; the invoice "
        "{!Invoice.Number} is attached.\n\nThanks,\n%AGENT%"
    )
    found = leftovers(text)
    assert spans(text, found) == ["{{first_name}}", "{{item_one}}", "{{item_two}}", "{!Invoice.Number}", "%AGENT%"]
    assert {f.code for f in found} == {"TPL001"}
    assert [(f.line, f.column) for f in found] == [(1, 4), (3, 12), (3, 24), (3, 61), (6, 1)]


# -- template leftovers: fill-in markers, empty names, pasted twice (both modes) -------------------


@pytest.mark.parametrize(
    ("text", "marker", "code"),
    [
        (reply("Thanks, [Customer Name], for waiting so patiently."), "[Customer Name]", "TPL003"),
        (reply("Your parcel arrives on [DATE] before noon."), "[DATE]", "TPL003"),
        (reply("Your order <insert order number> has shipped."), "<insert order number>", "TPL003"),
        (reply("We have refunded XXX to your card."), "XXX", "TPL003"),
        (reply("Your new account number is XXXX."), "XXXX", "TPL003"),
        (reply("TODO add the tracking link here."), "TODO", "TPL003"),
        (reply("The replacement ships on a date that is still TBD."), "TBD", "TPL003"),
        (reply("Please sign on the line ____ and post it back."), "____", "TPL003"),
        (reply("Lorem ipsum dolor sit amet, the box is on its way."), "Lorem ipsum", "TPL003"),
        (reply("Your order shipped today.", greeting="Hi ,"), "Hi ,", "TPL004"),
        (reply("Your order shipped today.", greeting="Dear ,"), "Dear ,", "TPL004"),
        (reply("Your order shipped today.", greeting="Hi undefined,"), "Hi undefined,", "TPL004"),
        (reply("Your order shipped today.", greeting="Dear None,"), "Dear None,", "TPL004"),
        # two programming values: both are the bad name, and the span does not end on a space
        (
            reply("Your order shipped today.", greeting="Hello undefined undefined,"),
            "Hello undefined undefined,",
            "TPL004",
        ),
        (reply("Your order shipped today.", greeting="Hi null undefined!"), "Hi null undefined!", "TPL004"),
        (reply("Your order shipped today.", greeting="Hi Tom,\nHi Tom,"), "Hi Tom,", "TPL005"),
        (
            reply("Your order shipped today.", signoff="Kind regards,\nAna\nKind regards,\nAna"),
            "Kind regards,\nAna",
            "TPL005",
        ),
    ],
)
def test_manual_markers_and_broken_greetings_are_flagged_in_both_modes(text, marker, code):
    for mode in MODES:
        found = leftovers(text, mode=mode)
        assert spans(text, found) == [marker], mode
        assert found[0].code == code, mode
        if code == "TPL005":  # the repeat is flagged, so deleting the finding's span fixes it
            assert found[0].start == text.rindex(marker), mode


# -- saved replies: malformed placeholders --------------------------------------------------------


@pytest.mark.parametrize(
    "placeholder",
    [
        "{{first_name}",  # unbalanced braces
        "{first_name}}",
        "{{{Recipient.FirstName}}",
        "{{promo_code",  # opened and never closed
        "%{ticket.number",
        "{!Case.Number",
        "*|COUPON",
        "{{first name}}",  # a space in the variable name
        "{{ticket.requester.first name}}",
        "{{customer first name}}",
        '{{first name | fallback: "there"}}',
        "{{ticket .id}}",
        "{%customer.first Name%}",  # Help Scout
        "{%customer.first Name,fallback=there%}",
        "{!Contact.First Name}",  # Salesforce
        "#{ticket.customer.first name}",  # Zammad
        "%{ticket.name first}",  # osTicket
        "*|F NAME|*",  # Mailchimp
        "#{ticket.customer.firstname}}",  # an extra closing brace
        "%{ticket.name.first}}",
        "${Contacts.First Name}}",
        "{FNAME",  # a single brace never closed
        "{{ticket.id%}",  # Liquid opened, Help Scout closed
        "{%customer.firstName}}",  # Help Scout opened, Liquid closed
        "{!Contact.FirstName}}",  # Salesforce opened, Liquid closed
        '{{first_name | fallback: ""}}',  # an empty fallback
        "{{first_name | default: ''}}",
        "{%customer.firstName,fallback=%}",
        '{%customer.firstName,fallback=""%}',
    ],
)
def test_malformed_placeholder_is_flagged_in_a_saved_reply(placeholder):
    # at the end of its line, so that a placeholder left open has a clear end too
    text = reply(f"Your voucher code is {placeholder}\nand it works until Sunday.")
    found = leftovers(text, mode="saved")
    assert spans(text, found) == [placeholder]
    assert found[0].code == "TPL002"


@pytest.mark.parametrize("placeholder", ["*|FNAME}}", "{{FNAME|*"])
def test_mailchimp_and_liquid_delimiters_mixed_are_flagged(placeholder):
    text = reply("Your order shipped today.", greeting=f"Hi {placeholder},")
    found = leftovers(text, mode="saved")
    assert [f.code for f in found] == ["TPL002"]
    # the whole placeholder, not the comma after it; and it is the mixing that is reported
    assert spans(text, found) == [placeholder]
    assert "mixes two syntaxes" in found[0].message


# (placeholder, what the message must say)
@pytest.mark.parametrize(
    ("placeholder", "problem"),
    [
        ("{{customer first name}}", "contains a space"),
        ("{!Contact.First Name}", "contains a space"),
        ("*|F NAME|*", "contains a space"),
        ("{%customer.first Name%}", "contains a space"),
        ("#{ticket.customer.firstname}}", "opens with #{ but closes with }}"),
        ("${Contacts.First Name}}", "opens with ${ but closes with }}"),
        ("{{first_name}", "opens with {{ but closes with a single }"),
        ("{{ticket.id%}", "mixes two syntaxes"),
        ("{%customer.firstName}}", "mixes two syntaxes"),
        ('{%customer.firstName,fallback=""%}', "fallback is empty"),
        ("{FNAME", "never closed"),
    ],
)
def test_malformed_placeholder_message_names_the_problem(placeholder, problem):
    text = reply(f"Your voucher code is {placeholder}\nand it works until Sunday.")
    (finding,) = leftovers(text, mode="saved")
    assert finding.match == placeholder
    assert problem in finding.message


# (line with a placeholder left open mid-line, the span: opener and variable, no prose or punctuation)
@pytest.mark.parametrize(
    ("line", "placeholder"),
    [
        ("Your code {{promo_code and it works today.", "{{promo_code"),
        ("Your code {{ promo_code, valid today.", "{{ promo_code"),
        ("Your code {{promo_code.", "{{promo_code"),
        # these three openers already stopped at the variable: kept so every opener is held to it
        ("Your case {!Case.Number is open.", "{!Case.Number"),
        ("Your ticket %{ticket.number is open.", "%{ticket.number"),
        ("Hello #{ticket.customer.firstname, welcome.", "#{ticket.customer.firstname"),
        ("Dear ${Contacts.First Name and team, welcome.", "${Contacts.First Name"),
        ("Hi {FNAME, welcome aboard.", "{FNAME"),
        ("Hi {FNAME and welcome aboard.", "{FNAME"),
    ],
)
def test_placeholder_left_open_mid_line_spans_only_the_placeholder(line, placeholder):
    text = reply(line)
    found = leftovers(text, mode="saved")
    assert spans(text, found) == [placeholder]
    assert found[0].code == "TPL002" and "never closed" in found[0].message


# well-formed placeholders that hold spaces, and template code: none is a broken placeholder
# (guards for the space and never-closed checks above)
@pytest.mark.parametrize(
    "placeholder",
    [
        "{{ first_name }}",  # spaces just inside the braces
        "{{- first_name -}}",
        '{{first_name | fallback: "there"}}',  # Intercom
        "{{ ticket.ticket_url|safe }}",
        "{{ nickname or first_name }}",  # an expression, not a name with a space
        "{% if x %}",  # Liquid tags hold code
        "{% if customer.vip and order.total > 50 %}",
        "{% blocktrans with ticket.title as title %}",
        "${Contacts.First Name}",  # Zoho names hold spaces
        "{%customer.firstName,fallback=there%}",
        "{FNAME}",
    ],
)
def test_well_formed_placeholders_with_spaces_pass_in_a_saved_reply(placeholder):
    text = reply(f"Your voucher for {placeholder} is attached below.")
    assert leftovers(text, mode="saved") == []


# template punctuation in prose or code is not a placeholder left open
@pytest.mark.parametrize(
    "body",
    [
        "Set the colour in the style block: {color: red} works.",
        'The export looks like {"id": 4471} for each order.',
        "Costs are $40 {approx.} per month.",
    ],
)
def test_braces_in_prose_are_not_a_placeholder_left_open(body):
    text = reply(body)
    assert leftovers(text, mode="saved") == []


# -- saved replies: known variables and the team's helpdesk --------------------------------------


# Each case puts a good placeholder and a bad one in the same reply: only the bad one is reported.
@pytest.mark.parametrize(
    ("known", "unknown", "problem"),
    [
        ("{{first_name}}", "{{frist_name}}", "did you mean 'first_name'"),
        ('{{first_name | fallback: "there"}}', "{{ticket.idd}}", "did you mean 'ticket.id'"),
        ("{%customer.firstName,fallback=there%}", "{%customer.firstname%}", "did you mean 'customer.firstName'"),
        ("{% if first_name %}", "*|ORDERNO|*", "'ORDERNO' is not a known variable"),  # a tag is code, not a variable
    ],
)
def test_known_variables_in_saved_mode(known, unknown, problem):
    text = reply(f"Your voucher for {known} is attached, and so is {unknown} below.")
    found = leftovers(text, mode="saved", config=KNOWN_VARIABLES)
    assert spans(text, found) == [unknown]
    assert found[0].code == "TPL002" and problem in found[0].message


def test_known_variable_typo_comes_with_a_fix():
    text = reply("Your voucher for {{frist_name}} is attached below.")
    (finding,) = leftovers(text, mode="saved", config=KNOWN_VARIABLES)
    assert [s.replacement for s in finding.suggestions] == ["{{first_name}}"]


def test_known_variables_do_not_excuse_a_placeholder_in_a_draft():
    text = reply("Your voucher for {{first_name}} is attached below.")
    assert [f.code for f in leftovers(text, config=KNOWN_VARIABLES)] == ["TPL001"]


def test_known_variables_accepts_the_dashed_spelling():
    dashed = Config(preview=True, **{"known-variables": list(KNOWN_VARIABLES.known_variables)})
    text = reply("Your voucher for {{first_name}} is attached, and so is {{frist_name}} below.")
    assert spans(text, leftovers(text, mode="saved", config=dashed)) == ["{{frist_name}}"]


@pytest.mark.parametrize(
    ("placeholder", "syntax"),
    [
        ("{{first_name}}", "liquid-output"),
        ("{% if vip %}", "liquid-tag"),
        ("{!Contact.FirstName}", "salesforce"),
        ("*|FNAME|*", "mailchimp"),
    ],
)
def test_helpdesk_setting_reports_other_syntaxes_in_saved_mode(placeholder, syntax):
    own = "{%customer.firstName,fallback=there%}"  # Help Scout's own syntax passes
    text = reply(f"Your voucher for {own} is attached, and so is {placeholder} below.")
    found = leftovers(text, mode="saved", config=HELPSCOUT_ONLY)
    assert spans(text, found) == [placeholder]
    assert found[0].code == "TPL002" and f"{syntax} syntax" in found[0].message


def test_helpdesk_setting_does_not_hide_a_foreign_syntax_in_a_draft():
    text = reply("Your voucher for {{first_name}} and {%customer.firstName%} is attached below.")
    found = leftovers(text, config=HELPSCOUT_ONLY)
    assert spans(text, found) == ["{{first_name}}", "{%customer.firstName%}"]
    assert {f.code for f in found} == {"TPL001"}


@pytest.mark.parametrize("helpdesk", [["zendsk"], ["helpscout", "Mailchump"]])
def test_unknown_helpdesk_is_a_config_error_naming_it(helpdesk):  # helpdesk names are known: test_repos.py
    with pytest.raises(ConfigError) as raised:
        tonecheck.check("Hi Sam,\n\nYour order shipped.", config=Config(helpdesk=helpdesk))
    assert "helpdesk" in str(raised.value) and repr(helpdesk[-1]) in str(raised.value)


# -- context: greeting the wrong customer -----------------------------------------------------------

BODY = "Your order shipped today and should arrive on Friday."


@pytest.mark.parametrize(
    ("greeting", "customer", "wrong"),
    [
        ("Hi Sarah,", "Sara", "Sarah"),
        ("Hi John,", "Sara", "John"),
        ("Good morning John,", "Sara", "John"),
        ("Dear Ms. Lopes,", "Sara Lopez", "Lopes"),
        ("Hi Sara-Jane,", "Sara", "Sara-Jane"),  # a hyphenated name is one name
        ("Hi Jean-Paul,", "Jean-Luc Picard", "Jean-Paul"),
    ],
)
def test_greeting_someone_else_is_flagged(greeting, customer, wrong):
    text = reply(BODY, greeting=greeting)
    found = leftovers(text, context={"customer_name": customer})
    assert spans(text, found) == [wrong]
    assert found[0].code == "TPL006" and customer in found[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Hi, your order has shipped.",
        "Hi , your table for four is booked.",
        "Hello, thanks for writing in.",
        "Hi, we have refunded you.",
    ],
)
def test_a_lowercase_word_after_a_greeting_is_no_name(text):
    # with the greeting read case-insensitively, "your" once passed for a name, and its safe fix
    # wrote "Hi, Sara order has shipped."
    assert [f.code for f in leftovers(text, context={"customer_name": "Sara"}) if f.code == "TPL006"] == []


@pytest.mark.parametrize(
    ("greeting", "customer", "fixed"),
    [
        ("Hi John,", "Sara", "Hi Sara,"),
        ("Hi John,", "Sara Lopez", "Hi Sara,"),
        ("Dear Ms. Lopes,", "Sara Lopez", "Dear Ms. Lopez,"),  # after a title, the surname
        ("Dear Dr Lopes,", "Sara Lopez", "Dear Dr Lopez,"),
        ("Hello Mr. Smith,", "Jean-Luc Picard", "Hello Mr. Picard,"),
        ("Hi Anne,", "Sara-Jane Lopez", "Hi Sara-Jane,"),
    ],
)
def test_wrong_name_suggests_the_customers_name_as_a_safe_fix(greeting, customer, fixed):
    text = reply(BODY, greeting=greeting)
    (finding,) = leftovers(text, context={"customer_name": customer})
    ((replacement, applicability),) = [(s.replacement, s.applicability.value) for s in finding.suggestions]
    assert applicability == "safe"
    assert (text[: finding.start] + replacement + text[finding.end :]).startswith(fixed + "\n")


@pytest.mark.parametrize(
    ("greeting", "customer", "name"),
    [
        ("Hi Sara,", "Sara", "Sara"),
        ("Hi Sara,", "Sara Lopez", "Sara"),
        ("Dear Ms. Lopez,", "Sara Lopez", "Lopez"),
        ("Hi O'Brien,", "Siobhan O'Brien", "O'Brien"),
        ("Hi Sara-Jane,", "Sara-Jane", "Sara-Jane"),  # hyphenated names
        ("Hi Jean-Luc,", "Jean-Luc Picard", "Jean-Luc"),
        ("Hi Anne-Marie,", "Anne-Marie Dubois", "Anne-Marie"),
        ("Dear Ms. Dubois,", "Anne-Marie Dubois", "Dubois"),
    ],
)
def test_greeting_the_right_customer_passes(greeting, customer, name):
    text = reply(BODY, greeting=greeting)
    assert leftovers(text, context={"customer_name": customer}) == []
    # the same greeting to another customer is caught
    assert spans(text, leftovers(text, context={"customer_name": "Priya"})) == [name]


@pytest.mark.parametrize("context", [None, {}, {"customer_name": ""}])
def test_without_a_customer_name_no_greeting_is_called_wrong(context):
    text = reply(BODY, greeting="Hi John,")
    assert leftovers(text, context=context) == []
    assert spans(text, leftovers(text, context={"customer_name": "Sara"})) == ["John"]


def test_a_quoted_greeting_to_someone_else_is_not_a_wrong_name():
    text = reply(f"{BODY}\n\n> Hi John,\n> please forward this to Sara.", greeting="Hi Sara,")
    assert leftovers(text, context={"customer_name": "Sara"}) == []
    # for another customer only the agent's own greeting is wrong, never the quoted one
    assert spans(text, leftovers(text, context={"customer_name": "Priya"})) == ["Sara"]


# -- innocent look-alikes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "greeting"),
    [
        pytest.param("Your order #A-10023 is packed and ready.", "Hi Sam,", id="order-number"),
        pytest.param("The jacket in size XXL is back in stock, and so is the XS.", "Hi Sam,", id="sizes"),
        pytest.param("Your booking code is QX7-PLM, so keep it handy.", "Hi Sam,", id="booking-code"),
        pytest.param("Returns are free within 30 days [1] of delivery.", "Hi Sam,", id="footnote"),
        pytest.param("Read [our guide](https://example.com/returns) for the steps.", "Hi Sam,", id="markdown-link"),
        pytest.param(
            "Here is the export you asked for:\n\n```json\n"
            '{"customer": {"name": "{{first_name}", "tags": ["{FNAME}", "TODO"]}}\n```\n\n'
            "It lists every order.",
            "Hi Sam,",
            id="json-in-code",
        ),
        pytest.param(BODY, "Dear Mr. Patel,", id="mr"),
        pytest.param(BODY, "Hello Ms. Lee,", id="ms"),
        pytest.param("None of the items were damaged in transit.", "Hi Sam,", id="none-in-body"),
    ],
)
def test_innocent_look_alikes_are_not_leftovers(body, greeting):
    # a real marker in the sign-off of the same reply shows the checks ran
    text = reply(body, greeting=greeting, signoff="Best,\n[Agent Name]")
    for mode in MODES:
        assert spans(text, leftovers(text, mode=mode)) == ["[Agent Name]"], mode


# -- jargon ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "term", "code"),
    [
        ("I have escalated this to L2 for you.", "to L2", "JAR001"),
        ("This one is a P1 for our team.", "P1", "JAR001"),
        ("The RCA will be shared next week.", "RCA", "JAR001"),
        ("This is covered by our SLA.", "SLA", "JAR001"),
        ("You will hear back from us by EOD.", "EOD", "JAR001"),
        ("That is a backordered SKU, so it ships later.", "backordered SKU", "JAR005"),
        ("Our 3PL will collect it on Monday.", "3PL", "JAR005"),
        ("The webhook payload arrived empty.", "webhook payload", "JAR007"),
        # a wording with its own phrase ("a domain setting that points…") is not stacked on another
        # ("… for your domain"): there it is advice (see tests/test_rewrites.py)
        ("Please add a CNAME record today.", "CNAME record", "JAR002"),
    ],
)
def test_lexicon_terms_are_flagged_with_plain_words(sentence, term, code):
    text = reply(sentence)
    found = jargon(text)
    assert spans(text, found) == [term]
    assert found[0].code == code
    # the plain wording is given in the advice (built-in wordings are advice, not edits)
    plain = [m for s in found[0].suggestions for m in regex.findall(r'"([^"]+)"', s.title)]
    assert plain and all(p.strip() and p != term for p in plain)  # a real alternative, not the term
    assert all(s.replacement is None for s in found[0].suggestions)


@pytest.mark.parametrize(
    ("sentence", "acronym", "config"),
    [
        ("Your KPI report is attached.", "KPI", None),
        ("Please sign the NDA before the call.", "NDA", None),
        ("We track the KPIs weekly.", "KPIs", None),
        ("You can now use SSO to sign in.", "SSO", WITHOUT_AUTH_LEXICON),
        ("Please turn on MFA for your team.", "MFA", WITHOUT_AUTH_LEXICON),
    ],
)
def test_unexplained_acronyms_are_flagged(sentence, acronym, config):
    text = reply(sentence)
    found = jargon(text, config=config)
    assert spans(text, found) == [acronym]
    assert found[0].code == "JAR010"
    assert found[0].suggestions and acronym in found[0].suggestions[0].title


@pytest.mark.parametrize(
    "sentence",
    [
        "Please send the PDF again.",
        "Our FAQ covers this step by step.",
        "Plug in the USB cable first.",
        "Your ID is printed on the card.",
        "Your new PIN arrives by post.",
        "The GPS tracker is switched on.",
    ],
)
def test_everyday_acronyms_are_not_jargon(sentence):
    # an unexplained acronym in the same reply shows the check ran
    text = reply(f"{sentence} The QBR is on Monday.")
    assert spans(text, jargon(text)) == ["QBR"]


@pytest.mark.parametrize(
    ("explained", "bare"),
    [
        ("You can now use single sign-on (SSO) to sign in.", "You can now use SSO to sign in."),
        ("You can now use SSO (single sign-on) to sign in.", "You can now use SSO to sign in."),
        ("You can now use SSO, the one-login setup, to sign in.", "You can now use SSO to sign in."),
        ("Please turn on multi-factor authentication (MFA) for your team.", "Please turn on MFA for your team."),
        ("Your KPI (key performance indicator) report is attached.", "Your KPI report is attached."),
        (
            "We set up a webhook, the web address we send alerts to, for your shop.",
            "We set up a webhook for your shop.",
        ),
        (
            "We set up a webhook, the web address we send alerts to. The webhook fired twice today.",
            "We set up a webhook. The webhook fired twice today.",
        ),
    ],
)
def test_a_term_explained_in_the_reply_is_not_flagged(explained, bare):
    assert jargon(reply(explained)) == []
    assert jargon(reply(bare)) != []  # the same words without the explanation are


def test_glossary_terms_are_not_jargon_and_other_terms_still_are():
    text = reply("You can now use SSO to sign in, and please turn on MFA too.")
    assert spans(text, jargon(text, config=SSO_IN_GLOSSARY)) == ["MFA"]
    assert spans(text, jargon(text)) == ["SSO", "MFA"]


def test_jargon_is_flagged_in_saved_replies_too():
    text = reply("That is a backordered SKU, so it ships later.")
    assert spans(text, jargon(text, mode="saved")) == ["backordered SKU"]
