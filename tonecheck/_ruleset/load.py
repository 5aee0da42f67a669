"""Rule files: the schema, loading and validation.

A rule pack is a YAML file declaring one category and a list of rules. Every file is validated
strictly (unknown fields are errors) and a bad file is reported by file, rule and field.
"""

from __future__ import annotations

import functools
from pathlib import Path
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .._exceptions import RuleError
from .._types import Applicability, Category, Mode, Severity, Status
from .. import _detectors  # noqa: F401  # registers every detector, whose options rules are checked against
from .._detectors.base import phrase_sets
from .phrase_language import PatternSyntaxError, RegexSource, expand

CODE_PATTERN = r"^[A-Z]{3}\d{3}$"
NAME_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"


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
    # only where the finding starts a sentence (true), only inside one (false), or anywhere
    at_sentence_start: bool | None = None


# Where a rule's `context` looks for cue words, relative to a match: its whole sentence, the
# sentence before or after the match, the same clause before or after it (a sentence split at
# "but", "however", semicolons and dashes), the sentence before or after, every later sentence,
# or the whole reply.
ContextWindow = Literal["sentence", "before", "clause-before", "after", "clause-after", "previous",
                        "next", "following", "reply"]


class ContextVeto(_Strict):
    """A match is dropped when one of these cue sets (`cues` in vocab.yml) occurs in one of
    these windows around it: "we can't do X, but here is Y" is an alternative, not a refusal."""

    cues: tuple[str, ...] = Field(min_length=1)
    in_: tuple[ContextWindow, ...] = Field(alias="in", min_length=1)
    # neighbouring sentences holding one of these cue sets are left out of the previous, next
    # and following windows: "If you have any other questions, please get in touch" offers
    # nothing new
    ignore: tuple[str, ...] = ()


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


class Examples(_Strict):
    flag: tuple[str, ...] = Field(min_length=1)
    pass_: tuple[str, ...] = Field(alias="pass", min_length=1)
    mode: Mode = "draft"
    context: dict[str, str] = Field(default_factory=dict)  # e.g. customer_name for name checks


