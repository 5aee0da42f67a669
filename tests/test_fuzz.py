"""Fuzzing: `check`, `fix`, every input format and every renderer on arbitrary input.

In the test suite each property tries TONECHECK_FUZZ_EXAMPLES examples (default 150). A longer
run is the same file with more examples, e.g. (a few hours on two cores):

    TONECHECK_FUZZ_EXAMPLES=200000 python -m pytest tests/test_fuzz.py -p no:cacheprovider

The invariants, for every input:
  - the only exception is tonecheck's InputError (FormatError for a broken export);
  - every finding's span lies in its reply, `match` is the text there, and its line and column
    are those an editor shows ("\\n", "\\r\\n" or a lone "\\r" ends a line);
  - `fix` changes only what its edits say (replaying them rebuilds the result), each edit's
    `original` is the text it replaced, and fixing the result again changes nothing;
  - every renderer renders, its output is valid UTF-8 (lone surrogates escaped), JSON and SARIF
    parse, and no output line can be read as a GitHub workflow command.
"""

from __future__ import annotations

import json
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tonecheck
from tonecheck._engine.linter import get_engine
from tonecheck._inputs import FORMATS as INPUT_FORMATS
from tonecheck._inputs import extract
from tonecheck._outputs import FORMATS as OUTPUT_FORMATS
from tonecheck._outputs import render
from tonecheck._project.lint import lint_source
from tonecheck._version import __version__

EXAMPLES = int(os.environ.get("TONECHECK_FUZZ_EXAMPLES", "150"))
PREVIEW = tonecheck.Config(preview=True)  # every rule runs, preview ones included
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))

# -- inputs -------------------------------------------------------------------------------------------

# every code point, lone surrogates included (text read with surrogateescape carries them)
any_character = st.characters(codec=None, categories=None)
PIECES = [
    "Hi Sam,",
    "Dear Ms. Lopez,",
    "Hi Ms,",
    "Hello {{first_name}},",
    "Hi [Customer Name],",
    "Hi ,",
    "We can't refund that.",
    "No, we cannot.",
    "As I said, ",
    "Actually, ",
    "Per my last email,",
    "you have to restart it",
    "Obviously",
    "the DNS is down",
    "escalated to L2",
    "the RCA",
    "SSO (single sign-on)",
    "{{ name | default: '' }}",
    "{% if x %}",
    "{{ticket.requester.name}",
    "*|FNAME|*",
    "%{name}",
    "${Contacts.First Name}",
    "[NAME]",
    "XXX",
    "<!-- tonecheck: ignore NEG001 -->",
    "{# tonecheck: disable PAG #}",
    "<!-- c -->",
    "{# c #}",
    "> quoted",
    "On Mon, 3 Jun 2024, Sam wrote:",
    "-----Original Message-----",
    "```",
    "`code`",
    "<p>",
    "</p>",
    "<br>",
    "&amp;",
    "&#x27;",
    "<script>x</script>",
    "Let me know if you need anything else.",
    "Best,",
    "Thanks,",
    "Ana",
    "-- ",
    "^JK",
    "::error ::x",
    "##[add-mask]",
    "\x1b[31m",
    "\u202e",
    "\u2028",
    "\x85",
    "\ufeff",
    "\ud800",
    "\udcff",
    "😀",
    "👋🏽",
    "é",
    "İ",
    "ß",
    "ﬁ",
    "\x00",
    "\t",
    "'",
    "’",
    "\u00a0",
    "…",
]
SEPARATORS = ["", " ", "\n", "\r\n", "\r", "\n\n", "\r\r", ". ", ", ", "\t"]
structured = st.lists(
    st.tuples(st.one_of(st.sampled_from(PIECES), st.text(any_character, max_size=8)), st.sampled_from(SEPARATORS)),
    max_size=30,
).map(lambda parts: "".join(piece + sep for piece, sep in parts))
texts = st.one_of(st.text(any_character, max_size=300), structured)
names = st.one_of(
    st.none(),
    st.sampled_from(["Sara", "Ms. Lopez", "Dr. Sam Lee", "Sara-Jane", "Ms.", "Mx"]),
    st.text(any_character, max_size=12),
)


def _json_export(reply: str, title: str, shape: str) -> str:
    if shape == "zendesk":
        data = {
            "macros": [
                {
                    "title": title,
                    "actions": [
                        {"field": "comment_value", "value": reply},
                        {"field": "comment_value_html", "value": f"<p>{reply}</p>"},
                    ],
                }
            ]
        }
    elif shape == "helpscout":
        data = {"_embedded": {"savedReplies": [{"name": title, "text": reply}]}}
    elif shape == "freshdesk":
        data = {"canned_responses": [{"title": title, "content": reply, "content_html": f"<b>{reply}</b>"}]}
    elif shape == "intercom":
        data = {"data": [{"name": title, "body": reply}]}
    elif shape == "gorgias":
        data = {"data": [{"name": title, "actions": [{"name": "setResponseText", "arguments": {"body_text": reply}}]}]}
    else:
        data = {"notes": [{"text": reply + " padding words to pass forty characters of text"}]}
    return json.dumps(data, ensure_ascii=shape in ("zendesk", "intercom"))


