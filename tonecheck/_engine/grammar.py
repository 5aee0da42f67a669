"""Whether a rewrite reads as good English where it lands.

A rewrite is offered only where it is grammatical in its context; where these checks cannot
tell, the suggestion stays advice (display-only). Three kinds of replacement are checked:

- a request ("please …") put in place of an obligation ("you have to …"): only where it starts
  an independent clause, and only for an action the customer can take (never "please be over 18");
- a plain wording put in place of a jargon term (the lexicon's `{plain}`): not inside a compound
  noun ("the CDN cache"), not a verb or a phrase after a determiner ("your signing in"), with the
  number of the term, and a verb wording inflected like the term ("whitelisted" -> "let through"
  gives "let it through" before a pronoun);
- slots: a word that opened the sentence keeps no capital once it is moved inside one.

Inflection uses lemminflect, loaded only when a verb wording has to be inflected (rare: its
tables take a second to load); which words are only verbs is kept in tonecheck's cache.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

import regex

from .._language import (
    Language,
    LanguageFile,
    indefinite_article,
    is_indefinite_article,
    language_data,
    words_regex,
)
from .._lazy import Lazy

# The words are English's (rules/en/language.yml: `grammar`, `greetings`, `articles`); this module
# keeps only the shape of each check. Each list and pattern is built once per language, on first
# use. What stays in code is English morphology, which lemminflect's English inflection goes with:
# the suffixes that make a word an adverb, a gerund or a participle ("-ly", "-ing", "-ed") and the
# shape of a plural ("-s").


class _Listed:
    """One of the grammar's word lists, as a set (made once per language)."""

    __slots__ = ("build",)

    def __init__(self, name: str) -> None:
        def build(language: Language) -> frozenset[str]:
            return frozenset(getattr(language.data.grammar, name))

        self.build = build

    def __contains__(self, word: object) -> bool:
        return word in language_data().derived(self.build)


class _Built:
    """A pattern built from the language's words (made once per language): it has the methods of
    the compiled pattern (`match`, `search`)."""

    __slots__ = ("build", "flags")

    def __init__(self, source: Callable[[LanguageFile], str], flags: int = 0) -> None:
        def build(language: Language) -> Any:
            return regex.compile(source(language.data), flags)

        self.build = build
        self.flags = flags

    @property
    def compiled(self) -> Any:
        return language_data().derived(self.build)

    def __getattr__(self, name: str) -> Any:  # only reached for names not on the instance
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.compiled, name)


_FUNCTION_WORDS = _Listed("function_words")  # closed-class words: they start something else
_STATES = _Listed("states")  # verbs of a state, not a step ("please be over 18" is odd)
_OBJECT_PRONOUNS = _Listed("object_pronouns")
_PARTICLES = _Listed("particles")
_DETERMINERS = _Listed("determiners")
_PREPOSITIONS = _Listed("prepositions")
_AUXILIARIES = _Listed("auxiliaries")
_NEGATIONS = _Listed("negations")
_FIRST_PERSON = _Listed("first_person")
_ARTICLES = _Listed("articles")
_POSSESSIVES = _Listed("possessives")
_ARTICLE_DROPPED_AFTER = _Listed("article_dropped_after")
_COORDINATORS = _Listed("coordinators")
_STATE_PREPOSITIONS = _Listed("state_prepositions")
_AUXILIARY_ENDINGS = _Built(lambda d: words_regex(d.grammar.auxiliary_endings, "") + r"\Z")
_MODAL_ENDINGS = _Built(lambda d: words_regex(d.grammar.modal_endings, "") + r"\Z")
_POSSESSIVE_ENDINGS = _Built(lambda d: words_regex(d.grammar.possessive_endings, "") + r"\Z")
# a possessive ending right before the term: "the phone's serial number"
_POSSESSIVE_BEFORE = _Built(lambda d: words_regex(d.grammar.possessive_endings, "") + r"[ \t]*\Z")
_COORDINATOR = _Built(lambda d: r"\b" + words_regex(d.grammar.coordinators) + r"\b")
# who an obligation is put on when it is a rule for everyone ("customers have to"), not a step
_GENERAL_SUBJECT = _Built(lambda d: words_regex(d.grammar.general_subjects, r"\s+") + r"\b", regex.IGNORECASE)
# a state verb in a phrase that is a step all the same ("have a look")
_STATE_STEP = _Built(lambda d: words_regex(d.grammar.state_steps, r"[ \t]+") + r"\b", regex.IGNORECASE)


