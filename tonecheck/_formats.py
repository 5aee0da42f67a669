"""Input formats: turn one file's content into the replies inside it.

Teams keep saved replies (macros, canned responses) in git in many formats. `extract` turns the
content of one file into `Segment`s, one per reply text, and every segment knows where each of
its characters came from in the ORIGINAL file: `Segment.position(offset)` gives the 1-based
(line, column) of `text[offset]` in the file, even when the text was decoded (JSON escapes, HTML
entities, YAML block scalars). Lines are separated by "\\n" only and columns count code points,
as in the engine's findings.

Formats (`detect_format` picks one from the path and, for JSON and YAML, the shape of the data):

``text``
    ``.txt`` and every unknown extension: the whole content, identity mapping.
``markdown``
    ``.md``, ``.markdown``. Front matter, fenced code blocks, HTML comments, link targets
    ``(url "title")`` of ``[text](url)`` / ``![alt](src)`` and reference definitions
    ``[1]: url`` are BLANKED (every character but "\\n"/"\\r" becomes a space), so the text has
    the length of the content and the mapping is the identity. Headings are kept. A file that is
    a collection of replies, one per top-level heading (GitHub saved replies kept in Markdown),
    gives one segment per heading section (reply_id = heading text, mode "saved", field None);
    see `_markdown_sections` for the rule. Only ATX headings (``#``) count; Setext headings,
    indented code blocks and inline code are left as they are.
``html``
    ``.html``, ``.htm``, ``.xhtml``. Tags, comments, doctype and the contents of <script>,
    <style>, <template> and <title> are skipped; character references are decoded; <br>, <hr>
    and the end tags of p, div, li, h1-h6, tr, blockquote and pre become "\\n". Whitespace is kept
    as written (not collapsed). The offset map is exact: every text character maps to the first
    character of its source (the "&" of an entity, the "<" of a <br>).
``liquid``
    ``.liquid``, ``.j2``, ``.jinja``, ``.jinja2``, ``.hbs``, ``.handlebars``, ``.mustache``:
    the whole file, identity mapping, mode "saved"; placeholders are kept (the linter judges
    them); template comments (``{# #}``, ``{% comment %}...{% endcomment %}``, ``{% # %}``,
    ``{{!-- --}}``, ``{{! }}``) are blanked.
JSON helpdesk exports (``.json``, recognised by shape; mode "saved")
    ``zendesk-macros`` (``comment_value``/``comment_value_html`` actions; a ``[channel, text]``
    value gives its last string), ``helpscout-saved-replies`` (``text``, stripped as HTML
    when it contains markup),
    ``freshdesk-canned-responses`` (``content``, ``content_html``), ``intercom-macros``
    (``body``, stripped as HTML when it contains markup; ``body_text``), ``gorgias-macros``
    (``setResponseText`` actions: ``body_text``, ``body_html``). Every non-blank reply string
    is one segment (so an export carrying both the plain and the HTML version of a reply gives
    two segments with the same reply_id and different fields). The text is the decoded JSON
    string, HTML fields additionally stripped as in ``html``; positions point inside the string
    literal in the file, at the first character of an escape sequence for escaped characters.
    reply_id is the title/name, or the JSON path of the reply object when it has none.
``json-unknown``
    any other ``.json``: every string value longer than 40 characters that contains a space is
    a segment, reply_id = its JSON path (``$.items[3].text``; keys that are not identifiers are
    written ``$["odd key"]``), field = the last object key on the path (None when the value sits
    directly in an array), mode None. Strings that contain HTML markup are stripped as HTML.
``github-saved-replies``
    ``.github/replies.yml`` (refined-saved-replies), or any ``.yml``/``.yaml`` file shaped as a
    list of ``{name, body}`` or a mapping with ``replies:``; one segment per reply, field
    "body", mode "saved". Mapping precision is described in `_yaml_scalar_map`.

Invalid JSON/YAML in a file that claims one of these formats raises `FormatError`, whose message
names the file and the line:column of the problem.
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import os
import re
from array import array
from collections.abc import Callable, Iterator, Sequence
from html.entities import html5 as _HTML5_ENTITIES
from typing import Any, Literal

import yaml

from ._errors import InputError

__all__ = ["FORMATS", "FormatError", "Segment", "detect_format", "extract"]

Mode = Literal["draft", "saved"]

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

_JSON_FORMATS = frozenset(
    {
        "zendesk-macros",
        "helpscout-saved-replies",
        "freshdesk-canned-responses",
        "intercom-macros",
        "gorgias-macros",
        "json-unknown",
    }
)


class FormatError(InputError, ValueError):
    """A file claims a format but cannot be parsed as it.

    The message names the file and what is wrong (with line:column where known); `path`, `line`
    and `column` carry the same facts (line and column are 1-based, None when unknown). It is a
    ValueError and also a tonecheck InputError, so callers that report input errors report it.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.column = column


