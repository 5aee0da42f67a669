"""The gate: per finding, what it does to a send (block, warn or pass), and the verdict."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .._config import selector_matches
from .._exceptions import ConfigError
from .._types import Finding
from .settings import Action, Gate, GateRule, Profile, ServeSettings

STRENGTH = {"pass": 0, "warn": 1, "block": 2}
DEFAULT_PROFILE = "default"


@dataclass(frozen=True)
class ResolvedProfile:
    name: str
    rules: tuple[GateRule, ...]
    default: Action
    channel: str | None
    ignore: tuple[str, ...]

    def action(self, finding: Finding) -> Action:
        for rule in self.rules:
            if rule.severity and finding.severity not in rule.severity:
                continue
            if rule.select and not any(
                selector_matches(s, code=finding.code, name=finding.name, category=finding.category)
                for s in rule.select
            ):
                continue
            return rule.action
        return self.default


def verdict(actions: Iterable[str], *, incomplete: bool = False) -> Action:
    """The strongest action; an incomplete check (a rule was cut off) is at least a warning."""
    strongest = max((STRENGTH[a] for a in actions), default=0)
    if incomplete:
        strongest = max(strongest, STRENGTH["warn"])
    return ("pass", "warn", "block")[strongest]


def resolve_profiles(settings: ServeSettings) -> dict[str, ResolvedProfile]:
    base: Gate = settings.gate
    profiles = {DEFAULT_PROFILE: ResolvedProfile(DEFAULT_PROFILE, base.rules, base.default, None, ())}
    for name, profile in settings.profiles.items():
        profiles[name] = _resolve(name, profile, base)
    return profiles


def _resolve(name: str, profile: Profile, base: Gate) -> ResolvedProfile:
    return ResolvedProfile(
        name=name,
        rules=profile.rules if profile.rules is not None else base.rules,
        default=profile.default or base.default,
        channel=profile.channel,
        ignore=profile.ignore,
    )


def check_selectors(profiles: dict[str, ResolvedProfile], identities: list[tuple[str, str, str]]) -> None:
    """A selector that names no rule is a typo: say so at start-up, not never."""
    for profile in profiles.values():
        where = "[serve.gate]" if profile.name == DEFAULT_PROFILE else f"[serve.profiles.{profile.name}]"
        for selector in (*(s for rule in profile.rules for s in rule.select), *profile.ignore):
            if not any(selector_matches(selector, code=c, name=n, category=cat) for c, n, cat in identities):
                raise ConfigError(f"{where}: {selector!r} names no rule, rule prefix or category")
