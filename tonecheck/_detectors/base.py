"""What every detector shares: the registry, options models, Hit and span helpers."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, model_validator

from .._anatomy import Anatomy, is_sentence_start
from .._config import Config
from .._language import Language, language_data
from .._ruleset import matcher_keys
from .._ruleset.phrase_language import RegexSource
from .._text import word_runs
from .._types import Channel, Mode, Suggestion

if TYPE_CHECKING:
    from .._ruleset.schema import DetectorRule


class DetectorOptions(BaseModel):
    """The `options` of a detector rule: each detector declares a subclass (none: no options),
    which validates them when the rule file is loaded; the detector then receives that model."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # used when rule files load


# a detector: (the reply, its rule, the rule's options as the detector's own options model) -> hits
Detector = Callable[["Scan", "DetectorRule", Any], Iterable["Hit"]]
REGISTRY: dict[str, Detector] = {}
OPTIONS: dict[str, type[DetectorOptions]] = {}  # each detector's `options` model, checked at load time


# (set name, field path for errors, phrase patterns): phrase lists a detector hands to the engine,
# which matches them in its one phrase pass and gives the spans back through Scan.phrase_hits
PhraseSets = Callable[[Any], list[tuple[str, str, tuple[str, ...]]]]
PHRASE_SETS: dict[str, PhraseSets] = {}


def detector(
    name: str, options: type[DetectorOptions] | None = None, *, phrase_sets: PhraseSets | None = None
) -> Callable[[Detector], Detector]:
    def register(function: Detector) -> Detector:
        REGISTRY[name] = function
        OPTIONS[name] = options or DetectorOptions
        if phrase_sets is not None:
            PHRASE_SETS[name] = phrase_sets
        return function

    return register


def phrase_sets(detector: str, options: DetectorOptions) -> list[tuple[str, str, tuple[str, ...]]]:
    """The phrase lists a detector wants matched, from its rule's options (none for most detectors)."""
    build = PHRASE_SETS.get(detector)
    return build(options) if build else []


class PlaceholderOptions(DetectorOptions):
    syntaxes: dict[StrictStr, RegexSource] = {}
    # signs that a placeholder is shown to the customer as syntax to type ("type {{name}} exactly
    # as shown, with both sets of curly brackets"), searched case-blind near it (see `taught_within`)
    taught: tuple[RegexSource, ...] = ()
    taught_within: StrictInt = 200  # characters either side of the placeholder


class ClosingElement(DetectorOptions):
    phrases: tuple[StrictStr, ...] = ()  # the phrase language; matched by the engine's phrase index
    exceptions: tuple[StrictStr, ...] = ()  # phrases that cancel an overlapping phrase match
    patterns: tuple[RegexSource, ...] = ()  # regular expressions, for forms phrases cannot spell

    @model_validator(mode="after")
    def _not_empty(self) -> ClosingElement:
        if not self.phrases and not self.patterns:
            raise ValueError("an element needs phrases or patterns")
        return self


