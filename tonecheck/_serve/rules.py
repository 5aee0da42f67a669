"""Rule descriptions for /v1/rules: the one place the service reads rule objects.

Every other part of the service sees rules through `describe` and `rule_index`, so a change to
the rule schema touches this adapter only.
"""

from __future__ import annotations

from typing import Any

from .._engine.linter import Engine


def _get(rule: Any, name: str, default: Any = None) -> Any:
    return getattr(rule, name, default)


def describe(rule: Any, engine: Engine) -> dict[str, Any]:
    """A rule as JSON: identity, the severity this configuration gives it, whether it runs, and
    its documentation (what it flags, why, the fix, examples, suggestions)."""
    code = _get(rule, "code")
    severity = engine.severities.get(code, _get(rule, "severity"))
    examples = _get(rule, "examples")
    suggestions = _get(rule, "suggestions", ()) or ()
    rewrites = _get(rule, "rewrites", ()) or ()
    return {
        "code": code,
        "name": _get(rule, "name"),
        "category": _get(rule, "category"),
        "severity": getattr(severity, "value", severity),
        "status": _get(rule, "status", "stable"),
        "enabled": code in engine.rules,
        "message": _get(rule, "message"),
        "why": _get(rule, "why"),
        "fix": _get(rule, "fix"),
        "modes": list(_get(rule, "modes", ("draft", "saved")) or ()),
        "examples": {
            "flag": list(getattr(examples, "flag", ()) or ()),
            "pass": list(getattr(examples, "pass_", ()) or ()),
        },
        "suggestions": [
            {"title": s.title, "applicability": getattr(s.applicability, "value", s.applicability)}
            for s in (*rewrites, *suggestions)
        ],
    }


def rule_index(engine: Engine) -> dict[str, Any]:
    """Every rule of the configuration's rule set (enabled or not), by code."""
    return dict(sorted(engine.ruleset.by_code().items()))


def identity(rule: Any) -> tuple[str, str, str]:
    """(code, name, category): what selectors match against."""
    return _get(rule, "code"), _get(rule, "name"), _get(rule, "category")
