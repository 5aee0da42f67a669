"""The command line: `tonecheck check|rule|rules`, in-process and as a real process."""

from __future__ import annotations

import json
import os
import re

import pytest
from conftest import TONE_CATEGORIES, span_of, wrap_reply
from conftest import no_traceback as _no_traceback
from conftest import one_error_line as _one_error_line

import tonecheck
from tonecheck._ruleset.docs import fix_column
from tonecheck._ruleset.load import load_rules

BAD_REPLY = wrap_reply("Thanks for waiting. We can't refund this order. As I said, it's in the FAQ.")
CLEAN_REPLY = wrap_reply("Thanks for waiting. Your refund went out today and should arrive within five days.")
# These tests exercise what the rules find, preview rules included (they do not run by default:
# see test_preview.py for the default selection).
ALL_RULES = tonecheck.Config(preview=True)
PREVIEW = "--preview"
TONE = [PREVIEW, "--select", ",".join(TONE_CATEGORIES)]  # keep exit-code tests to the tone rules

FINDING_KEYS = {
    "code",
    "name",
    "category",
    "severity",
    "message",
    "start",
    "end",
    "line",
    "column",
    "end_line",
    "end_column",
    "match",
    "suggestions",
}


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text(BAD_REPLY, encoding="utf-8")
    return path


@pytest.fixture
def clean_file(tmp_path):
    path = tmp_path / "clean.txt"
    path.write_text(CLEAN_REPLY, encoding="utf-8")
    return path


# -- check: exit codes and text output --------------------------------------------------------


def test_findings_exit_1_and_are_printed_with_location(run_cli, bad_file):
    result = run_cli(["check", PREVIEW, str(bad_file)])
    assert result.code == 1, result
    expected = tonecheck.check(BAD_REPLY, config=ALL_RULES).findings
    assert expected
    for f in expected:
        assert f"{bad_file}:{f.line}:{f.column}: {f.code}" in result.out, (f, result)
    assert f"Found {len(expected)} problem" in result.out
    assert result.err == ""


def test_clean_file_exits_0(run_cli, clean_file):
    result = run_cli(["check", *TONE, str(clean_file)])
    assert result.code == 0, result
    assert "Found 0 problems in 1 file" in result.out


def test_clean_reply_exits_0_with_all_rules_on(run_cli, clean_file):
    result = run_cli(["check", PREVIEW, str(clean_file)])
    assert result.code == 0, result


def test_text_output_points_at_the_match(run_cli, tmp_path):
    text = "Hi Sam,\n\nSorry, but we can't refund this.\n"
    path = tmp_path / "reply.txt"
    path.write_text(text, encoding="utf-8")
    result = run_cli(["check", *TONE, str(path)])
    lines = result.out.splitlines()
    start, _ = span_of(text, "we can't")
    f = next(f for f in tonecheck.check(text, config=ALL_RULES).findings if f.start == start)
    index = next(i for i, line in enumerate(lines) if line.startswith(f"{path}:{f.line}:{f.column}:"))
    source, carets = lines[index + 1], lines[index + 2]
    assert source.strip() == "Sorry, but we can't refund this."
    first = carets.index("^")
    assert source[first : first + len(f.match)] == f.match
    assert carets.count("^") == len(f.match)


@pytest.mark.parametrize("separator", ["\r", "\u2028"])
def test_text_output_shows_the_right_source_line_with_odd_line_breaks(run_cli, tmp_path, separator):
    # Lines are numbered by "\n"; the excerpt under a finding must be taken from that same line.
    text = f"Hi Sam,{separator}thanks.\nSorry, but we can't refund this.\n"
    path = tmp_path / "reply.txt"
    path.write_text(text, encoding="utf-8", newline="")
    result = run_cli(["check", *TONE, str(path)])
    assert result.code == 1, result
    lines = result.out.splitlines()
    f = tonecheck.check(text, config=ALL_RULES).by_category("negative-language")[0]
    index = next(i for i, line in enumerate(lines) if line.startswith(f"{path}:{f.line}:{f.column}:"))
    assert "we can't" in lines[index + 1], result.out


