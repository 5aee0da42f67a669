"""Saved-reply repositories, the CLI surface (issue 13, second part): severity selectors (F15),
`tonecheck config` (F16), repository-root paths in CI formats (F28), SARIF help, parse errors and
byte-correct fixes (F29), JUnit per finding (F30), clearer errors (F37) and the rules cache (F38).
Each test reproduces a friction of the usability review in its own words: it failed before the
change that made it pass."""

from __future__ import annotations

import pytest

import tonecheck
from tonecheck import Config, ConfigError

# one jargon finding (JAR005) and one passive-aggressive one (PAG003), in an email with a closing
JARGON_AND_NEGATIVE = (
    "Hi Sam,\n\nPer my last email, the SKU on your invoice is the one you ordered after you upgraded."
    "\n\nLet me know if there is anything else I can help with.\n\nBest,\nAna\n"
)


def _levels(severity: dict[str, str]) -> dict[str, str]:
    report = tonecheck.check(JARGON_AND_NEGATIVE, config=Config(severity=severity))  # type: ignore[arg-type]
    return {f.code: f.severity.value for f in report.findings}


# -- F15: severity takes selectors -----------------------------------------------------------------


def test_the_sample_has_a_jargon_and_a_negative_language_finding():
    report = tonecheck.check(JARGON_AND_NEGATIVE)
    assert {f.category for f in report.findings} >= {"jargon", "passive-aggressive"}, report.findings
    assert all(f.severity.value == "warning" for f in report.findings if f.category == "jargon")


@pytest.mark.parametrize("selector", ["jargon", "JAR", "jar0", "JAR00"])
def test_severity_accepts_a_category_or_a_code_prefix(selector):
    levels = _levels({selector: "info"})
    jargon = {code: level for code, level in levels.items() if code.startswith("JAR")}
    assert jargon and set(jargon.values()) == {"info"}, levels
    assert levels.get("PAG003") == "warning", levels  # other categories keep their own


def test_the_most_specific_severity_selector_wins():
    code = next(f.code for f in tonecheck.check(JARGON_AND_NEGATIVE).findings if f.category == "jargon")
    # exact code over prefix over category, whatever the order of the keys
    assert _levels({"jargon": "error", "JAR": "info", code: "warning"})[code] == "warning"
    assert _levels({code: "warning", "JAR": "info", "jargon": "error"})[code] == "warning"
    assert _levels({"jargon": "error", "JAR": "info"})[code] == "info"
    assert _levels({"JAR": "info", "jargon": "error"})[code] == "info"
    # a longer prefix is more specific than a shorter one
    assert _levels({"JAR": "info", "JAR0": "error"})[code] == "error"


@pytest.mark.parametrize(("selector", "nearest"), [("jargn", "jargon"), ("JRA", "JAR"), ("NEG9", None)])
def test_an_unknown_severity_selector_is_an_error_with_the_nearest_name(selector, nearest):
    with pytest.raises(ConfigError) as caught:
        tonecheck.check("Hi.", config=Config(severity={selector: "info"}))  # type: ignore[dict-item]
    message = str(caught.value)
    assert f"key 'severity': unknown rule selector {selector!r}" in message, message
    if nearest is not None:
        assert f"did you mean {nearest!r}" in message, message


