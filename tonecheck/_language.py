"""A language's words, as data: `rules/<language>/language.yml`, and which language a reply is in.

The code that finds a reply's greeting, sign-off and quoted history, the checks that read
greetings, the jargon check's "is this term explained?", the context vetoes' contractions and the
fixer's article tidying keep only the shape of what they look for; the words come from here, so a
second language is a second folder of data (`rules/<code>/language.yml` and rule packs beside it),
not a code change.

`language_data("en")` reads and validates the file once per process. Each module that needs
patterns builds them from the words once per language (`Language.derived`), as `Lazy` patterns
compiled on first use: a reply costs attribute look-ups, never a YAML read or a regex compile.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import regex
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictStr, ValidationError, model_validator

from ._exceptions import RuleError
from ._ruleset.phrase_language import PatternSyntaxError, expand

DEFAULT_LANGUAGE = "en"
LANGUAGE_FILE = "language.yml"
# a language code as the detector reports it (ISO 639-1, two or three lower-case letters)
LANGUAGE_CODE = r"^[a-z]{2,3}$"
_LANGUAGE_CODE = regex.compile(LANGUAGE_CODE[1:-1])  # (fullmatch: "$" would let "en\n" through)


def is_language_code(value: object) -> bool:
    """Whether `value` is a language code (LANGUAGE_CODE). Checked on every call of the API that
    names a language: a compiled pattern costs a tenth of `regex.fullmatch(source, ...)`."""
    return isinstance(value, str) and _LANGUAGE_CODE.fullmatch(value) is not None


# -- the schema of language.yml ------------------------------------------------------------------


def _phrase(pattern: str) -> str:
    try:
        expand(pattern, {})
    except PatternSyntaxError as exc:
        raise ValueError(str(exc)) from None
    return pattern


# a word or phrase in the phrase language of rule files ("good (morning|afternoon)"; no @vocabulary)
Phrase = Annotated[StrictStr, AfterValidator(_phrase)]
# a single word: no spaces, nothing the phrase language would read as syntax
Word = Annotated[StrictStr, Field(pattern=r"^[^\s()|?@]+$")]


class _Strict(BaseModel):
    # every section and field is required, so a language file says what it leaves empty
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Greetings(_Strict):
    words: tuple[Phrase, ...] = Field(min_length=1)
    need_a_name: tuple[Phrase, ...]
    titles: tuple[Word, ...]
    not_names: tuple[Word, ...]

    @model_validator(mode="after")
    def _need_a_name_are_greetings(self) -> Greetings:
        known = {phrase.casefold() for phrase in expanded(self.words)}
        unknown = [phrase for phrase in expanded(self.need_a_name) if phrase.casefold() not in known]
        if unknown:
            raise ValueError(f"need_a_name: {unknown[0]!r} is not one of the greeting words")
        return self


class Signoffs(_Strict):
    phrases: tuple[Phrase, ...] = Field(min_length=1)


class ReplyHeader(_Strict):
    starts: tuple[Phrase, ...]
    ends: tuple[Phrase, ...]


class HeaderBlock(_Strict):
    first: tuple[Phrase, ...]
    second: tuple[Phrase, ...]


class History(_Strict):
    reply_header: ReplyHeader
    dashed: tuple[Phrase, ...]
    lines: tuple[Phrase, ...]
    header_block: HeaderBlock


class Signature(_Strict):
    company_abbreviations: tuple[Word, ...]


class Explanations(_Strict):
    after_comma: tuple[Phrase, ...]
    appositive_openers: tuple[Word, ...]
    appositive_not: tuple[Word, ...]
    after: tuple[Phrase, ...]
    before: tuple[Phrase, ...]
    after_colon: tuple[Phrase, ...] = ()
    alternatives: tuple[Phrase, ...] = ()
    alternative_ends: tuple[Word, ...] = ()
    next_sentence: tuple[Phrase, ...] = ()
    # the next sentence defines the term: an opener ("that's", "these are"), then one of
    # `appositive_openers`, at most six words and one of these ("That's a router setting that ...")
    definition_openers: tuple[Phrase, ...] = ()
    definition_links: tuple[Word, ...] = ()
    # the term opens its sentence and is defined there: the term, one of `subject_verbs`, one of
    # `appositive_openers`, at most three words (the first not one of `subject_not_heads`) and one
    # of `subject_links` ("DKIM is a digital signature we add to every e-mail")
    subject_verbs: tuple[Phrase, ...] = ()
    subject_not_heads: tuple[Word, ...] = ()
    subject_links: tuple[Word, ...] = ()


class Articles(_Strict):
    determiners: tuple[Word, ...]
    # the indefinite article before a consonant and before a vowel sound; none in a language without
    before_consonant_sound: Word | None
    before_vowel_sound: Word | None
    vowel_sound_starts: tuple[Word, ...]
    consonant_sound_words: tuple[Word, ...]
    consonant_sound_starts: tuple[Word, ...]

    @model_validator(mode="after")
    def _articles_are_determiners(self) -> Articles:
        pair = (self.before_consonant_sound, self.before_vowel_sound)
        if (pair[0] is None) != (pair[1] is None):
            raise ValueError("before_consonant_sound and before_vowel_sound: give both or neither")
        determiners = {word.casefold() for word in self.determiners}
        for name, word in zip(("before_consonant_sound", "before_vowel_sound"), pair, strict=True):
            if word is not None and word.casefold() not in determiners:
                raise ValueError(f"{name}: {word!r} is not one of the determiners")
        return self


def _spelled_as_matched(table: dict[str, str]) -> dict[str, str]:
    # contractions are matched on lower-cased text with straight apostrophes
    for key in table:
        if key != key.lower() or "\u2019" in key or not key or any(c.isspace() for c in key):
            raise ValueError(f"{key!r}: write it in lower case, with a straight apostrophe and no spaces")
    return table


class Clauses(_Strict):
    # words that start another clause of a sentence ("but", "however"), for context windows
    boundaries: tuple[Phrase, ...] = ()
    # words after a cue that turn it around ("we can" in "we can not"), so the cue does not count
    negations: tuple[Phrase, ...] = ()


class Contractions(_Strict):
    words: Annotated[dict[StrictStr, StrictStr], AfterValidator(_spelled_as_matched)]
    endings: Annotated[dict[StrictStr, StrictStr], AfterValidator(_spelled_as_matched)]


class Matching(_Strict):
    # the spaCy language whose blank tokenizer splits this language's replies ("en", "ru")
    tokenizer: Annotated[StrictStr, Field(pattern=LANGUAGE_CODE)]
    # how words are normalised before phrases are compared: "lower" (lower case, spaCy's norms),
    # or "lemma" (each word's dictionary form, from pymorphy3, so inflected forms match)
    words: Literal["lower", "lemma"]


class Footer(_Strict):
    # what only an email footer says (unsubscribe, why the mail was sent, privacy, copyright):
    # phrases matched as beginnings of words ("unsubscribe" also in "unsubscribed") ...
    starts: tuple[Phrase, ...] = ()
    # ... and phrases matched as whole words; "*" stands for any run of non-blank characters
    words: tuple[Phrase, ...] = ()


class Closing(_Strict):
    # pleasantries a reply's closing may sit behind ("Thanks again!", "Enjoy!"); "*" is any one word
    pleasantries: tuple[Phrase, ...] = ()
    # mail header names a notification template may open with ("Subject: ..."); case matters
    header_names: tuple[Word, ...] = ()


class Acronyms(_Strict):
    # small words skipped when words before an acronym spell it out ("Terms of Service (TOS)")
    small_words: tuple[Word, ...] = ()
    # words that start no product name: a capitalised word before an acronym is part of its name
    # ("Spotify Premium HD") unless it is one of these ("Please RSVP")
    function_words: tuple[Word, ...] = ()
    # words a jargon term's match may open with that are no part of it ("the VPN", "to SSO")
    term_openers: tuple[Word, ...] = ()


class Grammar(_Strict):
    """The word classes of the rewrite grammar (tonecheck/_engine/grammar.py): whether a
    request or a plain wording reads right where it lands."""

    function_words: tuple[Word, ...] = ()  # closed-class words: after a noun they start something else
    states: tuple[Word, ...] = ()  # verbs of a state, not a step ("be over 18")
    object_pronouns: tuple[Word, ...] = ()
    particles: tuple[Word, ...] = ()
    determiners: tuple[Word, ...] = ()
    prepositions: tuple[Word, ...] = ()
    auxiliaries: tuple[Word, ...] = ()
    not_plural: tuple[Word, ...] = ()  # words ending in s that are no plurals
    verb_context: tuple[Word, ...] = ()  # words after which a term is a verb
    stacking: tuple[Word, ...] = ()  # words that start another phrase after a noun
    phrase_ends: tuple[Word, ...] = ()  # words that end a verb phrase rather than give it an object
    fixed_before_preposition: tuple[Word, ...] = ()  # "due" in "due to"
    negations: tuple[Word, ...] = ()  # words after an obligation that turn it around
    first_person: tuple[Word, ...] = ()  # words that keep their capital inside a sentence ("I", "I'm")
    articles: tuple[Word, ...] = ()  # "a", "an", "the"
    possessives: tuple[Word, ...] = ()  # "my", "your"
    article_dropped_after: tuple[Word, ...] = ()  # a wording's article goes after these ("its the" -> "its")
    coordinators: tuple[Word, ...] = ()  # words that join two verbs or phrases ("and", "or")
    # words that join two clauses ("and", "but"): a parenthetical removed after one takes its
    # opening comma with it ("and, to reiterate, evening" -> "and evening")
    conjunctions: tuple[Word, ...] = ()
    state_prepositions: tuple[Word, ...] = ()  # "in" in "in provisioning": a state, not a step
    auxiliary_endings: tuple[Word, ...] = ()  # "'ve" in "we've": an auxiliary joined to the word before
    modal_endings: tuple[Word, ...] = ()  # "'ll" in "we'll": a modal joined to the word before
    possessive_endings: tuple[Word, ...] = ()  # "'s" in "the phone's"
    # who an obligation is put on when it is a rule for everyone ("customers have to"), not a step
    general_subjects: tuple[Phrase, ...] = ()
    # a state verb in a phrase that is a step all the same ("have a look")
    state_steps: tuple[Phrase, ...] = ()
    # words that open a request ("please", "kindly"): a rewrite opening with one is checked for fit
    requests: tuple[Word, ...] = ()
    # a request is never put after these openers (they carry the sentence's feeling) ...
    attitude_openers: tuple[Phrase, ...] = ()
    # ... nor after these, whose object is the rest of the sentence ("I think"), and whose comma
    # goes with a parenthetical removed after them
    opinion_openers: tuple[Phrase, ...] = ()
    # ... nor in the complement of these ("This is why, to sync it, you need to")
    complement_cues: tuple[Phrase, ...] = ()
    # the first words of an introductory phrase ("To answer your question,"): its comma stays when a
    # parenthetical after it goes
    introductory_starts: tuple[Word, ...] = ()
    # connectives a request may follow ("..., so", "and then")
    connectives: tuple[Phrase, ...] = ()
    # openers a request makes redundant ("Unfortunately, you have to ...") ...
    droppable_openers: tuple[Phrase, ...] = ()
    # ... and a regret said after the step, which a request would keep
    regrets_after: tuple[Phrase, ...] = ()


class LanguageFile(_Strict):
    name: StrictStr  # the language's name in English, for messages
    # the script it is written in, as Unicode names it ("Latin", "Cyrillic"): a reply too short to
    # tell its language is taken to be in the one pack of its script
    script: StrictStr
    # the language's most common words (function words): a reply mostly made of them is taken to be
    # in the language without running the detector's model
    common_words: tuple[Word, ...] = Field(min_length=1)
    # words frequent in support replies beyond those: the phrase gate anchors a phrase on a word
    # not listed, which few replies hold (speed only, never what is found)
    frequent_words: tuple[Word, ...] = ()
    matching: Matching
    greetings: Greetings
    signoffs: Signoffs
    history: History
    signature: Signature
    explanations: Explanations
    articles: Articles
    contractions: Contractions
    clauses: Clauses = Clauses()
    # lists a language leaves out are empty: no footer words, pleasantries, ... in that language
    footer: Footer = Footer()
    closing: Closing = Closing()
    acronyms: Acronyms = Acronyms()
    grammar: Grammar = Grammar()


# -- from words to patterns ----------------------------------------------------------------------


def expanded(patterns: Iterable[str]) -> list[str]:
    """The literal phrases of phrase-language patterns, in order, each once."""
    return list(dict.fromkeys(phrase for pattern in patterns for phrase in expand(pattern, {})))


_END = ""  # marks the end of a phrase in the word trie (no word is empty)


def words_regex(patterns: Iterable[str], gap: str = r"[ \t]+") -> str:
    """A regex group matching any of the phrases: words escaped, the words of a phrase joined by
    `gap`, and shared beginnings written once ("thanks(?:[ \\t]+(?:again|so[ \\t]+much))?"), so the
    regex engine tries few branches. No phrases give a group that never matches."""
    trie: dict[str, Any] = {}
    for phrase in expanded(patterns):
        node = trie
        for word in phrase.split():
            node = node.setdefault(word, {})
        node[_END] = {}
    return f"(?:{_alternation(trie, gap)})" if trie else "(?!)"


def _alternation(node: Mapping[str, Any], gap: str) -> str:
    branches = []
    for word in sorted((w for w in node if w != _END), key=lambda w: (-len(w), w)):  # longest first
        child = node[word]
        source = regex.escape(word)
        rest = {w: c for w, c in child.items() if w != _END}
        if rest:
            inner = _alternation(rest, gap)
            tail = gap + (f"(?:{inner})" if len(rest) > 1 else inner)
            source += f"(?:{tail})?" if _END in child else tail
        branches.append(source)
    return "|".join(branches)


class _ArticleSound:
    """Which indefinite article a word takes, by its sound ("an hour", "a unit"; `articles`)."""

    def __init__(self, language: Language) -> None:
        articles = language.data.articles
        self.pair = (articles.before_consonant_sound, articles.before_vowel_sound)
        exceptions = [rf"{regex.escape(w)}(?!\w)" for w in articles.consonant_sound_words]
        exceptions += [regex.escape(w) for w in articles.consonant_sound_starts]
        starts = "|".join(regex.escape(w) for w in sorted(articles.vowel_sound_starts, key=lambda w: (-len(w), w)))
        self.vowel_sound = regex.compile(
            rf"^(?!{'|'.join(exceptions) or '(?!)'})(?:{starts or '(?!)'})", regex.IGNORECASE
        )


def is_indefinite_article(language: Language, word: str) -> bool:
    """The word (in lower case) is one of the language's indefinite articles ("a", "an")."""
    return word in language.derived(_ArticleSound).pair