def test_several_files_are_reported_in_one_run(run_cli, bad_file, clean_file):
    result = run_cli(["check", *TONE, str(clean_file), str(bad_file)])
    assert result.code == 1
    assert "in 1 of 2 files" in result.out  # files with problems, of the files checked
    assert str(bad_file) in result.out
    assert f"{clean_file}:" not in result.out


# -- check: JSON ------------------------------------------------------------------------------


def test_json_output_shape(run_cli, bad_file):
    result = run_cli(["check", PREVIEW, "--format", "json", str(bad_file)])
    assert result.code == 1
    payload = json.loads(result.out)
    assert set(payload) == {"version", "files", "errors"}
    assert payload["errors"] == []  # files that could not be linted
    assert payload["version"] == 1
    assert len(payload["files"]) == 1
    entry = payload["files"][0]
    assert set(entry) == {"path", "findings", "replies"}
    assert entry["path"] == str(bad_file)
    assert entry["replies"] == [{"reply_id": None, "language": "en", "notes": []}]
    assert entry["findings"]
    for f in entry["findings"]:
        assert set(f) >= FINDING_KEYS, set(f)
        assert f["category"] in tonecheck.CATEGORIES
        assert f["severity"] in {"info", "warning", "error"}
        assert re.fullmatch(r"[A-Z]{3}\d{3}", f["code"])
        assert isinstance(f["start"], int) and isinstance(f["end"], int)
        assert BAD_REPLY[f["start"] : f["end"]] == f["match"]
        assert f["line"] == BAD_REPLY.count("\n", 0, f["start"]) + 1
        for s in f["suggestions"]:
            assert {"title", "replacement", "applicability"} <= set(s), set(s)
            assert isinstance(s["title"], str) and s["title"]
            assert s["applicability"] in {"safe", "unsafe", "display-only"}
            assert s["replacement"] is None or isinstance(s["replacement"], str)
    # the same findings as the library gives
    api = tonecheck.check(BAD_REPLY, config=ALL_RULES).findings
    assert [(f["code"], f["start"], f["end"]) for f in entry["findings"]] == [(f.code, f.start, f.end) for f in api]


def test_json_for_clean_input_has_an_empty_findings_list(run_cli, clean_file):
    result = run_cli(["check", *TONE, "--format", "json", str(clean_file)])
    assert result.code == 0
    assert json.loads(result.out) == {
        "version": 1,
        "files": [
            {"path": str(clean_file), "findings": [], "replies": [{"reply_id": None, "language": "en", "notes": []}]}
        ],
        "errors": [],
    }


def test_json_keeps_non_ascii_and_offsets_are_characters(run_cli, tmp_path):
    text = "Zoë — 日本 👋\nWe can’t refund this.\n"
    path = tmp_path / "u.txt"
    path.write_text(text, encoding="utf-8")
    payload = json.loads(run_cli(["check", *TONE, "--format", "json", str(path)]).out)
    findings = payload["files"][0]["findings"]
    assert findings
    for f in findings:
        assert text[f["start"] : f["end"]] == f["match"]
    assert any("can’t" in f["match"] for f in findings)


# -- check: options ---------------------------------------------------------------------------


def _codes(result) -> set[str]:
    return {f["code"] for file in json.loads(result.out)["files"] for f in file["findings"]}


