"""benchmarks/speed.py's baseline part: check() of this tree against another checkout's, each
imported from its own folder, on the same replies. (Figures are never asserted: only that the
comparison runs what it says it runs.)"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
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
        "--baseline-runs", "3", "--json", str(out), cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))["baseline"]
    assert Path(figures["modules"]["here"]).is_relative_to(REPO_ROOT / "tonecheck")
    assert Path(figures["modules"]["baseline"]).is_relative_to(base / "tonecheck")
    assert (
        len(figures["ratio_paired"]) == 3
        and figures["pairs"] == 3
        and figures["here_s"] > 0
        and figures["baseline_s"] > 0
    )
    assert "ratio here/baseline" in done.stdout


def test_the_baseline_part_needs_a_checkout(tmp_path: Path) -> None:
    done = _speed("--only", "baseline", cwd=tmp_path)
    assert done.returncode == 2 and "needs --baseline DIR" in done.stderr
    done = _speed("--only", "baseline", "--baseline", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 2 and "no tonecheck package there" in done.stderr


def _fake_tree(root: Path, source: str) -> Path:
    """A checkout whose tonecheck package is `source`."""
    (root / "tonecheck").mkdir(parents=True)
    (root / "tonecheck" / "__init__.py").write_text(source, encoding="utf-8")
    return root


def test_a_baseline_language_is_passed_only_to_a_check_that_takes_one(tmp_path: Path) -> None:
    """--baseline-language en compares the same work with a tree from before languages: check()
    gets language="en" where it takes a language, and nothing it does not take."""
    corpus = tmp_path / "replies.jsonl"
    corpus.write_text(json.dumps({"text": "Hi Sam, order 12 has shipped. Best, Ana"}) + "\n", encoding="utf-8")
    old_record, new_record = tmp_path / "old.txt", tmp_path / "new.txt"
    # a check() from before languages, and one that takes a language: each records what it gets
    trees = {
        old_record: _fake_tree(
            tmp_path / "old",
            f"def check(text, *, mode):\n    open({str(old_record)!r}, 'a').write('called\\n')\n",
        ),
        new_record: _fake_tree(
            tmp_path / "new",
            f"def check(text, *, mode, language=None):\n    open({str(new_record)!r}, 'a').write(repr(language) + '\\n')\n",
        ),
    }
    for tree in trees.values():
        done = _speed(
            "--only", "baseline", "--baseline", str(tree), "--corpus", str(corpus), "--limit", "1",
            "--baseline-runs", "1", "--baseline-language", "en", cwd=tmp_path,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "language=en where check() takes one" in done.stdout
    assert set(old_record.read_text(encoding="utf-8").split()) == {"called"}
    assert set(new_record.read_text(encoding="utf-8").split()) == {"'en'"}


def _speed_module():
    sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
    try:
        import speed
    finally:
        sys.path.remove(str(REPO_ROOT / "benchmarks"))
    return speed


def test_the_instructions_part_counts_what_one_pass_of_each_tree_executes(tmp_path: Path) -> None:
    """Under callgrind, a tree whose check() does more work counts more instructions a pass, and
    the untimed pass and start-up are not counted: the same tree against itself is about 1."""
    speed = _speed_module()
    light = _fake_tree(tmp_path / "light", "def check(text, *, mode):\n    return len(text)\n")
    heavy = _fake_tree(tmp_path / "heavy", "def check(text, *, mode):\n    return sum(ord(c) for c in text * 200)\n")
    replies = [("Hi Sam, order 12 has shipped. Best, Ana", "draft")] * 20
    against = speed.instructions(replies, light, here=heavy)
    assert against["here"] > 20 * against["baseline"] > 0 and against["ratio"] > 20
    same = speed.instructions(replies, light, here=light)
    assert 0.9 < same["ratio"] < 1.1, same


def test_the_instructions_part_says_when_valgrind_is_missing(tmp_path: Path, monkeypatch) -> None:
    speed = _speed_module()
    monkeypatch.setenv("PATH", str(tmp_path))
    tree = _fake_tree(tmp_path / "tree", "def check(text, *, mode):\n    return 0\n")
    with pytest.raises(speed.Missing, match="valgrind"):
        speed.instructions([("Hi", "draft")], tree, here=tree)


def test_a_baseline_tree_whose_check_fails_is_a_setup_error(tmp_path: Path) -> None:
    """The other tree's error is reported (exit 2), and the live process of this tree is stopped."""
    corpus = tmp_path / "replies.jsonl"
    corpus.write_text(json.dumps({"text": "Hi Sam, order 12 has shipped. Best, Ana"}) + "\n", encoding="utf-8")
    broken = _fake_tree(
        tmp_path / "broken", "def check(text, *, mode):\n    raise RuntimeError('no such rule: boom')\n"
    )
    done = _speed(
        "--only", "baseline", "--baseline", str(broken), "--corpus", str(corpus), "--limit", "1",
        "--baseline-runs", "1", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "failed" in done.stderr and "no such rule: boom" in done.stderr