class ClosingOptions(DetectorOptions):
    # what a closing line does, by element name
    elements: dict[StrictStr, ClosingElement] = {}
    # example closing lines per element, offered when a closing is missing
    examples: dict[StrictStr, tuple[StrictStr, ...]] = {}
    # the element a question to the customer counts as ("Does that work for you?")
    question: StrictStr | None = None
    # closings are recognised in English only: a reply in which fewer than `english_share` of
    # the words are among `english_words` (common English words) is not judged
    english_words: tuple[StrictStr, ...] = ()
    english_share: float = Field(default=0.0, ge=0.0, le=1.0)
    # regular expressions (searched in the agent's lower-cased text) that mark an automated
    # notice or auto-response: informational by purpose, so no closing is asked of it
    notices: tuple[RegexSource, ...] = ()
    # regular expressions (searched at the start of the agent's lower-cased text) that open a
    # reply thanking the customer for kind words or a review: a thank-you exchange needs no closing
    thank_you: tuple[RegexSource, ...] = ()
    # regular expressions (lower-cased agent text) that show a developer-facing reply is a comment
    # in an issue or pull-request thread, not an e-mail: a turn in a thread needs no closing
    thread_comment: tuple[RegexSource, ...] = ()
    # regular expressions (lower-cased) for a template token that inserts a block of text when the
    # reply is sent ({{dc.closing}}, {% include 'sign-off' %}): on a line of its own after the
    # agent's last sentence it may hold the closing, so none is asked for
    closing_blocks: tuple[RegexSource, ...] = ()
    # regular expressions (lower-cased) for a template token that inserts the agent's whole message
    # (osTicket's %{response}): a template around it is a wrapper, whose closing is in the message
    message_blocks: tuple[RegexSource, ...] = ()

    @model_validator(mode="after")
    def _known_elements(self) -> ClosingOptions:
        for field_name, names in (
            ("examples", list(self.examples)),
            ("question", [self.question] if self.question else []),
        ):
            unknown = [name for name in names if name not in self.elements]
            if unknown:
                raise ValueError(f"{field_name}: unknown element {unknown[0]!r} (elements: {', '.join(self.elements)})")
        return self


class AcronymOptions(DetectorOptions):
    everyday: tuple[StrictStr, ...] = ()  # acronyms and abbreviations most customers know, and known names
    words: tuple[StrictStr, ...] = ()  # common words written in capitals for emphasis
    # nouns that make a capitalised token next to them an identifier ("booking KZBCKZ", "ref ABX")
    identifier_words: tuple[StrictStr, ...] = ()
    # nouns that make a capitalised token before them a product or service name ("the XYZ app")
    name_words: tuple[StrictStr, ...] = ()
    # words after which a capitalised token is a person's name or handle ("Hi MJ", "Thanks JT")
    greetings: tuple[StrictStr, ...] = ()
    max_letters: int = Field(default=6, ge=2, le=6)  # longer capital runs are codes or words
    # participles that, after "is (not)" and before "by", show a token names a product or a
    # company's service ("BHIM is not developed by us")
    made_by: tuple[StrictStr, ...] = ()
    # the verb before such a participle ("is", "isn't", "was not") and the word after it ("by")
    made_by_verbs: tuple[StrictStr, ...] = ()
    made_by_agent: tuple[StrictStr, ...] = ()
    # words after which a short token in quotes is a person's initials ("the link sent by 'EM'")
    initials_after: tuple[StrictStr, ...] = ()


@dataclass(frozen=True)
class Hit:
    """A raw match, as rules and detectors report it, before the engine makes it a Finding."""

    code: str
    start: int
    end: int
    values: Mapping[str, str] = field(default_factory=dict)
    message: str | None = None  # a detector may word the message itself
    suggestions: tuple[Suggestion, ...] | None = None  # a detector may supply its own


def overlaps(start: int, end: int, spans: Iterable[tuple[int, ...]]) -> bool:
    """True if [start, end) overlaps any of the spans (their first two items are start and end)."""
    return any(span[0] < end and start < span[1] for span in spans)


