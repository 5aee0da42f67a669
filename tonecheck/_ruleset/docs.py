"""The rule reference, generated from the rule data: one Markdown page per rule (what it flags,
why, examples that fail and pass, fix safety, status and measured precision) and an index.
`tonecheck docs` writes it to docs/rules, `tonecheck docs --check` says whether it is current (a
test keeps it current)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .load import Rule, builtin_rules_dir
from .schema import MatchingRule
from .templates import as_prose


def measured(code: str) -> str:
    """A rule's measured precision, from rules/measured.json (written by
    `python benchmarks/quality.py --write-measured`), in words."""
    try:
        entry = json.loads((builtin_rules_dir() / "measured.json").read_text(encoding="utf-8")).get(code)
    except (OSError, ValueError):
        entry = None
    if not entry:
        return "not measured (a rule of your own, or a tool rule)"
    judged, correct = entry["real_judged"], entry["real_correct"]
    real = (
        f"judged precision on real replies {correct / judged:.2f} over {judged} findings"
        if judged
        else "no judged finding on real replies"
    )
    fired = (
        f"fires {entry['real_fired']} times on the real replies"
        if entry["real_fired"]
        else "never fires on real replies"
    )
    held = entry["holdout_findings"]
    holdout = (
        f"precision on the labelled holdout {entry['holdout_correct'] / held:.2f} over {held} findings"
        if held
        else "no finding on the labelled holdout"
    )
    return f"{real}; {fired}; {holdout}"


def _fix_safety(rule: Rule) -> str:
    if not isinstance(rule, MatchingRule) or not rule.suggestions:
        return "No automatic fix: the finding says what to change."
    lines = []
    for suggestion in rule.suggestions:
        kind = suggestion.applicability.value
        what = (
            "applied by `--fix`"
            if kind == "safe"
            else "applied by `--fix --unsafe-fixes`"
            if kind == "unsafe"
            else "shown, never applied"
        )
        if suggestion.replacement is None:
            what = "advice, never applied"
        lines.append(f"- {as_prose(suggestion.title)} ({kind}: {what})")
    return "\n".join(lines)


def _block(example: str) -> str:
    return "\n".join(f"    {line}" for line in example.split("\n"))


def rule_page(rule: Rule) -> str:
    modes = getattr(rule, "modes", ("draft", "saved"))
    out = [
        f"# {rule.code} {rule.name}\n",
        f"Category: {rule.category} · severity: {rule.severity.value} · status: {rule.status} · kind: {rule.kind}"
        + (f" · modes: {', '.join(modes)}" if tuple(modes) != ("draft", "saved") else "")
        + "\n",
        f"## What it flags\n\n{as_prose(rule.message)}\n",
        f"## Why\n\n{rule.why}\n",
        f"## What to do\n\n{rule.fix}\n",
        "## Flagged\n\n" + "\n\n".join(_block(e) for e in rule.examples.flag) + "\n",
        "## Not flagged\n\n" + "\n\n".join(_block(e) for e in rule.examples.pass_) + "\n",
        f"## Fix safety\n\n{_fix_safety(rule)}\n",
        f"## Measured\n\n{measured(rule.code)[:1].upper()}{measured(rule.code)[1:]}.\n",
    ]
    if rule.status == "preview":
        out.append("Preview rules run with `--preview` (`preview = true`) or when selected by exact code or name.\n")
    return "\n".join(out)


def index_page(rules: Sequence[Rule]) -> str:
    rows = "".join(
        f"| [{r.code}]({r.code}.md) | {r.name} | {r.category} | {r.severity.value} | {r.status} |\n"
        for r in sorted(rules, key=lambda r: r.code)
    )
    return (
        "# Rule reference\n\nGenerated from the rule files by `tonecheck docs`; do not edit by hand.\n\n"
        "| code | name | category | severity | status |\n|---|---|---|---|---|\n" + rows
    )


def pages(rules: Sequence[Rule]) -> dict[str, str]:
    """File name -> content: one page per rule and README.md, the index."""
    found = {f"{rule.code}.md": rule_page(rule) for rule in rules}
    found["README.md"] = index_page(rules)
    return found
