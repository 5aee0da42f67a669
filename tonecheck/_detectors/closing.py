"""Missing closing: the reply ends without offering help, inviting a reply or saying what happens next."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

import regex

from .._anatomy import _SHORT_SIGNOFF, _SIG_DELIMITER, _Patterns, _signature_line
from .._config import ClosingConfig
from .._exceptions import ConfigError
from .._language import Language, words_regex
from .._lazy import Lazy
from .._ruleset import matcher_keys
from .._types import Applicability, Suggestion
from .acronyms import developer_facing
from .base import ClosingOptions, Hit, Scan, _derived, detector

if TYPE_CHECKING:
    from .._ruleset.schema import DetectorRule, Rule


# -- missing closing ---------------------------------------------------------------------------


class _Pattern:
    """One closing pattern. Searched on lower-cased text when it has no capitals of its own:
    that is faster than a case-insensitive search and means the same."""

    __slots__ = ("on_lowered", "pattern", "source", "where")

    def __init__(self, source: str, where: str | None = None) -> None:
        self.on_lowered = source == source.lower()
        self.pattern = regex.compile(source, 0 if self.on_lowered else regex.IGNORECASE)
        self.source = source
        self.where = where  # the configuration key of a team's own pattern, which runs with a time limit

    def search(self, text: str, lowered: str) -> bool:
        if self.where is None:
            return self.pattern.search(lowered if self.on_lowered else text) is not None
        timeout = USER_REGEX_TIMEOUT + len(text) / 100_000
        try:
            return self.pattern.search(lowered if self.on_lowered else text, timeout=timeout) is not None
        except TimeoutError:
            raise ConfigError(
                f"configuration: key '{self.where}': the regular expression {self.source[:80]!r} took more than "
                f"{timeout:.1f} s on one reply (catastrophic backtracking); make its repeats possessive (a*+) "
                "or atomic ((?>...))"
            ) from None


USER_REGEX_TIMEOUT = 2.0  # seconds, plus 1 s per 100 KB of text


def _compiled(patterns: Iterable[str], where: str | None = None) -> tuple[_Pattern, ...]:
    # Separate patterns with an early exit beat one alternation of them all.
    return tuple(_Pattern(p, where) for p in patterns)


def _closing_phrase_sets(options: ClosingOptions) -> list[tuple[str, str, tuple[str, ...]]]:
    sets = []
    for name, element in options.elements.items():
        for field_name in ("phrases", "exceptions"):
            phrases: tuple[str, ...] = getattr(element, field_name)
            if phrases:
                key = name if field_name == "phrases" else matcher_keys.exceptions(name)
                sets.append((key, f"options.elements.{name}.{field_name}", phrases))
    return sets


# an agent's sign-off initials or name after ^, ~ or a dash, as support teams sign short replies
_INITIAL_MARKS = frozenset("^~-–—")
_INITIALS = Lazy(r"\s*[\^~\-–—]\s*\p{L}[\p{L}.]{0,20}(?:\s+\p{L}[\p{L}.]{0,20})?\s*")
_TRAILING_INITIALS = Lazy(r"(?<=[.!?)])\s*[\^~\-–—]\s*\p{L}[\p{L}.]{0,20}(?:\s+\p{Lu}[\p{L}.]{0,20})?\s*$")
ACCEPTED = "accepted"  # the element name of the configuration's own closing phrases

# What is not prose: links, template tokens and code, Markdown link targets. A sentence with fewer
# than two words left once these are gone is a link, a placeholder, a marker or initials.
# (template tags bounded: "{{.*?}}" rescanned the rest of the line from every "{{" that no "}}"
# follows, quadratic on a line of them; a tag is far shorter, as in _langid's noise patterns)
_NOT_PROSE = Lazy(
    r"(?:https?://|www\.)\S+|\]\([^)\s\]]*\)|\{\{[^\n]{0,200}?\}\}|\{%[^\n]{0,200}?%\}|\{[^{}\n]*\}"
    r"|<[A-Z][A-Z0-9_]*(?:\[\d+\])?>"
    # an address's local part at most 64 characters, as mail allows: "\b[\w.+-]+@" rescanned a
    # run from every word start in it ("a-a-a-..."), quadratic on a long one
    r"|\$\w+|\b[\w.+-]{1,64}@[\w-]+\.[\w.]+"
)
_WORD = Lazy(r"\p{L}{2,}")
# two words of _WORD: a run of two letters or more, a character that is no letter after it, a
# pair after that (tried only where a run starts: linear on a long run of letters)
_TWO_WORDS = Lazy(r"(?s)(?<!\p{L})\p{L}{2}\p{L}*+\P{L}.*?\p{L}{2}")
# what each alternative of _NOT_PROSE holds: a text without any of these is all prose
_NOT_PROSE_SIGNS = ("://", "www.", "](", "{", "<", "$", "@")


def _prose_of(piece: str) -> str:
    """The piece with what is not prose made a space (a piece without any sign of it as it is)."""
    return _NOT_PROSE.sub(" ", piece) if any(sign in piece for sign in _NOT_PROSE_SIGNS) else piece


def _two_words(piece: str) -> bool:
    """Whether the piece holds two words (of _WORD) once what is not prose is gone."""
    return _TWO_WORDS.search(_prose_of(piece)) is not None


# a thread part that is not the last ("1/2", "(2/3)"): the closing belongs to the last part
_THREAD_PART = Lazy(r"(?:^|\s)\(?([1-9])\s?/\s?([2-9])\)?\s*$")
# a line of template code, or a line holding only template tokens (content filled in at send time)
_CODE_LINE = Lazy(r"[ \t]*+(?:[{}$].*|.*[{;][ \t]*)")


class _Words:
    """The closing check's patterns for one language (built once per language, compiled on first
    use): the shape is here, the words are the language's (rules/<language>/language.yml, `closing`)."""

    def __init__(self, language: Language) -> None:
        words = language.data.closing
        # mail-style header lines a notification template starts with ("Subject: ...", "RT-Attach-Message: yes")
        self.header_line = Lazy(
            r"[ \t]*(?:" + words_regex(words.header_names) + r"|[A-Z][A-Za-z]*-[A-Za-z-]+):[ \t]*\S[^\n]*"
        )
        # pleasantries the closing may sit behind: thanks, wishes, "Hope this helps!", "Enjoy!"
        pleasantries = words_regex(words.pleasantries, r"\s+").replace(regex.escape("*"), r"\w+")
        self.pleasantry = Lazy(r"(?i)" + pleasantries + r"\b[^.!?]{0,80}[.!?]*")


