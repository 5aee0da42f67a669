"""Jargon helpers: unexplained acronyms, terms the reply explains, and the team's glossary."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

import regex

from .._anatomy import is_sentence_start
from .._language import Language, words_regex
from .._lazy import Lazy
from .base import AcronymOptions, Hit, Scan, _derived, detector, overlaps
from .placeholders import placeholder_spans

if TYPE_CHECKING:
    from .._ruleset.schema import DetectorRule


# -- jargon ------------------------------------------------------------------------------------

# Two to six capitals (digits allowed after the first); "P1"-style codes are left to the lexicon.
# A cheap scan for capital runs first; the exact shape and its surroundings are checked after.
_CAPITAL_RUN = re.compile(r"[A-Z][0-9A-Z]+s?|[0-9][A-Z][A-Z]+s?")  # ASCII only: `re` scans it faster
_ACRONYM_SHAPE = Lazy(r"(?:[A-Z][0-9]?[A-Z][A-Z0-9]{0,4}|[0-9][A-Z]{2,4})s?")
_NOT_BEFORE_ACRONYM = set("-/.@#&_")
_NOT_AFTER_ACRONYM = set("-/@_")
_DELIMITER_BEFORE = "{|%<[*$#!_^~"  # "^JK" and "~AB" are sign-off initials, not acronyms
_DELIMITER_AFTER = "}|%>]*_"


@detector("acronym", AcronymOptions)
def _acronym(scan: Scan, rule: DetectorRule, options: AcronymOptions) -> Iterable[Hit]:
    lists = _acronym_lists(options)
    glossary: set[str] | None = None  # both looked up only once a candidate needs them
    placeholders: list[tuple[int, int, str]] = []
    text = scan.scan
    for m in _CAPITAL_RUN.finditer(text):
        start, end = m.span()
        if (start and (text[start - 1].isalnum() or text[start - 1] in _NOT_BEFORE_ACRONYM)) or (
            end < len(text) and (text[end].isalnum() or text[end] in _NOT_AFTER_ACRONYM)
        ):
            continue
        if not _ACRONYM_SHAPE.fullmatch(m.group()):
            continue
        token = m.group()
        bare = token[:-1] if token.endswith("s") and len(token) > 2 else token
        if bare in lists.everyday or bare in lists.words or token in lists.everyday:
            continue
        if not bare.isalpha() or len(bare) > lists.max_letters:
            continue  # a model, booking or error code ("PS5", "GCCOQ3", "KZBCKZ"), not an acronym
        if len(bare) >= 5 and sum(c in "AEIOUY" for c in bare) >= 2:
            continue  # a word in capitals ("HAPPY", "VALUE"), not an acronym
        if glossary is None:
            glossary = {term.upper() for term in scan.config.glossary}
            placeholders = placeholder_spans(scan)
        if bare in glossary:
            continue
        if any(s <= m.start() < e for s, e, _ in placeholders) or _in_delimiters(scan.scan, m.start(), m.end()):
            continue
        if _in_braces(text, start, end):
            continue  # "{For EDU: ...}": a note or a branch for the agent, not text for the customer
        if _shouting(scan.scan, m.start(), m.end()) or _in_link(text, start, end):
            continue
        if _capitals_around(text, start, end, lists.words):
            continue  # "VALUE PACK", "FIOS TV IN": a phrase or a name in capitals
        if _identifier_or_name(text, start, end, lists, scan.language) or bare in _menu_labels(scan):
            continue
        if lists.made_by is not None and lists.made_by.match(text, end):
            continue  # "XYZ is not developed by us": a product's name
        if lists.initials_after is not None and _quoted_initials(text, start, end, lists.initials_after):
            continue  # "the link sent by 'EM'": a colleague's initials
        if _trailing_initials(text, start, end) or _spelled_out_before(text, start, bare, scan.language):
            continue
        if _spelled_out_after(text, end, bare, scan.language):
            continue
        yield Hit(rule.code, m.start(), m.end())


class _AcronymLists(NamedTuple):
    everyday: frozenset[str]
    words: frozenset[str]
    identifier_words: frozenset[str]
    name_words: frozenset[str]
    greetings: frozenset[str]
    max_letters: int
    made_by: Lazy | None
    initials_after: Lazy | None


def _acronym_lists(options: AcronymOptions) -> _AcronymLists:
    def build(o: AcronymOptions) -> _AcronymLists:
        def upper(items: Iterable[str]) -> frozenset[str]:
            return frozenset(item.upper() for item in items)

        def lower(items: Iterable[str]) -> frozenset[str]:
            return frozenset(item.lower() for item in items)

        return _AcronymLists(
            upper(o.everyday),
            upper(o.words),
            lower(o.identifier_words),
            lower(o.name_words),
            lower(o.greetings),
            o.max_letters,
            Lazy(
                r"s?\s+"
                + words_regex(o.made_by_verbs, r"\s+")
                + r"\s+(?:\w+\s+)?"
                + words_regex(o.made_by, r"\s+")
                + r"\s+"
                + words_regex(o.made_by_agent, r"\s+")
                + r"\b",
                regex.IGNORECASE,
            )
            if o.made_by
            else None,
            Lazy(r"\b" + words_regex(o.initials_after, r"\s+") + r"\s+['\"‘“]$", regex.IGNORECASE)
            if o.initials_after
            else None,
        )

    return _derived("acronym lists", options, build)


_WORD_BEFORE = Lazy(r"([\p{L}#][\p{L}\-']*)[\s:\"'“(]*$")
_WORD_AFTER = Lazy(r"[\s\"'”):]*([\p{L}#][\p{L}\-']*)")
_CAPS_WORD = Lazy(r"[A-Z][A-Z0-9&]+")
_LINK_CHUNK = Lazy(r"://|^www\.|[=@]|\.[a-z]{2,6}/")


# a menu path the customer follows ("Share > URI", "Settings › Privacy"): its steps are labels
# on their screen, not terms to explain
_MENU_LABEL = Lazy(r"(?:>|&gt;|›|→|»)[ \t]*([A-Z][0-9A-Z]+)s?\b|\b([A-Z][0-9A-Z]+)s?[ \t]*(?:>|&gt;|›|→|»)[ \t]*\w")
_MENU_MARKS = (">", "&gt;", "›", "→", "»")


def _menu_labels(scan: Scan) -> frozenset[str]:
    """The capitalised steps of the menu paths in the reply: the term stands on the customer's
    screen, and the path shows where ("right-click the track > Share > URI")."""
    labels = scan.cache.get("menu labels")
    if labels is None:
        text = scan.scan
        found = (
            {m.group(1) or m.group(2) for m in _MENU_LABEL.finditer(text)}
            if any(mark in text for mark in _MENU_MARKS)
            else set()
        )
        labels = scan.cache["menu labels"] = frozenset(found)
    return labels


def _quoted_initials(text: str, start: int, end: int, before: Lazy) -> bool:
    """Two or three capitals in quotes after a word that names a person ("sent by 'EM'")."""
    return (
        end - start <= 3
        and text[end : end + 1] in ("'", '"', "’", "”")
        and before.search(text, max(0, start - 40), start) is not None
    )


def _in_braces(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    before = text[line_start:start]
    after = text[end : len(text) if line_end < 0 else line_end]
    opened = before.rfind("{")
    return opened >= 0 and "}" not in before[opened:] and "}" in after


def _in_link(text: str, start: int, end: int) -> bool:
    """Inside a link, an e-mail address or a query string."""
    left = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start), text.rfind("(", 0, start)) + 1
    right = len(text)
    for stop in (" ", "\n", ")"):
        at = text.find(stop, end)
        if 0 <= at < right:
            right = at
    return bool(_LINK_CHUNK.search(text[left:right]))


def _capitals_around(text: str, start: int, end: int, words: frozenset[str]) -> bool:
    """Next to another word in capitals that is a plain word or four letters or longer."""
    before = regex.search(r"([A-Z][A-Z0-9&']*)[ \t\-/]$", text[max(0, start - 20) : start])
    after = regex.match(r"[ \t\-/]([A-Z][A-Z0-9&']*)(?![\p{Ll}])", text[end : end + 20])
    for neighbour in (before, after):
        if neighbour:
            word = neighbour.group(1)
            if len(word) >= 2 and (word in words or sum(c.isalpha() for c in word) >= 4):
                return True
    return False


def _identifier_or_name(text: str, start: int, end: int, lists: _AcronymLists, language: Language) -> bool:
    """An identifier ("booking KZBCKZ", "your RR#") or part of a name ("the XYZ app", "GTA Online")."""
    if text[end : end + 1] == "#" or _AMOUNT_BEFORE.search(text, max(0, start - 20), start):
        return True  # "your RR#", "49900 IDR": an identifier, a currency or a unit
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    after = _WORD_AFTER.match(text, end, min(len(text), end + 40))
    if before:
        word = before.group(1)
        if word.lower().lstrip("#") in lists.identifier_words or word.lower() in lists.greetings:
            return True  # "booking KZBCKZ", "Hi MJ"
        gap = text[before.end(1) : start]
        if (gap in (" ", "\u00a0") and any(c.isupper() for c in word[1:])) or (
            gap == " "
            and word[0].isupper()
            and word.lower() not in language.derived(_function_words)
            and not is_sentence_start(text, before.start(1))
        ):
            return True  # "iPhone SE", "Spotify Premium HD": part of a product's name
    if after:
        word = after.group(1)
        if word.lower() in lists.identifier_words or word.lower() in lists.name_words:
            return True
        # followed by a capitalised word in the same sentence: "GTA Online", "AURA Mini"
        gap = text[end : after.start(1)]
        if word[0].isupper() and word[1:2].islower() and gap.strip() == "" and "\n" not in gap:
            return True
    return False


def _function_words(language: Language) -> frozenset[str]:
    """Words that start no product name (language.yml, `acronyms.function_words`)."""
    return frozenset(word.lower() for word in language.data.acronyms.function_words)


_INITIALS_BEFORE = Lazy(r"(?:[.!?)\-–—/*^~]|\n|(?:https?://|www\.)\S+)[ \t]*$")
_ONLY_LINKS_AFTER = Lazy(r"[.!]?(?:\s+(?:https?://|www\.)\S*)*\s*$")
_AMOUNT_BEFORE = Lazy(r"\d[\d,.]*\s?$")


def _trailing_initials(text: str, start: int, end: int) -> bool:
    """The agent's initials at the very end ("... from there. - VC", "Thank you. TT"), maybe before a link."""
    if end - start > 3 or not _ONLY_LINKS_AFTER.match(text, end):
        return False
    return start == 0 or bool(_INITIALS_BEFORE.search(text, max(0, start - 200), start))