def _openers(words: Callable[[LanguageFile], Iterable[str]]) -> _Built:
    """Text that is nothing but one of the `words` openers (after @handles)."""
    return _Built(
        lambda d: r"^(?:(?:@\w+\s+)*" + words_regex(words(d), " ") + r")[\s,]*$",
        regex.IGNORECASE,
    )


# openers that carry the feeling of the sentence: a request after them reads wrong
# ("Unfortunately, please pay …"); a reminder ("As I said, please restart it") reads right, and
# its own finding deals with it
_ATTITUDE = _openers(lambda d: d.grammar.attitude_openers)
# nor after an opener whose object is the rest of the sentence ("I think")
_NO_REQUEST_AFTER = _openers(lambda d: (*d.grammar.attitude_openers, *d.grammar.opinion_openers))
# the rest of the sentence is the complement of these: "This is why, to sync it, you need to …"
_COMPLEMENT = _Built(lambda d: r"\b" + words_regex(d.grammar.complement_cues, r"\s+") + r"\b", regex.IGNORECASE)
_CONNECTIVE = _Built(
    lambda d: r"(?:^|[\s,;:(—–-])" + words_regex(d.grammar.connectives, " ") + r"[\s,]*$", regex.IGNORECASE
)
_SENTENCE_BREAK = Lazy(r"(?:[.!?]+[\"')\]]*\s+|\n\s*)")
# the @handles a social reply opens with ("@sam_k @BrandCare …")
_HANDLES = r"(?:@\w+[\s,:]*)+"
_ONLY_HANDLES = Lazy(r"^" + _HANDLES + r"\Z")
_GREETING = _Built(
    lambda d: r"^(?:" + _HANDLES + r")?(?:" + words_regex(d.greetings.words, " ") + r"\b[^,.!?\n]{0,40}[,!]\s*)?",
    regex.IGNORECASE,
)
_WORD_AFTER = Lazy(r"[ \t]*([A-Za-z][\w'’-]*)")
_WORD_BEFORE = Lazy(r"([A-Za-z][\w'’-]*)[ \t]*$")
_HYPHEN_OR_SLASH_WORD = Lazy(r"[-/]\w")
_PLURAL = Lazy(r"^(?:[A-Z0-9]{2,}s|[a-z][a-z-]*[^su]s)$")


def _sentence_start(text: str, offset: int) -> int:
    """Where the sentence holding `offset` starts (looking back a few hundred characters at most:
    replies can be long, and every finding asks)."""
    window = max(0, offset - 300)
    start = window
    for m in _SENTENCE_BREAK.finditer(text, window, offset):
        start = m.end()
    return start


def opens_sentence(text: str, offset: int, *, after_greeting: bool = True) -> bool:
    """The offset starts a sentence, or follows only @handles at the start of one ("@sam You…"),
    or (`after_greeting`) those and a greeting ("Hi Sam, you…"): where a rewrite may open, but
    not where a removal hands on the capital ("Hi Sam, the" stays "Hi Sam, the")."""
    from .._anatomy import is_sentence_start

    if is_sentence_start(text, offset):
        return True
    before = text[_sentence_start(text, offset) : offset]
    if not before.strip():
        return False
    if not after_greeting:
        return _ONLY_HANDLES.match(before) is not None
    greeting = _GREETING.match(before)
    return bool(greeting) and greeting.end() > 0 and not before[greeting.end() :].strip()


