"""Code detectors: the escape hatch for checks a phrase list cannot express.

A rule names one with `detector:`; the function gets the reply's scan and the rule and yields
Hits. Their word lists and syntaxes live in the rule files (`options`), not here.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import regex
from pydantic import BaseModel, ConfigDict, StrictStr, model_validator

from ._lazy import Lazy
from ._models import Applicability, Suggestion
from ._patterns import EXCEPTION_SUFFIX, RegexSource

if TYPE_CHECKING:
    from ._config import ClosingConfig
    from ._engine import Scan
    from ._rules import Rule

Detector = Callable[["Scan", "Rule"], Iterable["Hit"]]
REGISTRY: dict[str, Detector] = {}
OPTIONS: dict[str, type[BaseModel]] = {}  # each detector's `options` schema, checked at load time


# (set name, field path for errors, phrase patterns): phrase lists a detector hands to the engine,
# which matches them in its one PhraseMatcher pass and gives the spans back through Scan.phrase_hits
PhraseSets = Callable[["Rule"], list[tuple[str, str, tuple[str, ...]]]]
PHRASE_SETS: dict[str, PhraseSets] = {}


def detector(name: str, options: type[BaseModel] | None = None, *,
             phrase_sets: PhraseSets | None = None) -> Callable[[Detector], Detector]:
    def register(function: Detector) -> Detector:
        REGISTRY[name] = function
        OPTIONS[name] = options or _NoOptions
        if phrase_sets is not None:
            PHRASE_SETS[name] = phrase_sets
        return function

    return register


def phrase_sets(rule: Rule) -> list[tuple[str, str, tuple[str, ...]]]:
    """The phrase lists a rule's detector wants matched (none for most detectors)."""
    build = PHRASE_SETS.get(rule.detector or "")
    return build(rule) if build else []


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # used when rule files load


class _NoOptions(_Options):
    pass


class PlaceholderOptions(_Options):
    syntaxes: dict[StrictStr, RegexSource] = {}


class ClosingElement(_Options):
    phrases: tuple[StrictStr, ...] = ()  # the phrase language; matched by the engine's PhraseMatcher
    exceptions: tuple[StrictStr, ...] = ()  # phrases that cancel an overlapping phrase match
    patterns: tuple[RegexSource, ...] = ()  # regular expressions, for forms phrases cannot spell

    @model_validator(mode="after")
    def _not_empty(self) -> "ClosingElement":
        if not self.phrases and not self.patterns:
            raise ValueError("an element needs phrases or patterns")
        return self


class ClosingOptions(_Options):
    # what a closing line does, by element name
    elements: dict[StrictStr, ClosingElement] = {}
    # example closing lines per element, offered when a closing is missing
    examples: dict[StrictStr, tuple[StrictStr, ...]] = {}
    # the element a question to the customer counts as ("Does that work for you?")
    question: StrictStr | None = None

    @model_validator(mode="after")
    def _known_elements(self) -> "ClosingOptions":
        for field_name, names in (("examples", list(self.examples)), ("question", [self.question] if self.question else [])):
            unknown = [name for name in names if name not in self.elements]
            if unknown:
                raise ValueError(f"{field_name}: unknown element {unknown[0]!r} (elements: {', '.join(self.elements)})")
        return self


class AcronymOptions(_Options):
    everyday: tuple[StrictStr, ...] = ()
    words: tuple[StrictStr, ...] = ()


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


_DERIVED: dict[tuple[str, int], tuple[Any, Any]] = {}


def _derived(what: str, source: Any, build: Callable[[Any], Any]) -> Any:
    """`what` a detector derives from an object that lives as long as its engine (a rule, the
    syntax table), built once per object and found again by identity instead of by hashing."""
    key = (what, id(source))
    cached = _DERIVED.get(key)
    if cached is None or cached[0] is not source:
        if len(_DERIVED) > 512:  # a process that makes configurations without end must not grow without end
            _DERIVED.clear()
        cached = _DERIVED[key] = (source, build(source))  # holding it keeps its id unique
    return cached[1]


# -- placeholders ------------------------------------------------------------------------------

