"""Segments: the replies inside a file, and where each character came from."""

from __future__ import annotations

import dataclasses
import json
import re
from array import array
from collections.abc import Sequence

from .._text import LineIndex
from .._types import Mode

# the source of one decoded character: a JSON escape (a surrogate pair counts once) or an HTML entity
_ESCAPE_AT = re.compile(
    r"\\u[0-9a-fA-F]{4}(?:\\u[0-9a-fA-F]{4})?|\\.|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?"
)


# a file's line index: built once, shared by the file's segments
_Source = LineIndex


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
    # How text written into the file at this segment must be escaped, innermost first: "html"
    # (entities for & < >), "json" (a JSON string's escapes); None: fixes are not written back
    # into this format (read-only)
    escapes: tuple[str, ...] | None = dataclasses.field(default=(), repr=False, compare=False)
    # the reply's stable id in its export (a Zendesk macro's "id"), which survives renaming its title
    export_id: str | None = dataclasses.field(default=None, repr=False, compare=False)

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

    @property
    def lines(self) -> LineIndex:
        """The line index of the file the segment came from."""
        assert self._source is not None  # set by __post_init__
        return self._source

    def source_end(self, end: int) -> int:
        """The offset in the original content just after the source of text[end - 1]: where a
        span that ends at `end` (exclusive) ends in the file. Unlike source_offset(end), this does
        not reach over markup that follows the span (an HTML tag after the last word)."""
        if end <= 0 or end == len(self.text) or self._offsets is None:
            return self.source_offset(end)
        start = self.source_offset(end - 1)
        escape = _ESCAPE_AT.match(self.lines.text, start, self.source_offset(end))
        return start + (len(escape.group()) if escape else 1)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The span text[start:end] in the original content (an empty span stays empty)."""
        source_start = self.source_offset(start)
        return source_start, (self.source_end(end) if end > start else source_start)

    def encode(self, text: str) -> str:
        """`text` as it must be written into the file at this segment (see `escapes`)."""
        for escape in self.escapes or ():
            if escape == "html":
                text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            elif escape == "json":
                text = json.dumps(text, ensure_ascii=self.lines.text.isascii())[1:-1]
        return text

    def contiguous(self, start: int, end: int) -> bool:
        """Whether text[start:end] comes from one unbroken stretch of the file (no tag, comment
        or line-break markup between its characters), so that replacing that stretch replaces
        exactly these characters."""
        return all(self.source_end(i + 1) == self.source_offset(i + 1) for i in range(start, end - 1))

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the original file of text[offset]; offset == len(text) is
        allowed and gives the position just after the last character's source."""
        return self.lines.position(self.source_offset(offset))

    def end_position(self, end: int) -> tuple[int, int]:
        """1-based (line, column) just after the source of text[end - 1] (see `source_end`)."""
        return self.lines.position(self.source_end(end))


class _Map:
    """Builds a text together with, per character, its source start and end offsets."""

    __slots__ = ("chars", "ends", "starts")

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
