"""The pre-commit hook (.pre-commit-hooks.yaml), run for real by pre-commit, offline.

`test_try_repo_installs_and_runs_the_hook_offline` runs `pre-commit try-repo` on this
repository: pre-commit builds the hook's own virtualenv and pip-installs tonecheck into it, with
no package index (dependencies are found already installed, through PYTHONPATH) and build
isolation off (setuptools comes from this environment), so nothing is downloaded. The other
tests use a temporary repository whose
.pre-commit-config.yaml has a `repo: local` hook built from our manifest (id, name, files and
the rest) with `language: system` and the manifest's entry run by this interpreter
(`python -m tonecheck ...`): pre-commit installs nothing for it. PRE_COMMIT_HOME is a temporary
folder, and the proxy variables point at a closed local port, so any download would fail.

Needs the test requirement `pre-commit` (pip install pre-commit).
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO_ROOT, offline_git_env, subprocess_env, wrap_reply

MANIFEST = REPO_ROOT / ".pre-commit-hooks.yaml"

CLEAN = wrap_reply("Thanks for waiting. Your refund went out today and should arrive within five days.")
BAD = wrap_reply("Thanks for waiting. You have to pay the return postage.")  # NEG010 "You have to"
ALSO_BAD = wrap_reply("Thanks for waiting. As I said, the router needs a restart.")  # PAG002
# keys of a manifest hook that only make sense for pre-commit-managed environments
_ENVIRONMENT_KEYS = {"language", "entry", "language_version", "additional_dependencies", "minimum_pre_commit_version"}


@pytest.fixture(scope="module")
def pre_commit() -> list[str]:
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        pytest.fail("these tests need the test requirement 'pre-commit' (pip install pre-commit)", pytrace=False)
    if shutil.which("git") is None:
        pytest.fail("these tests need git on PATH", pytrace=False)
    return [sys.executable, "-m", "pre_commit"]


@pytest.fixture
def offline_env(tmp_path) -> dict[str, str]:
    env = subprocess_env()
    home = tmp_path / "pre-commit-home"
    home.mkdir()
    env["PRE_COMMIT_HOME"] = str(home)
    env.pop("PRE_COMMIT", None)
    return offline_git_env(env, tmp_path)


def run(argv: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=str(cwd), env=env, capture_output=True, text=True, timeout=timeout)


def manifest_hooks() -> list[dict]:
    hooks = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and hooks, hooks
    return hooks


# -- the manifest --------------------------------------------------------------------------------


def test_manifest_is_valid(pre_commit, tmp_path, offline_env):
    result = run([*pre_commit, "validate-manifest", str(MANIFEST)], REPO_ROOT, offline_env)
    assert result.returncode == 0, result
    # the validator is real: a hook without its entry is rejected
    broken = [{k: v for k, v in hook.items() if k != "entry"} for hook in manifest_hooks()]
    (tmp_path / "broken.yaml").write_text(yaml.safe_dump(broken), encoding="utf-8")
    result = run([*pre_commit, "validate-manifest", str(tmp_path / "broken.yaml")], REPO_ROOT, offline_env)
    assert result.returncode != 0, result


def test_manifest_hook_runs_tonecheck_check_with_force_exclude():
    hook = next(h for h in manifest_hooks() if h["id"] == "tonecheck")
    entry = shlex.split(hook["entry"])
    assert entry[:2] == ["tonecheck", "check"], entry
    assert "--force-exclude" in entry  # pre-commit names files explicitly: exclude globs must apply
    assert hook["language"] == "python"
    assert hook.get("pass_filenames", True) is True


# -- pre-commit run on a saved-reply repository -------------------------------------------------


def local_config(tmp_path: Path) -> str:
    """A .pre-commit-config.yaml whose local, system-language hooks mirror the manifest's."""
    hooks = []
    for hook in manifest_hooks():
        entry = shlex.split(hook["entry"])
        assert entry[0] == "tonecheck", entry
        local = {k: v for k, v in hook.items() if k not in _ENVIRONMENT_KEYS}
        local["language"] = "system"
        local["entry"] = shlex.join([sys.executable, "-m", "tonecheck", *entry[1:]])
        hooks.append(local)
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": hooks}]}, sort_keys=False)


def git(repo: Path, env: dict[str, str], *args: str) -> str:
    result = run(["git", *args], repo, env)
    assert result.returncode == 0, result
    return result.stdout


@pytest.fixture
def reply_repo(tmp_path, offline_env) -> Path:
    repo = tmp_path / "replies-repo"
    repo.mkdir()
    git(repo, offline_env, "init", "-q")
    # preview = true: the problems below are found by preview rules (NEG010, PAG002)
    (repo / "tonecheck.toml").write_text('preview = true\nextend-exclude = ["archive"]\n', encoding="utf-8")
    (repo / ".pre-commit-config.yaml").write_text(local_config(tmp_path), encoding="utf-8")
    (repo / "replies").mkdir()
    (repo / "replies" / "welcome.txt").write_text(CLEAN, encoding="utf-8")
    (repo / "README.rst").write_text("You have to read this. As I said, it is not a reply.\n", encoding="utf-8")
    git(repo, offline_env, "add", "-A")
    git(repo, offline_env, "commit", "-q", "--no-verify", "-m", "clean replies")
    return repo


def _home_is_empty_of_environments(offline_env: dict[str, str]) -> None:
    home = Path(offline_env["PRE_COMMIT_HOME"])
    made = [p.name for p in home.iterdir() if p.is_dir()] if home.exists() else []
    assert made == [], f"pre-commit built environments or clones: {made}"