# --------------------------------------------------------------------------------------------
# Positions


# the source of one decoded character: a JSON escape (a surrogate pair counts once) or an HTML entity
_ESCAPE_AT = re.compile(r"\\u[0-9a-fA-F]{4}(?:\\u[0-9a-fA-F]{4})?|\\.|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")


class _Source:
    """The original content and its line starts (computed once, shared by a file's segments)."""

    __slots__ = ("content", "_starts")

    def __init__(self, content: str) -> None:
        self.content = content
        self._starts: list[int] | None = None

    def line_col(self, offset: int) -> tuple[int, int]:
        starts = self._starts
        if starts is None:
            starts = [0]
            find = self.content.find
            i = find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._starts = starts
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1


@dataclasses.dataclass(frozen=True)
class Segment:
    """One reply text taken from a file, with a map back to the file.

    `text` is what to lint. `reply_id` is the reply's title/name/id inside the file (None when
    the segment is the whole file), `field` the key the text came from ("comment_value",
    "body", ...; None for whole files and Markdown sections), `mode` "saved" for helpdesk
    exports and saved-reply files (None: the caller decides). Equality and hashing look at
    these four fields only, not at the position map.
    """

    text: str
    reply_id: str | None
    field: str | None
    mode: Mode | None
    # How text offsets map to offsets in the original content: `_offsets[i]` (len(text) + 1
    # entries) when given, otherwise `_base + i`. `_source` defaults to the text itself.
    _source: _Source | None = dataclasses.field(default=None, repr=False, compare=False)
    _base: int = dataclasses.field(default=0, repr=False, compare=False)
    _offsets: Sequence[int] | None = dataclasses.field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._source is None:
            object.__setattr__(self, "_source", _Source(self.text))
        if self._offsets is not None and len(self._offsets) != len(self.text) + 1:
            raise ValueError("offset map must have len(text) + 1 entries")

    def source_offset(self, offset: int) -> int:
        """0-based offset in the original content of text[offset] (offset == len(text): just
        after the source of the last character)."""
        if not 0 <= offset <= len(self.text):
            raise IndexError(f"offset {offset} outside 0..{len(self.text)}")
        if self._offsets is None:
            return self._base + offset
        return self._offsets[offset]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the original file of text[offset]; offset == len(text) is
        allowed and gives the position just after the last character's source."""
        source = self._source
        assert source is not None  # set by __post_init__
        return source.line_col(self.source_offset(offset))

    def end_position(self, end: int) -> tuple[int, int]:
        """1-based (line, column) just after the source of text[end - 1]: where a span that
        ends at `end` (exclusive) ends in the file. Unlike position(end), this does not reach
        over markup that follows the span (an HTML tag after the last word)."""
        source = self._source
        assert source is not None
        if end <= 0 or end == len(self.text) or self._offsets is None:
            return self.position(end)
        start = self.source_offset(end - 1)
        escape = _ESCAPE_AT.match(source.content, start, self.source_offset(end))
        return source.line_col(start + (len(escape.group()) if escape else 1))


class _Map:
    """Builds a text together with, per character, its source start and end offsets."""

    __slots__ = ("chars", "starts", "ends")

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def __len__(self) -> int:
        return len(self.chars)

    def add(self, text: str, start: int, end: int) -> None:
        """Every character of `text` comes from source[start:end] (an escape, entity or tag)."""
        for ch in text:
            self.chars.append(ch)
            self.starts.append(start)
            self.ends.append(end)

    def run(self, text: str, start: int) -> None:
        """`text` is copied verbatim from source[start:start + len(text)]."""
        self.chars.extend(text)
        self.starts.extend(range(start, start + len(text)))
        self.ends.extend(range(start + 1, start + len(text) + 1))

    def pop(self) -> None:
        self.chars.pop()
        self.starts.pop()
        self.ends.pop()

    def finish(self, empty_end: int, length: int | None = None) -> tuple[str, array[int]]:
        """The text (its first `length` characters) and its offset map; the end entry is the end
        of the last character's source, or `empty_end` for an empty text."""
        n = len(self.chars) if length is None else length
        end = self.ends[n - 1] if n else empty_end
        offsets = array("q", self.starts[:n])
        offsets.append(end)
        return "".join(self.chars[:n]), offsets


def _compose(outer: Sequence[int], inner: Sequence[int]) -> array[int]:
    """Map through two levels: inner maps text -> intermediate, outer intermediate -> source."""
    return array("q", (outer[i] for i in inner))


# --------------------------------------------------------------------------------------------
# Detection

