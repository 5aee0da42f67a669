"""A team's own rules (issue 13, F33/F34): loaded through `rule-paths`, they show in `tonecheck
rules` and `tonecheck rule`, `tonecheck test-rules` runs their examples, and a team pack may
declare a category of its own, which selectors, every output and the JSON Schemas accept."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import REPO_ROOT

import tonecheck
from tonecheck import Config, RuleError
from tonecheck._ruleset import load as load_module

SCHEMAS = REPO_ROOT / "docs" / "schemas"

TEAM_PACK = """\
category: house-style
rules:
  - code: ACM001
    name: say-acme-team
    kind: phrase
    message: '"{match}": we sign as the Acme team.'
    why: Our replies come from the team, not from a department.
    fix: Say "the Acme team".
    phrases: ["support department", "customer service department"]
    suggestions:
      - {title: Say "the Acme team", replacement: the Acme team, applicability: unsafe}
    examples:
      flag: ["The support department will call you.", "Ask the customer service department."]
      pass: ["The Acme team will call you.", "The department store is closed."]
"""

BROKEN_PACK = """\
category: house-style
rules:
  - code: ACM002
    name: no-frobnicate
    kind: phrase
    message: '"{match}" is our internal word.'
    why: Customers do not know it.
    fix: Say what we do.
    phrases: ["frobnicate"]
    examples:
      flag: ["We frobnicate it.", "We fix it."]
      pass: ["We fix it.", "We frobnicate."]
