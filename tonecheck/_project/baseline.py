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
from .._types import Finding, finding_identity, normalised_match

Key = tuple[str, str, str, str]


def key(path: str, reply_id: str | None, finding: Finding) -> Key:
    """A finding's baseline entry: its file, its reply and its identity (not its line, so
    unrelated edits do not revive it)."""
    return (path, reply_id or "", *finding_identity(finding))


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
