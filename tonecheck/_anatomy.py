"""Reply anatomy: which parts of a reply are the agent's, and where greeting, body, closing and
sign-off sit. Works on raw text by lines, so offsets are the caller's offsets."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

import regex

from ._language import Language, expanded, language_data, words_regex
from ._lazy import Lazy
from ._text import delimited_spans
from ._types import Channel, Region

if TYPE_CHECKING:
    from ._config import ClosingConfig

_FENCE = Lazy(r"^[ \t]*(```|~~~)")
_INLINE_CODE = Lazy(r"`[^`\n]+`")
_QUOTE_LINE = Lazy(r"^[ \t]*>")
_SIG_DELIMITER = Lazy(r"^-- ?$")
# A sentence ends at . ! ? followed by space or the end, or at a line break; "4.2", "e.g" and
# "example.com" do not end one.
_ALNUM = Lazy(r"[\p{L}\p{N}]")
# In the standard library's `re`, as `[.!?]+["')\]]*(?=\s|$)|\n` reads in `regex`: a pattern that
# opens with a character set lets `re` skip to the next . ! ? or line break in C (three times as
# fast as trying the alternatives at every offset). Whitespace is `regex`'s (Unicode White_Space):
# `re`'s \s also takes \x1c-\x1f, which do not end a sentence. A run of marks is tried from its
# first one only: where that fails, so does every later one (the same run and what follows it),
# and trying each made a long run of dots quadratic.
_SENTENCE_END = re.compile(r"[.!?\n](?:(?<=\n)|(?<![.!?].)[.!?]*+[\"')\]]*+(?=[^\S\x1c-\x1f]|$))")
_SENTENCE_END_AT = re.compile(r"[.!?]++[\"')\]]*+(?=[^\S\x1c-\x1f]|$)")  # at a start inside a run


class _Patterns:
    """The anatomy's patterns for one language (built once per language, compiled on first use):
    their shape is here, their words are the language's (rules/<language>/language.yml)."""

    def __init__(self, language: Language) -> None:
        words = language.data
        self.greeting = Lazy(r"^[ \t]*" + words_regex(words.greetings.words) + r"\b[^\n]{0,60}$", regex.IGNORECASE)
        # a sign-off phrase, then perhaps punctuation and a name of up to four words
        self.signoff = Lazy(
            # (possessive: each run of blanks or name letters is read once, so a long line of them
            # that is no sign-off fails in linear time)
            r"^[ \t]*+(?i:" + words_regex(words.signoffs.phrases) + r")"
            r"(?:[ \t]*+[,.!]+)?(?:[ \t]*+\p{Lu}[\p{L}.'\-]*+(?:[ \t]++\p{Lu}[\p{L}.'\-]*+){0,3})?"
            r"[ \t]*+[,.!]*+[ \t]*+$"
        )
        # Headers that start quoted history; everything after them belongs to someone else.
        history = words.history
        # no start words: any line that ends in an end word is a header
        starts = words_regex(history.reply_header.starts, " ") + r"\b" if history.reply_header.starts else r"(?=\S)"
        ends = words_regex(history.reply_header.ends, " ")
        first = words_regex(history.header_block.first, " ")
        second = words_regex(history.header_block.second, " ")
        self.history_start = Lazy(
            r"^[ \t]*(?:"
            + (starts + r"[^\n]{0,300}?\b" + ends + r"[ \t]*$")  # "On <date>, <name> wrote:"
            + (  # ... over two lines, where a start word says where the header begins
                "|" + starts + r"[^\n]{0,200}\n[^\n]{0,200}\b" + ends + r"[ \t]*$"
                if history.reply_header.starts
                else ""
            )
            + (r"|-{2,}[ \t]*" + words_regex(history.dashed, " ") + r"[ \t]*-{2,}")  # "-----Original Message-----"
            + ("|" + words_regex(history.lines, " "))
            + ("|" + first + r"[^\n]+\n" + second + r"[^\n]+")  # "From: ..." then "Sent: ..."
            + r"|_{20,}[ \t]*$)",
            regex.MULTILINE | regex.IGNORECASE,
        )
        # cheap substring checks first, as most replies have no history: one of these is in every header
        hint_lists = (history.reply_header.ends, history.dashed, history.lines, history.header_block.first)
        hints = (phrase.lower() for patterns in hint_lists for phrase in expanded(patterns))
        self.history_hints = (*dict.fromkeys(hints), "____")
        self.company_abbreviation = Lazy(r"(?<!\w)" + words_regex(words.signature.company_abbreviations) + "$")
        # what only an email footer says; a space stands for one space, "*" for any non-blank run
        footer = words.footer
        self.footer = Lazy(
            r"\b" + words_regex(footer.starts, " ")
            + r"|\b" + words_regex(footer.words, " ").replace(regex.escape("*"), r"\S+") + r"\b"
            + r"|©|\(c\) ?\d{4}",
            regex.IGNORECASE,
        )  # fmt: skip
        self._footer_phrases = "".join(expanded([*footer.starts, *footer.words]))

    @functools.cached_property
    def ascii_footer(self) -> re.Pattern[str] | None:
        r"""`footer` for an ASCII line, lower-cased: in `re`, case-sensitive and ASCII, twice as fast
        and what `footer` finds on such a line (\b, \S and \d read ASCII alike), if the phrases are
        lower case and hold no letter that ignoring case takes for an ASCII one; else None."""
        phrases = self._footer_phrases
        if phrases != phrases.lower() or any(map(_ascii_by_case, {c for c in phrases if not c.isascii()})):
            return None
        return re.compile(self.footer.source, re.ASCII)


