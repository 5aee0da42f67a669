"""The README's example output is what tonecheck prints today, and no rewrite it or the example
repository shows is ungrammatical (issue 13, F21)."""

from __future__ import annotations

import re
import shlex

import pytest
from conftest import REPO_ROOT

import tonecheck
from tonecheck import Config

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
# ```console blocks whose first line is "$ tonecheck ...": the command, then its exact output
EXAMPLES = re.findall(r"```console\n\$ (tonecheck [^\n]*)\n(.*?)```", README, flags=re.DOTALL)


def test_the_readme_has_example_output():
    assert len(EXAMPLES) >= 2, EXAMPLES


@pytest.mark.parametrize(("command", "shown"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example_output_is_what_tonecheck_prints(run_cli, monkeypatch, command, shown):
    monkeypatch.chdir(REPO_ROOT)
    words = shlex.split(command)[1:]
    stdin = None
    if "<" in words:
        at = words.index("<")
        stdin = (REPO_ROOT / words[at + 1]).read_text(encoding="utf-8")
        words = words[:at] + words[at + 2 :]
    result = run_cli([*words, "--color", "never"], stdin=stdin)
    assert result.out == shown, f"regenerate the README's output of `{command}`:\n{result.out}"


# F21: the review's ungrammatical rewrites. Each is now either rewrites that read as good English
# (the whole sentence after each is given) or advice only (None).
F21 = [
    (
        "As I said in my previous email, refunds take 5 days.",
        "PAG002",
        ("To recap, refunds take 5 days.", "Refunds take 5 days."),
    ),
    ("We can't send a replacement until the parcel is officially marked as lost.", "NEG001", None),
    (
        "Unfortunately we can't ship your order until the warehouse reopens on Monday.",
        "NEG001",
        "We can ship your order once the warehouse reopens on Monday.",
    ),
    # (built-in plain wordings are advice: README, "Rewrites")
    ("Repro steps in the JIRA ticket, HAR file attached.", "JAR001", None),
    ("Your prorated charges are calculated at the end of the month.", "JAR004", None),
    ("To use your own domain, add a CNAME record pointing at help.example.com.", "JAR002", None),
]


@pytest.mark.parametrize(("text", "code", "rewritten"), F21, ids=[code for _, code, _ in F21])
def test_the_reviews_ungrammatical_rewrites_are_good_english_or_advice(text, code, rewritten):
    report = tonecheck.check(text, config=Config(preview=True), mode="saved")
    offered = {
        report.text[: s.start] + s.replacement + report.text[s.end :]
        for f in report.findings
        if f.code == code
        for s in f.suggestions
        if s.replacement is not None and s.start is not None and s.end is not None
    }
    # the rule (or, for a limit stated with its way forward, its note) still says something
    assert any(f.code in (code, "NEG005") for f in report.findings), report.findings
    expected = {rewritten} if isinstance(rewritten, str) else set(rewritten or ())
    assert offered == expected, offered


def test_the_example_repository_shows_no_rewrite_the_review_found_ungrammatical(run_cli, monkeypatch):
    monkeypatch.chdir(REPO_ROOT)
    out = run_cli(["check", "examples/saved-replies", "--preview", "--unsafe-fixes", "--color", "never"]).out
    assert "after:" in out
    for wrong in ("To recap in my", "we can ship", "Unfortunately we can ", "in internal report", "from the parcel"):
        assert wrong.lower() not in out.lower(), wrong