def indefinite_article(language: Language, following: str) -> str | None:
    """The indefinite article that goes before `following` in the language ("an" before "hour",
    "a" before "user"); None in a language without one."""
    sound = language.derived(_ArticleSound)
    consonant, vowel = sound.pair
    if consonant is None or vowel is None:
        return None
    return vowel if sound.vowel_sound.match(following) else consonant


# -- loading ---------------------------------------------------------------------------------------

T = TypeVar("T")


class Language:
    """One language's validated words. Modules turn them into patterns with `derived`."""

    def __init__(self, code: str, data: LanguageFile) -> None:
        self.code = code
        self.data = data
        self._derived: dict[Callable[[Language], Any], Any] = {}
        self._lock = threading.Lock()

    def derived(self, build: Callable[[Language], T]) -> T:
        """What `build` makes of this language (a module's patterns), made once and kept."""
        found = self._derived.get(build)
        if found is None:
            with self._lock:
                found = self._derived.get(build)
                if found is None:
                    found = self._derived[build] = build(self)
        return found

    def __getstate__(self) -> dict[str, Any]:  # kept in the engine's disk cache: no lock, nothing derived
        return {"code": self.code, "data": self.data}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["code"], state["data"])  # type: ignore[misc]

    def __repr__(self) -> str:
        return f"Language({self.code!r})"