_MARKDOWN_EXT = frozenset({".md", ".markdown", ".mdown", ".mkd"})
_HTML_EXT = frozenset({".html", ".htm", ".xhtml"})
_LIQUID_EXT = frozenset({".liquid", ".j2", ".jinja", ".jinja2", ".hbs", ".handlebars", ".mustache"})
_YAML_EXT = frozenset({".yml", ".yaml"})


def _split_path(path: str) -> tuple[str, str, str]:
    """(normalised lower-case path, base name, extension)."""
    norm = path.replace("\\", "/").lower()
    base = norm.rsplit("/", 1)[-1]
    return norm, base, os.path.splitext(base)[1]


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


def extract(path: str, content: str, *, format: str | None = None) -> list[Segment]:
    """The replies in one file, as segments mapped back to the original content.

    `format` forces a format (one of FORMATS); by default `detect_format` picks it. Raises
    FormatError when the content is not valid for the format (invalid JSON or YAML, a forced
    helpdesk format whose shape is not there, a malformed saved-replies file) or the format name
    is unknown. Blank reply strings in helpdesk exports are skipped.
    """
    data: Any = _UNPARSED
    if format is None:
        fmt, data = _detect(path, content)
    elif format in FORMATS:
        fmt = format
    else:
        raise FormatError(f"{path}: unknown input format {format!r} (known: {', '.join(FORMATS)})",
                          path=path)
    source = _Source(content)
    if fmt == "text":
        return [Segment(content, None, None, None, source)]
    if fmt == "markdown":
        return _extract_markdown(path, content, source)
    if fmt == "html":
        text, offsets = _html_to_text(content)
        return [Segment(text, None, None, None, source, 0, offsets)]
    if fmt == "liquid":
        return [Segment(_blank_template_comments(content), None, None, "saved", source)]
    if fmt == "github-saved-replies":
        return _extract_github_yaml(path, content, source)
    # JSON formats
    if data is _UNPARSED:
        data = _load_json(path, content)
    return _extract_json(path, content, source, data, fmt, forced=format is not None)


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


# --------------------------------------------------------------------------------------------
# Markdown

_FRONT_MATTER_OPEN = re.compile(r"\ufeff?---[ \t]*\r?\n")
_FRONT_MATTER_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)
_FENCE_OPEN = re.compile(r"[ \t]*(`{3,}|~{3,})(.*)")
_FENCE_CLOSE = re.compile(r"[ \t]*(`{3,}|~{3,})[ \t]*")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_REFERENCE_DEFINITION = re.compile(
    r"^ {0,3}\[(?!\^)(?:[^\]\\\n]|\\.)+\]:[ \t]*(?:<[^<>\n]*>|\S+)"
    r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*\r?$",
    re.M,
)
_LINK_TARGET = re.compile(
    r"\]\(\s*(?:<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)"
)
_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?=[ \t\r]|$)([^\n]*)$", re.M)
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
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
    s = _blank_ranges(s, [m.span() for m in _HTML_COMMENT.finditer(s) if not _is_directive(m.group())])
    s = _blank_ranges(s, [m.span() for m in _REFERENCE_DEFINITION.finditer(s)])
    s = _blank_ranges(s, [(m.start() + 1, m.end()) for m in _LINK_TARGET.finditer(s)])
    return s


def _markdown_sections(path: str, blanked: str) -> list[tuple[str, int, int]] | None:
    """(heading text, body start, body end) per reply when the file is a reply collection.

    Sections are the level-1 headings when there are two or more, else the level-2 headings
    (a single level-1 title line may precede them). Without a hint in the file name ("replies",
    "macros", "canned", "saved") the file must have at least two sections and nothing but blank
    lines (and that title) before the first; with the hint one section is enough and an
    introduction before the first section is allowed.
    """
    heads = [(len(m.group(1)), m.start(), m.end(), m.group(2)) for m in _ATX_HEADING.finditer(blanked)]
    h1 = [h for h in heads if h[0] == 1]
    h2 = [h for h in heads if h[0] == 2]
    if len(h1) >= 2:
        sections, preamble = h1, blanked[: h1[0][1]]
    elif h2 and (not h1 or h1[0][1] < h2[0][1]):
        sections, preamble = h2, blanked[: h2[0][1]]
        if h1:
            preamble = preamble[: h1[0][1]] + preamble[h1[0][2]:]
    elif h1:
        sections, preamble = h1, blanked[: h1[0][1]]
    else:
        return None
    hint = bool(_REPLY_COLLECTION_NAME.search(_split_path(path)[1]))
    if not hint and (len(sections) < 2 or preamble.strip()):
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


def _extract_markdown(path: str, content: str, source: _Source) -> list[Segment]:
    blanked = _blank_markdown(content)
    sections = _markdown_sections(path, blanked)
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


# --------------------------------------------------------------------------------------------
# HTML

