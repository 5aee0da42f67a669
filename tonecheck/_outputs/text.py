"""The text format: file:line:col, the message, the line with its span marked, suggestions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .._ruleset.load import Rule
from .._types import Finding, Suggestion
from .common import FileResult, _lines, _pairs, _plural, _pointer, _printable, _Span, _suggestion_span


def _render_text(results: Sequence[FileResult], rules: Mapping[str, Rule], version: str) -> str:
    out: list[str] = []
    total = unchecked = 0
    for result in results:
        lines = result.source.split("\n") if result.source is not None else None
        for finding, reply_id in _pairs(result):
            total += 1
            where = f"{result.path}:{finding.line}:{finding.column}:"
            reply = f" [{reply_id}]" if reply_id is not None else ""
            out.append(f"{where}{reply} {finding.code} [{finding.severity.value}] {finding.message}\n")
            if lines is not None and 1 <= finding.line <= len(lines):
                shown = _printable(lines[finding.line - 1].removesuffix("\r"))
                end = finding.end_column if finding.end_line == finding.line else None
                out.append(f"    {shown}\n    {_pointer(shown, finding.column, end)}\n")
            for suggestion in finding.suggestions:
                out.append(_text_suggestion(finding, suggestion, result.source))
        for linted in result.replies:
            for note in linted.notes:
                where = f" [{linted.reply_id}]" if linted.reply_id is not None else ""
                out.append(f"{result.path}:{where} note: {note}\n")
            unchecked += not linted.checked
        if result.findings or any(linted.notes for linted in result.replies):
            out.append("\n")
    skipped = f" ({unchecked} repl{'y' if unchecked == 1 else 'ies'} not checked)" if unchecked else ""
    out.append(f"Found {_plural(total, 'problem')} in {_plural(len(results), 'file')}{skipped}.\n")
    return "".join(out)


def _text_suggestion(finding: Finding, suggestion: Suggestion, source: str | None) -> str:
    if suggestion.replacement is None:
        return f"    help: {suggestion.title}\n"
    span = _suggestion_span(finding, suggestion, source)
    new = repr(suggestion.replacement) if suggestion.replacement else "(remove)"
    old = f"{span.original!r} -> " if span is not None else "-> "
    line = f"    fix ({suggestion.applicability.value}): {suggestion.title}: {old}{new}\n"
    return line + _before_after(span, suggestion.replacement, source)


def _before_after(span: _Span | None, replacement: str, source: str | None) -> str:
    """The line as it is and as it would read with the fix applied (tidied as `fix` does)."""
    from .._fix.apply import tidy

    if span is None or source is None or span.line != span.end_line:
        return ""
    line_start, line_end = _lines(source).line_bounds(span.line)
    start, end, text = tidy(source, span.start, span.end, replacement)
    if not line_start <= start <= end <= line_end + 1:
        return ""
    before = _printable(source[line_start:line_end].removesuffix("\r")).strip()
    after = _printable((source[line_start:start] + text + source[end : max(end, line_end)]).removesuffix("\r")).strip()
    return f"      before: {before}\n      after:  {after}\n"


# -- json ----------------------------------------------------------------------------------------
