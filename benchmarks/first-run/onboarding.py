"""From an empty repository to a passing pre-commit hook and a passing CI workflow, following only
the README ("CI: pre-commit, GitHub Actions, GitLab"), timed step by step (issue 13, "Measured").

    python benchmarks/first-run/onboarding.py [--install fresh|offline]

Each step is what the README says, run as commands, in a new git repository holding the replies
of make_repo.py (the team's existing replies; their config is the README's, not make_repo's):

1. install tonecheck from a clone into a virtual environment of its own (`pip install CLONE`),
   and pre-commit; `--install fresh` downloads the dependencies from the package index as a new
   user does, `--install offline` (the default) takes them from this environment (through
   PYTHONPATH, no index), so it times everything but the download;
2. build the wheel CI installs and commit it (`pip wheel --no-deps -w tools CLONE`);
3. write tonecheck.toml, write the baseline (`tonecheck check . --write-baseline`);
4. copy the pre-commit snippet, `pre-commit install`, commit: the hook's first run;
5. copy the GitHub workflow and run its `run:` steps in order (the install step installs the
   committed wheel), as the runner would after checkout;
6. run the GitLab job's `before_script` and `script`.

Prints each step's wall-clock seconds (the machine may be shared: see CPU seconds of the children
too) and the totals; exit 1 if a step fails.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CLONE = HERE.parents[1]
sys.path.insert(0, str(HERE))

from make_repo import write  # noqa: E402

CONFIG = 'helpdesk = ["zendesk", "helpscout"]\nbaseline = ".tonecheck-baseline.json"\n'


class Steps:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.times: list[tuple[str, float, float]] = []

    def run(self, label: str, commands: list[str], cwd: Path, ok: tuple[int, ...] = (0,)) -> None:
        cpu = _children_cpu()
        start = time.perf_counter()
        for command in commands:
            result = subprocess.run(command, shell=True, cwd=cwd, env=self.env, capture_output=True, text=True)
            if result.returncode not in ok:
                print(f"FAILED: {label}: {command}\n{result.stdout}\n{result.stderr}")
                raise SystemExit(1)
        wall, used = time.perf_counter() - start, _children_cpu() - cpu
        self.times.append((label, wall, used))
        print(f"{wall:7.1f} s wall {used:7.1f} s CPU  {label}", flush=True)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--install", choices=("fresh", "offline"), default="offline")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tonecheck-onboarding-") as folder:
        root = Path(folder)
        venv, repo = root / "venv", root / "macros"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GIT_", "VIRTUAL_ENV"))}
        env.update(
            {
                "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
                "PRE_COMMIT_HOME": str(root / "pre-commit-home"),
                "GIT_CONFIG_GLOBAL": str(root / "gitconfig"),
                "GIT_CONFIG_NOSYSTEM": "1",
                "GIT_AUTHOR_NAME": "Lead",
                "GIT_AUTHOR_EMAIL": "lead@example.invalid",
                "GIT_COMMITTER_NAME": "Lead",
                "GIT_COMMITTER_EMAIL": "lead@example.invalid",
            }
        )
        (root / "gitconfig").write_text("", encoding="utf-8")
        pip = "python -m pip install -q --disable-pip-version-check"
        if args.install == "offline":
            import spacy

            env["PYTHONPATH"] = str(Path(spacy.__file__).resolve().parents[1])
            env["PIP_NO_INDEX"] = "1"
            env["PIP_NO_BUILD_ISOLATION"] = "0"  # pip reads it inverted: build with this environment's setuptools
        steps = Steps(env)
        total = time.perf_counter()

        repo.mkdir()
        subprocess.run(["git", "init", "-q", str(repo)], check=True, env=env)
        write(repo, with_config=False)  # the team's replies, already there
        subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
        subprocess.run(["git", "commit", "-q", "--no-verify", "-m", "replies"], cwd=repo, check=True, env=env)

        steps.run(
            "1. install tonecheck (and pre-commit) into a virtual environment",
            [f"{sys.executable} -m venv {venv}", f'{pip} "{CLONE}"']
            + ([f"{pip} pre-commit"] if args.install == "fresh" else []),
            repo,
        )
        steps.run(
            "2. build the wheel CI installs, into tools/",
            [f'python -m pip wheel -q --no-deps --disable-pip-version-check -w tools "{CLONE}"'],
            repo,
        )
        (repo / "tonecheck.toml").write_text(CONFIG, encoding="utf-8")
        steps.run("3. tonecheck.toml and the baseline", ["tonecheck check . --write-baseline"], repo)
        shutil.copy(CLONE / "integrations" / "ci" / "pre-commit-config.yaml", repo / ".pre-commit-config.yaml")
        steps.run("4a. pre-commit install", ["python -m pre_commit install"], repo)
        steps.run("4b. git commit: the hook's first run (passes)", ["git add -A", "git commit -q -m tonecheck"], repo)
        hook_first = steps.times[-1][1]
        (repo / "replies" / "new.md").write_text(
            "Hi {{ticket.requester.first_name}},\n\nPer my last email, the invoice is attached.\n\n"
            "Let me know if you need anything else.\n\nBest,\n{{current_user.first_name}}\n",
            encoding="utf-8",
        )
        steps.run("4c. a commit with a new problem: the hook blocks it", ["git add -A"], repo)
        blocked = subprocess.run(["git", "commit", "-q", "-m", "new"], cwd=repo, env=env, capture_output=True)
        if blocked.returncode == 0 or b"PAG003" not in blocked.stdout + blocked.stderr:
            print("FAILED: the hook did not block a new problem")
            return 1
        subprocess.run(["git", "reset", "-q", "HEAD", "replies/new.md"], cwd=repo, check=True, env=env)
        (repo / "replies" / "new.md").unlink()

        workflow = yaml.safe_load((CLONE / "integrations" / "ci" / "tonecheck.yml").read_text(encoding="utf-8"))
        (repo / ".github" / "workflows").mkdir(parents=True)
        shutil.copy(CLONE / "integrations" / "ci" / "tonecheck.yml", repo / ".github" / "workflows" / "tonecheck.yml")
        steps.env = {**env, **{k: str(v) for k, v in workflow.get("env", {}).items()}}
        runs = [step["run"] for step in workflow["jobs"]["tonecheck"]["steps"] if "run" in step]
        steps.run("5. the GitHub workflow's commands", runs, repo)
        job = yaml.safe_load((CLONE / "integrations" / "ci" / "gitlab-ci.yml").read_text(encoding="utf-8"))["tonecheck"]
        steps.env = {**env, **{k: str(v) for k, v in job.get("variables", {}).items()}}
        steps.run("6. the GitLab job's commands", [*job["before_script"], *job["script"]], repo)

        elapsed = time.perf_counter() - total
        to_hook = sum(wall for label, wall, _ in steps.times if label[0] in "1234" and not label.startswith("4c"))
        print(
            f"\ninstall: {args.install}; empty repository -> passing pre-commit hook: {to_hook:.1f} s; "
            f"-> GitHub and GitLab commands passing: {elapsed:.1f} s; the hook's first run: {hook_first:.1f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
