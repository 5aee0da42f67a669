"""The ASGI application (Starlette): JSON API v1, the LanguageTool-compatible v2, the composer
page, health and metrics.

Checks run on the worker's event-loop thread, one at a time: they are CPU-bound, so a thread pool
would only add hand-offs, and only the main thread can be interrupted by the request time limit.
Workers (processes) give parallelism.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import time
import urllib.parse
from functools import cache
from importlib import resources
from typing import Any

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .._exceptions import TonecheckError
from .._version import __version__
from . import languagetool as lt
from . import metrics
from .openapi import openapi_document
from .rules import describe, rule_index
from .schemas import CheckRequest, FixRequest
from .service import Deadline, RequestError, Service, startup_failure
from .settings import ServeSettings
from .settings import describe as describe_limits

log = logging.getLogger("tonecheck.serve")
access = logging.getLogger("tonecheck.access")

PUBLIC_PATHS = frozenset({"/", "/healthz", "/openapi.json", "/v2/languages", "/favicon.ico"})
ENDPOINTS = (
    "/v1/check",
    "/v1/fix",
    "/v1/rules",
    "/v1/profiles",
    "/v2/check",
    "/v2/languages",
    "/healthz",
    "/metrics",
    "/openapi.json",
    "/",
)
BODY_READ_SECONDS = 30.0
_METHODS = frozenset({"GET", "POST", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})
RECYCLE_DRAIN_SECONDS = 3.0


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def _error(
    status: int, code: str, message: str, field: str | None = None, headers: dict[str, str] | None = None
) -> Response:
    metrics.labelled(metrics.ERRORS, code).inc()
    return _json({"error": code, "message": message, "field": field}, status, headers)


def _endpoint(path: str) -> str:
    if path in ENDPOINTS:
        return path
    if path.startswith("/v1/rules/"):
        return "/v1/rules/{code}"
    return "other"


class Guard:
    """Pure ASGI middleware, inside CORS: the body limit (read whole, before the app sees it),
    API keys, the access log (method, path without query, status, time: never a draft), request
    metrics, and worker recycling."""

    def __init__(self, app: ASGIApp, service: Service) -> None:
        self.app = app
        self.service = service
        self.limit = service.settings.max_body_bytes
        self.keys = service.api_keys
        self.handled = 0
        self.recycling = False
        self.baseline_kb = _rss_kb()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        path = scope["path"]
        status_holder = [500]

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder[0] = message["status"]
                if self.recycling:  # this worker is about to restart: let the client reconnect elsewhere
                    message["headers"] = [*message.get("headers", []), (b"connection", b"close")]
            await send(message)

        try:
            response = self._refuse(scope)
            if response is None:
                body, response = await self._read_body(scope, receive)
            if response is not None:
                await response(scope, receive, send_wrapper)
            else:
                await self.app(scope, _replay(body), send_wrapper)
        finally:
            elapsed = time.perf_counter() - started
            endpoint = _endpoint(path)
            method = scope["method"] if scope["method"] in _METHODS else "other"  # no label per made-up method
            metrics.labelled(metrics.REQUESTS, endpoint, method, str(status_holder[0])).inc()
            metrics.labelled(metrics.LATENCY, endpoint).observe(elapsed)
            if self.service.settings.access_log:
                access.info("%s %s %d %.1fms", scope["method"], path, status_holder[0], elapsed * 1000)
            self._maybe_recycle()

    def _refuse(self, scope: Scope) -> Response | None:
        if not self.keys or scope["path"] in PUBLIC_PATHS or scope["method"] == "OPTIONS":
            return None
        if scope["path"] == "/v2/check":
            return None  # LanguageTool clients may send the key as the apiKey field: checked there
        given = _bearer(scope)
        if given is not None and valid_key(self.keys, given):
            return None
        return _unauthorized()

    async def _read_body(self, scope: Scope, receive: Receive) -> tuple[bytes, Response | None]:
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            return b"", _too_large(self.limit) if length.isdigit() else _error(
                400, "invalid_request", "Content-Length is not a number"
            )
        chunks: list[bytes] = []
        size = 0
        deadline = time.monotonic() + BODY_READ_SECONDS
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return b"", Response(status_code=499)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                return b"", _too_large(self.limit)
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), None
            if time.monotonic() > deadline:
                return b"", _error(408, "body_timeout", f"the body took over {BODY_READ_SECONDS:.0f} s to arrive")

    def _maybe_recycle(self) -> None:
        self.handled += 1
        settings = self.service.settings
        if self.recycling or self.handled % 64:
            return
        reason = None
        if settings.max_requests and self.handled >= settings.max_requests:
            reason = "requests"
        elif settings.max_memory_growth_mb and (_rss_kb() - self.baseline_kb) > settings.max_memory_growth_mb * 1024:
            reason = "memory"
        if reason is not None and os.environ.get("TONECHECK_SERVE_SUPERVISED"):
            # Drain first: for a while every response says "Connection: close", so clients with a
            # kept-alive connection learn to reconnect (to another worker) after their next answer
            # instead of losing a request to the shutdown; then uvicorn finishes what is in flight
            # and exits, and the supervisor starts a fresh worker.
            self.recycling = True
            metrics.labelled(metrics.RECYCLES, reason).inc()
            log.info(
                "worker %d restarts in %.0f s (%s limit reached); the supervisor starts a fresh one",
                os.getpid(),
                RECYCLE_DRAIN_SECONDS,
                reason,
            )
            import asyncio
            import signal

            _stop_accepting()
            asyncio.get_running_loop().call_later(RECYCLE_DRAIN_SECONDS, os.kill, os.getpid(), signal.SIGTERM)


def _stop_accepting() -> None:
    """Stop taking new connections in this worker (the others, and the one that replaces it, take
    them from the shared socket), so none is accepted only to be closed by the shutdown."""
    import gc

    import uvicorn

    for obj in gc.get_objects():
        if isinstance(obj, uvicorn.Server):
            for server in getattr(obj, "servers", ()):
                server.close()


def valid_key(keys: frozenset[str], given: bytes) -> bool:
    ok = False
    for key in keys:  # compare with every key, each in constant time
        ok |= hmac.compare_digest(key.encode(), given)
    return ok


def _unauthorized() -> Response:
    return _error(
        401,
        "unauthorized",
        "send an API key: Authorization: Bearer <key>",
        headers={"www-authenticate": 'Bearer realm="tonecheck"'},
    )


def _too_large(limit: int) -> Response:
    return _error(413, "body_too_large", f"the request body is over the limit of {limit:,} bytes")


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _bearer(scope: Scope) -> bytes | None:
    value = _header(scope, b"authorization")
    if value and value[:7].lower() == "bearer ":
        return value[7:].strip().encode("latin-1")
    return None


def _rss_kb() -> int:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except (OSError, ValueError):
        return 0


def _parse_json(body: bytes, model: type[CheckRequest]) -> CheckRequest:
    if not body.strip():
        raise RequestError(400, "invalid_json", 'the body is empty; send a JSON object such as {"text": "..."}')
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RequestError(400, "invalid_utf8", f"the body is not valid UTF-8 (byte {exc.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RequestError(
            400, "invalid_json", f"the body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    if not isinstance(data, dict):
        raise RequestError(422, "invalid_request", "the body must be a JSON object", None)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        field = ".".join(str(part) for part in first["loc"]) or None
        message = "unknown field" if first["type"] == "extra_forbidden" else first["msg"]
        raise RequestError(422, "invalid_request", f"{field}: {message}" if field else message, field) from None


def create_app(settings: ServeSettings, service: Service | None = None) -> Starlette:
    service = service or Service(settings)
    page = _page()

    def run(work: Any) -> tuple[Any, list[str]]:
        try:
            return service.limited(work)
        except Deadline:
            raise RequestError(
                503, "timeout", f"the check took longer than the limit of {settings.request_timeout:g} s"
            ) from None
        except TonecheckError as exc:  # a request the library refuses (e.g. bad input)
            raise RequestError(422, "invalid_request", str(exc)) from None

    async def check(request: Request) -> Response:
        req = _parse_json(await request.body(), CheckRequest)
        service.check_text_length(req.text)
        profile = service.profile(req.profile)
        options = service.options(profile, req.channel, req.context, req.ignore)
        report, timed_out = run(
            lambda: service.linter.check(req.text, format=req.format, mode=req.mode, language=req.language, **options)
        )
        body = service.gated(report.findings, profile, timed_out)
        return _json(
            {
                "verdict": body.pop("verdict"),
                "profile": body.pop("profile"),
                "channel": report.channel,
                "language": report.language,
                "notes": list(report.notes),
                "text": report.text,
                **body,
            }
        )

    async def fix(request: Request) -> Response:
        req = _parse_json(await request.body(), FixRequest)
        service.check_text_length(req.text)
        profile = service.profile(req.profile)
        options = service.options(profile, req.channel, req.context, req.ignore)
        result, timed_out = run(
            lambda: service.linter.fix(
                req.text,
                mode=req.mode,
                unsafe=bool(getattr(req, "unsafe", False)),
                language=req.language,
                **options,
            )
        )
        body = service.gated(result.remaining, profile, timed_out)
        return _json(
            {
                "text": result.text,
                "changed": result.changed,
                "edits": [edit.model_dump(mode="json") for edit in result.edits],
                "verdict": body["verdict"],
                "profile": body["profile"],
                "language": result.language,
                "notes": list(result.notes),
                "remaining": body["findings"],
                "counts": body["counts"],
                "incomplete": body["incomplete"],
                "version": __version__,
            }
        )

    rules_json = [describe(rule, service.engine) for rule in rule_index(service.engine).values()]
    by_key = {**{r["name"]: r for r in rules_json}, **{r["code"]: r for r in rules_json}}

    async def rules(request: Request) -> Response:
        enabled = request.query_params.get("enabled")
        listed = [r for r in rules_json if enabled is None or r["enabled"] == (enabled.lower() == "true")]
        return _json({"rules": listed, "version": __version__})

    async def rule(request: Request) -> Response:
        code = request.path_params["code"]
        found = by_key.get(code.upper()) or by_key.get(code)
        if found is None:
            return _error(404, "not_found", f"no rule {code!r}; GET /v1/rules lists them", "code")
        return _json(found)

    async def profiles(request: Request) -> Response:
        return _json(
            {
                "profiles": [
                    {
                        "name": p.name,
                        "default": p.default,
                        "channel": p.channel,
                        "ignore": list(p.ignore),
                        "rules": [r.model_dump(mode="json") for r in p.rules],
                    }
                    for p in service.profiles.values()
                ]
            }
        )

    async def healthz(request: Request) -> Response:
        return _json(
            {
                "status": "ok",
                "version": __version__,
                "rules": len(service.engine.rules),
                "worker": os.getpid(),
                "uptime_seconds": round(time.monotonic() - service.started, 1),
                "limits": describe_limits(settings),
            }
        )

    async def prometheus(request: Request) -> Response:
        data, content_type = metrics.exposition()
        return Response(data, media_type=content_type)

    openapi = openapi_document(settings)

    async def openapi_json(request: Request) -> Response:
        return _json(openapi)

    async def composer(request: Request) -> Response:
        return Response(
            page,
            media_type="text/html; charset=utf-8",
            headers={
                "content-security-policy": "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; "
                "frame-ancestors 'none'",
                "x-content-type-options": "nosniff",
                "referrer-policy": "no-referrer",
                "cache-control": "no-cache",
            },
        )

    async def lt_languages(request: Request) -> Response:
        return _json(lt.LANGUAGES)

    async def lt_check(request: Request) -> Response:
        try:
            params = await _lt_params(request)
            if service.api_keys:
                given = _bearer(request.scope) or params.get("apiKey", "").encode()
                if not given or not valid_key(service.api_keys, given):
                    return _unauthorized()
            language, supported = lt.check_language(params)
            if "data" in params:
                parsed = lt.Annotated(params["data"])
                annotated: lt.Annotated | None = parsed
                plain, original = parsed.text, parsed.original
            elif "text" in params:
                annotated, plain, original = None, params["text"], params["text"]
            else:
                raise lt.LTError("Error: Missing 'text' or 'data' parameter")
        except lt.LTError as exc:
            metrics.labelled(metrics.ERRORS, "invalid_request").inc()
            return Response(str(exc), status_code=400, media_type="text/plain; charset=utf-8")
        service.check_text_length(plain)
        if not supported:
            return _json(lt.response(language, [], incomplete=False))
        profile = service.profile(None)
        options = service.options(profile, None, {}, ())
        report, timed_out = run(lambda: service.linter.check(plain, mode="draft", **options))
        service.gated(report.findings, profile, timed_out)  # counts findings and verdicts in the metrics
        utf16 = lt.Utf16(original)
        matches = []
        for finding in report.findings:
            if not lt.wanted(finding, params):
                continue
            start, end = finding.start, finding.end
            if annotated is not None:
                start, end = annotated.to_original(start), annotated.to_original(end, end=True)
            matches.append(lt.match(finding, plain=plain, original=original, start=start, end=end, utf16=utf16))
        return _json(lt.response(language, matches, incomplete=bool(timed_out)))

    async def request_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestError)
        return _error(exc.status, exc.code, exc.message, exc.field)

    async def internal_error(request: Request, exc: Exception) -> Response:
        # the exception's type only: its message or a traceback's locals could hold the draft
        log.error("internal error on %s: %s", request.url.path, type(exc).__name__)
        return _error(500, "internal", "internal error; the server log names its type")

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        if status == 405:
            return _error(405, "method_not_allowed", f"{request.method} is not allowed on {request.url.path}")
        return _error(404, "not_found", f"no endpoint {request.url.path}; see /openapi.json")

    routes = [
        Route("/", composer, methods=["GET"]),
        Route("/v1/check", check, methods=["POST"]),
        Route("/v1/fix", fix, methods=["POST"]),
        Route("/v1/rules", rules, methods=["GET"]),
        Route("/v1/rules/{code}", rule, methods=["GET"]),
        Route("/v1/profiles", profiles, methods=["GET"]),
        Route("/v2/check", lt_check, methods=["GET", "POST"]),
        Route("/v2/languages", lt_languages, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", prometheus, methods=["GET"]),
        Route("/openapi.json", openapi_json, methods=["GET"]),
    ]

    middleware = [Middleware(CORSMiddleware, **_cors(settings.cors_origins)), Middleware(Guard, service=service)]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={RequestError: request_error, 404: not_found, 405: not_found, Exception: internal_error},
    )
    app.state.service = service
    return app


async def _lt_params(request: Request) -> dict[str, str]:
    pairs = list(request.query_params.multi_items())
    if request.method == "POST":
        body = await request.body()
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if body:
            if content_type not in ("", "application/x-www-form-urlencoded"):
                raise lt.LTError("Error: send the parameters form-encoded (application/x-www-form-urlencoded)")
            try:
                decoded = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise lt.LTError(f"Error: the body is not valid UTF-8 (byte {exc.start})") from None
            pairs.extend(urllib.parse.parse_qsl(decoded, keep_blank_values=True, errors="strict"))
    return lt.parse_params(pairs)


def _cors(origins: tuple[str, ...]) -> dict[str, Any]:
    import re

    exact = [o for o in origins if "*" not in o]
    patterns = [re.escape(o).replace(r"\*", ".*") for o in origins if "*" in o and o != "*"]
    return {
        "allow_origins": ["*"] if "*" in origins else exact,
        "allow_origin_regex": "|".join(f"(?:{p})" for p in patterns) or None,
        "allow_methods": ["GET", "POST"],
        "allow_headers": ["authorization", "content-type"],
        "max_age": 600,
    }


@cache
def _page() -> bytes:
    return resources.files("tonecheck._serve").joinpath("static/composer.html").read_bytes()


def create_app_from_env() -> Starlette:
    """The factory each uvicorn worker calls: settings from the command line (through the
    environment), the engine built and warmed up here, before the worker opens the port."""
    from .logs import configure

    settings = ServeSettings.from_env()
    configure(settings.log_level)
    try:
        return create_app(settings)
    except (TonecheckError, OSError) as exc:
        startup_failure(settings, exc)
        raise SystemExit(3) from None  # uvicorn's start-up failure: the supervisor stops, no restart loop