def _small_words(language: Language) -> frozenset[str]:
    """Words skipped when words spell an acronym out (language.yml, `acronyms.small_words`)."""
    return frozenset(word.lower() for word in language.data.acronyms.small_words)


def _spelled_out_before(text: str, start: int, acronym: str, language: Language) -> bool:
    """The words just before spell the acronym out: "a credit shell (CS)", "Service Request - SR"."""
    small_words = language.derived(_small_words)
    window = text[max(0, start - 120) : start]
    if not regex.search(r"[\s(\-–—:,]*$", window):
        return False
    words = regex.findall(r"[\p{L}][\p{L}'\-]*|&", window)
    letters = acronym.upper()
    at = len(letters) - 1
    index = len(words) - 1
    while index >= 0 and at >= 0:
        word = words[index]
        if word[0].upper() == letters[at]:
            at -= 1
        elif word.lower() not in small_words or at == len(letters) - 1:
            return False
        index -= 1
    return at < 0


def _spelled_out_after(text: str, end: int, acronym: str, language: Language) -> bool:
    """The words just after, opened by one of the language's words for an alternative ("or"),
    spell the acronym out: "2FA, or two-factor authentication", "an SLA or service level
    agreement". A digit stands for its number word ("2" for "two")."""
    lead = language.derived(_Explanations).spelled_after
    found = lead.match(text, end, min(len(text), end + 16)) if lead is not None else None
    if found is None:
        return False
    small_words = language.derived(_small_words)
    letters = acronym.upper()
    at = 0
    for word in _WORDS.findall(text, found.end(), min(len(text), found.end() + 120)):
        if at == len(letters):
            break
        if letters[at].isdigit() or word[0].upper() == letters[at]:
            at += 1
        elif at == 0 or word.lower() not in small_words:
            return False
    return at == len(letters)