def _ascii_by_case(char: str) -> bool:
    """Whether `regex`, ignoring case, takes char for an ASCII character (as the Kelvin sign for "k")."""
    return regex.search(regex.escape(char), _ASCII, regex.IGNORECASE) is not None


_ASCII = "".join(map(chr, range(128)))


def greeting_or_signoff(line: str, language: Language) -> bool:
    """True if the line is a greeting ("Hi Sam,") or a sign-off ("Best regards, Ana")."""
    patterns = language.derived(_Patterns)
    return bool(patterns.greeting.match(line) or patterns.signoff.match(line))


def is_sentence_start(text: str, offset: int) -> bool:
    """True if offset starts a sentence: only spaces since a line break, . ! ? : ; or the start."""
    index = offset - 1
    while index >= 0 and text[index] in " \t":
        index -= 1
    if index >= 0 and text[index] == ")":  # a list item's number: "2) Tap Freeze"
        return _LIST_NUMBER.search(text, max(0, index - 8), index + 1) is not None
    return index < 0 or text[index] in "\n\r.!?:;\"'(*-•"


_LIST_NUMBER = Lazy(r"(?:^|\n)[ \t]*(?:\d{1,2}|[a-zA-Z])\)\Z")


def match_case(replacement: str, matched: str) -> str:
    """A replacement for capitalised text starts with a capital too ("As I said" -> "To recap")."""
    if replacement and matched[:1].isupper() and replacement[:1].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


class Sentence(NamedTuple):  # a tuple: replies have many, and tuples are cheapest to make
    start: int
    end: int


class _Spans:
    """Regions sorted by start, for the two questions asked of the foreign regions once per line
    or sentence: does one of them hold [start, end], and which is the first holding an offset.
    Each is a binary search (a scan over every region made quoted history quadratic)."""

    __slots__ = ("reach", "regions", "starts")

    def __init__(self, regions: list[Region]) -> None:
        self.reach: list[int] = []  # the furthest end among the regions up to each index
        if not regions:  # (most replies)
            self.regions, self.starts = [], []
            return
        self.regions = sorted(regions, key=lambda r: (r.start, r.end))
        self.starts = [r.start for r in self.regions]
        furthest = -1
        for region in self.regions:
            furthest = max(furthest, region.end)
            self.reach.append(furthest)

    def holds(self, start: int, end: int) -> bool:
        """Some region has region.start <= start and end <= region.end."""
        index = bisect.bisect_right(self.starts, start) - 1
        return index >= 0 and self.reach[index] >= end

    def first_at(self, offset: int) -> Region | None:
        """The first region, in (start, end) order, with region.start <= offset < region.end."""
        index = bisect.bisect_right(self.reach, offset)
        if index < len(self.regions) and self.starts[index] <= offset:
            return self.regions[index]
        return None


