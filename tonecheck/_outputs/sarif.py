"""SARIF 2.1.0, with rules, fixes and fingerprints."""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

from .._ruleset.load import Rule
from .._ruleset.templates import as_prose
from .._types import Applicability, Finding, Severity
from .common import FileResult, _pairs, _suggestion_span, escape_json

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


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    help_text = f"{rule.why}\n\n{rule.fix}\n\nFlagged: {rule.examples.flag[0]}\nNot flagged: {rule.examples.pass_[0]}"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": as_prose(rule.message).strip() or rule.fix},
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
        fixes.append(
            {
                "description": {"text": suggestion.title},
                "artifactChanges": [
                    {
                        "artifactLocation": dict(location),
                        "replacements": [
                            {
                                "deletedRegion": _region(span.line, span.column, span.end_line, span.end_column),
                                "insertedContent": {"text": suggestion.replacement},
                            }
                        ],
                    }
                ],
                "properties": {"applicability": suggestion.applicability.value},
            }
        )
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
            fixes = _sarif_fixes(finding, location, result.source)
            if fixes:
                entry["fixes"] = fixes
            sarif_results.append(entry)
    log = {
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {"driver": {"name": "tonecheck", "version": version, "rules": descriptors}},
                # columns count code points, as Python strings do (SARIF's default is UTF-16 units)
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
            }
        ],
    }
    return escape_json(json.dumps(log, ensure_ascii=False, indent=2)) + "\n"


# -- junit ---------------------------------------------------------------------------------------
