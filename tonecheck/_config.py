"""Configuration: one strict model, shared by the API and the CLI."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ._exceptions import ConfigError
from ._inputs.extensions import REPLY_FILE_GLOBS
from ._ruleset.phrase_language import RegexSource
from ._types import Severity


class ClosingConfig(BaseModel):
    """How the missing-closing check reads a reply."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    # with channel "auto", a reply with no greeting and no sign-off and at most this many
    # sentences and words of agent text is a chat turn
    chat_max_sentences: int = Field(default=2, ge=0, alias="chat-max-sentences")
    chat_max_words: int = Field(default=30, ge=0, alias="chat-max-words")
    # how many final sentences of the body count as the closing region
    region_sentences: int = Field(default=2, ge=1, alias="region-sentences")
    # extra regular expressions that count as a full closing, on top of the rule's own elements
    accepted: tuple[RegexSource, ...] = ()
    # the channels whose replies need a closing (a chat turn or a tweet is complete without one)
    channels: tuple[Literal["email", "chat", "social"], ...] = ("email",)
    # closing elements (named in the rule: offer-of-help, invitation-to-reply, next-step) that
    # must all be there; empty: any one element makes a closing
    required: tuple[str, ...] = ()


class Config(BaseModel):
    """What to check and how. Every field has a sensible default; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    select: tuple[str, ...] = ()  # codes, code prefixes, rule names or categories; empty = all stable rules
    # run preview rules too (rules not yet measured right 9 times in 10 on real replies)
    preview: bool = False
    # where replies are read: email, chat, social, or auto (an @handle opener is social; a short
    # reply with no greeting and no sign-off is chat; anything else is email)
    channel: Literal["auto", "email", "chat", "social"] = "auto"
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = Field(default=(), alias="extend-select")
    severity: dict[str, Severity] = Field(default_factory=dict)  # per-code overrides
    fail_on: Severity = Field(default=Severity.warning, alias="fail-on")
    rule_paths: tuple[str, ...] = Field(default=(), alias="rule-paths")
    # "blank:en" needs no download; a trained pipeline such as "en_core_web_sm" may be named if installed.
    spacy_model: str = Field(default="blank:en", alias="spacy-model")
    # placeholder syntaxes the team's helpdesk uses (names from rule TPL001); empty = all known
    # which files a directory walk lints (globs, relative to the configuration file's folder)
    include: tuple[str, ...] = REPLY_FILE_GLOBS
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = Field(default=(), alias="extend-exclude")
    per_file_ignores: dict[str, tuple[str, ...]] = Field(default_factory=dict, alias="per-file-ignores")
    # mode per glob; files that match none use the format's default (saved for helpdesk exports)
    mode: dict[str, Literal["draft", "saved"]] = Field(default_factory=dict)
    helpdesk: tuple[str, ...] = ()
    # the helpdesk's placeholder variable names; when given, saved replies using any other
    # variable are reported (a typo there is never filled in)
    known_variables: tuple[str, ...] = Field(default=(), alias="known-variables")
    # accepted product and team terms: never reported as jargon
    glossary: tuple[str, ...] = ()
    closing: ClosingConfig = ClosingConfig()
    # the largest file, in bytes, that `tonecheck check` and `check_file` read (a bigger one is
    # an error naming this key); standard input has the same limit
    max_file_bytes: int = Field(default=20_000_000, ge=1, le=2**40, alias="max-file-bytes")

    @field_validator("select", "ignore", "extend_select")
    @classmethod
    def _no_empty_selectors(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            if not item.strip():
                raise ValueError("selectors must not be empty")
        return tuple(item.strip() for item in value)

    def __init__(self, **data: object) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            error = ConfigError(_describe(exc, "configuration"))
            error.validation = exc  # type: ignore[attr-defined]  # lets from_mapping name the file
            raise error from None

    def cache_key(self) -> str:
        """What a compiled engine depends on: file-level settings are left out."""
        return self.model_dump_json(
            exclude={"include", "exclude", "extend_exclude", "per_file_ignores", "mode", "fail_on", "max_file_bytes"}
        )

    @classmethod
    def from_mapping(cls, data: dict[str, object], *, source: str = "configuration") -> Config:
        try:
            return cls.model_validate(data)  # pydantic calls __init__ above, which raises ConfigError
        except ConfigError as exc:
            raise ConfigError(_describe(exc.validation, source)) from None  # type: ignore[attr-defined]
        except ValidationError as exc:
            raise ConfigError(_describe(exc, source)) from None


def _describe(exc: ValidationError, source: str) -> str:
    first = exc.errors()[0]
    key = ".".join(str(p) for p in first["loc"]) or "(top level)"
    message = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
    return f"{source}: key '{key}': {message}"


DEFAULT_CONFIG = Config()


def selector_matches(selector: str, *, code: str, name: str, category: str) -> bool:
    return selector in (name, category) or code.startswith(selector.upper())