_RAW_TEXT_ELEMENTS = frozenset({"script", "style", "template", "title"})
_BREAK_START_TAGS = frozenset({"br", "hr"})
_BREAK_END_TAGS = frozenset({"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "pre"})
_HTML_SPECIAL = re.compile(r"[<&]")
_TAG_NAME = re.compile(r"[A-Za-z][^\s/>]*")
_CHAR_REF = re.compile(r"&(?:#([0-9]+);?|#[xX]([0-9A-Fa-f]+);?|([A-Za-z][A-Za-z0-9]{0,40})(;?))")
_RAW_TEXT_END: dict[str, re.Pattern[str]] = {
    name: re.compile(rf"</{name}(?=[\s/>]|$)", re.I) for name in _RAW_TEXT_ELEMENTS
}


def _numeric_char(code: int) -> str:
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    if 0x80 <= code <= 0x9F:  # the HTML parser reads these as windows-1252
        return bytes([code]).decode("cp1252", errors="ignore") or chr(code)
    return chr(code)


def _char_ref(s: str, i: int) -> tuple[str, int] | None:
    """Decode the character reference at s[i] ("&"): (text, end) or None for a literal "&"."""
    m = _CHAR_REF.match(s, i)
    if not m:
        return None
    dec, hexa, name, semi = m.groups()
    if dec is not None:
        return _numeric_char(int(dec) if len(dec) <= 8 else 0x110000), m.end()
    if hexa is not None:
        return _numeric_char(int(hexa, 16) if len(hexa) <= 8 else 0x110000), m.end()
    if semi and name + ";" in _HTML5_ENTITIES:
        return _HTML5_ENTITIES[name + ";"], m.end()
    for k in range(len(name), 1, -1):  # legacy references without ";" (&amp, &copy2024 ...)
        if name[:k] in _HTML5_ENTITIES:
            return _HTML5_ENTITIES[name[:k]], i + 1 + k
    return None


def _tag_end(s: str, i: int) -> int:
    """End of the tag whose attributes start at s[i] (quoted values may contain ">")."""
    n = len(s)
    after_equals = False
    while i < n:
        c = s[i]
        if c == ">":
            return i + 1
        if after_equals and c in "\"'":
            close = s.find(c, i + 1)
            if close < 0:
                return n
            i = close + 1
            after_equals = False
            continue
        if c == "=":
            after_equals = True
        elif not c.isspace():
            after_equals = False
        i += 1
    return n  # end of file inside a tag: the tag is dropped


def _html_to_text(s: str) -> tuple[str, array[int]]:
    """Visible text of HTML and, per character, its offset in `s` (+ one end entry)."""
    out = _Map()
    i, n = 0, len(s)
    while i < n:
        m = _HTML_SPECIAL.search(s, i)
        if m is None:
            out.run(s[i:], i)
            break
        j = m.start()
        if j > i:
            out.run(s[i:j], i)
        i = j
        if s[i] == "&":
            ref = _char_ref(s, i)
            if ref is None:
                out.add("&", i, i + 1)
                i += 1
            else:
                out.add(ref[0], i, ref[1])
                i = ref[1]
            continue
        if s.startswith("<!--", i):
            close = s.find("-->", i + 4)
            end = n if close < 0 else close + 3
            if _is_directive(s[i:end]):
                out.run(s[i:end], i)
            i = end
            continue
        nxt = s[i + 1] if i + 1 < n else ""
        if nxt in ("!", "?"):  # doctype, CDATA, processing instruction, bogus comment
            if s.startswith("<![CDATA[", i):
                close = s.find("]]>", i + 9)
                i = n if close < 0 else close + 3
            else:
                close = s.find(">", i + 2)
                i = n if close < 0 else close + 1
            continue
        closing = nxt == "/"
        name_match = _TAG_NAME.match(s, i + 1 + closing)
        if name_match is None:  # "a < b", "</ >": a literal "<"
            out.add("<", i, i + 1)
            i += 1
            continue
        name = name_match.group().lower()
        end = _tag_end(s, name_match.end())
        if (name in _BREAK_END_TAGS) if closing else (name in _BREAK_START_TAGS):
            out.add("\n", i, end)
        i = end
        if not closing and name in _RAW_TEXT_ELEMENTS and not s.startswith("/>", end - 2):
            close_tag = _RAW_TEXT_END[name].search(s, i)
            i = n if close_tag is None else close_tag.start()
    return out.finish(0 if not s else n)


_HTML_MARKUP = re.compile(
    r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);"
)


def _looks_like_html(s: str) -> bool:
    return _HTML_MARKUP.search(s) is not None


# --------------------------------------------------------------------------------------------
# JSON


def _load_json(path: str, content: str) -> Any:
    start = 1 if content.startswith("\ufeff") else 0
    try:
        return json.loads(content[start:] if start else content)
    except json.JSONDecodeError as e:
        line, col = _Source(content).line_col(e.pos + start)
        raise FormatError(f"{path}:{line}:{col}: invalid JSON: {e.msg}", path=path, line=line, column=col) from None
    except RecursionError:
        raise FormatError(f"{path}: invalid JSON: nested too deeply", path=path) from None


# structural characters and whole string literals; numbers, literals, ":" and blanks are skipped
_JSON_TOKEN = re.compile(r'[{}\[\],]|"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_JSON_STRING_STOP = re.compile(r'["\\]')
_JSON_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}

JsonPath = tuple[str | int, ...]


def _json_string_literals(src: str) -> dict[JsonPath, int]:
    """Offset of the opening quote of every string VALUE in valid JSON, keyed by its path.

    A scan of the source that tracks the path, so equal strings at different places are told
    apart; with duplicate keys the last one wins, as in json.loads.
    """
    literals: dict[JsonPath, int] = {}
    in_object: list[bool] = []
    path: list[str | int] = []
    expect_key = False
    for m in _JSON_TOKEN.finditer(src):
        token = m.group()
        c = token[0]
        if c == '"':
            if in_object and in_object[-1] and expect_key:
                path[-1] = json.loads(token) if "\\" in token else token[1:-1]
                expect_key = False
            else:
                literals[tuple(path)] = m.start()
        elif c == "{":
            in_object.append(True)
            path.append("")
            expect_key = True
        elif c == "[":
            in_object.append(False)
            path.append(0)
        elif c in "}]":
            if in_object:
                in_object.pop()
                path.pop()
            expect_key = False
        elif in_object and in_object[-1]:  # ","
            expect_key = True
        elif path:
            last = path[-1]
            path[-1] = last + 1 if isinstance(last, int) else last
    return literals


def _decode_json_string(src: str, quote: int) -> tuple[str, array[int]]:
    """Decode the JSON string literal whose opening quote is src[quote], with its offset map:
    each character maps to its own offset, or to the backslash of its escape sequence."""
    out = _Map()
    i = quote + 1
    while True:
        m = _JSON_STRING_STOP.search(src, i)
        if m is None:
            raise ValueError("unterminated string")
        j = m.start()
        if j > i:
            out.run(src[i:j], i)
        if src[j] == '"':
            break
        esc = src[j + 1]
        if esc == "u":
            code = int(src[j + 2 : j + 6], 16)
            end = j + 6
            if 0xD800 <= code < 0xDC00 and src.startswith("\\u", end):
                low = int(src[end + 2 : end + 6], 16)
                if 0xDC00 <= low < 0xE000:
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    end += 6
            out.add(chr(code), j, end)
            i = end
        else:
            out.add(_JSON_ESCAPES[esc], j, j + 2)
            i = j + 2
    return out.finish(quote + 1)


_JsonItems = list[tuple[JsonPath, dict[str, Any]]]


def _json_items(data: Any, containers: Sequence[JsonPath]) -> _JsonItems:
    """The candidate reply objects: the elements of the first container found (a list, or a
    single object), else the elements of a top-level list, else the top-level object itself."""
    if isinstance(data, list):
        return [((i,), item) for i, item in enumerate(data) if isinstance(item, dict)]
    if not isinstance(data, dict):
        return []
    for container in containers:
        node: Any = data
        for key in container:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, list):
            return [((*container, i), item) for i, item in enumerate(node) if isinstance(item, dict)]
        if isinstance(node, dict):
            return [(container, node)]
    return [((), data)]


def _zendesk_ok(item: dict[str, Any]) -> bool:
    actions = item.get("actions")
    return isinstance(actions, list) and any(isinstance(a, dict) and "field" in a for a in actions)


def _gorgias_ok(item: dict[str, Any]) -> bool:
    actions = item.get("actions")
    return isinstance(actions, list) and any(
        isinstance(a, dict) and "name" in a and isinstance(a.get("arguments"), dict) for a in actions
    )


def _helpscout_ok(item: dict[str, Any]) -> bool:
    return "name" in item and isinstance(item.get("text"), str)


def _freshdesk_ok(item: dict[str, Any]) -> bool:
    return "title" in item and (isinstance(item.get("content"), str) or isinstance(item.get("content_html"), str))


def _intercom_ok(item: dict[str, Any]) -> bool:
    return "name" in item and "actions" not in item and (
        isinstance(item.get("body"), str) or isinstance(item.get("body_text"), str)
    )


# (value path inside the item, field name, is HTML: True, False, or None = if it has markup)
_Field = tuple[JsonPath, str, bool | None]


def _zendesk_fields(item: dict[str, Any]) -> Iterator[_Field]:
    for k, action in enumerate(item.get("actions") or ()):
        if not isinstance(action, dict):
            continue
        name = action.get("field")
        if name not in ("comment_value", "comment_value_html"):
            continue
        value = action.get("value")
        is_html = name == "comment_value_html"
        if isinstance(value, str):
            yield ("actions", k, "value"), name, is_html
        elif isinstance(value, list) and value and isinstance(value[-1], str):  # [channel, text]
            yield ("actions", k, "value", len(value) - 1), name, is_html


def _gorgias_fields(item: dict[str, Any]) -> Iterator[_Field]:
    for k, action in enumerate(item.get("actions") or ()):
        if not isinstance(action, dict) or action.get("name") != "setResponseText":
            continue
        args = action.get("arguments")
        if not isinstance(args, dict):
            continue
        for key, is_html in (("body_text", False), ("body_html", True)):
            if isinstance(args.get(key), str):
                yield ("actions", k, "arguments", key), key, is_html


def _keys_fields(*keys: tuple[str, bool | None]) -> Callable[[dict[str, Any]], Iterator[_Field]]:
    def fields(item: dict[str, Any]) -> Iterator[_Field]:
        for key, is_html in keys:
            if isinstance(item.get(key), str):
                yield (key,), key, is_html

    return fields


@dataclasses.dataclass(frozen=True)
class _JsonFormat:
    name: str
    label: str
    containers: tuple[JsonPath, ...]
    accepts: Callable[[dict[str, Any]], bool]
    fields: Callable[[dict[str, Any]], Iterator[_Field]]
    title_keys: tuple[str, ...]


_JSON_SHAPES: tuple[_JsonFormat, ...] = (
    _JsonFormat("zendesk-macros", "Zendesk macros", (("macros",), ("macro",)),
                _zendesk_ok, _zendesk_fields, ("title", "raw_title", "id")),
    _JsonFormat("gorgias-macros", "Gorgias macros", (("data",), ("macros",)),
                _gorgias_ok, _gorgias_fields, ("name", "id")),
    _JsonFormat("helpscout-saved-replies", "Help Scout saved replies",
                (("saved-replies",), ("savedReplies",), ("saved_replies",),
                 ("_embedded", "saved-replies"), ("_embedded", "savedReplies")),
                _helpscout_ok, _keys_fields(("text", None)), ("name", "id")),
    _JsonFormat("freshdesk-canned-responses", "Freshdesk canned responses",
                (("canned_responses",), ("cannedResponses",)),
                _freshdesk_ok, _keys_fields(("content", False), ("content_html", True)), ("title", "id")),
    _JsonFormat("intercom-macros", "Intercom macros", (("data",), ("macros",)),
                _intercom_ok, _keys_fields(("body", None), ("body_text", False)), ("name", "id")),
)
_JSON_SHAPE_BY_NAME = {shape.name: shape for shape in _JSON_SHAPES}


def _json_shape(data: Any) -> str | None:
    for shape in _JSON_SHAPES:
        if any(shape.accepts(item) for _, item in _json_items(data, shape.containers)):
            return shape.name
    return None


def _json_path_text(path: JsonPath) -> str:
    parts = ["$"]
    for key in path:
        if isinstance(key, int):
            parts.append(f"[{key}]")
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            parts.append(f".{key}")
        else:
            parts.append(f"[{json.dumps(key, ensure_ascii=False)}]")
    return "".join(parts)


def _json_segment(content: str, source: _Source, literals: dict[JsonPath, int], path: JsonPath,
                  value: str, reply_id: str, field: str | None, mode: Mode | None,
                  is_html: bool | None) -> tuple[int, Segment] | None:
    if not value.strip():
        return None
    quote = literals.get(path)
    text: str
    offsets: array[int]
    try:
        if quote is None:
            raise ValueError("string literal not found")
        text, offsets = _decode_json_string(content, quote)
        if text != value:
            raise ValueError("decoded string differs")
    except (ValueError, IndexError, KeyError):  # defensive: should not happen for valid JSON
        quote = quote or 0
        text, offsets = value, array("q", [quote] * (len(value) + 1))
    if is_html or (is_html is None and _looks_like_html(text)):
        stripped, inner = _html_to_text(text)
        if not stripped.strip():
            return None
        text, offsets = stripped, _compose(offsets, inner)
    return quote, Segment(text, reply_id, field, mode, source, 0, offsets)


def _reply_title(item: dict[str, Any], keys: Sequence[str]) -> str | None:
    for key in keys:
        title = item.get(key)
        if isinstance(title, str) and title.strip():
            return title
        if isinstance(title, int) and not isinstance(title, bool):
            return str(title)
    return None


def _extract_json(path: str, content: str, source: _Source, data: Any, fmt: str,
                  *, forced: bool) -> list[Segment]:
    literals = _json_string_literals(content)
    found: list[tuple[int, Segment]] = []
    if fmt == "json-unknown":
        stack: list[tuple[JsonPath, Any]] = [((), data)]
        while stack:
            here, node = stack.pop()
            if isinstance(node, dict):
                stack.extend(((*here, k), v) for k, v in node.items())
            elif isinstance(node, list):
                stack.extend(((*here, i), v) for i, v in enumerate(node))
            elif isinstance(node, str) and len(node) > 40 and " " in node:
                field = here[-1] if here and isinstance(here[-1], str) else None
                seg = _json_segment(content, source, literals, here, node, _json_path_text(here),
                                    field, None, None)
                if seg:
                    found.append(seg)
    else:
        shape = _JSON_SHAPE_BY_NAME[fmt]
        items = [(p, item) for p, item in _json_items(data, shape.containers) if shape.accepts(item)]
        if forced and not items:
            raise FormatError(f"{path}: no {shape.label} found in this JSON", path=path)
        for item_path, item in items:
            reply_id = _reply_title(item, shape.title_keys) or _json_path_text(item_path)
            for value_path, field, is_html in shape.fields(item):
                value: Any = item
                for key in value_path:
                    value = value[key]
                seg = _json_segment(content, source, literals, (*item_path, *value_path), value,
                                    reply_id, field, "saved", is_html)
                if seg:
                    found.append(seg)
    found.sort(key=lambda pair: pair[0])
    return [seg for _, seg in found]


# --------------------------------------------------------------------------------------------
# YAML: GitHub saved replies (refined-saved-replies)


def _yaml_mapping_keys(node: yaml.Node) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _yaml_shape_ok(root: yaml.Node | None) -> bool:
    """A list of mappings, at least one with name and body, or a mapping with such `replies:`."""
    if isinstance(root, yaml.MappingNode):
        root = _yaml_mapping_keys(root).get("replies")
    if not isinstance(root, yaml.SequenceNode) or not root.value:
        return False
    items = [_yaml_mapping_keys(item) for item in root.value]
    return all(isinstance(item, yaml.MappingNode) for item in root.value) and any(
        "name" in keys and "body" in keys for keys in items
    )


_YAML_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029",
}
_YAML_HEX_WIDTH = {"x": 2, "u": 4, "U": 8}