_CONJUNCTIONS = _Listed("conjunctions")
_INTRODUCTORY = _Listed("introductory_starts")
_LAST_WORD = Lazy(r"(?<![\w'’])([A-Za-z]+)[ \t]*\Z")


def after_conjunction(text: str, comma: int) -> bool:
    """Whether the comma at `comma` follows a word that joins two clauses ("and,", "but,")."""
    m = _LAST_WORD.search(text, max(0, comma - 12), comma)
    return m is not None and m.group(1).lower() in _CONJUNCTIONS


def opens_an_introduction(words: list[str]) -> bool:
    """Whether the words from a sentence's start (its @handles aside) open an introductory phrase
    ("To answer your question", "Thanks Maria", "In the meantime")."""
    words = [w for w in words if not w.startswith("@")]
    return bool(words) and words[0].lower().strip(".,!?:;") in _INTRODUCTORY


def keeps_its_comma(text: str, comma: int) -> bool:
    """Whether the comma at `comma` closes a greeting ("Hi Martin,") or an opener that carries the
    sentence's feeling ("Sadly,"), which keep their comma when a parenthetical after them goes
    ("Hi Martin, per my last email, the claim" -> "Hi Martin, the claim", not "Hi Martin the")."""
    before = text[_sentence_start(text, comma) : comma + 1]
    greeting = _GREETING.match(before)
    if greeting and greeting.end() > 0 and not before[greeting.end() :].strip():
        return True
    return _ATTITUDE.match(before.strip()) is not None


def starts_independent_clause(text: str, offset: int) -> bool:
    """Whether a request ("please …") can stand at `offset`: the start of a sentence (after any
    @handles or greeting), or of a clause after a connective ("…, so", "and then") or after an
    introductory phrase and a comma ("To reset it, …"). Never inside a subordinate or relative
    clause ("I think …", "the ways you need to …", "a form that …"), nor after an opener that
    carries the sentence's feeling ("Unfortunately, …")."""
    start = _sentence_start(text, offset)
    before = text[start:offset]
    greeting = _GREETING.match(before)
    if greeting:
        before = before[greeting.end() :]
    if not before.strip():
        return True
    if _NO_REQUEST_AFTER.match(before.strip()) or _COMPLEMENT.search(before):
        return False
    if _CONNECTIVE.search(before):
        return True
    return bool(regex.search(r"[,;:—–(][ \t]*$", before))


# openers a request makes redundant: the bad news or the correction they announce is gone once
# the obligation is a request ("I'm afraid, you have to call us" -> "Please call us")
_DROPPABLE_OPENER = _Built(
    lambda d: words_regex(d.grammar.droppable_openers, r"\s+") + r"[ \t]*,?[ \t]*\Z", regex.IGNORECASE
)


# a regret said after the step: a request would keep it ("Please call us I'm afraid")
_REGRET_AFTER = _Built(  # searched from the end (it ends at \Z): one attempt, not one per blank
    lambda d: r"(?r)[\s,;—–-]++" + words_regex(d.grammar.regrets_after, r"\s+") + r"[ \t]*+[.!]*+[ \t]*+\Z",
    regex.IGNORECASE,
)
_SENTENCE_END = Lazy(r"[.!?](?=\s|\Z)|\n")


def _sentence_end(text: str, offset: int) -> int:
    """Where the sentence holding `offset` ends (its full stop included; a few hundred
    characters at most)."""
    m = _SENTENCE_END.search(text, offset, min(len(text), offset + 300))
    return m.end() if m else min(len(text), offset + 300)


