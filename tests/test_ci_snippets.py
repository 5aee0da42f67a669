"""The CI path a team copies (issue 13): the composite GitHub Action's check script, the
documented workflow, the GitLab CI job and the pre-commit snippet, run end to end on a temporary
git repository of saved replies. The workflow and the GitLab job install the wheel the README
says to build and commit (`pip wheel --no-deps -w tools CLONE`): the tests build it from this
checkout and install it into a new virtual environment with no package index (tonecheck's
dependencies come from this environment through PYTHONPATH), so nothing is downloaded."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO_ROOT, offline_git_env, subprocess_env
from test_repos import _repo

import tonecheck

ACTION = REPO_ROOT / "action.yml"
SCRIPT = REPO_ROOT / "integrations" / "ci" / "github-action.sh"
WORKFLOW = REPO_ROOT / "integrations" / "ci" / "tonecheck.yml"
GITLAB = REPO_ROOT / "integrations" / "ci" / "gitlab-ci.yml"
PRE_COMMIT = REPO_ROOT / "integrations" / "ci" / "pre-commit-config.yaml"
TONECHECK = f"{shlex.quote(sys.executable)} -m tonecheck"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = _repo(tmp_path / "macros")
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    return root


def _bash(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, env={**subprocess_env(), **env}, capture_output=True, text=True, timeout=300
    )


def test_the_action_runs_its_script_with_its_inputs():
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    check = next(step for step in steps if "github-action.sh" in step.get("run", ""))
    assert check["run"] == 'bash "$GITHUB_ACTION_PATH/integrations/ci/github-action.sh"'
    assert set(check["env"]) == {"INPUT_PATH", "INPUT_ARGS", "INPUT_SARIF_FILE"}
    for name in check["env"]:
        assert name.removeprefix("INPUT_").lower().replace("_", "-") in action["inputs"]


def test_the_action_script_annotates_summarises_and_writes_sarif(repo):
    summary = repo.parent / "summary.md"
    result = _bash(
        ["bash", str(SCRIPT)],
        repo,
        TONECHECK_COMMAND=TONECHECK,
        INPUT_PATH=".",
        INPUT_ARGS="",
        INPUT_SARIF_FILE="tonecheck.sarif",
        GITHUB_STEP_SUMMARY=str(summary),
    )
    assert result.returncode == 1, result
    assert result.stdout.count("::warning file=") == 2, result.stdout
    assert "Found 2 problems" in summary.read_text(encoding="utf-8")
    sarif = json.loads((repo / "tonecheck.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and len(sarif["runs"][0]["results"]) == 2


def test_the_action_script_passes_with_the_configured_baseline(repo):
    (repo / "tonecheck.toml").write_text('baseline = ".tonecheck-baseline.json"\n', encoding="utf-8")
    written = _bash([*shlex.split(TONECHECK), "check", ".", "--write-baseline"], repo)
    assert written.returncode == 0, written
    result = _bash(["bash", str(SCRIPT)], repo, TONECHECK_COMMAND=TONECHECK, INPUT_ARGS="--fail-on warning")
    assert result.returncode == 0 and "::warning" not in result.stdout, result


# -- the snippets as a team copies them: tonecheck installed from the committed wheel ----------


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The README's CI install, offline: the wheel built from this checkout (as a team builds it from
    its clone) and a virtual environment that installs it with pip, the workflow's way."""
    import spacy

    root = tmp_path_factory.mktemp("ci-install")
    dependencies = _dependencies_only(Path(spacy.__file__).resolve().parents[1], root / "dependencies")
    env = _offline_env(root, spacy_site=dependencies)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(root / "tools"), str(REPO_ROOT)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built
    (wheel,) = (root / "tools").glob("tonecheck-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    return {"wheel": wheel, "venv": venv, "spacy_site": dependencies}


def _dependencies_only(site: Path, into: Path) -> Path:
    """This environment's installed packages but tonecheck, as a folder for PYTHONPATH: where the
    test environment installed tonecheck itself (CI's `pip install .`), pip in the team's venv would
    otherwise find it already installed and put no `tonecheck` command in the venv."""
    into.mkdir()
    for entry in site.iterdir():
        if "tonecheck" not in entry.name.lower():  # the package, its dist-info, an editable install's hooks
            (into / entry.name).symlink_to(entry)
    return into


def _offline_env(root: Path, *, spacy_site: Path, venv: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in subprocess_env().items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PYTHONPATH"] = str(spacy_site)  # the dependencies count as installed; tonecheck itself does not
    offline_git_env(env, root)
    env["PIP_NO_BUILD_ISOLATION"] = "0"  # pip reads this inverted: build with this environment's setuptools
    env["PRE_COMMIT_HOME"] = str(root / "pre-commit-home")
    if venv is not None:
        env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def _team_repo(tmp_path: Path, installed: dict[str, Path]) -> tuple[Path, dict[str, str]]:
    repo = _repo(tmp_path / "macros")
    (repo / "tools").mkdir()
    shutil.copy(installed["wheel"], repo / "tools")
    env = _offline_env(tmp_path, spacy_site=installed["spacy_site"], venv=installed["venv"])
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True, env=env)
    return repo, env


def _shell(commands: list[str], repo: Path, env: dict[str, str]) -> list[subprocess.CompletedProcess[str]]:
    return [
        subprocess.run(["bash", "-c", c], cwd=repo, env=env, capture_output=True, text=True, timeout=600)
        for c in commands
    ]


def test_no_snippet_names_an_invented_owner_or_tag():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for text in (readme, *(p.read_text(encoding="utf-8") for p in (WORKFLOW, GITLAB, PRE_COMMIT))):
        assert "OWNER" not in text and "github.com/" not in text.replace("github.com/github/", "")
    # the wheel the snippets install is the one `pip wheel` names for this version
    for path in (WORKFLOW, GITLAB):
        assert f"tools/tonecheck-{tonecheck.__version__}-py3-none-any.whl" in path.read_text(encoding="utf-8")


def test_the_documented_workflow_installs_the_wheel_checks_and_writes_sarif(tmp_path, installed):
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["tonecheck"]["steps"]
    upload = next(step for step in steps if "upload-sarif" in step.get("uses", ""))
    repo, env = _team_repo(tmp_path, installed)
    env.update({k: str(v) for k, v in workflow["env"].items()})
    install, sarif, check = _shell([step["run"] for step in steps if "run" in step], repo, env)
    assert install.returncode == 0, install
    version = subprocess.run(["tonecheck", "--version"], env=env, capture_output=True, text=True)
    assert version.stdout.strip() == f"tonecheck {tonecheck.__version__}"
    assert shutil.which("tonecheck", path=env["PATH"]) == str(installed["venv"] / "bin" / "tonecheck")
    assert sarif.returncode == 0, sarif
    report = json.loads((repo / upload["with"]["sarif_file"]).read_text(encoding="utf-8"))
    assert len(report["runs"][0]["results"]) == 2
    assert check.returncode == 1 and check.stdout.count("::warning file=") == 2, check


def test_the_gitlab_job_installs_the_wheel_and_writes_a_code_quality_report(tmp_path, installed):
    job = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))["tonecheck"]
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    repo, env = _team_repo(tmp_path, installed)
    env.update({k: str(v) for k, v in job["variables"].items()})
    (install,) = _shell(job["before_script"], repo, env)
    assert install.returncode == 0, install
    quality, concise = _shell(job["script"], repo, env)
    assert quality.returncode == 0, quality
    assert concise.returncode == 1 and concise.stdout.count(" PAG003 ") == 2, concise
    report = json.loads((repo / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert {issue["location"]["path"] for issue in report} == {"replies/restart.md", "zendesk/macros.json"}


def test_the_pre_commit_snippet_runs_the_installed_tonecheck_with_the_baseline(tmp_path, installed):
    """The README's `repo: local` hook, copied as it is: pre-commit runs the tonecheck installed
    from the wheel (`language: system`, nothing for pre-commit to install), with the configured
    baseline; a new problem fails the commit."""
    snippet = yaml.safe_load(PRE_COMMIT.read_text(encoding="utf-8"))
    (hook,) = snippet["repos"][0]["hooks"]
    manifest = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    keys = ("id", "entry", "files", "require_serial")
    assert [hook[k] for k in keys] == [manifest[k] for k in keys]
    assert hook["require_serial"] is True
    repo, env = _team_repo(tmp_path, installed)
    (install,) = _shell([f'python -m pip install -q "tools/{installed["wheel"].name}"'], repo, env)
    assert install.returncode == 0, install
    shutil.copy(PRE_COMMIT, repo / ".pre-commit-config.yaml")
    (repo / "tonecheck.toml").write_text('baseline = ".tonecheck-baseline.json"\n', encoding="utf-8")
    pre_commit = [sys.executable, "-m", "pre_commit"]
    setup = _shell(
        ["tonecheck check . --write-baseline", "git add -A", shlex.join([*pre_commit, "install"])], repo, env
    )
    assert all(r.returncode == 0 for r in setup), setup
    committed = _shell(["git commit -q -m tonecheck"], repo, env)[0]
    assert committed.returncode == 0 and "Passed" in committed.stdout + committed.stderr, committed
    (repo / "replies" / "late.md").write_text("Hi Sam,\n\nAs I said, per my last email, it is done.\n", "utf-8")
    (repo / "replies" / "later.md").write_text("Hi Ana,\n\nPer my last email, it is done.\n", "utf-8")
    blocked = _shell(["git add -A", "git commit -q -m late"], repo, env)[1]
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode == 1 and re.search(r"replies/late\.md:3:\d+: PAG003", output), output
    assert re.search(r"replies/later\.md:3:\d+: PAG003", output), output
    # one tonecheck run for the commit (require_serial): one summary, the engine built once
    assert len(re.findall(r"^Found \d+ problems?", output, flags=re.M)) == 1, output
    made = [p.name for p in Path(env["PRE_COMMIT_HOME"]).iterdir() if p.is_dir()]
    assert made == [], made  # pre-commit built no environment: the hook is the installed tonecheck
