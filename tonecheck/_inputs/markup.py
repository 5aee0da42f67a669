"""Blanking helpers that keep offsets: template comments and ranges become spaces."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .._text import delimited_spans

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


# (opener, closer) of each template comment, tried in this order where two start at one place:
# what the regex  \{#.*?#\} | \{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\} | \{%-?\s*#.*?%\}
# | \{\{!--.*?--\}\} | \{\{!.*?\}\}  (DOTALL) finds, in linear time (see `delimited_spans`)
_TEMPLATE_COMMENT = (
    (re.compile(r"\{#"), re.compile(r"#\}")),
    (re.compile(r"\{%-?\s*+comment\s*+-?%\}"), re.compile(r"\{%-?\s*+endcomment\s*+-?%\}")),
    (re.compile(r"\{%-?\s*+#"), re.compile(r"%\}")),
    (re.compile(r"\{\{!--"), re.compile(r"--\}\}")),
    (re.compile(r"\{\{!"), re.compile(r"\}\}")),
)


def _blank_template_comments(s: str) -> str:
    return _blank_ranges(s, [(a, b) for a, b, _ in delimited_spans(s, _TEMPLATE_COMMENT) if not _is_directive(s[a:b])])


def _is_directive(comment: str) -> bool:
    """A `tonecheck:` suppression comment is kept: the suppression pass reads it (and the
    linter never lints comments)."""
    return "tonecheck:" in comment
