"""Linting a file: the one place that turns a file into replies, lints each, applies inline
suppressions, reports unused ones (TON100) and places every finding in the file.

The CLI, the library's `check_file` and any other front end call `lint_source`/`lint_file`, so
they all give the same findings at the same positions.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .._config import selector_matches
from .._engine.linter import Engine
from .._exceptions import InputError
from .._files import Decoded, decode, read_regular, read_stream
from .._fix.apply import fix_text
from .._fix.embedded import ReadOnlyFormat, fix_segments
from .._inputs import Segment, detect_format, extract
from .._types import Channel, FileReport, Finding, FixResult, Mode, Report, Suggestion
from .discovery import Project
from .suppress import UNUSED_CODE, unused_finding
from .suppress import apply as apply_suppressions

MAX_FILE_BYTES = 20_000_000  # the default of the configuration's max-file-bytes
_LIMIT_HINT = "; raise max-file-bytes in the configuration to lint it"

# formats that are not replies: a file in one is reported as skipped, not linted as text (a
# package.json, a tool's settings, a data file); forcing the format still lints it
NOT_REPLIES = ("json-unknown",)
NOT_A_REPLY_FILE = "not a reply file"


@dataclass(frozen=True)
class SourceFile:
    """A file as read: its text, its bytes, and how to write a fixed text back the same way."""

    name: str
    text: str
    data: bytes
    decoded: Decoded

    def encode(self, text: str) -> bytes:
        return self.decoded.encode(text)


def read_file(path: str | Path, *, limit: int = MAX_FILE_BYTES) -> SourceFile:
    """A file ("-": standard input), read safely (see `tonecheck._files`), with errors a person
    can act on: UTF-8 (a byte-order mark is dropped from the text), or UTF-16/32 with a BOM."""
    if str(path) == "-":
        name = "<stdin>"
        data = read_stream(sys.stdin.buffer, name=name, limit=limit, limit_hint=_LIMIT_HINT)
    else:
        name = os.fspath(path)
        if os.path.isdir(name):
            raise InputError(f"{name}: is a directory (give files, or use a shell glob)")
        data, _ = read_regular(name, limit=limit, limit_hint=_LIMIT_HINT)
    return SourceFile(name, (decoded := decode(data, name)).text, data, decoded)


def read_source(path: str | Path, *, limit: int = MAX_FILE_BYTES) -> str:
    """A file's text ("-": standard input), with errors a person can act on."""
    return read_file(path, limit=limit).text


def skip_reason(path: str, source: str) -> str | None:
    """Why a file is not linted at all (it holds no replies), or None. Invalid JSON is not
    skipped: reading it raises FormatError with the line and column."""
    format_name = detect_format(path, source)
    if format_name not in NOT_REPLIES:
        return None
    extract(path, source, format=format_name)
    return NOT_A_REPLY_FILE


@dataclass(frozen=True)
class Options:
    """What a caller sets for every reply of a run (the CLI's flags, the library's keywords)."""

    mode: Mode | None = None  # None: the config's mode globs, then the format's own, then `default_mode`
    default_mode: Mode = "saved"  # files in a repository are saved replies; a draft is about to be sent
    context: Mapping[str, str] | None = None
    channel: Channel | None = None  # None: the configuration's channel (auto by default)
    ignore: tuple[str, ...] = ()
    language: str | None = None  # None: the config's language globs, then its `language` (auto: detected)

    def check(
        self,
        engine: Engine,
        text: str,
        *,
        mode: Mode | None = None,
        ignore: Sequence[str] | None = None,
        language: str | None = None,
    ) -> Report:
        """One reply linted with these options: the one place they become the engine's keywords.
        `mode`, `ignore` and `language` stand in for the options' own where a file decides them
        (its mode glob, per-file ignores, language glob)."""
        return engine.check(
            text,
            mode=mode or self.mode or self.default_mode,
            context=self.context,
            channel=self.channel,
            ignore=self.ignore if ignore is None else ignore,
            language=language or self.language,
        )


def lint_source(
    engine: Engine,
    source: str,
    *,
    path: str,
    format: str | None = None,
    project: Project | None = None,
    file: Path | None = None,
    options: Options = Options(),
) -> FileReport:
    """Lint the text of one file (or of a draft given as text, markdown or html).

    `path` names the source in the report and picks the format when `format` is None; `file`
    is the file on disk, for the project's per-file ignores and mode globs.
    """
    format_name = format or detect_format(path, source)
    split = (project.config if project is not None else engine.config).markdown_sections
    segments = extract(path, source, format=format_name, markdown_sections=split)  # FormatError: invalid JSON
    if format_name in NOT_REPLIES and format is None:
        return FileReport(path=path, format=format_name, replies=(), source=source, skipped=NOT_A_REPLY_FILE)
    ignored = options.ignore
    glob_mode = None
    language = options.language
    if project is not None and file is not None:
        ignored = (*ignored, *project.ignored_codes(file))
        glob_mode = project.mode_for(file)
        language = language or project.language_for(file)
    replies = tuple(
        _lint_segment(
            engine,
            segment,
            mode=options.mode or glob_mode or segment.mode or options.default_mode,
            options=options,
            ignored=(*ignored, *project.reply_ignored_codes(file, segment.reply_id, segment.export_id))
            if project
            else ignored,
            language=language,
        )
        for segment in segments
    )
    return FileReport(path=path, format=format_name, replies=replies, source=source)


