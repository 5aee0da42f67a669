"""Input formats: extracting replies from files, with exact maps back to the original file."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tonecheck import FormatError
from tonecheck._inputs import FORMATS, Segment, detect_format, extract

DATA = Path(__file__).resolve().parent / "data" / "formats"


def load(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def _lines_with_breaks(content: str) -> list[str]:
    """Lines as editors count them ("\\n", "\\r\\n" or a lone "\\r" ends one), each with its break."""
    lines, current = [], ""
    for index, char in enumerate(content):
        current += char
        if char == "\n" or (char == "\r" and content[index + 1 : index + 2] != "\n"):
            lines.append(current)
            current = ""
    return [*lines, current]


def offset_of(content: str, line: int, column: int) -> int:
    """0-based offset of a 1-based (line, column), computed independently of the module."""
    lines = _lines_with_breaks(content)
    assert 1 <= line <= len(lines)
    assert 1 <= column <= len(lines[line - 1]) + 1  # +1: the end of file
    return sum(len(x) for x in lines[: line - 1]) + column - 1


def source_char(content: str, seg: Segment, index: int) -> str:
    off = offset_of(content, *seg.position(index))
    return content[off] if off < len(content) else ""


def nth(text: str, needle: str, n: int = 0) -> int:
    index = -1
    for _ in range(n + 1):
        index = text.index(needle, index + 1)
    return index


def assert_maps_to(content: str, seg: Segment, needle: str, n: int = 0) -> int:
    """Every character of `needle` (n-th occurrence in seg.text) sits at its mapped position."""
    start = nth(seg.text, needle, n)
    for k, ch in enumerate(needle):
        assert source_char(content, seg, start + k) == ch, (needle, k, seg.position(start + k))
    return offset_of(content, *seg.position(start))


def by_field(segments: list[Segment]) -> dict[tuple[str | None, str | None], Segment]:
    return {(s.reply_id, s.field): s for s in segments}


# ------------------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("reply.txt", "text"),
        ("reply.md", "markdown"),
        ("saved-replies.md", "markdown"),
        ("reply.html", "html"),
        ("reply.liquid", "liquid"),
        ("zendesk_macros.json", "zendesk-macros"),
        ("helpscout_saved_replies.json", "helpscout-saved-replies"),
        ("freshdesk_canned_responses.json", "freshdesk-canned-responses"),
        ("intercom_macros.json", "intercom-macros"),
        ("gorgias_macros.json", "gorgias-macros"),
        ("export_unknown.json", "json-unknown"),
    ],
)
def test_detect_format_of_fixtures(path: str, expected: str) -> None:
    assert detect_format(path, load(path)) == expected


def test_detect_format_by_extension_and_shape() -> None:
    yml = load("github/replies.yml")
    assert detect_format(".github/replies.yml", yml) == "github-saved-replies"
    assert detect_format("repo/.github/replies.yaml", "not: [valid") == "github-saved-replies"
    assert detect_format("team/saved.yml", "- name: A\n  body: Hi there\n") == "github-saved-replies"
    assert detect_format("config.yml", "retries: 3\nname: x\n") == "text"
    assert detect_format("broken.yml", "a: [b") == "text"
    assert detect_format("mail.eml", "Hi") == "text"
    assert detect_format("NOTES", "Hi") == "text"
    assert detect_format("x/Reply.HTM", "<p>Hi</p>") == "html"
    for ext in (".j2", ".jinja", ".jinja2", ".hbs", ".mustache"):
        assert detect_format("reply" + ext, "Hi {{name}}") == "liquid"
    assert detect_format("x.markdown", "# Hi") == "markdown"
    assert detect_format("bad.json", "{oops") == "json-unknown"  # extract() raises FormatError
    assert (
        detect_format("single.json", '{"title": "T", "actions": [{"field": "comment_value", "value": "Hi"}]}')
        == "zendesk-macros"
    )


@pytest.mark.parametrize(
    "path",
    [
        "reply.txt",
        "reply.md",
        "saved-replies.md",
        "reply.html",
        "reply.liquid",
        "zendesk_macros.json",
        "gorgias_macros.json",
        "export_unknown.json",
    ],
)
def test_forcing_the_detected_format_changes_nothing(path: str) -> None:
    content = load(path)
    fmt = detect_format(path, content)
    assert fmt in FORMATS
    auto, forced = extract(path, content), extract("renamed.bin", content, format=fmt)
    assert auto == forced and auto
    assert [s.position(len(s.text)) for s in auto] == [s.position(len(s.text)) for s in forced]


# ------------------------------------------------------------------------------------- text


def test_text_is_one_identity_segment() -> None:
    content = load("reply.txt")
    [seg] = extract("reply.txt", content)
    assert seg.text == content
    assert (seg.reply_id, seg.field, seg.mode) == (None, None, None)
    i = content.index("refund")
    assert seg.position(i) == (3, content.split("\n")[2].index("refund") + 1)
    assert seg.position(0) == (1, 1)
    assert seg.position(len(seg.text)) == (7, 1)  # the file ends with a newline
    with pytest.raises(IndexError):
        seg.position(len(seg.text) + 1)
    with pytest.raises(IndexError):
        seg.position(-1)


# ------------------------------------------------------------------------------------- markdown


def test_markdown_blanks_front_matter_code_links_and_keeps_offsets() -> None:
    content = load("reply.md")
    [seg] = extract("reply.md", content)
    assert (seg.reply_id, seg.field, seg.mode) == (None, None, None)
    assert len(seg.text) == len(content)
    assert [i for i, c in enumerate(seg.text) if c == "\n"] == [i for i, c in enumerate(content) if c == "\n"]
    text = seg.text
    for gone in (
        "title:",
        "billing",
        "curl",
        "api.example.com",
        "https://example.com/refunds",
        '"Refunds"',
        "internal: check",
        "[faq]:",
        "https://example.com/faq",
        "```",
    ):
        assert gone not in text, gone
    for kept in (
        "# Refund update",
        "Hi Sam, your refund is on its way.",
        "[our refund policy]",
        "[FAQ][faq]",
        "Let me know if there is anything else I can help with.",
    ):
        assert kept in text, kept
    # identity mapping: the word "policy" in the text is the word "policy" in the file
    i = text.index("policy")
    line, col = seg.position(i)
    assert content.split("\n")[line - 1][col - 1 : col + 5] == "policy"
    assert line == 7


def test_markdown_saved_replies_one_segment_per_heading() -> None:
    content = load("saved-replies.md")
    segs = extract("saved-replies.md", content)
    assert [(s.reply_id, s.field, s.mode) for s in segs] == [
        ("Thanks for the report", None, "saved"),
        ("Closing stale issue", None, "saved"),
    ]
    first, second = segs
    assert first.text.startswith("Thanks for the report! Could you share the [logs]")
    assert "example.com" not in first.text
    assert second.text == "Closing this as stale, feel free to reopen."  # the code fence is blanked
    assert first.position(0) == (5, 1)
    assert second.position(0) == (9, 1)
    assert_maps_to(content, second, "feel free")
    assert second.position(len(second.text)) == (9, 44)


def test_markdown_with_headings_but_an_introduction_is_one_reply() -> None:
    content = "Hi Sam,\n\nHere is what happened.\n\n## What we found\n\nA bug.\n\n## Next steps\n\nWe fix it.\n"
    [seg] = extract("reply.md", content)
    assert seg.reply_id is None and seg.mode is None
    # without the intro it is a collection of two replies
    segs = extract("notes.md", content[content.index("## What") :])
    assert [s.reply_id for s in segs] == ["What we found", "Next steps"]
    assert segs[1].text == "We fix it."


def test_markdown_h1_sections_and_a_single_titled_reply_with_hint() -> None:
    content = "# Refund ##\nYour refund is on its way.\n# Delay\nSorry for the wait.\n"
    segs = extract("x.md", content)
    assert [(s.reply_id, s.text) for s in segs] == [
        ("Refund", "Your refund is on its way."),
        ("Delay", "Sorry for the wait."),
    ]
    assert segs[1].position(0) == (4, 1)
    one = extract("macros.md", "# Refund\n\nYour refund is on its way.\n")
    assert [(s.reply_id, s.text, s.position(0)) for s in one] == [("Refund", "Your refund is on its way.", (3, 1))]
    assert len(extract("reply.md", "# Refund\n\nYour refund is on its way.\n")) == 1
    assert extract("reply.md", "# Refund\n\nYour refund is on its way.\n")[0].reply_id is None


def test_markdown_unclosed_fence_and_footnotes() -> None:
    content = "Hi,\n[^1]: See the docs, thanks.\n~~~\nsecret\n"
    [seg] = extract("r.md", content)
    assert "See the docs" in seg.text  # a footnote is prose, not a link target
    assert "secret" not in seg.text and "~~~" not in seg.text


# ------------------------------------------------------------------------------------- html


def test_html_strips_tags_decodes_entities_with_a_real_offset_map() -> None:
    content = load("reply.html")
    [seg] = extract("reply.html", content)
    assert (seg.reply_id, seg.field, seg.mode) == (None, None, None)
    text = seg.text
    assert "Hi {{ customer.first_name }},\n" in text
    assert "Your refund & store credit were issued. It's done\xa0now.\nBest,\nAna\n" in text
    for gone in ("<", ">", "color", "hidden", "internal note", "Refund\n", "DOCTYPE", "&amp;"):
        assert gone not in text, gone
    # a word after an &amp; entity maps to itself in the file
    off = assert_maps_to(content, seg, "store credit")
    assert content[off - 6 : off] == "&amp; "
    # the decoded "&" maps to the "&" of "&amp;", the apostrophe to the "&" of "&#39;"
    assert source_char(content, seg, text.index("&")) == "&"
    apostrophe = offset_of(content, *seg.position(text.index("'")))
    assert content.startswith("&#39;", apostrophe)
    assert_maps_to(content, seg, "now")
    # <br> became "\n", mapped to its "<"
    nl = text.index("now.") + 4
    assert text[nl] == "\n"
    assert content.startswith("<br>", offset_of(content, *seg.position(nl)))
    assert_maps_to(content, seg, "Ana")


def test_html_edge_cases() -> None:
    content = 'a < b &bogus; &notit; &copy 2024 &#x1F600; <a href="x>y">link</a>'
    [seg] = extract("x.html", content)
    # unknown references stay literal; legacy ones without ";" decode as in browsers
    assert seg.text == "a < b &bogus; \xacit; \xa9 2024 \U0001f600 link"
    assert seg.text == html.unescape("a < b &bogus; &notit; &copy 2024 &#x1F600; link")
    assert seg.position(seg.text.index("link")) == (1, content.index("link") + 1)
    assert seg.position(seg.text.index("\xa9")) == (1, content.index("&copy") + 1)
    [empty] = extract("x.html", "<p></p>")
    assert empty.text == "\n" and empty.position(1) == (1, 8)


# ------------------------------------------------------------------------------------- liquid


def test_liquid_keeps_placeholders_and_blanks_comments() -> None:
    content = load("reply.liquid")
    [seg] = extract("reply.liquid", content)
    assert (seg.reply_id, seg.field, seg.mode) == (None, None, "saved")
    assert len(seg.text) == len(content)
    assert "internal" not in seg.text and "promise" not in seg.text and "comment" not in seg.text
    assert '{{ customer.first_name | default: "there" }}' in seg.text
    assert seg.position(seg.text.index("{{ refund.date }}")) == (4, 27)
    assert source_char(content, seg, seg.text.index("{{ refund.date }}")) == "{"


# ------------------------------------------------------------------------------------- JSON exports


def test_zendesk_macros() -> None:
    content = load("zendesk_macros.json")
    segs = extract("zendesk_macros.json", content)
    assert [(s.reply_id, s.field, s.mode) for s in segs] == [
        ("Billing::Refund issued", "comment_value", "saved"),
        ("Shipping delay", "comment_value_html", "saved"),
        ("Shipping delay", "comment_value", "saved"),
    ]
    plain, html_seg, channel = segs
    assert plain.text.startswith("Hi {{ticket.requester.first_name}},\n\nWe've issued your refund \u2014 it's labelled")
    assert '"Refund #{{ticket.id}}"' in plain.text
    # the "{" of a placeholder after an escaped quote and after \n escapes, at its place in the file
    brace = plain.text.index("{{ticket.id}}")
    line, col = plain.position(brace)
    assert line == 11
    assert content.split("\n")[10][col - 1 : col + 12] == "{{ticket.id}}"
    assert content.split("\n")[10][col - 11 : col - 1] == '\\"Refund #'
    # an escaped quote maps to its backslash, the em dash to the backslash of \u2014
    quote = plain.text.index('"')
    assert content.startswith('\\"Refund', offset_of(content, *plain.position(quote)))
    assert content.startswith("\\u2014", offset_of(content, *plain.position(plain.text.index("\u2014"))))
    newline = plain.text.index("\n")
    assert content.startswith("\\n\\nWe've", offset_of(content, *plain.position(newline)))
    assert_maps_to(content, plain, "We've issued your refund")
    assert_maps_to(content, plain, "{{current_user.first_name}}")
    # end position: just after the last character, i.e. at the closing quote
    assert source_char(content, plain, len(plain.text)) == '"'
    # HTML field: tags stripped, entity decoded, positions composed through both maps
    assert html_seg.text == (
        "Hi {{ticket.requester.first_name}},\nYour order is delayed & we're sorry about that.\nBest,\nAna\n"
    )
    off = assert_maps_to(content, html_seg, "we're sorry")
    assert content[off - 6 : off] == "&amp; "
    assert content.startswith("<br>", offset_of(content, *html_seg.position(html_seg.text.index("Best,") + 5)))
    # [channel, text] value: the text element
    assert channel.text == "Your order is delayed. Best, Ana"
    assert_maps_to(content, channel, "Best, Ana")
    assert channel.position(0)[0] == 23


def test_zendesk_duplicate_strings_map_to_their_own_literal() -> None:
    body = "Hi {{ticket.requester.name}},\nThanks!"
    data = {
        "macros": [
            {"title": "A", "actions": [{"field": "comment_value", "value": body}]},
            {"title": "B", "actions": [{"field": "subject", "value": body}, {"field": "comment_value", "value": body}]},
        ]
    }
    content = json.dumps(data, indent=2)
    a, b = extract("m.json", content)
    assert (a.reply_id, b.reply_id) == ("A", "B")
    assert a.text == b.text == body
    starts = [offset_of(content, *s.position(0)) for s in (a, b)]
    literals = [i + 1 for i in range(len(content)) if content.startswith(json.dumps(body), i)]
    assert len(literals) == 3
    assert starts == [literals[0], literals[2]]  # not the "subject" copy in between
    assert_maps_to(content, b, "Thanks!")


def test_zendesk_single_macro_object_and_bom() -> None:
    content = '\ufeff{"macro": {"title": "Solo", "actions": [{"field": "comment_value", "value": "Caf\\u00e9 \\ud83d\\ude00 ok"}]}}'
    [seg] = extract("single.json", content)
    assert seg.reply_id == "Solo" and seg.text == "Caf\u00e9 \U0001f600 ok"
    assert content.startswith("\\u00e9", offset_of(content, *seg.position(3)))
    assert content.startswith("\\ud83d\\ude00", offset_of(content, *seg.position(5)))
    assert source_char(content, seg, 7) == "o"


def test_helpscout_saved_replies() -> None:
    content = load("helpscout_saved_replies.json")
    segs = extract("helpscout_saved_replies.json", content)
    assert [(s.reply_id, s.field, s.mode) for s in segs] == [
        ("Password reset", "text", "saved"),
        ("Closing the loop", "text", "saved"),
    ]
    assert "click \u201cForgot password?\u201d" in segs[0].text
    assert_maps_to(content, segs[0], "%{user.firstName}")
    assert segs[1].text == "Hi %{customer.firstName},\nJust checking in \u2014 did that fix it?\n"  # HTML stripped
    assert content.startswith("&mdash;", offset_of(content, *segs[1].position(segs[1].text.index("\u2014"))))
    wrapped = json.dumps({"saved-replies": json.loads(content)})
    assert [s.reply_id for s in extract("x.json", wrapped)] == ["Password reset", "Closing the loop"]


def test_freshdesk_canned_responses() -> None:
    content = load("freshdesk_canned_responses.json")
    segs = extract("freshdesk_canned_responses.json", content)
    assert [(s.reply_id, s.field, s.mode) for s in segs] == [
        ("Escalated to engineering", "content", "saved"),
        ("Escalated to engineering", "content_html", "saved"),
    ]
    plain, rich = segs
    assert plain.text == "Hi {{ticket.requester.name}},\r\nI have escalated this to our L2 team.\r\nRegards"
    assert_maps_to(content, plain, "L2 team")
    assert rich.text == "Hi {{ticket.requester.name}},\nI have escalated this to our L2 team.\nRegards\n"
    off = assert_maps_to(content, rich, "I have escalated")
    assert content[off - 11 : off] == "</div><div>"


def test_intercom_macros() -> None:
    content = load("intercom_macros.json")
    segs = extract("intercom_macros.json", content)
    assert [(s.reply_id, s.field, s.mode) for s in segs] == [
        ("Pricing question", "body", "saved"),
        ("Pricing question", "body_text", "saved"),
        ("Plain body", "body", "saved"),
    ]
    body = segs[0]
    assert body.text == 'Hi {{first_name|fallback:"there"}},\nOur plans start at $29/month \u2013 see pricing.\n'
    brace = body.text.index('"there"')
    assert content.startswith('\\"there\\"', offset_of(content, *body.position(brace)))
    assert_maps_to(content, body, "pricing.", 0)
    assert segs[2].text == "Thanks for waiting! I'll follow up tomorrow."
    assert_maps_to(content, segs[2], "I'll follow up")


def test_gorgias_macros() -> None:
    content = load("gorgias_macros.json")
    segs = extract("gorgias_macros.json", content)
    assert [(s.reply_id, s.field, s.mode) for s in segs] == [
        ("WISMO - where is my order", "body_text", "saved"),
        ("WISMO - where is my order", "body_html", "saved"),
    ]
    text, rich = segs
    assert "{{ticket.customer.integrations.shopify.orders[0].name}} shipped today." in text.text
    assert_maps_to(content, text, "{{ticket.customer.integrations.shopify.orders[0].name}}")
    assert rich.text == "Hello {{ticket.customer.firstname}},\n\n\nYour order shipped today.\nHave a great day!\n"
    assert_maps_to(content, rich, "Have a great day!")


def test_json_unknown_long_strings_with_paths() -> None:
    content = load("export_unknown.json")
    segs = extract("export_unknown.json", content)
    assert [(s.reply_id, s.field, s.mode) for s in segs] == [
        ("$.items[1].text", "text", None),
        ("$.items[3].text", "text", None),
        ("$.notes[0]", None, None),
        ('$["odd key"]["message text"]', "message text", None),
    ]
    assert segs[1].text == "We have received your request & will reply within a day.\n"
    assert_maps_to(content, segs[1], "will reply")
    assert_maps_to(content, segs[2], "As I said")


def test_forced_format_and_empty_exports() -> None:
    content = load("zendesk_macros.json")
    assert extract("x.txt", content, format="zendesk-macros") == extract("zendesk_macros.json", content)
    assert extract("m.json", '{"macros": [], "count": 0}') == []
    with pytest.raises(FormatError, match=r"m\.json: no Zendesk macros found"):
        extract("m.json", '{"items": []}', format="zendesk-macros")
    [seg] = extract("m.json", content, format="text")
    assert seg.text == content


# ------------------------------------------------------------------------------------- GitHub saved replies


def test_github_saved_replies_yaml() -> None:
    content = load("github/replies.yml")
    segs = extract(".github/replies.yml", content)
    assert [(s.reply_id, s.field, s.mode) for s in segs] == [
        ("Duplicate", "body", "saved"),
        ("Needs reproduction", "body", "saved"),
        ("Quoted: thanks", "body", "saved"),
        ("Plain", "body", "saved"),
    ]
    literal, folded, quoted, plain = segs
    assert literal.text == (
        "Thanks for the report! This is a duplicate of #{{issue}}.\n\nPlease follow that issue for updates.\n"
    )
    assert literal.position(0) == (5, 7)  # the block's indentation is skipped
    assert literal.position(literal.text.index("{{issue}}")) == (5, 7 + literal.text.index("{{issue}}"))
    assert literal.position(literal.text.index("Please")) == (7, 7)
    for i in range(len(literal.text)):  # a literal block maps every character exactly
        assert source_char(content, literal, i) == literal.text[i]
    assert folded.text == "Could you share a minimal reproduction? Thanks!\n"
    assert_maps_to(content, folded, "reproduction? Thanks!")
    assert quoted.text == 'Thanks for the PR, @{{author}}!\nWe\'ll review it "soon".'
    assert_maps_to(content, quoted, "{{author}}")
    assert_maps_to(content, quoted, "We'll review")
    assert content.startswith('\\"soon', offset_of(content, *quoted.position(quoted.text.index('"'))))
    assert plain.text == "Closing as fixed, thanks everyone."
    assert plain.position(0) == (15, 11)


def test_github_saved_replies_list_form_quoted_folding_and_crlf() -> None:
    content = (
        "- name: Multi\r\n  body: 'It''s fixed\r\n    in v2,\r\n\r\n    thanks'\r\n"
        "- name: Indented\r\n  body: |2\r\n      code first\r\n    then text\r\n"
    )
    segs = extract("team/saved-replies.yml", content)
    assert [s.reply_id for s in segs] == ["Multi", "Indented"]
    multi, indented = segs
    assert multi.text == "It's fixed in v2,\nthanks"
    assert_maps_to(content, multi, "in v2,")
    assert_maps_to(content, multi, "thanks")
    assert indented.text == "  code first\nthen text\n"
    assert_maps_to(content, indented, "  code first")
    assert indented.position(indented.text.index("then")) == (9, 5)


def test_invalid_inputs_raise_format_error_naming_file_and_position() -> None:
    bad_json = '{\n  "macros": [\n    {"title": "A",, }\n  ]\n}'
    with pytest.raises(FormatError) as info:
        extract("exports/macros.json", bad_json)
    assert str(info.value).startswith("exports/macros.json:3:19: invalid JSON:")
    assert isinstance(info.value, ValueError)
    assert (info.value.line, info.value.column) == (3, 19)
    assert bad_json.split("\n")[2][18] == ","  # the second comma
    with pytest.raises(FormatError, match=r"^\.github/replies\.yml:3:12: invalid YAML: mapping values"):
        extract(".github/replies.yml", "replies:\n  - name: A\n    body: x: y\n")
    with pytest.raises(FormatError, match=r"^\.github/replies\.yml:1:1: .*replies"):
        extract(".github/replies.yml", "something: else\n")
    with pytest.raises(FormatError, match=r"missing 'body'"):
        extract(".github/replies.yml", "replies:\n  - name: A\n")
    with pytest.raises(FormatError, match="unknown input format"):
        extract("a.txt", "x", format="docx")
    assert extract(".github/replies.yml", "") == []


def test_segment_defaults_to_identity() -> None:
    seg = Segment("ab\ncd", "x", None, None)
    assert seg.position(3) == (2, 1)
    assert seg.position(5) == (2, 3)


# ------------------------------------------------------------------------------------- properties


def _decodes_to(content: str, offset: int, ch: str) -> bool:
    """content[offset] is ch itself, or an escape sequence starting there decodes to ch."""
    if content[offset] == ch and ch not in '"\\':
        return True
    if content[offset] != "\\":
        return False
    for width in (2, 6, 12):
        try:
            if json.loads('"' + content[offset : offset + width] + '"') == ch:
                return True
        except json.JSONDecodeError:
            continue
    return False


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(min_size=1, max_size=60), ensure_ascii=st.booleans(), indent=st.sampled_from([None, 2]))
def test_property_zendesk_json_string_positions(text: str, ensure_ascii: bool, indent: int | None) -> None:
    data = {
        "macros": [
            {"title": "First", "actions": [{"field": "comment_value", "value": text}]},
            {"title": text, "actions": [{"field": "comment_value", "value": [text, text]}]},
        ]
    }
    content = json.dumps(data, ensure_ascii=ensure_ascii, indent=indent)
    segs = extract("macros.json", content)
    if not text.strip():
        assert segs == []
        return
    assert [s.text for s in segs] == [text, text]
    previous_end = -1
    for seg in segs:
        offsets = [offset_of(content, *seg.position(i)) for i in range(len(text) + 1)]
        assert offsets == sorted(set(offsets))  # strictly increasing
        assert offsets[0] > previous_end
        for i, ch in enumerate(text):
            assert _decodes_to(content, offsets[i], ch), (i, ch, content[offsets[i] : offsets[i] + 12])
        assert content[offsets[-1]] == '"'  # the end maps to the closing quote
        previous_end = offsets[-1]


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=80))
def test_property_html_escaped_text_round_trips(text: str) -> None:
    content = "<div>" + html.escape(text) + "</div>"
    [seg] = extract("x.html", content)
    assert seg.text == text + "\n"
    for i, ch in enumerate(text):
        off = offset_of(content, *seg.position(i))
        assert content[off] == ch or (
            content[off] == "&" and html.unescape(content[off : content.index(";", off) + 1]) == ch
        )


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab #`~[]()<>!-:\n\"'/.")), max_size=120))
def test_property_markdown_blanking_keeps_length_and_lines(text: str) -> None:
    for seg in extract("note.md", text):
        for i, ch in enumerate(seg.text):
            off = offset_of(text, *seg.position(i))
            assert ch == text[off] or (ch == " " and text[off] != "\n")


@settings(max_examples=100, deadline=None)
@given(
    lines=st.lists(
        st.text(alphabet=st.sampled_from(list("ab {}:#'\"-|>")), max_size=20).map(str.rstrip), min_size=1, max_size=6
    )
)
def test_property_yaml_literal_block_maps_exactly(lines: list[str]) -> None:
    body = "\n".join(lines).strip("\n")
    if not body.strip() or body[0] == " ":
        return
    content = "replies:\n  - name: R\n    body: |\n" + "".join(
        ("      " + line if line else "") + "\n" for line in body.split("\n")
    )
    [seg] = extract(".github/replies.yml", content)
    assert seg.text == body + "\n"
    for i, ch in enumerate(seg.text):
        off = offset_of(content, *seg.position(i))
        assert content[off] == ch


@settings(max_examples=60, deadline=None)
@given(
    content=st.lists(
        st.sampled_from(
            [
                *list("ab {}[]\":,\\#-|>'&;<>/!\n\r\t`~*é"),
                "&amp;",
                "<p>",
                "</p>",
                "\\n",
                "\\u00e9",
                "---\n",
                "```\n",
                "replies:\n",
                "- name: x\n  body: |\n    hi\n",
                "{#",
                "#}",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_property_any_input_gives_segments_or_format_error(content: str) -> None:
    lines = _lines_with_breaks(content)
    for fmt in FORMATS:
        try:
            segs = extract("f", content, format=fmt)
        except FormatError:
            continue
        for seg in segs:
            for i in range(len(seg.text) + 1):
                line, col = seg.position(i)
                assert 1 <= line <= len(lines) and 1 <= col <= len(lines[line - 1]) + 1