def _syntax_regex(syntaxes: Mapping[str, str]) -> regex.Pattern[str]:
    # the engine hands every reply the same mapping: compiled once per mapping, found by identity
    return _derived("syntax regex", syntaxes, lambda items: regex.compile(
        "|".join(f"(?P<{_group(name)}>{source})" for name, source in items.items())))


def _group(name: str) -> str:
    return "s_" + name.replace("-", "_")


_TEMPLATE_PUNCTUATION = Lazy(r"[{}]|%[A-Za-z{]|\*\||<[A-Z]|\[\[")  # "50%" alone is no placeholder


def placeholder_spans(scan: Scan) -> list[tuple[int, int, str]]:
    """Well-formed placeholders of every known syntax in the agent's text: (start, end, syntax).
    Computed once per reply; the acronym and marker checks use it to leave placeholders alone."""
    cached = scan.cache.get("placeholders")
    if cached is None:
        syntaxes = scan.placeholder_syntaxes
        cached = []
        if syntaxes and _TEMPLATE_PUNCTUATION.search(scan.scan):
            pattern = _syntax_regex(syntaxes)  # declared order: first match names it
            for m in pattern.finditer(scan.scan):
                name = m.lastgroup[2:].replace("_", "-") if m.lastgroup else "unknown"
                cached.append((m.start(), m.end(), name))
        scan.cache["placeholders"] = cached
    return cached


_NAME_VARIABLE = Lazy(r"(?i)(?:first_?name|firstname|fname|\bname\b|realname|full_?name|customer_?name|recipient)")


@detector("placeholder", PlaceholderOptions)
def _placeholder(scan: Scan, rule: Rule) -> Iterable[Hit]:
    allowed = scan.config.helpdesk
    name = scan.context.get("customer_name")
    for start, end, syntax in placeholder_spans(scan):
        if allowed and syntax not in allowed and scan.mode == "saved":
            continue  # reported by the malformed check instead
        text = scan.text[start:end]
        if name and _NAME_VARIABLE.search(text):
            suggestions = (Suggestion(title=f"Fill in the customer's name ({name})", replacement=name,
                                      applicability=Applicability.safe),)
        else:
            suggestions = (Suggestion(title="Replace it with the real value before sending",
                                      applicability=Applicability.display_only),)
        yield Hit(rule.code, start, end, {"syntax": syntax}, suggestions=suggestions)


_VARIABLE = Lazy(r"[A-Za-z_][\w]*(?:(?:\.|->)[A-Za-z_][\w ]*\w|(?:\.|->)[A-Za-z_]\w*)*")
_TAG_SYNTAXES = {"liquid-tag"}  # {% if %} and friends hold code, not a variable name


class MalformedOptions(_Options):
    # words of a template expression ("{{ name or 'there' }}"): a space next to them is code
    expression_words: tuple[StrictStr, ...] = ()


_CLOSER = {"{{{": "}}}", "{{": "}}", "{%": "%}", "*|": "|*"}  # every other opener closes with }


def _opens_closes(m: regex.Match[str]) -> str:
    close = "a single }" if m["close"] == "}" else m["close"]
    return f"it opens with {m['open']} but closes with {close}"


def _mixes(m: regex.Match[str]) -> str:
    return f"it mixes two syntaxes, opening with {m['open']} and closing with {m['close']}"


def _never_closed(m: regex.Match[str]) -> str:
    return f"it opens with {m['open']} but is never closed with {_CLOSER.get(m['open'], '}')}"


_SPACE = "the variable name contains a space"
_EMPTY_FALLBACK = "its fallback is empty, so a missing value shows as nothing"
_NAME_WITH_SPACE = r"(?P<name>[A-Za-z_][\w.]*(?:\s+\.?[A-Za-z_][\w.]*)+)"
# where a single-brace opener ({x}, {!x}, #{x}, %{x}, ${x}) can start
_BRACE_OPENER = r"(?:(?<![\w{])(?P<open>[#%$]\{)|(?<![\w{$#%!\\])(?P<open>\{(?![{%])[!$]?))"
# ends where the next brace on the line is not a closing one
_UNCLOSED = r"(?![^{}\n]*\})"