def request_start(text: str, start: int, end: int) -> int | None:
    """Where the edit that puts "please" in place of text[start:end] ("you have to", "it's your
    responsibility to") begins: `start`, or the start of a negative opener that the request
    makes redundant ("Unfortunately, you need to …" -> "Please …"); None where a request does
    not fit (not an independent clause, or not an action the customer can take)."""
    if not _takes_request(text, start, end):
        return None
    if starts_independent_clause(text, start):
        return start
    sentence = _sentence_start(text, start)
    before = text[sentence:start]
    greeting = _GREETING.match(before)
    offset = sentence + (greeting.end() if greeting else 0)
    opener = _DROPPABLE_OPENER.match(text, offset, start)
    return offset if opener is not None and opener.end() == start else None


def request_fits(text: str, start: int, end: int) -> bool:
    """ "please" can replace text[start:end] ("you have to", "it's your responsibility to"): the
    clause is independent and what follows is an action the customer can take."""
    return starts_independent_clause(text, start) and _takes_request(text, start, end)


def _takes_request(text: str, start: int, end: int) -> bool:
    """What follows the obligation is an action the customer can take, and it is theirs."""
    if _GENERAL_SUBJECT.match(text, start, end):  # "customers have to": a rule for all, not a step for you
        return False
    m = _WORD_AFTER.match(text, end)
    if m is None:
        return False
    if _REGRET_AFTER.search(text, end, _sentence_end(text, end)):
        return False  # "please call us, I'm afraid": the bad news is still in the sentence
    verb = m.group(1).lower().replace("’", "'")
    if verb in _NEGATIONS:
        return False
    if _STATE_STEP.match(text, m.start(1)):  # "have a look": a step, though "have" is a state
        return True
    return verb not in _STATES and verb not in _FUNCTION_WORDS


# a text that opens with a request word ("Please ...", "Kindly ...")
_REQUEST = _Built(lambda d: words_regex(d.grammar.requests) + r"(?!\w)", regex.IGNORECASE)


def opens_request(text: str) -> bool:
    """The text opens with a request word ("Please restart it", "Kindly note")."""
    return bool(_REQUEST.match(text))


def keeps_capital(word: str) -> bool:
    """The word keeps its capital inside a sentence ("I", "I'm")."""
    return word in _FIRST_PERSON


def lower_slot(value: str) -> str:
    """A slot that opened its sentence, moved inside another, loses its capital ("We" -> "we"),
    unless it is "I" or a name."""
    m = regex.match(r"[A-Za-z][\w'’]*", value)
    if m is None:
        return value
    word = m.group(0)
    if word in _FIRST_PERSON:
        return value
    if word[:1].isupper() and word[1:].islower() and word.lower().replace("’", "'").split("'")[0] in _FUNCTION_WORDS:
        return value[0].lower() + value[1:]
    return value


# ------------------------------------------------------------------ plain wording for jargon


def _first_word(phrase: str) -> str:
    m = regex.match(r"\s*([\w'’-]+)", phrase)
    return m.group(1).lower() if m else ""


def _kind(plain: str) -> str:
    """What the plain wording is: a noun phrase, a prepositional phrase, a participle, a gerund,
    or (for a word that may be a verb) unknown."""
    first = _first_word(plain)
    if first in _DETERMINERS:
        return "np"
    if first in _PREPOSITIONS:
        return "pp"
    if first.endswith("ly"):
        return "adverb"
    if first.endswith("ing") and len(first) > 5:
        return "gerund"
    if first.endswith("ed") and len(first) > 4:
        second = plain.split()[1].lower() if len(plain.split()) > 1 else ""
        if second and second not in _FUNCTION_WORDS and second not in _PARTICLES:
            return "word"  # an adjective before its noun: "promised response time"
        return "participle"
    return "word"


def _head(plain: str) -> str:
    """The head noun of a noun-phrase wording: the last word before a relative or prepositional
    part ("the domain setting that points…" -> "setting")."""
    words = regex.findall(r"[\w'’-]+", plain)
    kept: list[str] = []
    for word in words:
        low = word.lower()
        if kept and (low in _FUNCTION_WORDS or low in _DETERMINERS):
            break
        if not kept and low in _DETERMINERS:
            continue
        kept.append(word)
    return kept[-1] if kept else ""


