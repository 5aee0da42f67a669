"""The first run of tonecheck on a fresh saved-reply repository, judged (issue 13, "Measured").

    python benchmarks/first-run/run.py [--preview]

Writes the repository of make_repo.py to a temporary git work tree, runs `tonecheck check .` in
it as a new user would (the team's tonecheck.toml, nothing else), and compares every finding with
the verdicts in judged.json: it prints each finding with its verdict and reason, then the counts.
Exit 1 when a finding has no verdict (judge it and add it to judged.json) or a judged finding is
gone (the run changed: judge again).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_repo import write  # noqa: E402


def first_run(preview: bool) -> list[list[object]]:
    with tempfile.TemporaryDirectory(prefix="tonecheck-first-run-") as folder:
        repo = write(Path(folder) / "macros")
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
        argv = [
            sys.executable,
            "-m",
            "tonecheck",
            "check",
            ".",
            "--format",
            "json",
            *(["--preview"] if preview else []),
        ]
        result = subprocess.run(argv, cwd=repo, capture_output=True, text=True, check=False)
        if result.returncode not in (0, 1):
            sys.exit(f"tonecheck failed: {result.stderr}")
        payload = json.loads(result.stdout)
    return [
        [file["path"], finding["reply_id"], finding["code"], finding["match"]]
        for file in payload["files"]
        for finding in file["findings"]
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preview", action="store_true", help="the run with --preview (preview rules too)")
    args = parser.parse_args()
    part = "preview" if args.preview else "default"
    judged = {json.dumps(entry["finding"]): entry for entry in json.loads((HERE / "judged.json").read_text())[part]}
    found = first_run(args.preview)
    right = wrong = unjudged = 0
    for finding in found:
        entry = judged.get(json.dumps(finding))
        verdict = entry["verdict"] if entry else "UNJUDGED"
        right += verdict == "right"
        wrong += verdict == "wrong"
        unjudged += entry is None
        where = f"{finding[0]}" + (f" [{finding[1]}]" if finding[1] else "")
        print(f"{verdict:<8} {finding[2]} {where}: {finding[3]!r}" + (f" -- {entry['reason']}" if entry else ""))
    gone = [key for key in judged if json.loads(key) not in found]
    for key in gone:
        print(f"GONE     {key}")
    print(
        f"\n{part} run: {len(found)} findings, {right} right, {wrong} wrong, {unjudged} unjudged"
        + (f", {len(gone)} judged findings gone" if gone else "")
        + (f"; precision {right / (right + wrong):.2f}" if right + wrong else "")
    )
    return 1 if unjudged or gone else 0


if __name__ == "__main__":
    raise SystemExit(main())
