"""Snapshot tests: the whole CLI output on the example saved-reply folder, in every format, kept as
files under tests/snapshots/ so that a change to a renderer or a rule shows up as a reviewable diff.

After an intended change, regenerate them and read the diff before committing:

    TONECHECK_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_snapshots.py
"""

from __future__ import annotations

import os

import pytest
from conftest import REPO_ROOT

from tonecheck._outputs import FORMATS

SNAPSHOTS = REPO_ROOT / "tests" / "snapshots"


@pytest.mark.parametrize("format", [*FORMATS, "statistics"])
def test_cli_output_on_the_example_folder_matches_its_snapshot(run_cli, monkeypatch, format):
    monkeypatch.chdir(REPO_ROOT)
    argv = ["check", "examples/saved-replies", "--exit-zero"]
    argv += ["--statistics"] if format == "statistics" else ["--format", format]
    result = run_cli(argv)
    assert result.code == 0, result
    snapshot = SNAPSHOTS / f"examples.{format}.txt"
    if os.environ.get("TONECHECK_UPDATE_SNAPSHOTS"):
        snapshot.write_text(result.out, encoding="utf-8")
    assert snapshot.exists(), f"no snapshot yet: run with TONECHECK_UPDATE_SNAPSHOTS=1 to write {snapshot.name}"
    assert result.out == snapshot.read_text(encoding="utf-8")