@dataclass
class Anatomy:
    text: str
    regions: list[Region] = field(default_factory=list)
    _sentences: dict[tuple[int, int], list[Sentence]] = field(default_factory=dict, repr=False)
    _structural: list[Region] = field(default_factory=list, repr=False)
    _structural_starts: list[int] | None = field(default=None, repr=False)
    _foreign: list[Region] | None = field(default=None, repr=False)
    _foreign_of: list[Region] | None = field(default=None, repr=False)
    _foreign_spans: _Spans | None = field(default=None, repr=False)

    def kinds(self, *kinds: str) -> list[Region]:
        return [r for r in self.regions if r.kind in kinds]

    @property
    def foreign(self) -> list[Region]:
        if self._foreign is None or self._foreign_of is not self.regions:
            self._foreign = self.kinds("quoted", "code")
            self._foreign_of = self.regions
            self._foreign_spans = _Spans(self._foreign)
        return self._foreign

    @property
    def foreign_spans(self) -> _Spans:
        self.foreign  # noqa: B018  # refreshes the spans with the regions
        assert self._foreign_spans is not None
        return self._foreign_spans

    def _adopt(self, regions: list[Region], foreign: _Spans) -> None:
        """Sets the regions, whose foreign ones `foreign` holds (as `analyse` has them already):
        the foreign regions are then not sought and sorted again on first use."""
        self.regions = regions
        # the foreign regions in the order of `regions` (sorted by start and end, stably)
        self._foreign, self._foreign_of, self._foreign_spans = foreign.regions, regions, foreign

    def sentences_between(self, start: int, end: int) -> list[Sentence]:
        """Sentences of the agent's own text in [start, end), computed once per span."""
        key = (start, end)
        if key not in self._sentences:
            self._sentences[key] = self._own_sentences(start, end)
        return self._sentences[key]

    def _own_sentences(self, start: int, end: int) -> list[Sentence]:
        """Sentences of text[start:end] outside the foreign regions (quotes, code, comments)."""
        found = sentences(self.text, start, end)
        if self.foreign:
            spans = self.foreign_spans
            found = [s for s in found if not spans.holds(s.start, s.end)]
        return found

    def last_sentences(self, start: int, end: int, count: int) -> list[Sentence]:
        """sentences_between(start, end)[-count:], splitting the text back from `end` only as far
        as needed. A line break always ends a sentence, and the split goes on after it as if the
        text started there, so the sentences after a line break are those of the text after it."""
        if (start, end) in self._sentences:
            return self._sentences[(start, end)][-count:]
        found: list[Sentence] = []
        cut = end  # [cut, end) is split
        while len(found) < count and cut > start:
            at = self.text.rfind("\n", start, cut - 1)  # the line break before [cut-1, end)
            first = at + 1 if at >= 0 else start
            if not self.text[first:cut].isspace():  # (a blank line holds no sentence)
                found = self._own_sentences(first, cut) + found
            cut = first
        if cut == start:  # the whole span was split
            self._sentences[(start, end)] = found
        return found[-count:]

    def region_of(self, offset: int) -> str | None:
        """The kind of the innermost region holding offset (foreign regions win)."""
        if self.foreign:
            region = self.foreign_spans.first_at(offset)
            if region is not None:
                return region.kind
        if self._structural_starts is None:
            structural = [r for r in self.regions if r.kind not in ("quoted", "code")]
            self._structural = structural
            self._structural_starts = [r.start for r in structural]
        at = bisect.bisect_right(self._structural_starts, offset) - 1
        if at >= 0 and offset < self._structural[at].end:
            return self._structural[at].kind
        return None


def _line_spans(text: str, blank: bool = True) -> list[tuple[int, int]]:
    """(start, end) of each line of text without its line break; of the blank ones too if `blank`."""
    spans = []
    start = 0
    for line in text.splitlines(keepends=True):
        end = start + len(line)
        if blank or not line.isspace():  # (a line is never empty: it has a character or its break)
            spans.append((start, start + len(line.rstrip("\r\n"))))
        start = end
    return spans


