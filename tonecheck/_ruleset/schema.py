"""The rule schema: one model per rule kind, chosen by the rule's `kind:` field (as Vale's
`extends:` chooses a check's fields). A field the kind does not use is an error, not a field
that is read by nobody.

    kind            matches with                                  fields of its own
    phrase          phrases (the phrase language)                 regex, requires (see PhraseRule)
    lexicon         lexicon: term pattern -> plain wording
    regex           regex                                          requires, case_sensitive
    token-pattern   patterns (spaCy Matcher token patterns)
    detector        a named code detector                          detector, options
    note            nothing: other rules' matches their `context`  softened_from (see NoteRule)
                    dropped
    narrowing       nothing: another rule's matches that its own   narrows, context (see
                    `context` lets through and this rule's too     NarrowingRule)
    tool            nothing: a check tonecheck makes itself        (TON100, an unused suppression)

Every kind has the documentation fields: code, name, category, severity, status, message, why,
fix and examples. Every kind that matches has modes, channels, exceptions, rewrites and suggestions. The
kinds that match text also have the filters by place and context: scope, at_sentence_start,
not_after, not_before and context (a detector decides place and context itself).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from .._detectors.base import OPTIONS, DetectorOptions
from .._types import CHANNELS, Applicability, Category, Channel, CustomCategory, Mode, Severity, Status
from .phrase_language import RegexSource

CODE_PATTERN = r"^[A-Z]{3}\d{3}$"
NAME_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
KINDS: tuple[str, ...] = ("phrase", "lexicon", "regex", "token-pattern", "detector", "note", "narrowing", "tool")
# checks tonecheck makes itself, outside the rule engine; a `kind: tool` rule documents one of them
TOOL_CHECKS: Mapping[str, str] = {"TON100": "an inline suppression that suppresses nothing"}
# the category of checks on tonecheck's own comments, not on the reply's tone
TOOL_CATEGORY = "suppression"


class _Strict(BaseModel):
    # defer_build: these schemas validate rule files, which a run with the rule cache never reads
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class SuggestionSpec(_Strict):
    title: str = Field(min_length=1)
    # None: advice only. A string may use {match} and, for rewrite rules, the rule's slots.
    replacement: str | None = None
    applicability: Applicability = Applicability.unsafe


class RewriteSpec(_Strict):
    """A rewrite template: `pattern` must match at the start of the finding (it may reach
    further); `replacement` may use the pattern's named groups, keeping the reply's own words."""

    pattern: RegexSource
    replacement: str
    title: str = Field(min_length=1)
    applicability: Applicability = Applicability.unsafe
    # only where the edit starts a sentence (true), only inside one (false), or anywhere; the edit
    # starts at the finding, or at its opener where one is taken with it
    at_sentence_start: bool | None = None
    # words right before the finding, at the start of its sentence or clause, that the rewrite
    # replaces too: a negative opener ("Unfortunately,") a positive rewrite no longer needs
    opener: RegexSource | None = None
    # the rewrite is written for the opener and the finding together ("it" + "'s against our
    # policy to …" -> "we don't …"): without the opener it is not offered
    needs_opener: bool = False
    # the rewrite removes a whole sentence: offered only where another sentence stands beside it
    # on its line, so that a reply is never left with a greeting and a sign-off and nothing between,
    # and only where the sentence is one of its own (not after a greeting on its line, ";", ":" or a dash)
    beside_a_sentence: bool = False


# -- Context: the clause and its neighbours (issue 10, negative-language and passive-aggressive) --
# Where a rule's `context` looks for cue words, relative to a match: its whole sentence, that
# sentence before or after the match, the same clause before or after it (a sentence split at
# "but", "however", semicolons and dashes), the sentence before or after, the later sentences, or
# the sentences around it, or those sentences but the match's own. See tonecheck/_engine/context.py.
ContextWindow = Literal[
    "sentence", "before", "clause-before", "after", "clause-after", "previous", "next", "following", "reply", "others"
]


class ContextVeto(_Strict):
    """A match is dropped when one of these cue sets (`cues` in vocab.yml) occurs in one of
    these windows around it: "we can't do X, but here is Y" is an alternative, not a refusal."""

    cues: tuple[str, ...] = Field(min_length=1)
    in_: tuple[ContextWindow, ...] = Field(alias="in", min_length=1)
    # neighbouring sentences holding one of these cue sets are left out of the previous, next,
    # following and others windows: "If you have any other questions, please get in touch" offers
    # nothing new
    ignore: tuple[str, ...] = ()
    # the veto holds only for matches this regular expression finds something in (case-insensitive):
    # "an apology after an answer is a courtesy" is about the rule's apologies, not its other lines
    when: RegexSource | None = None


class CueSet(_Strict):
    """Words that signal what a clause does (offers an alternative, gives a reason...): phrases in
    the phrase language, matched as whole words on the lower-cased text, and regular expressions
    for what words cannot spell (a link)."""

    phrases: tuple[str, ...] = ()
    regex: tuple[RegexSource, ...] = ()

    @model_validator(mode="after")
    def _not_empty(self) -> CueSet:
        if not self.phrases and not self.regex:
            raise ValueError("a cue set needs phrases or regex")
        return self


# -- end of context --


class Examples(_Strict):
    flag: tuple[str, ...] = Field(min_length=1)
    pass_: tuple[str, ...] = Field(alias="pass", min_length=1)
    mode: Mode = "draft"
    context: dict[str, str] = Field(default_factory=dict)  # e.g. customer_name for name checks


class Rule(_Strict):
    """What every rule has, whatever its kind: who it is and how it is documented."""

    kind: str
    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(pattern=NAME_PATTERN)
    # a built-in category, or (in a team's own pack) a category of its own
    category: Category | CustomCategory
    severity: Severity = Severity.warning
    # stable rules run by default; preview rules only with `preview = true` or when selected by
    # exact code (a rule is stable only when measured right at least 9 times in 10 on real text)
    status: Status = "stable"
    message: str = Field(min_length=1)
    why: str = Field(min_length=1)
    fix: str = Field(min_length=1)
    examples: Examples

    @model_validator(mode="after")
    def _suppression_is_for_tool_rules(self) -> Rule:
        if self.category == TOOL_CATEGORY and self.kind != "tool":
            raise ValueError(f"category '{TOOL_CATEGORY}' is for tool rules only (kind: tool)")
        return self


class MatchingRule(Rule):
    """A rule the engine runs: the kinds that find spans in a reply."""

    modes: tuple[Mode, ...] = ("draft", "saved")
    # the channels whose replies the rule checks (email, chat, social: see Config.channel)
    channels: tuple[Channel, ...] = CHANNELS
    # phrases whose match, where it overlaps one of the rule's, cancels it ("we can't wait")
    exceptions: tuple[str, ...] = ()
    rewrites: tuple[RewriteSpec, ...] = ()  # tried first, in order; then `suggestions`
    suggestions: tuple[SuggestionSpec, ...] = ()


class TextRule(MatchingRule):
    """A rule that matches text, and can be narrowed by where the match stands."""

    # Where the rule looks: parts of the reply (default: all of the agent's text). A regex
    # scans only those parts; any other match outside them is dropped.
    scope: tuple[Literal["greeting", "body", "closing", "signoff"], ...] = ()
    at_sentence_start: bool = False
    # Cheap context vetoes, checked only on candidate matches: a match right after one of
    # `not_after` ("if you need to") or right before one of `not_before` ("can't wait") is dropped.
    not_after: tuple[str, ...] = ()
    not_before: tuple[str, ...] = ()
    # Clause and sentence context (see ContextVeto): a candidate match is dropped when one of
    # the named cue sets occurs in one of the windows around it.
    context: tuple[ContextVeto, ...] = ()


class PhraseRule(TextRule):
    """Phrases in the phrase language, all matched in one pass of the engine's phrase index.

    For the few forms a phrase cannot spell (a gap of any words, a word ending), a phrase rule
    may add `regex`; only then may it have `requires`, which gates that regex (never the
    phrases). Phrases always match in any case, so a phrase rule has no `case_sensitive`: a
    case-sensitive check is a regex rule.
    """

    kind: Literal["phrase"]
    phrases: tuple[str, ...] = Field(min_length=1)
    regex: tuple[RegexSource, ...] = ()
    requires: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _requires_gates_the_regex(self) -> PhraseRule:
        if self.requires and not self.regex:
            raise ValueError("field 'requires': gates the rule's regex, and this phrase rule has none")
        return self


class LexiconRule(TextRule):
    """Term pattern -> plain wording: each term matches like a phrase, and its wording fills
    the {plain} slot of messages and suggestions. Terms in capitals ("MX") match capitals only."""

    kind: Literal["lexicon"]
    lexicon: dict[str, str] = Field(min_length=1)


class RegexRule(TextRule):
    kind: Literal["regex"]
    regex: tuple[RegexSource, ...] = Field(min_length=1)
    # The regex runs only if the lower-cased reply, with each run of whitespace read as one
    # space, contains one of these.
    requires: tuple[str, ...] = ()
    case_sensitive: bool = False


class TokenPatternRule(TextRule):
    """spaCy Matcher token patterns, all in one Matcher."""

    kind: Literal["token-pattern"]
    patterns: tuple[tuple[dict[str, Any], ...], ...] = Field(min_length=1)


class DetectorRule(MatchingRule):
    """A named code detector, for checks a list cannot express. `options` is validated against
    the detector's own options model when the file is loaded, and the detector receives that
    typed model."""

    kind: Literal["detector"]
    detector: str
    options: DetectorOptions = Field(default_factory=DetectorOptions)

    @model_validator(mode="before")
    @classmethod
    def _typed_options(cls, data: Any) -> Any:
        if not isinstance(data, dict) or isinstance(data.get("options"), DetectorOptions):
            return data
        name = data.get("detector")
        if not isinstance(name, str):
            return data  # the field's own validation names the problem
        schema = OPTIONS.get(name)
        if schema is None:
            raise ValueError(f"field 'detector': unknown detector {name!r} (known: {', '.join(sorted(OPTIONS))})")
        try:
            options = schema.model_validate(data.get("options") or {})
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            message = "unknown field" if first["type"] == "extra_forbidden" else first["msg"]
            field = f"options.{where}" if where else "options"
            raise ValueError(f"field '{field}': {message.removeprefix('Value error, ')}") from None
        return {**data, "options": options}


class NoteRule(MatchingRule):
    """A note on what other rules let pass: no matcher of its own; it reports the matches of the
    rules in `softened_from` that their `context` dropped (NEG005: a limit stated with an
    alternative is worth an info note, not a warning). The source rules must have a `context`;
    that is checked when the rule set is loaded."""

    kind: Literal["note"]
    softened_from: tuple[str, ...] = Field(min_length=1)


class NarrowingRule(MatchingRule):
    """The part of other rules that holds up on its own: no matcher of its own; it reports the
    matches of the rules it `narrows` that their own `context` lets through and this rule's
    `context` lets through too (NEG007: a refusal of NEG001's or NEG002's with nothing else in the
    reply but courtesy). A rule too loose for the default selection keeps its reach in preview,
    and its strict part can be stable. Where a source rule is reported itself, the narrowing rule
    reports nothing of it (the findings would be the source's). Checked when the rule set is
    loaded: each source is a rule that matches text."""

    kind: Literal["narrowing"]
    narrows: tuple[Annotated[str, Field(pattern=CODE_PATTERN)], ...] = Field(min_length=1)
    context: tuple[ContextVeto, ...] = Field(min_length=1)


class ToolRule(Rule):
    """A check tonecheck makes itself (see TOOL_CHECKS): no matcher, so the engine skips it, but
    it is documented, listed, selected and ignored like any other rule."""

    kind: Literal["tool"]

    @model_validator(mode="after")
    def _known_tool_check(self) -> ToolRule:
        if self.code not in TOOL_CHECKS:
            known = ", ".join(f"{code} ({what})" for code, what in TOOL_CHECKS.items())
            raise ValueError(
                f"kind 'tool' documents a check tonecheck makes itself; {self.code} is none of them (known: {known})"
            )
        return self


AnyRule = Annotated[
    PhraseRule | LexiconRule | RegexRule | TokenPatternRule | DetectorRule | NoteRule | NarrowingRule | ToolRule,
    Field(discriminator="kind"),
]
_MODELS: dict[str, type[Rule]] = {
    "phrase": PhraseRule,
    "lexicon": LexiconRule,
    "regex": RegexRule,
    "token-pattern": TokenPatternRule,
    "detector": DetectorRule,
    "note": NoteRule,
    "narrowing": NarrowingRule,
    "tool": ToolRule,
}
_MATCHER_FIELDS = {
    "phrases": "phrase",
    "lexicon": "lexicon",
    "regex": "regex",
    "patterns": "token-pattern",
    "detector": "detector",
    "softened_from": "note",
    "narrows": "narrowing",
}

_adapter: TypeAdapter[Any] | None = None


def validate_rule(data: dict[str, Any]) -> Rule:
    """One rule of a file, as the model of its kind. Raises RuleSchemaError naming the field."""
    global _adapter
    kind = data.get("kind")
    if kind is None:
        raise RuleSchemaError("kind", f"required: one of {', '.join(KINDS)}{_kind_hint(data)}")
    if kind not in _MODELS:
        raise RuleSchemaError("kind", f"{kind!r} is not one of {', '.join(KINDS)}{_kind_hint(data)}")
    if _adapter is None:
        _adapter = TypeAdapter(AnyRule)  # built on first use: a run with the rule cache never needs it
    try:
        rule: Rule = _adapter.validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])[1:]  # the first item is the kind's tag
        field = ".".join(str(part) for part in loc)
        if first["type"] == "extra_forbidden" and len(loc) == 1:
            raise RuleSchemaError(field, _unused_field(str(kind), field)) from None
        if field:
            raise RuleSchemaError(field, first["msg"]) from None
        raise RuleSchemaError(None, first["msg"].removeprefix("Value error, ")) from None
    return rule


class RuleSchemaError(ValueError):
    """A rule that does not fit its kind's schema: `field` is where (None: the rule as a whole)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _unused_field(kind: str, field: str) -> str:
    users = [name for name, model in _MODELS.items() if field in model.model_fields]
    if not users:
        return "not a rule field"
    kinds = users[0] if len(users) == 1 else f"{', '.join(users[:-1])} and {users[-1]}"
    return f"a {kind} rule does not use it (a field of {kinds} rules)"


def _kind_hint(data: Mapping[str, Any]) -> str:
    present = [kind for field, kind in _MATCHER_FIELDS.items() if field in data]
    if len(present) == 2 and set(present) == {"phrase", "regex"}:
        present = ["phrase"]  # phrases with a regex for forms with gaps
    return f" (its fields suggest kind: {present[0]})" if len(present) == 1 else ""