def _postmodified(plain: str) -> bool:
    """The wording's noun has words after it ("the domain setting that routes your email",
    "temporary hold on your card"): another phrase after it stacks up."""
    words = regex.findall(r"[\w'’-]+", plain)
    return bool(words) and _head(plain) != words[-1]


_NOT_PLURAL = _Listed("not_plural")


def _plural(word: str) -> bool:
    return bool(_PLURAL.match(word)) and word.lower() not in _NOT_PLURAL


@functools.lru_cache(maxsize=512)
def _inflect(word: str, tag: str) -> str | None:
    """A verb form (plain, -ed or -ing) in the form `tag` (VBN, VBD, VBG), or None if `word` is
    no verb."""
    from lemminflect import getAllLemmas, getInflection

    lemmas = getAllLemmas(word).get("VERB", ())
    if not lemmas:
        return None
    forms = getInflection(lemmas[0], tag=tag)
    return forms[0] if forms else None


@functools.lru_cache(maxsize=512)
def _verb_only(word: str) -> bool:
    """The word is only a verb ("prioritise"), not also a noun, adjective or adverb ("charge", "top")."""
    words = _verb_only_words()  # None: the cache is off, and each word is looked up in lemminflect
    if words is not None:
        return word.lower() in words
    return _only_a_verb(list(_lemminflect_lemmas(word)))


def _verbal(words: list[str]) -> bool:
    """The wording is a verb phrase: its first word, or a word joined to it by "and"/"or", is
    only ever a verb ("reproduce", "review and prioritise")."""
    heads = [words[0]] + [words[i + 1] for i in range(len(words) - 1) if words[i] in _COORDINATORS]
    # a participle before a noun is an adjective ("promised response time")
    return any(word.isalpha() and not word.endswith(("ed", "ing")) and _verb_only(word.lower()) for word in heads)


def _takes_object(words: list[str]) -> bool:
    """A verb wording can take the term's object after it: a particle verb ("let through") or
    one that ends on a verb ("review and prioritise"), not one with its own ("charge only for
    the part you use")."""
    if len(words) == 1 or (len(words) == 2 and words[1] in _PARTICLES):
        return True
    return _verb_only(words[-1].lower())


def _verb_tag(term: str, before: str) -> str | None:
    """The form a verb-like term is in: past participle, past, -ing; None for any other word
    (an -ed or -ing word before a noun is an adjective: "backordered SKU")."""
    words = regex.findall(r"[\w'’-]+", term)
    word = words[0].lower() if words else ""
    if (
        len(words) > 1
        and words[1].lower() not in _DETERMINERS
        and words[1].lower() not in _PARTICLES
        and words[1].lower() not in _OBJECT_PRONOUNS
    ):
        return None
    if word.endswith("ing") and len(word) > 5:
        return "VBG"
    if word.endswith("ed") and len(word) > 4:
        aux = _WORD_BEFORE.search(before)
        previous = aux.group(1).lower().replace("’", "'") if aux else ""
        return "VBN" if previous in _AUXILIARIES or _AUXILIARY_ENDINGS.search(previous) else "VBD"
    return None


_VERB_CONTEXT = _Listed("verb_context")  # "we'll whitelist", "to prorate", "please triage"
_STACKING = _Listed("stacking")  # words that start another phrase after a noun
_PHRASE_ENDS = _Listed("phrase_ends")  # words that end a verb phrase rather than give it an object


def _modifies(prev: regex.Match[str] | None, prev_low: str | None, text: str, start: int, term: str) -> bool:
    """The word right before the term is part of its noun phrase ("speed" in "speed test site",
    "Analytics" in "Text Analytics API"): a plain wording put there would follow a stray noun.
    Function words, possessives and words that are only verbs ("reboot the ONT", "open NAT")
    start no compound; nor does a term that brings its own determiner."""
    if prev is None or prev_low is None or _first_word(term) in _DETERMINERS:
        return False
    gap = text[max(0, start - 40) : start]
    if not regex.search(r"[A-Za-z][\w'’-]*[ \t]+\Z", gap):
        return False  # punctuation, a line break or a hyphen between them
    if prev_low in _FUNCTION_WORDS or prev_low in _DETERMINERS or _POSSESSIVE_ENDINGS.search(prev_low):
        return False
    if prev_low.isdigit() or not prev_low.isalpha():
        return False
    return not _verb_only(prev_low)


