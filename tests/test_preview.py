"""Rule status and the default selection.

Stable rules run by default. A preview rule (not yet measured right 9 times in 10 on real replies)
runs only when asked for: `Config(preview=True)`, `preview = true` in the configuration file,
`--preview` on the command line, or a selector naming its exact code (`--select NEG001`); a code
prefix or a category selects only the stable rules under it. `ignore` always wins.

The built-in rules used here are picked by their status, so the tests hold whichever rules are
in preview at the time.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import wrap_reply

import tonecheck
from tonecheck import Config, RuleError
from tonecheck._ruleset.load import load_rules

RULES = load_rules().rules
STATUSES = ("stable", "preview")


def _plain(rule) -> bool:
    """A rule whose examples need no mode or context of their own."""
    return rule.examples.mode == "draft" and not rule.examples.context


# One stable and one preview rule of the same category (and so of the same code prefix), and a
# reply with one problem for each.
CATEGORY = "passive-aggressive"
STABLE = next(r for r in RULES if r.category == CATEGORY and r.status == "stable" and _plain(r))


def _pair_text(preview_rule) -> str:
    return wrap_reply(f"{STABLE.examples.flag[0]} {preview_rule.examples.flag[0]}")


def _stands_cleanly(rule) -> bool:
    """The pair reply gives exactly the two rules' findings, with every rule on."""
    found = {f.code for f in tonecheck.check(_pair_text(rule), config=Config(preview=True)).findings}
    return found == {STABLE.code, rule.code}


# a preview rule of the same category whose example stands beside the stable rule's cleanly
PREVIEW = next(
    r for r in RULES if r.category == CATEGORY and r.status == "preview" and _plain(r) and _stands_cleanly(r)
)
PREFIX = PREVIEW.code[:3]
TEXT = _pair_text(PREVIEW)
BOTH = {STABLE.code, PREVIEW.code}


def codes(report: tonecheck.Report) -> set[str]:
    return {f.code for f in report.findings}


def test_every_rule_declares_a_known_status_and_both_are_in_use():
    assert {r.status for r in RULES} == set(STATUSES)


def test_the_sample_reply_has_one_problem_for_each_rule():
    assert STABLE.code.startswith(PREFIX) and STABLE.status == "stable" and PREVIEW.status == "preview"
    assert codes(tonecheck.check(TEXT, config=Config(preview=True))) == BOTH


# -- the library -------------------------------------------------------------------------------


def test_a_preview_rule_does_not_run_by_default():
    assert codes(tonecheck.check(TEXT)) == {STABLE.code}
    assert codes(tonecheck.check(TEXT, config=Config())) == {STABLE.code}
    assert Config().preview is False


def test_config_preview_runs_preview_rules_too():
    assert codes(tonecheck.check(TEXT, config=Config(preview=True))) == BOTH
    assert codes(tonecheck.check(TEXT, config=Config.from_mapping({"preview": True}))) == BOTH


def test_selecting_the_exact_code_runs_a_preview_rule():
    assert codes(tonecheck.check(TEXT, config=Config(select=(PREVIEW.code,)))) == {PREVIEW.code}
    assert codes(tonecheck.check(TEXT, config=Config(select=(STABLE.code, PREVIEW.code)))) == BOTH
    # extend-select adds it to the default selection
    assert codes(tonecheck.check(TEXT, config=Config(extend_select=(PREVIEW.code,)))) == BOTH


@pytest.mark.parametrize("selector", [PREFIX, PREFIX.lower(), PREVIEW.code[:4], CATEGORY])
def test_a_prefix_or_category_selects_only_the_stable_rules_under_it(selector):
    assert PREVIEW.code.startswith(selector.upper()) or selector == CATEGORY
    stable_under_it = STABLE.code.startswith(selector.upper()) or selector == CATEGORY
    assert codes(tonecheck.check(TEXT, config=Config(select=(selector,)))) == (
        {STABLE.code} if stable_under_it else set()
    )
    assert PREVIEW.code not in codes(tonecheck.check(TEXT, config=Config(extend_select=(selector,))))
    # with preview on, the same selector takes the preview rules under it too
    assert PREVIEW.code in codes(tonecheck.check(TEXT, config=Config(preview=True, select=(selector,))))