def _sentence_ends(text: str, start: int, end: int) -> list[int]:
    """Where sentences end in text[start:end]: after each run of . ! ? (and closing quotes or
    brackets) followed by a space or the end, and after each line break."""
    ends: list[int] = []
    if 0 < start < end and text[start - 1] in ".!?" and text[start] in ".!?":  # a run begun before start
        m = _SENTENCE_END_AT.match(text, start, end)
        if m:
            ends.append(m.end())
        start = m.end() if m else start + 1
    ends += map(_match_end, _SENTENCE_END.finditer(text, start, end))
    return ends


def sentences(text: str, start: int, end: int) -> list[Sentence]:
    """Sentences of text[start:end]: split at . ! ? followed by space, and at line breaks."""
    found = []
    cursor = start
    for boundary in [*_sentence_ends(text, start, end), end]:
        content = text[cursor:boundary].strip()
        if content and (content[0].isalnum() or _ALNUM.search(content)):
            s = text.index(content[0], cursor)  # (what strip() took off the start is blank)
            found.append(_new_tuple(Sentence, (s, s + len(content))))  # (Sentence() adds a call)
        cursor = boundary
    return found


_match_end = re.Match.end
_new_tuple = tuple.__new__


_COMMENT_DELIMITERS = (
    (re.compile(re.escape("<!--")), re.compile(re.escape("-->"))),
    (re.compile(re.escape("{#")), re.compile(re.escape("#}"))),
    (re.compile(r"\{%-?\s*comment\s*-?%\}"), re.compile(r"\{%-?\s*endcomment\s*-?%\}")),
    (re.compile(r"\{%-?\s*\#"), re.compile(re.escape("%}"))),
    (re.compile(re.escape("{{!--")), re.compile(re.escape("--}}"))),
)


def _comment_spans(line: str) -> list[tuple[int, int]]:
    r"""The spans of template comments in a line (<!-- -->, {# #}, {% comment %}…{% endcomment %},
    {%# %}, {{!-- --}}): what the alternation of `opener.*?closer` finds with finditer, in linear
    time (see `delimited_spans`; the regex made a line of "<!--" quadratic)."""
    return [(start, end) for start, end, _ in delimited_spans(line, _COMMENT_DELIMITERS)]


def _may_comment(text: str) -> bool:
    """Whether text may hold a template comment: every opener starts with one of these."""
    return "<!--" in text or "{#" in text or "{%" in text or "{{!" in text


# Regions made by pydantic's validator from a dict, as Region(...) does, without its Python frame
# (analyse makes two or three per reply)
_region: Callable[[dict[str, object]], Region] = Region.__pydantic_validator__.validate_python