_FIXED_BEFORE_PREPOSITION = _Listed("fixed_before_preposition")  # "due to", "instead of"


def plain_edit(text: str, start: int, end: int, plain: str) -> tuple[int, int, str] | None:
    """The edit that puts a jargon term's plain wording in its place, or None where the wording
    would not read right there (then the wording is only advice)."""
    term = text[start:end]
    # (tests at the offsets: a copy of the text before or after the term made a long text's edits quadratic)
    if text[start - 1 : start] in ("-", "/") or _HYPHEN_OR_SLASH_WORD.match(text, end):
        return None  # part of a hyphenated or slashed word: "SSO-enabled", "DNS/hosting"
    after = _WORD_AFTER.match(text, end)
    next_word = after.group(1) if after else None  # None after punctuation: the term ends its phrase
    next_low = next_word.lower().replace("’", "'") if next_word else None
    prev = _WORD_BEFORE.search(text[max(0, start - 40) : start])
    prev_low = prev.group(1).lower().replace("’", "'") if prev else None
    kind = _kind(plain)
    words = plain.split()
    if kind == "pp" and _first_word(term) == _first_word(plain) and prev_low in _FIXED_BEFORE_PREPOSITION:
        return None  # "due to our backlog": the "to" belongs to "due to", not to the wording
    if kind == "pp" and (prev_low in _ARTICLES or prev_low in _POSSESSIVES):
        return None  # "a WIP" -> "an in progress"
    if _COORDINATOR.search(plain) and (prev_low in _COORDINATORS or next_low in _COORDINATORS):
        return None  # "triaging and reviewing" -> "reviewing and prioritising and reviewing"
    tag = _verb_tag(term, text[max(0, start - 40) : start])  # (the word before, as for `prev`)
    if tag is not None:  # "whitelisted", "throttling": the wording takes the same form
        if kind in ("np", "pp") or (tag == "VBG" and prev_low in _STATE_PREPOSITIONS):
            return None  # "in provisioning" is a state: "in setting up" is not English
        at = 1 if kind == "adverb" else 0
        if at >= len(words):
            return None
        for i in [at] + [j + 1 for j in range(at, len(words) - 1) if words[j] in _COORDINATORS]:
            form = _inflect(words[i].lower(), tag)
            if form is None:
                return None
            words[i] = form
        plain = " ".join(words)
        kind = "verb"
    elif kind == "gerund":
        return None  # "use signing in with…": an -ing wording fits only an -ing term
    elif (
        kind == "word"
        and _first_word(term) not in _DETERMINERS
        and (prev_low in _VERB_CONTEXT or _MODAL_ENDINGS.search(prev_low or ""))
    ):
        kind = "verb"  # "we'll prorate", "to repro"
    elif kind == "word" and _verbal(words):
        kind = "verb"  # "reproduce", "review and prioritise": never after "a" or "the"
    if (
        kind in ("verb", "participle", "adverb")
        and len(words) == 2
        and words[1] in _PARTICLES
        and next_low in _OBJECT_PRONOUNS
        and after is not None
    ):
        # a particle verb keeps a pronoun between its parts: "let it through", not "let through it"
        return start, after.end(1), f"{words[0]} {next_word} {words[1]}"
    if kind == "verb" and next_low is not None and next_low not in _PHRASE_ENDS and not _takes_object(words):
        return None  # "prorate the charge" -> "charge only for the part you use the charge"
    if kind in ("np", "word") and _postmodified(plain) and next_low in _STACKING:
        return None  # "a hold on your card of €150", "steps that make it happen that…"
    if (
        prev is not None
        and _POSSESSIVE_BEFORE.search(text[max(0, start - 40) : start].replace("’", "'"))
        and kind in ("np", "word")
    ):
        first = _first_word(plain)
        if first in _DETERMINERS and first not in _ARTICLES:
            return None  # "the phone's your phone's serial number"
        if first in _ARTICLES:
            plain = plain.split(None, 1)[1] if len(words) > 1 else plain
    if prev_low in _ARTICLE_DROPPED_AFTER and _first_word(plain) in _ARTICLES and len(words) > 1:
        plain = plain.split(None, 1)[1]  # "its the automatic address…" -> "its automatic address…"
    term_first = _first_word(term)
    if term_first in _DETERMINERS and _first_word(plain) not in _DETERMINERS and kind in ("np", "word"):
        # the term brought its own article ("the Jira ticket"): the wording keeps one
        language = language_data()
        article = indefinite_article(language, plain) if is_indefinite_article(language, term_first) else None
        plain = f"{article or term_first} {plain}"
    if (
        next_low is not None
        and next_low not in _FUNCTION_WORDS
        and kind in ("np", "word")
        and not (next_low.endswith("ed") and len(next_low) > 4)
    ):  # "…payload arrived": a verb
        return None  # the term is the first part of a compound noun: "the CDN cache"
    if kind in ("np", "word") and _modifies(prev, prev_low, text, start, term):
        return None  # the term is the last part of one: "our speed test site", "the Analytics API"
    if prev_low in _DETERMINERS and (
        kind in ("gerund", "participle", "adverb", "verb") or (len(words) == 2 and words[1] in _PARTICLES)
    ):
        return None  # "your signing in…", "the on our side…", "the let through"
    if kind in ("np", "word"):
        term_words = regex.findall(r"[\w'’-]+", term)
        if _plural(term_words[-1] if term_words else "") != _plural(_head(plain)):
            return None  # "your MX records still point" -> "your domain setting … still point"
    return start, end, plain


