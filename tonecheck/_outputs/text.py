"""The text format: file:line:col, the message, the line with its span marked, suggestions.

Everything that comes from the files (paths, reply titles, matched text, the lines shown) is
escaped (see `common.escape_text`), so no output line can carry a control character or start a
GitHub workflow command. A long line is shown as a window around the span, so the output of a
file with a megabyte-long line stays proportional to its findings, not to findings x line length.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .._ruleset.load import Rule
from .._types import Finding, Suggestion
from .common import (
    FileResult,
    _char_width,
    _lines,
    _plural,
    _Span,
    _suggestion_span,
    escape_char,
    escape_text,
    starts_a_command,
)

# formats whose reply text is the file's own text, character for character: the file's line is
# shown; for the others (JSON exports, HTML, YAML) the decoded reply line is
_VERBATIM_FORMATS = ("text", "markdown", "liquid")
# formats `--fix` does not write into (their findings are not counted as fixable)
_READ_ONLY_FORMATS = ("github-saved-replies",)

# a line longer than this is shown as a window: CONTEXT characters before and after the span,
# and at most SPAN_SHOWN characters of the span itself
LONG_LINE = 400
CONTEXT = 120
SPAN_SHOWN = 160


def _render_text(results: Sequence[FileResult], rules: Mapping[str, Rule], version: str) -> str:
    out: list[str] = []
    total = with_findings = safe = unsafe = unchecked = 0
    for result in results:
        lines = _lines(result.source) if result.source is not None else None
        verbatim = result.format in _VERBATIM_FORMATS
        path = _shown_path(result.path)
        with_findings += bool(result.findings)
        for reply in result.replies:
            for finding in reply.findings:
                total += 1
                fixable = _fixable(finding) if result.format not in _READ_ONLY_FORMATS else None
                safe += fixable == "safe"
                unsafe += fixable == "unsafe"
                label = f" [{escape_text(reply.reply_id)}]" if reply.reply_id is not None else ""
                out.append(
                    f"{path}:{finding.line}:{finding.column}:{label} {finding.code} [{finding.severity.value}] "
                    f"{_one_line(finding.message)}\n"
                )
                if verbatim and lines is not None and 1 <= finding.line <= lines.line_count():
                    line_start, line_end = lines.line_bounds(finding.line)
                    start = min(line_end, line_start + finding.column - 1)
                    end = line_start + finding.end_column - 1 if finding.end_line == finding.line else line_end
                    shown, pointer = _excerpt(lines.text, line_start, line_end, start, max(start, min(end, line_end)))
                    out.append(f"    {shown}\n    {pointer}\n")
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
    """A message on one output line: a match that spans a line break is shown with a space, and
    anything else unsafe is escaped."""
    if "\n" in message or "\r" in message:
        message = " ".join(message.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return escape_text(message)


def _line_around(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    end = len(text) if end < 0 else end
    if end > start and text[end - 1] == "\r":
        end -= 1
    return start, end


def _reply_line(text: str, start: int, end: int) -> str:
    """The reply's own line (decoded from JSON or HTML) with the span marked."""
    line_start, line_end = _line_around(text, start)
    start = min(start, line_end)
    shown, pointer = _excerpt(text, line_start, line_end, start, max(start, min(end, line_end)))
    return f"    {shown}\n    {pointer}\n"


def _reply_suggestion(finding: Finding, suggestion: Suggestion, text: str) -> str:
    """A suggestion for a reply inside an export or HTML, previewed on the decoded reply line
    exactly as --fix writes it."""
    if suggestion.replacement is None:
        return f"    help: {escape_text(suggestion.title)}\n"
    start = finding.start if suggestion.start is None else suggestion.start
    end = finding.end if suggestion.end is None else suggestion.end
    old, new = _edit_shown(text[start:end], suggestion.replacement)
    title = escape_text(suggestion.title)
    line = f"    fix ({suggestion.applicability.value}): {title}: {old}{new}\n"
    if not 0 <= start <= end <= len(text) or "\n" in text[start:end]:
        return line
    line_start, line_end = _line_around(text, start)
    if not line_start <= start <= end <= line_end + 1:
        return line
    return line + _before_after_window(text, line_start, line_end, start, end, suggestion.replacement)


def _shown_path(path: str) -> str:
    """The path, escaped; "./" before a relative path that would start the line with ":" or a
    blank (a file named "::error ..." must not make the line a workflow command)."""
    shown = escape_text(path)
    if shown[:1].isspace() or shown.startswith(":"):
        shown = "./" + shown
    return shown


def _display(text: str) -> list[str]:
    """How each character of a source line is shown: unsafe ones as visible escapes, the rest as
    they are (a tab stays a tab, so the pointer line can follow it)."""
    return [char if char == "\t" else escape_text(char) for char in text]


