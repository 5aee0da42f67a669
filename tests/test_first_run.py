"""The README's first-run figures stay true (issue 13, "Measured"): every finding of the first run
on the fresh macro repository of benchmarks/first-run has a verdict in its judged.json, no judged
finding has gone, and the counts are the ones the README gives."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import REPO_ROOT, subprocess_env


@pytest.mark.parametrize("preview", [False, True], ids=["default", "preview"])
def test_the_first_run_is_judged_and_counted_as_the_readme_says(preview: bool) -> None:
    run = REPO_ROOT / "benchmarks" / "first-run" / "run.py"
    argv = [sys.executable, str(run), *(["--preview"] if preview else [])]
    result = subprocess.run(argv, capture_output=True, text=True, env=subprocess_env(), timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr  # 1: a finding unjudged, or a judged one gone
    counts = re.search(r"run: (\d+) findings, (\d+) right, (\d+) wrong, 0 unjudged", result.stdout)
    assert counts is not None, result.stdout
    found, right, wrong = (int(n) for n in counts.groups())
    readme = " ".join((REPO_ROOT / "README.md").read_text(encoding="utf-8").split())
    if preview:
        assert f"with `--preview`, {found} findings, {right} right and {wrong} wrong" in readme
    else:
        assert wrong == 0 and f"{found} findings, all {right} right" in readme