@st.composite
def files(draw) -> tuple[str, str]:
    """(path, content) of a file in any input format, valid or broken."""
    reply = draw(texts)
    kind = draw(st.sampled_from(["txt", "md", "html", "liquid", "json", "yaml", "broken json", "broken yaml"]))
    if kind in ("txt", "md", "html", "liquid"):
        return f"reply.{kind}", reply
    title = draw(st.text(any_character, max_size=10))
    if kind in ("json", "broken json"):
        shape = draw(st.sampled_from(["zendesk", "helpscout", "freshdesk", "intercom", "gorgias", "unknown"]))
        content = _json_export(reply, title, shape)
    else:
        body = "\n".join("    " + line for line in reply.splitlines() or [""])
        content = f"replies:\n  - name: {json.dumps(title)}\n    body: |\n{body}\n"
    if kind.startswith("broken") and content:
        cut = draw(st.integers(0, len(content)))
        junk = draw(
            st.sampled_from(["", "{", "]", '"', "\\u", "\\ud800", "1" * 5000, ":", "- ", "\t", "&*", "!!python/"])
        )
        content = content[:cut] + junk + content[cut + draw(st.integers(0, 3)) :]
    path = "macros.json" if kind.endswith("json") else ".github/replies.yml"
    return path, content


# -- invariants ----------------------------------------------------------------------------------------

_BREAK = re.compile(r"\r\n|\r|\n")


def _line_column(text: str, offset: int) -> tuple[int, int]:
    breaks = [m.end() for m in _BREAK.finditer(text, 0, offset + 1) if m.end() <= offset]
    return len(breaks) + 1, offset - (breaks[-1] if breaks else 0) + 1


def _check_report(text: str, report: tonecheck.Report) -> None:
    assert report.text == text
    for f in report.findings:
        assert 0 <= f.start <= f.end <= len(text), f
        assert text[f.start : f.end] == f.match, f
        assert (f.line, f.column) == _line_column(text, f.start), f
        for s in f.suggestions:
            if s.start is not None:
                assert 0 <= s.start <= s.end <= len(text), s
    for region in report.regions:
        assert 0 <= region.start <= region.end <= len(text), region


def _check_output(format: str, output: str, findings: int) -> None:
    output.encode("utf-8")  # strict: no lone surrogate reaches the output
    lines = output.splitlines()
    commands = [line for line in lines if line.lstrip().startswith("::") or "##[" in line]
    if format == "github":
        assert len(commands) == len(lines) == findings, output
        assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines), output
        assert "##[" not in output
    else:
        assert commands == [], (format, commands)
    assert "\x1b" not in output
    if format in ("json", "sarif"):
        json.loads(output)


# -- properties -----------------------------------------------------------------------------------------


@SETTINGS
@given(
    text=texts,
    mode=st.sampled_from(["draft", "saved"]),
    name=names,
    format=st.sampled_from(["text", "markdown", "html"]),
    preview=st.booleans(),
)
def test_check_keeps_its_promises_on_any_text(text, mode, name, format, preview):
    context = {"customer_name": name} if name is not None else None
    config = PREVIEW if preview else None
    report = tonecheck.check(text, mode=mode, context=context, format=format, config=config)
    if format == "text":
        _check_report(text, report)
    else:
        for f in report.findings:
            assert 0 <= f.source_start <= f.source_end <= len(text), f
            assert (f.line, f.column) == _line_column(text, f.source_start), f


@SETTINGS
@given(text=texts, unsafe=st.booleans(), name=names, mode=st.sampled_from(["draft", "saved"]), preview=st.booleans())
def test_fix_changes_only_its_edits_and_is_idempotent(text, unsafe, name, mode, preview):
    context = {"customer_name": name} if name is not None else None
    config = PREVIEW if preview else None
    result = tonecheck.fix(text, unsafe=unsafe, context=context, mode=mode, config=config)
    current = text
    for round_number in sorted({e.round for e in result.edits}):
        edits = sorted((e for e in result.edits if e.round == round_number), key=lambda e: e.start)
        pieces, cursor = [], 0
        for edit in edits:
            assert cursor <= edit.start <= edit.end <= len(current), edit
            assert current[edit.start : edit.end] == edit.original, edit
            pieces += [current[cursor : edit.start], edit.replacement]
            cursor = edit.end
        current = "".join(pieces) + current[cursor:]
    assert current == result.text
    _check_report(result.text, tonecheck.check(result.text, mode=mode, context=context, config=config))
    rounds = max((e.round for e in result.edits), default=0)
    if rounds < 10:  # it stopped because nothing was left, not at the round limit
        assert tonecheck.fix(result.text, unsafe=unsafe, context=context, mode=mode, config=config).edits == ()


@SETTINGS
@given(file=files(), format=st.sampled_from(INPUT_FORMATS))
def test_every_input_format_gives_segments_or_a_format_error(file, format):
    path, content = file
    try:
        segments = extract(path, content, format=format)
    except tonecheck.FormatError:
        return
    for segment in segments:
        for offset in (0, len(segment.text) // 2, len(segment.text)):
            line, column = segment.position(offset)
            assert line >= 1 and column >= 1


@SETTINGS
@given(file=files())
def test_any_file_lints_and_renders_safely_in_every_format(file):
    path, content = file
    engine = get_engine(PREVIEW)
    try:
        report = lint_source(engine, content, path=path)
    except tonecheck.InputError:
        return
    for f in report.findings:
        assert 0 <= f.source_start <= f.source_end <= len(content), f
        assert (f.line, f.column) == _line_column(content, f.source_start), f
    renamed = report.model_copy(update={"path": "dir/\udcff::error x=1::y\n.txt"})
    for format in OUTPUT_FORMATS:
        output = render(format, [renamed], rules=engine.ruleset.by_code(), version=__version__)
        _check_output(format, output, len(report.findings))