"""

REPLY = (
    "Hi Sam,\n\nThe support department will call you tomorrow. Let me know if you need anything else.\n\nBest,\nAna\n"
)


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A saved-reply repository whose tonecheck.toml loads the team's pack; the working folder."""
    root = tmp_path / "macros"
    (root / "acme-rules").mkdir(parents=True)
    (root / "acme-rules" / "house.yml").write_text(TEAM_PACK, encoding="utf-8")
    (root / "tonecheck.toml").write_text('rule-paths = ["acme-rules"]\n', encoding="utf-8")
    (root / "reply.txt").write_text(REPLY, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


# -- rules and rule --------------------------------------------------------------------------


def test_team_rules_show_in_rules_and_rule(run_cli, team, monkeypatch):
    listed = run_cli(["rules"]).out.splitlines()
    row = next(line.split() for line in listed if line.startswith("ACM001"))
    assert row == ["ACM001", "say-acme-team", "house-style", "warning", "stable", "unsafe", "phrase"]
    codes = [line.split()[0] for line in listed[1:-1]]
    assert codes == sorted(codes)
    shown = run_cli(["rule", "ACM001"])
    assert shown.code == 0, shown
    assert shown.out.startswith("ACM001 say-acme-team (house-style, warning, stable, kind: phrase)")
    assert "  ✗ The support department will call you.\n" in shown.out
    assert "not measured (a rule of your own" in shown.out
    record = json.loads(run_cli(["rule", "acm001", "--format", "json"]).out)
    assert record["category"] == "house-style" and record["measured"] is None and record["language"] == "en"
    assert record["fixes"] == [
        {"title": 'Say "the Acme team"', "kind": "suggestion", "applicability": "unsafe",
         "applied_by": "--fix --unsafe-fixes"}
    ]  # fmt: skip
    # the configuration is found upward from the current folder, as `check` finds it
    monkeypatch.chdir(team / "acme-rules")
    assert any(line.startswith("ACM001") for line in run_cli(["rules"]).out.splitlines())
    assert run_cli(["test-rules"]).code == 0


def test_the_rules_schema_validates_rules_and_rule_json(run_cli, team):
    schema = _schema("rules.schema.json")
    listed = json.loads(run_cli(["rules", "--format", "json"]).out)
    assert {"ACM001", "PAG003", "TON100", "TPL005"} <= {r["code"] for r in listed}
    jsonschema.validate(listed, schema)
    jsonschema.validate(json.loads(run_cli(["rule", "TPL005", "--format", "json"]).out), schema)
    broken = dict(listed[0])
    del broken["why"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([broken], schema)
    with pytest.raises(jsonschema.ValidationError):  # a category is kebab-case words
        jsonschema.validate([{**listed[0], "category": "House Style"}], schema)


# -- a category of the team's own -------------------------------------------------------------


def test_a_custom_category_is_reported_selected_and_ignored_like_a_built_in_one(run_cli, team):
    result = run_cli(["check", "reply.txt", "--format", "json"])
    assert result.code == 1, result
    payload = json.loads(result.out)
    jsonschema.validate(payload, _schema("output.schema.json"))
    (finding,) = [f for f in payload["files"][0]["findings"] if f["code"] == "ACM001"]
    assert finding["category"] == "house-style" and finding["match"] == "support department"

    only = json.loads(run_cli(["check", "reply.txt", "--format", "json", "--select", "house-style"]).out)
    assert {f["code"] for f in only["files"][0]["findings"]} == {"ACM001"}
    assert run_cli(["check", "reply.txt", "--ignore", "house-style"]).code == 0
    typo = run_cli(["check", "reply.txt", "--select", "house-styl"])
    assert typo.code == 2 and "did you mean 'house-style'" in typo.err, typo

    sarif = json.loads(run_cli(["check", "reply.txt", "--format", "sarif"]).out)
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert next(r for r in rules if r["id"] == "ACM001")["properties"]["category"] == "house-style"


def test_a_custom_category_in_the_library(team):
    config = Config(rule_paths=(str(team / "acme-rules"),))
    report = tonecheck.check(REPLY, config=config)
    assert [f.code for f in report.by_category("house-style")] == ["ACM001"]
    narrowed = tonecheck.check(REPLY, config=Config(rule_paths=config.rule_paths, select=("house-style",)))
    assert [f.category for f in narrowed.findings] == ["house-style"]


def test_the_audit_counts_a_custom_category(run_cli, team):
    (team / "replies.jsonl").write_text(json.dumps({"text": REPLY}) + "\n" + json.dumps({"text": "Done!"}) + "\n")
    result = run_cli(["audit", "replies.jsonl", "--format", "json", "--exit-zero"])
    assert result.code == 0, result
    report = json.loads(result.out)
    assert report["by_category"]["house-style"]["findings"] == 1
    assert list(report["by_category"])[:5] == list(tonecheck.CATEGORIES)
    html = run_cli(["audit", "replies.jsonl", "--format", "html", "--exit-zero"])
    assert html.code == 0 and "house-style" in html.out, html.err


@pytest.mark.parametrize(
    ("category", "error"),
    [
        ("House Style", "'House Style' is neither a built-in category"),
        ("suppression", "category 'suppression' is for tool rules only"),
    ],
)
def test_a_bad_custom_category_is_a_rule_error(tmp_path, category, error):
    pack = tmp_path / "bad.yml"
    pack.write_text(TEAM_PACK.replace("category: house-style", f"category: {category}"), encoding="utf-8")
    with pytest.raises(RuleError, match=error):
        load_module.load_rules((str(pack),))


def test_a_built_in_pack_keeps_to_the_five_categories(tmp_path, monkeypatch):
    folder = tmp_path / "rules" / "en" / "house-style"
    folder.mkdir(parents=True)
    (folder / "house.yml").write_text(TEAM_PACK, encoding="utf-8")
    monkeypatch.setattr(load_module, "builtin_rules_dir", lambda: tmp_path / "rules")
    with pytest.raises(RuleError, match="a built-in pack's category is one of negative-language"):
        load_module._load_pack(folder / "house.yml", "en")


# -- test-rules -------------------------------------------------------------------------------


def test_test_rules_passes_on_rules_whose_examples_hold(run_cli, team):
    result = run_cli(["test-rules"])
    assert result.code == 0, result
    assert result.out == "Tested 1 rule, 4 examples: all passed.\n"


def test_test_rules_fails_naming_the_rule_and_the_example(run_cli, team):
    (team / "acme-rules" / "broken.yml").write_text(BROKEN_PACK, encoding="utf-8")
    result = run_cli(["test-rules"])
    assert result.code == 1, result
    lines = result.out.splitlines()
    source = str((team / "acme-rules" / "broken.yml").resolve())
    assert lines[0] == f'{source}: ACM002 no-frobnicate: flag example 2 is not flagged by the rule: "We fix it."'
    assert lines[1] == f'{source}: ACM002 no-frobnicate: pass example 2 is flagged: "frobnicate": "We frobnicate."'
    assert lines[2] == "Tested 2 rules, 8 examples: 2 failed in 1 rule."
    # paths given: only their rules
    only = run_cli(["test-rules", str(team / "acme-rules" / "house.yml")])
    assert only.code == 0 and only.out.startswith("Tested 1 rule,"), only


def test_test_rules_without_rules_to_test_is_a_usage_error(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli(["test-rules"])
    assert result.code == 2 and "no rules to test" in result.err, result


def test_test_rules_builtin_checks_a_broken_built_in_example(run_cli, tmp_path, monkeypatch):
    """--builtin tests tonecheck's own rules (all pass: tests/test_rule_files.py checks them one by
    one); a team pack tested alongside still fails on its own examples."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.yml").write_text(BROKEN_PACK, encoding="utf-8")
    result = run_cli(["test-rules", "--builtin", "--quiet", str(tmp_path / "broken.yml")])
    assert result.code == 1, result
    assert [line.split()[1] for line in result.out.splitlines()] == ["ACM002", "ACM002"]
