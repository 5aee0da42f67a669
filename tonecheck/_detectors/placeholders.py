"""Template leftovers: unfilled and malformed placeholders."""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

import regex
from pydantic import Field, StrictInt, StrictStr, model_validator
from rapidfuzz.distance import OSA

from .._lazy import Lazy
from .._types import Applicability, Suggestion
from .base import DetectorOptions, DisjointSpans, Hit, PlaceholderOptions, Scan, _derived, detector

if TYPE_CHECKING:
    from .._ruleset.schema import DetectorRule


# -- placeholders ------------------------------------------------------------------------------


def _syntax_regex(syntaxes: Mapping[str, str]) -> regex.Pattern[str]:
    # the engine hands every reply the same mapping: compiled once per mapping, found by identity
    return _derived(
        "syntax regex",
        syntaxes,
        lambda items: regex.compile("|".join(f"(?P<{_group(name)}>{source})" for name, source in items.items())),
    )


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
        text = scan.scan
        # (the pattern cannot match without one of these: most replies are ruled out by plain
        # substring tests, faster than the search)
        if (
            syntaxes
            and ("{" in text or "}" in text or "%" in text or "*|" in text or "<" in text or "[[" in text)
            and _TEMPLATE_PUNCTUATION.search(text)
        ):
            pattern = _syntax_regex(syntaxes)  # declared order: first match names it
            for m in pattern.finditer(scan.scan):
                name = m.lastgroup[2:].replace("_", "-") if m.lastgroup else "unknown"
                cached.append((m.start(), m.end(), name))
        scan.cache["placeholders"] = cached
    return cached


_NAME_VARIABLE = Lazy(r"(?i)(?:first_?name|firstname|fname|\bname\b|realname|full_?name|customer_?name|recipient)")


def _taught_regex(options: PlaceholderOptions) -> regex.Pattern[str] | None:
    if not options.taught:
        return None
    return _derived(
        "taught regex",
        options.taught,
        lambda sources: regex.compile("|".join(f"(?:{source})" for source in sources), regex.IGNORECASE),
    )


def _taught(scan: Scan, start: int, end: int, options: PlaceholderOptions) -> bool:
    """Whether the text near a placeholder shows it to the customer as syntax to type (a help
    article or a reply about mail merge), not as a value left unfilled."""
    pattern = _taught_regex(options)
    if pattern is None:
        return False
    text, within = scan.scan, options.taught_within
    return (
        pattern.search(text, max(0, start - within), start) is not None
        or pattern.search(text, end, end + within) is not None
    )


@detector("placeholder", PlaceholderOptions)
def _placeholder(scan: Scan, rule: DetectorRule, options: PlaceholderOptions) -> Iterable[Hit]:
    allowed = scan.config.helpdesk
    name = scan.context.get("customer_name")
    for start, end, syntax in placeholder_spans(scan):
        if allowed and syntax not in allowed and scan.mode == "saved":
            continue  # reported by the malformed check instead
        if _taught(scan, start, end, options):
            continue
        text = scan.text[start:end]
        if name and _NAME_VARIABLE.search(text):
            suggestions = (
                Suggestion(
                    title=f"Fill in the customer's name ({name})", replacement=name, applicability=Applicability.safe
                ),
            )
        else:
            suggestions = (
                Suggestion(
                    title="Replace it with the real value before sending", applicability=Applicability.display_only
                ),
            )
        yield Hit(rule.code, start, end, {"syntax": syntax}, suggestions=suggestions)


_VARIABLE = Lazy(r"[A-Za-z_][\w]*(?:(?:\.|->)[A-Za-z_][\w ]*\w|(?:\.|->)[A-Za-z_]\w*)*")
_TAG_SYNTAXES = {"liquid-tag"}  # {% if %} and friends hold code, not a variable name