class Rule(_Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(pattern=NAME_PATTERN)
    category: Category
    severity: Severity = Severity.warning
    # stable rules run by default; preview rules only with `preview = true` or when selected by
    # exact code (a rule is stable only when measured right at least 9 times in 10 on real text)
    status: Status = "stable"
    message: str = Field(min_length=1)
    why: str = Field(min_length=1)
    fix: str = Field(min_length=1)
    phrases: tuple[str, ...] = ()
    # term pattern -> plain wording; each term matches like a phrase and its wording fills the
    # {plain} slot of messages and suggestions
    lexicon: dict[str, str] = Field(default_factory=dict)
    patterns: tuple[tuple[dict[str, Any], ...], ...] = ()
    regex: tuple[RegexSource, ...] = ()
    case_sensitive: bool = False
    detector: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    at_sentence_start: bool = False
    # Where the rule looks: parts of the reply (default: all of the agent's text). A regex rule
    # with a scope scans only those parts.
    scope: tuple[Literal["greeting", "body", "closing", "signoff"], ...] = ()
    # Regex pre-check: the rule's regex runs only if the lower-cased reply, with each run of
    # whitespace read as one space, contains one of these.
    requires: tuple[str, ...] = ()
    # Cheap context vetoes, checked only on candidate matches: a match right after one of
    # `not_after` ("if you need to") or right before one of `not_before` ("can't wait") is dropped.
    not_after: tuple[str, ...] = ()
    not_before: tuple[str, ...] = ()
    exceptions: tuple[str, ...] = ()
    # Clause and sentence context: a match is dropped when a cue set occurs in a window around it
    # (see ContextVeto); checked only on candidate matches.
    context: tuple[ContextVeto, ...] = ()
    # A note rule: it has no matcher of its own, and reports the matches of these rules that their
    # `context` dropped ("a limit stated with an alternative"), when it is selected.
    softened_from: tuple[str, ...] = ()
    modes: tuple[Mode, ...] = ("draft", "saved")
    rewrites: tuple[RewriteSpec, ...] = ()  # tried first, in order; then `suggestions`
    suggestions: tuple[SuggestionSpec, ...] = ()
    examples: Examples

    @model_validator(mode="after")
    def _has_a_matcher(self) -> Rule:
        matchers = (self.phrases or self.lexicon or self.patterns or self.regex or self.detector)
        if not matchers and not self.softened_from:
            raise ValueError("a rule needs at least one of phrases, lexicon, patterns, regex, detector "
                             "or softened_from")
        if matchers and self.softened_from:
            raise ValueError("a rule with softened_from reports other rules' matches: it has no matcher of its own")
        return self

    @model_validator(mode="after")
    def _known_detector(self) -> Rule:
        if self.detector is None:
            if self.options:
                raise ValueError("options are only for rules with a detector")
            return self
        from .._detectors.base import OPTIONS

        schema = OPTIONS.get(self.detector)
        if schema is None:
            raise ValueError(f"unknown detector {self.detector!r} (known: {', '.join(sorted(OPTIONS))})")
        try:
            schema.model_validate(self.options)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ValueError(f"options.{where}: {first['msg']}") from None
        return self

class _PackFile(_Strict):
    category: Literal["negative-language", "passive-aggressive", "jargon", "template-leftover", "missing-closing"]
    rules: tuple[dict[str, Any], ...]


class _VocabFile(_Strict):
    skippable: tuple[str, ...] = ()
    vocab: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    cues: dict[str, CueSet] = Field(default_factory=dict)


class RuleSet(BaseModel):
    """All rules of a configuration, validated, with their phrases expanded."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    rules: tuple[Rule, ...]
    vocab: dict[str, tuple[str, ...]]
    skippable: frozenset[str]
    sources: dict[str, str]  # code -> file it came from
    cues: dict[str, CueSet] = Field(default_factory=dict)

    def by_code(self) -> dict[str, Rule]:
        return {rule.code: rule for rule in self.rules}

    def expand_pattern(self, pattern: str, *, normalise: Callable[[str], str] | None = None) -> list[str]:
        if normalise is None:
            return expand(pattern, self.vocab)
        return expand(normalise(pattern), _normalised_vocab(self, normalise))

    def expanded(
        self, rule: Rule, field: Literal["phrases", "exceptions", "not_after", "not_before"],
        *, normalise: Callable[[str], str] | None = None,
    ) -> list[str]:
        """The literal phrases of one field. `normalise` is applied to patterns and vocabulary
        before expansion, so spellings it makes equal are expanded once."""
        phrases: list[str] = []
        for pattern in getattr(rule, field):
            phrases.extend(self.expand_pattern(pattern, normalise=normalise))
        return phrases


_VOCAB_CACHE: dict[tuple[int, Callable[[str], str]], dict[str, tuple[str, ...]]] = {}


def _normalised_vocab(ruleset: RuleSet, normalise: Callable[[str], str]) -> dict[str, tuple[str, ...]]:
    key = (id(ruleset), normalise)
    if key not in _VOCAB_CACHE:
        _VOCAB_CACHE[key] = {name: tuple(normalise(w) for w in words) for name, words in ruleset.vocab.items()}
    return _VOCAB_CACHE[key]


def builtin_rules_dir() -> Path:
    here = Path(__file__).resolve().parent.parent  # the package folder
    installed = here / "rules"
    return installed if installed.is_dir() else here.parent / "rules"


def _read_yaml(path: Path) -> Any:
    import yaml  # only when rule files are read: a run with the rule cache never needs it

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc}") from None
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: not valid YAML: {exc}") from None


def _field_path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


def _load_pack(path: Path) -> list[Rule]:
    data = _read_yaml(path)
    try:
        pack = _PackFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise RuleError(f"{path}: field '{_field_path(first['loc'])}': {first['msg']}") from None
    rules: list[Rule] = []
    for index, raw in enumerate(pack.rules):
        label = f"rule {raw.get('code', f'#{index + 1}')}"
        if "category" in raw:
            raise RuleError(f"{path}: {label}: field 'category': set once at the top of the file")
        try:
            rules.append(Rule.model_validate({**raw, "category": pack.category}))
        except ValidationError as exc:
            first = exc.errors()[0]
            if first["loc"]:
                raise RuleError(f"{path}: {label}: field '{_field_path(first['loc'])}': {first['msg']}") from None
            raise RuleError(f"{path}: {label}: {first['msg'].removeprefix('Value error, ')}") from None
    return rules


def _load_vocab(paths: list[Path]) -> tuple[dict[str, tuple[str, ...]], frozenset[str], dict[str, CueSet]]:
    vocab: dict[str, tuple[str, ...]] = {}
    skippable: set[str] = set()
    cues: dict[str, CueSet] = {}
    cue_files: dict[str, Path] = {}
    for path in paths:
        try:
            parsed = _VocabFile.model_validate(_read_yaml(path))
        except ValidationError as exc:
            first = exc.errors()[0]
            raise RuleError(f"{path}: field '{_field_path(first['loc'])}': {first['msg']}") from None
        vocab.update(parsed.vocab)
        skippable.update(word.lower() for word in parsed.skippable)
        cues.update(parsed.cues)
        cue_files.update(dict.fromkeys(parsed.cues, path))
    for name, cue_set in cues.items():
        for pattern in cue_set.phrases:
            try:
                expand(pattern, vocab)
            except PatternSyntaxError as exc:
                raise RuleError(f"{cue_files[name]}: field 'cues.{name}.phrases': {exc}") from None
    return vocab, frozenset(skippable), cues


def rule_files(extra_paths: tuple[str, ...] = ()) -> list[Path]:
    """The built-in rule files plus any extra files or folders, in load order."""
    roots = [builtin_rules_dir(), *(Path(p) for p in extra_paths)]
    files: list[Path] = []
    for root in roots:
        if root.is_file():
            files.append(root)
        elif root.is_dir():
            files.extend(sorted(root.rglob("*.yml")) + sorted(root.rglob("*.yaml")))
        else:
            raise RuleError(f"{root}: rule path does not exist")
    return files


@functools.lru_cache(maxsize=16)
def load_rules(extra_paths: tuple[str, ...] = ()) -> RuleSet:
    """Load and validate the built-in packs plus any extra files or folders, in that order."""
    return _load_files(rule_files(extra_paths))


def _load_files(files: list[Path]) -> RuleSet:

    vocab, skippable, cues = _load_vocab([f for f in files if f.stem == "vocab"])
    rules: list[Rule] = []
    sources: dict[str, str] = {}
    for path in files:
        if path.stem == "vocab":
            continue
        for rule in _load_pack(path):
            if rule.code in sources:
                raise RuleError(f"{path}: rule {rule.code}: code already used in {sources[rule.code]}")
            sources[rule.code] = str(path)
            rules.append(rule)
    names = [r.name for r in rules]
    for rule in rules:
        if names.count(rule.name) > 1:
            raise RuleError(f"{sources[rule.code]}: rule {rule.code}: name '{rule.name}' is not unique")
        fields = [(field, getattr(rule, field)) for field in ("phrases", "exceptions", "not_after", "not_before", "lexicon")]
        fields += [(field, patterns) for _, field, patterns in phrase_sets(rule)]  # a detector's own phrases
        for field, patterns in fields:
            for pattern in patterns:
                try:
                    expand(pattern, vocab)
                except PatternSyntaxError as exc:
                    raise RuleError(f"{sources[rule.code]}: rule {rule.code}: field '{field}': {exc}") from None
        for veto in rule.context:
            unknown = [name for name in (*veto.cues, *veto.ignore) if name not in cues]
            if unknown:
                raise RuleError(f"{sources[rule.code]}: rule {rule.code}: field 'context': unknown cue set "
                                f"{unknown[0]!r} (known: {', '.join(sorted(cues)) or 'none'})")
    by_code = {rule.code: rule for rule in rules}
    for rule in rules:
        for code in rule.softened_from:
            source = by_code.get(code)
            if source is None or source.softened_from or not source.context:
                why = ("unknown rule code" if source is None else "a note rule" if source.softened_from
                       else "a rule without context vetoes")
                raise RuleError(f"{sources[rule.code]}: rule {rule.code}: field 'softened_from': {code} is {why}")
    return RuleSet(rules=tuple(rules), vocab=vocab, skippable=skippable, sources=sources, cues=cues)