def _closing_patterns(options: ClosingOptions, settings: ClosingConfig) -> list[tuple[str, tuple[_Pattern, ...]]]:
    """The configuration's accepted closings first (a full closing), then each element's patterns."""
    accepted = _derived("closing accepted", settings, lambda c: _compiled(c.accepted, "closing.accepted"))
    elements = _derived(
        "closing elements",
        options,
        lambda o: [(name, _compiled(element.patterns)) for name, element in o.elements.items()],
    )
    return [(ACCEPTED, accepted), *elements]


class _Lists(NamedTuple):
    english_words: frozenset[str]
    notices: tuple[_Pattern, ...]
    thank_you: tuple[_Pattern, ...]
    thread_comment: tuple[_Pattern, ...]
    closing_blocks: tuple[_Pattern, ...]
    message_blocks: tuple[_Pattern, ...]


def _closing_lists(options: ClosingOptions) -> _Lists:
    return _derived(
        "closing lists",
        options,
        lambda o: _Lists(
            frozenset(w.lower() for w in o.english_words),
            _compiled(o.notices),
            _compiled(o.thank_you),
            _compiled(o.thread_comment),
            _compiled(o.closing_blocks),
            _compiled(o.message_blocks),
        ),
    )


def _block_line(scan: Scan, start: int, end: int, blocks: tuple[_Pattern, ...]) -> bool:
    """A line in [start, end) that holds only template tokens, one of them a block of text filled
    in when the reply is sent (one of `blocks`)."""
    text = scan.scan
    if text.find("{", start, end) < 0:
        return False
    for m in _LINE.finditer(text, start, end):
        line = m.group()
        if "{" in line and not _WORD.search(_prose_of(line)):
            lowered = line.lower()
            if any(block.search(lowered, lowered) for block in blocks):
                return True
    return False


