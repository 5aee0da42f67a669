"""The OpenAPI 3.1 description of the service, built from the same pydantic models that
validate the requests, so the two cannot drift apart."""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from .._version import __version__
from .schemas import CheckRequest, CheckResponse, ErrorOut, FixRequest, FixResponse, Health, RuleOut
from .settings import ServeSettings


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json_body(name: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}


def _answer(name: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(name)}}}


def openapi_document(settings: ServeSettings) -> dict[str, Any]:
    models = [
        (m, "validation" if m in (CheckRequest, FixRequest) else "serialization")
        for m in (CheckRequest, FixRequest, CheckResponse, FixResponse, RuleOut, ErrorOut, Health)
    ]
    _, schema = models_json_schema(models, ref_template="#/components/schemas/{model}")  # type: ignore[arg-type]
    errors = {
        "400": _answer("ErrorOut", "invalid JSON or UTF-8"),
        "401": _answer("ErrorOut", "an API key is required"),
        "413": _answer("ErrorOut", f"the body is over {settings.max_body_bytes:,} bytes"),
        "422": _answer(
            "ErrorOut",
            "a field is missing, unknown or of the wrong type (`field` names it), "
            f"or the text is over {settings.max_text_chars:,} characters",
        ),
        "503": _answer("ErrorOut", f"the check ran over the time limit ({settings.request_timeout:g} s)"),
    }
    lt_form = {
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "data": {"type": "string", "description": "annotated text (JSON)"},
                        "language": {"type": "string", "examples": ["en-US", "auto"]},
                        "enabledRules": {"type": "string"},
                        "disabledRules": {"type": "string"},
                        "enabledCategories": {"type": "string"},
                        "disabledCategories": {"type": "string"},
                        "enabledOnly": {"type": "string", "enum": ["true", "false"]},
                        "apiKey": {"type": "string"},
                    },
                }
            }
        }
    }
    security: list[dict[str, list[str]]] = [{"bearer": []}]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "tonecheck",
            "version": __version__,
            "description": "Lint a customer-support reply before it is sent; the gate says block, warn or pass.",
        },
        "components": {
            "schemas": schema.get("$defs", {}),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "paths": {
            "/v1/check": {
                "post": {
                    "summary": "Check a draft: findings and the gate's verdict",
                    "security": security,
                    "requestBody": _json_body("CheckRequest"),
                    "responses": {"200": _answer("CheckResponse", "findings and verdict"), **errors},
                }
            },
            "/v1/fix": {
                "post": {
                    "summary": "Apply safe fixes (and, with unsafe, tone rewrites): new text, edits, what remains",
                    "security": security,
                    "requestBody": _json_body("FixRequest"),
                    "responses": {"200": _answer("FixResponse", "the fixed text"), **errors},
                }
            },
            "/v1/rules": {
                "get": {
                    "summary": "Every rule of the configuration's rule set",
                    "security": security,
                    "parameters": [
                        {
                            "name": "enabled",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string", "enum": ["true", "false"]},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "{rules: [Rule]}",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "rules": {"type": "array", "items": _ref("RuleOut")},
                                            "version": {"type": "string"},
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            },
            "/v1/rules/{code}": {
                "get": {
                    "summary": "One rule, by code or name",
                    "security": security,
                    "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"200": _answer("RuleOut", "the rule"), "404": _answer("ErrorOut", "no such rule")},
                }
            },
            "/v1/profiles": {
                "get": {
                    "summary": "The gate's named profiles",
                    "security": security,
                    "responses": {"200": {"description": "{profiles: [...]}"}},
                }
            },
            "/v2/check": {
                "post": {
                    "summary": "LanguageTool-compatible check (offsets in UTF-16 code units)",
                    "requestBody": lt_form,
                    "responses": {
                        "200": {"description": "LanguageTool's response shape"},
                        "400": {"description": "a bad parameter (plain text)"},
                    },
                }
            },
            "/v2/languages": {
                "get": {
                    "summary": "LanguageTool-compatible list of languages",
                    "responses": {"200": {"description": "[{name, code, longCode}]"}},
                }
            },
            "/healthz": {
                "get": {"summary": "Liveness: the engine is built", "responses": {"200": _answer("Health", "ok")}}
            },
            "/metrics": {
                "get": {
                    "summary": "Prometheus metrics",
                    "security": security,
                    "responses": {"200": {"description": "text format 0.0.4"}},
                }
            },
            "/": {"get": {"summary": "The composer page", "responses": {"200": {"description": "HTML"}}}},
        },
    }
