"""Compiled `regex` patterns kept in the cache (tonecheck/_lazy.py): a fresh process reads what an
earlier one compiled instead of compiling it again, a pool's workers add what they compiled, and
a damaged or missing entry only means compiling."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

from conftest import REPO_ROOT

SOURCE = r"(?<![\w'])(?:we|i)\s+(?:can(?:not|'t)|could\s+not)\s+(?:help|refund)(?!\w)"

_COMPILE = """
import regex, sys
from tonecheck._lazy import compile_pattern
if sys.argv[1] == "no-compiling":
    def refuse(*args, **kwargs):
        raise AssertionError("compiled again")
    regex.compile = refuse
pattern = compile_pattern(sys.argv[2], regex.IGNORECASE)
print(pattern.search("Sorry, we can't refund it.").group(0))
"""

_POOL = """
import sys
from tonecheck._lazy import compile_pattern
from tonecheck._parallel import run_pool

def work(state, source):
    return compile_pattern(source).pattern

def setup():
    return None

if __name__ == "__main__":
    sources = [rf"worker\\s+pattern\\s+{index}" for index in range(8)]
    print(run_pool(work, sources, setup=setup, jobs=2) == sources)
"""


def _run(tmp_path: Path, code: str, *args: str, env: dict[str, str] | None = None) -> str:
    environment = {key: value for key, value in os.environ.items() if key != "TONECHECK_NO_CACHE"}
    environment.update({"TONECHECK_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(REPO_ROOT)}, **(env or {}))
    script = tmp_path / "script.py"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), *args],
        env=environment,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _entry_path(tmp_path: Path) -> Path:
    (path,) = (tmp_path / "cache").glob("regex-patterns-*.pickle")
    return path


def _entry(tmp_path: Path) -> dict[tuple[str, int], bytes]:
    stored = pickle.loads(_entry_path(tmp_path).read_bytes())
    assert isinstance(stored, dict)
    return stored


def test_a_fresh_process_reads_what_an_earlier_one_compiled(tmp_path: Path) -> None:
    assert _run(tmp_path, _COMPILE, "compile", SOURCE) == "we can't refund"
    assert any(source == SOURCE for source, _ in _entry(tmp_path))
    # the second process may not compile: the pattern comes from the cache, and matches the same
    assert _run(tmp_path, _COMPILE, "no-compiling", SOURCE) == "we can't refund"


def test_the_workers_of_a_pool_add_what_they_compiled(tmp_path: Path) -> None:
    assert _run(tmp_path, _POOL) == "True"
    stored = {source for source, _ in _entry(tmp_path)}
    assert {rf"worker\s+pattern\s+{index}" for index in range(8)} <= stored


def test_a_damaged_entry_is_compiled_again(tmp_path: Path) -> None:
    assert _run(tmp_path, _COMPILE, "compile", SOURCE) == "we can't refund"
    path = _entry_path(tmp_path)
    path.write_bytes(pickle.dumps(dict.fromkeys(_entry(tmp_path), b"not a pattern")))
    assert _run(tmp_path, _COMPILE, "compile", SOURCE) == "we can't refund"
    path.write_bytes(b"\x80 not a pickle")
    assert _run(tmp_path, _COMPILE, "compile", SOURCE) == "we can't refund"


def test_nothing_is_written_with_the_cache_off(tmp_path: Path) -> None:
    assert _run(tmp_path, _COMPILE, "compile", SOURCE, env={"TONECHECK_NO_CACHE": "1"}) == "we can't refund"
    assert not list((tmp_path / "cache").glob("regex-patterns-*"))
