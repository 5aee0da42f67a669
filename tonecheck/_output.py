"""Output formats for `tonecheck check`: text, json, github, sarif, junit, and a statistics table.

Everything here is a pure function of its input: the findings of each file (with their positions
already in the original file), the reply each finding belongs to, and optionally the file's text.

Positions: lines are counted by "\\n" only (as the engine counts them), columns are 1-based code
points and `end_column` is exclusive.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import re
import unicodedata
import urllib.parse
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from ._models import Applicability, Finding, Severity, Suggestion
from ._rules import Rule

__all__ = ["FORMATS", "FileResult", "render", "statistics"]

FORMATS: tuple[str, ...] = ("text", "json", "github", "sarif", "junit")

SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_VERSION = "2.1.0"
# The key of tonecheck's own partial fingerprint; bump the version if the recipe ever changes.
FINGERPRINT_KEY = "tonecheck/v1"
JSON_FORMAT_VERSION = 1


@dataclass(frozen=True)
class FileResult:
    """The findings of one file. `reply_ids[i]` names the saved reply `findings[i]` is in (or None)."""

    path: str
    findings: Sequence[Finding]
    reply_ids: Sequence[str | None]
    source: str | None = None

    def __post_init__(self) -> None:
        if len(self.reply_ids) != len(self.findings):
            raise ValueError(
                f"{self.path}: reply_ids has {len(self.reply_ids)} entries for {len(self.findings)} findings"
            )


def _pairs(result: FileResult) -> Iterator[tuple[Finding, str | None]]:
    return zip(result.findings, result.reply_ids)


def render(format: str, results: Sequence[FileResult], *, rules: Mapping[str, Rule], version: str) -> str:
    """The whole output of one run in `format` (one of FORMATS), ending in a newline when not empty.

    `rules` describes the rules that ran (SARIF lists them, in code order); `version` is
    tonecheck's version, for formats that name the tool.
    """
    renderer = _RENDERERS.get(format)
    if renderer is None:
        raise ValueError(f"unknown output format {format!r} (known: {', '.join(FORMATS)})")
    return renderer(results, rules, version)


def statistics(results: Sequence[FileResult]) -> str:
    """One line per rule code: count, code and name; most frequent first, then by code."""
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for result in results:
        for finding in result.findings:
            counts[finding.code] += 1
            names.setdefault(finding.code, finding.name)
    if not counts:
        return ""
    width = max(5, len(str(max(counts.values()))))
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "".join(f"{count:>{width}}  {code}  {names[code]}\n" for code, count in rows)


# -- shared helpers ------------------------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@functools.lru_cache(maxsize=4)
def _line_starts(source: str) -> tuple[int, ...]:
    """The offset each "\\n"-separated line starts at (cached: suggestions of one file share it)."""
    starts = [0]
    index = source.find("\n")
    while index != -1:
        starts.append(index + 1)
        index = source.find("\n", index + 1)
    return tuple(starts)


def _position(starts: Sequence[int], offset: int) -> tuple[int, int]:
    """The 1-based (line, column) of an offset."""
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


@dataclass(frozen=True)
class _Span:
    """Where a suggestion's replacement goes, in file positions, and the text it replaces."""

    line: int
    column: int
    end_line: int
    end_column: int
    original: str


def _suggestion_span(finding: Finding, suggestion: Suggestion, source: str | None) -> _Span | None:
    """The file region a suggestion's replacement replaces, or None if it cannot be placed.

    A suggestion without offsets of its own (or with the finding's) replaces the finding's span.
    One that reaches further is placed by its distance from the finding: that needs the file's
    text, and is trusted only where the finding's match stands in the file exactly as checked.
    """
    start = finding.start if suggestion.start is None else suggestion.start
    end = finding.end if suggestion.end is None else suggestion.end
    if (start, end) == (finding.start, finding.end):
        return _Span(finding.line, finding.column, finding.end_line, finding.end_column, finding.match)
    if source is None:
        return None
    starts = _line_starts(source)
    if not 1 <= finding.line <= len(starts):
        return None
    begin = starts[finding.line - 1] + finding.column - 1
    if source[begin : begin + len(finding.match)] != finding.match:
        return None
    start, end = begin + start - finding.start, begin + end - finding.start
    if not 0 <= start <= end <= len(source):
        return None
    line, column = _position(starts, start)
    end_line, end_column = _position(starts, end)
    return _Span(line, column, end_line, end_column, source[start:end])


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _printable(line: str) -> str:
    """A source line safe to print: control characters and odd line breaks become one space each."""
    return "".join(
        " " if (unicodedata.category(char) in ("Cc", "Zl", "Zp") and char != "\t") else char for char in line
    )


