"""Rewrites offered, and the verdicts on them: is each one grammatical, the same meaning, better?

`corpora/rewrites-judged.jsonl` holds one verdict per line on one rewrite: a suggestion with a
replacement (safe or unsafe) that tonecheck offers, with every rule on (preview included), on

- `real`: the replies of the judged real sample (corpora/real-judged.jsonl). The texts stay in
  ../shared/corpora/real (several licences forbid copying them), so these verdicts are
  references only: `file`, `id`, `part`, `code`, `start`, `end`, `replacement`, never the
  sentence. The tuning part is read and judged by anyone; the report part is held apart: judged
  by judges who do not change rules, and read by whoever tunes them as figures only;
- `labelled`, `rewrites`: our own corpora (corpora/labelled.jsonl, rewrites.jsonl), where the
  verdict also keeps the sentence before and after (`before`, `after`). corpora/holdout.jsonl
  (`holdout`) is held out like the report part.

`start`, `end` and `replacement` are the edit as applied (a suggestion comes tidied), so a rewrite that reads
differently after a change is a new rewrite, and is not counted until someone has judged it.
Each verdict answers three questions, true or false: `grammatical` (the sentence after the edit
is good English in its context), `same_meaning` (it says what the agent meant, no more, no less)
and `better` (a support lead would rather send it), with a short `reason`. See corpora/LABELLING.md.

    python benchmarks/quality.py --rewrites-judged [--dump-unjudged FILE]
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

ROOT = Path(__file__).resolve().parents[1]
JUDGED = ROOT / "corpora" / "rewrites-judged.jsonl"
OWN = {
    "labelled": ROOT / "corpora" / "labelled.jsonl",
    "holdout": ROOT / "corpora" / "holdout.jsonl",
    "rewrites": ROOT / "corpora" / "rewrites.jsonl",
}
HELD_OUT = {"holdout"}  # own corpora measured with the report part, never read by whoever tunes rules
QUESTIONS = ("grammatical", "same_meaning", "better")
TONE = ("negative-language", "passive-aggressive")


@dataclass(frozen=True)
class Text:
    source: str  # real | labelled | holdout | rewrites
    file: str  # the real file (relative to the real corpus), or the corpus file name
    id: str
    mode: str
    text: str
    part: str | None = None  # tuning | report, for real replies
    context: dict[str, str] | None = None


def own_texts() -> Iterator[Text]:
    for source, path in OWN.items():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            text = row.get("text", row.get("original"))
            yield Text(source, path.name, row["id"], row.get("mode", "draft"), text, context=row.get("context") or None)


def real_texts() -> Iterator[Text]:
    import real_judged

    records = real_judged.read_judged()
    for reply in real_judged.load_replies(records):
        yield Text("real", reply.file, reply.id, reply.mode, reply.text, part=reply.part)


def part_of(source: str, real_part: str | None) -> str:
    """`tuning` or `report`: which part a text (or a verdict on it) belongs to."""
    if source == "real":
        return real_part or "report"
    return "report" if source in HELD_OUT else "tuning"


def in_part(verdict: dict[str, Any], part: str) -> bool:
    return part == "all" or part_of(verdict["source"], verdict.get("part")) == part


def texts(part: str, own_only: bool = False) -> Iterator[Text]:
    """The texts of one part (`tuning`, `report` or `all`): our corpora, then the real sample."""
    for item in own_texts():
        if part == "all" or part_of(item.source, None) == part:
            yield item
    if not own_only:
        for item in real_texts():
            if part == "all" or item.part == part:
                yield item


def key(source: str, file: str, reply_id: str, code: str, start: int, end: int, replacement: str) -> tuple[Any, ...]:
    return (source, file, reply_id, code, start, end, replacement)


_SENTENCE_END = regex.compile(r"[.!?]+(?=\s|$)|\n")


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) holding text[start:end], for showing a rewrite in its context."""
    left = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    m = _SENTENCE_END.search(text, end)
    right = m.end() if m else len(text)
    while left < start and text[left].isspace():
        left += 1
    return left, max(right, end)


def _applied(text: str, finding: Any) -> Iterator[tuple[Any, int, int, str]]:
    """Each rewrite a finding carries: the suggestion, and its edit as applied on its own (tidied
    by the engine, as `fix` applies it)."""
    for s in finding.suggestions:
        if s.replacement is None or s.applicability.value == "display-only":
            continue
        start = finding.start if s.start is None else s.start
        end = finding.end if s.end is None else s.end
        yield s, start, end, s.replacement


def offered(item: Text, check: Callable[[Text], Any]) -> list[dict[str, Any]]:
    """Every rewrite offered on a text, as applied on its own."""
    rows: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for f in check(item).findings:
        for s, start, end, replacement in _applied(item.text, f):
            k = key(item.source, item.file, item.id, f.code, start, end, replacement)
            if k in seen:
                continue
            seen.add(k)
            after_text = item.text[:start] + replacement + item.text[end:]
            left, right = sentence_around(item.text, start, end)
            row: dict[str, Any] = {
                "source": item.source,
                "file": item.file,
                "id": item.id,
                "code": f.code,
                "category": f.category,
                "start": start,
                "end": end,
                "replacement": replacement,
                "title": s.title,
                "applicability": s.applicability.value,
                "before": item.text[left:right],
                "after": after_text[left : right + len(replacement) - (end - start)],
            }
            if item.part is not None:
                row["part"] = item.part
            rows.append(row)
    return rows


def row_key(row: dict[str, Any]) -> tuple[Any, ...]:
    return key(row["source"], row["file"], row["id"], row["code"], row["start"], row["end"], row["replacement"])


def good(verdict: dict[str, Any] | None) -> bool:
    """Judged grammatical, the same meaning and better."""
    return verdict is not None and all(bool(verdict[q]) for q in QUESTIONS)


def read_verdicts(path: Path = JUDGED) -> dict[tuple[Any, ...], dict[str, Any]]:
    if not path.exists():
        return {}
    verdicts = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            verdicts[key(r["source"], r["file"], r["id"], r["code"], r["start"], r["end"], r["replacement"])] = r
    return verdicts


def findings_with_rewrite(item: Text, check: Callable[[Text], Any]) -> Iterator[tuple[str, str, list[tuple[Any, ...]]]]:
    """(code, category, the keys of the rewrites it carries) for every finding on a text."""
    for f in check(item).findings:
        carried = [
            key(item.source, item.file, item.id, f.code, start, end, replacement)
            for _, start, end, replacement in _applied(item.text, f)
        ]
        yield f.code, f.category, carried