class MalformedOptions(DetectorOptions):
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
    (Lazy(r"(?:(?<!\{)(?P<open>\{\{\{?|\{%)|" + _BRACE_OPENER + r")[^{}|\n]{1,40}(?P<close>\|\*)"), _mixes, "|*"),
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
    (Lazy(r"(?<!\{)(?>(?P<open>\{\{\{?|\{%))(?>-?(?:\s*[A-Za-z_]\w*(?:\.\w+)*)?)" + _UNCLOSED), _never_closed, "{"),
    (
        Lazy(r"(?:(?<![\w{])(?P<open>[#%]\{)|(?P<open>\{!))(?>\s*[A-Za-z_]\w*(?:\.\w+)*)" + _UNCLOSED),
        _never_closed,
        "{",
    ),
    (
        Lazy(r"(?<![\w{])(?P<open>\$\{)(?>\s*[A-Za-z_]\w*(?:\.\w+|[ ]\p{Lu}\w*)*)" + _UNCLOSED),
        _never_closed,
        "${",
    ),  # Zoho names hold spaces: "${Contacts.First Name"
    (Lazy(r"(?P<open>\*\|)[A-Z0-9_:]+(?:\|(?!\*)|(?![A-Z0-9_:|]))"), _never_closed, "*|"),
    # a lone "{" before a name, then prose or punctuation: "Hi {FNAME,"
    (
        Lazy(
            r"(?<![\w{$#%!\\])(?P<open>\{)(?>[A-Za-z_]\w*(?:\.\w+)*)(?=[,.!?;]|[^\S\n]*$|[^\S\n]+\p{L})" + _UNCLOSED,
            regex.MULTILINE,
        ),
        _never_closed,
        "{",
    ),
]


def _expression_words(options: MalformedOptions) -> frozenset[str]:
    return _derived("expression words", options, lambda o: frozenset(w.casefold() for w in o.expression_words))


@detector("malformed-placeholder", MalformedOptions)
def _malformed(scan: Scan, rule: DetectorRule, options: MalformedOptions) -> Iterable[Hit]:
    text = scan.scan
    if "{" not in text and "}" not in text and "*|" not in text:
        return
    found = DisjointSpans()
    for pattern, problem, needs in _MALFORMED:
        if needs not in text:
            continue
        for m in pattern.finditer(text):
            if found.overlaps(m.start(), m.end()):
                continue
            name = m.groupdict().get("name")
            if name and not _expression_words(options).isdisjoint(w.strip(".").casefold() for w in name.split()):
                continue  # "{{ name or nickname }}" is an expression, not a name with a space
            found.add(m.start(), m.end())
            yield Hit(
                rule.code,
                m.start(),
                m.end(),
                {"problem": problem if isinstance(problem, str) else problem(m)},
                suggestions=(Suggestion(title="Repair the placeholder", applicability=Applicability.display_only),),
            )
    allowed = scan.config.helpdesk
    known = scan.config.known_variables
    if (allowed or known) and scan.mode == "saved":
        for start, end, syntax in placeholder_spans(scan):
            if found.overlaps(start, end):
                continue
            if allowed and syntax not in allowed:
                yield Hit(
                    rule.code,
                    start,
                    end,
                    {"problem": f"it uses {syntax} syntax, which the configured helpdesk does not"},
                )
                continue
            variable = _VARIABLE.search(scan.scan, start, end)
            if known and syntax not in _TAG_SYNTAXES and variable and not _is_known(variable.group(), known):
                close = _typo_of(variable.group(), known)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                yield Hit(
                    rule.code,
                    start,
                    end,
                    {"problem": f"{variable.group()!r} is not a known variable of the helpdesk{hint}"},
                    suggestions=(
                        Suggestion(
                            title=f"Use {close[0]!r}",
                            replacement=scan.text[start:end].replace(variable.group(), close[0], 1),
                            applicability=Applicability.unsafe,
                        ),
                    )
                    if close
                    else (),
                )


# -- misspelled variables, against the helpdesks' documented lists ------------------------------


class HelpdeskVariables(DetectorOptions):
    """One helpdesk's documented variables, for the placeholder syntaxes it uses."""

    name: StrictStr
    syntaxes: tuple[StrictStr, ...]
    names: tuple[StrictStr, ...] = ()  # paths; "(a|b)" spells alternatives
    open: tuple[StrictStr, ...] = ()  # families left open: "*" any rest, "#" any number
    exact: bool = False  # capitals and separators are part of the name (reported when they differ)
    ignore_case: bool = False  # the helpdesk reads names in any case (its open families too)

    @model_validator(mode="after")
    def _spelled_right(self) -> HelpdeskVariables:
        for pattern in (*self.names, *self.open):
            _expand(pattern)  # raises ValueError on unbalanced parentheses
        return self


