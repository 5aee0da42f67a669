"""The service's state in one worker: the Linter (built once, before the port opens), the gate,
and the limits every check runs under."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, TypeVar

from .._api import Linter
from .._config import Config
from .._engine.limits import REGEX_BUDGET, RegexBudget
from .._exceptions import ConfigError
from .._project.discovery import find_config_file, load_project
from .._types import Finding, Mode
from .._version import __version__
from . import metrics
from .gate import DEFAULT_PROFILE, ResolvedProfile, check_selectors, resolve_profiles, verdict
from .rules import identity, rule_index
from .settings import ServeSettings, load_api_keys

log = logging.getLogger("tonecheck.serve")
T = TypeVar("T")


class Deadline(Exception):
    """The per-request time limit ran out."""


class RequestError(Exception):
    """A request the service refuses: answered as JSON {error, message, field}."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def load_linting_config(settings: ServeSettings) -> Config:
    """The configuration `tonecheck check` would use: the file given, else the nearest one upward
    from the working folder, else the defaults."""
    source = Path(settings.config_file) if settings.config_file else find_config_file(Path.cwd())
    if source is None:
        return Config()
    return load_project(source, config_file=source).config


class Service:
    def __init__(self, settings: ServeSettings) -> None:
        self.settings = settings
        self.started = time.monotonic()
        self.linter = Linter(load_linting_config(settings))
        self.engine = self.linter._engine  # rule descriptions and the vocabulary's memory zone
        self.profiles: dict[str, ResolvedProfile] = resolve_profiles(settings)
        rules = rule_index(self.engine)
        check_selectors(self.profiles, [identity(rule) for rule in rules.values()])
        self.api_keys = load_api_keys(settings)
        self._armed = False
        self._on_main_thread = threading.current_thread() is threading.main_thread()
        if self._on_main_thread:
            signal.signal(signal.SIGALRM, self._on_alarm)
        self._warm_up(rules.values())

    # -- limits ----------------------------------------------------------------------------
    def _on_alarm(self, signum: int, frame: Any) -> None:
        if self._armed:  # a late alarm, after the check it was for, does nothing
            self._armed = False
            raise Deadline()

    def limited(self, work: Callable[[], T]) -> tuple[T, list[str]]:
        """Run one check or fix: in a spaCy memory zone (the words of this draft are forgotten
        afterwards, so a long-running worker does not grow with every new word), with each rule
        regex under the regex time limit, and the whole under the request time limit.
        Returns the result and the rules whose regex was cut off."""
        budget = RegexBudget(self.settings.regex_timeout)
        token = REGEX_BUDGET.set(budget)
        try:
            with self._memory_zone():
                if not self._on_main_thread:  # signals reach the main thread only
                    return work(), budget.timed_out
                self._armed = True
                signal.setitimer(signal.ITIMER_REAL, self.settings.request_timeout)
                try:
                    return work(), budget.timed_out
                finally:
                    self._armed = False
                    signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            REGEX_BUDGET.reset(token)

    def _memory_zone(self) -> AbstractContextManager[Any]:
        return self.engine.memory_zone()  # the engine's own: one zone at a time, never nested

    def _warm_up(self, rules: Iterable[Any]) -> None:
        """Check every rule's own examples once, outside any memory zone, so whatever the engine
        builds on first use is built before the first request, and kept."""
        count = 0
        for rule in rules:
            examples = getattr(rule, "examples", None)
            mode: Mode = "saved" if getattr(examples, "mode", "draft") == "saved" else "draft"
            for text in (*getattr(examples, "flag", ()), *getattr(examples, "pass_", ())):
                self.linter.check(text, mode=mode, context=dict(getattr(examples, "context", {}) or {}))
                count += 1
        self.linter.check("<p>Hi {{name}},</p><p>Thanks!</p>", format="html")
        self.linter.check("Hi **there**,\n\nThanks!", format="markdown")
        log.info("tonecheck %s: engine built and warmed up on %d examples", __version__, count)

    # -- requests --------------------------------------------------------------------------
    def profile(self, name: str | None) -> ResolvedProfile:
        key = name or DEFAULT_PROFILE
        profile = self.profiles.get(key)
        if profile is None:
            known = ", ".join(sorted(self.profiles))
            raise RequestError(422, "invalid_request", f"unknown profile {name!r} (known: {known})", "profile")
        return profile

    def check_text_length(self, text: str) -> None:
        if len(text) > self.settings.max_text_chars:
            raise RequestError(
                422,
                "text_too_long",
                f"text is {len(text):,} characters; the limit is {self.settings.max_text_chars:,}",
                "text",
            )

    def gated(self, findings: Iterable[Finding], profile: ResolvedProfile, timed_out: list[str]) -> dict[str, Any]:
        out = []
        counts = {"block": 0, "warn": 0, "pass": 0}
        for finding in findings:
            action = profile.action(finding)
            counts[action] += 1
            item = finding.model_dump(mode="json")
            item["action"] = action
            out.append(item)
            metrics.labelled(metrics.FINDINGS, finding.category, action).inc()
        for code in timed_out:
            metrics.labelled(metrics.RULE_TIMEOUTS, code).inc()
            log.warning("rule %s: its regular expression ran out of time on a draft and was skipped", code)
        result = verdict((f["action"] for f in out), incomplete=bool(timed_out))
        metrics.labelled(metrics.VERDICTS, result, profile.name).inc()
        return {
            "verdict": result,
            "profile": profile.name,
            "findings": out,
            "counts": counts,
            "incomplete": [{"code": code, "reason": "regex-timeout"} for code in timed_out],
            "version": __version__,
        }

    def options(
        self, profile: ResolvedProfile, channel: str | None, context: Mapping[str, str], ignore: Iterable[str]
    ) -> dict[str, Any]:
        return {
            "channel": channel or profile.channel,
            "context": dict(context) or None,
            "ignore": (*ignore, *profile.ignore),
        }


def startup_failure(settings: ServeSettings, exc: Exception) -> None:
    """Log why a worker cannot start (a bad configuration) and leave it for the parent to print."""
    import os

    from .settings import ERROR_FILE_ENV

    message = str(exc) if isinstance(exc, ConfigError) else f"{type(exc).__name__}: {exc}"
    log.error("tonecheck serve cannot start: %s", message)
    path = os.environ.get(ERROR_FILE_ENV)
    if path:
        try:
            Path(path).write_text(message, encoding="utf-8")
        except OSError:
            pass