# -- which words are only verbs ------------------------------------------------------------------


def _lemminflect_lemmas(word: str) -> dict[str, tuple[str, ...]]:
    from lemminflect import getAllLemmas

    lemmas: dict[str, tuple[str, ...]] = getAllLemmas(word)
    return lemmas


def _only_a_verb(parts_of_speech: list[str]) -> bool:
    found = set(parts_of_speech)
    return "VERB" in found and not {"NOUN", "ADJ", "ADV"} & found


@functools.cache
def _verb_only_words() -> frozenset[str] | None:
    """Every word lemminflect's tables know only as a verb, from tonecheck's cache: 19,000 words
    load in 2 ms and 1 MiB, where lemminflect's tables take 0.2 s and 34 MiB in every process that
    asks (most folders have a jargon term before some word). Built from those tables (with their
    overrides, as `getAllLemmas` reads them) the first time; None when the cache is off or the
    tables are not as this reads them: then each word is looked up in lemminflect."""
    from importlib.metadata import version

    from . import cache

    try:
        key = f"lemminflect-{version('lemminflect')}-verb-only"
    except Exception:
        return None
    if cache.file(key) is None:  # the cache is off
        return None
    words = cache.load(key)
    if isinstance(words, frozenset):
        return words
    try:
        from lemminflect.core.Lemmatizer import Lemmatizer

        lemmatizer = Lemmatizer()
        lemmas: dict[str, dict[str, tuple[str, ...]]] = lemmatizer._getLemmaDict()
        overrides: dict[str, dict[str, tuple[str, ...]]] = lemmatizer._getOverridesDict()
        words = frozenset(
            word
            for word in {*lemmas, *overrides}
            if word == word.lower() and _only_a_verb([*lemmas.get(word, {}), *overrides.get(word, {})])
        )
    except Exception:  # another version's internals: look words up one by one
        return None
    cache.store(key, words)
    return words
