"""Configuration: one strict model, shared by the API and the CLI."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ._exceptions import ConfigError
from ._inputs.extensions import NON_REPLY_GLOBS, REPLY_FILE_GLOBS
from ._language import is_language_code
from ._ruleset.phrase_language import RegexSource
from ._types import Severity

# `helpdesk` takes helpdesk names as well as placeholder syntax names (rule TPL001's syntaxes):
# each name stands for the syntaxes that helpdesk's saved replies use
HELPDESK_SYNTAXES: dict[str, tuple[str, ...]] = {
    "zendesk": ("liquid-output", "liquid-tag"),
    "shopify": ("liquid-output", "liquid-tag"),
    "freshdesk": ("liquid-output", "liquid-tag"),
    "gorgias": ("liquid-output", "liquid-tag"),
    "intercom": ("liquid-output",),
    "front": ("liquid-output", "liquid-tag"),
    "hubspot": ("liquid-output", "hubspot-missing"),
    "help-scout": ("helpscout",),
    "helpscout": ("helpscout",),
    "salesforce": ("salesforce",),
    "zoho": ("zoho",),
    "zoho-desk": ("zoho",),
    "zammad": ("zammad",),
    "osticket": ("osticket",),
    "rt": ("request-tracker",),
    "request-tracker": ("request-tracker",),
    "mailchimp": ("mailchimp",),
    "otrs": ("otrs",),
    "jinja": ("liquid-output", "liquid-tag"),
}


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
    # the channels whose replies need a closing, in place of the missing-closing rule's own
    # `channels` (email: a chat turn or a tweet is complete without one); None keeps the rule's
    channels: tuple[Literal["email", "chat", "social"], ...] | None = None
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
    # the language of the replies: "auto" detects each reply's language (py3langid); a code ("en",
    # "ru") says every reply is in that language. Rules of one language never run on another, and
    # a reply in a language without a rule pack is reported as not checked.
    language: str = Field(default="auto", pattern=r"^(auto|[a-z]{2,3})$")
    # the language of a reply too short or unclear to tell, in a script no rule pack is written in
    default_language: str = Field(default="en", alias="default-language", pattern=r"^[a-z]{2,3}$")
    # language per glob (relative to the configuration file's folder), before `language`
    languages: dict[str, str] = Field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = Field(default=(), alias="extend-select")
    # severity per selector (code, prefix, rule name or category); the most specific wins: an
    # exact code or name, then the longest code prefix, then the category (`severity_override`)
    severity: dict[str, Severity] = Field(default_factory=dict)
    fail_on: Severity = Field(default=Severity.warning, alias="fail-on")
    rule_paths: tuple[str, ...] = Field(default=(), alias="rule-paths")
    # "blank:en" needs no download; a trained pipeline such as "en_core_web_sm" may be named if installed.
    spacy_model: str = Field(default="blank:en", alias="spacy-model")
    # the team's helpdesk (zendesk, helpscout, freshdesk, ...: HELPDESK_SYNTAXES) or the placeholder
    # syntaxes it uses (names from rule TPL001); empty = all known
    # which files a directory walk lints (globs, relative to the configuration file's folder)
    include: tuple[str, ...] = REPLY_FILE_GLOBS
    # files that are not replies (README, LICENSE, package.json, node_modules, virtual
    # environments, tonecheck's baseline ...); `exclude` replaces this list, `extend-exclude` adds
    exclude: tuple[str, ...] = NON_REPLY_GLOBS
    extend_exclude: tuple[str, ...] = Field(default=(), alias="extend-exclude")
    # a baseline file (relative to the configuration file) that `tonecheck check` reads, and
    # `--write-baseline` without a FILE writes: only findings not recorded in it are reported
    baseline: str | None = None
    per_file_ignores: dict[str, tuple[str, ...]] = Field(default_factory=dict, alias="per-file-ignores")
    # rules to skip in single replies of an export, where no comment can go: "REPLY" or
    # "FILE-GLOB::REPLY", REPLY a glob on the reply's title (or id), e.g. "zendesk/*.json::Escalation::*"
    per_reply_ignores: dict[str, tuple[str, ...]] = Field(default_factory=dict, alias="per-reply-ignores")
    # mode per glob; files that match none use the format's default (saved for helpdesk exports)
    mode: dict[str, Literal["draft", "saved"]] = Field(default_factory=dict)
    # how a Markdown file splits into replies: "auto" (by its layout, see the README), "h1" or
    # "h2" (one reply per heading of that level), "none" (every file is one reply)
    markdown_sections: Literal["auto", "h1", "h2", "none"] = Field(default="auto", alias="markdown-sections")
    # the helpdesk (zendesk, helpscout, freshdesk, ...: HELPDESK_SYNTAXES) or the placeholder
    # syntaxes it uses (names from rule TPL001); empty = all known
    helpdesk: tuple[str, ...] = ()
    # the helpdesk's placeholder variable names, with * wildcards ("ticket.ticket_field_*", "dc.*");
    # when given, saved replies using any other variable are reported (a typo there is never filled in)
    known_variables: tuple[str, ...] = Field(default=(), alias="known-variables")
    # accepted product and team terms: never reported as jargon
    glossary: tuple[str, ...] = ()
    closing: ClosingConfig = ClosingConfig()
    # the largest file, in bytes, that `tonecheck check` and `check_file` read (a bigger one is
    # an error naming this key); standard input has the same limit
    max_file_bytes: int = Field(default=20_000_000, ge=1, le=2**40, alias="max-file-bytes")

    @field_validator("helpdesk")
    @classmethod
    def _helpdesk_syntaxes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        """Helpdesk names stand for the placeholder syntaxes that helpdesk uses."""
        expanded: list[str] = []
        for name in value:
            for syntax in HELPDESK_SYNTAXES.get(name.strip().lower(), (name.strip(),)):
                if syntax not in expanded:
                    expanded.append(syntax)
        return tuple(expanded)

    @field_validator("languages")
    @classmethod
    def _language_codes(cls, value: dict[str, str]) -> dict[str, str]:
        for glob, code in value.items():
            if not is_language_code(code):
                raise ValueError(f"{glob!r}: {code!r} is not a language code (two or three lower-case letters)")
        return value

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
            exclude={
                "include",
                "exclude",
                "extend_exclude",
                "per_file_ignores",
                "per_reply_ignores",
                "languages",
                "baseline",
                "mode",
                "fail_on",
                "markdown_sections",
                "max_file_bytes",
            }
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
    """A selector names the rule: its name, its category, its code, or a prefix of its code that
    keeps the code's letters whole ("NEG", "NEG0"; not "N", so `--ignore p` ignores nothing)."""
    if selector in (name, category):
        return True
    upper = selector.upper()
    return code.startswith(upper) and len(upper) >= len(code.rstrip("0123456789"))


def severity_override(overrides: Mapping[str, Severity], *, code: str, name: str, category: str) -> Severity | None:
    """The severity the configuration's `severity` table gives one rule, or None. Its keys are
    selectors, as in `select`; when several name the rule the most specific wins: its exact code
    or name, then the longest code prefix ("NEG0" before "NEG"), then its category."""
    best: Severity | None = None
    best_rank = (-1, -1)
    for selector, severity in overrides.items():
        if selector.upper() == code or selector == name:
            rank = (3, 0)
        elif selector == category:
            rank = (1, 0)
        elif selector_matches(selector, code=code, name=name, category=category):
            rank = (2, len(selector))
        else:
            continue
        if rank > best_rank:
            best, best_rank = severity, rank
    return best
