"""SARIF 2.1.0, with rules, fixes and fingerprints."""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from .._ruleset.load import Rule
from .._ruleset.templates import as_prose
from .._types import Applicability, Finding, Severity, Suggestion
from .common import FileError, FileResult, _lines, _suggestion_span, escape_json

if TYPE_CHECKING:
    from .._inputs import Segment

SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_VERSION = "2.1.0"
# The key of tonecheck's own partial fingerprint; bump the version if the recipe ever changes.
FINGERPRINT_KEY = "tonecheck/v1"


_SARIF_LEVEL = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}


def _artifact_uri(path: str) -> dict[str, str]:
    """An artifactLocation for a path: a relative URI reference with forward slashes (against
    %SRCROOT%), or a file: URI for an absolute path."""
    pure = PurePath(path)
    # percent-encode the file name's bytes: a name that is not UTF-8 (read with surrogateescape)
    # gives the %XX of its real bytes
    quoted = urllib.parse.quote(pure.as_posix().encode("utf-8", "surrogateescape"), safe="/-._~!$&'()*+,;=@")
    if pure.is_absolute():
        return {"uri": "file://" + (quoted if quoted.startswith("/") else "/" + quoted)}
    return {"uri": quoted, "uriBaseId": "%SRCROOT%"}


def _help_markdown(rule: Rule) -> str:
    """The rule's help as Markdown, from its data: what it flags, why, what to do, and its
    examples (as code blocks: a reply's text is never read as Markdown). There is no `helpUri`:
    SARIF wants an absolute URI there and the rule pages (docs/rules/CODE.md) have no published
    address, so the page is named in the text instead."""

    def block(example: str) -> str:
        fence = "~~~~" if "```" in example else "```"
        return f"{fence}text\n{example}\n{fence}"

    parts = [
        f"**{rule.code} {rule.name}** ({rule.category})",
        as_prose(rule.message).strip(),
        f"**Why.** {rule.why}",
        f"**What to do.** {rule.fix}",
        "**Flagged:**\n\n" + "\n\n".join(block(e) for e in rule.examples.flag),
        "**Not flagged:**\n\n" + "\n\n".join(block(e) for e in rule.examples.pass_),
        f"Rule reference: `docs/rules/{rule.code}.md` in tonecheck's repository; `tonecheck rule {rule.code}`.",
    ]
    return "\n\n".join(part for part in parts if part)


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    help_text = f"{rule.why}\n\n{rule.fix}\n\nFlagged: {rule.examples.flag[0]}\nNot flagged: {rule.examples.pass_[0]}"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": as_prose(rule.message).strip() or rule.fix},
        "fullDescription": {"text": rule.why},
        "help": {"text": help_text, "markdown": _help_markdown(rule)},
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


def _sarif_fixes(
    finding: Finding, location: dict[str, str], source: str | None, reply: _Reply | None
) -> list[dict[str, Any]]:
    fixes: list[dict[str, Any]] = []
    for suggestion in finding.suggestions:
        if suggestion.replacement is None or suggestion.applicability is Applicability.display_only:
            continue
        if reply is not None:
            edit = reply.file_edit(finding, suggestion)
            if edit is None:  # --fix would not write it either (it reaches over markup)
                continue
            start, end, inserted = edit
            assert source is not None
            line, column, end_line, end_column = _lines(source).span(start, end)
        else:
            span = _suggestion_span(finding, suggestion, source)
            if span is None:
                continue
            line, column, end_line, end_column = span.line, span.column, span.end_line, span.end_column
            inserted = suggestion.replacement
        fixes.append(
            {
                "description": {"text": suggestion.title},
                "artifactChanges": [
                    {
                        "artifactLocation": dict(location),
                        "replacements": [
                            {
                                "deletedRegion": _region(line, column, end_line, end_column),
                                "insertedContent": {"text": inserted},
                            }
                        ],
                    }
                ],
                "properties": {"applicability": suggestion.applicability.value},
            }
        )
    return fixes


