"""Template leftovers without configuration (issue 10, point 5).

- TPL007: in a saved reply, a variable that no helpdesk of its syntax documents, one typing slip
  away from one that a helpdesk does, is reported with the documented name; valid variables,
  other spellings of them and custom fields are not.
- TPL003: ALL-CAPS placeholders and angle-bracket fill-ins are fill-in markers; their look-alikes
  (HTML tags, <https://...> links, <addresses>, <3, sizes, acronyms, "a TODO list") are not.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tonecheck
from tonecheck import Applicability, Config
from tonecheck._detectors.placeholders import VariableListOptions, _expand, _variable_index, nearest_variable
from tonecheck._ruleset.load import load_rules
from tonecheck._ruleset.schema import DetectorRule

LEFTOVER = "template-leftover"
PREVIEW = Config(preview=True)  # TPL003 and TPL007 are preview rules (see test_preview.py)
RULES = Path(__file__).resolve().parents[1] / "rules" / "en" / "template-leftover"


def reply(body: str, *, greeting: str = "Hi Sam,", signoff: str = "Best,\nAna") -> str:
    return f"{greeting}\n\n{body}\n\n{signoff}"


def leftovers(text: str, *, config: Config = PREVIEW, **kwargs) -> list[tonecheck.Finding]:
    return [f for f in tonecheck.check(text, config=config, **kwargs).findings if f.category == LEFTOVER]


def tpl007() -> VariableListOptions:
    """The built-in helpdesk lists: the options of rule TPL007."""
    rule = load_rules().by_code()["TPL007"]
    assert isinstance(rule, DetectorRule) and isinstance(rule.options, VariableListOptions)
    return rule.options


def documented() -> list[tuple[str, str, str]]:
    """(syntax, helpdesk, name) for every name the built-in lists document."""
    options = tpl007()
    return [
        (syntax, helpdesk.name, name)
        for helpdesk in options.helpdesks
        for syntax in helpdesk.syntaxes
        for pattern in helpdesk.names
        for name in _expand(pattern)
    ]


WRAP = {
    "liquid-output": "{{{{{}}}}}",
    "helpscout": "{{%{}%}}",
    "salesforce": "{{!{}}}",
    "zammad": "#{{{}}}",
    "osticket": "%{{{}}}",
    "mailchimp": "*|{}|*",
    "otrs": "<{}>",
    "request-tracker": "{{${}}}",
}


def placeholder(syntax: str, name: str) -> str:
    if syntax == "mailchimp":
        name = name.replace(".", ":")
    if syntax == "request-tracker":
        name = name.replace(".", "->")
    return WRAP[syntax].format(name)


# -- a slip is reported, with the documented name ----------------------------------------------

SLIPS = [
    # (placeholder as written, the documented name it is one slip from, a helpdesk documenting it)
    ("{{ticket.requster.first_name}}", "ticket.requester.first_name", "Zendesk"),
    ("{{ ticket.requester.frist_name }}", "ticket.requester.first_name", "Zendesk"),
    ("{{ticket.latest_pubilc_comment}}", "ticket.latest_public_comment", "Zendesk"),
    ("{{ticket.agnet.name}}", "ticket.agent.name", "Freshdesk"),
    ("{{ticket.customer.frstname}}", "ticket.customer.firstname", "Gorgias"),
    ("{{recipient.frist_name}}", "recipient.first_name", "Front"),
    ("{%customer.fristName,fallback=there%}", "customer.firstName", "Help Scout"),
    ("{%ticket.custmerName%}", "ticket.customerName", "UVdesk"),
    ("{!Contact.FristName}", "Contact.FirstName", "Salesforce"),
    ("#{ticket.cusotmer.firstname}", "ticket.customer.firstname", "Zammad"),
    ("#{ticket.customer.first_name}", "ticket.customer.firstname", "Zammad"),  # Zammad's own spelling
    ("%{recipient.name.frist}", "recipient.name.first", "osTicket"),
    ("%{signatrue}", "signature", "osTicket"),
    ("*|FANME|*", "FNAME", "Mailchimp"),
    ("<OTRS_CUSTMER_REALNAME>", "OTRS_CUSTOMER_REALNAME", "Znuny/OTRS"),
    ("{$Tikcet->Subject}", "$Ticket->Subject", "Request Tracker"),
]


@pytest.mark.parametrize(("written", "nearest", "helpdesk"), SLIPS, ids=[w for w, _, _ in SLIPS])
def test_a_slip_in_a_saved_reply_is_reported_with_the_documented_name(written, nearest, helpdesk):
    text = reply(f"Your voucher for {written} is attached below.")
    found = leftovers(text, mode="saved")
    assert [(f.code, f.match) for f in found] == [("TPL007", written)]
    assert f"'{nearest}'" in found[0].message and helpdesk in found[0].message
    (suggestion,) = found[0].suggestions
    # the fix is the placeholder with the documented name in it
    assert nearest in suggestion.replacement and suggestion.replacement != written
    assert leftovers(reply(f"Your voucher for {suggestion.replacement} is attached below."), mode="saved") == []
    # a guess is never applied without a person: the fix is unsafe, never safe
    assert suggestion.applicability is Applicability.unsafe


def test_the_fix_puts_the_documented_name_in_the_placeholder_and_keeps_the_rest():
    text = reply('Hi {{ ticket.requster.first_name | fallback: "there" }}, thanks for writing in.')
    (finding,) = leftovers(text, mode="saved")
    assert finding.suggestions[0].replacement == '{{ ticket.requester.first_name | fallback: "there" }}'
    fixed = tonecheck.fix(text, mode="saved", unsafe=True, config=PREVIEW).text
    assert "{{ ticket.requester.first_name" in fixed and leftovers(fixed, mode="saved") == []


def test_indexes_and_the_rest_of_an_open_object_are_kept_in_the_fix():
    text = reply("Your order {{ticket.customr.integrations.shopify.orders[0].name}} is on its way.")
    (finding,) = leftovers(text, mode="saved")
    assert finding.suggestions[0].replacement == "{{ticket.customer.integrations.shopify.orders[0].name}}"


# -- what is never reported -------------------------------------------------------------------


def test_no_documented_variable_is_ever_reported_as_a_slip_of_another():
    index = _variable_index(tpl007())
    names = documented()
    assert len(names) > 700  # the lists are there
    wrong = []
    for syntax, helpdesk, name in names:
        variable = "$" + name.replace(".", "->") if syntax == "request-tracker" else name
        if nearest_variable(index, syntax, variable) is not None:
            wrong.append((helpdesk, name))
    assert wrong == []


@pytest.mark.parametrize(
    "valid",
    [
        "{{ticket.requester.first_name}}",
        "{{ticket.requester.firstname}}",
        "{{ticket.requester.firstName}}",
        "{{current_user.first_name}}",
        "{{ ticket.title }}",
        "{{ticket.ticket_url|safe}}",
        "{{ticket.id}}",
        "{%customer.firstName,fallback=there%}",
        "{%ticket.customerName%}",
        "#{ticket.customer.lastname}",
        "%{ticket.name.first}",
        "%{recipient.ticket_link}",
        "*|FNAME|*",
        "*|LIST:COMPANY|*",
        "{!Case.CaseNumber}",
        "{!contact.firstname}",
        "<OTRS_CUSTOMER_REALNAME>",
        "<OTRS_Agent_UserFirstname>",
        "{$Ticket->Subject}",
        "{$Transaction->Content()}",
        "{{{Recipient.FirstName}}}",
    ],
)
def test_documented_variables_and_their_other_spellings_are_not_reported(valid):
    assert leftovers(reply(f"Your voucher for {valid} is attached below."), mode="saved") == []


@pytest.mark.parametrize(
    "custom",
    [
        "{{order.number}}",
        "{{shipment.tracking_number}}",
        "{{customer.first_name}}",
        "{{contact.phone_number}}",
        "{{ contact.firstname }}",
        "{{plan_name}}",
        "{{workspace_name}}",
        "{{ticket.order_number}}",
        "{{ticket.ticket_field_360001234}}",
        "{{ticket.cf_refund_amount}}",
        "{{ticket.requester.custom_fields.tier}}",
        "{{ticket.tag}}",
        "{{ticket.requester.note}}",
        "{{ticket.subjects}}",
        "{{dc.welcome_text}}",
        "{%customer.phone%}",
        "#{ticket.customer.customer_no}",
        "%{ticket.order_number}",
        "*|FNAME2|*",
        "*|PHONE2|*",
        "*|NAME|*",
        "*|COUPON|*",
        "*|MMERGE7|*",
        "{!Case.Comments}",
        "{!Contact.Custom_Tier__c}",
        "<OTRS_TICKET_DynamicField_Order>",
        "<OTRS_CONFIG_Ticket::Hook>",
        "{$Ticket->QueueObj->Name}",
    ],
)
def test_custom_variables_not_one_slip_from_a_documented_one_are_not_reported(custom):
    assert leftovers(reply(f"Your voucher for {custom} is attached below."), mode="saved") == []


@pytest.mark.parametrize(
    ("written", "nearest"),
    [
        ("{{frist_name}}", "first_name"),
        ('{{first_nane | fallback: "there"}}', "first_name"),
        ("{{emaill}}", "email"),
        ("{{ user_di }}", "user_id"),
        ("{{helpdesk_nmae}}", "helpdesk_name"),
    ],
)
def test_a_bare_name_one_slip_from_a_documented_bare_name_is_reported_in_a_shared_syntax(written, nearest):
    (finding,) = leftovers(reply(f"Your voucher for {written} is attached."), mode="saved")
    assert finding.code == "TPL007" and finding.match == written
    assert finding.suggestions[0].replacement == written.replace(written.strip("{} ").split(" |")[0], nearest)


@pytest.mark.parametrize(
    "custom",
    [
        "{{nmae}}",  # "name" is too short: a letter away from "game", "same", "note"
        "{{gmae}}",
        "{{contcat}}",  # HubSpot's open contact.* object: its name alone is no value
        "{{acount}}",
        "{{plan}}",
        "{{emails}}",  # a plural is another name
        "{{phone2}}",
        "{{user_ids}}",
        "{{surveys}}",
    ],
)
def test_other_bare_names_in_a_shared_syntax_are_anyones(custom):
    assert leftovers(reply(f"Your voucher for {custom} is attached."), mode="saved") == []


@pytest.mark.parametrize(
    ("written", "nearest"),
    [
        ("{{customer.frist_name}}", "customer.first_name"),
        ("{{visitor.fisrt_name}}", "visitor.first_name"),
        ("{{ guest.emial }}", "guest.email"),
        ("{{visitor.fristName}}", "visitor.firstName"),  # in the style it is written in
        ("{{rider.fristname}}", "rider.firstname"),
    ],
)
def test_a_slip_in_the_last_name_of_an_object_no_list_documents_is_reported(written, nearest):
    # a chat tool's or a shop's own object, in a syntax many tools share: its fields are named with
    # the words the helpdesks use, and one slip from one of theirs is a slip
    (finding,) = leftovers(reply(f"Hi {written}, your voucher is attached."), mode="saved")
    assert finding.code == "TPL007" and finding.match == written
    assert nearest in finding.suggestions[0].replacement


@pytest.mark.parametrize(
    "custom",
    [
        "{{customer.first_name}}",  # a documented last name, on any object
        "{{visitor.firstName}}",
        "{{order.note}}",  # too short to tell a slip from another word
        "{{shop.nmae}}",
        "{{order.notes}}",
        "{{order.order_nubmer}}",  # no documented last name one slip away
        "{{product.colour}}",
        "{{ticket.fist_name}}",  # a documented object: its fields are the lists' to say
    ],
)
def test_other_last_names_of_undocumented_objects_are_anyones(custom):
    assert leftovers(reply(f"Hi {custom}, your voucher is attached."), mode="saved") == []


def test_a_bare_name_is_checked_in_a_shared_syntax_only_when_the_list_says_so():
    options = tpl007()
    assert options.shared_bare_letters == 5
    never = _variable_index(options.model_copy(update={"shared_bare_letters": 0}))
    assert nearest_variable(never, "liquid-output", "frist_name") is None
    assert nearest_variable(_variable_index(options), "liquid-output", "frist_name") == (
        ("first_name",),
        0,
        ["Intercom"],
    )


def test_a_slip_equally_near_two_documented_names_makes_no_guess():
    # "Approvel" is one letter from both $Approval and $Approver of Request Tracker
    index = _variable_index(tpl007())
    assert nearest_variable(index, "request-tracker", "$Approvel->Name") is None
    assert nearest_variable(index, "request-tracker", "$Aprover->Name") is not None


def test_a_slip_in_a_short_name_is_not_guessed_at():
    index = _variable_index(tpl007())
    assert nearest_variable(index, "zammad", "ticket.owner.fax") is None  # documented
    assert nearest_variable(index, "zammad", "ticket.owner.fox") is None  # three letters: another word


def _one_slip(segment: str) -> str:
    """A slip a hand makes: two neighbouring letters swapped in the middle of the name."""
    middle = len(segment) // 2
    return segment[: middle - 1] + segment[middle] + segment[middle - 1] + segment[middle + 1 :]


def test_slips_in_documented_names_are_found_with_the_right_name():
    # one slip in the longest segment of every documented name of four letters or more: the
    # measurement the threshold was chosen on (all slips of one edit of every name: 97.8% found,
    # none with a wrong name; the other tools' variables below: none reported)
    index = _variable_index(tpl007())
    found = tried = 0
    wrong = []
    for syntax, _helpdesk, name in documented():
        segments = name.split(".")
        at = max(range(len(segments)), key=lambda i: len(segments[i]))
        if len(segments[at]) < 4 or (len(segments) == 1 and not index[syntax].closed):
            continue
        slipped = [*segments[:at], _one_slip(segments[at]), *segments[at + 1 :]]
        if slipped[at].replace("_", "").casefold() == segments[at].replace("_", "").casefold():
            continue  # the swap made no difference ("ll")
        variable = ".".join(slipped) if syntax != "request-tracker" else "$" + "->".join(slipped)
        near = nearest_variable(index, syntax, variable)
        tried += 1
        if near is None:
            continue
        if [s.replace("_", "").casefold() for s in near[0]] == [s.replace("_", "").casefold() for s in segments]:
            found += 1
        else:
            wrong.append((variable, near[0]))
    assert wrong == []
    assert tried > 600 and found / tried >= 0.95, (found, tried)


def _other_variables() -> list[tuple[str, str]]:
    lines = (Path(__file__).parent / "data" / "other_variables.tsv").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line and not line.startswith("#")]


def test_variables_of_other_tools_and_custom_fields_are_never_reported():
    index = _variable_index(tpl007())
    others = _other_variables()
    assert len(others) > 250
    assert [(s, v) for s, v in others if nearest_variable(index, s, v) is not None] == []


def test_one_helpdesks_names_are_not_taken_for_slips_of_another_helpdesks():
    # a tool with no built-in list is like a helpdesk left out of the lists: its names must pass
    options = tpl007()
    reported = []
    for left_out in options.helpdesks:
        rest = VariableListOptions(
            closed_syntaxes=options.closed_syntaxes,
            helpdesks=tuple(h for h in options.helpdesks if h is not left_out),
        )
        index = _variable_index(rest)
        for syntax in left_out.syntaxes:
            for pattern in left_out.names:
                for name in _expand(pattern):
                    variable = "$" + name.replace(".", "->") if syntax == "request-tracker" else name
                    if syntax in index and nearest_variable(index, syntax, variable) is not None:
                        reported.append((left_out.name, name))
    assert reported == []


def test_drafts_are_left_to_the_unfilled_placeholder_rule():
    text = reply("Your voucher for {{ticket.requster.first_name}} is attached below.")
    assert [f.code for f in leftovers(text)] == ["TPL001"]


def test_a_teams_own_list_replaces_the_built_in_one():
    config = Config(preview=True, known_variables=["ticket.requster.first_name"])
    text = reply("Your voucher for {{ticket.requster.first_name}} is attached below.")
    assert leftovers(text, mode="saved", config=config) == []


def test_every_helpdesk_list_says_where_its_names_are_documented():
    lines = (RULES / "variables.yml").read_text(encoding="utf-8").splitlines()
    entries = [i for i, line in enumerate(lines) if line.strip().startswith("- name:")]
    assert len(entries) >= 14
    for i in entries:
        assert lines[i - 1].strip().startswith("#"), lines[i]


# -- fill-in markers: ALL-CAPS placeholders and angle-bracket fill-ins -------------------------

MARKERS = [
    ("Dear CUSTOMERNAME,", "Your order shipped today.", "CUSTOMERNAME"),
    ("Hi FIRSTNAME,", "Your order shipped today.", "FIRSTNAME"),
    ("Hi Sam,", "Your order ORDERNUMBER shipped today.", "ORDERNUMBER"),
    ("Hi Sam,", "Your order ORDER_NUMBER shipped today.", "ORDER_NUMBER"),
    ("Hi Sam,", "Read https://github.com/acme/REPONAME/blob/main/README.md first.", "REPONAME"),
    ("Hi NAME,", "Your order shipped today.", "NAME"),
    ("Hello FirstName,", "Your order shipped today.", "FirstName"),
    ("Hi Sam,", "Your parcel arrives on <order date>.", "<order date>"),
    ("Dear <customer name>,", "Your order shipped today.", "<customer name>"),
    ("Hi Sam,", "This is the same problem as <insert issue>, so I am closing this one.", "<insert issue>"),
    ("Hi Sam,", "Please sign and return the form by <date>.", "<date>"),
    (
        "Hi Sam,",
        "Your new seat is in coach C.\n\nBEFORE SENDING - attach the ticket, then remove this line.",
        "BEFORE SENDING",
    ),
    ("Hi Sam,", "Welcome to our {Education/Nonprofit/Startup} programme.", "{Education/Nonprofit/Startup}"),
]


@pytest.mark.parametrize(("greeting", "body", "marker"), MARKERS, ids=[m for _, _, m in MARKERS])
def test_all_caps_and_angle_bracket_fill_ins_are_flagged_in_both_modes(greeting, body, marker):
    text = reply(body, greeting=greeting)
    for mode in ("draft", "saved"):
        found = leftovers(text, mode=mode)
        assert [(f.code, f.match) for f in found] == [("TPL003", marker)], mode


def test_a_signature_left_as_a_fill_in_is_flagged():
    text = reply("Your order shipped today.", signoff="Best regards,\n{YOUR NAME}")
    assert [(f.code, f.match) for f in leftovers(text)] == [("TPL003", "{YOUR NAME}")]


LOOK_ALIKES = [
    "Write to <support@example.com> or read <https://example.com/help/cards>.",
    "We <3 hearing from you.",
    "A line break needs a <br> tag, and bold text a <b> tag; <address> and <time> are HTML elements too.",
    "Press <Enter> after typing your PIN.",
    "Switch with git checkout <branch name> and rebuild.",
    "The XXL jacket is back in the USA and UK stores.",
    "I have added offline mode to our TODO list for the next release.",
    "Please check the TODO items in your checklist.",
    r"Delete the folder C:\Users\USERNAME\AppData\Local\Notely and reinstall.",
    "Set DATABASE_URL and CLIENT_ID=abc in your environment.",
    "For our records:\nORDER NUMBER: 40017\nDELIVERY DATE: 14 May",
    "PLEASE SEND YOUR ORDER NUMBER TODAY.",
    "Could you reply [Yes/No] to say whether you want a paper invoice?",
    "Use List<Date> in your code.",
    "Files over < 10 GB and > 2 GB upload in parts.",
    "Dear Customer, thank you for your order.",
]


@pytest.mark.parametrize("body", LOOK_ALIKES)
def test_look_alikes_of_fill_ins_pass(body):
    for mode in ("draft", "saved"):
        assert leftovers(reply(body), mode=mode) == [], mode


def test_placeholders_of_a_template_syntax_are_not_read_as_all_caps_fill_ins():
    text = reply("Your voucher {FNAME} for <ISSUE_NUMBER> and <OTRS_CUSTOMER_REALNAME> is attached.")
    assert leftovers(text, mode="saved") == []
    assert {f.code for f in leftovers(text)} == {"TPL001"}


_GREETING_PIECES = st.sampled_from(["Hi", "Hello", "Dear", "dear", "HI", "Hey", "Sam", "Thanks", ""])
_SPACES = st.sampled_from([" ", "\t", "  ", ", ", ",", ""])
_VALUES = st.sampled_from(
    [
        "undefined",
        "null",
        "NULL",
        "None",
        "nan",
        "NaN",
        "nil",
        "N/A",
        "[object Object]",
        "{}",
        '""',
        "Sam",
        "finance",
        "nonexistent",
        "undefinedness",
        "é",
        "²",
        "\u0301",
        "",
    ]
)
_ENDS = st.sampled_from([",", "!", "", " ", ",\n\nThanks for writing.", "\u0301,", "² ,", "é"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(_GREETING_PIECES, _SPACES, _VALUES, _SPACES, _VALUES, _ENDS).map("".join), min_size=1, max_size=3
    ).map("\n".join)
)
def test_the_empty_name_gate_never_turns_away_a_match(text):
    """TPL004 looks for its words among the reply's runs of word characters in an ASCII reply and
    as substrings in any other: wherever its pattern matches, the check reports it."""
    from tonecheck._anatomy import analyse
    from tonecheck._detectors.base import REGISTRY, Scan
    from tonecheck._detectors.names import _EmptyName
    from tonecheck._engine.linter import get_engine
    from tonecheck._text import word_runs

    engine = get_engine()
    rule = next(r for r in engine.detector_rules if r.code == "TPL004")
    lowered = text.lower()
    scan = Scan(
        text,
        text,
        "saved",
        analyse(text),
        None,
        {},
        engine.config,
        lowered,
        language=engine.language,
        runs=word_runs(lowered),
    )
    found = [(hit.start, hit.end) for hit in REGISTRY["empty-name"](scan, rule, rule.options)]
    pattern = _EmptyName(engine.language, rule.options.values).pattern
    assert found == [m.span() for m in pattern.finditer(text)]


def test_a_variable_path_takes_indexes_and_calls():
    """The variable inside a placeholder: a name and its .name, ->name, :name, [index] and (args)
    parts (an index bounded at 200 characters, so that a line of unclosed "[" stays linear)."""
    from tonecheck._detectors.placeholders import _PATH

    assert _PATH.search("{{ ticket.items[0].name | upcase }}").group() == "ticket.items[0].name"
    assert _PATH.search("{{ $order->total(2) }}").group() == "$order->total(2)"
    assert _PATH.search("a[" * 3000).group() == "a"


# -- the candidate index finds what comparing every name finds ------------------------------------


def _near_by_comparing_every_name(known, written, normal, size):
    """The candidates of `size` segments that differ from the variable in exactly one segment,
    found by comparing every documented name (what nearest_variable did before its index)."""
    positions = []
    for position, (segments, read, _, exact, _) in enumerate(known.candidates.get(size, [])):
        compared, against = (written, segments) if exact and known.closed else (normal, read)
        if sum(compared[i] != against[i] for i in range(size)) == 1:
            positions.append(position)
    return positions


def _slips(name: str) -> list[str]:
    """Every one-letter deletion, doubling, neighbour swap and change to "x" of a name."""
    out = set()
    for i in range(len(name)):
        out.add(name[:i] + name[i + 1 :])
        out.add(name[:i] + name[i] + name[i:])
        out.add(name[:i] + "x" + name[i + 1 :])
        if i + 1 < len(name):
            out.add(name[:i] + name[i + 1] + name[i] + name[i + 2 :])
    return sorted(out)


def test_the_candidate_index_keeps_every_candidate_one_segment_apart():
    """`one_apart` narrows the names compared with a variable to those that share all its
    segments but one; it must leave out none that differ in exactly one (slips of every
    documented name, in every syntax that documents it, and the same names with a segment
    added)."""
    from tonecheck._detectors.placeholders import _normal

    index = _variable_index(tpl007())
    checked = 0
    for syntax, _, name in documented()[::3]:
        known = index[syntax]
        for variable in [*_slips(name)[::4], name + ".extra"]:
            written = tuple(s for s in variable.replace("->", ".").split(".") if s)
            if not written or not all(written):
                continue
            normal = tuple(map(_normal, written))
            for size in range(1, len(written) + 1):
                wanted = _near_by_comparing_every_name(known, written, normal, size)
                got = known.one_apart(size, written, normal)
                assert set(wanted) <= set(got) and got == sorted(got), (syntax, variable, size)
                checked += 1
    assert checked > 5000


# -- a placeholder shown to the customer as syntax to type is no leftover ------------------------


@pytest.mark.parametrize(
    "body",
    [
        "To add each client's name to the email, type {{name}} exactly as shown, with both sets of curly brackets.",
        "Go to Settings > Export and type this in the File name box:\n\n{client}_{date}\n\n"
        "The app fills in the real values when it exports.",
        "Merge tags such as *|FNAME|* get replaced with each subscriber's details when the campaign goes out.",
    ],
)
def test_a_placeholder_taught_as_syntax_is_not_a_leftover(body):
    codes = [f.code for f in tonecheck.check(reply(body)).findings]
    assert "TPL001" not in codes


def test_a_value_left_unfilled_beside_an_instruction_is_still_a_leftover():
    # an instruction to type it is not enough: nothing here talks about the syntax
    body = "To use your voucher, enter {{voucher_code}} at checkout."
    assert [f.match for f in tonecheck.check(reply(body)).findings if f.code == "TPL001"] == ["{{voucher_code}}"]