def builtin_rules_dir() -> Path:
    """The folder of the built-in rules: one folder per language, and `tool/`."""
    here = Path(__file__).resolve().parent  # the package folder
    installed = here / "rules"
    return installed if installed.is_dir() else here.parent / "rules"


def language_file(code: str) -> Path:
    return builtin_rules_dir() / code / LANGUAGE_FILE


@functools.cache
def packs() -> tuple[str, ...]:
    """The languages tonecheck has rules for: every built-in folder with a language file."""
    root = builtin_rules_dir()
    return tuple(sorted(p.parent.name for p in root.glob(f"*/{LANGUAGE_FILE}")))


def load_language(path: Path, code: str | None = None) -> Language:
    """Read and validate a language file (not cached: `language_data` is the cached way in).
    A bad file is a RuleError naming the file and the field."""
    import yaml  # only when the file is read

    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: cannot read language file: {exc}") from None
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: not valid YAML: {exc}") from None
    try:
        data = LanguageFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        message = first["msg"].removeprefix("Value error, ")
        raise RuleError(f"{path}: field '{where}': {message}") from None
    return Language(code or path.parent.name, data)


_LOADED: dict[str, Language] = {}
_LOADING = threading.Lock()


def language_data(code: str = DEFAULT_LANGUAGE) -> Language:
    """The built-in data of a language, read once per process."""
    found = _LOADED.get(code)
    if found is None:
        with _LOADING:
            found = _LOADED.get(code)
            if found is None:
                found = _LOADED[code] = load_language(language_file(code), code)
    return found


def pack_language(code: str | None) -> Language:
    """The data of a language tonecheck has a pack for; English for any other (or none)."""
    return language_data(code) if code and code in packs() else language_data()
