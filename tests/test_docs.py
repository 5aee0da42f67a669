"""Docs from the rules (issue 13): the rule reference in docs/rules and the JSON Schemas in
docs/schemas are generated from the rule data and the models, and kept current; the schemas
validate real output and configuration."""

from __future__ import annotations

import json
import shutil
import tomllib

import jsonschema
from conftest import REPO_ROOT

DOCS = REPO_ROOT / "docs"


def test_the_checked_in_rule_reference_and_schemas_are_current(run_cli):
    result = run_cli(["docs", "--check", str(DOCS)])
    assert result.code == 0, f"{result.err} (regenerate with `tonecheck docs`)"


def test_docs_check_notices_a_stale_or_stray_page(run_cli, tmp_path):
    copy = tmp_path / "docs"
    shutil.copytree(DOCS, copy)
    (copy / "rules" / "PAG003.md").write_text("# edited by hand\n", encoding="utf-8")
    (copy / "rules" / "OLD001.md").write_text("# a removed rule\n", encoding="utf-8")
    result = run_cli(["docs", "--check", str(copy)])
    assert result.code == 1 and "PAG003.md" in result.err and "OLD001.md" in result.err, result
    assert run_cli(["docs", str(copy)]).code == 0
    assert run_cli(["docs", "--check", str(copy)]).code == 0
    assert not (copy / "rules" / "OLD001.md").exists()


def test_every_rule_has_a_page_with_examples_fix_safety_and_measurement(run_cli):
    import tonecheck
    from tonecheck._engine.linter import get_engine

    rules = get_engine(tonecheck.Config()).ruleset.rules
    index = (DOCS / "rules" / "README.md").read_text(encoding="utf-8")
    for rule in rules:
        page = (DOCS / "rules" / f"{rule.code}.md").read_text(encoding="utf-8")
        for heading in ("## What it flags", "## Why", "## Flagged", "## Not flagged", "## Fix safety", "## Measured"):
            assert heading in page, (rule.code, heading)
        assert f"status: {rule.status}" in page
        assert "{" + "syntax}" not in page and "{" + "problem}" not in page and "{" + "match}" not in page
        assert f"[{rule.code}]({rule.code}.md)" in index


def test_the_output_schema_validates_real_json_output(run_cli, monkeypatch):
    monkeypatch.chdir(REPO_ROOT)
    schema = json.loads((DOCS / "schemas" / "output.schema.json").read_text(encoding="utf-8"))
    result = run_cli(["check", "examples/saved-replies", "tests/data/formats", "--preview", "--format", "json"])
    payload = json.loads(result.out)
    assert sum(len(f["findings"]) for f in payload["files"]) > 5
    jsonschema.validate(payload, schema)
    payload["files"][0]["findings"] = [{"code": "X"}]
    try:
        jsonschema.validate(payload, schema)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("the schema accepted a finding without its fields")


def test_the_config_schema_validates_the_example_configuration():
    schema = json.loads((DOCS / "schemas" / "config.schema.json").read_text(encoding="utf-8"))
    config = tomllib.loads((REPO_ROOT / "examples" / "saved-replies" / "tonecheck.toml").read_text("utf-8"))
    jsonschema.validate(config, schema)
    try:
        jsonschema.validate({"glosary": ["x"]}, schema)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("the schema accepted an unknown key")