def _pointer(line: str, column: int, end_column: int | None) -> str:
    """Padding and carets under line[column - 1 : end_column - 1]; tabs in the padding stay tabs."""
    before = line[: max(0, column - 1)]
    padding = "".join("\t" if char == "\t" else " " * _char_width(char) for char in before)
    stop = len(line) if end_column is None else max(column - 1, end_column - 1)
    width = sum(1 if char == "\t" else _char_width(char) for char in line[column - 1 : stop])
    return padding + "^" * max(1, width)


def _rule_text(template: str) -> str:
    """A rule's message template with its slots ({match}, {plain}, ...) shown as an ellipsis."""
    return re.sub(r"\{[a-z_]+\}", "…", template)


# -- text ----------------------------------------------------------------------------------------


def _render_text(results: Sequence[FileResult], rules: Mapping[str, Rule], version: str) -> str:
    out: list[str] = []
    total = 0
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
        if result.findings:
            out.append("\n")
    out.append(f"Found {_plural(total, 'problem')} in {_plural(len(results), 'file')}.\n")
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
    from ._fix import tidy

    if span is None or source is None or span.line != span.end_line:
        return ""
    starts = _line_starts(source)
    line_start = starts[span.line - 1]
    line_end = source.find("\n", line_start)
    line_end = len(source) if line_end == -1 else line_end
    start, end, text = tidy(source, line_start + span.column - 1, line_start + span.end_column - 1, replacement)
    if not line_start <= start <= end <= line_end + 1:
        return ""
    before = _printable(source[line_start:line_end].removesuffix("\r")).strip()
    after = _printable((source[line_start:start] + text + source[end:max(end, line_end)]).removesuffix("\r")).strip()
    return f"      before: {before}\n      after:  {after}\n"


# -- json ----------------------------------------------------------------------------------------


def _render_json(results: Sequence[FileResult], rules: Mapping[str, Rule], version: str) -> str:
    payload = {
        "version": JSON_FORMAT_VERSION,
        "files": [
            {
                "path": result.path,
                "findings": [
                    {**finding.model_dump(mode="json"), "reply_id": reply_id} for finding, reply_id in _pairs(result)
                ],
            }
            for result in results
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


# -- github --------------------------------------------------------------------------------------

_GITHUB_LEVEL = {Severity.error: "error", Severity.warning: "warning", Severity.info: "notice"}


def _github_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(value: str) -> str:
    return _github_data(value).replace(":", "%3A").replace(",", "%2C")


def _render_github(results: Sequence[FileResult], rules: Mapping[str, Rule], version: str) -> str:
    out: list[str] = []
    for result in results:
        for finding, reply_id in _pairs(result):
            properties = [("file", result.path), ("line", str(finding.line))]
            if finding.end_line == finding.line:  # GitHub takes columns only for one-line spans
                properties.append(("col", str(finding.column)))
            properties.append(("endLine", str(finding.end_line)))
            if finding.end_line == finding.line:
                properties.append(("endColumn", str(finding.end_column)))
            properties.append(("title", f"tonecheck ({finding.code})"))
            message = f"[{reply_id}] {finding.message}" if reply_id is not None else finding.message
            joined = ",".join(f"{key}={_github_property(value)}" for key, value in properties)
            out.append(f"::{_GITHUB_LEVEL[finding.severity]} {joined}::{_github_data(message)}\n")
    return "".join(out)


# -- sarif ---------------------------------------------------------------------------------------

_SARIF_LEVEL = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}


def _artifact_uri(path: str) -> dict[str, str]:
    """An artifactLocation for a path: a relative URI reference with forward slashes (against
    %SRCROOT%), or a file: URI for an absolute path."""
    pure = PurePath(path)
    if pure.is_absolute():
        return {"uri": pure.as_uri()}
    posix = pure.as_posix()
    return {"uri": urllib.parse.quote(posix, safe="/-._~!$&'()*+,;=@"), "uriBaseId": "%SRCROOT%"}


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    help_text = (
        f"{rule.why}\n\n{rule.fix}\n\n"
        f"Flagged: {rule.examples.flag[0]}\nNot flagged: {rule.examples.pass_[0]}"
    )
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _rule_text(rule.message).strip() or rule.fix},
        "fullDescription": {"text": rule.why},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        "properties": {"category": rule.category, "tags": [rule.category]},
    }


def _fallback_rule(finding: Finding) -> dict[str, Any]:
    """A descriptor for a finding whose rule was not passed in, so that ruleIndex stays valid."""
    return {
        "id": finding.code,
        "name": finding.name,
        "shortDescription": {"text": finding.name},
        "defaultConfiguration": {"level": _SARIF_LEVEL[finding.severity]},
        "properties": {"category": finding.category, "tags": [finding.category]},
    }