_WORDS = Lazy(r"[\p{L}\d]+")
_LETTERS = Lazy(r"\p{L}")
_CAPITALS = Lazy(r"\p{Lu}")


def _in_delimiters(text: str, start: int, end: int) -> bool:
    """A token wrapped in template punctuation ("*|FNAME|", "{{ NAME") is a placeholder, even a broken one."""
    before = text[max(0, start - 3) : start].strip()
    after = text[end : end + 3].strip()
    return bool(before and before[-1] in _DELIMITER_BEFORE) or bool(after and after[0] in _DELIMITER_AFTER)


def _shouting(text: str, start: int, end: int) -> bool:
    """True when the token sits in a run of capitals (a shouted phrase, not an acronym): judged on
    its line, at most 80 characters either side, so long lines stay linear."""
    line_start = max(text.rfind("\n", 0, start) + 1, start - 80)
    line_end = text.find("\n", end, end + 80)
    window = text[line_start : min(len(text), end + 80) if line_end == -1 else line_end]
    letters = len(_LETTERS.findall(window))
    return letters >= 12 and len(_CAPITALS.findall(window)) / letters > 0.7


class _Explanations:
    """How a reply explains a term, in one language: the shape is here, the cue words are the
    language's (rules/<language>/language.yml, `explanations`)."""

    def __init__(self, language: Language) -> None:
        cues = language.data.explanations
        # a word that shows the phrase after a comma is a clause, not a gloss ("the VPN, the app is down")
        clause = r"(?!\b" + words_regex(cues.appositive_not) + r"\b)"
        self.after = Lazy(  # used with .match(text, pos): no "^", which only matches at 0
            # (possessive repeats and blanks read once, before the glosses that start with a mark or
            # after them for those that start with a word: no run of blanks or words is split two ways)
            r"(?:s|es)?(?:\s++[\w\-]++){0,2}?(?:\s*+(?:"
            r"\(|"  # "SSO (single sign-on)"
            r",\s*" + words_regex(cues.after_comma, r"\s+") + r"(?!\w)|"  # "SSO, short for single sign-on"
            r",\s*"
            + words_regex(cues.appositive_openers)
            + r"\s+(?:"
            + clause
            + r"[^\s,.;!?]++\s*+){1,14}+(?:[,.;!?]|$)|"  # "a webhook, the address we send alerts to"
            r":\s+" + words_regex(cues.after_colon, r"\s+") + r"(?!\w))|"  # "a chargeback: when your bank ..."
            r"\s++(?:[—–]\s+|-\s+|"  # "SSO - single sign-on"
             + words_regex(cues.after, r"\s+") + "))",  # "SSO stands for ..."
            regex.IGNORECASE,
        )
        # "*" in a phrase before the term stands for any one word ("what the bank calls")
        before = words_regex(cues.before, r"\s+").replace(regex.escape("*"), r"\w+")
        self.before = Lazy(  # "single sign-on (SSO)", "a setting called TTL"
            r"(?:\(\s*|\b" + before + r"\s+[\"'“]?)$", regex.IGNORECASE
        )
        # "a chargeback or payment reversal": the term followed by its plain alternative, a short
        # phrase that ends the clause or comes before one of `alternative_ends`
        self.plain_alternative = Lazy(
            r"(?:s|es)?\s+"
            + words_regex(cues.alternatives, r"\s+")
            + r"\s+(\p{Ll}+(?:[ \-]\p{Ll}+){0,3})(?=\s*[,.;:!?)]|\s+"
            + words_regex(cues.alternative_ends)
            + r"\b|$)"
        )
        # The next sentence (of at most 300 characters after the term's) explains the term: it says
        # the term's sentence again in plain words ("You hit our rate limit. In other words, after
        # ten attempts ...") or defines the term ("... port forwarding. That's a router setting
        # that lets ..."). One pattern: the sentence end is read once for both.
        said_again = [words_regex(cues.next_sentence, r"\s+") + r"\s*+[,:\u2014\u2013]"] if cues.next_sentence else []
        defined = (
            [
                words_regex(cues.definition_openers, r"\s+")
                + r"\s+"
                + words_regex(cues.appositive_openers)
                + r"(?:\s++[\w\-]++){1,6}?\s+"
                + words_regex(cues.definition_links)
                + r"\b"
            ]
            if cues.definition_openers and cues.definition_links
            else []
        )
        self.next_sentence = (
            Lazy(
                # (the run of stops read from its first one only: linear on a long run of "!")
                r"[^.!?\n]{0,300}+(?<![.!?])[.!?]++[\"'\u201d\u2019)\]]*+\s++(?:"
                + "|".join(said_again + defined)
                + ")",
                regex.IGNORECASE,
            )
            if said_again or defined
            else None
        )
        # "DKIM is a digital signature we add ...": asked only where the term opens its sentence
        self.subject_definition = (
            Lazy(
                r"\s++"
                + words_regex(cues.subject_verbs, r"\s+")
                + r"\s++"
                + words_regex(cues.appositive_openers)
                + r"\s++(?!"
                + words_regex(cues.subject_not_heads)
                + r"\b)(?:[\w\-]++\s+){1,3}?"
                + words_regex(cues.subject_links)
                + r"\b",
                regex.IGNORECASE,
            )
            if cues.subject_verbs and cues.subject_links
            else None
        )
        # the term opens its sentence: at the start of a line or after a sentence's end, perhaps
        # after an article or possessive ("The TTL is ...", "Your nameservers are ...")
        self.sentence_opening = Lazy(
            r"(?:^|[.!?:]\s+|\n)[\t ]*(?:" + words_regex(cues.appositive_openers) + r"\s+)?$",
            regex.IGNORECASE,
        )
        # "2FA, or two-factor authentication": an alternative word, then words that spell the term
        # out (see _spelled_out_after)
        self.spelled_after = (
            Lazy(r"(?:s|es)?\s*,?\s*" + words_regex(cues.alternatives, r"\s+") + r"\s+", regex.IGNORECASE)
            if cues.alternatives
            else None
        )
        # "[non-regression test](https://en.wikipedia.org/...)": the text of a link is explained
        # by the page it opens (Markdown's link shape, the same in every language)
        self.in_link_text_before = Lazy(r"\[[^\[\]\n]{0,60}$")
        self.in_link_text_after = Lazy(r"[^\[\]\n]{0,60}\]\(\s*(?:https?://|www\.)")


