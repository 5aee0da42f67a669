"""The JSON format: one object, versioned."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from .._ruleset.load import Rule
from .._types import Finding
from .common import FileError, FileResult, escape_json


def _pairs_with_language(result: FileResult) -> list[tuple[Finding, str | None, str]]:
    return [(finding, reply.reply_id, reply.language) for reply in result.replies for finding in reply.findings]


JSON_FORMAT_VERSION = 1


def _render_json(
    results: Sequence[FileResult], rules: Mapping[str, Rule], version: str, *, errors: Sequence[FileError] = ()
) -> str:
    payload = {
        "version": JSON_FORMAT_VERSION,
        "files": [
            {
                "path": result.path,
                "findings": [
                    {**finding.model_dump(mode="json"), "reply_id": reply_id, "language": language}
                    for finding, reply_id, language in _pairs_with_language(result)
                ],
                # each reply's language, and notes on whole replies ("not checked: no rules for de")
                "replies": [
                    {"reply_id": reply.reply_id, "language": reply.language, "notes": list(reply.notes)}
                    for reply in result.replies
                ],
            }
            for result in results
        ],
        # files that could not be linted (exit code 2): also on standard error
        "errors": [
            {"path": error.path, "message": error.message, "line": error.line, "column": error.column}
            for error in errors
        ],
    }
    # lone surrogates (a non-UTF-8 file name, a "\\ud800" in an export) become \\uXXXX escapes:
    # valid UTF-8 out, the same strings back in
    return escape_json(json.dumps(payload, ensure_ascii=False, indent=2)) + "\n"


# -- github --------------------------------------------------------------------------------------
