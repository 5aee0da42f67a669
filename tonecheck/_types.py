"""Public data models: what a check returns."""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict

Category = Literal[
    "negative-language",
    "passive-aggressive",
    "jargon",
    "template-leftover",
    "missing-closing",
    "suppression",  # only TON100 (an unused inline suppression), reported when linting files
]
# the five detector families; every rule belongs to one of them
CATEGORIES: tuple[str, ...] = (
    "negative-language",
    "passive-aggressive",
    "jargon",
    "template-leftover",
    "missing-closing",
)
Mode = Literal["draft", "saved"]
MODES: tuple[Mode, ...] = ("draft", "saved")
# where a reply is read: an email (closings expected), a chat turn or a social-media post
Channel = Literal["email", "chat", "social"]
CHANNELS: tuple[Channel, ...] = ("email", "chat", "social")
Status = Literal["stable", "preview"]


class Severity(str, Enum):
    info = "info"
    warning = "warning"
    error = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self.value]


_SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


class Applicability(str, Enum):
    """How far a suggestion can be trusted (after ruff's fix safety levels)."""

    safe = "safe"  # meaning cannot change: may be applied automatically
    unsafe = "unsafe"  # a tone rewrite: a human should confirm it
    display_only = "display-only"  # shown to a human, never applied


class Suggestion(BaseModel):
    """A way to fix a finding. `replacement` replaces text[start:end]; start and end are the
    finding's span unless the rewrite reaches further (a template that keeps the reply's words)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    replacement: str | None = None
    applicability: Applicability = Applicability.unsafe
    start: int | None = None
    end: int | None = None


class Finding(BaseModel):
    """One problem at one place. Offsets index the text given to `check`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    name: str
    category: Category
    severity: Severity
    message: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    match: str
    suggestions: tuple[Suggestion, ...] = ()


class Edit(BaseModel):
    """One change `fix` made, with offsets into the text as it was in that round."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    round: int
    start: int
    end: int
    original: str
    replacement: str
    title: str
    applicability: Applicability


class FixResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    edits: tuple[Edit, ...]
    remaining: tuple[Finding, ...]  # findings of the fixed text

    @property
    def changed(self) -> bool:
        return bool(self.edits)


class Region(BaseModel):
    """A part of a reply: greeting, body, closing, signoff, quoted, code."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["greeting", "body", "closing", "signoff", "quoted", "code"]
    start: int
    end: int


class Report(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    mode: Mode
    channel: Channel = "email"
    findings: tuple[Finding, ...]
    regions: tuple[Region, ...] = ()

    def by_category(self, category: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.category == category)

    def at_least(self, severity: Severity | str) -> tuple[Finding, ...]:
        rank = Severity(severity).rank
        return tuple(f for f in self.findings if f.severity.rank >= rank)
