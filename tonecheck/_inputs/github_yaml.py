"""GitHub saved replies in YAML (refined-saved-replies), with exact positions in block scalars."""

from __future__ import annotations

import re
from array import array

import yaml

from .._exceptions import FormatError
from .segment import Segment, _Map, _Source

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
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
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
        named = isinstance(name, yaml.ScalarNode) and name.tag != "tag:yaml.org,2002:null" and name.value.strip()
        reply_id = name.value if named and name is not None else f"replies[{k}]"  # `name: null` is no name
        if not body.value.strip():
            continue
        text, offsets = _yaml_scalar_map(content, body, key_node.start_mark.column)
        segments.append(Segment(text, reply_id, "body", "saved", source, 0, offsets, None))  # read-only
    return segments