def explained(scan: Scan, start: int, end: int) -> bool:
    """A term is explained if the reply glosses it where it stands ("SSO (single sign-on)",
    "single sign-on (SSO)", "a webhook, the address we send alerts to", "a setting called TTL",
    "[a regression test](https://...)"), or glosses the same term anywhere else in the reply."""
    term = scan.scan[start:end]
    cache = scan.cache.setdefault("explained", {})
    if term.casefold() not in cache:
        cache[term.casefold()] = _explained_anywhere(scan, term)
    return bool(cache[term.casefold()])


_ACRONYM = Lazy(r"[\p{Lu}\d]{2,8}")


def _explained_anywhere(scan: Scan, term: str) -> bool:
    text = scan.scan
    jargon = scan.cache.get("jargon spans", [])
    cues = scan.language.derived(_Explanations)
    acronym = _ACRONYM.fullmatch(term) is not None  # (words that spell a term out: only an acronym's)
    for start, end in _occurrences(scan, term):
        if cues.after.match(text, end, min(len(text), end + 120)):
            return True
        plain = cues.plain_alternative.match(text, end, min(len(text), end + 80))
        if plain and not overlaps(plain.start(1), plain.end(1), jargon):
            return True
        if cues.before.search(text, max(0, start - 30), start):
            return True
        if acronym and _spelled_out_after(text, end, term, scan.language):
            return True
        if cues.next_sentence is not None and cues.next_sentence.match(text, end, min(len(text), end + 400)):
            return True
        if (
            cues.subject_definition is not None
            and cues.subject_definition.match(text, end, min(len(text), end + 160))
            and cues.sentence_opening.search(text, max(0, start - 12), start)
        ):
            return True
        if cues.in_link_text_after.match(text, end, min(len(text), end + 80)) and cues.in_link_text_before.search(
            text, max(0, start - 60), start
        ):
            return True
    return False


