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


def schemas() -> dict[str, dict[str, Any]]:
    return {"config.schema.json": config_schema(), "output.schema.json": output_schema()}