def test_select_and_ignore_options(run_cli, bad_file):
    everything = _codes(run_cli(["check", PREVIEW, "--format", "json", str(bad_file)]))
    neg = {c for c in everything if load_rules().by_code()[c].category == "negative-language"}
    pag = {c for c in everything if load_rules().by_code()[c].category == "passive-aggressive"}
    assert neg and pag
    assert (
        _codes(run_cli(["check", PREVIEW, "--format", "json", "--select", "negative-language", str(bad_file)])) == neg
    )
    assert (
        _codes(run_cli(["check", PREVIEW, "--format", "json", "--ignore", "negative-language", str(bad_file)])) & neg
        == set()
    )
    both = ",".join(sorted(neg | pag))
    assert _codes(run_cli(["check", PREVIEW, "--format", "json", "--select", both, str(bad_file)])) == neg | pag
    repeated = ["--select", sorted(neg)[0], "--select", sorted(pag)[0]]
    assert _codes(run_cli(["check", PREVIEW, "--format", "json", *repeated, str(bad_file)])) == {
        sorted(neg)[0],
        sorted(pag)[0],
    }
    ignored = run_cli(["check", "--format", "json", *TONE, "--ignore", ",".join(neg | pag), str(bad_file)])
    assert _codes(ignored) == set()
    assert ignored.code == 0


def test_fail_on_decides_the_exit_code(run_cli, tmp_path):
    # pick one rule per severity from the rule files and use its own example
    by_severity = {}
    for rule in load_rules().rules:
        if (
            rule.category in TONE_CATEGORIES
            and rule.examples.mode == "draft"
            and rule.severity.value not in by_severity
            and tonecheck.check(rule.examples.flag[0], config=tonecheck.Config(select=(rule.code,))).findings
        ):
            by_severity[rule.severity.value] = rule
    assert {"info", "warning", "error"} <= set(by_severity), by_severity
    for level, rule in by_severity.items():
        path = tmp_path / f"{level}.txt"
        path.write_text(rule.examples.flag[0], encoding="utf-8")
        only = ["--select", rule.code]
        expected = {
            "info": {"info": 1, "warning": 0, "error": 0},
            "warning": {"info": 1, "warning": 1, "error": 0},
            "error": {"info": 1, "warning": 1, "error": 1},
        }[level]
        for fail_on, code in expected.items():
            result = run_cli(["check", *only, "--fail-on", fail_on, str(path)])
            assert result.code == code, (rule.code, level, fail_on, result)
        default = run_cli(["check", *only, str(path)])
        assert default.code == expected["warning"], (rule.code, default)


def test_customer_name_option_is_passed_as_context(run_cli, tmp_path):
    text = "Hi John,\n\nYour order shipped today and should arrive on Friday.\n\nBest,\nAna\n"
    path = tmp_path / "name.txt"
    path.write_text(text, encoding="utf-8")
    for name in ("Sara", "John"):
        # a file defaults to saved mode; the wrong-name check is for drafts
        result = run_cli(["check", "--mode", "draft", "--format", "json", "--customer-name", name, str(path)])
        expected = tonecheck.check(text, context={"customer_name": name}).findings
        got = json.loads(result.out)["files"][0]["findings"]
        assert [(f["code"], f["start"], f["end"]) for f in got] == [(f.code, f.start, f.end) for f in expected]
        assert result.code == (1 if any(f.severity.rank >= 1 for f in expected) else 0)


def test_mode_option(run_cli, bad_file):
    result = run_cli(["check", "--mode", "saved", "--format", "json", str(bad_file)])
    assert result.code in (0, 1)
    json.loads(result.out)


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--mode", "final"],
        ["check", "--format", "xml"],
        ["check", "--fail-on", "critical"],
        ["check", "--no-such-option"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2_without_traceback(run_cli, argv):
    result = run_cli(argv, stdin="We can't.")
    assert result.code == 2, result
    _no_traceback(result)
    assert "tonecheck: error:" in result.err
    assert result.out == ""


def test_no_command_exits_2(run_cli):
    result = run_cli([])
    assert result.code == 2
    _no_traceback(result)


def test_version(run_cli):
    result = run_cli(["--version"])
    assert result.code == 0
    assert tonecheck.__version__ in result.out


def test_bad_rule_path_exits_2_with_one_line(run_cli, tmp_path, clean_file):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "broken.yml").write_text("category: jargon\nrules:\n  - code: TST001\n    name: x\n", encoding="utf-8")
    result = run_cli(["check", "--rule-path", str(rules), str(clean_file)])
    assert result.code == 2
    _one_error_line(result, "broken.yml", "TST001")


