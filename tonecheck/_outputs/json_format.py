"""The JSON format: one object, versioned."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from .._ruleset.load import Rule
from .common import FileResult, _pairs, escape_json

JSON_FORMAT_VERSION = 1


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
    # lone surrogates (a non-UTF-8 file name, a "\\ud800" in an export) become \\uXXXX escapes:
    # valid UTF-8 out, the same strings back in
    return escape_json(json.dumps(payload, ensure_ascii=False, indent=2)) + "\n"


# -- github --------------------------------------------------------------------------------------