def _occurrences(scan: Scan, term: str) -> Iterable[tuple[int, int]]:
    """Where the term stands as a whole word, in any case. Found with str.find on the lower-cased
    reply: compiling a regex per term cost more than the rest of the jargon check."""
    lowered, needle = scan.lowered, term.lower()
    if len(lowered) != len(scan.scan) or len(needle) != len(term):  # lower-casing moved offsets
        for m in regex.finditer(r"(?<!\w)" + regex.escape(term) + r"(?!\w)", scan.scan, flags=regex.IGNORECASE):
            yield m.span()
        return
    at = lowered.find(needle)
    while at >= 0:
        end = at + len(needle)
        if not _word_char(lowered, at - 1) and not _word_char(lowered, end):
            yield at, end
        at = lowered.find(needle, at + 1)


def _word_char(text: str, index: int) -> bool:
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] == "_")


def in_link_address(scan: Scan, start: int, end: int) -> bool:
    """The term is part of a web address ("help.example.com/articles/port-forwarding"): the reader
    sees a link, not the word."""
    text = scan.scan
    left = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start), text.rfind("\t", 0, start)) + 1
    before = text[left:start]
    return "://" in before or before.lstrip("([<\"'").startswith("www.")


def in_glossary(scan: Scan, start: int, end: int) -> bool:
    term = " ".join(scan.scan[start:end].split()).casefold()
    return any(term == " ".join(g.split()).casefold() for g in scan.config.glossary)


