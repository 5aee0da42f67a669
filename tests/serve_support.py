"""Helpers for the service tests: a real `tonecheck serve` process on a free loopback port.

Not a test module. The shared server is started once per test session and stopped at exit.
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

HOST = "127.0.0.1"
CHROMIUM = "/usr/bin/chromium"
# a custom rule whose regular expression backtracks for ever on a long run of "a"s
RUNAWAY_RULE = textwrap.dedent("""\
    category: jargon
    rules:
      - code: CUS900
        name: runaway-regex
        kind: regex
        severity: warning
        message: "{match} is a test finding."
        why: A rule written to backtrack without end, to show the regex time limit.
        fix: Nothing; it is a test.
        regex: ["^(a|a)*$"]
        examples:
          flag: ["a"]
          pass: ["b"]
    """)
TEST_ORIGIN_PORT_ENV = "TONECHECK_TEST_ORIGIN"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """`python -m tonecheck serve` in its own process group, standard error kept in a file."""

    def __init__(
        self,
        config_text: str | None = None,
        *,
        workers: int = 1,
        env: dict[str, str] | None = None,
        extra_files: dict[str, str] | None = None,
        args: tuple[str, ...] = (),
    ) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="tonecheck-serve-test-"))
        for name, content in (extra_files or {}).items():
            (self.folder / name).parent.mkdir(parents=True, exist_ok=True)
            (self.folder / name).write_text(content, encoding="utf-8")
        self.config = None
        if config_text is not None:
            self.config = self.folder / "tonecheck.toml"
            # the tests exercise rules whatever their status: preview rules run too
            self.config.write_text("preview = true\n" + config_text, encoding="utf-8")
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log_path = self.folder / "server.log"
        command = [
            sys.executable,
            "-m",
            "tonecheck",
            "serve",
            "--port",
            str(self.port),
            "--workers",
            str(workers),
            *(("--config", str(self.config)) if self.config else ()),
            *args,
        ]
        environment = {**os.environ, **(env or {})}
        environment.pop("PROMETHEUS_MULTIPROC_DIR", None)
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            command, cwd=self.folder, stdout=self.log, stderr=subprocess.STDOUT, env=environment, start_new_session=True
        )

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}:\n{self.log_text()}")
            try:
                with socket.create_connection((HOST, self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"the server did not open its port in {timeout} s:\n{self.log_text()}")

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- requests --------------------------------------------------------------------------
    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.url + path, data=body, method=method, headers=headers or {})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only, never a proxy
        try:
            with opener.open(request, timeout=60) as response:
                return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
        except urllib.error.HTTPError as error:
            return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()

    def post_json(self, path: str, payload: Any, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        status, _, body = self.request(
            "POST", path, json.dumps(payload).encode(), {"content-type": "application/json", **(headers or {})}
        )
        return status, json.loads(body)

    def get_json(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        status, _, body = self.request("GET", path, headers=headers)
        return status, json.loads(body)


SHARED_CONFIG = textwrap.dedent("""\
    rule-paths = ["custom-rules"]

    [serve]
    regex-timeout = 0.05
    cors-origins = ["chrome-extension://*", "http://127.0.0.1:*"]

    [serve.gate]
    default = "warn"
    rules = [
      { select = ["template-leftover"], action = "block" },
      { severity = ["error"], action = "block" },
      { select = ["missing-closing"], action = "pass" },
    ]

    [serve.profiles.chat-brand]
    channel = "chat"
    default = "pass"
    rules = [{ select = ["TPL"], action = "warn" }, { select = ["negative-language"], action = "block" }]

    [serve.profiles.no-jargon]
    ignore = ["jargon"]
    """)

_shared: Server | None = None


def shared_server() -> Server:
    """One server with two workers, a custom rule pack and two gate profiles, for the session."""
    global _shared
    if _shared is None:
        _shared = Server(SHARED_CONFIG, workers=2, extra_files={"custom-rules/runaway.yml": RUNAWAY_RULE})
        atexit.register(_shared.stop)
        _shared.wait_ready()
    return _shared


def require(*modules: str) -> None:
    """Skip the module when a test dependency is missing, but fail in CI (CI=true)."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        message = f'the service tests need {", ".join(missing)}: pip install ".[test]"'
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message, allow_module_level=True)


def need_browser() -> str:
    """Debian's chromium and Playwright, or a skip outside CI (a failure in CI)."""
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium, or run .ci/serve-deps)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append('the playwright package (pip install ".[test]")')
    if missing:
        message = "the browser tests need " + " and ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch_browser(playwright: Any, profile_dir: Path) -> Any:
    """Debian's chromium with a fresh profile folder, never a downloaded browser."""
    return playwright.chromium.launch_persistent_context(  # passes --user-data-dir=profile_dir
        str(profile_dir), executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS
    )
