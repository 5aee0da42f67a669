"""Baselines: record today's findings so that only new ones are reported.

An entry is (path, reply id, rule code, matched text) with a count, not a line number, so it
survives unrelated edits: moving a reply, or editing another one, does not bring its old
findings back.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from .._exceptions import InputError
from .._types import Finding, Report, finding_identity, normalised_match

Key = tuple[str, str, str, str]


def key(path: str, reply_id: str | None, finding: Finding, export_id: str | None = None) -> Key:
    """A finding's baseline entry: its file, its reply and its identity (not its line, so
    unrelated edits do not revive it). A reply with a stable id in its export (a Zendesk macro
    id) is keyed by "id:<id>", so renaming its title does not revive its findings either."""
    reply = f"id:{export_id}" if export_id else (reply_id or "")
    return (path, reply, *finding_identity(finding))


class Matcher:
    """Today's findings against a baseline: which are new, how many it hides, and which of its
    entries match nothing any more (fixed or changed: the baseline can be rewritten)."""

    def __init__(self, entries: Counter[Key]) -> None:
        self.remaining = Counter(entries)
        self.hidden = 0
        self.paths: set[str] = set()

    def new_findings(self, path: str, report: Report) -> tuple[Finding, ...]:
        self.paths.add(path)
        kept: list[Finding] = []
        for finding in report.findings:
            by_id = key(path, report.reply_id, finding, report.export_id)
            by_title = key(path, report.reply_id, finding)  # baselines written before ids were used
            for entry in (by_id, by_title):
                if self.remaining[entry] > 0:
                    self.remaining[entry] -= 1
                    self.hidden += 1
                    break
            else:
                kept.append(finding)
        return tuple(kept)

    def stale(self) -> int:
        """Entries for the files checked in this run that matched no finding."""
        return sum(n for (p, *_), n in self.remaining.items() if n > 0 and p in self.paths)


def write(path: Path, keys: Iterable[Key]) -> int:
    counts = Counter(keys)
    entries = [{"path": p, "reply": r, "code": c, "match": m, "count": n} for (p, r, c, m), n in sorted(counts.items())]
    path.write_text(
        json.dumps({"version": 1, "entries": entries}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return len(entries)


def read(path: Path) -> Counter[Key]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["entries"] if data.get("version") == 1 else None
        if not isinstance(entries, list):
            raise ValueError('expected {"version": 1, "entries": [...]}')
        return Counter(
            {
                (e["path"], e.get("reply", ""), e["code"], normalised_match(e["match"])): int(e.get("count", 1))
                for e in entries
            }
        )
    except FileNotFoundError:
        raise InputError(f"{path}: baseline file not found") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: not a tonecheck baseline: {exc}") from None
