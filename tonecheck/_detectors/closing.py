"""Missing closing: the reply ends without offering help, inviting a reply or saying what happens next."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import regex

from .._config import ClosingConfig
from .._exceptions import ConfigError
from .._lazy import Lazy
from .._ruleset import matcher_keys
from .._types import Applicability, Suggestion
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


def _closing_patterns(options: ClosingOptions, settings: ClosingConfig) -> list[tuple[str, tuple[_Pattern, ...]]]:
    """The configuration's accepted closings first (a full closing), then each element's patterns."""
    accepted = _derived("closing accepted", settings, lambda c: _compiled(c.accepted, "closing.accepted"))
    elements = _derived(
        "closing elements",
        options,
        lambda o: [(name, _compiled(element.patterns)) for name, element in o.elements.items()],
    )
    return [(ACCEPTED, accepted), *elements]


@detector("closing", ClosingOptions, phrase_sets=_closing_phrase_sets)
def _closing(scan: Scan, rule: DetectorRule, options: ClosingOptions) -> Iterable[Hit]:
    settings = scan.config.closing
    if scan.channel not in settings.channels:
        return
    body = [r for r in scan.anatomy.regions if r.kind in ("body", "closing")]
    if not body:
        return
    start, end = body[0].start, body[-1].end
    own = [
        s
        for s in scan.anatomy.sentences_between(start, end)
        if scan.scan[s.start] not in _INITIAL_MARKS or not _INITIALS.fullmatch(scan.scan, s.start, s.end)
    ]
    if (
        own
        and not _INITIAL_MARKS.isdisjoint(scan.scan[own[-1].start : own[-1].end])
        and (tail := _TRAILING_INITIALS.search(scan.scan, own[-1].start, own[-1].end))
    ):
        own[-1] = type(own[-1])(own[-1].start, tail.start())  # "... more here. ^JK": drop the initials
    if not own:
        return
    region = own[-settings.region_sentences :]
    required = set(settings.required)
    present = _closing_elements_present(scan, rule.code, options, region, required)
    if _closing_complete(present, required):
        return
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
    the question mark first, then phrase matches (already found), then patterns (slowest)."""
    present: set[str] = set()
    if any(scan.scan[s.start : s.end].rstrip().endswith("?") for s in region):
        present.add(options.question or ACCEPTED)
    low, high = region[0].start, region[-1].end
    for name in options.elements:
        if _closing_complete(present, required):
            return present
        if name not in present and any(low <= s and e <= high for s, e in scan.phrase_hits(code, name)):
            present.add(name)
    text = " ".join(scan.scan[s.start : s.end] for s in region)
    lowered = text.lower()
    for name, patterns in _closing_patterns(options, scan.config.closing):
        if _closing_complete(present, required):
            break
        wanted = not required or name in required or name == ACCEPTED
        if name not in present and wanted and any(pattern.search(text, lowered) for pattern in patterns):
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