def _fingerprint(code: str, reply_id: str | None, match: str, occurrence: int) -> str:
    """Stable across edits elsewhere in the file: it hashes what was flagged, not where."""
    normalised = " ".join(match.split()).casefold()
    key = "\x1f".join((code, "" if reply_id is None else f"reply:{reply_id}", normalised, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _region(line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
    start_line, start_column = max(1, line), max(1, column)
    stop_line = max(start_line, end_line)
    stop_column = max(1, end_column) if stop_line > start_line else max(start_column, end_column)
    return {"startLine": start_line, "startColumn": start_column, "endLine": stop_line, "endColumn": stop_column}


def _sarif_fixes(finding: Finding, location: dict[str, str], source: str | None) -> list[dict[str, Any]]:
    fixes: list[dict[str, Any]] = []
    for suggestion in finding.suggestions:
        if suggestion.replacement is None or suggestion.applicability is Applicability.display_only:
            continue
        span = _suggestion_span(finding, suggestion, source)
        if span is None:
            continue
        fixes.append({
            "description": {"text": suggestion.title},
            "artifactChanges": [{
                "artifactLocation": dict(location),
                "replacements": [{
                    "deletedRegion": _region(span.line, span.column, span.end_line, span.end_column),
                    "insertedContent": {"text": suggestion.replacement},
                }],
            }],
            "properties": {"applicability": suggestion.applicability.value},
        })
    return fixes


def _render_sarif(results: Sequence[FileResult], rules: Mapping[str, Rule], version: str) -> str:
    descriptors = [_sarif_rule(rules[code]) for code in sorted(rules)]
    index = {descriptor["id"]: position for position, descriptor in enumerate(descriptors)}
    sarif_results: list[dict[str, Any]] = []
    for result in results:
        location = _artifact_uri(result.path)
        seen: Counter[tuple[str, str | None, str]] = Counter()
        for finding, reply_id in _pairs(result):
            if finding.code not in index:
                index[finding.code] = len(descriptors)
                descriptors.append(_fallback_rule(finding))
            key = (finding.code, reply_id, " ".join(finding.match.split()).casefold())
            occurrence = seen[key]
            seen[key] += 1
            properties: dict[str, Any] = {"category": finding.category}
            if reply_id is not None:
                properties["replyId"] = reply_id
            entry: dict[str, Any] = {
                "ruleId": finding.code,
                "ruleIndex": index[finding.code],
                "level": _SARIF_LEVEL[finding.severity],
                "message": {"text": finding.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": dict(location),
                        "region": _region(finding.line, finding.column, finding.end_line, finding.end_column),
                    },
                }],
                "partialFingerprints": {
                    FINGERPRINT_KEY: _fingerprint(finding.code, reply_id, finding.match, occurrence),
                },
                "properties": properties,
            }
            fixes = _sarif_fixes(finding, location, result.source)
            if fixes:
                entry["fixes"] = fixes
            sarif_results.append(entry)
    log = {
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {"name": "tonecheck", "version": version, "rules": descriptors}},
            # columns count code points, as Python strings do (SARIF's default is UTF-16 units)
            "columnKind": "unicodeCodePoints",
            "results": sarif_results,
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


# -- junit ---------------------------------------------------------------------------------------

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value: str) -> str:
    """Text XML 1.0 can hold: characters it forbids are written as \\xNN / \\uNNNN escapes."""
    return _XML_INVALID.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                            else f"\\u{ord(m.group()):04x}", value)


def _render_junit(results: Sequence[FileResult], rules: Mapping[str, Rule], version: str) -> str:
    cases: list[ET.Element] = []
    for result in results:
        groups: dict[str | None, list[Finding]] = {}
        for finding, reply_id in _pairs(result):
            groups.setdefault(reply_id, []).append(finding)
        if not groups:
            groups[None] = []
        for reply_id, findings in groups.items():
            name = result.path if reply_id is None else f"{result.path} [{reply_id}]"
            case = ET.Element("testcase", {
                "name": _xml_text(name), "classname": "tonecheck", "file": _xml_text(result.path),
            })
            for finding in findings:
                failure = ET.SubElement(case, "failure", {
                    "message": _xml_text(finding.message), "type": finding.code,
                })
                failure.text = _xml_text(
                    f"{finding.line}:{finding.column}: {finding.code} [{finding.severity.value}] {finding.message}"
                )
            cases.append(case)
    failures = sum(1 for case in cases if case.find("failure") is not None)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": "tonecheck", **{k: counts[k] for k in ("tests", "failures", "errors")}})
    suite = ET.SubElement(root, "testsuite", {"name": "tonecheck", **counts})
    suite.extend(cases)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


_RENDERERS: dict[str, Callable[[Sequence[FileResult], Mapping[str, Rule], str], str]] = {
    "text": _render_text,
    "json": _render_json,
    "github": _render_github,
    "sarif": _render_sarif,
    "junit": _render_junit,
}