# -- check: stdin -----------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["check"], ["check", "-"]])
def test_stdin_is_read_without_a_path_or_with_dash(run_cli, argv):
    result = run_cli([*argv, PREVIEW, "--format", "json"], stdin=BAD_REPLY)
    assert result.code == 1, result
    payload = json.loads(result.out)
    assert payload["files"][0]["path"] == "<stdin>"
    assert [(f["code"], f["start"]) for f in payload["files"][0]["findings"]] == [
        (f.code, f.start) for f in tonecheck.check(BAD_REPLY, config=ALL_RULES).findings
    ]


def test_stdin_byte_order_mark_is_not_part_of_the_text(run_cli):
    result = run_cli(["check", *TONE, "--format", "json"], stdin="\ufeffWe can't refund this.".encode("utf-8"))
    findings = json.loads(result.out)["files"][0]["findings"]
    assert findings and findings[0]["start"] == 0 and findings[0]["match"].startswith("We can't")


# -- check: bad input -------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  ", b"\n" * 1000])
def test_empty_and_blank_files_are_fine(run_cli, tmp_path, content):
    path = tmp_path / "blank.txt"
    path.write_bytes(content)
    result = run_cli(["check", *TONE, "--format", "json", str(path)])
    assert result.code == 0, result
    assert json.loads(result.out)["files"][0]["findings"] == []
    _no_traceback(result)


def test_missing_file_exits_2_naming_it(run_cli, tmp_path):
    missing = tmp_path / "nope.txt"
    result = run_cli(["check", str(missing)])
    assert result.code == 2
    _one_error_line(result, "nope.txt")


def test_empty_directory_is_walked_and_warned_about(run_cli, tmp_path):
    result = run_cli(["check", str(tmp_path)])
    assert result.code == 0
    assert result.err.strip().splitlines() == [
        f"tonecheck: warning: {tmp_path}: no files to lint here (see include and exclude)"
    ]
    assert "Traceback" not in result.err


def test_binary_junk_exits_2(run_cli, tmp_path):
    path = tmp_path / "junk.bin"
    path.write_bytes(bytes(range(256)) * 64)
    result = run_cli(["check", str(path)])
    assert result.code == 2
    _one_error_line(result, "junk.bin")


def test_random_bytes_exit_2_or_give_a_result(run_cli, tmp_path):
    path = tmp_path / "random.bin"
    path.write_bytes(os.urandom(50_000))
    result = run_cli(["check", str(path)])
    assert result.code == 2
    _one_error_line(result, "random.bin")