def _yaml_flow(src: str, start: int, end: int, style: str | None) -> tuple[str, array[int]]:
    """Decode a plain, single- or double-quoted scalar at src[start:end] (line folding,
    trimming, escapes) with its offset map."""
    out = _Map()
    quoted = style in ("'", '"')
    i, stop = (start + 1, end - 1) if quoted else (start, end)
    keep = 0  # characters before this index came from escapes: never trimmed
    while i < stop:
        c = src[i]
        if c in "\r\n":
            while len(out) > keep and out.chars[-1] in " \t":
                out.pop()
            breaks: list[int] = []
            while i < stop and src[i] in "\r\n":
                breaks.append(i)
                i += 2 if src.startswith("\r\n", i) else 1
                while i < stop and src[i] in " \t":
                    i += 1
            if len(breaks) == 1:
                out.add(" ", breaks[0], breaks[0] + 1)
            else:
                for b in breaks[1:]:
                    out.add("\n", b, b + 1)
            continue
        if style == '"' and c == "\\":
            esc = src[i + 1]
            if esc in "\r\n":  # escaped line break: joined without a space
                i += 3 if src.startswith("\r\n", i + 1) else 2
                while i < stop and src[i] in " \t":
                    i += 1
            elif esc in _YAML_HEX_WIDTH:
                width = _YAML_HEX_WIDTH[esc]
                out.add(chr(int(src[i + 2 : i + 2 + width], 16)), i, i + 2 + width)
                i += 2 + width
            else:
                out.add(_YAML_ESCAPES[esc], i, i + 2)
                i += 2
            keep = len(out)
            continue
        if style == "'" and c == "'":  # a doubled quote
            out.add("'", i, i + 2)
            i += 2
            continue
        out.run(c, i)
        i += 1
    return out.finish(i)