def test_pre_commit_run_passes_on_clean_replies_and_fails_on_a_problem(pre_commit, reply_repo, offline_env):
    result = run([*pre_commit, "run", "--all-files", "--color", "never"], reply_repo, offline_env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "tonecheck" in output and "Passed" in output, output

    (reply_repo / "replies" / "refund.txt").write_text(BAD, encoding="utf-8")
    (reply_repo / "archive").mkdir()
    (reply_repo / "archive" / "old.txt").write_text(ALSO_BAD, encoding="utf-8")
    git(reply_repo, offline_env, "add", "-A")
    result = run([*pre_commit, "run", "--all-files", "--color", "never"], reply_repo, offline_env)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Failed" in output, output
    assert "replies/refund.txt:3:21: NEG010" in output, output
    assert "archive/old.txt" not in output and "PAG002" not in output, output
    assert "README.rst" not in output, output  # not in the manifest's files
    assert "Traceback" not in output, output
    _home_is_empty_of_environments(offline_env)


def test_pre_commit_as_a_git_hook_blocks_a_bad_commit(pre_commit, reply_repo, offline_env):
    result = run([*pre_commit, "install"], reply_repo, offline_env)
    assert result.returncode == 0, result
    # an excluded file alone: the hook drops it and the commit goes through
    (reply_repo / "archive").mkdir()
    (reply_repo / "archive" / "old.txt").write_text(ALSO_BAD, encoding="utf-8")
    git(reply_repo, offline_env, "add", "archive/old.txt")
    result = run(["git", "commit", "-q", "-m", "archive"], reply_repo, offline_env)
    assert result.returncode == 0, result
    # a reply with a problem: the commit is refused and the problem shown
    (reply_repo / ".github").mkdir()
    (reply_repo / ".github" / "replies.yml").write_text(
        "- name: Needs reproduction\n  body: |\n    Thanks for the report! You have to wait for the next release.\n",
        encoding="utf-8",
    )
    git(reply_repo, offline_env, "add", ".github/replies.yml")
    result = run(["git", "commit", "-q", "-m", "saved replies"], reply_repo, offline_env)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert ".github/replies.yml:3:28: [Needs reproduction] NEG010" in output, output
    assert git(reply_repo, offline_env, "log", "--format=%s").splitlines()[0] == "archive"
    _home_is_empty_of_environments(offline_env)


def test_the_hook_uses_the_configured_baseline(pre_commit, reply_repo, offline_env):
    """F19b: after adopting a baseline (a config key), a commit touching a baselined reply passes
    with no extra hook argument; a new problem in the same file still fails."""
    (reply_repo / "replies" / "refund.txt").write_text(BAD, encoding="utf-8")
    config = reply_repo / "tonecheck.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'baseline = ".tonecheck-baseline.json"\n', "utf-8")
    written = run([sys.executable, "-m", "tonecheck", "check", ".", "--write-baseline"], reply_repo, offline_env)
    assert written.returncode == 0, written
    git(reply_repo, offline_env, "add", "-A")
    result = run([*pre_commit, "run", "--all-files", "--color", "never"], reply_repo, offline_env)
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "Passed" in output, output
    (reply_repo / "replies" / "refund.txt").write_text(BAD.replace("Thanks for waiting.", "As I said,"), "utf-8")
    git(reply_repo, offline_env, "add", "-A")
    result = run([*pre_commit, "run", "--all-files", "--color", "never"], reply_repo, offline_env)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "PAG002" in output and "NEG010" not in output, output


def test_try_repo_installs_and_runs_the_hook_offline(pre_commit, tmp_path, offline_env):
    """pre-commit try-repo, for real: the hook's environment is built from this repository."""
    import spacy

    repo = tmp_path / "try-repo-replies"
    repo.mkdir()
    git(repo, offline_env, "init", "-q")
    # preview = true: the problems below are found by preview rules (NEG010, PAG002)
    (repo / "tonecheck.toml").write_text("preview = true\n", encoding="utf-8")
    (repo / "replies").mkdir()
    (repo / "replies" / "welcome.txt").write_text(CLEAN, encoding="utf-8")
    git(repo, offline_env, "add", "-A")
    git(repo, offline_env, "commit", "-q", "--no-verify", "-m", "clean")
    env = dict(offline_env)
    # dependencies (spaCy and the rest) count as installed through PYTHONPATH; no index, and no
    # build isolation, so pip needs nothing from the network to install tonecheck itself
    env["PYTHONPATH"] = str(Path(spacy.__file__).resolve().parents[1])
    env["PIP_NO_BUILD_ISOLATION"] = "0"  # pip reads this inverted: "0" turns isolation off
    argv = [*pre_commit, "try-repo", str(REPO_ROOT), "tonecheck", "--all-files", "--color", "never"]

    clean = run(argv, repo, env, timeout=600)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "tonecheck" in clean.stdout and "Passed" in clean.stdout, clean.stdout

    (repo / "replies" / "refund.txt").write_text(
        "Hi Sam,\n\nAs I said, you have to send the receipt first.\n\nLet me know if that helps.\n", encoding="utf-8"
    )
    git(repo, offline_env, "add", "-A")
    failing = run(argv, repo, env, timeout=600)
    output = failing.stdout + failing.stderr
    assert failing.returncode == 1, output
    assert "replies/refund.txt:3:1: PAG002" in output and "NEG010" in output, output
    # the hook ran from an environment pre-commit built and installed tonecheck into (try-repo
    # keeps it in a temporary store of its own, removed afterwards)
    assert "Installing environment" in clean.stdout + clean.stderr, clean.stdout + clean.stderr
