"""Every finding (code, start, end) on every corpus, to show that a change keeps behaviour.

    python benchmarks/findings_snapshot.py --write /tmp/before.json     # before the change
    python benchmarks/findings_snapshot.py --compare /tmp/before.json   # after: lists differences

Corpora: corpora/*.jsonl (labelled, in their own mode) and ../shared/corpora/real/*/*.jsonl
(templates in saved mode, sent replies in draft mode), with the default configuration and with
preview rules.

Beside (code, start, end), the snapshot keeps each reply's whole report but its text (every
finding's message, match, line/column and suggestions with their replacements and offsets; the
reply's language, channel, regions and notes); `--compare` reports the replies whose whole report
differs too, so a change that keeps the spans but alters a suggestion is seen.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from real_judged import REAL, SENT  # noqa: E402

import tonecheck  # noqa: E402


def corpora() -> list[tuple[str, str, str, str]]:
    """(corpus, id, mode, text) for every reply of every corpus."""
    rows: list[tuple[str, str, str, str]] = []
    for path in sorted((ROOT / "corpora").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else None
            if row and "text" in row:
                rows.append((path.name, row["id"], row.get("mode", "draft"), row["text"]))
    for path in sorted(REAL.glob("*/*.jsonl")):
        mode = "draft" if path.parent.name in SENT else "saved"
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.append((f"{path.parent.name}/{path.name}", row["id"], mode, row["text"]))
    return rows


def snapshot(config: tonecheck.Config | None) -> tuple[dict[str, list[list[object]]], dict[str, str]]:
    """(code, start, end) of every finding per reply, and each reply's whole report as JSON."""
    out: dict[str, list[list[object]]] = {}
    full: dict[str, str] = {}
    for corpus, reply_id, mode, text in corpora():
        report = tonecheck.check(text, mode=mode, config=config)  # type: ignore[arg-type]
        key = f"{corpus}\t{reply_id}"
        out[key] = [[f.code, f.start, f.end] for f in report.findings]
        full[key] = report.model_dump_json(exclude={"text"})
    return out, full


def _configs() -> dict[str, tonecheck.Config | None]:
    configs: dict[str, tonecheck.Config | None] = {"default": None}
    if "preview" in tonecheck.Config.model_fields:
        configs["preview"] = tonecheck.Config(preview=True)  # type: ignore[call-arg]
    return configs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path)
    group.add_argument("--compare", type=Path)
    args = parser.parse_args()
    now: dict[str, dict] = {}
    for name, config in _configs().items():
        now[name], now[f"{name} (whole reports)"] = snapshot(config)
    if args.write:
        args.write.write_text(json.dumps(now), encoding="utf-8")
        print(f"{sum(len(v) for v in now['default'].values())} findings on {len(now['default'])} replies")
        return 0
    before = json.loads(args.compare.read_text(encoding="utf-8"))
    differ = 0
    for name, current in now.items():
        if name not in before:
            print(f"{name}: not in the earlier snapshot")
            continue
        if name.endswith("(whole reports)"):
            keys = sorted(k for k in set(current) | set(before[name]) if current.get(k) != before[name].get(k))
            for key in keys[:20]:
                print(f"{name} {key}:\n  was {before[name].get(key)}\n  now {current.get(key)}")
            differ += len(keys)
            print(f"{name}: {len(current)} replies, {len(keys)} differ")
            continue
        changed: Counter[str] = Counter()
        for key in sorted(set(current) | set(before[name])):
            old = {tuple(x) for x in before[name].get(key, [])}
            new = {tuple(x) for x in current.get(key, [])}
            for code, start, end in sorted(old - new):
                changed[f"- {code}"] += 1
                print(f"{name} {key}: lost {code} {start}-{end}")
            for code, start, end in sorted(new - old):
                changed[f"+ {code}"] += 1
                print(f"{name} {key}: new {code} {start}-{end}")
        differ += sum(changed.values())
        print(
            f"{name}: {sum(len(v) for v in current.values())} findings, {sum(changed.values())} differ {dict(changed)}"
        )
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
