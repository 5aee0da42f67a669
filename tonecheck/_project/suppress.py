"""Inline suppressions in saved replies, written as comments the helpdesk does not render:

    <!-- tonecheck: ignore NEG010 -- reason -->     the next paragraph (or the rest of this line's paragraph)
    <!-- tonecheck: disable PAG -->  …  <!-- tonecheck: enable -->   a region
    {% comment %}tonecheck: ignore jargon{% endcomment %}  and  {% # tonecheck: ignore jargon %}   Liquid
    {{!-- tonecheck: ignore jargon --}}              Handlebars
    {# tonecheck: ignore jargon #}                   Jinja files only (Liquid shows it to the customer)

Selectors are codes, code prefixes, rule names or categories, separated by spaces or commas;
none means every rule. Text after "--" is the reason. A suppression that suppresses nothing is
reported as TON100, a tool rule (rules/tool/TON100.yml: its message, severity and docs). Drafts
linted through the library use `check(..., ignore=...)` instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import regex

from .._config import selector_matches
from .._lazy import Lazy
from .._ruleset.templates import render
from .._text import LineIndex
from .._types import Finding, Severity

if TYPE_CHECKING:
    from .._ruleset.schema import Rule

# the comment forms helpdesks hide from the customer, each with its own closer: HTML, Liquid
# (Zendesk, Shopify: a comment block and the inline "#" tag), Handlebars, and Jinja's {# #}
_COMMENT_FORMS = (
    (r"<!--", r"-->"),
    (r"\{%-?\s*comment\s*-?%\}", r"\{%-?\s*endcomment\s*-?%\}"),
    (r"\{%-?\s*\#", r"-?%\}"),
    (r"\{\{!--", r"--\}\}"),
    (r"\{\{!(?!--)", r"\}\}"),
    (r"\{\#", r"\#\}"),
)
_DIRECTIVE = Lazy(
    "|".join(
        rf"(?:{opener})\s*tonecheck:\s*(?P<verb>ignore|disable|enable)\b(?P<rest>.*?)\s*(?:{closer})"
        for opener, closer in _COMMENT_FORMS
    ),
    regex.IGNORECASE | regex.DOTALL,
)
_PARAGRAPH_END = Lazy(r"\n[ \t]*\n")

UNUSED_CODE = "TON100"  # the tool rule an unused suppression is reported under


@dataclass
class Suppression:
    verb: str
    selectors: tuple[str, ...]
    reason: str | None
    start: int  # the directive comment
    end: int
    effect_start: int
    effect_end: int
    used: bool = field(default=False)

    def covers(self, finding: Finding) -> bool:
        if not (self.effect_start <= finding.start < self.effect_end):
            return False
        return not self.selectors or any(
            selector_matches(s, code=finding.code, name=finding.name, category=finding.category) for s in self.selectors
        )


def parse(text: str) -> list[Suppression]:
    found: list[Suppression] = []
    open_regions: list[Suppression] = []
    for m in _DIRECTIVE.finditer(text):
        rest = m.group("rest")
        reason = None
        if "--" in rest:
            rest, reason = rest.split("--", 1)
            reason = reason.strip() or None
        selectors = tuple(part for part in regex.split(r"[\s,]+", rest.strip()) if part)
        verb = m.group("verb").lower()
        if verb == "ignore":
            paragraph = _PARAGRAPH_END.search(text, m.end())
            # a directive alone on its line covers the next paragraph; inline, its own paragraph
            line_start = text.rfind("\n", 0, m.start()) + 1
            alone = not text[line_start : m.start()].strip()
            if alone:
                spaces = regex.compile(r"\s*").match(text, m.end())
                after = spaces.end() if spaces else m.end()
                paragraph = _PARAGRAPH_END.search(text, after)
            effect_end = paragraph.start() if paragraph else len(text)
            effect_start = m.end() if alone else text.rfind("\n\n", 0, m.start()) + 1
            found.append(Suppression(verb, selectors, reason, m.start(), m.end(), effect_start, effect_end))
        elif verb == "disable":
            region = Suppression(verb, selectors, reason, m.start(), m.end(), m.end(), len(text))
            open_regions.append(region)
            found.append(region)
        else:  # enable: closes the latest disable with the same selectors, or all of them
            for region in reversed(open_regions):
                if not selectors or region.selectors == selectors:
                    region.effect_end = m.start()
                    open_regions.remove(region)
                    if selectors:
                        break
    return found


def apply(text: str, findings: Sequence[Finding]) -> tuple[list[Finding], list[Suppression]]:
    """The findings no suppression covers, and the suppressions that covered nothing."""
    suppressions = parse(text)
    kept = []
    for finding in findings:
        covering = [s for s in suppressions if s.covers(finding)]
        for s in covering:
            s.used = True
        if not covering:
            kept.append(finding)
    return kept, [s for s in suppressions if not s.used]


def unused_finding(text: str, suppression: Suppression, rule: Rule, severity: Severity | None = None) -> Finding:
    """The TON100 finding for a suppression that covered nothing. `rule` is TON100 as the rule set
    holds it; `severity` is the configuration's override of its severity, if any."""
    line, column, end_line, end_column = LineIndex(text).span(suppression.start, suppression.end)
    matched = text[suppression.start : suppression.end]
    what = ", ".join(suppression.selectors) or "all rules"
    return Finding(
        code=rule.code,
        name=rule.name,
        category=rule.category,
        severity=severity or rule.severity,
        message=render(rule.message, {"match": matched, "selectors": what}),
        start=suppression.start,
        end=suppression.end,
        source_start=suppression.start,
        source_end=suppression.end,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        match=matched,
    )
