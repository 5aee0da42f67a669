"""The service's settings: the `[serve]` table of tonecheck.toml (`[tool.tonecheck.serve]` of
pyproject.toml), command-line options over it, and API keys from the environment or a file.

The rest of the same file is the linting configuration, as `tonecheck check` reads it.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .._exceptions import ConfigError
from .._types import Severity

Action = Literal["block", "warn", "pass"]
API_KEYS_ENV = "TONECHECK_API_KEYS"  # comma- or newline-separated keys
SETTINGS_ENV = "TONECHECK_SERVE_SETTINGS"  # how the command line hands its settings to each worker
ERROR_FILE_ENV = "TONECHECK_SERVE_ERROR_FILE"  # where a worker that cannot start says why


class GateRule(BaseModel):
    """One line of a gate: findings it matches get `action`. A rule with neither `select` nor
    `severity` matches every finding."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    select: tuple[str, ...] = ()  # rule codes, code prefixes, rule names or categories; empty: any rule
    severity: tuple[Severity, ...] = ()  # these severities only; empty: any severity
    action: Action

    @field_validator("select", "severity", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value


class Gate(BaseModel):
    """What blocks a send and what only warns. The first rule that matches a finding decides its
    action; findings that no rule matches get `default`. The verdict is the strongest action of
    any finding (block, then warn, then pass)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: tuple[GateRule, ...] = (
        GateRule(select=("template-leftover",), action="block"),
        GateRule(severity=(Severity.error,), action="block"),
        GateRule(severity=(Severity.info,), action="pass"),
    )
    default: Action = "warn"


class Profile(BaseModel):
    """A named gate (per brand or channel): its own rules and default, a default channel for
    drafts checked with it, and rules it never reports. Fields not given come from [serve.gate]."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: tuple[GateRule, ...] | None = None
    default: Action | None = None
    channel: Literal["auto", "email", "chat", "social"] | None = None
    ignore: tuple[str, ...] = ()


class ServeSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    host: str = "127.0.0.1"
    port: int = Field(default=8790, ge=0, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    max_body_bytes: int = Field(default=1_048_576, ge=1024, alias="max-body-bytes")
    max_text_chars: int = Field(default=100_000, ge=1, alias="max-text-chars")
    request_timeout: float = Field(default=5.0, gt=0, alias="request-timeout")  # seconds per request
    regex_timeout: float = Field(default=0.25, gt=0, alias="regex-timeout")  # one rule's regex, one reply
    # origins a browser may call from: exact origins, or with * for any run of characters
    cors_origins: tuple[str, ...] = Field(
        default=("chrome-extension://*", "moz-extension://*", "safari-web-extension://*"), alias="cors-origins"
    )
    api_keys_file: str | None = Field(default=None, alias="api-keys-file")
    # a worker whose memory grows this far above its size after warm-up restarts (gracefully);
    # 0: never. Requests run in a spaCy memory zone, so this is a backstop.
    max_memory_growth_mb: int = Field(default=24, ge=0, alias="max-memory-growth-mb")
    max_requests: int = Field(default=0, ge=0, alias="max-requests")  # restart a worker after this many; 0: never
    gate: Gate = Gate()
    profiles: dict[str, Profile] = Field(default_factory=dict)
    # set by the command line, not the file
    config_file: str | None = Field(default=None, alias="config-file")
    log_level: Literal["critical", "error", "warning", "info", "debug"] = Field(default="info", alias="log-level")
    access_log: bool = Field(default=True, alias="access-log")

    @field_validator("profiles")
    @classmethod
    def _profile_names(cls, value: dict[str, Profile]) -> dict[str, Profile]:
        for name in value:
            if not name or name == "default" or not all(c.isalnum() or c in "-_." for c in name):
                raise ValueError(f"profile name {name!r}: use letters, digits, '-', '_' or '.' (not 'default')")
        return value

    def to_env(self) -> str:
        return self.model_dump_json(by_alias=True)

    @classmethod
    def from_env(cls) -> ServeSettings:
        raw = os.environ.get(SETTINGS_ENV)
        return cls.model_validate_json(raw) if raw else cls()


def serve_table(config_file: Path | None) -> dict[str, Any]:
    """The [serve] table of a configuration file (empty when there is none)."""
    if config_file is None:
        return {}
    try:
        parsed = tomllib.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{config_file}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{config_file}: not valid TOML: {exc}") from None
    table = parsed.get("tool", {}).get("tonecheck", {}) if config_file.name == "pyproject.toml" else parsed
    serve = table.get("serve", {}) if isinstance(table, dict) else {}
    if not isinstance(serve, dict):
        raise ConfigError(f"{config_file}: [serve] must be a table")
    if serve.get("api-keys-file"):  # relative to the configuration file, as rule-paths are
        serve = {**serve, "api-keys-file": str((config_file.parent / str(serve["api-keys-file"])).resolve())}
    return serve


def build_settings(config_file: Path | None, overrides: dict[str, Any]) -> ServeSettings:
    data = {**serve_table(config_file), **{k: v for k, v in overrides.items() if v is not None}}
    if config_file is not None:
        data["config-file"] = str(config_file.resolve())
    where = str(config_file) if config_file else "command line"
    try:
        return ServeSettings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top level)"
        message = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
        raise ConfigError(f"{where}: [serve] key '{key}': {message}") from None


def load_api_keys(settings: ServeSettings) -> frozenset[str]:
    """Keys from TONECHECK_API_KEYS and from the keys file (one a line; # starts a comment).
    None at all: the service asks for no key."""
    keys = {k.strip() for k in os.environ.get(API_KEYS_ENV, "").replace("\n", ",").split(",") if k.strip()}
    if settings.api_keys_file:
        try:
            lines = Path(settings.api_keys_file).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ConfigError(f"api-keys-file {settings.api_keys_file}: cannot read: {exc.strerror or exc}") from None
        keys.update(line.split("#", 1)[0].strip() for line in lines)
        keys.discard("")
    short = [k for k in keys if len(k) < 16]
    if short:
        raise ConfigError("API keys must be at least 16 characters long")
    return frozenset(keys)


def describe(settings: ServeSettings) -> dict[str, Any]:
    """What /healthz tells about the limits in force (no keys, no paths)."""
    data: dict[str, Any] = json.loads(
        settings.model_dump_json(
            by_alias=True, include={"max_body_bytes", "max_text_chars", "request_timeout", "regex_timeout"}
        )
    )
    return data
