"""The engine: compile a configuration's rules once, then scan each reply in one pass."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import regex

from .. import _detectors  # noqa: F401  # importing the package registers every detector
from .._anatomy import Anatomy, analyse, detect_channel
from .._config import DEFAULT_CONFIG, HELPDESK_SYNTAXES, Config, selector_matches, severity_override
from .._detectors.acronyms import (
    audience_lists,
    explained,
    for_the_audience,
    in_glossary,
    in_link_address,
    used_by_customer,
)
from .._detectors.base import REGISTRY, Hit, PlaceholderOptions, Scan, SpanIndex, phrase_sets
from .._detectors.closing import closing_element_names
from .._exceptions import ConfigError, InputError, RuleError
from .._langid import detect, first_look_runs
from .._language import DEFAULT_LANGUAGE, Language, is_language_code, language_data, packs
from .._lazy import Lazy, compile_pattern
from .._ruleset import matcher_keys
from .._ruleset.load import RuleSet, builtin_rules_dir, load_rules, rule_files
from .._ruleset.phrase_language import required_words, to_regex, with_lists
from .._ruleset.schema import (
    DetectorRule,
    LexiconRule,
    MatchingRule,
    NarrowingRule,
    NoteRule,
    PhraseRule,
    RegexRule,
    Rule,
    TextRule,
    TokenPatternRule,
)
from .._ruleset.templates import render
from .._text import (
    MAX_CHARS,
    LineIndex,
    _lower,
    _normalise_context,
    _normalise_words,
    _straighten,
    lone_cr_to_lf,
    word_runs,
)
from .._types import NOT_CHECKED, Channel, Finding, Mode, Report, Severity, Suggestion
from .context import (
    NEIGHBOURS,
    Around,
    Cue,
    SentenceVeto,
    cue_set_parts,
    matches_within,
    vetoed_everywhere,
)
from .limits import record_timeout, regex_timeout
from .literals import Gate, Gates, gate
from .nlp import _lexeme_attributes, _load_pipeline, spacy_version
from .phrase_cache import _pack_phrases, _unpack_phrases
from .phrase_gate import PhraseGate, surface_forms
from .phrase_index import PhraseIndex
from .suggest import _suggestions

# Seconds a rule pack's regular expression may take on a reply (plus 1 s per 100 KB of reply).
USER_REGEX_TIMEOUT = 2.0
# Strings spaCy's vocabulary may learn from replies, beyond those of the rules (each costs about
# 1.6 KB with its lexeme: benchmarks/memory.py); past it, each reply's new words are forgotten.
VOCAB_GROWTH = 10_000
# Words spaCy's vocabulary may have indexed, forgotten ones included, before the engine builds a
# fresh pipeline. A memory zone forgets a word by leaving a tombstone in the vocabulary's and the
# string store's hash tables (preshed never reclaims them, and doubles a table that fills with
# them): without a fresh start a long-running process still grew about 0.5 MB per 1,000 replies of
# new words. A fresh pipeline costs a fraction of a second, once per this many words.
VOCAB_RENEWAL = 100_000


def _rule_channels(rule: MatchingRule, config: Config) -> tuple[Channel, ...]:
    if isinstance(rule, DetectorRule) and rule.detector == "closing" and config.closing.channels is not None:
        return config.closing.channels
    return rule.channels


def _selected(rule: Rule, config: Config) -> bool:
    keys = {"code": rule.code, "name": rule.name, "category": rule.category}
    selectors = (*config.select, *config.extend_select) if config.select else ()
    if selectors and not any(selector_matches(s, **keys) for s in selectors):
        return False
    if any(selector_matches(s, **keys) for s in config.ignore):
        return False
    # a preview rule runs in preview mode, or when a selector names it exactly (its code or name)
    named = {s.upper() for s in (*config.select, *config.extend_select)}
    return rule.status == "stable" or config.preview or rule.code in named or rule.name.upper() in named


def _selector_names(ruleset: RuleSet) -> list[str]:
    names: set[str] = set()
    for rule in ruleset.rules:
        names.update((rule.code, rule.name, rule.category, rule.code.rstrip("0123456789")))
    return sorted(names)


def _nearest(selector: str, ruleset: RuleSet) -> str:
    import difflib

    names = _selector_names(ruleset)
    by_upper = {name.upper(): name for name in names}
    close = difflib.get_close_matches(selector.upper(), list(by_upper), n=1, cutoff=0.5)
    return f" (did you mean {by_upper[close[0]]!r}?)" if close else ""


def configured_severity(config: Config, rule: Rule) -> Severity:
    """A rule's severity under the configuration's `severity` table (its keys are selectors)."""
    return severity_override(config.severity, code=rule.code, name=rule.name, category=rule.category) or rule.severity


class OtherPacks:
    """The rules of the other languages' packs, loaded only when a name is not in the configuration's own."""

    def __init__(self, config: Config, code: str) -> None:
        self._config = config
        self._code = code
        self._rules: list[Rule] | None = None

    def rules(self) -> list[Rule]:
        if self._rules is None:
            paths = tuple(self._config.rule_paths)
            self._rules = [r for lang in packs() if lang != self._code for r in load_rules(paths, lang).rules]
        return self._rules

    def codes(self) -> set[str]:
        return {r.code for r in self.rules()}


def check_selectors(config: Config, ruleset: RuleSet, others: OtherPacks | None = None) -> None:
    """A selector that names no rule, prefix or category is a typo: an error naming the nearest
    valid one, never a run that silently checks nothing. A name of another language's rule
    (`others`) is no typo."""
    identities = [(r.code, r.name, r.category) for r in ruleset.rules]
    keyed: list[tuple[str, tuple[str, ...]]] = [
        ("select", config.select),
        ("extend-select", config.extend_select),
        ("ignore", config.ignore),
        ("severity", tuple(config.severity)),
        *((f"per-file-ignores.{glob}", codes) for glob, codes in config.per_file_ignores.items()),
        *((f"per-reply-ignores.{key}", codes) for key, codes in config.per_reply_ignores.items()),
    ]
    for key, selectors in keyed:
        for selector in selectors:
            if not any(selector_matches(selector, code=c, name=n, category=cat) for c, n, cat in identities) and (
                others is None
                or not any(
                    selector_matches(selector, code=r.code, name=r.name, category=r.category) for r in others.rules()
                )
            ):
                error = ConfigError(
                    f"configuration: key '{key}': unknown rule selector {selector!r}{_nearest(selector, ruleset)}"
                )
                error.selector = selector  # type: ignore[attr-defined]  # lets the CLI say where it came from
                raise error


class Engine:
    """A compiled configuration for one language. Build through `get_engine` so it is built once;
    it builds the engine of another language (`for_language`) when a reply in it comes."""

    def __init__(self, config: Config, language: str | Language | None = None) -> None:
        """`language`: the language whose rules to run (a code, or a language's data: tests give
        edited copies); None: the configuration's (auto: its default language), and other
        languages' engines are built when a reply in them comes."""
        self.config = config
        from . import cache as _cache

        if isinstance(language, Language):
            self.language = language
        else:
            code = language or (config.language if config.language != "auto" else config.default_language)
            if code not in packs():
                code = config.default_language if code != config.default_language else DEFAULT_LANGUAGE
            if code not in packs():
                raise ConfigError(
                    f"configuration: key 'default-language': no rules for {code!r} (rule packs: {', '.join(packs())})"
                )
            self.language = language_data(code)
        code = self.language.code
        self._siblings: dict[str, Engine | None] = {code: self}
        self._siblings_lock = threading.Lock()
        files = rule_files(tuple(config.rule_paths), code)
        try:
            # the language's words shape anatomy and detectors, not the cached data: but a pack
            # of a language may depend on them, so an edited language file is a new key too
            cache_key = _cache.key(
                files, spacy_version(), config.cache_key(), code, self.language.data.model_dump_json()
            )
        except OSError as exc:
            raise RuleError(f"cannot read rule files: {exc}") from None
        cached = _cache.load(cache_key)
        ruleset: RuleSet = cached["ruleset"] if cached else load_rules(tuple(config.rule_paths), code)
        # the literal gates of the rules' and cues' patterns (see literals.py), by source and flags:
        # read once and cached with the rules (reading them took most of an engine's build)
        self._gates: dict[tuple[str, int], Gate | None] = dict(cached["gates"]) if cached else {}
        self.ruleset = ruleset
        # each rule's severity under this configuration (`severity` keys are selectors)
        self.severities: dict[str, Severity] = {r.code: configured_severity(config, r) for r in ruleset.rules}
        if language is None:  # the engine of a reply's language is built after this one, which checked the names
            check_selectors(config, ruleset, OtherPacks(config, code))
        # the rules in force; tool and note rules among them have no matcher, so nothing below
        # compiles them
        selected = {r.code: r for r in ruleset.rules if _selected(r, config)}
        # A selected note rule reports what its source rules' context dropped, so those rules are
        # matched too; their own findings are reported only when they are selected themselves.
        by_code = ruleset.by_code()
        self.softened_to: dict[str, str] = {}  # source rule code -> note rule code
        # A selected narrowing rule reports the source's matches that its own context lets
        # through, where the source is not reported itself (they would be the same findings).
        self.narrowed_to: dict[str, tuple[str, ...]] = {}  # source rule code -> narrowing rule codes
        shadows: dict[str, Rule] = {}
        for rule in selected.values():
            if isinstance(rule, NoteRule):
                sources = rule.softened_from
                self.softened_to.update(dict.fromkeys(sources, rule.code))
            elif isinstance(rule, NarrowingRule):
                sources = rule.narrows
            else:
                continue
            for source in sources:
                if source not in selected:
                    shadows[source] = by_code[source]
                    if isinstance(rule, NarrowingRule):
                        self.narrowed_to[source] = (*self.narrowed_to.get(source, ()), rule.code)
        self.rules: dict[str, Rule] = selected
        self.reported: frozenset[str] = frozenset(selected)
        # Sources matched for narrowing rules alone, from phrases and regular expressions: their
        # matches are looked for only where a narrowing rule of theirs could report one (see
        # `_idle_sources`).
        self.narrowed_only: frozenset[str] = frozenset(
            code
            for code, rule in shadows.items()
            if code in self.narrowed_to and code not in self.softened_to and isinstance(rule, (PhraseRule, RegexRule))
        )
        self.matched: dict[str, Rule] = {**selected, **shadows}  # what the engine compiles and matches
        self.matching_rules: dict[str, MatchingRule] = {
            code: rule for code, rule in self.matched.items() if isinstance(rule, MatchingRule)
        }
        self.text_rules: dict[str, TextRule] = {
            code: rule for code, rule in self.matched.items() if isinstance(rule, TextRule)
        }
        self.narrowing_rules: dict[str, NarrowingRule] = {
            code: rule for code, rule in self.matched.items() if isinstance(rule, NarrowingRule)
        }
        # the channels each rule checks: the rule's own `channels`; the team's `closing.channels`
        # replaces them for the missing-closing rules
        self.channels: dict[str, frozenset[Channel]] = {
            code: frozenset(_rule_channels(rule, config)) for code, rule in self.matching_rules.items()
        }
        self._vocab_lock = threading.RLock()
        self._zone_open = False
        self.renewals = 0  # fresh pipelines built so far (see `_renew_pipeline`)
        self.has_matcher = any(isinstance(rule, TokenPatternRule) for rule in self.matched.values())
        # The spaCy pipeline (vocabulary, tokenizer, matchers) is built on first use when the
        # compiled phrases come from the cache: a reply that the phrase gate turns away needs none
        # of it, so a command that lints such replies never imports spaCy (half its start-up).
        # Compiling phrases needs the tokenizer, and a trained pipeline may have pipes to run.
        self._pipeline_built = False
        self._phrase_index: PhraseIndex | None = None
        self._pipeline_name = _pipeline_name(config.spacy_model, self.language)
        if cached and self._pipeline_name.startswith("blank:"):
            self.has_pipes = False
            self._take_phrase_data(_unpack_phrases(cached["phrases"]))
        else:
            self._build_pipeline(None)
        self._build_regex()
        self._build_context_vetoes()
        self._build_context()
        syntaxes = next(
            (r for r in self.ruleset.rules if isinstance(r, DetectorRule) and r.detector == "placeholder"), None
        )
        self.placeholder_syntaxes: dict[str, str] = (
            dict(syntaxes.options.syntaxes)
            if isinstance(syntaxes, DetectorRule) and isinstance(syntaxes.options, PlaceholderOptions)
            else {}
        )
        unknown_syntax = [h for h in config.helpdesk if h not in self.placeholder_syntaxes]
        if unknown_syntax:
            raise ConfigError(
                f"configuration: key 'helpdesk': unknown helpdesk or placeholder syntax {unknown_syntax[0]!r} "
                f"(helpdesks: {', '.join(sorted(HELPDESK_SYNTAXES))}; "
                f"syntaxes: {', '.join(sorted(self.placeholder_syntaxes))})"
            )
        self._check_closing_elements()
        self.audience = audience_lists(ruleset.vocab)
        if not cached:
            _cache.store(
                cache_key, {"ruleset": ruleset, "phrases": _pack_phrases(self._phrase_data), "gates": self._gates}
            )

    def __getstate__(self) -> dict[str, Any]:
        """An engine sent to another process (the audit's Dask workers) goes without its lock
        and outside any memory zone; it gets a lock of its own there."""
        state = self.__dict__.copy()
        state.pop("_vocab_lock", None)
        state.pop("_siblings_lock", None)
        state["_zone_open"] = False
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._vocab_lock = threading.RLock()
        self._siblings_lock = threading.Lock()

    def _check_closing_elements(self) -> None:
        required = self.config.closing.required
        known = closing_element_names(self.ruleset.rules)
        unknown = [name for name in required if name not in known]
        if unknown:
            raise ConfigError(
                f"configuration: key 'closing.required': unknown closing element {unknown[0]!r} "
                f"(known: {', '.join(sorted(known)) or 'none'})"
            )

    # -- compilation -------------------------------------------------------------------------
    def _take_phrase_data(self, data: dict[str, Any]) -> None:
        """What the engine reads from the compiled phrases without a pipeline."""
        self.lexicon_keys: dict[str, tuple[str, str]] = data["lexicon_keys"]
        self.bigrams: set[tuple[int, int]] = data["bigrams"]
        self._phrase_data = data
        self.has_phrases = any(keywords for _, keywords in data["keywords"])
        # regex rules whose matches an exception may cancel, their own or their note's or
        # narrowing rule's (see `_exceptions_near`)
        excepting = {rule.code for rule in self.matched.values() if getattr(rule, "exceptions", ())}
        self._regex_excepted = frozenset(
            code
            for code, rule in self.matched.items()
            if isinstance(rule, (PhraseRule, RegexRule))
            and rule.regex
            and (
                code in excepting
                or self.softened_to.get(code) in excepting
                or any(narrowing in excepting for narrowing in self.narrowed_to.get(code, ()))
            )
        )
        # the longest phrase, in tokens: a view match that spans a gap lies within this many kept
        # tokens of it
        self._longest_phrase: int = data["longest"]
        gate = data.get("gate")
        self.phrase_gate: PhraseGate | None = gate if isinstance(gate, PhraseGate) and not self.has_pipes else None
        narrowed = data.get("narrowed_gate")
        self.narrowed_gate: PhraseGate | None = narrowed if isinstance(narrowed, PhraseGate) else None

    def _build_phrase_index(self, cached: dict[str, Any] | None) -> None:
        data = cached or self._compile_phrases()
        strings = self._nlp.vocab.strings
        # A key's hash is the same in every vocabulary (spaCy hashes strings with murmurhash), as
        # are the phrases' NORM hashes: a renewed pipeline keeps the index.
        key_ids = [strings.add(key) for key, _ in data["keywords"]]
        if self._phrase_index is None or data is not self._phrase_data:
            self._phrase_index = PhraseIndex(zip(key_ids, (keywords for _, keywords in data["keywords"]), strict=True))
        self._take_phrase_data(data)
        # what each key's matches are for, read once here instead of from the key on every match
        self._keys = {
            key_id: matcher_keys.parse(key) for key_id, (key, _) in zip(key_ids, data["keywords"], strict=True)
        }
        self.skippable = {strings.add(word) for word in self.ruleset.skippable}
        self.comma = strings.add(",")
        from spacy.attrs import IS_SPACE, NORM

        self._norm_and_space = [NORM, IS_SPACE]  # imported here, once, not on every reply
        self._soft_spaces: set[int] = set()  # whitespace tokens a phrase may span (line wraps)
        self._hard_spaces: set[int] = set()  # blank lines: a phrase never spans them
        self._gap_words = set(self.skippable)
        self._view_break = strings.add("\x00view-break")  # a NORM no phrase holds: matches stop at it

    def _compile_phrases(self) -> dict[str, Any]:
        """Every phrase of every selected rule as its sequence of NORM hashes, by matcher key."""
        from spacy.attrs import NORM

        # NORM makes "can't" and "can not" one phrase. Each phrase is added as its sequence of
        # NORM hashes, assembled from a per-word cache of the real tokenizer's output (so a
        # phrase gets exactly the NORMs the same words get in a reply; a Doc per phrase would
        # dominate start-up).
        strings = self._nlp.vocab.strings
        special_cases = set(self._nlp.tokenizer.rules or {})
        # Without a norm lookup table, the NORM of a plain word that is no tokenizer special case
        # is the word itself (lower-cased): hash it directly instead of making a lexeme.
        plain_norms = (
            not self._nlp.vocab.lookups.has_table("lexeme_norm") and self.language.data.matching.words == "lower"
        )
        word_norms: dict[str, tuple[int, ...]] = {}
        # each phrase as its NORM texts, for the phrase gate (see phrase_gate.py); those of the
        # sources matched for narrowing rules alone have a gate of their own (see `_may_match`)
        norm_texts: set[tuple[str, ...]] = set()
        narrowed_texts: set[tuple[str, ...]] = set()

        def norms_of(word: str) -> tuple[int, ...]:
            if word not in word_norms:
                if plain_norms and word.isalpha() and word not in special_cases:
                    word_norms[word] = (strings.add(word),)
                else:
                    word_norms[word] = tuple(self._nlp.make_doc(word).to_array([NORM]).tolist())
            return word_norms[word]

        keywords: list[tuple[str, list[tuple[int, ...]]]] = []

        def add(key: str, phrases: Iterable[str], *, gated: bool = True, narrowed: bool = False) -> None:
            unique = {tuple(h for word in phrase.split() for h in norms_of(word)) for phrase in phrases}
            if unique:
                keywords.append((key, sorted(unique)))
                if gated:
                    texts = narrowed_texts if narrowed else norm_texts
                    texts.update(tuple(strings[h] for h in phrase) for phrase in unique)

        # each lexicon entry has a key of its own, so a match knows which entry's plain wording to use
        lexicon_keys: dict[str, tuple[str, str]] = {}
        for rule in self.matched.values():
            add(
                matcher_keys.phrases(rule.code),
                self.ruleset.expanded(rule, "phrases", normalise=_lower),
                narrowed=rule.code in self.narrowed_only,
            )
            # A rule's exceptions only cancel its own matches, so they open no gate: a phrase match
            # already lets its block through, and the block of a regex match is tokenized for its
            # exceptions when the gate left it out (`_exceptions_near`). A detector's matches are
            # found later, from the phrases it names: its exceptions keep their place in the gate.
            add(
                matcher_keys.exceptions(rule.code),
                self.ruleset.expanded(rule, "exceptions", normalise=_lower),
                gated=isinstance(rule, DetectorRule),
            )
            if isinstance(rule, DetectorRule):
                # a detector's own phrase sets (the missing-closing rule's closing lines: "let me
                # know", "we will") open no gate: common in every reply, they are looked for where
                # the detector asks, in the few sentences it reads (see `_detector_phrases`)
                for set_name, _, patterns in phrase_sets(rule.detector, rule.options):
                    add(
                        matcher_keys.detector_set(rule.code, set_name),
                        [p for pattern in patterns for p in self.ruleset.expand_pattern(pattern, normalise=_lower)],
                        gated=False,
                    )
            lexicon = rule.lexicon if isinstance(rule, LexiconRule) else {}
            for index, (term, plain) in enumerate(lexicon.items()):
                phrases = self.ruleset.expand_pattern(term)
                capitals = [p for p in phrases if not any(c.islower() for c in p) and any(c.isupper() for c in p)]
                for key, group in (
                    (matcher_keys.lexicon_entry(rule.code, index, capitals=False), set(phrases) - set(capitals)),
                    (matcher_keys.lexicon_entry(rule.code, index, capitals=True), capitals),
                ):
                    if group:
                        lexicon_keys[key] = (rule.code, plain)
                        add(key, [_lower(p) for p in group])
        # word pairs that follow each other in some phrase: a gap in the reply (a skipped adverb or
        # a line wrap) can only hide a phrase if the words on either side of it are such a pair
        bigrams = {pair for _, group in keywords for phrase in group for pair in itertools.pairwise(phrase)}
        forms = surface_forms(self._nlp) if self.language.data.matching.words == "lower" else None
        words = self.language.data
        common = frozenset(word.lower() for word in words.common_words)
        frequent = frozenset(word.lower() for word in words.frequent_words)

        def gate_of(texts: set[tuple[str, ...]]) -> PhraseGate | None:
            if forms is None:
                return None
            return PhraseGate(texts, forms, common=common, frequent=frequent, skippable=self.ruleset.skippable)

        return {
            "keywords": keywords,
            "longest": max((len(phrase) for _, group in keywords for phrase in group), default=1),
            "lexicon_keys": lexicon_keys,
            "bigrams": bigrams,
            "gate": gate_of(norm_texts),
            "narrowed_gate": gate_of(narrowed_texts - norm_texts) if narrowed_texts - norm_texts else None,
        }

    def _build_matcher(self) -> None:
        from spacy.matcher import Matcher

        self.matcher = Matcher(self._nlp.vocab)
        anchors: set[str] | None = set()
        for rule in self.matched.values():
            if not isinstance(rule, TokenPatternRule):
                continue
            try:
                self.matcher.add(rule.code, [list(p) for p in rule.patterns])
            except Exception as exc:  # spaCy reports bad patterns with its own error types
                raise RuleError(
                    f"{self.ruleset.sources[rule.code]}: rule {rule.code}: field 'patterns': {exc}"
                ) from None
            for pattern in rule.patterns:
                first = pattern[0].get("LOWER") if pattern else None
                if anchors is not None and isinstance(first, str):
                    anchors.add(first)
                elif anchors is not None and isinstance(first, dict) and isinstance(first.get("IN"), list):
                    anchors.update(first["IN"])
                else:
                    anchors = None  # a pattern with no literal first word: always run
        self.matcher_anchors = None if anchors is None else {self._nlp.vocab.strings.add(a.lower()) for a in anchors}
        self.has_matcher = len(self.matcher) > 0

    def _build_regex(self) -> None:
        # One compiled pattern per source of a rule, compiled once per configuration, and their
        # matches merged as the alternation of the rule's sources would give them (see
        # _leftmost_first). An alternation was measured 5.6x slower over all rules and 5x over
        # one rule of fourteen sources: the regex engine tries every branch at every position,
        # while a pattern that starts with a literal or a lookahead lets it skip ahead.
        self.rule_regex: list[tuple[str, tuple[Lazy, ...], frozenset[str], tuple[str, ...]]] = []
        self._rewrites: dict[tuple[str, int], regex.Pattern[str]] = {}  # compiled on first use
        vocab = self.ruleset.vocab
        for rule in self.matched.values():
            if isinstance(rule, (PhraseRule, RegexRule)) and rule.regex:
                case_sensitive = isinstance(rule, RegexRule) and rule.case_sensitive
                flags = 0 if case_sensitive else regex.IGNORECASE
                patterns = tuple(Lazy(with_lists(part, vocab), flags) for part in rule.regex)
                requires = frozenset(w.lower() for word in rule.requires for w in required_words(word, vocab))
                self.rule_regex.append((rule.code, patterns, requires, rule.scope))
        # each source's literal gate (see literals.py): a source none of whose gate strings is in
        # the reply cannot match it and is not scanned; None when a rule's sources have no gate
        self._source_gates: dict[str, Gates[Lazy] | None] = {}
        for code, patterns, _, _ in self.rule_regex:
            gates = tuple(self._gate(pattern.source, pattern.flags) for pattern in patterns)
            self._source_gates[code] = Gates(patterns, gates) if any(g is not None for g in gates) else None
        # rules from rule packs (not tonecheck's own, which are audited for backtracking) run
        # their regular expressions with a time limit
        builtin = builtin_rules_dir().resolve()
        self.user_rules = {
            code
            for code in self.matched
            if not Path(self.ruleset.sources.get(code, builtin)).resolve().is_relative_to(builtin)
        }
        # each rule's required words (less those that hold another): those without spaces, and
        # patterns for those with spaces, whose pieces any run of whitespace may separate (a line
        # break in "can't\nbe")
        self._requires: dict[str, tuple[tuple[str, ...], tuple[tuple[str, re.Pattern[str]], ...]]] = {}
        for code, _, words, _ in self.rule_regex:
            kept = _without_implied(words)
            self._requires[code] = (tuple(sorted(w for w in kept if not _has_space(w))), _spaced_words(kept))
        self.detector_rules = [rule for rule in self.matched.values() if isinstance(rule, DetectorRule)]

    def rewrite_pattern(self, code: str, index: int) -> regex.Pattern[str]:
        key = (code, index)
        if key not in self._rewrites:
            self._rewrites[key] = compile_pattern(self.matching_rules[code].rewrites[index].pattern, regex.IGNORECASE)
        return self._rewrites[key]

    def rewrite_match(self, code: str, index: int, text: str, pos: int, endpos: int) -> regex.Match[str] | None:
        """A rule's rewrite pattern matched at pos (with a time limit for rule packs' own)."""
        timeout = self.regex_timeout_for(code, text)
        try:
            return self.rewrite_pattern(code, index).match(text, pos, endpos, timeout=timeout)
        except TimeoutError:
            self._regex_ran_out(code, f"rewrites[{index}].pattern", timeout)
            return None

    def regex_timeout_for(self, code: str, text: str) -> float | None:
        """Seconds rule `code`'s regular expression may run on `text`: the caller's budget when
        one is set (the service), else, for a rule pack's own rule, generous for any pattern that
        does not backtrack catastrophically (those take ~1 ms per 10 KB) and short of a hang;
        tonecheck's own rules are written not to backtrack and run without a limit."""
        budget = regex_timeout()
        if budget is not None:
            return budget
        return USER_REGEX_TIMEOUT + len(text) / 100_000 if code in self.user_rules else None

    def _regex_ran_out(self, code: str, field: str, timeout: float | None) -> None:
        """With a budget set (the service) the rule is skipped for this reply and recorded;
        otherwise the run stops with an error that names the rule and its field."""
        if regex_timeout() is not None:
            record_timeout(code)
            return
        raise RuleError(
            f"{self.ruleset.sources.get(code, 'rule file')}: rule {code}: field '{field}': the regular expression "
            f"took more than {timeout or USER_REGEX_TIMEOUT:.1f} s on one reply (catastrophic backtracking); "
            "make its repeats possessive (a*+, a++) or atomic ((?>...)) so it cannot retry every split"
        )

    def _build_context_vetoes(self) -> None:
        normalise = functools.partial(_normalise_words, language=self.language)
        self.not_after: dict[str, Lazy] = {}
        self.not_before: dict[str, Lazy] = {}
        for rule in self.matched.values():
            for field_name, table, template in (
                ("not_after", self.not_after, r"(?:^|[^\w'])(?:{})[\s,]*$"),
                ("not_before", self.not_before, r"^[\s,]*(?:{})(?![\w'])"),
            ):
                patterns: tuple[str, ...] = getattr(rule, field_name, ())
                if patterns:
                    # one regular expression per pattern, not its expansion: a vocabulary list
                    # in a pattern ("(first|then)? @how_to") would expand to thousands of phrases
                    alternation = "|".join(to_regex(p, self.ruleset.vocab, normalise) for p in patterns)
                    table[rule.code] = Lazy(template.format(alternation))

    def _build_context(self) -> None:
        """Each rule's `context` as (cue pattern, windows, ignored cue pattern) triples."""
        cue_parts = {
            name: cue_set_parts(self.ruleset, cue_set, self.language) for name, cue_set in self.ruleset.cues.items()
        }
        cue_patterns = {name: self._cue("|".join(sources)) for name, sources in cue_parts.items()}
        joined: dict[tuple[str, ...], Cue] = {}  # one pattern per list of cue sets: one search per window

        def pattern_for(names: tuple[str, ...]) -> Cue:
            if names not in joined:
                joined[names] = (
                    cue_patterns[names[0]]
                    if len(names) == 1
                    else self._cue("|".join(f"(?:{cue_patterns[name].source})" for name in names))
                )
            return joined[names]

        with_context: list[TextRule | NarrowingRule] = [*self.text_rules.values(), *self.narrowing_rules.values()]
        self.context: dict[str, list[tuple[Cue, tuple[str, ...], Cue | None, Lazy | None]]] = {
            rule.code: [
                (
                    pattern_for(veto.cues),
                    veto.in_,
                    pattern_for(veto.ignore) if veto.ignore else None,
                    Lazy(veto.when, regex.IGNORECASE) if veto.when else None,
                )
                for veto in rule.context
            ]
            for rule in with_context
            if rule.context
        }
        # each narrowing rule's vetoes that hold for a whole sentence's matches, cheapest first
        # (see `_idle_sources`)
        self._sentence_vetoes: dict[str, tuple[SentenceVeto, ...]] = {}
        parts: dict[str, tuple[Cue, ...]] = {}

        def parts_of(names: tuple[str, ...]) -> tuple[Cue, ...]:
            for name in set(names) - parts.keys():
                parts[name] = tuple(map(self._cue, cue_parts[name]))
            return tuple(part for name in names for part in parts[name])

        for code, rule in self.narrowing_rules.items():
            vetoes = [
                SentenceVeto(pattern_for(veto.cues), windows, parts_of(veto.ignore))
                for veto in rule.context
                if not veto.when and (windows := tuple(w for w in veto.in_ if w in NEIGHBOURS))
            ]
            self._sentence_vetoes[code] = tuple(
                sorted((v for v in vetoes if matches_within(v.pattern)), key=lambda v: len(v.pattern.source))
            )

    def _gate(self, source: str, flags: int = 0) -> Gate | None:
        key = (source, flags)
        if key not in self._gates:
            self._gates[key] = gate(source, flags)
        return self._gates[key]

    def _cue(self, source: str) -> Cue:
        return Cue(source, self._gate(source))

    def _context_vetoed(self, code: str, scan: Scan, start: int, end: int) -> bool:
        """True if a cue set of the rule's `context` occurs in one of its windows around the match
        (for a veto with `when`, only if the match is one it is for)."""
        around = Around(scan, start, end)
        return any(
            around.any_cue(pattern, windows, ignore)
            for pattern, windows, ignore, when in self.context[code]
            if when is None or when.search(scan.scan, start, end) is not None
        )

    def _vetoed(self, code: str, scan: Scan, start: int, end: int) -> bool:
        before = self.not_after.get(code)
        language = self.language
        if before is not None and before.search(_normalise_context(scan.scan[max(0, start - 60) : start], language)):
            return True
        after = self.not_before.get(code)
        return after is not None and after.search(_normalise_context(scan.scan[end : end + 60], language)) is not None

    # -- checking ----------------------------------------------------------------------------
    def check(
        self,
        text: str,
        *,
        mode: Mode,
        context: Mapping[str, str] | None = None,
        channel: Channel | None = None,
        ignore: Sequence[str] = (),
        language: str | None = None,
    ) -> Report:
        """Lint one reply. `channel` None: the configuration's (auto: read from the reply);
        `ignore` drops findings by code, prefix, rule name or category, for this reply only;
        `language` None: the configuration's (auto: detected from the reply). A reply is linted
        by the engine of its language; one in a language without a rule pack is not checked."""
        if len(text) > MAX_CHARS:
            raise InputError(f"text is {len(text):,} characters; the limit is {MAX_CHARS:,}")
        if language is not None and not is_language_code(language):
            raise InputError(f"language must be a language code such as 'en' or 'ru', not {language!r}")
        # lone "\r" line breaks (old Mac files) read as "\n" everywhere lines matter; same length
        lines_text = lone_cr_to_lf(text)
        anatomy = analyse(lines_text, self.language)
        scan_text = _scan_text(lines_text, anatomy)
        code = language or (self.config.language if self.config.language != "auto" else None)
        lowered = scan_text.lower()
        runs = word_runs(lowered)  # read once: for the detector's first look and the phrase gate
        if code is None:
            code = detect(
                scan_text,
                default=self.config.default_language,
                by_script=_pack_scripts(),
                common=_common_words(),
                runs=first_look_runs(lowered, runs),
            )
        if code != self.language.code:
            other = self.for_language(code)
            if other is None:
                return Report(text=text, mode=mode, findings=(), language=code, notes=(f"{NOT_CHECKED}{code}",))
            return other.check(text, mode=mode, context=context, channel=channel, ignore=ignore, language=code)
        checked = functools.partial(
            self._check,
            text,
            anatomy=anatomy,
            scan_text=scan_text,
            lowered=lowered,
            runs=runs,
            mode=mode,
            context=context,
            channel=channel,
            ignore=ignore,
        )
        # One check at a time per engine: spaCy's vocabulary is shared state, and a memory zone
        # (below) swaps its allocator for the whole vocabulary while it is open.
        with self._vocab_lock:
            if not self._pipeline_built:  # (nothing learnt yet: the first reply to need it builds it)
                return checked()
            vocab = self._nlp.vocab  # (built: the property's check is not needed)
            if not self._zone_open and len(vocab) > self.renewal_limit:
                self._renew_pipeline()
                vocab = self._nlp.vocab
            if self._zone_open or len(vocab.strings) < self.vocab_limit:
                return checked()
            # The vocabulary is full: words it has not seen are kept only for this reply, so a
            # long-running process that lints new names, typos and order numbers stays bounded.
            with self.memory_zone():
                return checked()

    @contextmanager
    def memory_zone(self) -> Iterator[None]:
        """A block whose new words spaCy's vocabulary forgets at its end (Vocab.memory_zone). The
        engine's checks wait while another thread's block is open, and a block inside a block is
        the outer one (spaCy's zones do not nest)."""
        with self._vocab_lock:
            if self._zone_open:
                yield
                return
            if len(self.nlp.vocab) > self.renewal_limit:
                self._renew_pipeline()
            zone = getattr(self.nlp, "memory_zone", None)  # a trained pipeline's pipes have their own
            self._zone_open = True
            try:
                with zone() if zone is not None else self.nlp.vocab.memory_zone():
                    yield
            finally:
                self._zone_open = False

    def _renew_pipeline(self) -> None:
        """A fresh vocabulary, tokenizer and matchers, built from the compiled phrase data (no
        rule is compiled again): the old ones, with every word and tombstone they hold, are freed.
        Called with the vocabulary lock held, between checks."""
        self._build_pipeline(self._phrase_data)
        self.renewals += 1

    def _build_pipeline(self, phrase_data: dict[str, Any] | None) -> None:
        """The spaCy pipeline and the matchers on its vocabulary; the phrases compiled with its
        tokenizer when `phrase_data` is None."""
        self._nlp = _load_pipeline(
            self._pipeline_name,
            _lexeme_attributes(self.matched.values()),
            lemmas=self.language.data.matching.words == "lemma",
        )
        self.has_pipes = bool(self._nlp.pipe_names)  # a blank pipeline only tokenizes: call that directly
        self._build_phrase_index(phrase_data)
        self._build_matcher()
        # the vocabulary learns the words of replies (that makes them cheap the next time) up to
        # this many strings; past it, new words are forgotten after each reply (see `check`)
        self.vocab_limit = len(self._nlp.vocab.strings) + VOCAB_GROWTH
        self.renewal_limit = len(self._nlp.vocab) + VOCAB_RENEWAL
        self._pipeline_built = True

    @property
    def nlp(self) -> Any:
        """The spaCy pipeline (built on first use; see __init__)."""
        self.prepare()
        return self._nlp

    @property
    def phrase_index(self) -> PhraseIndex:
        """Every selected phrase, for a list of NORMs (see phrase_index.py)."""
        self.prepare()
        assert self._phrase_index is not None  # (built with the pipeline)
        return self._phrase_index

    def prepare(self) -> None:
        """Build the spaCy pipeline now, e.g. before worker processes are forked to share it."""
        if not self._pipeline_built:
            with self._vocab_lock:
                if not self._pipeline_built:
                    self._build_pipeline(self._phrase_data)

    def _check(
        self,
        text: str,
        *,
        anatomy: Anatomy,
        scan_text: str,
        lowered: str,
        runs: list[str],
        mode: Mode,
        context: Mapping[str, str] | None,
        channel: Channel | None,
        ignore: Sequence[str],
    ) -> Report:
        # Tokenize a lower-cased copy: spaCy splits "can't" but not "CAN'T". Offsets must stay
        # the same, so this is skipped in the rare text whose lower case changes length ("İ").
        same_length = len(lowered) == len(scan_text)
        channel_read = False  # read from the reply's shape, not given by the caller or the configuration
        if channel is None:
            channel_read = self.config.channel == "auto"
            channel = (
                self.config.channel
                if self.config.channel != "auto"
                else detect_channel(scan_text, anatomy, self.config.closing)
            )
        scan = Scan(
            text,
            scan_text,
            mode,
            anatomy,
            None,
            context or {},
            self.config,
            lowered,
            self.placeholder_syntaxes,
            channel=channel,
            channel_read=channel_read,
            language=self.language,
            runs=runs,
        )
        if self.has_phrases:
            scan.detector_phrases = functools.partial(self._detector_phrases, scan, same_length)
        # what is tokenized, as (offset, doc): only what a phrase or token pattern may match
        docs: list[tuple[int, Any]] = []
        if self.has_matcher or self.phrase_gate is None or not same_length:
            docs.append((0, self._tokenize(lowered if same_length else scan_text)))
        # (the gate reads what is tokenized)
        elif self._may_match(scan, tokenized := _break_punctuation_runs(lowered), runs):
            may_match = functools.partial(self._may_match, scan)
            blocks = self._blocks_to_match(tokenized, may_match)
            docs = [(start, self._tokenize_broken(tokenized[start:end])) for start, end in blocks]
        scan.docs = docs
        scan.doc = docs[0][1] if len(docs) == 1 and docs[0][0] == 0 else None  # the whole reply, if that is what it is
        scan.cache["audience"] = self.audience  # who the reply is written for (see developer_facing)
        reported = self.reported
        hits = [hit for hit in self._match(scan) if hit.code in reported]
        if hits:  # (most replies have none: the steps below would each pass over nothing)
            scan.cache["jargon spans"] = [(h.start, h.end) for h in hits if self.rules[h.code].category == "jargon"]
            hits = _dedupe(self, self._kept_hits(scan, hits))
            if ignore:  # a filter on what would be reported: a dropped finding hides no other
                hits = [hit for hit in hits if not self._ignored(hit.code, ignore)]
        return Report(
            text=text,
            mode=mode,
            channel=channel,
            findings=tuple(_to_findings(self, scan, hits)),
            regions=tuple(anatomy.regions),
            language=self.language.code,
        )

    def for_language(self, code: str) -> Engine | None:
        """The engine of this configuration for another language (built on first use), or None
        when tonecheck has no rules for that language."""
        if code in self._siblings:
            return self._siblings[code]
        with self._siblings_lock:
            if code not in self._siblings:
                engine = Engine(self.config, code) if code in packs() else None
                if engine is not None:
                    engine._siblings = self._siblings  # one family: each finds the others
                self._siblings[code] = engine
        return self._siblings[code]

    def _tokenize(self, text: str) -> Any:
        return self._tokenize_broken(_break_punctuation_runs(text))

    def _tokenize_broken(self, text: str) -> Any:
        """Tokenize a text whose punctuation runs are already broken (see _break_punctuation_runs)."""
        return self.nlp(text) if self.has_pipes else self.nlp.tokenizer(text)

    def _detector_phrases(
        self, scan: Scan, same_length: bool, start: int, end: int
    ) -> dict[str, list[tuple[int, int]]]:
        """The matches of the detectors' own phrase sets in scan[start:end] (a detector asks for
        the few sentences it reads; those phrases open no gate), by key, in reply offsets."""
        found: dict[str, list[tuple[int, int]]] = {}
        if start >= end:
            return found
        doc = self._tokenize((scan.lowered if same_length else scan.scan)[start:end])
        keys = self._keys
        for match_id, s, e in self._phrase_matches(doc):
            key = keys[match_id]
            if key.role == "detector-set":
                spans = found.setdefault(key.target, [])
                if (start + s, start + e) not in spans:
                    spans.append((start + s, start + e))
        return found

    def _may_match(self, scan: Scan, lowered: str, runs: list[str] | None = None) -> bool:
        """Whether the phrase gates let a lower-cased text of the reply through: the gate of the
        phrases that may be reported, or that of the sources matched for narrowing rules alone
        where one of those could report a match in this reply."""
        gate = self.phrase_gate
        if gate is None or gate.may_match(lowered, runs):
            return True
        narrowed = self.narrowed_gate
        return (
            narrowed is not None
            and narrowed.may_match(lowered, runs)
            and not self._idle_sources(scan) >= self.narrowed_only
        )

    def _idle_sources(self, scan: Scan) -> frozenset[str]:
        """The sources matched for narrowing rules alone whose narrowing rules can report nothing
        in this reply, whatever matches: a reply of several sentences of substance gets no
        NEG007, so its refusals need not be looked for (told once per reply)."""
        idle: frozenset[str] | None = scan.cache.get("idle sources")
        if idle is None:
            quiet = {
                code
                for code, rule in self.narrowing_rules.items()
                if scan.mode not in rule.modes
                or scan.channel not in self.channels[code]
                or vetoed_everywhere(scan, self._sentence_vetoes[code])
            }
            idle = scan.cache["idle sources"] = frozenset(
                code for code in self.narrowed_only if quiet.issuperset(self.narrowed_to[code])
            )
        return idle

    @staticmethod
    def _blocks_to_match(lowered: str, may_match: Callable[[str], bool]) -> list[tuple[int, int]]:
        """The spans of a reply to tokenize for phrases, when the gate lets the reply through: the
        blocks between blank lines that the gate lets through (a phrase never spans a blank line:
        see _learn_spaces). What is tokenized grows with what may match, not with the reply: a
        phrase of common words ("why would you") lets many replies through, seldom all their blocks."""
        if "\n\n" not in lowered:
            return [(0, len(lowered))]
        return [(start, end) for start, end in _blocks(lowered) if may_match(lowered[start:end])]

    def _match(self, scan: Scan) -> Iterable[Hit]:
        doc = scan.doc
        raw: list[tuple[str, int, int, dict[str, str]]] = []
        excepted: dict[str, list[tuple[int, int]]] = {}
        narrowed_only = self.narrowed_only
        if self.has_phrases and scan.docs:
            seen: set[tuple[int, int, int]] = set()
            for match_id, start, end in (
                (key, offset + start, offset + end)
                for offset, piece in scan.docs
                for key, start, end in self._phrase_matches(piece)
            ):
                if (match_id, start, end) in seen:
                    continue
                seen.add((match_id, start, end))
                key = self._keys[match_id]
                if key.role == "phrases":
                    if key.code in narrowed_only and key.code in self._idle_sources(scan):
                        continue
                    raw.append((key.code, start, end, {}))
                elif key.role == "lexicon":
                    if key.capitals_only and any(ch.islower() for ch in scan.scan[start:end]):
                        continue
                    raw.append((key.code, start, end, {"plain": self.lexicon_keys[key.target][1]}))
                elif key.role == "exceptions":
                    excepted.setdefault(key.target, []).append((start, end))
                else:
                    scan.phrase_spans.setdefault(key.target, []).append((start, end))
        if self.has_matcher and doc is not None and self._matcher_may_match(doc):
            strings = self.nlp.vocab.strings
            for match_id, s, e in self.matcher(doc):
                raw.append((strings[match_id], doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), {}))
        lowered = scan.lowered
        for code, patterns, requires, scope in self.rule_regex:
            if requires and not _any_required(lowered, *self._requires[code]):
                continue
            gates = self._source_gates[code]
            if gates is not None:
                patterns = gates.kept(scan.scan, lowered)
                if not patterns:
                    continue
            # whether a source is idle is asked before a long text is scanned (a scan costs more
            # than the question there) and, in a short one, only of a source that matched: most
            # match nothing
            if code in narrowed_only and len(lowered) > _IDLE_FIRST and code in self._idle_sources(scan):
                continue
            spans = [(r.start, r.end) for r in scan.anatomy.kinds(*scope)] if scope else [(0, len(scan.scan))]
            if gates is not None and len(lowered) > _BLOCKWISE:
                runs = [(s, e, gates.kept(text, low)) for s, e, text, low in _clipped(_block_texts(scan), spans)]
            else:
                runs = [(s, e, patterns) for s, e in spans]
            timeout = self.regex_timeout_for(code, scan.scan)
            found: list[tuple[int, int]] = []
            try:
                for span_start, span_end, kept in runs:
                    if kept:
                        found.extend(_leftmost_first(kept, scan.scan, span_start, span_end, timeout))
            except TimeoutError:
                self._regex_ran_out(code, "regex", timeout)
            if found and not (code in narrowed_only and code in self._idle_sources(scan)):
                raw.extend((code, start, end, {}) for start, end in found)
        if self._regex_excepted and self.has_phrases:
            self._exceptions_near(scan, raw, excepted)
        exceptions = {code: SpanIndex(spans) for code, spans in excepted.items()}
        for code, start, end, values in raw:
            rule = self.text_rules[code]
            if scan.mode not in rule.modes or scan.channel not in self.channels[code]:
                continue
            if rule.scope and scan.anatomy.region_of(start) not in rule.scope:
                continue
            if rule.at_sentence_start and not scan.at_sentence_start(start):
                continue
            if code in exceptions and exceptions[code].overlaps(start, end):
                continue
            if self._vetoed(code, scan, start, end):
                continue
            if code in self.context and self._context_vetoed(code, scan, start, end):
                note = self.softened_to.get(code)
                if note is not None and self._derived_keeps(note, scan, start, end, exceptions):
                    yield Hit(note, start, end, values)
                continue
            yield Hit(code, start, end, values)
            for narrowing in self.narrowed_to.get(code, ()):
                if (
                    scan.channel in self.channels[narrowing]
                    and self._derived_keeps(narrowing, scan, start, end, exceptions)
                    and not self._context_vetoed(narrowing, scan, start, end)
                ):
                    yield Hit(narrowing, start, end, values)
        for detector_rule in self.detector_rules:
            if scan.mode in detector_rule.modes and scan.channel in self.channels[detector_rule.code]:
                for hit in REGISTRY[detector_rule.detector](scan, detector_rule, detector_rule.options):
                    excepting = exceptions.get(detector_rule.code)
                    if excepting is None or not excepting.overlaps(hit.start, hit.end):
                        yield hit

    def _exceptions_near(
        self, scan: Scan, raw: list[tuple[str, int, int, dict[str, str]]], excepted: dict[str, list[tuple[int, int]]]
    ) -> None:
        """The exception matches in the blocks (between blank lines) of the regex matches that an
        exception may cancel, where the phrase gate left those blocks untokenized: exceptions open
        no gate, and the few replies with such a match pay for their tokens here."""
        regex_excepted = self._regex_excepted
        pending = [(start, end) for code, start, end, _ in raw if code in regex_excepted]
        if not pending:
            return
        # a match is inside the last tokenized span that starts at or before it, if any
        starts = [start for start, _ in scan.tokenized_spans()]
        ends = [end for _, end in scan.tokenized_spans()]
        untokenized = sorted(
            (start, end)
            for start, end in pending
            if (at := bisect.bisect_right(starts, start) - 1) < 0 or end > ends[at]
        )
        if not untokenized:
            return
        lowered = scan.lowered
        # the blocks a match overlaps (it may span a blank line): an exception that cancels it
        # overlaps it, and no phrase spans a blank line. Blocks and matches both in order: one pass.
        blocks = []
        first = 0  # the first match that may still overlap a block from here on
        furthest = list(itertools.accumulate((end for _, end in untokenized), max))  # of the matches so far
        for block_start, block_end in _blocks(lowered):
            while first < len(untokenized) and furthest[first] <= block_start:
                first += 1
            if first < len(untokenized) and untokenized[first][0] < block_end:
                blocks.append((block_start, block_end))
        for block_start, block_end in blocks:
            for match_id, start, end in self._phrase_matches(self._tokenize(lowered[block_start:block_end])):
                key = self._keys[match_id]
                if key.role == "exceptions":
                    excepted.setdefault(key.target, []).append((block_start + start, block_start + end))

    def _derived_keeps(self, code: str, scan: Scan, start: int, end: int, exceptions: dict[str, SpanIndex]) -> bool:
        """A note or narrowing rule's own modes and exceptions apply to what it reports."""
        rule = self.matching_rules[code]
        excepting = exceptions.get(code)
        return scan.mode in rule.modes and (excepting is None or not excepting.overlaps(start, end))

    def _phrase_matches(self, doc: Any) -> Iterable[tuple[int, int, int]]:
        """Phrase matches as (key, start char, end char), on the full text and, where it could
        add a match, on a view with skippable words (and the commas around them) left out."""

        def span(first: int, last: int) -> tuple[int, int]:
            return doc[first].idx, doc[last].idx + len(doc[last])

        if not len(doc):
            return
        array = doc.to_array(self._norm_and_space)  # one row per token: NORM, IS_SPACE
        norms, is_space = array.T.tolist()
        index = self.phrase_index
        for match_id, s, e in index(norms):
            yield (match_id, *span(s, e - 1))
        if 1 in is_space:
            self._learn_spaces(set(itertools.compress(norms, is_space)))
        gap_words = self._gap_words
        if gap_words.isdisjoint(norms):  # one C-level test: about half the replies stop here
            return
        gaps = [index for index, norm in enumerate(norms) if norm in gap_words]
        removed = self._removed(norms, gaps)
        hiding = self._gaps_that_may_hide_phrases(norms, removed)
        if not hiding:
            return
        kept = [index for index in range(len(norms)) if index not in removed]
        # The view holds the kept tokens near such gaps only (all of them in a short reply), in
        # windows separated by a break no phrase spans: a long text needs no view of its own size.
        reach = self._longest_phrase
        windows: list[list[int]] = []
        for gap in hiding:
            at = bisect.bisect_left(kept, gap)  # kept tokens before the gap
            first, last = max(0, at - reach), min(len(kept), at + reach)
            if windows and first <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], last)
            else:
                windows.append([first, last])
        order: list[int] = []  # the token of the reply each view token copies; -1: a break
        for first, last in windows:
            if order:
                order.append(-1)
            order.extend(kept[first:last])
        view_break = self._view_break
        view = [norms[token] if token >= 0 else view_break for token in order]
        for match_id, s, e in index(view):
            yield (match_id, *span(order[s], order[e - 1]))

    def _learn_spaces(self, space_norms: set[int]) -> None:
        """Sort whitespace tokens into those a phrase may span (a hard line wrap, a double space)
        and those it may not (a blank line), once per distinct token."""
        if len(self._soft_spaces) + len(self._hard_spaces) > 4096:  # every length of blank is a new one
            self._soft_spaces.clear()
            self._hard_spaces.clear()
        new = space_norms - self._soft_spaces - self._hard_spaces
        for norm in new:
            hard = "\n\n" in self.nlp.vocab.strings[norm]
            (self._hard_spaces if hard else self._soft_spaces).add(norm)
        if new:
            self._gap_words = self.skippable | self._soft_spaces

    def _removed(self, norms: list[int], gaps: list[int]) -> set[int]:
        """Token indices the view leaves out: the gap words, plus commas around them
        (", unfortunately, we" reads "we"): the comma before a gap word goes, and then the comma
        right after it too."""
        comma = self.comma
        gap_set = set(gaps)
        removed = set(gaps)
        # the tokens before this one that the view keeps, in order: a stack, the nearest on top, so
        # that a run of gap words costs no walk back over it
        kept: list[int] = []
        for index in range(len(norms)):
            if index not in removed:
                kept.append(index)
            elif index in gap_set and kept and norms[kept[-1]] == comma:
                removed.add(kept.pop())
                after = index + 1
                if after < len(norms) and norms[after] == comma:
                    removed.add(after)
        return removed

    def _gaps_that_may_hide_phrases(self, norms: list[int], removed: set[int]) -> list[int]:
        """The gaps (first token of each run of removed tokens, in order) a view match could span:
        a view match that is not a match in the full text spans a gap, so the words on either
        side of it follow each other in a phrase."""
        found = []
        for index in sorted(removed):
            if index - 1 in removed:
                continue  # not the first of its run
            after = index + 1
            while after in removed:
                after += 1
            if index > 0 and after < len(norms) and (norms[index - 1], norms[after]) in self.bigrams:
                found.append(index)
        return found

    def _kept_hits(self, scan: Scan, hits: list[Hit]) -> list[Hit]:
        """The hits `_keeps` keeps, less a jargon term inside a longer one it let go: "propagation"
        where the reply says "you may hear this called DNS propagation"."""
        kept: list[Hit] = []
        excused: list[Hit] = []
        for hit in hits:
            (kept if self._keeps(scan, hit) else excused).append(hit)
        excused = [hit for hit in excused if self.rules[hit.code].category == "jargon"]
        if not excused:
            return kept
        return [
            hit
            for hit in kept
            if self.rules[hit.code].category != "jargon"
            or not any(
                e.start <= hit.start and hit.end <= e.end and e.end - e.start > hit.end - hit.start for e in excused
            )
        ]

    def _keeps(self, scan: Scan, hit: Hit) -> bool:
        """Category-wide filters: jargon the reply explains, the team accepts, the customer used
        first (in the quoted message) or that is normal for the reply's audience is fine."""
        if self.rules[hit.code].category == "jargon":
            return not (
                in_glossary(scan, hit.start, hit.end)
                or in_link_address(scan, hit.start, hit.end)
                or explained(scan, hit.start, hit.end)
                or for_the_audience(scan, hit.start, hit.end, self.audience, hit.code)
                or used_by_customer(scan, hit.start, hit.end)
            )
        return True

    def _ignored(self, code: str, ignore: Sequence[str]) -> bool:
        rule = self.rules[code]
        return any(selector_matches(s, code=rule.code, name=rule.name, category=rule.category) for s in ignore)

    def _matcher_may_match(self, doc: Any) -> bool:
        if self.matcher_anchors is None:
            return True
        from spacy.attrs import LOWER

        return not self.matcher_anchors.isdisjoint(doc.to_array([LOWER]).tolist())