class SpanIndex:
    """Spans (start, end, ...) asked many times whether they overlap [start, end): a binary
    search over the spans sorted by start, with the furthest end reached so far, where `overlaps`
    scans them all (many hits against many spans would be quadratic)."""

    __slots__ = ("reach", "starts")

    def __init__(self, spans: Iterable[tuple[int, ...]]) -> None:
        ordered = sorted((span[0], span[1]) for span in spans)
        self.starts = [start for start, _ in ordered]
        self.reach = list(itertools.accumulate((end for _, end in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.starts, end)  # the spans that start before `end`
        return index > 0 and self.reach[index - 1] > start


class DisjointSpans:
    """Non-empty spans that do not overlap one another, added one at a time and kept in order,
    so asking whether a new one overlaps any is a binary search."""

    __slots__ = ("ends", "starts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_right(self.ends, start)  # the first span that ends after `start`
        return index < len(self.starts) and self.starts[index] < end

    def add(self, start: int, end: int) -> None:
        if end <= start:
            return  # an empty span holds nothing to overlap (and would break the order of the ends)
        index = bisect.bisect_left(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)


_S = TypeVar("_S")
_T = TypeVar("_T")
_DERIVED: dict[tuple[str, int], tuple[Any, Any]] = {}


def _derived(what: str, source: _S, build: Callable[[_S], _T]) -> _T:
    """`what` a detector derives from an object that lives as long as its engine (a rule, the
    syntax table), built once per object and found again by identity instead of by hashing."""
    key = (what, id(source))
    cached = _DERIVED.get(key)
    if cached is None or cached[0] is not source:
        if len(_DERIVED) > 512:  # a process that makes configurations without end must not grow without end
            _DERIVED.clear()
        cached = _DERIVED[key] = (source, build(source))  # holding it keeps its id unique
    return cast("_T", cached[1])


@dataclass
class Scan:
    """Everything a detector may look at for one reply."""

    text: str
    scan: str
    mode: Mode
    anatomy: Anatomy
    doc: Any  # the tokenized reply; None when no phrase or token pattern can match it (the engine skips tokenizing)
    context: Mapping[str, str]
    config: Config
    lowered: str  # scan, lower-cased: what is tokenized, and what `requires` looks in
    placeholder_syntaxes: Mapping[str, str] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)  # per-reply results detectors share
    phrase_spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # detector phrase sets
    channel: Channel = "email"
    channel_read: bool = False  # the channel was read from the reply's shape (auto), not given
    # the reply's language: the words detectors read (greetings, explanation cues)
    language: Language = field(default_factory=language_data)
    # what was tokenized for phrases, as (offset in scan, doc): the whole reply (then also `doc`),
    # the blocks of a long one that may hold a phrase, or nothing
    docs: list[tuple[int, Any]] = field(default_factory=list)
    runs: list[str] | None = None  # word_runs(lowered), when the engine has them: see words()
    # the phrases of the detectors' own sets in scan[start:end], by key, where the engine did not
    # tokenize that text (set by the engine: those phrases open no gate)
    detector_phrases: Callable[[int, int], dict[str, list[tuple[int, int]]]] | None = None

    def words(self) -> list[str]:
        """The runs of word characters of `lowered`, in order (read once per reply)."""
        if self.runs is None:
            self.runs = word_runs(self.lowered)
        return self.runs

    def at_sentence_start(self, offset: int) -> bool:
        return is_sentence_start(self.scan, offset)

    def tokenized_spans(self) -> list[tuple[int, int]]:
        """The spans of the reply tokenized for phrases, one per doc of `docs`, in order (read
        once per reply; a doc's length from its last token: Doc.text joins every token's text)."""
        spans: list[tuple[int, int]] | None = self.cache.get("tokenized spans")
        if spans is None:
            spans = self.cache["tokenized spans"] = [
                (offset, offset + (doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0))
                for offset, doc in self.docs
            ]
        return spans

    def phrase_hits(self, code: str, name: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Spans within [start, end) where a phrase of rule `code`'s detector set `name` matched,
        minus those its exceptions overlap."""
        end = len(self.scan) if end is None else end
        spans = self.phrase_spans
        if self.detector_phrases is not None and not any(
            doc_start <= start and end <= doc_end for doc_start, doc_end in self.tokenized_spans()
        ):
            # not tokenized for the rules' phrases: the detector's own are looked for here alone
            cache_key = f"detector phrases {start}-{end}"
            found = self.cache.get(cache_key)
            if found is None:
                found = self.cache[cache_key] = self.detector_phrases(start, end)
            spans = found
        key = matcher_keys.detector_set(code, name)
        hits = [(s, e) for s, e in spans.get(key, ()) if start <= s and e <= end]
        vetoes = spans.get(matcher_keys.exceptions(key))
        if hits and vetoes:
            index = SpanIndex(vetoes)
            hits = [(s, e) for s, e in hits if not index.overlaps(s, e)]
        return hits
