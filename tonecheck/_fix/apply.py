"""Applying suggestions: `fix` rewrites a reply with the suggestions it may apply, to a fixed point.

Each round lints the current text, takes the first applicable suggestion of every finding, keeps
the ones that do not overlap, applies them from the end backwards, and lints again. Every change,
including the tidying around a removal (a following comma, a capital for the next word), lies
inside the edit's own span, so text outside the edits is never touched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import regex

from .._anatomy import is_sentence_start, match_case
from .._language import Language, language_data, pack_language, words_regex
from .._lazy import Lazy
from .._types import Applicability, Edit, Finding, FixResult, Report, finding_identity

_AFTER_REMOVAL = Lazy(r"[ \t]*[,;:]?[ \t]*")
_SPACES = Lazy(r"[ \t]*")


def fix_text(
    text: str,
    check: Callable[[str], Report],
    *,
    unsafe: bool = False,
    max_rounds: int = 10,
) -> FixResult:
    """Apply safe suggestions (and unsafe ones too with `unsafe=True`) until none is left.

    `check` lints a text with the caller's settings. Display-only suggestions are never applied.
    Returns the new text, the edits made (offsets into the text of their round) and the findings
    that remain in the new text.
    """
    allowed = {Applicability.safe, Applicability.unsafe} if unsafe else {Applicability.safe}
    current = text
    edits: list[Edit] = []
    for round_number in range(1, max_rounds + 1):
        report = check(current)
        language = pack_language(report.language)
        planned = [edit for f in report.findings if (edit := _plan(current, f, allowed, round_number, language))]
        chosen: list[Edit] = []
        for edit in sorted(planned, key=lambda e: (e.start, e.end)):
            if chosen and edit.start < chosen[-1].end:
                continue
            if edit.applicability is Applicability.safe and _introduces_a_finding(
                current, edit, report.findings, check
            ):
                continue  # "Actually, No, we…" -> "No, we…" would surface a new problem: leave it
            chosen.append(edit)
        if not chosen:
            return FixResult(
                text=current,
                edits=tuple(edits),
                remaining=report.findings,
                language=report.language,
                notes=report.notes,
            )
        for edit in reversed(chosen):
            current = current[: edit.start] + edit.replacement + current[edit.end :]
        edits.extend(chosen)
    report = check(current)
    return FixResult(
        text=current, edits=tuple(edits), remaining=report.findings, language=report.language, notes=report.notes
    )


def _introduces_a_finding(text: str, edit: Edit, before: tuple[Finding, ...], check: Callable[[str], Report]) -> bool:
    """Whether applying this one edit makes a problem appear that was not there before."""
    after = check(text[: edit.start] + edit.replacement + text[edit.end :])
    remaining = Counter(finding_identity(f) for f in before)
    for finding in after.findings:
        key = finding_identity(finding)
        if remaining[key] > 0:
            remaining[key] -= 1
        elif not any(
            f.code == finding.code
            and (finding.match.casefold() in f.match.casefold() or f.match.casefold() in finding.match.casefold())
            for f in before
        ):
            return True
    return False


def _plan(
    text: str, finding: Finding, allowed: set[Applicability], round_number: int, language: Language
) -> Edit | None:
    for suggestion in finding.suggestions:
        if suggestion.replacement is None or suggestion.applicability not in allowed:
            continue
        start = finding.start if suggestion.start is None else suggestion.start
        end = finding.end if suggestion.end is None else suggestion.end
        start, end, replacement = tidy(text, start, end, suggestion.replacement, language)
        if text[start:end] == replacement:
            continue
        return Edit(
            code=finding.code,
            round=round_number,
            start=start,
            end=end,
            original=text[start:end],
            replacement=replacement,
            title=suggestion.title,
            applicability=suggestion.applicability,
        )
    return None


class _Articles:
    """A language's determiners and a/an (language.yml, `articles`), for tidying a replacement."""

    def __init__(self, language: Language) -> None:
        articles = language.data.articles
        determiner = words_regex(articles.determiners)
        self.before = Lazy(rf"(?<!\w)(?P<det>{determiner})[ \t]+\Z", regex.IGNORECASE)
        self.leading = Lazy(rf"^{determiner}[ \t]+", regex.IGNORECASE)
        self.pair = (articles.before_consonant_sound, articles.before_vowel_sound)
        # "an" goes by sound: "an hour", "an update", but "a one-time code", "a unit", "a user"
        exceptions = [rf"{regex.escape(w)}(?!\w)" for w in articles.consonant_sound_words]
        exceptions += [regex.escape(w) for w in articles.consonant_sound_starts]
        starts = "|".join(regex.escape(w) for w in sorted(articles.vowel_sound_starts, key=lambda w: (-len(w), w)))
        self.vowel_sound = Lazy(rf"^(?!{'|'.join(exceptions) or '(?!)'})(?:{starts or '(?!)'})", regex.IGNORECASE)


def tidy(text: str, start: int, end: int, replacement: str, language: Language | None = None) -> tuple[int, int, str]:
    """Widen an edit so the result reads right, keeping every change inside the edit:
    a removal takes its separators with it (", as I said," -> nothing; "Actually, the" -> "The"),
    a replacement does not double a determiner ("the the", "a a") and agrees with "a"/"an"."""
    if replacement:
        return _tidy_replacement(text, start, end, replacement, (language or language_data()).derived(_Articles))
    before = text[:start]
    # a parenthetical between commas: ", as I said," -> "" and "the jar, as I said." -> "the jar."
    if trailing_comma := regex.search(r",[ \t]*\Z", before):
        comma = trailing_comma.start()
        following = regex.compile(r"[ \t]*(?P<p>[,.;:!?]|$)").match(text, end)
        if following and following.group("p") == ",":
            return comma, following.end(), ""
        if following and (following.group("p") in (".", ";", ":", "!", "?") or following.end() == len(text)):
            return comma, following.start("p") if following.group("p") else following.end(), ""
    end += _AFTER_REMOVAL.match(text, end).end() - end
    if is_sentence_start(text, start):
        if end < len(text) and text[end] in ".!?":  # the whole sentence went: take its full stop too
            end += 1
            end = _SPACES.match(text, end).end()
        if end < len(text) and text[end].islower():
            return start, end + 1, text[end].upper()
        if end >= len(text) or text[end] == "\n":  # nothing left on the line: drop the gap before
            while start > 0 and text[start - 1] in " \t":
                start -= 1
        return start, end, ""
    if end >= len(text) or text[end] in ".,;:!?\n":
        while start > 0 and text[start - 1] in " \t":  # "click it simply." -> "click it."
            start -= 1
    return start, end, ""


def _tidy_replacement(text: str, start: int, end: int, replacement: str, articles: _Articles) -> tuple[int, int, str]:
    if is_sentence_start(text, start):
        replacement = match_case(replacement, text[start : start + 1])
    determiner = articles.before.search(text[max(0, start - 12) : start])
    leading = articles.leading.match(replacement) if determiner else None
    if leading:
        # "the SSL certificate" -> "the security certificate", not "the the security certificate"
        replacement = replacement[leading.end() :]
    consonant, vowel = articles.pair
    if determiner and consonant and vowel and determiner.group("det").lower() in (consonant, vowel) and replacement:
        article = vowel if articles.vowel_sound.match(replacement) else consonant
        if determiner.group("det").lower() != article:
            if determiner.group("det")[0].isupper():
                article = article.capitalize()
            start = max(0, start - 12) + determiner.start()
            replacement = f"{article} {replacement}"
    return start, end, replacement