def test_ignore_wins_over_preview_and_exact_selection():
    by_code = Config(select=(PREVIEW.code,), ignore=(PREVIEW.code,))
    assert tonecheck.check(TEXT, config=by_code).findings == ()
    by_category = Config(extend_select=(PREVIEW.code,), ignore=(CATEGORY,))
    assert codes(tonecheck.check(TEXT, config=by_category)) & BOTH == set()
    assert codes(tonecheck.check(TEXT, config=Config(preview=True, ignore=(PREVIEW.code,)))) == {STABLE.code}
    assert codes(tonecheck.check(TEXT, config=Config(preview=True, ignore=(PREFIX,)))) & BOTH == set()
    # and the per-call ignore of the library
    assert codes(tonecheck.check(TEXT, config=Config(preview=True), ignore=[PREVIEW.name])) == {STABLE.code}


@pytest.mark.parametrize("rule", [r for r in RULES if r.kind != "tool"], ids=lambda r: r.code)
def test_each_rule_runs_by_default_exactly_when_it_is_stable(rule):
    """Each rule alone (every other rule ignored): its flag examples are flagged by default if
    it is stable and never if it is preview; with preview on they are flagged either way."""
    others = tuple(r.code for r in RULES if r.code != rule.code)
    context = dict(rule.examples.context) or None

    def flagged(config: Config) -> list[bool]:
        return [
            any(
                f.code == rule.code
                for f in tonecheck.check(ex, mode=rule.examples.mode, context=context, config=config).findings
            )
            for ex in rule.examples.flag
        ]

    assert flagged(Config(ignore=others)) == [rule.status == "stable"] * len(rule.examples.flag)
    assert all(flagged(Config(ignore=others, preview=True)))


# -- a rule pack's own status ------------------------------------------------------------------


def _pack(tmp_path: Path, **second: object) -> str:
    def rule(code: str, name: str, phrase: str, **extra: object) -> dict:
        return {
            "code": code,
            "name": name,
            "kind": "phrase",
            "message": '"{match}" is a test.',
            "why": "Testing.",
            "fix": "Do not.",
            "phrases": [phrase],
            "examples": {"flag": [f"We {phrase} today."], "pass": ["We fix it today."]},
            **extra,
        }

    pack = {
        "category": "jargon",
        "rules": [
            rule("TST001", "frobnicate", "frobnicate the widget"),  # no status: stable
            rule("TST002", "zorble", "zorble the gadget", **second),
        ],
    }
    (tmp_path / "pack.yml").write_text(yaml.safe_dump(pack, sort_keys=False), encoding="utf-8")
    return str(tmp_path)


PACK_TEXT = "We frobnicate the widget and zorble the gadget."


def test_a_rule_packs_preview_rule_follows_the_same_selection(tmp_path):
    path = _pack(tmp_path, status="preview")
    assert {r.code: r.status for r in load_rules((path,)).rules if r.code.startswith("TST")} == {
        "TST001": "stable",
        "TST002": "preview",
    }

    def found(**config: object) -> set[str]:
        report = tonecheck.check(PACK_TEXT, config=Config(rule_paths=(path,), **config))
        return codes(report) & {"TST001", "TST002"}

    assert found() == {"TST001"}
    assert found(preview=True) == {"TST001", "TST002"}
    assert found(select=("TST",)) == {"TST001"}
    assert found(select=("jargon",)) == {"TST001"}
    assert found(select=("TST002",)) == {"TST002"}
    assert found(select=("TST002",), ignore=("TST002",)) == set()


def test_an_unknown_status_is_a_rule_error_naming_the_field(tmp_path):
    path = _pack(tmp_path, status="beta")
    with pytest.raises(RuleError) as raised:
        load_rules((path,))
    message = str(raised.value)
    assert "pack.yml" in message and "TST002" in message and "status" in message, message


# -- the configuration file and the command line -----------------------------------------------


def _found(run_cli, *args: str) -> tuple[int, set[str]]:
    result = run_cli(["check", "--format", "json", *args])
    assert "Traceback" not in result.err, result
    payload = json.loads(result.out)
    return result.code, {f["code"] for entry in payload["files"] for f in entry["findings"]}


