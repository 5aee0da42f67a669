"""Blanking helpers that keep offsets: template comments and ranges become spaces."""

from __future__ import annotations

import re
from collections.abc import Sequence

# --------------------------------------------------------------------------------------------
# Blanking helpers (identity-preserving)

_NOT_NEWLINE = re.compile(r"[^\r\n]")


def _blank_ranges(s: str, ranges: Sequence[tuple[int, int]]) -> str:
    """s with every character in the ranges, except line breaks, replaced by a space."""
    if not ranges:
        return s
    out: list[str] = []
    pos = 0
    for a, b in sorted(ranges):
        a = max(a, pos)
        if b <= a:
            continue
        out.append(s[pos:a])
        out.append(_NOT_NEWLINE.sub(" ", s[a:b]))
        pos = b
    out.append(s[pos:])
    return "".join(out)


_TEMPLATE_COMMENT = re.compile(
    r"\{#.*?#\}"
    r"|\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}"
    r"|\{%-?\s*#.*?%\}"
    r"|\{\{!--.*?--\}\}"
    r"|\{\{!.*?\}\}",
    re.S,
)


def _blank_template_comments(s: str) -> str:
    return _blank_ranges(s, [m.span() for m in _TEMPLATE_COMMENT.finditer(s) if not _is_directive(m.group())])


def _is_directive(comment: str) -> bool:
    """A `tonecheck:` suppression comment is kept: the suppression pass reads it (and the
    linter never lints comments)."""
    return "tonecheck:" in comment
