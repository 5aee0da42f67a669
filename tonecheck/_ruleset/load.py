"""Rule files: loading and validation. The schema of a rule, one model per kind, is in schema.py.

Built-in rules live in `rules/<language>/<category>/*.yml` (with the language's word lists in
`rules/<language>/vocab.yml`) and `rules/tool/*.yml` (checks tonecheck makes itself). Every file
is validated strictly (unknown fields are errors) and a bad file is reported by file, rule and field.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import regex
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from .. import _detectors  # noqa: F401  # registers every detector, whose options rules are checked against
from .._detectors.base import phrase_sets
from .._exceptions import RuleError
from .._language import DEFAULT_LANGUAGE, builtin_rules_dir
from .._types import CATEGORIES, CUSTOM_CATEGORY_PATTERN
from .phrase_language import PatternSyntaxError, expand, required_words, with_lists
from .schema import (
    CODE_PATTERN,
    NAME_PATTERN,
    TOOL_CATEGORY,
    CueSet,
    DetectorRule,
    LexiconRule,
    MatchingRule,
    NarrowingRule,
    NoteRule,
    PhraseRule,
    RegexRule,
    Rule,
    RuleSchemaError,
    TextRule,
    TokenPatternRule,
    ToolRule,
    _Strict,
    validate_rule,
)

__all__ = [
    "CODE_PATTERN",
    "NAME_PATTERN",
    "CueSet",
    "DetectorRule",
    "LexiconRule",
    "MatchingRule",
    "NarrowingRule",
    "NoteRule",
    "PhraseRule",
    "RegexRule",
    "Rule",
    "RuleSet",
    "TextRule",
    "TokenPatternRule",
    "ToolRule",
    "builtin_rules_dir",
    "load_rules",
    "rule_files",
]

# files in a rule folder that hold no rules: word lists, and the language's own data (greetings,
# sign-offs, ...), which tonecheck reads elsewhere (_language.py)
VOCAB_FILE = "vocab"
LANGUAGE_FILE = "language"


class _PackFile(_Strict):
    # a built-in pack's is one of the five categories (or suppression, for tool rules); a team's
    # own pack may name a category of its own (`category: house-style`)
    category: str
    # the language of the replies the pack's rules run on; a built-in pack's is its folder's
    # (rules/<language>/), a pack of the team's own is English unless it says otherwise
    language: str | None = Field(default=None, pattern=r"^[a-z]{2,3}$")
    rules: tuple[dict[str, Any], ...]

    @field_validator("category")
    @classmethod
    def _category(cls, value: str) -> str:
        if value not in (*CATEGORIES, TOOL_CATEGORY) and not regex.fullmatch(CUSTOM_CATEGORY_PATTERN, value):
            raise ValueError(
                f"{value!r} is neither a built-in category ({', '.join(CATEGORIES)}) nor a category of "
                "your own in lower-case words joined by hyphens (e.g. house-style)"
            )
        return value


class _VocabFile(_Strict):
    skippable: tuple[str, ...] = ()
    vocab: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    # cue sets for rules' `context` (issue 10): what a clause or its neighbours do
    cues: dict[str, CueSet] = Field(default_factory=dict)


class RuleSet(BaseModel):
    """All rules of a configuration, validated, with their phrases expanded."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    rules: tuple[Rule, ...]
    vocab: dict[str, tuple[str, ...]]
    skippable: frozenset[str]
    sources: dict[str, str]  # code -> file it came from
    cues: dict[str, CueSet] = Field(default_factory=dict)  # vocab.yml `cues`, for rules' `context`
    # the vocabulary as each normalising function makes it: derived from this rule set's own
    # vocabulary, so it lives (and dies) with the rule set
    _normalised: dict[Callable[[str], str], dict[str, tuple[str, ...]]] = PrivateAttr(default_factory=dict)

    def by_code(self) -> dict[str, Rule]:
        return {rule.code: rule for rule in self.rules}

    def expand_pattern(self, pattern: str, *, normalise: Callable[[str], str] | None = None) -> list[str]:
        if normalise is None:
            return expand(pattern, self.vocab)
        return expand(normalise(pattern), self.normalised_vocab(normalise))

    def normalised_vocab(self, normalise: Callable[[str], str]) -> dict[str, tuple[str, ...]]:
        vocab = self._normalised.get(normalise)
        if vocab is None:
            vocab = self._normalised[normalise] = {
                name: tuple(normalise(w) for w in words) for name, words in self.vocab.items()
            }
        return vocab

    def expanded(
        self,
        rule: Rule,
        field: Literal["phrases", "exceptions", "not_after", "not_before"],
        *,
        normalise: Callable[[str], str] | None = None,
    ) -> list[str]:
        """The literal phrases of one field (none if the rule's kind has no such field).
        `normalise` is applied to patterns and vocabulary before expansion, so spellings it
        makes equal are expanded once."""
        phrases: list[str] = []
        for pattern in getattr(rule, field, ()):
            phrases.extend(self.expand_pattern(pattern, normalise=normalise))
        return phrases

    def __getstate__(self) -> dict[Any, Any]:
        # what is derived is not stored (in the on-disk rule cache): it is rebuilt on first use
        state = super().__getstate__()
        return {**state, "__pydantic_private__": {"_normalised": {}}}


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


