"""The JSON API's request and response bodies (version 1). Requests are strict: unknown fields
and wrong types are errors that name the field."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr

from .._types import Applicability, Finding, Severity

Action = Literal["block", "warn", "pass"]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CheckRequest(_Request):
    text: StrictStr = Field(description="The draft, as the agent wrote it (plain text, Markdown or HTML)")
    format: Literal["text", "markdown", "html"] = Field(
        default="text", description="html or markdown: markup is skipped; offsets reach back into `text`"
    )
    mode: Literal["draft", "saved"] = Field(default="draft", description="draft: about to be sent; saved: a template")
    channel: Literal["auto", "email", "chat", "social"] | None = Field(
        default=None, description="where the reply is read; default: the profile's, else auto"
    )
    context: dict[StrictStr, StrictStr] = Field(
        default_factory=dict, description="facts about the conversation: customer_name, agent_name, ..."
    )
    ignore: list[StrictStr] = Field(default_factory=list, description="rule codes, prefixes, names or categories")
    language: StrictStr | None = Field(
        default=None,
        pattern=r"^(auto|[a-z]{2,3})$",
        description="the reply's language (en, ru, ...); default: the configuration's, else auto (detected)",
    )
    profile: StrictStr | None = Field(default=None, description="a named gate from the configuration")


class FixRequest(CheckRequest):
    format: Literal["text"] = Field(default="text", description="fixes apply to plain text")
    unsafe: StrictBool = Field(default=False, description="apply tone rewrites too, not only safe fixes")


class GatedFinding(Finding):
    """A finding exactly as the library and `tonecheck check --format json` give it, plus what
    the gate does with it."""

    action: Action


class Incomplete(BaseModel):
    code: str
    reason: Literal["regex-timeout"]


class CheckResponse(BaseModel):
    verdict: Action = Field(description="block: do not send; warn: show the findings; pass: send")
    profile: str
    channel: Literal["email", "chat", "social"]
    language: str = Field(description="the reply's language, detected or as given")
    notes: list[str] = Field(description='notes on the whole reply: "not checked: no rules for de"')
    text: str = Field(description="the reply as linted: `start`/`end` index it (for html, the decoded text)")
    findings: list[GatedFinding]
    counts: dict[Action, int]
    incomplete: list[Incomplete] = Field(description="rules cut off by the regex time limit")
    version: str


class EditOut(BaseModel):
    code: str
    round: int
    start: int
    end: int
    original: str
    replacement: str
    title: str
    applicability: Applicability


class FixResponse(BaseModel):
    text: str
    changed: bool
    edits: list[EditOut]
    verdict: Action
    profile: str
    language: str
    notes: list[str]
    remaining: list[GatedFinding]
    counts: dict[Action, int]
    incomplete: list[Incomplete]
    version: str


class RuleSuggestion(BaseModel):
    title: str
    applicability: Applicability


class RuleOut(BaseModel):
    code: str
    name: str
    category: str
    severity: Severity
    status: str
    enabled: bool
    message: str
    why: str
    fix: str
    modes: list[str]
    examples: dict[str, list[str]]
    suggestions: list[RuleSuggestion]


class ErrorOut(BaseModel):
    error: str = Field(description="a stable code: invalid_json, invalid_request, body_too_large, ...")
    message: str
    field: str | None = Field(default=None, description="the request field at fault, dotted")


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    rules: int
    worker: int = Field(description="the process id of the worker that answered")
    uptime_seconds: float
    limits: dict[str, float]
