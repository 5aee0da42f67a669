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