class VariableListOptions(DetectorOptions):
    closed_syntaxes: tuple[StrictStr, ...] = ()
    # in the other syntaxes, a bare name is compared only with documented bare names of at least
    # this many letters (0: never)
    shared_bare_letters: StrictInt = Field(default=0, ge=0)
    helpdesks: tuple[HelpdeskVariables, ...] = ()


def _expand(pattern: str) -> list[str]:
    """All spellings of a pattern: "a.(b|c).d" is "a.b.d" and "a.c.d"."""
    open_at = pattern.find("(")
    if open_at == -1:
        if ")" in pattern or "|" in pattern:
            raise ValueError(f"unbalanced parentheses or a stray '|' in {pattern!r}")
        return [pattern]
    depth = 0
    for at in range(open_at, len(pattern)):
        depth += {"(": 1, ")": -1}.get(pattern[at], 0)
        if depth == 0:
            break
    else:
        raise ValueError(f"unbalanced parentheses in {pattern!r}")
    inner, rest = pattern[open_at + 1 : at], pattern[at + 1 :]
    choices, depth, start = [], 0, 0
    for i, ch in enumerate(inner):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "|" and depth == 0:
            choices.append(inner[start:i])
            start = i + 1
    choices.append(inner[start:])
    head = pattern[:open_at]
    return [head + spelled + tail for choice in choices for spelled in _expand(choice) for tail in _expand(rest)]


def _normal(segment: str) -> str:
    """A segment as the eye reads it: "first_name", "firstName" and "FIRSTNAME" are one name."""
    return segment.replace("_", "").replace("-", "").casefold()


# a variable inside a placeholder: a name, then ".name", "->name", ":name", "[index]" or "(args)"
# (an index bounded: "[" with no "]" after it scanned the rest of the line from every name before
# it, quadratic on "a[a[a[..."; an index is far shorter)
_PATH = Lazy(r"\$?[A-Za-z_]\w*(?:\[[^\]\n]{0,200}\]|\([^()\n]*\)|(?:\.|->|:)[A-Za-z_]\w*)*")
_SEGMENT = Lazy(r"\[[^\]\n]{0,200}\]|\([^()\n]*\)|[A-Za-z_]\w*")


def _segments(variable: str) -> list[tuple[str, int, int]]:
    """The name segments of a variable with their offsets in it ("[0]" and "(args)" are skipped)."""
    return [(m.group(), m.start(), m.end()) for m in _SEGMENT.finditer(variable) if m.group()[0] not in "[("]