@detector("closing", ClosingOptions, phrase_sets=_closing_phrase_sets)
def _closing(scan: Scan, rule: DetectorRule, options: ClosingOptions) -> Iterable[Hit]:
    settings = scan.config.closing  # the channels it applies to are decided by the engine
    body = [r for r in scan.anatomy.regions if r.kind in ("body", "closing")]
    if not body:
        return
    start, end = body[0].start, body[-1].end
    text = scan.scan
    start = _after_headers(text, start, end, scan.language)
    # a sign-off in the middle of the body: what follows the signature is an appendix or a note
    signed_at, appendix_at = _signoff_inside(text, start, end, scan.language.derived(_Patterns))
    signoffs = scan.anatomy.kinds("signoff")
    if signed_at is None and signoffs and _goes_on_from_line_before(text, signoffs[0].start):
        # "...is in\n%{dept.name} department.": the last line of a hard-wrapped sentence, not a signature
        end, signoffs = max(end, signoffs[0].end), []
    signed = signed_at is not None or bool(signoffs)
    main_end = signed_at if signed_at is not None else end
    own_end = (
        signed_at if signed_at is not None else max(r.end for r in scan.anatomy.kinds("body", "closing", "signoff"))
    )
    if _ends_on_inserted_content(text, start, own_end):
        return  # "The following comment was added:\n{{ comment }}": the closing is in what gets filled in
    own = _prose(scan, start, main_end)
    if not own or _is_part_before_last(text, own[-1].start, main_end):
        return
    greeted = bool(scan.anatomy.kinds("greeting"))
    if scan.channel_read and not (greeted or signed) and "chat" not in (settings.channels or rule.channels):
        # read as an e-mail for its length, but neither greeted nor signed: a message in a thread,
        # a long chat turn, a post or a snippet, which needs no closing as an e-mail does (unless
        # the team asks chat turns for one)
        return
    if len(own) < 2 and not (signed and greeted):
        return  # one sentence that is not a complete email: a snippet, a salutation, a one-line answer
    required = set(settings.required)
    present = _closing_elements_present(
        scan, rule.code, options, _closing_region(scan, own, settings.region_sentences), required
    )
    if not _closing_complete(present, required) and appendix_at is not None:
        appendix = _prose(scan, appendix_at, end)
        if appendix:
            present |= _closing_elements_present(
                scan, rule.code, options, _closing_region(scan, appendix, settings.region_sentences), required
            )
    if _closing_complete(present, required):
        return
    # what needs no closing, asked of the replies that lack one (most have one, and these cost more)
    lists = _closing_lists(options)
    lowered = scan.lowered[start:end]
    if developer_facing(scan) and (
        not signed or not greeted or any(p.search(lowered, lowered) for p in lists.thread_comment)
    ):
        # a comment on an issue tracker: a turn in a thread, not an e-mail. Such comments often
        # open with a greeting ("Hi @sam,", "Hey there!") but are not signed off as e-mails are,
        # and what looks like a signature under one that greets nobody is its last link
        return
    if lists.message_blocks and _block_line(scan, start, end, lists.message_blocks):
        return  # "%{response}": a wrapper around the agent's message, whose closing is in it
    if lists.closing_blocks and _block_line(scan, own[-1].end, max(own_end, main_end), lists.closing_blocks):
        return  # "{{dc.closing}}" after the last sentence: the closing is filled in when sent
    if not _in_english(scan, own, lists.english_words, options.english_share):
        return  # closings are recognised in English only
    if any(notice.search(lowered, lowered) for notice in lists.notices):
        return  # an automated notice or auto-response
    opening = lowered[:_THANKS_WITHIN]
    if any(thanks.search(opening, opening) for thanks in lists.thank_you):
        return  # thanks for kind words or a review: a thank-you exchange, not a request to close
    missing = [name for name in settings.required if name not in present] or list(options.examples)
    last = own[-1]
    yield Hit(
        rule.code,
        last.start,
        last.end,
        message=(
            f"The closing lines have no {_and_list([n.replace('-', ' ') for n in missing])}, "
            "which this team's configuration asks for."
        )
        if required
        else None,
        suggestions=_closing_suggestions(options, tuple(missing)),
    )


def _after_headers(text: str, start: int, end: int, language: Language) -> int:
    """Past the mail-style header lines a notification template may open with."""
    words = language.derived(_Words)
    while start < end:
        line_end = text.find("\n", start, end)
        line_end = end if line_end < 0 else line_end
        if not words.header_line.fullmatch(text, start, line_end):
            break
        start = line_end + 1
        while start < end and text[start] in " \t\r\n":
            start += 1
    return start


