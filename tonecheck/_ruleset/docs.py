"""The rule reference, generated from the rule data: one Markdown page per rule (what it flags,
why, examples that fail and pass, fix safety, status and measured precision) and an index.
`tonecheck docs` writes it to docs/rules, `tonecheck docs --check` says whether it is current (a
test keeps it current)."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import Any

from .._types import CHANNELS, MODES
from .load import Rule, builtin_rules_dir
from .schema import MatchingRule
from .templates import as_prose


@functools.lru_cache(maxsize=1)
def _measured_entries() -> dict[str, dict[str, int]]:
    try:
        entries = json.loads((builtin_rules_dir() / "measured.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return entries if isinstance(entries, dict) else {}


def measured_entry(code: str) -> dict[str, int] | None:
    """A rule's counts in rules/measured.json, or None (a rule of the team's own, a tool rule)."""
    return _measured_entries().get(code) or None


def measured(code: str) -> str:
    """A rule's measured precision, from rules/measured.json (written by
    `python benchmarks/quality.py --write-measured`), in words."""
    entry = measured_entry(code)
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


def fixes(rule: Rule) -> list[dict[str, Any]]:
    """What a finding of the rule may offer, in the order it is tried: its rewrites, then its
    suggestions; each with its title (slots as "…"), its applicability and what applies it
    (`--fix`, `--fix --unsafe-fixes`, or None: shown, never applied)."""
    if not isinstance(rule, MatchingRule):
        return []
    offered: list[dict[str, Any]] = []
    for kind, items in (("rewrite", rule.rewrites), ("suggestion", rule.suggestions)):
        for item in items:
            applicability = item.applicability.value
            advice = kind == "suggestion" and getattr(item, "replacement", None) is None
            record = {
                "title": as_prose(item.title),
                "kind": "advice" if advice else kind,
                "applicability": applicability,
                "applied_by": None
                if advice or applicability == "display-only"
                else "--fix"
                if applicability == "safe"
                else "--fix --unsafe-fixes",
            }
            if record not in offered:  # rewrites for several shapes often share their title
                offered.append(record)
    return offered


def fix_availability(rule: Rule) -> str:
    """As ruff says it: "sometimes" when a finding of the rule may carry a fix that `--fix`
    (safe) or `--fix --unsafe-fixes` applies (a rewrite is offered only where it reads as good
    English in its context, so never "always"); "never" when the rule only advises."""
    return "sometimes" if any(f["applied_by"] for f in fixes(rule)) else "never"


def fix_column(rule: Rule) -> str:
    """The `fix` column of `tonecheck rules`: the safest fix a finding may carry."""
    applied = {f["applicability"] for f in fixes(rule) if f["applied_by"]}
    return "safe" if "safe" in applied else "unsafe" if applied else "-"


def _fix_safety(rule: Rule) -> str:
    offered = fixes(rule)
    if not offered:
        return "No automatic fix: the finding says what to change."
    lines = []
    for fix in offered:
        what = (
            f"applied by `{fix['applied_by']}`"
            if fix["applied_by"]
            else "advice, never applied"
            if fix["kind"] == "advice"
            else "shown, never applied"
        )
        lines.append(f"- {fix['title']} ({fix['applicability']}: {what})")
    return "\n".join(lines)


def rule_record(rule: Rule, language: str | None = None) -> dict[str, Any]:
    """Everything `tonecheck rule CODE --format json` and `tonecheck rules --format json` give for
    a rule (described by docs/schemas/rules.schema.json)."""
    entry = measured_entry(rule.code)
    judged = entry["real_judged"] if entry else 0
    held = entry["holdout_findings"] if entry else 0
    return {
        "code": rule.code,
        "name": rule.name,
        "category": rule.category,
        "severity": rule.severity.value,
        "status": rule.status,
        "kind": rule.kind,
        "language": language,
        "message": as_prose(rule.message),
        "why": " ".join(rule.why.split()),
        "fix": " ".join(rule.fix.split()),
        "fix_availability": fix_availability(rule),
        "fixes": fixes(rule),
        "modes": list(rule.modes if isinstance(rule, MatchingRule) else MODES),
        "channels": list(rule.channels if isinstance(rule, MatchingRule) else CHANNELS),
        "examples": {
            "flag": list(rule.examples.flag),
            "pass": list(rule.examples.pass_),
            "mode": rule.examples.mode,
            "context": dict(rule.examples.context),
        },
        "measured": None
        if not entry
        else {
            "real_judged": judged,
            "real_correct": entry["real_correct"],
            "real_precision": round(entry["real_correct"] / judged, 4) if judged else None,
            "real_fired": entry["real_fired"],
            "holdout_findings": held,
            "holdout_correct": entry["holdout_correct"],
            "holdout_precision": round(entry["holdout_correct"] / held, 4) if held else None,
            "summary": measured(rule.code),
        },
    }


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