def test_a_severity_category_in_the_config_file_applies_on_the_command_line(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reply.txt").write_text(JARGON_AND_NEGATIVE, encoding="utf-8")
    (tmp_path / "tonecheck.toml").write_text('[severity]\njargon = "info"\n', encoding="utf-8")
    result = run_cli(["check", "reply.txt", "--format", "json"])
    import json

    findings = json.loads(result.out)["files"][0]["findings"]
    jargon = [f for f in findings if f["category"] == "jargon"]
    assert jargon and all(f["severity"] == "info" for f in jargon), result


# -- F38: the compiled-rules cache: bounded, `tonecheck clean`, documented --------------------------


def test_tonecheck_clean_removes_the_cache(run_cli, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("TONECHECK_CACHE_DIR", str(cache))
    monkeypatch.delenv("TONECHECK_NO_CACHE", raising=False)
    from tonecheck._engine import cache as cache_module

    cache_module.store("a" * 32, {"x": 1})
    cache_module.store("b" * 32, {"x": 2})
    (cache / "notes.txt").write_text("not ours", encoding="utf-8")
    assert len(list(cache.glob("*.pickle"))) == 2
    result = run_cli(["clean"])
    assert result.code == 0 and "Removed 2 cache files" in result.out and str(cache) in result.out, result
    assert not list(cache.glob("*.pickle"))
    assert (cache / "notes.txt").exists()  # only tonecheck's own files go


def test_the_cache_keeps_the_most_recently_used_entries(tmp_path, monkeypatch):
    import os

    from tonecheck._engine import cache

    monkeypatch.setenv("TONECHECK_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("TONECHECK_NO_CACHE", raising=False)
    keys = [f"{n:032x}" for n in range(cache.KEEP)]
    for age, key in enumerate(keys):
        cache.store(key, age)
        os.utime(tmp_path / f"{key}.pickle", (1_000_000 + age, 1_000_000 + age))  # keys[0] is the oldest
    assert cache.load(keys[0]) == 0  # used now: no longer the oldest
    cache.store("f" * 32, "new")
    left = {path.stem for path in tmp_path.glob("*.pickle")}
    assert len(left) == cache.KEEP and cache.KEEP <= 8
    assert keys[0] in left and "f" * 32 in left and keys[1] not in left, sorted(left)


def test_the_cache_folder_variable_is_documented_in_help_and_readme(run_subprocess):
    from pathlib import Path

    result = run_subprocess(["--help"])
    assert "TONECHECK_CACHE_DIR" in result.out and "tonecheck clean" in result.out, result
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "TONECHECK_CACHE_DIR" in readme and "tonecheck clean" in readme


# -- F37: clearer errors ---------------------------------------------------------------------------

PAG_REPLY = (
    "Hi Sam,\n\nPer my last email, the app needs a restart.\n\n"
    "Let me know if there is anything else I can help with.\n\nBest,\nAna\n"
)


def test_a_raw_control_character_in_an_export_is_explained_not_cut_off(run_cli, tmp_path, monkeypatch):
    from conftest import one_error_line

    monkeypatch.chdir(tmp_path)
    text = '{"macros": [{"id": 1, "title": "A", "actions": [{"field": "comment_value", "value": "Hi \x01 there"}]}]}'
    (tmp_path / "broken.json").write_text(text, encoding="utf-8")
    result = run_cli(["check", "broken.json"])
    line = one_error_line(result, "broken.json:1:", "U+0001", "\\u0001", "re-export")
    assert not line.rstrip().endswith(" at"), line
    assert result.code == 2 and result.out == "", result


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_utf16_file_without_a_byte_order_mark_is_named_as_utf16(run_cli, tmp_path, monkeypatch, encoding):
    from conftest import one_error_line

    monkeypatch.chdir(tmp_path)
    (tmp_path / "reply.txt").write_bytes(PAG_REPLY.encode(encoding))
    result = run_cli(["check", "reply.txt"])
    one_error_line(result, "reply.txt", "UTF-16", "re-save it as UTF-8")
    assert "binary" not in result.err and result.code == 2, result


def test_a_utf16_file_with_a_byte_order_mark_is_decoded_and_fixed_in_utf16(run_cli, tmp_path, monkeypatch):
    import json

    monkeypatch.chdir(tmp_path)
    path = tmp_path / "reply.txt"
    path.write_bytes(PAG_REPLY.encode("utf-16"))  # with a BOM
    result = run_cli(["check", "reply.txt", "--format", "json"])
    assert result.code == 1 and [f["code"] for f in json.loads(result.out)["files"][0]["findings"]] == ["PAG003"]
    result = run_cli(["check", "reply.txt", "--fix"])
    data = path.read_bytes()
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff") and "Per my last email" not in data.decode("utf-16"), result


def test_binary_files_are_still_called_binary(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "image.txt").write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00data\x00\x00\x10")  # a zip header
    result = run_cli(["check", "image.txt"])
    assert result.code == 2 and "binary" in result.err and "UTF-16" not in result.err, result


def test_a_missing_path_prints_only_the_error(run_cli, tmp_path, monkeypatch):
    from conftest import one_error_line

    monkeypatch.chdir(tmp_path)
    result = run_cli(["check", "no-such-folder"])
    one_error_line(result, "no-such-folder", "no such file or folder")
    assert result.code == 2 and result.out == "", result


# -- F28: repository-root paths for the CI formats ---------------------------------------------------


def _git_repo(root):
    """A repository as a checkout looks to tonecheck: a `.git` folder at its top (no git run)."""
    (root / ".git").mkdir()
    (root / "replies").mkdir()
    (root / "replies" / "api-limits.md").write_text(PAG_REPLY, encoding="utf-8")
    return root / "replies"


@pytest.mark.parametrize("given", [".", "api-limits.md"])
def test_github_annotations_name_files_from_the_repository_root(run_cli, tmp_path, monkeypatch, given):
    monkeypatch.chdir(_git_repo(tmp_path))  # a `working-directory: replies` step
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = run_cli(["check", given, "--format", "github"])
    assert result.code == 1 and "file=replies/api-limits.md," in result.out, result


def test_a_worktree_git_file_marks_the_root_too(run_cli, tmp_path, monkeypatch):
    folder = _git_repo(tmp_path)
    (tmp_path / ".git").rmdir()
    (tmp_path / ".git").write_text("gitdir: /elsewhere/.git/worktrees/x\n", encoding="utf-8")
    monkeypatch.chdir(folder)
    result = run_cli(["check", ".", "--format", "gitlab"])
    import json

    assert [issue["location"]["path"] for issue in json.loads(result.out)] == ["replies/api-limits.md"], result


def test_sarif_uris_are_relative_to_the_repository_root(run_cli, tmp_path, monkeypatch):
    import json

    monkeypatch.chdir(_git_repo(tmp_path))
    log = json.loads(run_cli(["check", ".", "--format", "sarif"]).out)
    run = log["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "replies/api-limits.md", "uriBaseId": "%SRCROOT%"}
    assert "originalUriBaseIds" not in run  # no absolute path of this machine in the log


def test_outside_a_repository_and_for_other_formats_paths_stay_as_given(run_cli, tmp_path, monkeypatch):
    folder = tmp_path / "replies"
    folder.mkdir()
    (folder / "api-limits.md").write_text(PAG_REPLY, encoding="utf-8")
    monkeypatch.chdir(folder)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    assert "file=api-limits.md," in run_cli(["check", ".", "--format", "github"]).out
    (tmp_path / ".git").mkdir()  # in a repository, the concise format still names files as given
    assert run_cli(["check", ".", "--format", "concise"]).out.startswith("api-limits.md:3:1:")


# -- F29: SARIF help, files that failed, byte-correct fixes ------------------------------------------


def test_sarif_rules_have_markdown_help_from_the_rule_data(run_cli, tmp_path, monkeypatch):
    import json

    monkeypatch.chdir(tmp_path)
    (tmp_path / "reply.txt").write_text(PAG_REPLY, encoding="utf-8")
    log = json.loads(run_cli(["check", "reply.txt", "--format", "sarif"]).out)
    rules = {rule["id"]: rule for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    from tonecheck._ruleset.load import load_rules

    rule = load_rules().by_code()["PAG003"]
    markdown = rules["PAG003"]["help"]["markdown"]
    assert rule.why in markdown and rule.fix in markdown and "docs/rules/PAG003.md" in markdown
    assert all(example in markdown for example in (*rule.examples.flag, *rule.examples.pass_))
    assert "{" not in markdown.split("**Why.**")[0]  # the message's slots are shown as prose
    # no helpUri: the rule pages have no published address, and SARIF wants an absolute URI there
    assert all("helpUri" not in r for r in rules.values())


@pytest.mark.parametrize("format", ["json", "sarif", "junit"])
def test_a_file_that_failed_to_parse_is_in_the_report_not_only_on_stderr(run_cli, tmp_path, monkeypatch, format):
    import json
    import xml.etree.ElementTree as ET

    monkeypatch.chdir(tmp_path)
    (tmp_path / "reply.txt").write_text(PAG_REPLY, encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"macros": [{"id": 1,, "title": "x"}]}', encoding="utf-8")
    result = run_cli(["check", "reply.txt", "broken.json", "missing.md", "--format", format])
    assert result.code == 2 and "broken.json:1:" in result.err, result
    if format == "json":
        errors = json.loads(result.out)["errors"]
        assert [(e["path"], e["line"]) for e in errors] == [("missing.md", None), ("broken.json", 1)]
        assert "invalid JSON" in errors[1]["message"] and errors[1]["column"] > 1
    elif format == "sarif":
        invocation = json.loads(result.out)["runs"][0]["invocations"][0]
        assert invocation["executionSuccessful"] is False
        notes = invocation["toolExecutionNotifications"]
        assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes] == [
            "missing.md",
            "broken.json",
        ]
        assert notes[1]["level"] == "error" and "invalid JSON" in notes[1]["message"]["text"]
        assert notes[1]["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    else:
        root = ET.fromstring(result.out)
        assert root.get("errors") == "2"
        errored = [c for c in root.iter("testcase") if c.find("error") is not None]
        assert [c.get("file") for c in errored] == ["missing.md", "broken.json"]


def test_a_clean_sarif_run_says_it_succeeded(run_cli, tmp_path, monkeypatch):
    import json

    monkeypatch.chdir(tmp_path)
    (tmp_path / "reply.txt").write_text(PAG_REPLY, encoding="utf-8")
    invocation = json.loads(run_cli(["check", "reply.txt", "--format", "sarif"]).out)["runs"][0]["invocations"][0]
    assert invocation == {"executionSuccessful": True, "toolExecutionNotifications": []}


def _apply_sarif_fix(text: str, fix: dict) -> str:
    """A SARIF fix applied to a file's text (columns count code points: columnKind)."""
    (change,) = fix["artifactChanges"]
    (replacement,) = change["replacements"]
    region = replacement["deletedRegion"]
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    start = starts[region["startLine"] - 1] + region["startColumn"] - 1
    end = starts[region["endLine"] - 1] + region["endColumn"] - 1
    return text[:start] + replacement["insertedContent"]["text"] + text[end:]


BLAME = "Hi Sam,\n\nYou forgot to attach the café’s receipt.\n\nLet me know if there is anything else I can help with.\n\nBest,\nAna\n"


def _zendesk_ascii(text: str) -> str:
    import json

    macro = {"id": 7, "title": "Receipt", "actions": [{"field": "comment_value", "value": text}]}
    return json.dumps({"macros": [macro]}, indent=2)  # ensure_ascii: é and ’ as \\u escapes


def _html(text: str) -> str:
    body = text.replace("café’s", "caf&eacute;&rsquo;s").replace("\n\n", "</p>\n<p>").replace("\n", "<br>\n")
    return f"<p>{body}</p>\n"


@pytest.mark.parametrize(
    ("name", "content", "selected"),
    [
        ("macros.json", _zendesk_ascii(BLAME), "NEG030"),  # the replacement written as \\u escapes
        ("reply.html", _html(BLAME), "NEG030"),  # entities in the deleted region
        ("macros.json", _zendesk_ascii(PAG_REPLY), "PAG003"),  # a removal tidied as --fix tidies it
        ("reply.html", _html(PAG_REPLY), "PAG003"),
        ("reply.txt", PAG_REPLY, "PAG003"),
    ],
)
def test_a_sarif_fix_is_byte_for_byte_what_fix_writes(run_cli, tmp_path, monkeypatch, name, content, selected):
    import json

    monkeypatch.chdir(tmp_path)
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    log = json.loads(run_cli(["check", name, "--format", "sarif", "--select", selected]).out)
    (result,) = log["runs"][0]["results"]
    fixes = result["fixes"]
    assert fixes, result
    result = run_cli(["check", name, "--fix", "--unsafe-fixes", "--select", selected])
    assert "Applied 1 fix" in result.err, result
    written = path.read_text(encoding="utf-8")
    assert written != content
    assert _apply_sarif_fix(content, fixes[0]) == written


# -- F16: `tonecheck config`: TOML, each key's origin, the files a check would lint -------------------


def _team_repo(root):
    (root / "tonecheck.toml").write_text(
        'select = ["PAG", "JAR"]\nglossary = ["SSO"]\n[severity]\njargon = "info"\n'
        '[closing]\nrequired = ["next-step"]\n',
        encoding="utf-8",
    )
    team = root / "team"
    (team / "replies").mkdir(parents=True)
    (team / "drafts").mkdir()
    (team / "tonecheck.toml").write_text(
        'extend = "../tonecheck.toml"\nglossary = ["SAML"]\nextend-exclude = ["drafts"]\n'
        '[per-file-ignores]\n"replies/*.md" = ["PAG003"]\n',
        encoding="utf-8",
    )
    for name in ("replies/a.md", "replies/b.txt", "drafts/c.md", "README.md"):
        (team / name).write_text(PAG_REPLY, encoding="utf-8")
    return team


def test_config_says_where_each_key_came_from(run_cli, tmp_path, monkeypatch):
    import json

    monkeypatch.chdir(_team_repo(tmp_path))
    result = run_cli(["config", ".", "--ignore", "JAR003"])
    origins = json.loads(result.out)["origins"]
    team_file, parent = str(tmp_path / "team" / "tonecheck.toml"), str(tmp_path / "tonecheck.toml")
    assert origins["glossary"] == team_file  # the file overrides the one it extends
    assert origins["select"] == f"{parent} (extended by {team_file})"
    assert origins["severity"] == origins["closing"] == origins["select"]
    assert origins["per-file-ignores"] == team_file
    assert origins["ignore"] == "command line (--ignore)"
    assert origins["fail-on"] == origins["max-file-bytes"] == "default"
    assert json.loads(result.out)["config"]["ignore"] == ["JAR003"]


def test_config_as_toml_reads_back_as_the_same_configuration(run_cli, tmp_path, monkeypatch):
    import tomllib

    team = _team_repo(tmp_path)
    monkeypatch.chdir(team)
    result = run_cli(["config", ".", "--format", "toml", "--preview"])
    assert result.code == 0, result
    assert 'glossary = ["SAML"]  # ' + str(team / "tonecheck.toml") in result.out
    assert "preview = true  # command line (--preview)" in result.out
    assert 'fail-on = "warning"  # default' in result.out
    assert "# baseline is not set  # default" in result.out
    data = tomllib.loads(result.out)
    shown = Config.from_mapping(data)
    from tonecheck._project.discovery import load_project

    assert shown == load_project(team, overrides={"preview": True}).config
    assert data["per-file-ignores"] == {"replies/*.md": ["PAG003"]} and data["severity"] == {"jargon": "info"}


def test_config_show_files_lists_what_check_would_lint(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(_team_repo(tmp_path))
    result = run_cli(["config", ".", "--show-files"])
    assert result.code == 0, result
    assert sorted(result.out.split()) == ["replies/a.md", "replies/b.txt"]  # not README, not drafts/


def test_config_for_a_missing_path_is_an_error(run_cli, tmp_path, monkeypatch):
    from conftest import one_error_line

    monkeypatch.chdir(tmp_path)
    result = run_cli(["config", "nowhere"])
    one_error_line(result, "nowhere", "no such file or folder")
    assert result.code == 2 and result.out == ""