# (pattern, problem, text the reply must hold for the pattern to match). In order: the first
# pattern that claims a span names its problem; mixed and unbalanced delimiters come before
# "never closed", so a placeholder closed by the wrong delimiter is reported as such.
_MALFORMED: list[tuple[Lazy, str | Callable[[regex.Match[str]], str], str]] = [
    # two syntaxes' delimiters mixed
    (Lazy(r"(?<!\{)(?P<open>\{\{)[^{}\n]{1,80}(?P<close>%\})"), _mixes, "%}"),
    (Lazy(r"(?P<open>\{%)[^{}\n]{1,80}(?P<close>\}\})"), _mixes, "{%"),
    (Lazy(r"(?P<open>\*\|)[^|{}\n]{1,40}(?P<close>\}\}|%\}|\})"), _mixes, "*|"),
    (Lazy(r"(?:(?<!\{)(?P<open>\{\{\{?|\{%)|" + _BRACE_OPENER + r")[^{}|\n]{1,40}(?P<close>\|\*)"),
     _mixes, "|*"),
    (Lazy(r"(?P<open>\{%)[^%}\n]{1,40}(?P<close>\})(?!\})"), _mixes, "{%"),
    (Lazy(r"%\{[^}\n]{1,40}%(?!\})"), "it mixes %{ } and {% %} delimiters", "%{"),
    # unbalanced braces
    (Lazy(r"(?P<open>\{\{\{)[^{}\n]{1,80}(?P<close>\}\})(?!\})"), _opens_closes, "{{{"),
    (Lazy(r"(?<!\{)(?P<open>\{\{)[^{}\n]{1,80}(?P<close>\}\}\})"), _opens_closes, "}}}"),
    (Lazy(r"(?<!\{)(?P<open>\{\{)[^{}\n]{1,80}(?P<close>\})(?!\})"), _opens_closes, "{{"),
    (Lazy(_BRACE_OPENER + r"[^{}\n]{1,80}(?P<close>\}\})"), _opens_closes, "}}"),
    # a space in the variable name: Liquid output, Help Scout (whose names are dotted, unlike the
    # first word of a Liquid tag), Salesforce / Zammad / osTicket, Mailchimp; Zoho allows spaces
    (Lazy(r"\{\{\{?-?\s*" + _NAME_WITH_SPACE + r"\s*(?:\|[^{}\n]*)?-?\}\}\}?"), _SPACE, "{{"),
    (Lazy(r"\{%-?\s*(?=[A-Za-z_]\w*\.)" + _NAME_WITH_SPACE + r"\s*(?:,[^%{}\n]*)?-?%\}"), _SPACE, "{%"),
    (Lazy(r"(?:\{!|(?<![\w{])[#%]\{)\s*" + _NAME_WITH_SPACE + r"\s*\}"), _SPACE, "{"),
    (Lazy(r"\*\|(?P<name>[A-Za-z0-9_:]+(?:\s+[A-Za-z0-9_:]+)+)\|\*"), _SPACE, "*|"),
    # an empty fallback
    (Lazy(r"\{\{[^{}\n]*(?:fallback|default)\s*:\s*(?:\"\s*\"|'\s*')[^{}\n]*\}\}"), _EMPTY_FALLBACK, "{{"),
    (Lazy(r"\{%[^{}\n]*fallback\s*=\s*(?:\"\s*\"|'\s*')?\s*%\}"), _EMPTY_FALLBACK, "{%"),
    # opened and never closed: the span is the opener and the variable after it, not the prose
    (Lazy(r"(?<!\{)(?>(?P<open>\{\{\{?|\{%))(?>-?(?:\s*[A-Za-z_]\w*(?:\.\w+)*)?)" + _UNCLOSED),
     _never_closed, "{"),
    (Lazy(r"(?:(?<![\w{])(?P<open>[#%]\{)|(?P<open>\{!))(?>\s*[A-Za-z_]\w*(?:\.\w+)*)" + _UNCLOSED),
     _never_closed, "{"),
    (Lazy(r"(?<![\w{])(?P<open>\$\{)(?>\s*[A-Za-z_]\w*(?:\.\w+|[ ]\p{Lu}\w*)*)" + _UNCLOSED),
     _never_closed, "${"),  # Zoho names hold spaces: "${Contacts.First Name"
    (Lazy(r"(?P<open>\*\|)[A-Z0-9_:]+(?:\|(?!\*)|(?![A-Z0-9_:|]))"), _never_closed, "*|"),
    # a lone "{" before a name, then prose or punctuation: "Hi {FNAME,"
    (Lazy(r"(?<![\w{$#%!\\])(?P<open>\{)(?>[A-Za-z_]\w*(?:\.\w+)*)(?=[,.!?;]|[^\S\n]*$|[^\S\n]+\p{L})"
                   + _UNCLOSED, regex.MULTILINE), _never_closed, "{"),
]


