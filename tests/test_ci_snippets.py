"""The CI path a team copies (issue 13): the composite GitHub Action's check script, the
documented workflow and the GitLab CI job, run end to end on a temporary git repository of saved
replies. The install steps (pip from a URL) are not run: tonecheck comes from this checkout."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO_ROOT, subprocess_env
from test_repos import _repo

ACTION = REPO_ROOT / "action.yml"
SCRIPT = REPO_ROOT / "integrations" / "ci" / "github-action.sh"
WORKFLOW = REPO_ROOT / "integrations" / "ci" / "tonecheck.yml"
GITLAB = REPO_ROOT / "integrations" / "ci" / "gitlab-ci.yml"
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


def test_the_documented_workflow_uses_the_action_and_uploads_sarif():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["tonecheck"]["steps"]
    action_inputs = yaml.safe_load(ACTION.read_text(encoding="utf-8"))["inputs"]
    ours = next(step for step in steps if step.get("uses", "").split("@")[0].endswith("/tonecheck"))
    assert set(ours["with"]) <= set(action_inputs)
    upload = next(step for step in steps if "upload-sarif" in step.get("uses", ""))
    assert upload["with"]["sarif_file"] == ours["with"]["sarif-file"]


def test_the_gitlab_job_writes_a_code_quality_report(repo):
    job = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))["tonecheck"]
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    outputs = []
    for line in job["script"]:
        assert line.startswith("tonecheck ")
        outputs.append(_bash(["bash", "-c", TONECHECK + line.removeprefix("tonecheck")], repo))
    assert outputs[0].returncode == 0, outputs[0]
    assert outputs[1].returncode == 1 and outputs[1].stdout.count(" PAG003 ") == 2, outputs[1]
    report = json.loads((repo / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert {issue["location"]["path"] for issue in report} == {"replies/restart.md", "zendesk/macros.json"}
