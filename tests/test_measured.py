"""Rule status follows measurement: a rule runs by default only when it has been measured right at
least 9 times in 10 on real replies written outside the project (or never fires on them and is
right 19 times in 20 on the labelled holdout). The figures live in rules/measured.json, which
`tonecheck rule` shows; these tests check that the file is current and that the statuses obey it."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import REPO_ROOT

import tonecheck
from tonecheck._ruleset.load import load_rules

sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
import real_judged

MEASURED = json.loads(real_judged.MEASURED.read_text(encoding="utf-8"))
RULES = [rule for rule in load_rules().rules if rule.kind != "tool"]


@pytest.mark.parametrize("rule", [r for r in RULES if r.status == "stable"], ids=lambda r: r.code)
def test_a_stable_rule_meets_the_bar(rule):
    assert real_judged.may_be_stable(MEASURED.get(rule.code)), (rule.code, MEASURED.get(rule.code))


def test_the_bar_itself():
    base = {
        "real_judged": 0,
        "real_correct": 0,
        "real_unjudged": 0,
        "real_fired": 0,
        "holdout_findings": 0,
        "holdout_correct": 0,
    }
    assert real_judged.may_be_stable({**base, "real_judged": 20, "real_correct": 18, "real_fired": 25})
    assert not real_judged.may_be_stable({**base, "real_judged": 20, "real_correct": 17, "real_fired": 25})
    assert not real_judged.may_be_stable({**base, "real_judged": 19, "real_correct": 19, "real_fired": 19})
    assert not real_judged.may_be_stable({**base, "real_judged": 20, "real_correct": 20, "real_unjudged": 1})
    assert real_judged.may_be_stable({**base, "holdout_findings": 20, "holdout_correct": 19})
    assert not real_judged.may_be_stable({**base, "holdout_findings": 20, "holdout_correct": 18})
    assert not real_judged.may_be_stable({**base, "real_fired": 1, "holdout_findings": 5, "holdout_correct": 5})
    assert not real_judged.may_be_stable(None)


def test_the_measured_figures_are_current():
    assert real_judged.REAL.is_dir(), "the shared real corpus (../shared/corpora/real) must be beside the repository"
    linter = tonecheck.Linter(tonecheck.Config(preview=True))
    now = real_judged.measure_rules(lambda text, mode: linter.check(text, mode=mode).findings)
    assert now == MEASURED, "rules/measured.json is stale: run `python benchmarks/quality.py --write-measured`"


def test_tonecheck_rule_shows_the_measured_figures(run_cli):
    result = run_cli(["rule", "NEG001"])
    entry = MEASURED["NEG001"]
    assert f"over {entry['real_judged']} findings" in result.out
    assert "preview" in result.out.split("\n", 1)[0]
