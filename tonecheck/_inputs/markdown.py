"""Markdown: one reply per file, or one per heading in a file of saved replies."""

from __future__ import annotations

import bisect
import re

from .._text import delimited_spans
from .extensions import _split_path
from .markup import _blank_ranges, _is_directive
from .segment import Segment, _Source

# --------------------------------------------------------------------------------------------
# Markdown

_FRONT_MATTER_OPEN = re.compile(r"\ufeff?---[ \t]*\r?\n")
_FRONT_MATTER_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)
_FENCE_OPEN = re.compile(r"[ \t]*(`{3,}|~{3,})(.*)")
_FENCE_CLOSE = re.compile(r"[ \t]*(`{3,}|~{3,})[ \t]*")
_HTML_COMMENT = ((re.compile("<!--"), re.compile("-->")),)  # <!--.*?--> (DOTALL), see delimited_spans
_REFERENCE_DEFINITION = re.compile(
    r"^ {0,3}\[(?!\^)(?:[^\]\\\n]|\\.)+\]:[ \t]*(?:<[^<>\n]*>|\S+)"
    r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*\r?$",
    re.M,
)
_LINK_TITLE = r"(?:\"[^\"\n]*+\"|'[^'\n]*+'|\([^()\n]*+\))"
# ](destination "title"): possessive, with the empty destination spelled out (where the blanks
# before a title are one run), so no run of blanks or characters is split two ways (the plain
# form took quadratic time on "](" and a long run of blanks)
_LINK_TARGET = re.compile(
    r"\]\((?:\s*+(?:<[^<>\n]*+>|(?=[^\s)])[^\s()]*+(?:\([^\s()]*+\)[^\s()]*+)*+)(?:\s++"
    + _LINK_TITLE
    + r")?+\s*+\)|\s++"
    + _LINK_TITLE
    + r"\s*+\)|\s*+\))"
)
_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?=[ \t\r]|$)([^\n]*)$", re.M)
_CLOSING_HASHES = re.compile(r"(?:^|(?<![ \t])[ \t]++)#++[ \t]*+$")  # a blank run is tried from its start only
_REPLY_COLLECTION_NAME = re.compile(r"replies|macros|canned|saved")


def _blank_markdown(content: str) -> str:
    s = content
    front = _FRONT_MATTER_OPEN.match(s)
    if front:
        close = _FRONT_MATTER_CLOSE.search(s, front.end())
        if close:
            s = _blank_ranges(s, [(1 if s.startswith("\ufeff") else 0, close.end())])
    # fenced code blocks (any indentation, so fences inside list items count too)
    ranges: list[tuple[int, int]] = []
    pos = 0
    open_at = -1
    fence = ""
    for line in s.split("\n"):
        body = line[:-1] if line.endswith("\r") else line
        if open_at < 0:
            m = _FENCE_OPEN.fullmatch(body)
            if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
                open_at, fence = pos, m.group(1)
        else:
            m = _FENCE_CLOSE.fullmatch(body)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                ranges.append((open_at, pos + len(body)))
                open_at = -1
        pos += len(line) + 1
    if open_at >= 0:  # an unclosed fence runs to the end of the file
        ranges.append((open_at, len(s)))
    s = _blank_ranges(s, ranges)
    s = _blank_ranges(s, [(a, b) for a, b, _ in delimited_spans(s, _HTML_COMMENT) if not _is_directive(s[a:b])])
    s = _blank_ranges(s, [m.span() for m in _REFERENCE_DEFINITION.finditer(s)])
    s = _blank_ranges(s, [(m.start() + 1, m.end()) for m in _LINK_TARGET.finditer(s)])
    return s


MARKDOWN_SECTIONS = ("auto", "h1", "h2", "none")


def _markdown_sections(path: str, blanked: str, split: str = "auto") -> list[tuple[str, int, int]] | None:
    """(heading text, body start, body end) per reply when the file is a reply collection.

    `split` is the `markdown-sections` setting: "none" reads every file as one reply; "h1" or
    "h2" makes each heading of that level a reply (text before the first one is not a reply);
    "auto" decides by the layout:

    - two or more level-1 headings: one reply per level-1 heading, with nothing but blank lines
      before the first;
    - else two or more level-2 headings under at most one level-1 title: one reply per level-2
      heading; an introduction between the title and the first reply is allowed (and not linted)
      when there is a title, otherwise only blank lines may come first;
    - a file named as a collection ("replies", "macros", "canned", "saved" in its name) may have
      a single section and an introduction in every case.
    """
    heads = [(len(m.group(1)), m.start(), m.end(), m.group(2)) for m in _ATX_HEADING.finditer(blanked)]
    if split == "none":
        return None
    h1 = [h for h in heads if h[0] == 1]
    h2 = [h for h in heads if h[0] == 2]
    if split in ("h1", "h2"):
        sections = h1 if split == "h1" else h2
        if not sections:
            return None
    else:
        titled = False
        if len(h1) >= 2:
            sections, preamble = h1, blanked[: h1[0][1]]
        elif h2 and (not h1 or h1[0][1] < h2[0][1]):
            sections, preamble = h2, blanked[: h2[0][1]]
            if h1:
                preamble = preamble[: h1[0][1]] + preamble[h1[0][2] :]
                titled = True
        elif h1:
            sections, preamble = h1, blanked[: h1[0][1]]
        else:
            return None
        hint = bool(_REPLY_COLLECTION_NAME.search(_split_path(path)[1]))
        if not hint and (len(sections) < 2 or (preamble.strip() and not titled)):
            return None
    level = sections[0][0]
    boundaries = [h[1] for h in heads if h[0] <= level] + [len(blanked)]
    out: list[tuple[str, int, int]] = []
    for k, (_, start, end, raw_title) in enumerate(sections):
        stop = boundaries[bisect.bisect_right(boundaries, start)]
        title = " ".join(_CLOSING_HASHES.sub("", raw_title).split())
        if not title:
            title = f"section {k + 1}"
        out.append((title, min(end + 1, stop), stop))
    return out


def _extract_markdown(path: str, content: str, source: _Source, split: str = "auto") -> list[Segment]:
    blanked = _blank_markdown(content)
    sections = _markdown_sections(path, blanked, split)
    if sections is None:
        return [Segment(blanked, None, None, None, source)]
    segments = []
    for title, start, stop in sections:
        body = blanked[start:stop]
        stripped = body.lstrip()
        if not stripped:
            continue
        lead = len(body) - len(stripped)
        line_start = body.rfind("\n", 0, lead) + 1  # keep the first line's indentation
        segments.append(Segment(body[line_start:].rstrip(), title, None, "saved", source, start + line_start))
    return segments
