"""Tidying an edit so the reply reads right after it: a removal takes its separators with it and
hands the capital to the next word, a replacement does not double a determiner and agrees with
"a"/"an". Every suggestion the engine makes is tidied here once (`_engine/suggest.py`), so that
an edit read from the library, the JSON output or the service is the edit `--fix` writes; every
change stays inside the edit's own span.
"""

from __future__ import annotations

import regex

from .._anatomy import match_case
from .._language import Language, indefinite_article, is_indefinite_article, language_data, words_regex
from .._lazy import Lazy
from .grammar import after_conjunction, keeps_its_comma, opens_an_introduction, opens_sentence

_AFTER_REMOVAL = Lazy(r"[ \t]*[,;:]?[ \t]*")
_SPACES = Lazy(r"[ \t]*")
_SPACE_BEFORE_COMMA = Lazy(r"(?<![ \t])[ \t]++(?=,)")
_PARENTHESES = Lazy(r"[ \t]*\)")
_FOLLOWING = Lazy(r"[ \t]*+(?P<p>[,.;:!?]|$)")
_BLANK_LINES_AFTER = Lazy(r"(?:[ \t]*\r?\n)+")
_LINE_BREAK_AFTER = Lazy(r"[ \t]*\r?\n")
_BLANK_LINE_BEFORE = Lazy(r"\n[ \t]*\r?\n\Z")
_SEPARATOR_BEFORE = Lazy(r"(?:;|[ \t][\u2013\u2014-]|\u2014)[ \t]*\Z")
# a word whose capitals are its own ("iOS", "eBay"): it opens a sentence as it is
_OWN_CAPITALS = Lazy(r"\p{Ll}[\w'\u2019-]*?\p{Lu}")


class _Articles:
    """A language's determiners and a/an (language.yml, `articles`), for tidying a replacement."""

    def __init__(self, language: Language) -> None:
        articles = language.data.articles
        determiner = words_regex(articles.determiners)
        self.before = Lazy(rf"(?<!\w)(?P<det>{determiner})[ \t]+\Z", regex.IGNORECASE)
        self.leading = Lazy(rf"^{determiner}[ \t]+", regex.IGNORECASE)
        self.language = language


def tidy(text: str, start: int, end: int, replacement: str, language: Language | None = None) -> tuple[int, int, str]:
    """Widen an edit so the result reads right, keeping every change inside the edit:
    a removal takes its separators with it (", as I said," -> nothing; "Actually, the" -> "The"),
    a replacement does not double a determiner ("the the", "a a") and agrees with "a"/"an"."""
    if replacement:
        return _tidy_replacement(text, start, end, replacement, (language or language_data()).derived(_Articles))
    start, end, replacement = _tidy_removal(text, start, end)
    if not replacement and start > 0 and end < len(text) and text[start - 1] in ",;:" and text[end].isalnum():
        # what was between a comma and the next word with no space after the comma: the word
        # keeps a space from it ("Hi,Please be informed that this" -> "Hi, this", not "Hi,this")
        return start, end, " "
    return start, end, replacement


def _tidy_removal(text: str, start: int, end: int) -> tuple[int, int, str]:
    # what stands right before the removal, blanks aside (read backwards over blanks only, so the
    # work is local): "(", or the comma of a parenthetical, which must be on the same line
    before = _blanks_before(text, start)
    inside = _PARENTHESES.match(text, end) if before > 0 and text[before - 1] == "(" else None
    if inside is not None:
        # all that was in parentheses goes, and them with it: "Your card (as I mentioned) was
        # posted" -> "Your card was posted"
        return _blanks_before(text, before - 1), inside.end(), ""
    comma = before - 1 if before > 0 and text[before - 1] == "," else None
    following = _FOLLOWING.match(text, end)
    if following is not None:
        # where the clause ends after the removal: at the punctuation that follows, or the text's end
        clause_end = following.start("p") if following.group("p") else following.end()
        at_end = following.end() == len(text)
        # a parenthetical between commas: ", as I said," -> "" and "the jar, as I said." -> "the
        # jar."
        if comma is not None:
            if following.group("p") == ",":
                # after a greeting, an opener of feeling or one opening word the comma stays: "Hi
                # Martin, per my last email, the" -> "Hi Martin, the", "However, as I said, the"
                # -> "However, the"; after a clause it goes: "because, as I said, the" -> "because the"
                if _opening_comma_stays(text, comma):
                    return start, _SPACES.match(text, following.end()).end(), ""
                return comma, following.end(), ""
            if following.group("p") in (".", ";", ":", "!", "?") or at_end:
                return comma, clause_end, ""
        # a last clause after a semicolon or a dash: "Hold it for five seconds; it's not hard." ->
        # "Hold it for five seconds."
        separator = _SEPARATOR_BEFORE.search(text, max(0, start - 6), start)
        if separator is not None and (following.group("p") in (".", "!", "?") or at_end):
            return _blanks_before(text, separator.start()), clause_end, ""
    end += _AFTER_REMOVAL.match(text, end).end() - end
    if (
        comma is not None
        and text[start:end].rstrip(" \t").endswith(",")
        and (after_conjunction(text, comma) or _after_a_phrase(text, comma))
        and not keeps_its_comma(text, comma)
    ):
        # a parenthetical that took its closing comma with it: its opening comma goes too ("on
        # weekdays and, to reiterate, evening classes" -> "... and evening classes", "The PUK,
        # for the umpteenth time, is" -> "The PUK is"); after a greeting, an opener of feeling or
        # one opening word it stays ("Again, for the last time, the" -> "Again, the")
        return comma, _blanks_before(text, end) if end < len(text) else end, ""
    if opens_sentence(text, start, after_greeting=False):
        if end < len(text) and text[end] in ".!?":  # the whole sentence went: take its full stop too
            end += 1
            end = _SPACES.match(text, end).end()
        # the capital is handed on only where the removed words had one: "(per my last email, it
        # covers …)" and a chat's lower-case "like i said, the refund …" keep their small letter
        if text[start].isupper() and end < len(text) and text[end].islower() and not _OWN_CAPITALS.match(text, end):
            return start, end + 1, text[end].upper()
        if end >= len(text) or text[end] in "\r\n":  # nothing left on the line: drop the gap before
            start = before
            if start == 0 or text[start - 1] in "\r\n":  # the whole line went: its line break too
                return _whole_lines(text, start, end)
        return start, end, ""
    if end >= len(text) or text[end] in ".,;:!?\r\n":
        start = before  # "click it simply." -> "click it."
    return start, end, ""


