"""Output formats for `tonecheck check`: text, json, github, sarif, junit, concise, json-lines,
gitlab, rdjson, and a statistics table.

Everything here is a pure function of its input: the findings of each file (with their positions
already in the original file), the reply each finding belongs to, and optionally the file's text.

Positions: lines are counted by "\\n" only (as the engine counts them), columns are 1-based code
points and `end_column` is exclusive.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from .._ruleset.load import Rule
from .ci_formats import (
    _render_concise,
    _render_gitlab,
    _render_json_lines,
    _render_rdjson,
    colorize,
    github_step_summary,
)
from .common import FileError, FileResult
from .github import _render_github
from .json_format import _render_json
from .junit import _render_junit
from .sarif import _render_sarif
from .text import _render_text

__all__ = ["FORMATS", "FileError", "FileResult", "colorize", "github_step_summary", "render", "statistics"]

FORMATS: tuple[str, ...] = ("text", "json", "github", "sarif", "junit", "concise", "json-lines", "gitlab", "rdjson")

_RENDERERS: dict[str, Callable[[Sequence[FileResult], Mapping[str, Rule], str], str]] = {
    "text": _render_text,
    "json": _render_json,
    "github": _render_github,
    "sarif": _render_sarif,
    "junit": _render_junit,
    "concise": _render_concise,
    "json-lines": _render_json_lines,
    "gitlab": _render_gitlab,
    "rdjson": _render_rdjson,
}


def render(
    format: str,
    results: Sequence[FileResult],
    *,
    rules: Mapping[str, Rule],
    version: str,
    errors: Sequence[FileError] = (),
) -> str:
    """The whole output of one run in `format` (one of FORMATS), ending in a newline when not empty.

    `rules` describes the rules that ran (SARIF lists them, in code order); `version` is
    tonecheck's version, for formats that name the tool. `errors`: files that could not be
    linted, which JSON, SARIF and JUnit report too.
    """
    renderer = _RENDERERS.get(format)
    if renderer is None:
        raise ValueError(f"unknown output format {format!r} (known: {', '.join(FORMATS)})")
    if format == "json":
        return _render_json(results, rules, version, errors=errors)
    if format == "sarif":
        return _render_sarif(results, rules, version, errors=errors)
    if format == "junit":
        return _render_junit(results, rules, version, errors=errors)
    return renderer(results, rules, version)


def statistics(results: Sequence[FileResult]) -> str:
    """One line per rule code: count, code and name; most frequent first, then by code. Then one
    line per note on whole replies ("not checked: no rules for de"), with the replies it is on."""
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    notes: Counter[str] = Counter()
    for result in results:
        for finding in result.findings:
            counts[finding.code] += 1
            names.setdefault(finding.code, finding.name)
        notes.update(note for reply in result.replies for note in reply.notes)
    if not counts and not notes:
        return ""
    width = max(5, len(str(max([*counts.values(), *notes.values()]))))
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    lines = [f"{count:>{width}}  {code}  {names[code]}\n" for code, count in rows]
    lines += [f"{count:>{width}}  note  {note}\n" for note, count in sorted(notes.items(), key=lambda i: (-i[1], i[0]))]
    return "".join(lines)


# -- shared helpers ------------------------------------------------------------------------------
