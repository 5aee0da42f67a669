"""JSON Schemas for what tonecheck reads and writes: the configuration (tonecheck.toml as JSON
data) and the JSON output of `tonecheck check --format json`. Generated from the models, so
they cannot drift; `tonecheck docs` writes them to docs/schemas."""

from __future__ import annotations

from typing import Any

from .._config import Config
from .._types import Finding
from .json_format import JSON_FORMAT_VERSION


def config_schema() -> dict[str, Any]:
    schema = Config.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "tonecheck configuration", **schema}


def output_schema() -> dict[str, Any]:
    finding = Finding.model_json_schema()
    definitions = finding.pop("$defs", {})
    finding["properties"]["reply_id"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    finding["properties"]["language"] = {"type": "string", "description": "the reply's language (en, ru, ...)"}
    finding["required"] = [*finding.get("required", []), "reply_id", "language"]
    definitions["Finding"] = finding
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "tonecheck check --format json",
        "type": "object",
        "required": ["version", "files"],
        "properties": {
            "version": {"const": JSON_FORMAT_VERSION},
            "files": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["path", "findings"],
                    "properties": {
                        "path": {"type": "string"},
                        "findings": {"type": "array", "items": {"$ref": "#/$defs/Finding"}},
                        "replies": {
                            "type": "array",
                            "description": "each reply of the file: its language, and notes on the whole "
                            "reply (not checked: no rules for <language>)",
                            "items": {
                                "type": "object",
                                "required": ["reply_id", "language", "notes"],
                                "properties": {
                                    "reply_id": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                                    "language": {"type": "string"},
                                    "notes": {"type": "array", "items": {"type": "string"}},
                                },
                            },
                        },
                    },
                },
            },
            "errors": {
                "type": "array",
                "description": "files that could not be linted (a broken export, a missing path): the "
                "run's exit code is 2, and each is also one line on standard error",
                "items": {
                    "type": "object",
                    "required": ["path", "message", "line", "column"],
                    "properties": {
                        "path": {"type": "string"},
                        "message": {"type": "string"},
                        "line": {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "null"}]},
                        "column": {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "null"}]},
                    },
                },
            },
        },
        "$defs": definitions,
    }


def rules_schema() -> dict[str, Any]:
    """`tonecheck rules --format json` and `tonecheck rule --all --format json` (an array of
    these), `tonecheck rule CODE --format json` (one)."""
    from .._types import CATEGORIES, CUSTOM_CATEGORY_PATTERN

    text = {"type": "string"}
    texts = {"type": "array", "items": text}
    count = {"type": "integer", "minimum": 0}
    share = {"anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, {"type": "null"}]}
    rule = {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "code",
            "name",
            "category",
            "severity",
            "status",
            "kind",
            "language",
            "message",
            "why",
            "fix",
            "fix_availability",
            "fixes",
            "modes",
            "channels",
            "examples",
            "measured",
        ],
        "properties": {
            "code": {"type": "string", "pattern": r"^[A-Z]{3}\d{3}$"},
            "name": text,
            "category": {
                "type": "string",
                "description": "one of the five built-in categories ("
                + ", ".join(CATEGORIES)
                + "), suppression (TON100), or a category a team's rule pack declares",
                "pattern": CUSTOM_CATEGORY_PATTERN,
            },
            "severity": {"enum": ["info", "warning", "error"]},
            "status": {"enum": ["stable", "preview"]},
            "kind": text,
            "language": {
                "anyOf": [text, {"type": "null"}],
                "description": "the language of the replies it checks; null for a tool rule (every language)",
            },
            "message": {**text, "description": "what a finding says, its slots shown as …"},
            "why": text,
            "fix": {**text, "description": "what to do"},
            "fix_availability": {
                "enum": ["sometimes", "never"],
                "description": "sometimes: a finding may carry a fix --fix (or --fix --unsafe-fixes) applies",
            },
            "fixes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["title", "kind", "applicability", "applied_by"],
                    "properties": {
                        "title": text,
                        "kind": {"enum": ["rewrite", "suggestion", "advice"]},
                        "applicability": {"enum": ["safe", "unsafe", "display-only"]},
                        "applied_by": {"enum": ["--fix", "--fix --unsafe-fixes", None]},
                    },
                },
            },
            "modes": {"type": "array", "items": {"enum": ["draft", "saved"]}},
            "channels": {"type": "array", "items": {"enum": ["email", "chat", "social"]}},
            "examples": {
                "type": "object",
                "additionalProperties": False,
                "required": ["flag", "pass", "mode", "context"],
                "properties": {
                    "flag": texts,
                    "pass": texts,
                    "mode": {"enum": ["draft", "saved"]},
                    "context": {"type": "object", "additionalProperties": text},
                },
            },
            "measured": {
                "description": "from rules/measured.json; null for a rule of the team's own or a tool rule",
                "anyOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "required": [
                            "real_judged",
                            "real_correct",
                            "real_precision",
                            "real_fired",
                            "holdout_findings",
                            "holdout_correct",
                            "holdout_precision",
                            "summary",
                        ],
                        "properties": {
                            "real_judged": count,
                            "real_correct": count,
                            "real_precision": share,
                            "real_fired": count,
                            "holdout_findings": count,
                            "holdout_correct": count,
                            "holdout_precision": share,
                            "summary": text,
                        },
                    },
                ],
            },
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "tonecheck rules --format json, tonecheck rule --format json",
        "anyOf": [{"type": "array", "items": {"$ref": "#/$defs/Rule"}}, {"$ref": "#/$defs/Rule"}],
        "$defs": {"Rule": rule},
    }


def schemas() -> dict[str, dict[str, Any]]:
    return {
        "config.schema.json": config_schema(),
        "output.schema.json": output_schema(),
        "rules.schema.json": rules_schema(),
    }