def lint_file(
    engine: Engine,
    file: Path,
    *,
    project: Project | None = None,
    shown: str | None = None,
    options: Options = Options(),
) -> FileReport:
    """Read and lint one file; `shown` is the path as the report names it (default: as given)."""
    source = read_source(file, limit=project.config.max_file_bytes if project is not None else MAX_FILE_BYTES)
    return lint_source(engine, source, path=shown or str(file), project=project, file=file, options=options)


# formats whose single reply is the file's text itself, so a fixed reply is the fixed file
FIXABLE_FORMATS = ("text", "markdown", "liquid")


def fix_source(
    engine: Engine,
    source: str,
    *,
    path: str,
    project: Project | None = None,
    file: Path | None = None,
    options: Options = Options(),
    unsafe: bool = False,
) -> FixResult | None:
    """The file's text with its suggestions applied (see `fix_text`), or None when the file
    is not a reply file or its format is read-only for fixes (GitHub saved replies in YAML).

    A file that is one reply is fixed as a whole; replies inside JSON exports, HTML and
    Markdown files of several replies are fixed in place, each edit escaped as its place in the
    file needs and every other byte kept (see `tonecheck._fix.embedded`)."""
    format_name = detect_format(path, source)
    if format_name in NOT_REPLIES:
        return None
    split = (project.config if project is not None else engine.config).markdown_sections
    segments = extract(path, source, format=format_name, markdown_sections=split)
    ignored = options.ignore
    glob_mode = None
    language = options.language
    if project is not None and file is not None:
        ignored = (*ignored, *project.ignored_codes(file))
        glob_mode = project.mode_for(file)
        language = language or project.language_for(file)

    def check_of(segment: Segment) -> Callable[[str], Report]:
        mode = options.mode or glob_mode or segment.mode or options.default_mode
        skipped = (
            (*ignored, *project.reply_ignored_codes(file, segment.reply_id, segment.export_id)) if project else ignored
        )

        def check(text: str) -> Report:
            report = options.check(engine, text, mode=mode, ignore=skipped, language=language)
            if format_name in FIXABLE_FORMATS:
                return report
            kept, _ = apply_suppressions(text, report.findings)  # a suppressed finding is not fixed
            return report.model_copy(update={"findings": tuple(kept)})

        return check

    if format_name in FIXABLE_FORMATS and len(segments) == 1:
        return fix_text(source, check_of(segments[0]), unsafe=unsafe)
    try:
        return fix_segments(
            source,
            lambda text: extract(path, text, format=format_name, markdown_sections=split),
            check_of,
            unsafe=unsafe,
        )
    except ReadOnlyFormat:
        return None


def _lint_segment(
    engine: Engine, segment: Segment, *, mode: Mode, options: Options, ignored: Sequence[str], language: str | None
) -> Report:
    report = options.check(engine, segment.text, mode=mode, ignore=ignored, language=language)
    kept, unused = apply_suppressions(segment.text, report.findings)
    engine = engine.for_language(report.language) or engine  # the rules that ran on this reply
    tool_rule = engine.ruleset.by_code()[UNUSED_CODE]
    if tool_rule.code in engine.rules and not _ignored(tool_rule.code, tool_rule.name, tool_rule.category, ignored):
        severity = engine.severities.get(UNUSED_CODE)
        kept.extend(
            unused_finding(segment.text, s, tool_rule, severity)
            for s in unused
            if _names_enabled_rule(s.selectors, engine, ignored)
        )
    placed = tuple(_place(f, segment) for f in sorted(kept, key=lambda f: (f.start, f.end, f.code)))
    return report.model_copy(update={"findings": placed, "reply_id": segment.reply_id, "export_id": segment.export_id})


def _ignored(code: str, name: str, category: str, ignored: Iterable[str]) -> bool:
    return any(selector_matches(s, code=code, name=name, category=category) for s in ignored)


def _names_enabled_rule(selectors: Sequence[str], engine: Engine, ignored: Sequence[str]) -> bool:
    """A suppression is only unused if it could have suppressed something: a rule it names runs
    (suppressions of rules that are not selected are not reported, as ruff does for RUF100)."""
    if not selectors:
        return True
    enabled = [
        r for r in engine.rules.values() if r.kind != "tool" and not _ignored(r.code, r.name, r.category, ignored)
    ]
    return any(selector_matches(s, code=r.code, name=r.name, category=r.category) for s in selectors for r in enabled)


def _place(finding: Finding, segment: Segment) -> Finding:
    """The finding with its source offsets and line and column in the file the reply came from."""
    source_start, source_end = segment.source_span(finding.start, finding.end)
    line, column, end_line, end_column = segment.lines.span(source_start, source_end)
    return finding.model_copy(
        update={
            "source_start": source_start,
            "source_end": source_end,
            "line": line,
            "column": column,
            "end_line": end_line,
            "end_column": end_column,
            "suggestions": tuple(_place_suggestion(s, segment) for s in finding.suggestions),
        }
    )


def _place_suggestion(suggestion: Suggestion, segment: Segment) -> Suggestion:
    if suggestion.start is None or suggestion.end is None:
        return suggestion
    source_start, source_end = segment.source_span(suggestion.start, suggestion.end)
    return suggestion.model_copy(update={"source_start": source_start, "source_end": source_end})
