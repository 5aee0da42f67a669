"""Public data models: what a check returns."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

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
# a category a team's own rule pack declares for its rules (`category: house-style`): a
# lower-case kebab-case name, selected, ignored and reported like a built-in one; the built-in
# rules use only the categories above
CUSTOM_CATEGORY_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
CustomCategory = Annotated[str, Field(pattern=CUSTOM_CATEGORY_PATTERN)]
Mode = Literal["draft", "saved"]
MODES: tuple[Mode, ...] = ("draft", "saved")
# where a reply is read: an email (closings expected), a chat turn or a social-media post
Channel = Literal["email", "chat", "social"]
CHANNELS: tuple[Channel, ...] = ("email", "chat", "social")
Status = Literal["stable", "preview"]


NOT_CHECKED = "not checked: no rules for "  # the note on a reply in a language without a rule pack


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
    """A way to fix a finding. `replacement` replaces text[start:end] of the reply, and the reply
    then reads right: start and end are the finding's span unless the rewrite reaches further (a
    template that keeps the reply's words) or the edit is tidied (a removal takes its comma with it
    and hands the capital to the next word: "Actually, we" -> "We"). `source_start`/`source_end`
    are the same span in the source the reply came from (the file, or the markup given to
    `check`). All four are None for advice without a replacement."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    replacement: str | None = None
    applicability: Applicability = Applicability.unsafe
    start: int | None = None
    end: int | None = None
    source_start: int | None = None
    source_end: int | None = None


class Finding(BaseModel):
    """One problem at one place, in one coordinate system:

    - `start`/`end`: offsets into the reply text that was linted (`Report.text`);
    - `source_start`/`source_end`: offsets into the source the reply came from: the file (a JSON
      export, an HTML page) or the markup given to `check(..., format=...)`; for plain text they
      equal `start`/`end`;
    - `line`, `column`, `end_line`, `end_column`: 1-based positions in that source, `end_column`
      exclusive (as in SARIF), from one line index.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    name: str
    category: Category | CustomCategory  # one of the five (or suppression), or a team pack's own
    severity: Severity
    message: str
    start: int
    end: int
    source_start: int
    source_end: int
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
    language: str = "en"  # the reply's language (see Report.language)
    notes: tuple[str, ...] = ()  # see Report.notes

    @property
    def changed(self) -> bool:
        return bool(self.edits)


class Region(BaseModel):
    """A part of a reply: greeting, body, closing, signoff, footer (an email's unsubscribe and
    legal lines), quoted, code."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["greeting", "body", "closing", "signoff", "footer", "quoted", "code"]
    start: int
    end: int


class Report(BaseModel):
    """The findings of one reply. `text` is the reply as linted (decoded from its source);
    `reply_id` names the reply inside a file that holds several (a macro's title), else None.
    `language` is the reply's language (detected, or as configured); `notes` are things to know
    about the whole reply, such as "not checked: no rules for de" for a language without a pack
    (such a reply has no findings, since no rules of another language run on it)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    mode: Mode
    channel: Channel = "email"
    findings: tuple[Finding, ...]
    regions: tuple[Region, ...] = ()
    reply_id: str | None = None
    # the reply's stable id in its export (a Zendesk macro id), when the export gives one
    export_id: str | None = None
    language: str = "en"
    notes: tuple[str, ...] = ()

    @property
    def checked(self) -> bool:
        """False when no rules ran on the reply (a language without a rule pack)."""
        return not any(note.startswith(NOT_CHECKED) for note in self.notes)

    def by_category(self, category: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.category == category)

    def at_least(self, severity: Severity | str) -> tuple[Finding, ...]:
        rank = Severity(severity).rank
        return tuple(f for f in self.findings if f.severity.rank >= rank)


class FileReport(BaseModel):
    """The replies of one file, each with its findings (positions in the file), as
    `tonecheck check` reports them: suppressions applied, unused ones reported as TON100."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str
    format: str
    replies: tuple[Report, ...]
    source: str | None = None  # the file's text, which every finding's source offsets index
    # why the file was not linted (e.g. "not a reply file": JSON of no known export shape)
    skipped: str | None = None

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for reply in self.replies for f in reply.findings)

    def findings_with_replies(self) -> tuple[tuple[Finding, str | None], ...]:
        """Each finding with the id of the reply it is in: replies in file order, then findings
        in reply order."""
        return tuple((f, reply.reply_id) for reply in self.replies for f in reply.findings)


def normalised_match(match: str) -> str:
    """Matched words as finding identity compares them: runs of whitespace as one space, case folded."""
    return " ".join(match.split()).casefold()


def finding_identity(finding: Finding) -> tuple[str, str]:
    """What makes two findings the same problem across edits of the text around them: the rule
    and the matched words (baselines, SARIF fingerprints and `fix` all use this). A
    missing-closing finding is about the reply as a whole, whatever sentence ends it."""
    return (finding.code, "" if finding.category == "missing-closing" else normalised_match(finding.match))