class _Syntax:
    """What one placeholder syntax knows: its documented names, open families and candidates."""

    def __init__(self, closed: bool, bare_letters: int = 0) -> None:
        self.closed = closed
        self.bare_letters = bare_letters  # a bare name is checked if closed, or against names this long
        self.exact: set[tuple[str, ...]] = set()  # names as written, for lists marked exact
        self.exact_read: set[tuple[str, ...]] = set()  # the same, as the eye reads them
        self.loose: set[tuple[str, ...]] = set()  # names as the eye reads them, for the others
        self.families: dict[bool, list[str]] = {False: [], True: []}  # by ignore_case
        # (segments as written, as read, helpdesk, exact, open after it): what a slip is compared with
        self.candidates: dict[int, list[tuple[tuple[str, ...], tuple[str, ...], str, bool, bool]]] = {}
        self.family: list[regex.Pattern[str]] = []
        # the candidates by all their segments but one: (size, the segment left out, the others,
        # as compared) -> positions in candidates[size]; built on first use
        self._by_others: dict[tuple[int, int, tuple[str, ...]], list[int]] | None = None
        self._last_names: tuple[dict[str, dict[str, list[str]]], set[tuple[str, ...]]] | None = None

    def add(self, segments: tuple[str, ...], helpdesk: str, exact: bool, opens: bool) -> None:
        if exact:
            self.exact.add(segments)
            self.exact_read.add(tuple(map(_normal, segments)))
        else:
            self.loose.add(tuple(map(_normal, segments)))
        self.candidates.setdefault(len(segments), []).append(
            (segments, tuple(map(_normal, segments)), helpdesk, exact, opens)
        )

    def one_apart(self, size: int, written: tuple[str, ...], normal: tuple[str, ...]) -> list[int]:
        """The positions, in order, of the candidates of `size` segments that differ from the first
        `size` segments of a variable in at most one segment, compared as nearest_variable
        compares them (as written for an exact list where the syntax is closed, else as read): the
        only ones that can be one slip away, found without comparing every documented name."""
        if self._by_others is None:
            index: dict[tuple[int, int, tuple[str, ...]], list[int]] = {}
            for length, candidates in self.candidates.items():
                for position, (segments, read, _, exact, _) in enumerate(candidates):
                    against = segments if exact and self.closed else read
                    for left_out in range(length):
                        key = (length, left_out, against[:left_out] + against[left_out + 1 :])
                        index.setdefault(key, []).append(position)
            self._by_others = index
        found: set[int] = set()
        for compared in {written[:size], normal[:size]}:
            for left_out in range(size):
                found.update(self._by_others.get((size, left_out, compared[:left_out] + compared[left_out + 1 :]), ()))
        return sorted(found)

    def last_names(self) -> tuple[dict[str, dict[str, list[str]]], set[tuple[str, ...]]]:
        """The last segments of the documented names, as read, with their spellings and the
        helpdesks that document each; and the documented objects, as read (their names less
        the last segment, at any depth). Built on first use."""
        if self._last_names is None:
            names: dict[str, dict[str, list[str]]] = {}
            objects: set[tuple[str, ...]] = set()
            for candidates in self.candidates.values():
                for segments, read, helpdesk, _, opens in candidates:
                    objects.update(read[:end] for end in range(1, len(read) + (1 if opens else 0)))
                    if opens:
                        continue  # an open object's own name ("contact" of contact.*) is no field
                    helpdesks = names.setdefault(read[-1], {}).setdefault(segments[-1], [])
                    if helpdesk not in helpdesks:
                        helpdesks.append(helpdesk)
            self._last_names = names, objects
        return self._last_names

    def knows(self, segments: tuple[str, ...], path: str) -> bool:
        read = tuple(map(_normal, segments))
        if segments in self.exact or read in self.loose:
            return True
        if read in self.exact_read and not self.closed:
            return True  # capitals and separators matter only where the syntax is the helpdesk's own
        return any(family.fullmatch(path) for family in self.family)


def _family_source(pattern: str) -> str:
    return "".join(".+" if ch == "*" else r"\d+" if ch == "#" else regex.escape(ch) for ch in pattern)


def _variable_index(options: VariableListOptions) -> dict[str, _Syntax]:
    def build(options: VariableListOptions) -> dict[str, _Syntax]:
        closed = set(options.closed_syntaxes)
        index: dict[str, _Syntax] = {}
        for helpdesk in options.helpdesks:
            for syntax in helpdesk.syntaxes:
                known = index.setdefault(
                    syntax, _Syntax(syntax in closed, 0 if syntax in closed else options.shared_bare_letters)
                )
                for pattern in helpdesk.names:
                    for name in _expand(pattern):
                        known.add(tuple(name.split(".")), helpdesk.name, helpdesk.exact, False)
                for pattern in helpdesk.open:
                    for family in _expand(pattern):
                        known.families[helpdesk.ignore_case].append(_family_source(family))
                        head = family[:-2] if family.endswith(".*") else None
                        if head and "*" not in head and "#" not in head:
                            # an object whose members are open: a slip in its own name still shows
                            segments = tuple(head.split("."))
                            known.candidates.setdefault(len(segments), []).append(
                                (segments, tuple(map(_normal, segments)), helpdesk.name, helpdesk.exact, True)
                            )
        for known in index.values():
            for ignore_case, families in known.families.items():
                if families:
                    known.family.append(
                        regex.compile("|".join(f"(?:{f})" for f in families), regex.IGNORECASE if ignore_case else 0)
                    )
        return index

    return _derived("variable index", options, build)