def _load_pack(path: Path, language: str) -> list[Rule]:
    """The rules of a pack file, if they are for `language` (tool rules are for every language)."""
    data = _read_yaml(path)
    try:
        pack = _PackFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise RuleError(
            f"{path}: field '{_field_path(first['loc'])}': {first['msg'].removeprefix('Value error, ')}"
        ) from None
    if pack.category not in (*CATEGORIES, TOOL_CATEGORY) and _is_builtin(path):
        raise RuleError(
            f"{path}: field 'category': {pack.category!r}: a built-in pack's category is one of {', '.join(CATEGORIES)}"
        )
    if pack.category != TOOL_CATEGORY and _pack_language(path, pack) != language:
        return []
    rules: list[Rule] = []
    for index, raw in enumerate(pack.rules):
        label = f"rule {raw.get('code', f'#{index + 1}')}"
        if "category" in raw:
            raise RuleError(f"{path}: {label}: field 'category': set once at the top of the file")
        try:
            rules.append(validate_rule({**raw, "category": pack.category}))
        except RuleSchemaError as exc:
            where = f"field '{exc.field}': " if exc.field else ""
            raise RuleError(f"{path}: {label}: {where}{exc.message}") from None
    return rules


def _load_vocab(paths: list[Path]) -> tuple[dict[str, tuple[str, ...]], frozenset[str], dict[str, CueSet]]:
    """The word lists and cue sets of every vocab file, in load order. A list or cue set a later
    file names again is extended (its new entries appended), never replaced: a team's vocab.yml
    adds words to the built-in lists without turning off what the built-in rules rely on."""
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
        for name, words in parsed.vocab.items():
            vocab[name] = tuple(dict.fromkeys((*vocab.get(name, ()), *words)))
        skippable.update(word.lower() for word in parsed.skippable)
        for name, cue_set in parsed.cues.items():
            cues[name] = _extended(cues[name], cue_set) if name in cues else cue_set
            cue_files[name] = path
    for name, cue_set in cues.items():
        for pattern in cue_set.phrases:
            try:
                expand(pattern, vocab)
            except PatternSyntaxError as exc:
                raise RuleError(f"{cue_files[name]}: field 'cues.{name}.phrases': {exc}") from None
    return vocab, frozenset(skippable), cues


def _extended(cue_set: CueSet, more: CueSet) -> CueSet:
    return CueSet(
        phrases=tuple(dict.fromkeys((*cue_set.phrases, *more.phrases))),
        regex=tuple(dict.fromkeys((*cue_set.regex, *more.regex))),
    )


def _rule_folder_files(root: Path) -> list[Path]:
    files = sorted(root.rglob("*.yml")) + sorted(root.rglob("*.yaml"))
    return [path for path in files if path.stem != LANGUAGE_FILE]


def _is_builtin(path: Path) -> bool:
    return path.resolve().is_relative_to(builtin_rules_dir().resolve())


def _pack_language(path: Path, pack: _PackFile) -> str:
    root = builtin_rules_dir()
    try:
        folder = path.resolve().relative_to(root.resolve()).parts[0]
    except ValueError:
        return pack.language or DEFAULT_LANGUAGE
    if pack.language is not None and pack.language != folder:
        raise RuleError(f"{path}: field 'language': {pack.language!r}, but the pack is in the folder of {folder!r}")
    return folder


def builtin_rule_files(language: str = DEFAULT_LANGUAGE) -> list[Path]:
    """The built-in rule files: the language's packs and word lists, then the tool rules."""
    root = builtin_rules_dir()
    return _rule_folder_files(root / language) + _rule_folder_files(root / "tool")


def rule_files(extra_paths: tuple[str, ...] = (), language: str = DEFAULT_LANGUAGE) -> list[Path]:
    """The built-in rule files of a language plus any extra files or folders, in load order."""
    files = builtin_rule_files(language)
    for root in (Path(p) for p in extra_paths):
        if root.is_file():
            files.append(root)
        elif root.is_dir():
            files.extend(_rule_folder_files(root))
        else:
            raise RuleError(f"{root}: rule path does not exist")
    return files


