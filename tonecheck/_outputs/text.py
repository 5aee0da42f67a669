"""The text format: file:line:col, the message, the line with its span marked, suggestions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .._ruleset.load import Rule
from .._types import Finding, Suggestion
from .common import FileResult, _lines, _plural, _pointer, _printable, _Span, _suggestion_span

# formats whose reply text is the file's own text, character for character: the file's line is
# shown; for the others (JSON exports, HTML, YAML) the decoded reply line is
_VERBATIM_FORMATS = ("text", "markdown", "liquid")
# formats `--fix` does not write into (their findings are not counted as fixable)
_READ_ONLY_FORMATS = ("github-saved-replies",)


def _render_text(results: Sequence[FileResult], rules: Mapping[str, Rule], version: str) -> str:
    out: list[str] = []
    total = with_findings = safe = unsafe = unchecked = 0
    for result in results:
        lines = result.source.split("\n") if result.source is not None else None
        verbatim = result.format in _VERBATIM_FORMATS
        with_findings += bool(result.findings)
        for reply in result.replies:
            for finding in reply.findings:
                total += 1
                fixable = _fixable(finding) if result.format not in _READ_ONLY_FORMATS else None
                safe += fixable == "safe"
                unsafe += fixable == "unsafe"
                where = f"{result.path}:{finding.line}:{finding.column}:"
                label = f" [{reply.reply_id}]" if reply.reply_id is not None else ""
                message = _one_line(finding.message)
                out.append(f"{where}{label} {finding.code} [{finding.severity.value}] {message}\n")
                if verbatim and lines is not None and 1 <= finding.line <= len(lines):
                    shown = _printable(lines[finding.line - 1].removesuffix("\r"))
                    end = finding.end_column if finding.end_line == finding.line else None
                    out.append(f"    {shown}\n    {_pointer(shown, finding.column, end)}\n")
                elif not verbatim and 0 <= finding.start <= finding.end <= len(reply.text):
                    out.append(_reply_line(reply.text, finding.start, finding.end))
                printed: set[tuple[str, str]] = set()
                for suggestion in finding.suggestions:
                    if verbatim:
                        block = _text_suggestion(finding, suggestion, result.source)
                    else:
                        block = _reply_suggestion(finding, suggestion, reply.text)
                    # the same advice with the same result ("Obviously," and "Obviously" removed) once
                    key = (suggestion.title, block.split("\n", 1)[1] or block)
                    if key not in printed:
                        printed.add(key)
                        out.append(block)
        for linted in result.replies:
            for note in linted.notes:
                where = f" [{linted.reply_id}]" if linted.reply_id is not None else ""
                out.append(f"{result.path}:{where} note: {note}\n")
            unchecked += not linted.checked
        if result.findings or any(linted.notes for linted in result.replies):
            out.append("\n")
    files = _plural(len(results), "file")
    checked = f"{with_findings} of {files}" if with_findings and with_findings != len(results) else files
    skipped = f" ({unchecked} repl{'y' if unchecked == 1 else 'ies'} not checked)" if unchecked else ""
    out.append(f"Found {_plural(total, 'problem')} in {checked}{skipped}.\n")
    if safe or unsafe:
        parts = [f"{safe} fixable with --fix"] if safe else []
        if unsafe:
            parts.append(f"{unsafe} {'more' if safe else 'fixable'} with --fix --unsafe-fixes")
        out.append(f"[*] {', '.join(parts)} (--diff shows the changes first).\n")
    return "".join(out)


def _fixable(finding: Finding) -> str | None:
    """ "safe" when --fix applies a fix for the finding, "unsafe" when only --unsafe-fixes does."""
    kinds = {s.applicability.value for s in finding.suggestions if s.replacement is not None}
    return "safe" if "safe" in kinds else "unsafe" if "unsafe" in kinds else None


def _one_line(message: str) -> str:
    """A message on one output line: a match that spans a line break is shown with a space."""
    return " ".join(_printable(message).split("\n")) if "\n" in message or "\r" in message else _printable(message)


def _line_around(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


def _reply_line(text: str, start: int, end: int) -> str:
    """The reply's own line (decoded from JSON or HTML) with the span marked."""
    line_start, line_end = _line_around(text, start)
    shown = _printable(text[line_start:line_end])
    stop = min(end, line_end)
    return f"    {shown}\n    {_pointer(shown, start - line_start + 1, stop - line_start + 1)}\n"


def _reply_suggestion(finding: Finding, suggestion: Suggestion, text: str) -> str:
    """A suggestion for a reply inside an export or HTML, previewed on the decoded reply line
    exactly as --fix writes it (the same tidying, on the same text)."""
    from .._fix.apply import tidy

    if suggestion.replacement is None:
        return f"    help: {suggestion.title}\n"
    start = finding.start if suggestion.start is None else suggestion.start
    end = finding.end if suggestion.end is None else suggestion.end
    new = repr(suggestion.replacement) if suggestion.replacement else "(remove)"
    line = f"    fix ({suggestion.applicability.value}): {suggestion.title}: {text[start:end]!r} -> {new}\n"
    if not 0 <= start <= end <= len(text) or "\n" in text[start:end]:
        return line
    line_start, line_end = _line_around(text, start)
    new_start, new_end, replacement = tidy(text, start, end, suggestion.replacement)
    if not line_start <= new_start <= new_end <= line_end + 1:
        return line
    before = _printable(text[line_start:line_end]).strip()
    after = _printable(text[line_start:new_start] + replacement + text[new_end : max(new_end, line_end)]).strip()
    return line + f"      before: {before}\n      after:  {after}\n"


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