_BLOCK_HEADER = re.compile(r"[|>](?:([1-9])[+-]?|[+-]([1-9])?)?")


def _yaml_literal(src: str, start: int, end: int, value: str, parent_indent: int) -> tuple[str, array[int]] | None:
    """Exact map of a literal block scalar (`|`) whose indicator is src[start]: content lines
    map to file lines shifted by the block's indentation; None if the layout is not understood."""
    header_end = src.find("\n", start)
    if header_end < 0 or header_end >= end:
        return None
    header = _BLOCK_HEADER.match(src, start)
    digit = (header.group(1) or header.group(2)) if header else None
    lines: list[tuple[int, str]] = []  # (line start, line without its line break)
    pos = header_end + 1
    while pos < end:
        nl = src.find("\n", pos)
        line_end = len(src) if nl < 0 else nl
        lines.append((pos, src[pos:line_end]))
        pos = line_end + 1
    if digit:
        indent = parent_indent + int(digit)
    else:
        first = next((line for _, line in lines if line.strip(" \r")), "")
        indent = len(first) - len(first.lstrip(" "))
    out = _Map()
    for line_start, line in lines:
        body = line[:-1] if line.endswith("\r") else line
        if len(body) > indent:
            if body[:indent].strip(" "):
                break  # less indented: the block ended
            out.run(body[indent:], line_start + indent)
        out.add("\n", line_start + len(body), line_start + len(body) + 1)
    if "".join(out.chars[: len(value)]) != value:
        return None
    return out.finish(header_end + 1, len(value))


