"""JSON helpdesk exports: a string-literal scanner, a decoder and the table of export shapes."""

from __future__ import annotations

import dataclasses
import json
import re
from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .._exceptions import FormatError
from .._types import Mode
from .html import _html_to_text, _looks_like_html
from .segment import Segment, _compose, _Map, _Source

# --------------------------------------------------------------------------------------------
# JSON


def _load_json(path: str, content: str) -> Any:
    start = 1 if content.startswith("\ufeff") else 0
    try:
        # a number too long for int() (Python's 4,300-digit limit) is kept as its digits: numbers
        # are never reply text, and one must not make the export unreadable
        return json.loads(content[start:] if start else content, parse_int=_parse_int)
    except json.JSONDecodeError as e:
        line, col = _Source(content).position(e.pos + start)
        problem = _json_problem(e, content[start:] if start else content)
        raise FormatError(f"{path}:{line}:{col}: invalid JSON: {problem}", path=path, line=line, column=col) from None
    except RecursionError:
        raise FormatError(f"{path}: invalid JSON: nested too deeply", path=path) from None


def _json_problem(error: json.JSONDecodeError, text: str) -> str:
    """What is wrong, in whole words, and what to do: the parser's own message ends in " at"
    where its position is cut off ("Invalid control character at")."""
    message = error.msg.removesuffix(" at").strip()
    if message.startswith("Invalid control character") and error.pos < len(text):
        code = ord(text[error.pos])
        return (
            f"a raw control character (U+{code:04X}) inside a string; JSON needs it escaped as \\u{code:04x}: "
            "re-export the file, or replace the character"
        )
    return message + "; fix the file or export it again"


def _parse_int(digits: str) -> int | str:
    return int(digits) if len(digits) <= 4000 else digits


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
    return (
        "name" in item
        and "actions" not in item
        and (isinstance(item.get("body"), str) or isinstance(item.get("body_text"), str))
    )


def _false(value: Any) -> bool:
    return value is False or (isinstance(value, str) and value.strip().lower() == "false")


def _true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _internal_note(item: dict[str, Any]) -> bool:
    """An item that is an internal note, never sent to a customer: a Zendesk macro that sets
    `comment_mode_is_public` to false, or an item marked as a note (`"type": "note"`, Intercom's
    and Help Scout's note types) or as internal or private."""
    for action in item.get("actions") or ():
        if isinstance(action, dict) and action.get("field") == "comment_mode_is_public" and _false(action.get("value")):
            return True
    kind = item.get("type")
    if isinstance(kind, str) and kind.strip().lower() in ("note", "internal_note", "internal-note", "private_note"):
        return True
    return any(_true(item.get(key)) for key in ("internal", "is_internal", "private", "is_private")) or any(
        _false(item.get(key)) for key in ("public", "is_public")
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
    _JsonFormat(
        "zendesk-macros",
        "Zendesk macros",
        (("macros",), ("macro",)),
        _zendesk_ok,
        _zendesk_fields,
        ("title", "raw_title", "id"),
    ),
    _JsonFormat(
        "gorgias-macros", "Gorgias macros", (("data",), ("macros",)), _gorgias_ok, _gorgias_fields, ("name", "id")
    ),
    _JsonFormat(
        "helpscout-saved-replies",
        "Help Scout saved replies",
        (
            ("saved-replies",),
            ("savedReplies",),
            ("saved_replies",),
            ("_embedded", "saved-replies"),
            ("_embedded", "savedReplies"),
        ),
        _helpscout_ok,
        _keys_fields(("text", None)),
        ("name", "id"),
    ),
    _JsonFormat(
        "freshdesk-canned-responses",
        "Freshdesk canned responses",
        (("canned_responses",), ("cannedResponses",)),
        _freshdesk_ok,
        _keys_fields(("content", False), ("content_html", True)),
        ("title", "id"),
    ),
    _JsonFormat(
        "intercom-macros",
        "Intercom macros",
        (("data",), ("macros",)),
        _intercom_ok,
        _keys_fields(("body", None), ("body_text", False)),
        ("name", "id"),
    ),
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


def _json_segment(
    content: str,
    source: _Source,
    literals: dict[JsonPath, int],
    path: JsonPath,
    value: str,
    reply_id: str,
    field: str | None,
    mode: Mode | None,
    is_html: bool | None,
) -> tuple[int, Segment] | None:
    if not value.strip():
        return None
    quote = literals.get(path)
    mapped = True  # every character knows its place in the file
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
        mapped = False
    escapes: tuple[str, ...] = ("json",)
    if is_html or (is_html is None and _looks_like_html(text)):
        stripped, inner = _html_to_text(text)
        if not stripped.strip():
            return None
        text, offsets = stripped, _compose(offsets, inner)
        escapes = ("html", "json")
    return quote, Segment(text, reply_id, field, mode, source, 0, offsets, escapes if mapped else None)


def _reply_title(item: dict[str, Any], keys: Sequence[str]) -> str | None:
    for key in keys:
        title = item.get(key)
        if isinstance(title, str) and title.strip():
            return title
        if isinstance(title, int) and not isinstance(title, bool):
            return str(title)
    return None


def _extract_json(path: str, content: str, source: _Source, data: Any, fmt: str, *, forced: bool) -> list[Segment]:
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
                seg = _json_segment(content, source, literals, here, node, _json_path_text(here), field, None, None)
                if seg:
                    found.append(seg)
    else:
        shape = _JSON_SHAPE_BY_NAME[fmt]
        items = [(p, item) for p, item in _json_items(data, shape.containers) if shape.accepts(item)]
        if forced and not items:
            raise FormatError(f"{path}: no {shape.label} found in this JSON", path=path)
        items = [(p, item) for p, item in items if not _internal_note(item)]  # never customer text
        for item_path, item in items:
            reply_id = _reply_title(item, shape.title_keys) or _json_path_text(item_path)
            for value_path, field, is_html in shape.fields(item):
                value: Any = item
                for key in value_path:
                    value = value[key]
                seg = _json_segment(
                    content, source, literals, (*item_path, *value_path), value, reply_id, field, "saved", is_html
                )
                if seg:
                    uid = item.get("id")
                    if isinstance(uid, (int, str)) and not isinstance(uid, bool) and str(uid).strip():
                        seg = (seg[0], dataclasses.replace(seg[1], export_id=str(uid).strip()))
                    found.append(seg)
    found.sort(key=lambda pair: pair[0])
    return [seg for _, seg in found]
