"""HTML to text, with an exact map from each text character to its source."""

from __future__ import annotations

import re
from array import array
from html.entities import html5 as _HTML5_ENTITIES

from .markup import _is_directive
from .segment import _Map

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