def _yaml_greedy(value: str, src: str, lo: int, hi: int) -> tuple[str, array[int]] | None:
    """Align each character of `value` with the next equal character of src[lo:hi] (a line
    break may stand for a folded space or newline); None if some character is not found."""
    out = _Map()
    j = lo
    for ch in value:
        while j < hi:
            s = src[j]
            if s == ch or (s in "\r\n" and ch in " \n"):
                break
            j += 1
        else:
            return None
        width = 2 if src.startswith("\r\n", j) and ch in " \n" else 1
        out.add(ch, j, j + width)
        j += width
    return out.finish(lo)


def _yaml_scalar_map(src: str, node: yaml.ScalarNode, parent_indent: int) -> tuple[str, array[int]]:
    """The value of a YAML scalar and its offset map into `src`.

    Literal block scalars (`|`, the common case for reply bodies) and single-line or multi-line
    plain, single-quoted and double-quoted scalars are mapped exactly (double-quoted escapes map
    to their backslash). Folded block scalars (`>`), and literal blocks whose layout is not
    understood, are mapped by aligning the value with the source character by character, which
    may put a space that stands for a folded line break at that line break. When nothing fits,
    the mapping is best effort: every character maps to the start of the value.
    """
    value = node.value
    start, end = node.start_mark.index, node.end_mark.index
    result: tuple[str, array[int]] | None = None
    try:
        if node.style in ("|", ">"):
            if node.style == "|":
                result = _yaml_literal(src, start, end, value, parent_indent)
            if result is None:
                nl = src.find("\n", start)
                result = _yaml_greedy(value, src, end if nl < 0 else nl + 1, end)
        else:
            result = _yaml_flow(src, start, end, node.style)
            if result[0] != value:
                result = _yaml_greedy(value, src, start, end) if node.style != '"' else None
    except (IndexError, ValueError, KeyError):
        result = None
    if result is None or result[0] != value:
        result = value, array("q", [start] * (len(value) + 1))
    return result


