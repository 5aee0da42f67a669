"""Which format a file is in, and the replies it holds."""

from __future__ import annotations

from typing import Any

import yaml

from .._exceptions import FormatError
from .extensions import _HTML_EXT, _LIQUID_EXT, _MARKDOWN_EXT, _YAML_EXT, _split_path
from .github_yaml import _extract_github_yaml, _yaml_shape_ok
from .helpdesk_json import _extract_json, _json_shape, _load_json
from .html import _html_to_text
from .markdown import _extract_markdown
from .markup import _blank_template_comments
from .segment import Segment, _Source

FORMATS: tuple[str, ...] = (
    "text",
    "markdown",
    "html",
    "liquid",
    "zendesk-macros",
    "helpscout-saved-replies",
    "freshdesk-canned-responses",
    "intercom-macros",
    "gorgias-macros",
    "github-saved-replies",
    "json-unknown",
)


# --------------------------------------------------------------------------------------------
# Detection

_UNPARSED = object()


def detect_format(path: str, content: str) -> str:
    """The format of a file, from its extension and (for .json/.yml/.yaml) the shape of its data.

    Never raises: a .json file that is not valid JSON is "json-unknown" (extracting it then
    raises FormatError); a YAML file that is not saved replies is "text".
    """
    return _detect(path, content)[0]


def _detect(path: str, content: str) -> tuple[str, Any]:
    norm, base, ext = _split_path(path)
    if ext == ".json":
        try:
            data = _load_json(path, content)
        except FormatError:
            return "json-unknown", _UNPARSED
        return _json_shape(data) or "json-unknown", data
    if ext in _YAML_EXT:
        if base in ("replies.yml", "replies.yaml") and (norm.startswith(".github/") or "/.github/" in norm):
            return "github-saved-replies", _UNPARSED
        try:  # compose only: constructing Python objects can fail on odd tags
            root = yaml.compose(content, Loader=yaml.SafeLoader)
        except (yaml.YAMLError, RecursionError):
            return "text", _UNPARSED
        return ("github-saved-replies" if _yaml_shape_ok(root) else "text"), _UNPARSED
    if ext in _MARKDOWN_EXT:
        return "markdown", _UNPARSED
    if ext in _HTML_EXT:
        return "html", _UNPARSED
    if ext in _LIQUID_EXT:
        return "liquid", _UNPARSED
    return "text", _UNPARSED


def extract(path: str, content: str, *, format: str | None = None, markdown_sections: str = "auto") -> list[Segment]:
    """The replies in one file, as segments mapped back to the original content.

    `format` forces a format (one of FORMATS); by default `detect_format` picks it. Raises
    FormatError when the content is not valid for the format (invalid JSON or YAML, a forced
    helpdesk format whose shape is not there, a malformed saved-replies file) or the format name
    is unknown. Blank reply strings in helpdesk exports are skipped. `markdown_sections` says
    how a Markdown file splits into replies (see `_markdown_sections`).
    """
    data: Any = _UNPARSED
    if format is None:
        fmt, data = _detect(path, content)
    elif format in FORMATS:
        fmt = format
    else:
        raise FormatError(f"{path}: unknown input format {format!r} (known: {', '.join(FORMATS)})", path=path)
    source = _Source(content)
    if fmt == "text":
        return [Segment(content, None, None, None, source)]
    if fmt == "markdown":
        return _extract_markdown(path, content, source, markdown_sections)
    if fmt == "html":
        text, offsets = _html_to_text(content)
        return [Segment(text, None, None, None, source, 0, offsets, ("html",))]
    if fmt == "liquid":
        return [Segment(_blank_template_comments(content), None, None, "saved", source)]
    if fmt == "github-saved-replies":
        return _extract_github_yaml(path, content, source)
    # JSON formats
    if data is _UNPARSED:
        data = _load_json(path, content)
    return _extract_json(path, content, source, data, fmt, forced=format is not None)