def analyse(text: str, language: Language | None = None) -> Anatomy:
    """The reply's regions, read with a language's words (default: English)."""
    patterns = (language or language_data()).derived(_Patterns)
    foreign: list[Region] = []

    # Quoted history: from the first history header to the end, plus any '>' line.
    # cheap substring checks first: most replies have no history, code or quotes
    lowered = text.lower()
    history = patterns.history_start.search(text) if any(map(lowered.__contains__, patterns.history_hints)) else None
    history_start = history.start() if history else len(text)
    # a character that every fence, quote, code and comment marker holds (``` ~~~ > `code` <!--
    # {# {% {{!): one-character tests are the cheapest (memchr), and most replies have none
    marked = "`" in text or ">" in text or "<" in text or "{" in text or "~" in text
    may_fence = marked and ("```" in text or "~~~" in text)
    may_quote = marked and ">" in text
    may_code = marked and "`" in text
    may_comment = marked and _may_comment(text)
    in_fence = False
    fence_start = 0
    # (a reply with none of them, most, has no foreign line before its history, and its lines are
    # needed only without the blank ones, below)
    scan = may_fence or may_quote or may_code or may_comment
    lines = _line_spans(text) if scan or history else []
    for line_start, line_end in lines if scan else ():
        if line_start >= history_start:
            break
        line = text[line_start:line_end]
        if may_fence and ("```" in line or "~~~" in line) and _FENCE.match(line):
            if in_fence:
                foreign.append(_region({"kind": "code", "start": fence_start, "end": line_end}))
            else:
                fence_start = line_start
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        # (each test again on the line: in a long text that has one somewhere, most lines do not)
        if may_quote and ">" in line and _QUOTE_LINE.match(line):
            foreign.append(_region({"kind": "quoted", "start": line_start, "end": line_end}))
            continue
        for start, end in _comment_spans(line) if may_comment and _may_comment(line) else ():  # never rendered
            foreign.append(_region({"kind": "code", "start": line_start + start, "end": line_start + end}))
        for m in _INLINE_CODE.finditer(line) if may_code and "`" in line else ():
            foreign.append(_region({"kind": "code", "start": line_start + m.start(), "end": line_start + m.end()}))
    if in_fence:
        foreign.append(_region({"kind": "code", "start": fence_start, "end": min(history_start, len(text))}))
    if history:
        foreign.append(_region({"kind": "quoted", "start": history_start, "end": len(text)}))

    anatomy = Anatomy(text=text)
    foreign_spans = _Spans(foreign)
    if foreign:
        holds = foreign_spans.holds
        own_lines = [
            span
            for span in lines
            if span[0] < history_start and text[span[0] : span[1]].strip() and not holds(span[0], span[1])
        ]
    elif scan:
        own_lines = [span for span in lines if text[span[0] : span[1]].strip()]
    else:  # (most replies: nothing foreign, no history)
        own_lines = _line_spans(text, blank=False)
    structural: list[Region] = []  # in reading order: greeting, body, closing, sign-off, footer
    signature_lines: dict[int, bool] = {}  # by line start: the two searches below read the same lines
    footer_at = _find_footer(text, own_lines, patterns, signature_lines)
    footer = None
    if footer_at is not None:  # an email footer (unsubscribe, legal, address) is not the closing
        footer = _region({"kind": "footer", "start": own_lines[footer_at][0], "end": own_lines[-1][1]})
        own_lines = own_lines[:footer_at]
    body_start = own_lines[0][0] if own_lines else 0
    body_end = own_lines[-1][1] if own_lines else 0
    if len(own_lines) > 1 and patterns.greeting.match(text[own_lines[0][0] : own_lines[0][1]]):
        first = own_lines[0]
        structural.append(_region({"kind": "greeting", "start": first[0], "end": first[1]}))
        own_lines = own_lines[1:]
        body_start = own_lines[0][0]
    signoff_at = _find_signoff(text, own_lines, patterns, signature_lines)
    signoff = None
    if signoff_at is not None:
        signoff = _region({"kind": "signoff", "start": own_lines[signoff_at][0], "end": own_lines[-1][1]})
        own_lines = own_lines[:signoff_at]
        body_end = own_lines[-1][1] if own_lines else body_start
    if own_lines and body_end > body_start:
        anatomy._adopt(foreign_spans.regions, foreign_spans)  # sentences_between needs the foreign regions already
        closing = anatomy.last_sentences(body_start, body_end, 2)
        closing_start = closing[0].start if closing else body_end
        if closing_start > body_start:
            structural.append(_region({"kind": "body", "start": body_start, "end": closing_start}))
        if closing:
            structural.append(_region({"kind": "closing", "start": closing_start, "end": body_end}))
    structural += [region for region in (signoff, footer) if region is not None]
    # (the structural regions follow each other: only foreign ones need sorting in)
    anatomy._adopt(
        sorted(structural + foreign, key=lambda r: (r.start, r.end)) if foreign else structural, foreign_spans
    )
    return anatomy


def anatomy_is_own(foreign: list[Region], sentence: Sentence) -> bool:
    return not _Spans(foreign).holds(sentence.start, sentence.end) if foreign else True


_SHORT_SIGNOFF = Lazy(r"^[ \t]*[\p{L}'’ ]{2,40},[ \t]*$")  # "Love,", "Happy running,"
_CONTACT = Lazy(r"https?://|www\.|@[\w-]+\.|\+?\d[\d ()\-]{6,}\d|\.[a-z]{2,4}\b|\{\{|\|")