def test_invalid_utf8_exits_2(run_cli, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Hi José, we can't refund this.\n".encode("latin-1"))
    result = run_cli(["check", str(path)])
    assert result.code == 2
    _one_error_line(result, "latin1.txt", "UTF-8")


def test_invalid_utf8_on_stdin_exits_2(run_cli):
    result = run_cli(["check"], stdin=b"caf\xe9 \xff\xfe")
    assert result.code == 2
    _one_error_line(result, "<stdin>")


def test_one_bad_path_among_good_ones_still_reports_the_good_ones(run_cli, tmp_path, bad_file):
    result = run_cli(["check", PREVIEW, "--format", "json", str(bad_file), str(tmp_path / "missing.txt")])
    assert result.code == 2
    _one_error_line(result, "missing.txt")
    files = json.loads(result.out)["files"]
    assert [f["path"] for f in files] == [str(bad_file)]
    assert files[0]["findings"]


def test_one_megabyte_file_gives_a_result(run_cli, tmp_path):
    text = "Thanks for writing in, your parcel is on its way and should arrive on Monday.\n" * 13_000
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size >= 1_000_000
    result = run_cli(["check", *TONE, str(path)])
    assert result.code == 0, result.err
    assert "Found 0 problems in 1 file" in result.out


# -- rule / rules -----------------------------------------------------------------------------


@pytest.mark.parametrize("rule", load_rules().rules, ids=lambda r: r.code)
def test_rule_prints_its_docs(run_cli, rule):
    result = run_cli(["rule", rule.code])
    assert result.code == 0, result
    out = result.out
    assert rule.code in out and rule.name in out and rule.category in out
    assert " ".join(rule.why.split()) in " ".join(out.split())
    assert " ".join(rule.fix.split()) in " ".join(out.split())
    for marker, examples in (("✗", rule.examples.flag), ("✓", rule.examples.pass_)):
        for example in examples:  # under its marker, its later lines indented under its first (F32)
            first, *rest = example.split("\n")
            shown = f"  {marker} {first}\n" + "".join(f"    {line}".rstrip() + "\n" for line in rest)
            assert shown in out, example


def test_multi_line_examples_keep_their_markers_aligned(run_cli):
    """F32: a multi-line example's later lines are indented under its first, so every ✗ and ✓
    stands alone at the start of its line."""
    for code in ("TPL005", "CLO001"):
        out = run_cli(["rule", code]).out
        section = out[out.index("Flagged\n") : out.index("\n\n", out.index("Not flagged\n"))]
        lines = [line for line in section.splitlines()[1:] if line and line != "Not flagged"]
        assert sum("\n" in e for e in load_rules().by_code()[code].examples.flag) >= 1
        for line in lines:
            assert line.startswith(("  ✗ ", "  ✓ ", "    ")), line


def test_rule_accepts_lower_case_code_and_name(run_cli):
    rule = load_rules().rules[0]
    by_code = run_cli(["rule", rule.code.lower()])
    by_name = run_cli(["rule", rule.name])
    assert by_code.code == by_name.code == 0
    assert by_code.out == by_name.out == run_cli(["rule", rule.code]).out


def test_unknown_rule_exits_2(run_cli):
    result = run_cli(["rule", "ZZZ999"])
    assert result.code == 2
    _one_error_line(result, "ZZZ999")
    assert result.out == ""


def test_rules_lists_every_rule(run_cli):
    result = run_cli(["rules"])
    assert result.code == 0
    for rule in load_rules().rules:
        line = next(line for line in result.out.splitlines() if line.startswith(rule.code))
        assert rule.name in line and rule.category in line and rule.severity.value in line
        assert line.split()[-3:] == [rule.status, fix_column(rule), rule.kind], line
    codes = [line.split()[0] for line in result.out.splitlines()[1:-1]]
    assert codes == sorted(codes) and len(codes) == len(set(codes))
    assert result.out.splitlines()[0].split() == ["code", "name", "category", "severity", "status", "fix", "kind"]


def test_rules_fix_column_says_what_applies_a_rules_fix(run_cli):
    rows = {line.split()[0]: line.split() for line in run_cli(["rules"]).out.splitlines()[1:-1]}
    assert rows["PAG003"][-2] == "safe"  # "Per my last email," is removed by --fix
    assert rows["NEG010"][-2] == "unsafe"  # "you have to" -> "please": --fix --unsafe-fixes
    assert rows["CLO001"][-2] == "-"  # example closings to pick from: advice only


def test_rules_json(run_cli):
    result = run_cli(["rules", "--format", "json"])
    assert result.code == 0
    listed = json.loads(result.out)
    # every language's rules (tool rules once)
    by_code = {**load_rules((), "ru").by_code(), **load_rules().by_code()}
    assert sorted(r["code"] for r in listed) == sorted(by_code)
    assert [r["code"] for r in listed] == sorted(r["code"] for r in listed)  # F33: sorted, as the text
    for entry in listed:
        rule = by_code[entry["code"]]
        assert entry["category"] in (*tonecheck.CATEGORIES, "suppression")
        assert (entry["status"], entry["kind"]) == (rule.status, rule.kind)
        assert entry["name"] == rule.name and entry["severity"] == rule.severity.value
        assert entry["why"] == " ".join(rule.why.split()) and entry["fix"] == " ".join(rule.fix.split())
        assert "{" not in entry["message"] and entry["message"]
        assert entry["examples"]["flag"] == list(rule.examples.flag)
        assert entry["examples"]["pass"] == list(rule.examples.pass_)
        assert entry["modes"] == list(getattr(rule, "modes", ("draft", "saved")))
        assert entry["channels"] == list(getattr(rule, "channels", ("email", "chat", "social")))
        assert entry["fix_availability"] == ("sometimes" if fix_column(rule) != "-" else "never")
    assert {entry["kind"] for entry in listed} >= {"phrase", "lexicon", "regex", "detector", "tool"}
    pag003 = next(e for e in listed if e["code"] == "PAG003")
    assert {"title": "Remove the reference to the earlier email", "kind": "rewrite", "applicability": "safe",
            "applied_by": "--fix"} in pag003["fixes"]  # fmt: skip
    pag002 = next(e for e in listed if e["code"] == "PAG002")  # judged on real replies
    assert pag002["measured"]["real_judged"] > 0 and 0 <= pag002["measured"]["real_precision"] <= 1
    assert pag003["language"] == "en" and next(e for e in listed if e["code"] == "TON100")["language"] is None


def test_rule_all_and_rule_format_json(run_cli):
    """F33: `rule --all` (text and JSON) and `rule CODE --format json` give what `rules --format
    json` gives, rule by rule; a CODE with --all, or neither, is a usage error."""
    listed = json.loads(run_cli(["rules", "--format", "json"]).out)
    assert json.loads(run_cli(["rule", "--all", "--format", "json"]).out) == listed
    one = run_cli(["rule", "tpl005", "--format", "json"])
    assert one.code == 0 and json.loads(one.out) == next(e for e in listed if e["code"] == "TPL005")
    every = run_cli(["rule", "--all"])
    assert every.code == 0
    headers = [line.split()[0] for line in every.out.splitlines() if re.match(r"^[A-Z]{3}\d{3} [a-z]", line)]
    assert headers == [e["code"] for e in listed]
    assert run_cli(["rule", "PAG003"]).out in every.out
    for argv in (["rule"], ["rule", "PAG003", "--all"]):
        result = run_cli(argv)
        assert result.code == 2 and result.out == "", result
        _one_error_line(result, "--all")


def test_rule_docs_show_message_templates_as_prose(run_cli):
    # a slot a finding fills in ({match}, {problem}, {plain}, ...) reads "…" in the docs
    result = run_cli(["rule", "TPL002"])
    assert result.code == 0, result
    flags = result.out.split("What it flags\n", 1)[1].split("\n", 1)[0]
    assert flags == '  "…" is a broken placeholder: ….'
    for rule in load_rules().rules:
        out = run_cli(["rule", rule.code]).out
        flags = out.split("What it flags\n", 1)[1].split("\n\n", 1)[0]
        assert not re.search(r"\{[a-z_]+\}", flags), (rule.code, flags)


def test_tool_rule_ton100_is_documented_like_any_rule(run_cli):
    result = run_cli(["rule", "TON100"])
    assert result.code == 0, result
    assert result.out.startswith("TON100 unused-suppression (suppression, warning, stable, kind: tool)")
    assert "This suppression (…) suppresses nothing" in result.out
    assert run_cli(["rule", "unused-suppression"]).out == result.out


_PROJECT_RULE = """category: jargon
rules:
  - code: TST001
    name: frobnicate
    kind: phrase
    message: '"{match}" frobnicates.'
    why: Frobnicating upsets people.
    fix: Do not frobnicate.
    phrases: ["frobnicate the widget"]
    examples: {flag: ["We frobnicate the widget."], pass: ["We fix the widget."]}
"""


def test_rule_and_rules_use_the_rules_of_the_current_folders_project(run_cli, tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "myrules").mkdir(parents=True)
    (project / "myrules" / "team.yml").write_text(_PROJECT_RULE, encoding="utf-8")
    (project / "tonecheck.toml").write_text('rule-paths = ["myrules"]\n', encoding="utf-8")
    (project / "reply.txt").write_text("Hi Sam,\n\nWe frobnicate the widget.\n", encoding="utf-8")
    monkeypatch.chdir(project)
    assert "TST001" in run_cli(["check", "--format", "json", "reply.txt"]).out
    rule = run_cli(["rule", "TST001"])
    assert rule.code == 0, rule
    assert rule.out.startswith("TST001 frobnicate (jargon, warning, stable, kind: phrase)")
    assert '"…" frobnicates.' in rule.out
    assert any(line.startswith("TST001  frobnicate") for line in run_cli(["rules"]).out.splitlines())
    assert "TST001" in {entry["code"] for entry in json.loads(run_cli(["rules", "--format", "json"]).out)}

    # from another folder: the project's configuration, or its rule folder, named explicitly
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert run_cli(["rule", "TST001"]).code == 2
    assert run_cli(["rule", "TST001", "--config", str(project / "tonecheck.toml")]).code == 0
    assert run_cli(["rule", "TST001", "--rule-path", str(project / "myrules")]).code == 0
    listed = run_cli(["rules", "--rule-path", str(project / "myrules" / "team.yml")]).out
    assert any(line.startswith("TST001") for line in listed.splitlines())
    assert not any(line.startswith("TST001") for line in run_cli(["rules"]).out.splitlines())


# -- as a real process ------------------------------------------------------------------------


def test_python_dash_m_tonecheck_version(run_subprocess):
    result = run_subprocess(["--version"])
    assert result.code == 0, result
    assert tonecheck.__version__ in result.out


def test_subprocess_stdin_with_findings_exits_1(run_subprocess):
    result = run_subprocess(["check", PREVIEW, "--format", "json"], stdin=BAD_REPLY)
    assert result.code == 1, result
    payload = json.loads(result.out)
    assert payload["version"] == 1
    assert payload["files"][0]["path"] == "<stdin>"
    assert payload["files"][0]["findings"]


def test_subprocess_clean_stdin_exits_0(run_subprocess):
    result = run_subprocess(["check", *TONE], stdin=CLEAN_REPLY)
    assert result.code == 0, result
    assert result.err == ""


def test_subprocess_empty_stdin_exits_0(run_subprocess):
    result = run_subprocess(["check", *TONE, "-"], stdin=b"")
    assert result.code == 0, result
    _no_traceback(result)


def test_subprocess_input_errors_exit_2_with_one_line(run_subprocess, tmp_path):
    missing = run_subprocess(["check", str(tmp_path / "missing.txt")])
    assert missing.code == 2
    _one_error_line(missing, "missing.txt")
    junk = run_subprocess(["check"], stdin=b"\x00\x01\x02binary\xff" * 100)
    assert junk.code == 2
    _one_error_line(junk, "<stdin>")


def test_subprocess_usage_error_exits_2(run_subprocess):
    result = run_subprocess(["check", "--format", "yaml"], stdin="Hi")
    assert result.code == 2
    _no_traceback(result)
    assert result.err.strip().splitlines()[-1].startswith("tonecheck: error:")


def test_subprocess_help_exits_0(run_subprocess):
    result = run_subprocess(["check", "--help"])
    assert result.code == 0
    assert "--fail-on" in result.out


def test_subprocess_rule_docs(run_subprocess):
    rule = load_rules().rules[0]
    result = run_subprocess(["rule", rule.code])
    assert result.code == 0, result
    assert rule.name in result.out


def test_one_megabyte_of_problems_on_stdin_finishes_in_reasonable_time(run_subprocess):
    # 1 MB of text that is full of problems: must give a clear result, not hang for minutes.
    text = ("Thanks for writing in. We can't ship to Norway, you have to wait. " * 16_000)[:1_000_000]
    # a guard against a hang, not a speed test (speed is measured in benchmarks/): generous bound
    result = run_subprocess(["check", *TONE, "--format", "json"], stdin=text, timeout=600)
    assert result.code == 1, result.err
    findings = json.loads(result.out)["files"][0]["findings"]
    assert len(findings) >= 10_000


# == several processes ============================================================================


def _folder_of_replies(root) -> None:
    """A project of many files: per-file ignores, mode globs, a nested configuration, suppressions,
    a file that cannot be read, and files with and without findings."""
    (root / "tonecheck.toml").write_text(
        'preview = true\n[mode]\n"drafts/**" = "draft"\n[per-file-ignores]\n"legal/*.txt" = ["NEG010"]\n',
        encoding="utf-8",
    )
    for folder in ("drafts", "legal", "macros", "team"):
        (root / folder).mkdir()
    (root / "team" / "tonecheck.toml").write_text('ignore = ["jargon"]\n', encoding="utf-8")
    texts = [
        BAD_REPLY,
        CLEAN_REPLY,
        wrap_reply("Per our policy, you have to restart the router. Your SLA ticket went to L2."),
        wrap_reply("<!-- tonecheck: ignore NEG010 -->\nYou have to sign for it. As I said, it comes Monday."),
        "Hi {{first_name}},\n\nYour order [ORDER NUMBER] is on its way.\n",
    ]
    for index in range(80):
        folder = ("drafts", "legal", "macros", "team")[index % 4]
        suffix = ".md" if index % 5 == 0 else ".txt"
        (root / folder / f"reply-{index:03d}{suffix}").write_text(texts[index % len(texts)], encoding="utf-8")
    (root / "macros" / "broken.txt").write_bytes(b"\x00\x01binary")


@pytest.mark.parametrize(
    "extra",
    [
        ["--format", "json"],
        ["--format", "text"],
        ["--statistics"],
        ["--diff", "--unsafe-fixes"],
        ["--ignore", "NEG010"],
    ],
)
def test_a_pool_of_processes_reports_exactly_what_one_process_does(run_cli, tmp_path, monkeypatch, extra):
    _folder_of_replies(tmp_path)
    monkeypatch.chdir(tmp_path)
    one = run_cli(["check", ".", "--jobs", "1", *extra])
    pooled = run_cli(["check", ".", "--jobs", "2", *extra])
    default = run_cli(["check", ".", *extra])  # the default: one process for 80 files
    every_core = run_cli(["check", ".", "--jobs", "0", *extra])
    assert (one.code, one.out, one.err) == (pooled.code, pooled.out, pooled.err)
    assert (one.code, one.out, one.err) == (default.code, default.out, default.err)
    assert (one.code, one.out, one.err) == (every_core.code, every_core.out, every_core.err)
    assert one.code == 2 and "broken.txt" in one.err  # the unreadable file is reported, the others linted
    assert one.out.strip()


def test_a_pool_writes_the_same_baseline_and_fixes_the_same_files(run_cli, tmp_path, monkeypatch):
    for jobs in ("1", "2"):
        root = tmp_path / jobs
        root.mkdir()
        _folder_of_replies(root)
        monkeypatch.chdir(root)
        run_cli(["check", ".", "--jobs", jobs, "--write-baseline", "baseline.json"])
        run_cli(["check", ".", "--jobs", jobs, "--fix", "--unsafe-fixes"])
    one, pooled = tmp_path / "1", tmp_path / "2"
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(pooled) for p in pooled.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (pooled / f).read_bytes() for f in files)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    _folder_of_replies(fresh)
    assert any((one / f).read_bytes() != (fresh / f).read_bytes() for f in files if (fresh / f).exists())  # fixed
    assert json.loads((one / "baseline.json").read_text(encoding="utf-8"))  # findings recorded


@pytest.mark.parametrize("value", ["-1", "two"])
def test_jobs_must_be_a_count(run_cli, tmp_path, value):
    result = run_cli(["check", str(tmp_path), "--jobs", value])
    assert result.code == 2
    _one_error_line(result, "--jobs")