def _yaml_error(path: str, error: yaml.YAMLError) -> FormatError:
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        what = error.problem or error.context or "syntax error"
        if mark is not None:
            line, col = mark.line + 1, mark.column + 1
            return FormatError(f"{path}:{line}:{col}: invalid YAML: {what}", path=path, line=line, column=col)
        return FormatError(f"{path}: invalid YAML: {what}", path=path)
    return FormatError(f"{path}: invalid YAML: {error}", path=path)


def _extract_github_yaml(path: str, content: str, source: _Source) -> list[Segment]:
    try:
        root = yaml.compose(content, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        raise _yaml_error(path, e) from None
    except RecursionError:
        raise FormatError(f"{path}: invalid YAML: nested too deeply", path=path) from None
    if root is None:
        return []

    def bad(node: yaml.Node, what: str) -> FormatError:
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        return FormatError(f"{path}:{line}:{col}: {what}", path=path, line=line, column=col)

    replies: yaml.Node = root
    if isinstance(root, yaml.MappingNode):
        found = next((v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "replies"), None)
        if found is None:
            raise bad(root, "saved replies: expected a list of {name, body} or a mapping with 'replies:'")
        replies = found
    if not isinstance(replies, yaml.SequenceNode):
        raise bad(replies, "saved replies: expected a list of {name, body}")
    segments = []
    for k, item in enumerate(replies.value):
        if not isinstance(item, yaml.MappingNode):
            raise bad(item, f"saved reply {k + 1}: expected a mapping with 'name' and 'body'")
        fields = {key.value: (key, val) for key, val in item.value if isinstance(key, yaml.ScalarNode)}
        if "body" not in fields:
            raise bad(item, f"saved reply {k + 1}: missing 'body'")
        key_node, body = fields["body"]
        if not isinstance(body, yaml.ScalarNode):
            raise bad(body, f"saved reply {k + 1}: 'body' must be text")
        name = fields.get("name", (None, None))[1]
        reply_id = name.value if isinstance(name, yaml.ScalarNode) and name.value.strip() else f"replies[{k}]"
        if not body.value.strip():
            continue
        text, offsets = _yaml_scalar_map(content, body, key_node.start_mark.column)
        segments.append(Segment(text, reply_id, "body", "saved", source, 0, offsets))
    return segments