# (a stop or colon inside a word, "6:10" or "3.50", ends no sentence)
_SENTENCE_OPENING = Lazy(r"(?:^|[.!?:;]\s+|\n)[ \t]*((?:[^.!?:;\n]|[.:](?=\S))*)\Z")


def _sentence_opening(text: str, comma: int) -> list[str] | None:
    """The words from the start of the sentence to the comma at `comma`, if it starts nearby."""
    m = _SENTENCE_OPENING.search(text, max(0, comma - 200), comma)
    return None if m is None else m.group(1).split()


def _after_a_phrase(text: str, comma: int) -> bool:
    """Whether the words from the start of the sentence to the comma at `comma` are more than one
    word ("The PUK,"), not an opening word standing alone ("Again,", "Look,")."""
    words = _sentence_opening(text, comma)
    return words is not None and len(words) > 1


def _opening_comma_stays(text: str, comma: int) -> bool:
    """Whether the comma at `comma` stays when a parenthetical after it goes: it closes a greeting
    or an opener of feeling (see keeps_its_comma), one word that opens its sentence ("However,",
    not a conjunction, "And,") or an introductory phrase ("To answer your question,")."""
    if keeps_its_comma(text, comma):
        return True
    words = _sentence_opening(text, comma)
    if words is None:
        return False
    return (len(words) == 1 and not after_conjunction(text, comma)) or opens_an_introduction(words)


def _blanks_before(text: str, at: int) -> int:
    """Where the spaces and tabs right before `at` begin."""
    while at > 0 and text[at - 1] in " \t":
        at -= 1
    return at


def _tidy_replacement(text: str, start: int, end: int, replacement: str, articles: _Articles) -> tuple[int, int, str]:
    if replacement[-1:].isalnum() and (space := _SPACE_BEFORE_COMMA.match(text, end)) is not None:
        end = space.end()  # "As we advised earlier , the" -> "To recap, the": the gap goes with the words
    if opens_sentence(text, start, after_greeting=False):
        replacement = match_case(replacement, text[start : start + 1])
    determiner = articles.before.search(text[max(0, start - 12) : start])
    leading = articles.leading.match(replacement) if determiner else None
    if leading:
        # "the SSL certificate" -> "the security certificate", not "the the security certificate"
        replacement = replacement[leading.end() :]
    language = articles.language
    if determiner and replacement and is_indefinite_article(language, determiner.group("det").lower()):
        article = indefinite_article(language, replacement) or ""
        if article and determiner.group("det").lower() != article:
            if determiner.group("det")[0].isupper():
                article = article.capitalize()
            start = max(0, start - 12) + determiner.start()
            replacement = f"{article} {replacement}"
    return start, end, replacement


def _whole_lines(text: str, start: int, end: int) -> tuple[int, int, str]:
    """A removal of whole lines [start, end) takes the line break after them with it ("Hi
    Tom,\nHi Tom,\n\nThanks" without the second greeting is "Hi Tom,\n\nThanks"), and lines that
    were a paragraph of their own the blank lines after them too ("A.\n\nB.\n\nC." without "B."
    is "A.\n\nC."). Nothing before the lines is touched: at the end of the text a line break
    may stay, where the edit would otherwise reach into the sentence before."""
    paragraph = start == 0 or _BLANK_LINE_BEFORE.search(text, max(0, start - 80), start) is not None
    after = (_BLANK_LINES_AFTER if paragraph else _LINE_BREAK_AFTER).match(text, end)
    return start, after.end() if after is not None else end, ""
