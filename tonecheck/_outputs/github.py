"""GitHub workflow annotations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .._ruleset.load import Rule
from .._types import Severity
from .common import FileResult, _pairs, escape_text

_GITHUB_LEVEL = {Severity.error: "error", Severity.warning: "warning", Severity.info: "notice"}


def _github_data(value: str) -> str:
    """A message as GitHub reads it: line breaks encoded (the annotation shows them), every other
    unsafe character escaped visibly (see `common.escape_text`)."""
    return escape_text(value.replace("%", "%25"), keep_line_breaks=True).replace("\r", "%0D").replace("\n", "%0A")


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
