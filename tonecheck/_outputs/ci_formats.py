"""Formats CI tools read: concise (one line per finding), JSON Lines, GitLab Code Quality,
reviewdog's rdjson, and the Markdown summary a GitHub step shows ($GITHUB_STEP_SUMMARY)."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence

from .._ruleset.load import Rule
from .._types import Severity
from .common import FileResult, _pairs, _plural, _printable, escape_json, escape_text, starts_a_command

# Every value that comes from the files (paths, reply titles, messages holding matched text) is
# escaped as in the other formats (see `common.escape_text`): the line formats escape control
# characters, bidirectional controls and "##[", the JSON formats write them as \uXXXX escapes.


def _one_line(text: str) -> str:
    """text on one line (line breaks and runs of blanks as one space), nothing unsafe left."""
    return escape_text(" ".join(_printable(text).split()))


def _shown_path(path: str) -> str:
    """The path escaped; "./" before one that would start the line with ":" or a blank."""
    shown = escape_text(path)
    if shown[:1].isspace() or starts_a_command(shown) or shown.startswith(":"):
        shown = "./" + shown
    return shown


def _render_concise(results: Sequence[FileResult], rules: Mapping[str, Rule], version: str) -> str:
    """`file:line:col: CODE [severity] message`, one line per finding (grep and editors read it)."""
    out: list[str] = []
    for result in results:
        for finding, reply_id in _pairs(result):
            reply = f" [{_one_line(reply_id)}]" if reply_id is not None else ""
            out.append(
                f"{_shown_path(result.path)}:{finding.line}:{finding.column}:{reply} {finding.code} "
                f"[{finding.severity.value}] {_one_line(finding.message)}\n"
            )
    return "".join(out)


def _render_json_lines(results: Sequence[FileResult], rules: Mapping[str, Rule], version: str) -> str:
    """One JSON object per finding: the JSON format's finding plus its file's path."""
    return "".join(
        escape_json(
            json.dumps(
                {
                    "path": result.path,
                    **finding.model_dump(mode="json"),
                    "reply_id": reply.reply_id,
                    "language": reply.language,
                },
                ensure_ascii=False,
            )
        )
        + "\n"
        for result in results
        for reply in result.replies
        for finding in reply.findings
    )


_GITLAB_SEVERITY = {Severity.error: "major", Severity.warning: "minor", Severity.info: "info"}


def _render_gitlab(results: Sequence[FileResult], rules: Mapping[str, Rule], version: str) -> str:
    """GitLab Code Quality (a JSON array; `artifacts: reports: codequality:`). Fingerprints stay
    put across unrelated edits: file, reply, rule, matched words and occurrence, not the line."""
    issues: list[dict[str, object]] = []
    for result in results:
        seen: Counter[tuple[str | None, str, str]] = Counter()
        for finding, reply_id in _pairs(result):
            identity = (reply_id, finding.code, " ".join(finding.match.split()).casefold())
            seen[identity] += 1
            digest = hashlib.sha256(repr((result.path, *identity, seen[identity])).encode("utf-8")).hexdigest()
            label = f"[{reply_id}] " if reply_id is not None else ""
            issues.append(
                {
                    "type": "issue",
                    "check_name": finding.code,
                    "description": f"{label}{finding.code} {_one_line(finding.message)}",
                    "categories": ["Style"],
                    "severity": _GITLAB_SEVERITY[finding.severity],
                    "fingerprint": digest,
                    "location": {
                        "path": result.path,
                        "positions": {
                            "begin": {"line": finding.line, "column": finding.column},
                            "end": {"line": finding.end_line, "column": finding.end_column},
                        },
                    },
                }
            )
    return escape_json(json.dumps(issues, ensure_ascii=False, indent=2)) + "\n"


_RDJSON_SEVERITY = {Severity.error: "ERROR", Severity.warning: "WARNING", Severity.info: "INFO"}


def _render_rdjson(results: Sequence[FileResult], rules: Mapping[str, Rule], version: str) -> str:
    """reviewdog's Diagnostic Format (rdjson), with fixes as suggestions where a safe or unsafe
    replacement exists on one line range."""
    diagnostics: list[dict[str, object]] = []
    for result in results:
        for finding, reply_id in _pairs(result):
            label = f"[{reply_id}] " if reply_id is not None else ""
            diagnostic: dict[str, object] = {
                "message": f"{label}{finding.message}",
                "location": {
                    "path": result.path,
                    "range": {
                        "start": {"line": finding.line, "column": finding.column},
                        "end": {"line": finding.end_line, "column": finding.end_column},
                    },
                },
                "severity": _RDJSON_SEVERITY[finding.severity],
                "code": {"value": finding.code},
            }
            diagnostics.append(diagnostic)
    payload = {"source": {"name": "tonecheck"}, "severity": "WARNING", "diagnostics": diagnostics}
    return escape_json(json.dumps(payload, ensure_ascii=False, indent=2)) + "\n"


# GitHub shows at most 10 error and 10 warning annotations per step (50 per job): the summary
# lists every finding, so none is lost
GITHUB_ANNOTATION_CAP = 10


def github_step_summary(results: Sequence[FileResult]) -> str:
    """A Markdown summary for $GITHUB_STEP_SUMMARY: counts per rule and one table row per finding."""
    pairs = [(result.path, finding, reply_id) for result in results for finding, reply_id in _pairs(result)]
    out = ["## tonecheck\n\n"]
    if not pairs:
        out.append(f"No problems in {_plural(len(results), 'file')}.\n")
        return "".join(out)
    files = len({path for path, _, _ in pairs})
    out.append(f"Found {_plural(len(pairs), 'problem')} in {files} of {_plural(len(results), 'file')}.")
    by_level = Counter(f.severity for _, f, _ in pairs)
    if any(n > GITHUB_ANNOTATION_CAP for level, n in by_level.items() if level is not Severity.info):
        cap = GITHUB_ANNOTATION_CAP
        out.append(f" GitHub shows only {cap} annotations of each level per step: every finding is listed here.")
    out.append("\n\n| rule | count |\n|---|---|\n")
    for code, count in sorted(Counter(f.code for _, f, _ in pairs).items(), key=lambda item: (-item[1], item[0])):
        out.append(f"| {code} | {count} |\n")
    out.append("\n| file | line | reply | rule | message |\n|---|---|---|---|---|\n")
    for path, finding, reply_id in pairs:
        cells = [path, str(finding.line), reply_id or "", finding.code, _one_line(finding.message)]
        out.append("| " + " | ".join(_cell(c) for c in cells) + " |\n")
    return "".join(out)


def _cell(text: str) -> str:
    text = _one_line(text)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


_ANSI = {"path": "\x1b[1m", "error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m", "reset": "\x1b[0m"}


def colorize(text: str) -> str:
    """The text format with its finding lines coloured: the place in bold, the code and severity
    in the severity's colour."""
    import re

    header = re.compile(r"^(\S[^\n]*?:\d+:\d+:)((?: \[[^\]\n]*\])?) ([A-Z]+\d+) \[(error|warning|info)\]", re.M)
    return header.sub(
        lambda m: (
            f"{_ANSI['path']}{m.group(1)}{_ANSI['reset']}{m.group(2)} "
            f"{_ANSI[m.group(4)]}{m.group(3)} [{m.group(4)}]{_ANSI['reset']}"
        ),
        text,
    )