def _width(piece: str) -> int:
    return sum(_char_width(char) for char in piece) if len(piece) > 1 else _char_width(piece)


def _excerpt(source: str, line_start: int, line_end: int, start: int, end: int) -> tuple[str, str]:
    """The line holding source[start:end] (a window of it when long) and the pointer line under
    the span: padding (tabs kept) and carets."""
    if line_end - line_start <= LONG_LINE:
        window_start, shown_end, window_end = line_start, end, line_end
    else:
        window_start = max(line_start, start - CONTEXT)
        shown_end = min(end, start + SPAN_SHOWN)
        window_end = min(line_end, shown_end + CONTEXT)
    before = _display(source[window_start:start])
    span = _display(source[start:shown_end])
    after = _display(source[shown_end:window_end])
    lead = "…" if window_start > line_start else ""
    tail = "…" if window_end < line_end else ""
    pieces = before + span + after
    # "##[" anywhere in a line is a (v1) workflow command: show its "[" escaped (the pieces are
    # escaped one character at a time, so the sequence is looked for across them)
    for index in range(2, len(pieces)):
        if pieces[index] == "[" and pieces[index - 1] == "#" and pieces[index - 2] == "#":
            pieces[index] = "\\x5b"
    if not lead and starts_a_command("".join(pieces)):
        # the line itself begins with "::" (after blanks): show that first colon escaped
        first = next(index for index, piece in enumerate(pieces) if not piece.isspace())
        pieces[first] = escape_char(":") + pieces[first][1:]
    before = pieces[: len(before)]
    span = pieces[len(before) : len(before) + len(span)]
    shown = lead + "".join(pieces) + tail
    padding = (" " if lead else "") + "".join("\t" if piece == "\t" else " " * _width(piece) for piece in before)
    carets = sum(1 if piece == "\t" else _width(piece) for piece in span)
    return shown, padding + "^" * max(1, carets)


def _text_suggestion(finding: Finding, suggestion: Suggestion, source: str | None) -> str:
    if suggestion.replacement is None:
        return f"    help: {escape_text(suggestion.title)}\n"
    span = _suggestion_span(finding, suggestion, source)
    old, new = _edit_shown(span.original if span is not None else None, suggestion.replacement)
    line = f"    fix ({suggestion.applicability.value}): {escape_text(suggestion.title)}: {old}{new}\n"
    return line + _before_after(span, suggestion.replacement, source)


def _edit_shown(original: str | None, replacement: str) -> tuple[str, str]:
    """The edit as the fix line shows it ("'old' -> 'new'"). A removal that hands its capital to
    the next word ("As I said, y" -> "Y") reads as what it is: "'As I said,' -> (remove)" (the
    before and after lines show the capital)."""
    if (
        original is not None
        and len(replacement) == 1
        and len(original) > 1
        and original[-1].islower()
        and replacement == original[-1].upper()
        and original[:-1].strip()
    ):
        return f"{_quoted(original[:-1].rstrip())} -> ", "(remove)"
    old = f"{_quoted(original)} -> " if original is not None else "-> "
    return old, _quoted(replacement) if replacement else "(remove)"


def _quoted(value: str) -> str:
    """repr() of a short value, or of its start and end when long, with nothing unsafe left."""
    if len(value) > SPAN_SHOWN:
        return escape_text(repr(value[: SPAN_SHOWN // 2])) + "…" + escape_text(repr(value[-SPAN_SHOWN // 2 :]))
    return escape_text(repr(value))


def _before_after(span: _Span | None, replacement: str, source: str | None) -> str:
    """The line as it is and as it would read with the fix applied, shown as a window around the
    fix when the line is long."""
    if span is None or source is None or span.line != span.end_line:
        return ""
    line_start, line_end = _lines(source).line_bounds(span.line)
    if not line_start <= span.start <= span.end <= line_end + 1:
        return ""
    return _before_after_window(source, line_start, line_end, span.start, span.end, replacement)


def _before_after_window(source: str, line_start: int, line_end: int, start: int, end: int, text: str) -> str:
    """The line before and after source[start:end] is replaced by text, a window of it when long."""
    window_start, window_end = line_start, line_end
    if line_end - line_start > LONG_LINE:
        window_start = max(line_start, start - CONTEXT)
        window_end = min(line_end, max(end, start + SPAN_SHOWN) + CONTEXT)
    lead = "…" if window_start > line_start else ""
    tail = "…" if window_end < line_end else ""
    before = lead + source[window_start:window_end] + tail
    after = lead + source[window_start:start] + text + source[end : max(end, window_end)] + tail
    return f"      before: {escape_text(before.strip())}\n      after:  {escape_text(after.strip())}\n"
