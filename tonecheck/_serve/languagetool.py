"""LanguageTool's HTTP API (v2), so LanguageTool clients can use tonecheck as "another server":
the browser extension, the Thunderbird add-on, LTeX and other editor plugins, and libraries such
as language_tool_python.

They send `POST /v2/check` with form fields `text` (or `data`: annotated text, markup to skip),
`language`, and optional enabledRules, disabledRules, enabledCategories, disabledCategories and
enabledOnly; and read `matches[]`. Offsets and lengths are counted in UTF-16 code units, as
LanguageTool (Java) counts them: an emoji before a finding counts two.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Mapping, Sequence
from typing import Any

import regex

from .._types import Finding
from .._version import __version__

CONTEXT_CHARS = 40
LANGUAGES = [
    {"name": "English", "code": "en", "longCode": "en"},
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
    {"name": "English (Australian)", "code": "en", "longCode": "en-AU"},
    {"name": "English (Canadian)", "code": "en", "longCode": "en-CA"},
    {"name": "English (New Zealand)", "code": "en", "longCode": "en-NZ"},
    {"name": "English (South African)", "code": "en", "longCode": "en-ZA"},
]
ISSUE_TYPES = {  # LanguageTool's issue types (from the localisation quality vocabulary)
    "negative-language": "style",
    "passive-aggressive": "register",
    "jargon": "style",
    "template-leftover": "non-conformance",
    "missing-closing": "style",
}
# a run of marks is tried from its first mark only, and read once (possessive): tried from every
# mark of a long run with no blank after it, the plain form was quadratic in the run's length
_SENTENCE_END = regex.compile(r"(?<![.!?])[.!?]++[\"')\]]*+\s+|\n\s*+")
_LANGUAGE_CODE = regex.compile(r"^(auto|[a-z]{2,3}(-[A-Za-z0-9]{2,8})*)$")


class LTError(Exception):
    """LanguageTool answers bad parameters with status 400 and a plain-text message."""


def category_id(category: str) -> str:
    return category.upper().replace("-", "_")


def category_name(category: str) -> str:
    return category.replace("-", " ").capitalize()


class Utf16:
    """Code point offsets of a string to UTF-16 code unit offsets."""

    def __init__(self, text: str) -> None:
        self.astral = [] if text.isascii() else [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def __call__(self, offset: int) -> int:
        return offset + bisect.bisect_left(self.astral, offset) if self.astral else offset


class Annotated:
    """LanguageTool's `data` parameter: {"annotation": [{"text": ...}, {"markup": ..., "interpretAs": ...}]}.
    The plain text is linted; offsets go back into the whole string, markup included."""

    def __init__(self, raw: str) -> None:
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise LTError(f"Error: 'data' is not valid JSON: {exc.msg} at position {exc.pos}") from None
        parts = data.get("annotation") if isinstance(data, dict) else None
        if not isinstance(parts, list):
            raise LTError("Error: 'data' needs an 'annotation' list")
        plain: list[str] = []
        original: list[str] = []
        self.starts: list[int] = []  # plain offset where each piece starts
        self.origins: list[int] = []  # where it starts in the original
        self.lengths: list[int] = []  # its plain length (markup: interpretAs)
        self.literal: list[bool] = []  # text pieces map one to one; markup collapses
        p = o = 0
        for part in parts:
            if not isinstance(part, dict):
                raise LTError("Error: each annotation must be an object")
            if isinstance(part.get("text"), str):
                piece, source, literal = part["text"], part["text"], True
            elif isinstance(part.get("markup"), str):
                source = part["markup"]
                piece, literal = part.get("interpretAs", "") or "", False
                if not isinstance(piece, str):
                    raise LTError("Error: 'interpretAs' must be a string")
            else:
                raise LTError("Error: each annotation needs 'text' or 'markup'")
            self.starts.append(p)
            self.origins.append(o)
            self.lengths.append(len(piece))
            self.literal.append(literal)
            plain.append(piece)
            original.append(source)
            p += len(piece)
            o += len(source)
        self.text = "".join(plain)
        self.original = "".join(original)
        self._end = o

    def to_original(self, offset: int, *, end: bool = False) -> int:
        """A plain-text offset as an offset into the original; an end offset is placed after the
        character before it, so a finding never swallows the markup that follows it."""
        lookup = offset - 1 if end and offset > 0 else offset
        index = max(0, bisect.bisect_right(self.starts, lookup) - 1)
        while index > 0 and self.lengths[index] == 0 and self.starts[index] > lookup:
            index -= 1
        if not self.literal[index]:  # inside what a piece of markup is read as: its whole span
            return self._source_end(index) if end else self.origins[index]
        return self.origins[index] + (lookup - self.starts[index]) + (1 if end and offset > 0 else 0)

    def _source_end(self, index: int) -> int:
        return self.origins[index + 1] if index + 1 < len(self.origins) else self._end


def parse_params(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    params: dict[str, str] = {}
    for key, value in pairs:
        params.setdefault(key, value)
    return params


def selectors(params: Mapping[str, str]) -> tuple[set[str], set[str], set[str], set[str], bool]:
    def listed(name: str) -> set[str]:
        return {item.strip() for item in params.get(name, "").split(",") if item.strip()}

    enabled_only = params.get("enabledOnly", "false").lower() == "true"
    return (
        listed("enabledRules"),
        listed("disabledRules"),
        listed("enabledCategories"),
        listed("disabledCategories"),
        enabled_only,
    )


def wanted(finding: Finding, params: Mapping[str, str]) -> bool:
    enabled_rules, disabled_rules, enabled_cats, disabled_cats, enabled_only = selectors(params)
    category = category_id(finding.category)
    if finding.code in disabled_rules or category in {c.upper().replace("-", "_") for c in disabled_cats}:
        return False
    if enabled_only:
        return finding.code in enabled_rules or category in {c.upper().replace("-", "_") for c in enabled_cats}
    return True


def check_language(params: Mapping[str, str]) -> tuple[str, bool]:
    """The language to report, and whether tonecheck (English only) checks it."""
    language = params.get("language", "auto").strip() or "auto"
    if not _LANGUAGE_CODE.match(language):
        raise LTError(f"Error: '{language}' is not a language code known to LanguageTool")
    return language, language == "auto" or language.split("-")[0].lower() == "en"


def language_block(language: str) -> dict[str, Any]:
    long_code = "en-US" if language in ("auto", "en") else language
    name = next((item["name"] for item in LANGUAGES if item["longCode"] == long_code), long_code)
    return {
        "name": name,
        "code": long_code,
        "detectedLanguage": {"name": name, "code": long_code, "confidence": 1.0 if language != "auto" else 0.9},
    }


def _sentence(text: str, start: int, end: int) -> str:
    begin = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        begin = m.end()
    after = _SENTENCE_END.search(text, end)
    stop = after.start() + len(after.group().rstrip()) if after else len(text)
    return text[begin:stop].strip()


def match(finding: Finding, *, plain: str, original: str, start: int, end: int, utf16: Utf16) -> dict[str, Any]:
    """One finding as a LanguageTool match; `start`/`end` are code point offsets into `original`."""
    lo = max(0, start - CONTEXT_CHARS)
    hi = min(len(original), end + CONTEXT_CHARS)
    window = original[lo:hi]
    prefix = "..." if lo > 0 else ""
    context_text = prefix + window.replace("\n", " ") + ("..." if hi < len(original) else "")
    window16 = Utf16(window)
    # LanguageTool replaces exactly the match: suggestions for the finding's own span (one without
    # a span of its own is for the finding's span); a rewrite that reaches further cannot be offered
    replacements = [
        {"value": s.replacement}
        for s in finding.suggestions
        if s.replacement is not None
        and s.applicability.value != "display-only"
        and (s.start is None or (s.start, s.end) == (finding.start, finding.end))
    ]
    return {
        "message": finding.message,
        "shortMessage": category_name(finding.category),
        "replacements": replacements,
        "offset": utf16(start),
        "length": utf16(end) - utf16(start),
        "context": {
            "text": context_text,
            "offset": len(prefix) + window16(start - lo),
            "length": window16(end - lo) - window16(start - lo),
        },
        "sentence": _sentence(plain, finding.start, finding.end),
        "type": {"typeName": "Hint" if finding.severity.value == "info" else "Other"},
        "rule": {
            "id": finding.code,
            "subId": finding.name,
            "description": finding.name.replace("-", " ").capitalize(),
            "issueType": ISSUE_TYPES.get(finding.category, "style"),
            "category": {"id": category_id(finding.category), "name": category_name(finding.category)},
        },
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
    }


def response(language: str, matches: list[dict[str, Any]], *, incomplete: bool) -> dict[str, Any]:
    return {
        "software": {
            "name": "tonecheck",
            "version": __version__,
            "buildDate": None,
            "apiVersion": 1,
            "premium": False,
            "premiumHint": None,
            "status": "",
        },
        "warnings": {"incompleteResults": incomplete},
        "language": language_block(language),
        "matches": matches,
    }