# -- the audience and the customer's own words --------------------------------------------------


class Audience(NamedTuple):
    """Words that show a reply is written for developers, and the terms normal for them."""

    context: re.Pattern[str] | None  # group "strong": one is enough; otherwise a hint, two are
    terms: frozenset[str]
    rules: frozenset[str] = frozenset()  # rules whose every term is normal for that reader


def audience_lists(vocab: Mapping[str, Iterable[str]]) -> Audience:
    def alternation(key: str) -> str:
        words = sorted({" ".join(w.lower().split()) for w in vocab.get(key, ())}, key=len, reverse=True)
        return "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in words) or "(?!)"

    strong, hints = alternation("developer_context"), alternation("developer_hints")
    # (`re`, not `regex`: this alternation of ~300 words is read in 2.3 times less time)
    context = re.compile(rf"(?<![\w-])(?:(?P<strong>{strong})|{hints})(?![\w-])")
    return Audience(
        context,
        frozenset(" ".join(w.lower().split()) for w in vocab.get("developer_terms", ())),
        frozenset(code.upper() for code in vocab.get("developer_rules", ())),
    )


def _term_openers(language: Language) -> frozenset[str]:
    """Words a term's match may open with that are no part of the term (language.yml,
    `acronyms.term_openers`)."""
    return frozenset(word.lower() for word in language.data.acronyms.term_openers)


def _bare_term(term: str, language: Language) -> str:
    openers = language.derived(_term_openers)
    words = term.lower().replace("\u2019", "'").split()
    while len(words) > 1 and words[0] in openers:
        words = words[1:]
    return " ".join(words)


def for_the_audience(scan: Scan, start: int, end: int, audience: Audience, code: str | None = None) -> bool:
    """A term normal for the reply's audience: developer words (`developer_terms`, or any term of
    a `developer_rules` rule) in a reply written for developers or IT admins."""
    if audience.context is None:
        return False
    if code not in audience.rules and _bare_term(scan.scan[start:end], scan.language) not in audience.terms:
        return False
    return developer_facing(scan, audience)


