"""benchmarks/speed.py's baseline part: check() of this tree against another checkout's, each
imported from its own folder, on the same replies. (Figures are never asserted: only that the
comparison runs what it says it runs.)"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO_ROOT

SPEED = REPO_ROOT / "benchmarks" / "speed.py"


def _speed(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SPEED), *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_the_baseline_part_times_check_of_each_tree_from_its_own_folder(tmp_path: Path) -> None:
    base = tmp_path / "base"
    shutil.copytree(REPO_ROOT / "tonecheck", base / "tonecheck", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO_ROOT / "rules", base / "rules")
    corpus = tmp_path / "replies.jsonl"
    corpus.write_text(
        "".join(json.dumps({"text": f"Hi Sam, as I said, order {n} has shipped. Best, Ana"}) + "\n" for n in range(5)),
        encoding="utf-8",
    )
    out = tmp_path / "speed.json"
    done = _speed(
        "--only", "baseline", "--baseline", str(base), "--corpus", str(corpus), "--limit", "10",
        "--baseline-runs", "2", "--repeat", "1", "--json", str(out), cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))["baseline"]
    assert Path(figures["modules"]["here"]).is_relative_to(REPO_ROOT / "tonecheck")
    assert Path(figures["modules"]["baseline"]).is_relative_to(base / "tonecheck")
    assert len(figures["ratio_paired"]) == 2 and figures["here_s"] > 0 and figures["baseline_s"] > 0
    assert "ratio here/baseline" in done.stdout


def test_the_baseline_part_needs_a_checkout(tmp_path: Path) -> None:
    done = _speed("--only", "baseline", cwd=tmp_path)
    assert done.returncode == 2 and "needs --baseline DIR" in done.stderr
    done = _speed("--only", "baseline", "--baseline", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 2 and "no tonecheck package there" in done.stderr
