"""Template leftovers: unfilled and malformed placeholders."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

import regex
from pydantic import StrictStr

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
        if syntaxes and _TEMPLATE_PUNCTUATION.search(scan.scan):
            pattern = _syntax_regex(syntaxes)  # declared order: first match names it
            for m in pattern.finditer(scan.scan):
                name = m.lastgroup[2:].replace("_", "-") if m.lastgroup else "unknown"
                cached.append((m.start(), m.end(), name))
        scan.cache["placeholders"] = cached
    return cached


_NAME_VARIABLE = Lazy(r"(?i)(?:first_?name|firstname|fname|\bname\b|realname|full_?name|customer_?name|recipient)")


@detector("placeholder", PlaceholderOptions)
def _placeholder(scan: Scan, rule: DetectorRule, options: PlaceholderOptions) -> Iterable[Hit]:
    allowed = scan.config.helpdesk
    name = scan.context.get("customer_name")
    for start, end, syntax in placeholder_spans(scan):
        if allowed and syntax not in allowed and scan.mode == "saved":
            continue  # reported by the malformed check instead
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
            if known and syntax not in _TAG_SYNTAXES and variable and variable.group() not in known:
                close = difflib.get_close_matches(variable.group(), known, n=1)
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