def _blocks(lowered: str) -> Iterator[tuple[int, int]]:
    """The spans of a reply's blocks: its non-empty pieces between blank lines ("\\n\\n"), which no
    phrase spans (see Engine._learn_spaces)."""
    start = 0
    while start < len(lowered):
        end = lowered.find("\n\n", start)
        end = len(lowered) if end < 0 else end
        if end > start:
            yield start, end
        start = end + 2


def _has_space(word: str) -> bool:
    return any(char.isspace() for char in word)


def _spaced_words(words: Iterable[str]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Patterns for the required words that hold whitespace, as they are found in the reply with
    its whitespace runs made one space (" ".join(reply.split())): each piece separated by any run
    of whitespace (what str.split() splits at: `re`'s \\s is the same set of characters), a space
    at a word's edge only where the run has a word on its other side, and no word whose whitespace
    is not single spaces (the joined reply has none). One pattern per first piece ("no\\s+(?:i|we)",
    "going\\s+forward"): a pattern that opens with a literal lets `re` skip to it, where one
    alternation of every word was tried at most letters of every reply. Each pattern comes with
    the longest piece every match of it holds ("" for none), looked for first: a substring test
    is cheaper than the search ("your" before "be\\s+(?:your)", whose "be" is in most replies)."""
    # each group's words by their first piece: (the rest of the word's pattern, the pieces it holds)
    by_first: dict[str, list[tuple[str, list[str]]]] = {}
    for word in sorted(w for w in words if _has_space(w)):
        core = word.strip()
        lead, trail = word[: len(word) - len(word.lstrip())], word[len(word.rstrip()) :]
        if word == " ":
            by_first.setdefault("", []).append((r"\S\s+\S", []))
        elif core and lead in ("", " ") and trail in ("", " ") and " ".join(core.split()) == core:
            pieces = core.split()
            ending = r"\s+(?=\S)" if trail else ""
            if lead or len(pieces) == 1:  # (no literal to open with)
                rest = (r"(?<=\S)\s+" if lead else "") + r"\s+".join(map(re.escape, pieces)) + ending
                by_first.setdefault("", []).append((rest, pieces))
            else:
                rest = r"\s+".join(map(re.escape, pieces[1:])) + ending
                by_first.setdefault(pieces[0], []).append((rest, pieces[1:]))

    def longest_held(first: str, group: list[tuple[str, list[str]]]) -> str:
        # the first piece, and the pieces of the group's word when it has only one
        candidates = [first, *group[0][1]] if len(group) == 1 else [first]
        return max(candidates, key=len)

    def pattern(first: str, group: list[tuple[str, list[str]]]) -> re.Pattern[str]:
        rests = "|".join(rest for rest, _ in group)
        return re.compile(rests if not first else re.escape(first) + r"\s+(?:" + rests + ")")

    return tuple((longest_held(first, group), pattern(first, group)) for first, group in sorted(by_first.items()))


# characters: a text longer than this is asked whether a narrowed source is idle before the
# source is scanned (on a 1 MB text, scanning NEG001, NEG004 and NEG006 first took 0.29 s more)
_IDLE_FIRST = 2_000


# characters: in a longer text, a regular expression rule's sources are looked for block by block
# (between blank lines), each block scanned only by the sources whose literal gate it passes. A
# long text holds every gate's word somewhere, so all of a rule's sources scanned all of it: on a
# 1 MB text, PAG019's 33 sources took half as long again as every other rule together. A match
# never spans a blank line in a text this long (in a reply, as before, it may).
_BLOCKWISE = 20_000


def _block_texts(scan: Scan) -> list[tuple[int, int, str, str]]:
    """The blocks of the reply between blank lines: (start, end, text, lower-cased text), read
    once per reply for every rule."""
    blocks: list[tuple[int, int, str, str]] | None = scan.cache.get("regex blocks")
    if blocks is None:
        text = scan.scan
        blocks = scan.cache["regex blocks"] = [
            (start, end, text[start:end], text[start:end].lower()) for start, end in _blocks(text)
        ]
    return blocks


def _clipped(
    blocks: list[tuple[int, int, str, str]], spans: list[tuple[int, int]]
) -> Iterator[tuple[int, int, str, str]]:
    """The blocks that lie in the spans (a rule's regions), each cut to the span it meets."""
    for span_start, span_end in spans:
        for start, end, text, low in blocks:
            if end <= span_start or start >= span_end:
                continue
            if start >= span_start and end <= span_end:
                yield start, end, text, low
            else:
                cut_start, cut_end = max(start, span_start), min(end, span_end)
                yield (
                    cut_start,
                    cut_end,
                    text[cut_start - start : cut_end - start],
                    low[cut_start - start : cut_end - start],
                )


def _without_implied(words: frozenset[str]) -> frozenset[str]:
    """Required words less those that hold another one without spaces ("faqs" beside "faq",
    "user manual" beside "manual"): where they are in a reply, so is the other."""
    plain = [w for w in words if not _has_space(w)]
    return frozenset(w for w in words if not any(p != w and p in w for p in plain))


def _any_required(lowered: str, plain: tuple[str, ...], spaced: tuple[tuple[str, re.Pattern[str]], ...]) -> bool:
    """Whether any of a rule's required words is in the reply with its whitespace runs read as one
    space ("can't" and "be" on two lines are "can't be" to the rule's regex): a word without
    spaces as it is, the words with spaces by a search for each first piece, where the piece
    that every match holds is in the reply."""
    if any(map(lowered.__contains__, plain)):
        return True
    for piece, pattern in spaced:  # noqa: SIM110  # (a loop, not any(): no generator for one pattern or none)
        if piece in lowered and pattern.search(lowered) is not None:
            return True
    return False


_SURROGATE = Lazy(r"[\ud800-\udfff]")
_NOT_LINE_BREAK = Lazy(r"[^\n]")
# A run of punctuation or symbols is split by spaCy's tokenizer one character at a time from
# both ends, each step copying and hashing the rest of the run: quadratic in its length. Every
# 16th character of a run of 16 or more becomes a space in the copy that is tokenized (same
# length, so offsets hold): the run still gives the same punctuation tokens, 15 at a time, and
# no phrase holds such a run.
_PUNCTUATION_RUN = re.compile(r"[^\w\s]{16,}")
# UTF-8 bytes: ASCII punctuation and symbols, and every byte of a character beyond ASCII, become
# "!"; the rest "a". A run of 16 "!" is in the bytes of every text with such a run (and of a few
# more, which the pattern then reads): one C pass, 3 times faster than the pattern alone, which
# every reply meets before the phrase gate.
_PUNCTUATION_BYTES = bytes(ord("!") if c >= 128 or re.match(r"[^\w\s]", chr(c)) else ord("a") for c in range(256))


def _break_punctuation_runs(text: str) -> str:
    if b"!" * 16 not in text.encode("utf-8", "surrogatepass").translate(_PUNCTUATION_BYTES):
        return text
    if _PUNCTUATION_RUN.search(text) is None:
        return text

    def broken(m: re.Match[str]) -> str:
        chars = list(m.group())
        chars[15::16] = " " * len(chars[15::16])
        return "".join(chars)

    return _PUNCTUATION_RUN.sub(broken, text)


def _pipeline_name(configured: str, language: Language) -> str:
    """The spaCy pipeline of a language: the configured one for the default English, else the
    language's blank tokenizer (a trained pipeline is for one language)."""
    tokenizer = language.data.matching.tokenizer
    if tokenizer != DEFAULT_LANGUAGE or configured == DEFAULT_CONFIG.spacy_model:
        return f"blank:{tokenizer}"
    return configured


_SCRIPTS: dict[str, str] | None = None


def _pack_scripts() -> dict[str, str]:
    """The pack language of each script that exactly one pack is written in ("Cyrillic": "ru")."""
    global _SCRIPTS
    if _SCRIPTS is None:
        by_script: dict[str, list[str]] = {}
        for code in packs():
            by_script.setdefault(language_data(code).data.script, []).append(code)
        _SCRIPTS = {script: codes[0] for script, codes in by_script.items() if len(codes) == 1}
    return _SCRIPTS


_COMMON: dict[str, frozenset[str]] | None = None


def _common_words() -> dict[str, frozenset[str]]:
    """Each pack language's most common words (language.yml, `common_words`)."""
    global _COMMON
    if _COMMON is None:
        _COMMON = {code: frozenset(w.lower() for w in language_data(code).data.common_words) for code in packs()}
    return _COMMON


def _scan_text(text: str, anatomy: Anatomy) -> str:
    scan = text
    if not text.isascii():  # the common all-ASCII reply skips both passes
        scan = _straighten(text)
        if _SURROGATE.search(scan):  # lone surrogates (from surrogateescape) cannot reach spaCy
            scan = _SURROGATE.sub("\ufffd", scan)
    foreign = anatomy.foreign
    if not foreign:
        return scan
    pieces = []
    cursor = 0
    for region in sorted(foreign, key=lambda r: r.start):
        if region.end <= cursor:
            continue
        start = max(region.start, cursor)
        pieces.append(scan[cursor:start])
        pieces.append(_NOT_LINE_BREAK.sub(" ", scan[start : region.end]))
        cursor = region.end
    pieces.append(scan[cursor:])
    return "".join(pieces)


def _leftmost_first(
    patterns: tuple[Lazy, ...], text: str, start: int, end: int, timeout: float | None
) -> list[tuple[int, int]]:
    """The non-empty matches the alternation of `patterns` would give in text[start:end]: scanning
    left to right, at each position the first pattern that matches there wins and the scan goes on
    after it. Each pattern is scanned alone (see rule_regex)."""
    if len(patterns) == 1:
        return [
            (m.start(), m.end()) for m in patterns[0].finditer(text, start, end, timeout=timeout) if m.end() > m.start()
        ]
    found = sorted(
        (m.start(), order, m.end())
        for order, pattern in enumerate(patterns)
        for m in pattern.finditer(text, start, end, timeout=timeout)
    )
    kept: list[tuple[int, int]] = []
    after = start
    for match_start, _, match_end in found:
        if match_start >= after and match_end > match_start:
            kept.append((match_start, match_end))
            after = match_end
    return kept


def _dedupe(engine: Engine, hits: list[Hit]) -> list[Hit]:
    """Within a category, overlapping hits are one problem: keep the longest, then the most severe.
    Kept spans of a category never overlap, so each new hit is checked against its neighbours only."""

    def priority(hit: Hit) -> tuple[int, int, int, str]:
        return (-(hit.end - hit.start), -engine.rules[hit.code].severity.rank, hit.start, hit.code)

    kept: list[Hit] = []
    taken: dict[str, tuple[list[int], list[int]]] = {}
    for hit in sorted(hits, key=priority):
        starts, ends = taken.setdefault(engine.rules[hit.code].category, ([], []))
        at = bisect.bisect_left(starts, hit.start)
        # the span starting at or after this one, and the one starting before it
        if at < len(starts) and (starts[at] < hit.end or starts[at] == hit.start):
            continue
        if at > 0 and ends[at - 1] > hit.start:
            continue
        starts.insert(at, hit.start)
        ends.insert(at, hit.end)
        kept.append(hit)
    return kept


def _sourced(suggestion: Suggestion) -> Suggestion:
    """A suggestion whose span is also given in the source (plain text: the same offsets)."""
    if suggestion.start is None or suggestion.source_start is not None:
        return suggestion
    return suggestion.model_copy(update={"source_start": suggestion.start, "source_end": suggestion.end})


def _to_findings(engine: Engine, scan: Scan, hits: list[Hit]) -> list[Finding]:
    if not hits:
        return []
    text = scan.text
    lines = LineIndex(text)
    findings = []
    for hit in sorted(hits, key=lambda h: (h.start, h.end, h.code)):
        rule = engine.matching_rules[hit.code]
        matched = text[hit.start : hit.end]
        values = {"match": matched, **hit.values}
        line, column, end_line, end_column = lines.span(hit.start, hit.end)
        findings.append(
            Finding(
                code=rule.code,
                name=rule.name,
                category=rule.category,
                severity=engine.severities.get(rule.code, rule.severity),
                message=hit.message or render(rule.message, values),
                start=hit.start,
                end=hit.end,
                # plain text is its own source; a file's reader maps these into the file
                source_start=hit.start,
                source_end=hit.end,
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column,
                match=matched,
                suggestions=tuple(_sourced(s) for s in _suggestions(engine, scan, hit, rule, values)),
            )
        )
    return findings


ENGINES_KEPT = 8  # compiled configurations a process keeps (each holds its own phrase matcher)
_ENGINES: dict[str, Engine] = {}
_BY_OBJECT: dict[int, tuple[Config, Engine]] = {}
_BUILD_LOCK = threading.Lock()
builds = 0  # engines built in this process (tests check that one configuration builds one)


def get_engine(config: Config | None = None) -> Engine:
    """The compiled engine for a configuration: built once per distinct configuration, also
    when many threads ask for it at the same time."""
    config = config or DEFAULT_CONFIG
    cached = _BY_OBJECT.get(id(config))
    if cached is not None and cached[0] is config:
        return cached[1]
    key = config.cache_key()
    with _BUILD_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            global builds
            if len(_ENGINES) >= ENGINES_KEPT:  # a process that makes configurations without end stays bounded
                evicted = _ENGINES.pop(next(iter(_ENGINES)))
                # (and the look-up by object lets go of it too, or it would keep up to 64 alive)
                for held in [k for k, (_, e) in _BY_OBJECT.items() if e is evicted]:
                    del _BY_OBJECT[held]
            engine = _ENGINES[key] = Engine(Config.model_validate_json(key))
            builds += 1
        if len(_BY_OBJECT) > 64:
            _BY_OBJECT.clear()
        _BY_OBJECT[id(config)] = (config, engine)  # holding config keeps its id from being reused
    return engine