class _Reply:
    """One reply of a file with the map of its text into the file (the file's replies extracted
    again), so that a fix is the edit `--fix` writes, at the file offsets its characters came
    from, and escaped as the file needs (a JSON string's escapes, HTML entities)."""

    def __init__(self, segment: Segment) -> None:
        self.segment = segment

    def file_edit(self, finding: Finding, suggestion: Suggestion) -> tuple[int, int, str] | None:
        assert suggestion.replacement is not None
        text = self.segment.text
        start = finding.start if suggestion.start is None else suggestion.start
        end = finding.end if suggestion.end is None else suggestion.end
        if not 0 <= start <= end <= len(text):
            return None
        replacement = suggestion.replacement
        if self.segment.escapes is None or not self.segment.contiguous(start, end):
            return None
        file_start, file_end = self.segment.source_span(start, end)
        return file_start, file_end, self.segment.encode(replacement)


def _replies(result: FileResult) -> list[_Reply | None]:
    """Each reply of the file with its map into the file, or None for each when the file's text
    is not at hand or its replies no longer extract to the texts that were linted."""
    from .._exceptions import TonecheckError
    from .._inputs import extract

    fallback: list[_Reply | None] = [None] * len(result.replies)
    if result.source is None or not any(f.suggestions for f in result.findings):
        return fallback
    for split in ("auto", "h2", "h1", "none"):  # the configuration's Markdown split is not known here
        try:
            segments = extract(result.path, result.source, format=result.format, markdown_sections=split)
        except (TonecheckError, ValueError):
            return fallback
        if len(segments) == len(result.replies) and all(
            segment.text == reply.text for segment, reply in zip(segments, result.replies, strict=True)
        ):
            return [_Reply(segment) for segment in segments]
        if result.format != "markdown":
            break
    return fallback


def _notification(error: FileError) -> dict[str, Any]:
    """A file that could not be linted, as a tool execution notification."""
    notification: dict[str, Any] = {"level": "error", "message": {"text": error.message}}
    location: dict[str, Any] = {"artifactLocation": _artifact_uri(error.path)}
    if error.line is not None:
        location["region"] = {"startLine": max(1, error.line), "startColumn": max(1, error.column or 1)}
    notification["locations"] = [{"physicalLocation": location}]
    return notification


def _render_sarif(
    results: Sequence[FileResult],
    rules: Mapping[str, Rule],
    version: str,
    *,
    errors: Sequence[FileError] = (),
) -> str:
    descriptors = [_sarif_rule(rules[code]) for code in sorted(rules)]
    index = {descriptor["id"]: position for position, descriptor in enumerate(descriptors)}
    sarif_results: list[dict[str, Any]] = []
    for result in results:
        location = _artifact_uri(result.path)
        seen: Counter[tuple[str, str | None, str]] = Counter()
        replies = _replies(result)
        pairs = [(f, r.reply_id, m) for r, m in zip(result.replies, replies, strict=True) for f in r.findings]
        for finding, reply_id, mapped in pairs:
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
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": dict(location),
                            "region": _region(finding.line, finding.column, finding.end_line, finding.end_column),
                        },
                    }
                ],
                "partialFingerprints": {
                    FINGERPRINT_KEY: _fingerprint(finding.code, reply_id, finding.match, occurrence),
                },
                "properties": properties,
            }
            fixes = _sarif_fixes(finding, location, result.source, mapped)
            if fixes:
                entry["fixes"] = fixes
            sarif_results.append(entry)
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "tonecheck", "version": version, "rules": descriptors}},
        # a file that could not be linted (exit code 2) is a notification, not lost to stderr
        "invocations": [
            {
                "executionSuccessful": not errors,
                "toolExecutionNotifications": [_notification(error) for error in errors],
            }
        ],
        # columns count code points, as Python strings do (SARIF's default is UTF-16 units)
        "columnKind": "unicodeCodePoints",
        "results": sarif_results,
    }
    log = {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}
    return escape_json(json.dumps(log, ensure_ascii=False, indent=2)) + "\n"


# -- junit ---------------------------------------------------------------------------------------