def _signoff_inside(text: str, start: int, end: int, patterns: _Patterns) -> tuple[int | None, int | None]:
    """A sign-off line ("Best regards,") inside the body, after some text of the agent's and
    followed by a signature line (a name, a placeholder): where it starts, and where the text after
    the signature starts (an appendix, a note to the agent), if there is any."""
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text, start, end) if m.group().strip()]
    for index in range(1, len(lines) - 1):
        line = text[lines[index][0] : lines[index][1]]
        if not (patterns.signoff.match(line) or _SHORT_SIGNOFF.match(line)):
            continue
        following = text[lines[index + 1][0] : lines[index + 1][1]]
        if not _signature_line(following, patterns):
            continue
        after = index + 2
        while (
            after < len(lines)
            and _signature_line(text[lines[after][0] : lines[after][1]], patterns)
            and not _SIG_DELIMITER.match(text[lines[after][0] : lines[after][1]])
        ):
            after += 1
        return lines[index][0], (lines[after][0] if after < len(lines) else None)
    return None, None


_LINE = Lazy(r"[^\n]+")


def _ends_on_inserted_content(text: str, start: int, end: int) -> bool:
    """The agent's text ends with content filled in when the message is sent (a comment, a
    resolution, a password), introduced by a line ending in a colon or after a label."""
    lines = [text[m.start() : m.end()] for m in _LINE.finditer(text, start, end) if m.group().strip()]
    tail = 0
    while tail < len(lines) and _is_inserted(lines[-1 - tail]):
        tail += 1
    if tail == 0:
        return False
    last = lines[-1 - tail] if tail < len(lines) else ""
    return last.rstrip().endswith(":") or _LABELLED_VALUE.fullmatch(lines[-1]) is not None


_LABELLED_VALUE = Lazy(r"[ \t]*[\p{L}' ]{2,40}:[ \t]*(?:\{[^\n]*\}|<[A-Z][A-Z0-9_]*>)[ \t]*")


def _is_inserted(line: str) -> bool:
    stripped = line.strip()
    if _LABELLED_VALUE.fullmatch(line):
        return True
    return bool(_CODE_LINE.fullmatch(line)) or (bool(stripped) and not _WORD.search(_prose_of(stripped)))


def _is_part_before_last(text: str, start: int, end: int) -> bool:
    m = _THREAD_PART.search(text, start, end)
    return m is not None and int(m.group(1)) < int(m.group(2))


def _prose(scan: Scan, start: int, end: int) -> list[Any]:
    """The agent's own sentences in [start, end) that say something: not links, placeholders,
    code, markers, sign-off lines or initials; trailing initials are cut off the last one."""
    text = scan.scan
    signoff = scan.language.derived(_Patterns).signoff
    tags = [(m.start(), m.end()) for m in _HTML_TAG.finditer(text, start, end)] if "<" in text[start:end] else []
    own = []
    for s in _unwrapped(text, scan.anatomy.sentences_between(start, end)):
        if tags and any(a <= s.start < b for a, b in tags):
            continue  # inside an HTML tag: an image's alt text, an attribute
        piece = text[s.start : s.end]
        if piece[0] in _INITIAL_MARKS and _INITIALS.fullmatch(piece):
            continue
        if signoff.match(piece) or _CODE_LINE.fullmatch(piece):
            continue
        if not _two_words(piece):
            continue
        own.append(s)
    if (
        own
        and not _INITIAL_MARKS.isdisjoint(text[own[-1].start : own[-1].end])
        and (tail := _TRAILING_INITIALS.search(text, own[-1].start, own[-1].end))
    ):
        own[-1] = type(own[-1])(own[-1].start, tail.start())  # "... more here. ^JK": drop the initials
    return own


# an HTML tag with attributes, in a reply kept as text (a saved reply with an <img> in it)
_HTML_TAG = Lazy(r"<[a-zA-Z][a-zA-Z0-9]*\s[^<>]{0,2000}>")
# a line that a hard wrap cut: no sentence end or colon at its end, the next line going on in lower case
_WRAPPED = Lazy(r"[^.!?:;][ \t]*\n[ \t]*")
_GOES_ON = Lazy(r"\p{Ll}|[{%$<(\[]")


def _goes_on_from_line_before(text: str, start: int) -> bool:
    """The line at start goes on with the sentence the line before it left open."""
    line_start = text.rfind("\n", 0, start)
    before = text[: max(line_start, 0)].rstrip(" \t")
    return bool(before) and before[-1].isalnum() and _GOES_ON.match(text, start) is not None


def _unwrapped(text: str, sentences: Iterable[Any]) -> list[Any]:
    """The sentences with the lines of a hard-wrapped paragraph joined ("If\nnot, please reply"
    is one sentence): the anatomy ends a sentence at every line end."""
    joined: list[Any] = []
    for s in sentences:
        if joined and _WRAPPED.fullmatch(text, joined[-1].end - 1, s.start) and _GOES_ON.match(text, s.start):
            joined[-1] = type(s)(joined[-1].start, s.end)
        else:
            joined.append(s)
    return joined


