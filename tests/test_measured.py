"""Rule status follows measurement: a rule runs by default only when it has been measured right at
least 9 times in 10 on real replies written outside the project (or never fires on them and is
right 19 times in 20 on the labelled holdout). The figures live in rules/measured.json, which
`tonecheck rule` shows; these tests check that the file is current and that the statuses obey it."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import REPO_ROOT

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
    now = real_judged.measure_rules(real_judged.every_rule())
    assert now == MEASURED, "rules/measured.json is stale: run `python benchmarks/quality.py --write-measured`"


def test_tonecheck_rule_shows_the_measured_figures(run_cli):
    result = run_cli(["rule", "NEG001"])
    entry = MEASURED["NEG001"]
    assert f"over {entry['real_judged']} findings" in result.out
    assert "preview" in result.out.split("\n", 1)[0]


def _one_reply_corpus(folder, text, **extra):
    """A real corpus of one reply (`src/replies.jsonl`, id r1) in `folder`, and its `reply` record."""
    (folder / "src").mkdir()
    (folder / "src" / "replies.jsonl").write_text(json.dumps({"id": "r1", "text": text}) + "\n", encoding="utf-8")
    record = {"kind": "reply", "file": "src/replies.jsonl", "id": "r1", "part": "tuning", "mode": "draft"}
    return {**record, "recall": False, **extra}


def test_a_note_has_verdicts_of_its_own(tmp_path):
    """A note (kind: note) remarks on text that is fine: a verdict on a finding of its category on
    the same span ("no refusal here") is not a verdict on the note, which needs its own."""
    from types import SimpleNamespace

    assert "NEG005" in real_judged.note_codes() and "NEG001" not in real_judged.note_codes()
    reply = _one_reply_corpus(tmp_path, "We can't add that yet, but I've passed it on.")
    span = {"file": "src/replies.jsonl", "id": "r1", "start": 0, "end": 8, "category": "negative-language"}
    refusal_wrong = {"kind": "finding", **span, "code": "NEG001", "match": "We can't", "verdict": "wrong"}
    findings = [
        SimpleNamespace(code=code, category="negative-language", start=0, end=8, match="We can't", message="m")
        for code in ("NEG001", "NEG005")
    ]
    for f in findings:
        f.suggestions = ()

    def figures(records):
        return real_judged.evaluate(lambda r: findings, part=None, records=records, real=tmp_path).per_rule

    judged = figures([reply, refusal_wrong])
    assert judged["NEG001"]["wrong"] == 1 and judged["NEG005"] == {"unjudged": 1}
    note_right = {"kind": "finding", **span, "code": "NEG005", "match": "We can't", "verdict": "correct"}
    judged = figures([reply, refusal_wrong, note_right])
    assert judged["NEG001"]["wrong"] == 1 and judged["NEG005"] == {"correct": 1}


def test_a_narrowing_rules_findings_on_its_own_draws_reach_the_judge(tmp_path):
    """A reply drawn to judge a narrowing rule (NEG007) shows its finding to the judge: a run with
    preview rules reports the source rule there (NEG004) and so never lists the narrowing rule's
    finding, which `every_rule` (what `--dump-unjudged` uses with `--preview`) does."""
    import tonecheck

    records = [
        _one_reply_corpus(tmp_path, "Sorry, the voucher cannot be transferred. Thanks - Jo", supplement="NEG007")
    ]
    every = real_judged.every_rule()
    listed = real_judged.evaluate(lambda r: every(r.text, r.mode), part=None, records=records, real=tmp_path)
    assert [(row["code"], row["match"]) for row in listed.unjudged] == [("NEG007", "cannot be transferred")]
    preview = tonecheck.Config(preview=True)
    unseen = real_judged.evaluate(
        lambda r: tonecheck.check(r.text, mode=r.mode, config=preview).findings,
        part=None,
        records=records,
        real=tmp_path,
    )
    assert unseen.unjudged == []