@functools.lru_cache(maxsize=16)
def load_rules(extra_paths: tuple[str, ...] = (), language: str = DEFAULT_LANGUAGE) -> RuleSet:
    """Load and validate a language's built-in packs plus any extra files or folders (their
    packs for that language), in that order."""
    return _load_files(rule_files(extra_paths, language), language)


def _load_files(files: list[Path], language: str = DEFAULT_LANGUAGE) -> RuleSet:
    vocab, skippable, cues = _load_vocab([f for f in files if f.stem == VOCAB_FILE])
    rules: list[Rule] = []
    sources: dict[str, str] = {}
    names: dict[str, str] = {}  # name -> code of the rule that has it
    for path in files:
        if path.stem == VOCAB_FILE:
            continue
        for rule in _load_pack(path, language):
            if rule.code in sources:
                raise RuleError(f"{path}: rule {rule.code}: code already used in {sources[rule.code]}")
            if rule.name in names:
                earlier = names[rule.name]
                raise RuleError(
                    f"{path}: rule {rule.code}: name '{rule.name}' is already the name of "
                    f"{earlier} in {sources[earlier]}"
                )
            sources[rule.code] = str(path)
            names[rule.name] = rule.code
            rules.append(rule)
    for rule in rules:
        for field, patterns in _phrase_fields(rule):
            for pattern in patterns:
                try:
                    expand(pattern, vocab)
                except PatternSyntaxError as exc:
                    raise RuleError(f"{sources[rule.code]}: rule {rule.code}: field '{field}': {exc}") from None
        for source in getattr(rule, "regex", ()):
            try:
                expanded = with_lists(source, vocab)
                if expanded != source:  # (the schema compiled the source as written)
                    regex.compile(expanded)
            except (PatternSyntaxError, regex.error) as exc:
                raise RuleError(f"{sources[rule.code]}: rule {rule.code}: field 'regex': {exc}") from None
        for word in getattr(rule, "requires", ()):
            try:
                required_words(word, vocab)
            except PatternSyntaxError as exc:
                raise RuleError(f"{sources[rule.code]}: rule {rule.code}: field 'requires': {exc}") from None
    _check_context(rules, cues, sources)
    return RuleSet(rules=tuple(rules), vocab=vocab, skippable=skippable, sources=sources, cues=cues)


def _check_context(rules: list[Rule], cues: dict[str, CueSet], sources: dict[str, str]) -> None:
    """Every cue set a rule's `context` names exists; every rule a note rule is `softened_from`
    exists and has a `context` (whose dropped matches are what the note reports); every rule a
    narrowing rule `narrows` exists and matches text."""
    for rule in rules:
        for veto in rule.context if isinstance(rule, (TextRule, NarrowingRule)) else ():
            unknown = [name for name in (*veto.cues, *veto.ignore) if name not in cues]
            if unknown:
                raise RuleError(
                    f"{sources[rule.code]}: rule {rule.code}: field 'context': unknown cue set "
                    f"{unknown[0]!r} (known: {', '.join(sorted(cues)) or 'none'})"
                )
    by_code = {rule.code: rule for rule in rules}
    for rule in rules:
        if not isinstance(rule, NoteRule):
            continue
        for code in rule.softened_from:
            source = by_code.get(code)
            if source is None:
                why = "an unknown rule code"
            elif not isinstance(source, TextRule) or not source.context:
                why = "not a rule with a context (a note reports what a rule's context dropped)"
            else:
                continue
            raise RuleError(f"{sources[rule.code]}: rule {rule.code}: field 'softened_from': {code} is {why}")
    for rule in rules:
        for code in rule.narrows if isinstance(rule, NarrowingRule) else ():
            source = by_code.get(code)
            if source is None:
                why = "an unknown rule code"
            elif not isinstance(source, TextRule):
                why = f"a {source.kind} rule (a narrowing rule narrows rules that match text)"
            else:
                continue
            raise RuleError(f"{sources[rule.code]}: rule {rule.code}: field 'narrows': {code} is {why}")


def _phrase_fields(rule: Rule) -> list[tuple[str, tuple[str, ...] | dict[str, str]]]:
    """Every field of the rule written in the phrase language, by its name for errors."""
    fields: list[tuple[str, tuple[str, ...] | dict[str, str]]] = []
    for field in ("phrases", "exceptions", "not_after", "not_before", "lexicon"):
        if field in type(rule).model_fields:
            fields.append((field, getattr(rule, field)))
    if isinstance(rule, DetectorRule):
        fields += [(field, patterns) for _, field, patterns in phrase_sets(rule.detector, rule.options)]
    return fields