def _closing_region(scan: Scan, own: list[Any], size: int) -> list[Any]:
    """The last `size` sentences, looking past trailing pleasantries ("Thanks again!", "Enjoy!")
    and a trailing list of references; a closing paragraph one sentence longer counts whole."""
    text = scan.scan
    cut = len(own)
    pleasantry = scan.language.derived(_Words).pleasantry
    while cut > 1 and pleasantry.fullmatch(text, own[cut - 1].start, own[cut - 1].end):
        cut -= 1
    list_start = cut
    while list_start > 0 and _LIST_ITEM.match(
        text, own[list_start - 1].start - _indent(text, own[list_start - 1].start)
    ):
        list_start -= 1
    first = max(0, cut - size)
    paragraph = cut
    while paragraph > 1 and "\n\n" not in text[own[paragraph - 2].end : own[paragraph - 1].start]:
        paragraph -= 1
    if paragraph - 1 == first - 1:
        first -= 1  # the closing paragraph is one sentence longer than the region: take it whole
    region = own[first:]  # the pleasantries too: "Enjoy, and let us know ..." may hold the closing
    if 0 < list_start < cut and text[own[list_start - 1].start : own[list_start - 1].end].rstrip().endswith(":"):
        list_start -= 1  # the line introducing the list belongs to it
    if 0 < list_start < cut:  # "Here is what you need:" and a list: the lines before it may hold the closing
        region = own[max(0, list_start - size) : list_start] + region
    return region


_THANKS_WITHIN = 200  # characters at the start of the agent's text where a thank-you exchange opens
_LIST_ITEM = Lazy(r"[ \t]*(?:[-*•]|\d{1,2}[.)])[ \t]")


def _indent(text: str, offset: int) -> int:
    """How far back the line holding offset starts (sentences start after a list marker)."""
    line_start = text.rfind("\n", 0, offset) + 1
    return offset - line_start


def _in_english(scan: Scan, own: list[Any], words: frozenset[str], share: float) -> bool:
    if not words or share <= 0:
        return True
    tokens = [w.lower() for s in own for w in _WORD.findall(scan.scan, s.start, s.end)]
    return bool(tokens) and sum(t in words for t in tokens) >= share * len(tokens)


def _closing_suggestions(options: ClosingOptions, missing: tuple[str, ...]) -> tuple[Suggestion, ...]:
    made: dict[tuple[str, ...], tuple[Suggestion, ...]] = _derived("closing suggestions", options, lambda o: {})
    if missing not in made:
        examples = options.examples
        made[missing] = tuple(
            Suggestion(
                title=f'Add a closing line, e.g. "{line}"', replacement=None, applicability=Applicability.display_only
            )
            for name in missing
            for line in examples.get(name, ())[:1]
        )
    return made[missing]


def _closing_elements_present(
    scan: Scan, code: str, options: ClosingOptions, region: list[Any], required: set[str]
) -> set[str]:
    """The closing elements found in the region, stopping as soon as the answer is known:
    the question mark first, then patterns, then phrases (which tokenize the region)."""
    present: set[str] = set()
    if any(scan.scan[s.start : s.end].rstrip().endswith("?") for s in region):
        present.add(options.question or ACCEPTED)
    # one sentence a line, its own line ends made spaces: a pattern may anchor at a sentence's start
    text = "\n".join(" ".join(scan.scan[s.start : s.end].split()) for s in region)
    lowered = text.lower()
    for name, patterns in _closing_patterns(options, scan.config.closing):
        if _closing_complete(present, required):
            return present
        wanted = not required or name in required or name == ACCEPTED
        if name not in present and wanted and any(pattern.search(text, lowered) for pattern in patterns):
            present.add(name)
    low, high = region[0].start, region[-1].end
    for name in options.elements:
        if _closing_complete(present, required):
            break
        if name not in present and scan.phrase_hits(code, name, low, high):
            present.add(name)
    return present


def _closing_complete(present: set[str], required: set[str]) -> bool:
    """An accepted closing, or any element when none is required, or every required one."""
    return ACCEPTED in present or (present >= required if required else bool(present))


def closing_element_names(rules: Iterable[Rule]) -> set[str]:
    """The closing elements the rules define: what `closing.required` may name."""
    return {
        name
        for rule in rules
        if isinstance(options := getattr(rule, "options", None), ClosingOptions)
        for name in options.elements
    }


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