def _expression_words(rule: Rule) -> frozenset[str]:
    return _derived("expression words", rule,
                    lambda r: frozenset(w.casefold() for w in r.options.get("expression_words", ())))


@detector("malformed-placeholder", MalformedOptions)
def _malformed(scan: Scan, rule: Rule) -> Iterable[Hit]:
    text = scan.scan
    if "{" not in text and "}" not in text and "*|" not in text:
        return
    found: list[tuple[int, int]] = []
    for pattern, problem, needs in _MALFORMED:
        if needs not in text:
            continue
        for m in pattern.finditer(text):
            if overlaps(m.start(), m.end(), found):
                continue
            name = m.groupdict().get("name")
            if name and not _expression_words(rule).isdisjoint(w.strip(".").casefold() for w in name.split()):
                continue  # "{{ name or nickname }}" is an expression, not a name with a space
            found.append(m.span())
            yield Hit(rule.code, m.start(), m.end(), {"problem": problem if isinstance(problem, str) else problem(m)},
                       suggestions=(Suggestion(title="Repair the placeholder",
                                               applicability=Applicability.display_only),))
    allowed = scan.config.helpdesk
    known = scan.config.known_variables
    if (allowed or known) and scan.mode == "saved":
        for start, end, syntax in placeholder_spans(scan):
            if overlaps(start, end, found):
                continue
            if allowed and syntax not in allowed:
                yield Hit(rule.code, start, end,
                           {"problem": f"it uses {syntax} syntax, which the configured helpdesk does not"})
                continue
            variable = _VARIABLE.search(scan.scan, start, end)
            if known and syntax not in _TAG_SYNTAXES and variable and variable.group() not in known:
                close = difflib.get_close_matches(variable.group(), known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                yield Hit(rule.code, start, end,
                           {"problem": f"{variable.group()!r} is not a known variable of the helpdesk{hint}"},
                           suggestions=(Suggestion(title=f"Use {close[0]!r}", replacement=scan.text[start:end].replace(
                               variable.group(), close[0], 1), applicability=Applicability.unsafe),) if close else ())


# -- greetings and sign-offs -------------------------------------------------------------------

@detector("pasted-twice")
def _pasted_twice(scan: Scan, rule: Rule) -> Iterable[Hit]:
    """A block of 1-4 lines repeated right after itself, when it holds a greeting or sign-off."""
    stripped = [line.strip() for line in scan.scan.split("\n")]
    nonempty = [line for line in stripped if line]
    if len(set(nonempty)) == len(nonempty):
        return
    lines = [m.span() for m in regex.finditer(r"[^\n]*\S[^\n]*", scan.scan)]
    texts = [scan.scan[s:e].strip() for s, e in lines]
    index = 0
    while index < len(lines):
        for size in range(1, 5):
            first, second = texts[index:index + size], texts[index + size:index + 2 * size]
            if len(second) == size and first == second and sum(len(t) for t in first) <= 120 and any(
                _is_greeting_or_signoff(t) for t in first
            ) and scan.anatomy.region_of(lines[index][0]) not in ("quoted", "code"):
                yield Hit(rule.code, lines[index + size][0], lines[index + 2 * size - 1][1])
                index += 2 * size - 1
                break
        index += 1


def _is_greeting_or_signoff(line: str) -> bool:
    from ._anatomy import _GREETING, _SIGNOFF

    return bool(_GREETING.match(line) or _SIGNOFF.match(line))


_GREETING_NAME = Lazy(
    r"(?im)^[ \t]*(?:hi|hello|hey|dear|good\s+(?:morning|afternoon|evening))[ \t]+"
    r"(?:(?P<title>mr|mrs|ms|miss|dr|mx)\.?[ \t]+)?(?P<name>\p{Lu}[\p{L}'\-]+)"
)
_NOT_NAMES = {"there", "team", "all", "everyone", "folks", "again", "friend", "customer", "sir", "madam"}


@detector("wrong-name")
def _wrong_name(scan: Scan, rule: Rule) -> Iterable[Hit]:
    expected = (scan.context.get("customer_name") or "").strip()
    if not expected:
        return
    words = expected.split()
    # "Sara-Jane Lopez": "Sara-Jane", "Sara", "Jane" and "Lopez" all name her
    known = {word.casefold() for word in words} | {
        part.casefold() for word in words for part in word.split("-") if part}
    for m in _GREETING_NAME.finditer(scan.scan):
        name = m.group("name").casefold()
        if name in _NOT_NAMES or name in known or all(part in known for part in name.split("-") if part):
            continue
        if m.start("name") >= len(scan.scan) or scan.anatomy.region_of(m.start("name")) in ("quoted", "code"):
            continue
        # after a title ("Dear Ms. Lopes") the surname goes in, otherwise the first name
        replacement = words[-1] if m.group("title") else words[0]
        yield Hit(rule.code, m.start("name"), m.end("name"), {"customer_name": expected},
                   suggestions=(Suggestion(title=f"Use the customer's name ({expected})",
                                           replacement=replacement,
                                           applicability=Applicability.safe),))


# -- missing closing ---------------------------------------------------------------------------

class _Pattern:
    """One closing pattern. Searched on lower-cased text when it has no capitals of its own:
    that is faster than a case-insensitive search and means the same."""

    __slots__ = ("pattern", "on_lowered")

    def __init__(self, source: str) -> None:
        self.on_lowered = source == source.lower()
        self.pattern = regex.compile(source, 0 if self.on_lowered else regex.IGNORECASE)

    def search(self, text: str, lowered: str) -> bool:
        return self.pattern.search(lowered if self.on_lowered else text) is not None


def _compiled(patterns: Iterable[str]) -> tuple[_Pattern, ...]:
    # Separate patterns with an early exit beat one alternation of them all.
    return tuple(_Pattern(p) for p in patterns)


def _closing_phrase_sets(rule: Rule) -> list[tuple[str, str, tuple[str, ...]]]:
    sets = []
    for name, element in rule.options.get("elements", {}).items():
        for field_name in ("phrases", "exceptions"):
            phrases = tuple(element.get(field_name, ()))
            if phrases:
                key = name if field_name == "phrases" else name + EXCEPTION_SUFFIX
                sets.append((key, f"options.elements.{name}.{field_name}", phrases))
    return sets


# an agent's sign-off initials or name after ^, ~ or a dash, as support teams sign short replies
_INITIAL_MARKS = frozenset("^~-–—")
_INITIALS = Lazy(r"\s*[\^~\-–—]\s*\p{L}[\p{L}.]{0,20}(?:\s+\p{L}[\p{L}.]{0,20})?\s*")
_TRAILING_INITIALS = Lazy(r"(?<=[.!?)])\s*[\^~\-–—]\s*\p{L}[\p{L}.]{0,20}(?:\s+\p{Lu}[\p{L}.]{0,20})?\s*$")
ACCEPTED = "accepted"  # the element name of the configuration's own closing phrases


def _closing_patterns(rule: Rule, settings: ClosingConfig) -> list[tuple[str, tuple[_Pattern, ...]]]:
    """The configuration's accepted closings first (a full closing), then each element's patterns."""
    accepted = _derived("closing accepted", settings, lambda c: _compiled(c.accepted))
    elements = _derived("closing elements", rule, lambda r: [
        (name, _compiled(element.get("patterns", ()))) for name, element in r.options.get("elements", {}).items()
    ])
    return [(ACCEPTED, accepted), *elements]


@detector("closing", ClosingOptions, phrase_sets=_closing_phrase_sets)
def _closing(scan: Scan, rule: Rule) -> Iterable[Hit]:
    settings = scan.config.closing
    body = [r for r in scan.anatomy.regions if r.kind in ("body", "closing")]
    if not body:
        return
    start, end = body[0].start, body[-1].end
    own = [s for s in scan.anatomy.sentences_between(start, end)
           if scan.scan[s.start] not in _INITIAL_MARKS or not _INITIALS.fullmatch(scan.scan, s.start, s.end)]
    if own and not _INITIAL_MARKS.isdisjoint(scan.scan[own[-1].start:own[-1].end]) and (
        tail := _TRAILING_INITIALS.search(scan.scan, own[-1].start, own[-1].end)
    ):
        own[-1] = type(own[-1])(own[-1].start, tail.start())  # "... more here. ^JK": drop the initials
    if len(own) <= settings.chat_max_sentences and sum(
        len(scan.scan[s.start:s.end].split()) for s in own
    ) <= settings.chat_max_words:
        return
    region = own[-settings.region_sentences:]
    required = set(settings.required)
    present = _closing_elements_present(scan, rule, region, required)
    if _closing_complete(present, required):
        return
    missing = [name for name in settings.required if name not in present] or list(rule.options.get("examples", {}))
    last = own[-1]
    yield Hit(
        rule.code, last.start, last.end,
        message=(f"The closing lines have no {_and_list([n.replace('-', ' ') for n in missing])}, "
                 "which this team's configuration asks for.") if required else None,
        suggestions=_closing_suggestions(rule, tuple(missing)),
    )


def _closing_suggestions(rule: Rule, missing: tuple[str, ...]) -> tuple[Suggestion, ...]:
    made: dict[tuple[str, ...], tuple[Suggestion, ...]] = _derived("closing suggestions", rule, lambda r: {})
    if missing not in made:
        examples = rule.options.get("examples", {})
        made[missing] = tuple(
            Suggestion(title=f"Add a closing line, e.g. \"{line}\"", replacement=None,
                       applicability=Applicability.display_only)
            for name in missing for line in examples.get(name, ())[:1]
        )
    return made[missing]


def _closing_elements_present(scan: Scan, rule: Rule, region: list[Any], required: set[str]) -> set[str]:
    """The closing elements found in the region, stopping as soon as the answer is known:
    the question mark first, then phrase matches (already found), then patterns (slowest)."""
    present: set[str] = set()
    if any(scan.scan[s.start:s.end].rstrip().endswith("?") for s in region):
        present.add(rule.options.get("question") or ACCEPTED)
    low, high = region[0].start, region[-1].end
    for name in rule.options.get("elements", {}):
        if _closing_complete(present, required):
            return present
        if name not in present and any(low <= s and e <= high for s, e in scan.phrase_hits(rule.code, name)):
            present.add(name)
    text = " ".join(scan.scan[s.start:s.end] for s in region)
    lowered = text.lower()
    for name, patterns in _closing_patterns(rule, scan.config.closing):
        if _closing_complete(present, required):
            break
        if name not in present and (not required or name in required or name == ACCEPTED):
            if any(pattern.search(text, lowered) for pattern in patterns):
                present.add(name)
    return present


def _closing_complete(present: set[str], required: set[str]) -> bool:
    """An accepted closing, or any element when none is required, or every required one."""
    return ACCEPTED in present or (present >= required if required else bool(present))


def closing_element_names(rules: Iterable[Rule]) -> set[str]:
    """The closing elements the rules define: what `closing.required` may name."""
    return {name for rule in rules if rule.detector == "closing" for name in rule.options.get("elements", {})}


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


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
def _acronym(scan: Scan, rule: Rule) -> Iterable[Hit]:
    everyday, words = _acronym_lists(rule)
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
        if bare in everyday or bare in words or token in everyday:
            continue
        if glossary is None:
            glossary = {term.upper() for term in scan.config.glossary}
            placeholders = placeholder_spans(scan)
        if bare in glossary:
            continue
        if any(s <= m.start() < e for s, e, _ in placeholders) or _in_delimiters(scan.scan, m.start(), m.end()):
            continue
        if _shouting(scan.scan, m.start(), m.end()):
            continue
        yield Hit(rule.code, m.start(), m.end())


def _acronym_lists(rule: Rule) -> tuple[frozenset[str], frozenset[str]]:
    return _derived("acronym lists", rule, lambda r: tuple(frozenset(item.upper() for item in r.options.get(key, ()))
                                           for key in ("everyday", "words")))


_LETTERS = Lazy(r"\p{L}")
_CAPITALS = Lazy(r"\p{Lu}")


def _in_delimiters(text: str, start: int, end: int) -> bool:
    """A token wrapped in template punctuation ("*|FNAME|", "{{ NAME") is a placeholder, even a broken one."""
    before = text[max(0, start - 3):start].strip()
    after = text[end:end + 3].strip()
    return bool(before and before[-1] in _DELIMITER_BEFORE) or bool(after and after[0] in _DELIMITER_AFTER)


def _shouting(text: str, start: int, end: int) -> bool:
    """True when the token sits in a run of capitals (a shouted phrase, not an acronym): judged on
    its line, at most 80 characters either side, so long lines stay linear."""
    line_start = max(text.rfind("\n", 0, start) + 1, start - 80)
    line_end = text.find("\n", end, end + 80)
    window = text[line_start: min(len(text), end + 80) if line_end == -1 else line_end]
    letters = len(_LETTERS.findall(window))
    return letters >= 12 and len(_CAPITALS.findall(window)) / letters > 0.7


_GLOSS_VERBS = r"(?!\b(?:is|are|was|were|will|has|have|had|can|should|must|may|might)\b)"
_EXPLAINED_AFTER = Lazy(  # used with .match(text, pos): no "^", which only matches at 0
    r"(?:s|es)?(?:\s+[\w\-]+){0,2}?\s*(?:"
    r"\(|"  # "SSO (single sign-on)"
    r",\s*(?:that\s+is|i\.?e\.?|meaning|aka|also\s+known\s+as|basically|in\s+other\s+words|short\s+for)\b|"
    r",\s*which\s+(?:is|are|means)\s+(?:a|an|the|basically|just|simply|how|where|what|when|our|your)\b|"
    r",\s*which\s+(?:lets|allows|tells|shows|stands|sends|connects|points|links|keeps|protects|proves|"
    r"confirms|checks|identifies|gives|holds|stores|carries|moves|routes|handles)\b|"
    r",\s*(?:the|a|an|our|your)\s+(?:" + _GLOSS_VERBS + r"[^\s,.;!?]+\s*){1,9}(?:[,.;!?]|$)|"  # appositive
    r"\s+[—–]\s+|\s+-\s+|"
    r"\s+(?:stands\s+for|means|is\s+short\s+for|is\s+(?:a|an|the)\s+(?:way|setting|number|code|name|place|term|tool|list|record|kind|type|step|check|process|service|team|system|fee|charge|bank|payment|feature|app|link|address|file)))",
    regex.IGNORECASE,
)
_EXPLAINED_BEFORE = Lazy(
    r"(?:\(\s*|\b(?:called|known\s+as|named|termed|so-called)\s+(?:an?\s+|the\s+)?[\"'“]?)$", regex.IGNORECASE
)


def explained(scan: Scan, start: int, end: int) -> bool:
    """A term is explained if the reply glosses it where it stands ("SSO (single sign-on)",
    "single sign-on (SSO)", "a webhook, the address we send alerts to", "a setting called TTL"),
    or glosses the same term anywhere else in the reply."""
    term = scan.scan[start:end]
    cache = scan.cache.setdefault("explained", {})
    if term.casefold() not in cache:
        cache[term.casefold()] = _explained_anywhere(scan, term)
    return cache[term.casefold()]


def _explained_anywhere(scan: Scan, term: str) -> bool:
    text = scan.scan
    for start, end in _occurrences(scan, term):
        if _EXPLAINED_AFTER.match(text, end, min(len(text), end + 120)):
            return True
        if _EXPLAINED_BEFORE.search(text, max(0, start - 30), start):
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


def in_glossary(scan: Scan, start: int, end: int) -> bool:
    term = " ".join(scan.scan[start:end].split()).casefold()
    return any(term == " ".join(g.split()).casefold() for g in scan.config.glossary)