# Text only a technical reader is written: inline code, a function call ("express.raw()"), an HTTP
# method with a path ("POST /v2/events"), an API path ("/v1/charges"), a status class ("2xx"), a
# snake_case name ("invalid_grant"; not a placeholder's "{first_name}", "[customer_name]", nor part
# of an address or a link), a camelCase name ("createRemoteJWKSet"; not "iPhone", "eBay", "macOS",
# an e-mail address, a handle, a hashtag or part of a link), an address of a scheme other than the
# web's ("ldaps://dc01.example.local:636"), a setting written key=value ("OU=Staff,DC=example",
# "p=none"; not a link's query), an IPv4 address or network. Each counts as a hint.
_CODE_LIKE_SOURCE = (
    r"`[^`\n]{1,80}`"
    r"|(?<![\w.])[A-Za-z_]\w*+(?:\.\w++)++\(\)"
    r"|\b(?:GET|POST|PUT|PATCH|DELETE)\s+/\S"
    r"|(?<![\w./])/v\d+/\w"
    r"|\b[1-5]xx\b"
    r"|(?<![\w{.%$|#\[<@/:=-])[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9](?![\w}|%\]>@./-])"
    r"|(?<![\w.@/#-])[a-z]{2,}+[a-z0-9]*+(?:[A-Z][a-z0-9]++)++(?![\w.-]*+@)"
    r"|(?<![\w.+-])(?!https?://)[a-z][a-z0-9+.-]{1,15}+://[^\s/]"
    r"|(?<!\S)(?!\S*?(?:://|\?))[A-Za-z_][\w.-]{0,30}+=[^\s=]"
    # a network in CIDR notation ("10.4.8.0/24") or a prefix length alone ("a /56"): an admin's
    r"|(?<![\w./])(?:\d{1,3}+(?:\.\d{1,3}+){3}+)?/(?:[89]|[12]\d|3[0-2]|4[0-9]|5[0-9]|6[0-4])(?![\w/]|\.\w)"
    # an address written out ("the old load balancer at 192.0.2.40"; not a version's "1.2.3"),
    # perhaps at the end of a sentence, as the network above
    r"|(?<![\w./])\d{1,3}+(?:\.\d{1,3}+){3}+(?![\w/]|\.\w)"
)


# (compiled with `re`, which has what it uses, one-character lookbehinds and possessive repeats:
# its scan of a whole reply, tried at every offset, takes half the time of `regex`'s, for the
# same matches)
_CODE_LIKE = re.compile(_CODE_LIKE_SOURCE)


def developer_facing(scan: Scan, audience: Audience | None = None) -> bool:
    """The reply is written for developers: one of the `developer_context` words, or two hints
    (`developer_hints` words and code-like text, `_CODE_LIKE`). Computed once per reply (the
    engine puts its audience lists in the scan)."""
    if "developer" not in scan.cache:
        audience = audience or scan.cache.get("audience")
        points = 0
        for m in audience.context.finditer(scan.lowered) if audience and audience.context else ():
            points += 2 if m.group("strong") else 1
            if points >= 2:
                break
        if points < 2 and audience and audience.context:
            # read in the reply as written (the scan text has its code blanked), but not in the
            # customer's quoted message
            region_of = scan.anatomy.region_of
            for m in _CODE_LIKE.finditer(scan.text):
                if region_of(m.start()) == "quoted":
                    continue
                points += 1
                if points >= 2:
                    break
        scan.cache["developer"] = points >= 2
    return bool(scan.cache["developer"])


def used_by_customer(scan: Scan, start: int, end: int) -> bool:
    """The customer used the term first: it stands in the quoted message the reply answers."""
    quoted = [r for r in scan.anatomy.foreign if r.kind == "quoted"]
    if not quoted:
        return False
    term = _bare_term(scan.scan[start:end], scan.language)
    pattern = r"(?<!\w)" + r"\s+".join(regex.escape(w) for w in term.split()) + r"(?!\w)"
    if any(regex.search(pattern, scan.text[r.start : r.end], flags=regex.IGNORECASE) for r in quoted):
        return True
    # the acronym the term is built on, in the customer's words: "my NAT type is strict" quoted,
    # "a strict NAT type" in the reply
    acronyms = [w for w in scan.scan[start:end].split() if _ACRONYM.fullmatch(w) and any(c.isalpha() for c in w)]
    if not acronyms or len(acronyms) == len(term.split()):
        return False
    return any(
        all(regex.search(r"(?<!\w)" + regex.escape(a) + r"(?!\w)", scan.text[r.start : r.end]) for a in acronyms)
        for r in quoted
    )