def _signature_line(line: str, patterns: _Patterns) -> bool:
    """A name, title, company or contact line: short and not a sentence."""
    stripped = line.strip()
    words = stripped.split()
    if len(words) > 8 and stripped.endswith("."):
        return False  # a sentence, with contact details or without (the search below is the cost)
    if _CONTACT.search(stripped):
        # a contact line, unless it is a sentence ("To reschedule, call us on 020 7946 0850.")
        return len(words) <= 8 or not stripped.endswith(".")
    if not 0 < len(words) <= 6 or stripped.endswith(","):
        return False
    return stripped[-1] not in ".!?:;" or bool(patterns.company_abbreviation.search(stripped))


def _is_signature_line(text: str, span: tuple[int, int], patterns: _Patterns, signature_lines: dict[int, bool]) -> bool:
    """_signature_line of the line at span, read once per reply (`signature_lines` keeps the answers)."""
    found = signature_lines.get(span[0])
    if found is None:
        found = signature_lines[span[0]] = _signature_line(text[span[0] : span[1]], patterns)
    return found


def _find_footer(
    text: str, own_lines: list[tuple[int, int]], patterns: _Patterns, signature_lines: dict[int, bool]
) -> int | None:
    """Index into own_lines where a trailing email footer starts: the earliest of the last lines
    that says what only a footer says (unsubscribe, why the mail was sent, privacy, copyright),
    followed only by more such lines or short name, address and contact lines, and preceded by a
    sign-off."""
    found: int | None = None
    ascii_footer = patterns.ascii_footer
    index = len(own_lines) - 1
    while index > max(0, len(own_lines) - 12):
        line = text[own_lines[index][0] : own_lines[index][1]]
        if ascii_footer.search(line.lower()) if ascii_footer and line.isascii() else patterns.footer.search(line):
            found = index
        elif not _is_signature_line(text, own_lines[index], patterns, signature_lines):
            break
        index -= 1
    if found is None or _find_signoff(text, own_lines[:found], patterns, signature_lines) is None:
        return None  # a footer follows a sign-off; without one this is the reply's own text
    return found


def _find_signoff(
    text: str, own_lines: list[tuple[int, int]], patterns: _Patterns, signature_lines: dict[int, bool]
) -> int | None:
    """Index into own_lines where the sign-off starts: a sign-off phrase ("Best,", "Love,") or a
    "-- " delimiter among the last lines, followed only by signature lines; failing that, a trailing
    block of signature lines (name, team, company, contact details)."""
    lowest = max(0, len(own_lines) - 12)
    found: int | None = None
    signature_from: int | None = None
    index = len(own_lines) - 1
    while index >= lowest and index > 0:
        line = text[own_lines[index][0] : own_lines[index][1]]
        # (a "-- " line starts with "--" and a short sign-off has a ",": tested first, they are cheaper)
        if (
            (line.startswith("--") and _SIG_DELIMITER.match(line))
            or patterns.signoff.match(line)
            or ("," in line and _SHORT_SIGNOFF.match(line))
        ):
            found = index  # keep going: a sign-off block may have been pasted twice
        elif not _is_signature_line(text, own_lines[index], patterns, signature_lines):
            break
        elif found is None:
            signature_from = index
        index -= 1
    return found if found is not None else signature_from


_SOCIAL_OPENER = Lazy(r"^\s*(?:\.\s*)?@\w")  # a reply to "@handle" (".@handle" makes it public)


def detect_channel(text: str, anatomy: Anatomy, settings: ClosingConfig) -> Channel:
    """Where a reply is read, from its shape: a post that opens with an @handle is social; a
    short reply with neither greeting nor sign-off is a chat turn; anything else is an email."""
    if "@" in text and _SOCIAL_OPENER.match(text):  # (most replies hold no "@": a memchr)
        return "social"
    if anatomy.kinds("greeting", "signoff"):
        return "email"
    own = [s for r in anatomy.kinds("body", "closing") for s in anatomy.sentences_between(r.start, r.end)]
    words = sum(len(text[s.start : s.end].split()) for s in own)
    return "chat" if len(own) <= settings.chat_max_sentences and words <= settings.chat_max_words else "email"
