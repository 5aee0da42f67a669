"""Shared helpers for the tonecheck test suite."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

import tonecheck
from tonecheck import _cli

REPO_ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    # Keep the on-disk rule cache of this run away from the user's ~/.cache: the suite must not
    # depend on (or leave behind) compiled rule data from other runs.
    directory = tempfile.mkdtemp(prefix="tonecheck-test-cache-")
    os.environ["TONECHECK_CACHE_DIR"] = directory
    os.environ.pop("TONECHECK_NO_CACHE", None)
    config._tonecheck_cache_dir = directory  # type: ignore[attr-defined]


def pytest_unconfigure(config: pytest.Config) -> None:
    directory = getattr(config, "_tonecheck_cache_dir", None)
    if directory:
        shutil.rmtree(directory, ignore_errors=True)


def jargon_edit_code(code: str) -> str:
    """The code of a built-in jargon rule's copy in `jargon_with_edits` ("JAR007" -> "JAR907")."""
    return "JAR9" + code[4:]


@pytest.fixture(scope="session")
def jargon_with_edits(tmp_path_factory: pytest.TempPathFactory) -> tonecheck.Config:
    """Every rule on, with the built-in jargon lexicons copied as a team's rules whose plain wording
    is an edit (`replacement: "{plain}"`, unsafe) instead of advice, under the codes of
    `jargon_edit_code`: how the tidying of a plain wording (compounds, articles, number, verb
    forms) is tested, now that the built-in rules give it as advice."""
    import yaml

    path = tmp_path_factory.mktemp("jargon-edits") / "jargon-edits.yml"
    rules = []
    builtin = []
    for source in sorted((REPO_ROOT / "rules" / "en" / "jargon").glob("*.yml")):
        for rule in yaml.safe_load(source.read_text(encoding="utf-8"))["rules"]:
            if rule.get("kind") != "lexicon":
                continue
            builtin.append(rule["code"])
            rule = {**rule, "code": jargon_edit_code(rule["code"]), "name": rule["name"] + "-edit"}
            rule["suggestions"] = [
                {"title": 'Say it in plain words: "{plain}"', "replacement": "{plain}", "applicability": "unsafe"}
            ]
            rules.append(rule)
    path.write_text(yaml.safe_dump({"category": "jargon", "rules": rules}, allow_unicode=True), encoding="utf-8")
    # (JAR010, the unexplained-acronym check, stands aside only for the built-in lexicons' terms)
    return tonecheck.Config(preview=True, rule_paths=(str(path),), ignore=(*builtin, "JAR010"))


# The two categories whose rules are phrase/regex based: the tone checks the issue is about.
TONE_CATEGORIES = ("negative-language", "passive-aggressive")


def wrap_reply(body: str) -> str:
    """A complete, friendly reply around `body`, so that only `body` can be at fault."""
    return f"Hi Sam,\n\n{body}\n\nLet me know if there is anything else I can help with.\n\nBest,\nAna\n"


def overlapping(
    findings: Iterable[tonecheck.Finding], start: int, end: int, categories: Sequence[str] | None = None
) -> list[tonecheck.Finding]:
    """Findings that overlap text[start:end] (empty findings count when they sit inside it)."""
    found = []
    for f in findings:
        if categories is not None and f.category not in categories:
            continue
        if (f.start < end and start < f.end) or (f.start == f.end and start <= f.start < end):
            found.append(f)
    return found


def span_of(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    return index, index + len(needle)


def tone_findings(report: tonecheck.Report) -> list[tonecheck.Finding]:
    return [f for f in report.findings if f.category in TONE_CATEGORIES]


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code = code
        self.out = out
        self.err = err

    def __repr__(self) -> str:  # shown by pytest when an assertion fails
        return f"CliResult(code={self.code!r}, out={self.out[:2000]!r}, err={self.err[:2000]!r})"


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch):
    """Run tonecheck._cli.main in-process; `stdin` (bytes or str) feeds standard input."""

    def run(argv: Sequence[str], stdin: bytes | str | None = None) -> CliResult:
        data = stdin.encode("utf-8") if isinstance(stdin, str) else (stdin or b"")
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
        out, err = io.StringIO(), io.StringIO()
        code = _cli.main(list(argv), out=out, err=err)
        return CliResult(code, out.getvalue(), err.getvalue())

    return run


def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def child_pids(pid: int) -> set[int]:
    """The processes whose parent is `pid` (`ps`, as CI's machine has it)."""
    listed = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return {int(child) for child in listed.split()}


def offline_git_env(env: dict[str, str], folder: Path) -> dict[str, str]:
    """`env` for a child that must not download (every proxy a closed port on this machine, pip with
    no index) and runs git with a known identity and no user or system configuration (e.g. a global
    hooksPath); the empty git configuration is written in `folder`."""
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        env[var] = "http://127.0.0.1:9"
    for var in ("no_proxy", "NO_PROXY"):
        env.pop(var, None)
    env["PIP_NO_INDEX"] = "1"
    env["PIP_INDEX_URL"] = "http://127.0.0.1:9/simple"
    git_config = folder / "gitconfig"
    git_config.write_text("", encoding="utf-8")
    env["GIT_CONFIG_GLOBAL"] = str(git_config)
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    for who in ("AUTHOR", "COMMITTER"):
        env[f"GIT_{who}_NAME"] = "Test"
        env[f"GIT_{who}_EMAIL"] = "test@example.invalid"
    return env


@pytest.fixture
def run_subprocess():
    """Run `python -m tonecheck ...` as a real process."""

    def run(argv: Sequence[str], stdin: bytes | str | None = None, timeout: float = 120) -> CliResult:
        data = stdin.encode("utf-8") if isinstance(stdin, str) else (stdin if stdin is not None else b"")
        timed_out = False
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "tonecheck", *argv],
                input=data,
                capture_output=True,
                env=subprocess_env(),
                cwd=str(REPO_ROOT),
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            timed_out = True
        if timed_out:
            pytest.fail(f"`python -m tonecheck {' '.join(argv)}` did not finish within {timeout} s", pytrace=False)
        return CliResult(
            proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
        )

    return run


def no_traceback(result) -> None:
    assert "Traceback" not in result.err and "Traceback" not in result.out, result


def one_error_line(result, *needles: str) -> str:
    no_traceback(result)
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result
    for needle in needles:
        assert needle in lines[0], (needle, result)
    return lines[0]