@pytest.fixture
def reply(tmp_path, monkeypatch) -> str:
    (tmp_path / "reply.txt").write_text(TEXT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return "reply.txt"


def test_the_command_line_runs_stable_rules_by_default(run_cli, reply):
    assert _found(run_cli, reply)[1] == {STABLE.code}
    shown = json.loads(run_cli(["config", reply]).out)
    assert shown["config"]["preview"] is False


def test_preview_option(run_cli, reply):
    assert _found(run_cli, "--preview", reply)[1] == BOTH


@pytest.mark.parametrize(
    "name, content",
    [
        ("tonecheck.toml", "preview = true\n"),
        (".tonecheck.toml", "preview = true\n"),
        ("pyproject.toml", "[tool.tonecheck]\npreview = true\n"),
    ],
)
def test_preview_in_the_configuration_file(run_cli, reply, tmp_path, name, content):
    (tmp_path / name).write_text(content, encoding="utf-8")
    assert _found(run_cli, reply)[1] == BOTH
    shown = json.loads(run_cli(["config", reply]).out)
    assert shown["config"]["preview"] is True


def test_preview_option_turns_preview_on_over_the_configuration_file(run_cli, reply, tmp_path):
    (tmp_path / "tonecheck.toml").write_text("preview = false\n", encoding="utf-8")
    assert _found(run_cli, reply)[1] == {STABLE.code}
    assert _found(run_cli, "--preview", reply)[1] == BOTH


def test_a_bad_preview_value_is_a_configuration_error(run_cli, reply, tmp_path):
    (tmp_path / "tonecheck.toml").write_text('preview = "maybe"\n', encoding="utf-8")
    result = run_cli(["check", reply])
    assert result.code == 2, result
    assert "'preview'" in result.err and "tonecheck.toml" in result.err, result


def test_select_on_the_command_line(run_cli, reply):
    # the exact code runs a preview rule ...
    assert _found(run_cli, "--select", PREVIEW.code, reply)[1] == {PREVIEW.code}
    assert _found(run_cli, "--extend-select", PREVIEW.code, reply)[1] == BOTH
    # ... a prefix or a category selects only the stable rules under it
    assert _found(run_cli, "--select", PREFIX, reply)[1] == {STABLE.code}
    assert _found(run_cli, "--select", CATEGORY, reply)[1] == {STABLE.code}
    assert _found(run_cli, "--preview", "--select", PREFIX, reply)[1] == BOTH


def test_select_of_the_exact_code_in_the_configuration_file(run_cli, reply, tmp_path):
    (tmp_path / "tonecheck.toml").write_text(f'select = ["{PREVIEW.code}"]\n', encoding="utf-8")
    assert _found(run_cli, reply)[1] == {PREVIEW.code}
    (tmp_path / "tonecheck.toml").write_text(f'select = ["{PREFIX}"]\n', encoding="utf-8")
    assert _found(run_cli, reply)[1] == {STABLE.code}


def test_ignore_wins_on_the_command_line(run_cli, reply, tmp_path):
    assert _found(run_cli, "--select", PREVIEW.code, "--ignore", PREVIEW.code, reply) == (0, set())
    assert _found(run_cli, "--preview", "--ignore", PREVIEW.code, reply)[1] == {STABLE.code}
    assert _found(run_cli, "--extend-select", PREVIEW.code, "--ignore", CATEGORY, reply)[1] & BOTH == set()
    (tmp_path / "tonecheck.toml").write_text(
        f'preview = true\n[per-file-ignores]\n"*.txt" = ["{PREVIEW.code}"]\n', encoding="utf-8"
    )
    assert _found(run_cli, reply)[1] == {STABLE.code}
    assert _found(run_cli, "--ignore", STABLE.code, reply)[1] == set()


# -- the README, with the default selection ----------------------------------------------------


def test_readme_commands_and_json_example_hold_with_the_default_selection(run_cli, tmp_path, monkeypatch):
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    monkeypatch.chdir(root)
    # "lint the example saved-reply repository (exit code 1 means it found problems, as it should)"
    assert run_cli(["check", "examples/saved-replies"]).code == 1
    # the pre-send hook: `tonecheck check --customer-name Sara < examples/draft-reply.txt`
    draft = (root / "examples" / "draft-reply.txt").read_text(encoding="utf-8")
    result = run_cli(["check", "--customer-name", "Sara"], stdin=draft)
    assert result.code == 1 and "TPL001" in result.out, result
    # the JSON output example is what the default rules give for a reply that opens with its match
    block = readme.split("JSON output is one object:", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    shown = json.loads(block.replace('"…"', '""'))
    [expected] = shown["files"][0]["findings"]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reply.txt").write_text(expected["match"] + ", the invoice is attached.\n", encoding="utf-8")
    payload = json.loads(run_cli(["check", "--format", "json", "reply.txt"]).out)
    [got] = payload["files"][0]["findings"]
    assert {**got, "message": ""} == expected
