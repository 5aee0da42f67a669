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

from .._atomic import write_atomically
from .._exceptions import InputError
from .._files import read_regular
from .._types import Finding, finding_identity, normalised_match

Key = tuple[str, str, str, str]


def key(path: str, reply_id: str | None, finding: Finding) -> Key:
    """A finding's baseline entry: its file, its reply and its identity (not its line, so
    unrelated edits do not revive it)."""
    return (path, reply_id or "", *finding_identity(finding))


MAX_BASELINE_BYTES = 200_000_000


def write(path: Path, keys: Iterable[Key]) -> int:
    """Write the baseline file (in one step: an interrupted run leaves the old one)."""
    counts = Counter(keys)
    entries = [{"path": p, "reply": r, "code": c, "match": m, "count": n} for (p, r, c, m), n in sorted(counts.items())]
    text = json.dumps({"version": 1, "entries": entries}, indent=2, ensure_ascii=False) + "\n"
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a file name for the baseline")
    if not path.parent.is_dir():
        raise InputError(f"{path}: cannot write the baseline: folder {path.parent} does not exist")
    try:
        write_atomically(path, text.encode("utf-8", "surrogateescape"))
    except OSError as exc:
        raise InputError(f"{path}: cannot write the baseline: {exc.strerror or exc}") from None
    return len(entries)


def read(path: Path) -> Counter[Key]:
    """The entries of a baseline file; InputError (one line) for anything that is not one."""
    data, _ = read_regular(path, limit=MAX_BASELINE_BYTES)
    problem = 'expected {"version": 1, "entries": [...]}'
    try:
        parsed = json.loads(data.decode("utf-8-sig", "surrogateescape"))
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, a 5,000-digit number, deep nesting
        raise InputError(f"{path}: not a tonecheck baseline: {_short(exc)}") from None
    if not isinstance(parsed, dict) or parsed.get("version") != 1 or not isinstance(parsed.get("entries"), list):
        raise InputError(f"{path}: not a tonecheck baseline: {problem}")
    counts: Counter[Key] = Counter()
    for index, entry in enumerate(parsed["entries"]):
        where = f"{path}: not a tonecheck baseline: entry {index + 1}"
        if not isinstance(entry, dict):
            raise InputError(f"{where}: not an object")
        fields = {}
        for name in ("path", "code", "match"):
            if not isinstance(entry.get(name), str):
                raise InputError(f"{where}: '{name}' must be a string")
            fields[name] = entry[name]
        reply = entry.get("reply", "")
        if reply is None:
            reply = ""
        if not isinstance(reply, str):
            raise InputError(f"{where}: 'reply' must be a string")
        count = entry.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 10**9:
            raise InputError(f"{where}: 'count' must be a whole number from 0 to 1,000,000,000")
        counts[(fields["path"], reply, fields["code"], normalised_match(fields["match"]))] = count
    return counts


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]