def _osa(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbouring letters as one edit (optimal string
    alignment, from rapidfuzz)."""
    return int(OSA.distance(a, b))


def typo_like(written: str, documented: str) -> bool:
    """Is `written` one typing slip away from `documented` (one segment of a variable each, as
    the eye reads them)? One edit in a name of four letters or more ("lnik"), or two in one of
    twelve or more. A letter added or lost at either end mostly makes another word ("note" and
    "notes", "phone2", "fname" and "name"), so there only a doubled letter ("idd") or a last
    letter lost from a name of six or more ("descriptio") counts; three-letter names ("fax",
    "fox") are too short to tell. Measured on slips made in every documented name and on other
    tools' and custom variables: see tests/test_template_variables.py."""
    distance = _osa(written, documented)
    if distance == 0:
        return True
    if distance == 2:
        return len(documented) >= 12
    if distance != 1 or len(documented) < 4:
        return False
    shorter, longer = sorted((written, documented), key=len)
    if len(longer) != len(shorter) + 1:
        return True  # a letter changed, or two swapped
    if longer.startswith(shorter):  # at the end
        extra = longer[-1]
        return extra == longer[-2] or (written == shorter and extra != "s" and len(documented) >= 6)
    if longer.endswith(shorter):  # at the start
        return longer[0] == longer[1]
    return True  # a letter lost or added inside


def nearest_variable(
    index: dict[str, _Syntax], syntax: str, variable: str
) -> tuple[tuple[str, ...], int, list[str]] | None:
    """For a variable that no helpdesk of the syntax documents, the documented name one slip away:
    (its segments, the index of the segment that differs, the helpdesks documenting it). None
    when the name is known, in an open family, not typo-close to exactly one name, or a bare name
    of a syntax many tools share."""
    known = index.get(syntax)
    if known is None:
        return None
    written = tuple(segment for segment, _, _ in _segments(variable))
    if not written:
        return None
    path = ".".join(written)
    # a bare name in a syntax many tools share is anyone's ("{{plan}}"), unless it is one slip
    # from a documented bare name long enough to tell a slip from another word ("{{frist_name}}")
    bare_shared = len(written) == 1 and not known.closed
    if known.knows(written, path) or (bare_shared and not known.bare_letters):
        return None
    normal = tuple(map(_normal, written))
    # documented names one slip away, as the eye reads them: spellings of one name are one name
    found: dict[tuple[str, ...], tuple[int, list[tuple[str, ...]], list[str]]] = {}
    best = 3
    for size in range(1, len(written) + 1):
        strict = known.closed
        candidates = known.candidates.get(size, [])
        for segments, read, helpdesk, exact, opens in map(
            candidates.__getitem__, known.one_apart(size, written, normal)
        ):
            if size < len(written) and not opens:
                continue
            if bare_shared and (opens or len(read[0]) < known.bare_letters):
                continue  # (an open object's name alone is no value: "{{contact}}" is not a slip)
            compared = written if exact and strict else normal
            against = segments if exact and strict else read
            differs = [i for i in range(size) if compared[i] != against[i]]
            if len(differs) != 1:
                continue
            at = differs[0]
            if not typo_like(normal[at], read[at]):
                continue
            distance = _osa(normal[at], read[at])
            if distance > best:
                continue
            if distance < best:
                best, found = distance, {}
            whole = segments + written[size:]
            _, spellings, helpdesks = found.setdefault(tuple(map(_normal, whole)), (at, [], []))
            if whole not in spellings:
                spellings.append(whole)
            if helpdesk not in helpdesks:
                helpdesks.append(helpdesk)
    if not found and not known.closed and known.bare_letters and len(written) > 1:
        return _slip_in_last_name(known, written, normal)
    if len(found) != 1:
        return None  # none, or several equally near: a guess would be a coin toss
    ((at, spellings, helpdesks),) = found.values()
    # of the documented spellings, the one closest to how the rest of the name is written
    segments = max(spellings, key=lambda s: sum(a == b for a, b in zip(s, written, strict=False)))
    return segments, at, helpdesks


def _slip_in_last_name(
    known: _Syntax, written: tuple[str, ...], normal: tuple[str, ...]
) -> tuple[tuple[str, ...], int, list[str]] | None:
    """In a syntax many tools share, a variable of an object no list documents
    ("{{visitor.fisrt_name}}", a chat tool's; not "{{ticket.fist_name}}", a field Zendesk's ticket
    does not have) whose last name is one slip from a documented last name as long as a bare name
    must be to be checked, and is no documented name itself: a custom object's fields are named
    with the same words ("first_name", "email"), and a custom field is made of words, not slips."""
    last = normal[-1]
    names, objects = known.last_names()
    if last in names or len(last) < known.bare_letters or normal[:-1] in objects:
        return None  # (a documented object's fields are its own: a slip there is nearest_variable's)
    near: dict[str, tuple[int, dict[str, list[str]]]] = {}
    for documented, spellings in names.items():
        if len(documented) >= known.bare_letters and typo_like(last, documented):
            near[documented] = (_osa(last, documented), spellings)
    if not near:
        return None
    best = min(distance for distance, _ in near.values())
    closest = [name for name, (distance, _) in near.items() if distance == best]
    if len(closest) != 1:
        return None  # several equally near: no guess
    spellings = near[closest[0]][1]
    # a documented spelling in the style the name is written in: "frist_name" is "first_name",
    # "fristname" "firstname", and "fristName" "firstName" (from "first_name") though no list has it
    own = written[-1]
    camel = any(ch.isupper() for ch in own[1:]) and "_" not in own
    words = sorted(spelling for spelling in spellings if "_" in spelling)
    if camel and words:
        head, *rest = words[0].split("_")
        spelled, helpdesks = head + "".join(part.capitalize() for part in rest), spellings[words[0]]
    else:
        spelled = min(
            spellings, key=lambda spelling: (("_" in spelling) != ("_" in own), _osa(spelling, own), spelling)
        )
        helpdesks = spellings[spelled]
    return (*written[:-1], spelled), len(written) - 1, helpdesks


_OPENER = Lazy(r"[{%#!*|<\s-]*")


@detector("misspelled-variable", VariableListOptions)
def _misspelled(scan: Scan, rule: DetectorRule, options: VariableListOptions) -> Iterable[Hit]:
    if scan.mode != "saved" or scan.config.known_variables:
        return  # a team's own list (TPL002) replaces the built-in one
    index = _variable_index(options)
    for start, end, syntax in placeholder_spans(scan):
        if syntax not in index or syntax in _TAG_SYNTAXES:
            continue
        found = _PATH.search(scan.scan, start, end)
        if found is None or not _OPENER.fullmatch(scan.scan, start, found.start()):
            continue  # the placeholder does not start with a variable ("{{ 'Hello' | t }}")
        variable = found.group()
        near = nearest_variable(index, syntax, variable)
        if near is None:
            continue
        segments, at, helpdesks = near
        _, seg_start, seg_end = _segments(variable)[at]
        nearest = variable[:seg_start] + segments[at] + variable[seg_end:]
        replacement = scan.text[start : found.start()] + nearest + scan.text[found.end() : end]
        yield Hit(
            rule.code,
            start,
            end,
            {"variable": variable, "nearest": nearest, "helpdesks": " or ".join(helpdesks)},
            suggestions=(
                Suggestion(
                    title=f"Use {nearest!r} if that is what was meant",
                    replacement=replacement,
                    applicability=Applicability.unsafe,
                ),
            ),
        )


def _is_known(variable: str, known: tuple[str, ...]) -> bool:
    """A known variable name, or one a wildcard entry covers ("dc.*", "ticket.ticket_field_*")."""
    return variable in known or any("*" in k and fnmatch.fnmatchcase(variable, k) for k in known)


def _typo_of(variable: str, known: tuple[str, ...]) -> list[str]:
    """The known name this variable is a typo of, if the difference looks like a typo: at most two
    letters apart (one for short names), the same digits, and not a name a wildcard stands for.
    Two valid-looking names that differ in a number ("ticket_field_360044444" and
    "ticket_field_360055555") are different fields, never a typo of each other."""
    digits = [ch for ch in variable if ch.isdigit()]
    limit = 1 if len(variable) <= 8 else 2
    candidates = [
        k
        for k in known
        if "*" not in k and [ch for ch in k if ch.isdigit()] == digits and _distance(variable, k, limit) <= limit
    ]
    close = difflib.get_close_matches(variable, candidates, n=1, cutoff=0.6)
    return close


def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance (insertions, deletions, substitutions, adjacent swaps), limit + 1 past `limit`."""
    return int(OSA.distance(a, b, score_cutoff=limit))
