"""The judged sample of real replies: which replies, which verdicts, and the figures they give.

`corpora/real-judged.jsonl` holds references only (the texts stay in ../shared/corpora/real, whose
licences forbid copying several of them). One JSON object per line, by `kind`:

- `reply`: a sampled reply: `file` (relative to the real corpus), `id`, `part` (`tuning` or
  `report`, split by source or brand, never at random), `mode` (`saved` for templates, `draft`
  for sent replies) and `recall` (true when the whole reply was read for what should be flagged).
- `finding`: a verdict on one finding: `file`, `id`, `start`, `end`, `category`, `code` (the rule
  that raised it when judged; verdicts are matched by span, category and whether that rule is a
  note, so a renumbered rule keeps them), `match`, `verdict` (`correct` or `wrong`) and `reason`. A
  note (`kind: note`, e.g. NEG005) remarks on text that is fine, so a verdict on a finding of its
  category on the same span ("no refusal here") says nothing about it: notes have verdicts of
  their own.
- `expected`: on a `recall` reply, a span a support lead would want flagged: `file`, `id`,
  `start`, `end`, `category`, `reason`.

The judging rules are in corpora/LABELLING.md. `python benchmarks/quality.py --real-judged` prints
the figures; `--dump-unjudged FILE` writes every finding that has no verdict yet, with its reply,
for a judge.
"""

from __future__ import annotations

import functools
import hashlib
import json
import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
JUDGED = ROOT / "corpora" / "real-judged.jsonl"
REAL = ROOT.parent / "shared" / "corpora" / "real"

SEED = 20261203
# Sent replies are sampled; every template and saved reply is taken (there are few of them).
QUOTAS = {"ibm_twitter_cdp": 350, "twcs_sample": 400, "twcs_tweetsumm": 300, "twcs_brands": 60}
SENT = {"ibm_twitter_cdp", "twcs_sample", "twcs_tweetsumm", "twcs_brands", "abcd_sample"}
RECALL_EVERY = 5  # one sampled reply in five is read whole for what should have been flagged


def group_of(folder: str, path: Path, source: str) -> str:
    """The unit the tuning/report split is made on: the brand for tweets, the repository or
    product for templates."""
    if folder == "twcs_brands":
        return f"brand:{path.stem}"
    match = re.search(r"\b(?:brand|agent)=(\w+)", source)
    if match:
        return f"brand:{match.group(1)}"
    if folder == "github_saved_replies":
        return f"repo:{path.stem}"
    return f"source:{folder}"


def part_of(group: str) -> str:
    """Half the groups, by a stable hash of the group's name, are held apart for reporting."""
    return "report" if hashlib.sha1(group.encode()).digest()[0] % 2 else "tuning"


@dataclass(frozen=True)
class Reply:
    file: str
    id: str
    part: str
    mode: str
    recall: bool
    text: str = field(compare=False, repr=False)
    supplement: str | None = None  # drawn to judge this one rule: only its findings count here


def draw_sample(real: Path = REAL) -> list[dict[str, Any]]:
    """The seeded sample, as `reply` records (used once to write the corpus; the corpus then
    keeps the list, so a change here never moves the judged sample silently)."""
    rng = random.Random(SEED)
    records: list[dict[str, Any]] = []
    for path in sorted(real.glob("*/*.jsonl")):
        folder = path.parent.name
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        quota = QUOTAS.get(folder)
        picked = rng.sample(rows, min(quota, len(rows))) if quota else rows
        mode = "draft" if folder in SENT else "saved"
        for i, row in enumerate(picked):
            group = group_of(folder, path, row.get("source", ""))
            records.append(
                {
                    "kind": "reply",
                    "file": f"{folder}/{path.name}",
                    "id": row["id"],
                    "part": part_of(group),
                    "group": group,
                    "mode": mode,
                    "recall": i % RECALL_EVERY == 0,
                }
            )
    return records


def read_judged(path: Path = JUDGED) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_replies(records: Iterable[dict[str, Any]], real: Path = REAL) -> list[Reply]:
    wanted = [r for r in records if r["kind"] == "reply"]
    texts: dict[tuple[str, str], str] = {}
    for file in {r["file"] for r in wanted}:
        for line in (real / file).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts[(file, row["id"])] = row["text"]
    return [
        Reply(r["file"], r["id"], r["part"], r["mode"], r["recall"], texts[(r["file"], r["id"])], r.get("supplement"))
        for r in wanted
    ]


def finding_key(
    file: str, reply_id: str, start: int, end: int, category: str, code: str
) -> tuple[str, str, int, int, str, bool]:
    """What a verdict is matched by: the span, the category and whether `code` is a note rule."""
    return (file, reply_id, start, end, category, code in note_codes())


@functools.cache
def _pack_rules() -> tuple[Any, ...]:
    """The built-in rules of every language pack (read once)."""
    from tonecheck._language import packs
    from tonecheck._ruleset.load import load_rules

    return tuple(rule for language in packs() for rule in load_rules((), language).rules)


@functools.cache
def note_codes() -> frozenset[str]:
    """The codes of the note rules (`kind: note`) of every language."""
    return frozenset(rule.code for rule in _pack_rules() if rule.kind == "note")


@functools.cache
def narrowed_sources() -> dict[str, tuple[str, ...]]:
    """Per narrowing rule (`kind: narrowing`, e.g. NEG007), the rules it narrows: a reply drawn to
    judge a source rule counts for the narrowing rule too (its findings there are the source's
    that pass a stricter context, so a random draw of the source's replies is one of its own)."""
    return {rule.code: rule.narrows for rule in _pack_rules() if rule.kind == "narrowing"}


def every_rule() -> Callable[[str, str], list[Any]]:
    """`check(text, mode)` giving the findings of every rule, preview ones included: what
    `measure_rules` decides statuses on. A narrowing rule reports nothing where its source is
    reported too (preview reports NEG001 itself, not NEG007, its strict part), so its findings
    come from a second linter that runs the narrowing rules alone: every match they report when
    selected, none taken by an overlapping finding of another rule."""
    import tonecheck

    narrowing = narrowed_sources()
    linter = tonecheck.Linter(tonecheck.Config(preview=True))
    strict = tonecheck.Linter(tonecheck.Config(preview=True, select=sorted(narrowing))) if narrowing else None

    def check(text: str, mode: str) -> list[Any]:
        findings = list(linter.check(text, mode=mode).findings)
        if strict is not None:
            findings += [f for f in strict.check(text, mode=mode).findings if f.code in narrowing]
        return findings

    return check


@dataclass
class Figures:
    """Judged precision per rule and category, recall, flag rates, and what is not judged yet."""

    per_rule: dict[str, Counter[str]]
    per_category: dict[str, Counter[str]]
    recall: dict[str, Counter[str]]
    flagged: dict[str, Counter[str]]  # per genre: replies, and replies with a finding per category
    unjudged: list[dict[str, Any]]


def _genre(file: str) -> str:
    return "sent" if file.split("/")[0] in SENT else "templates"


def evaluate(
    findings_for: Any,
    *,
    part: str | None = "report",
    records: list[dict[str, Any]] | None = None,
    real: Path = REAL,
) -> Figures:
    """`findings_for(reply)` returns the findings to judge (objects with code, category, start,
    end, match). `part` restricts the figures to `tuning` or `report` replies (None: both)."""
    records = read_judged() if records is None else records
    verdicts = {
        finding_key(r["file"], r["id"], r["start"], r["end"], r["category"], r["code"]): r
        for r in records
        if r["kind"] == "finding"
    }
    expected: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        if r["kind"] == "expected":
            expected[(r["file"], r["id"])].append(r)
    per_rule: dict[str, Counter[str]] = defaultdict(Counter)
    per_category: dict[str, Counter[str]] = defaultdict(Counter)
    recall: dict[str, Counter[str]] = defaultdict(Counter)
    flagged: dict[str, Counter[str]] = defaultdict(Counter)
    unjudged: list[dict[str, Any]] = []
    for reply in load_replies(records, real):
        if part is not None and reply.part != part:
            continue
        findings = list(findings_for(reply))
        if reply.supplement is not None:  # a rule-targeted draw: only per-rule precision, only that rule
            for f in findings:
                if f.code != reply.supplement and reply.supplement not in narrowed_sources().get(f.code, ()):
                    continue
                verdict = verdicts.get(finding_key(reply.file, reply.id, f.start, f.end, f.category, f.code))
                per_rule[f.code][
                    "unjudged" if verdict is None else "correct" if verdict["verdict"] == "correct" else "wrong"
                ] += 1
                if verdict is None:
                    unjudged.append(_unjudged(reply, f))
            continue
        genre = _genre(reply.file)
        flagged[genre]["replies"] += 1
        flagged[genre]["any"] += bool(findings)
        for category in {f.category for f in findings}:
            flagged[genre][category] += 1
        for f in findings:
            verdict = verdicts.get(finding_key(reply.file, reply.id, f.start, f.end, f.category, f.code))
            if verdict is None:
                unjudged.append(_unjudged(reply, f))
                per_rule[f.code]["unjudged"] += 1
                per_category[f.category]["unjudged"] += 1
                continue
            outcome = "correct" if verdict["verdict"] == "correct" else "wrong"
            per_rule[f.code][outcome] += 1
            per_category[f.category][outcome] += 1
        if reply.recall:
            for exp in expected.get((reply.file, reply.id), []):
                hit = any(
                    f.category == exp["category"] and f.start < exp["end"] and exp["start"] < f.end for f in findings
                )
                recall[exp["category"]]["expected"] += 1
                recall[exp["category"]]["found"] += hit
    return Figures(dict(per_rule), dict(per_category), dict(recall), dict(flagged), unjudged)


def _unjudged(reply: Reply, f: Any) -> dict[str, Any]:
    return {
        "file": reply.file,
        "id": reply.id,
        "part": reply.part,
        "mode": reply.mode,
        "code": f.code,
        "category": f.category,
        "start": f.start,
        "end": f.end,
        "match": f.match,
        "message": f.message,
        "suggestions": [s.replacement for s in f.suggestions if s.replacement],
        "text": reply.text,
    }


def draw_supplements(
    wanted: dict[str, int], findings_for: Any, *, records: list[dict[str, Any]], real: Path = REAL
) -> dict[str, list[dict[str, Any]]]:
    """Per rule code, up to `wanted[code]` replies outside the sample on which that rule fires,
    seeded, for judging a rule that fires too rarely in the sample to measure (`reply` records
    with `supplement: code`). One pass over the real replies serves every code."""
    taken = {(r["file"], r["id"]) for r in records if r["kind"] == "reply"}
    candidates: dict[str, list[dict[str, Any]]] = {code: [] for code in wanted}
    for path in sorted(real.glob("*/*.jsonl")):
        folder = path.parent.name
        mode = "draft" if folder in SENT else "saved"
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            file = f"{folder}/{path.name}"
            if (file, row["id"]) in taken:
                continue
            reply = Reply(file, row["id"], "", mode, False, row["text"])
            for code in {f.code for f in findings_for(reply)} & candidates.keys():
                group = group_of(folder, path, row.get("source", ""))
                candidates[code].append(
                    {
                        "kind": "reply",
                        "file": file,
                        "id": row["id"],
                        "part": part_of(group),
                        "group": group,
                        "mode": mode,
                        "recall": False,
                        "supplement": code,
                    }
                )
    for code, found in candidates.items():
        random.Random(f"{SEED}:{code}").shuffle(found)
        del found[wanted[code] :]
    return candidates


def precision(c: Counter[str]) -> float | None:
    judged = c["correct"] + c["wrong"]
    return round(c["correct"] / judged, 3) if judged else None


def measured_precision(findings_for: Any, records: list[dict[str, Any]] | None = None) -> dict[str, tuple[int, int]]:
    """Per rule, (correct, judged) over the whole sample: what `status` is decided on."""
    figures = evaluate(findings_for, part=None, records=records)
    return {code: (c["correct"], c["correct"] + c["wrong"]) for code, c in figures.per_rule.items()}


def iter_unjudged_batches(unjudged: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(unjudged), size):
        yield unjudged[i : i + size]


MEASURED = ROOT / "rules" / "measured.json"
HOLDOUT = ROOT / "corpora" / "holdout.jsonl"
MIN_JUDGED, MIN_PRECISION, MIN_HOLDOUT_PRECISION = 20, 0.90, 0.95


def measure_rules(check: Any) -> dict[str, dict[str, Any]]:
    """Per rule, what its status is decided on: judged precision on real replies (the whole
    judged sample and its rule-targeted supplements), how often it fires on all real replies,
    and its precision on the labelled holdout (a finding is right when its category is expected
    in that reply). `check(text, mode)` runs every rule, preview ones included."""
    figures = evaluate(lambda r: check(r.text, r.mode), part=None)
    fired: Counter[str] = Counter()
    for path in sorted(REAL.glob("*/*.jsonl")):
        mode = "draft" if path.parent.name in SENT else "saved"
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                fired.update(f.code for f in check(json.loads(line)["text"], mode))
    holdout: dict[str, Counter[str]] = defaultdict(Counter)
    for line in HOLDOUT.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        for f in check(row["text"], row.get("mode", "draft")):
            holdout[f.code]["findings"] += 1
            holdout[f.code]["correct"] += bool(row["expect"].get(f.category))
    codes = sorted(set(figures.per_rule) | set(fired) | set(holdout))
    return {
        code: {
            "real_judged": figures.per_rule.get(code, Counter())["correct"]
            + figures.per_rule.get(code, Counter())["wrong"],
            "real_correct": figures.per_rule.get(code, Counter())["correct"],
            "real_unjudged": figures.per_rule.get(code, Counter())["unjudged"],
            "real_fired": fired[code],
            "holdout_findings": holdout[code]["findings"],
            "holdout_correct": holdout[code]["correct"],
        }
        for code in codes
    }


def may_be_stable(entry: dict[str, Any] | None) -> bool:
    """The bar a rule must meet to run by default: right at least 9 times in 10 over at least 20
    judged findings on real replies, or silent on all real replies and right at least 19 times in
    20 on the labelled holdout."""
    if entry is None:
        return False
    judged, correct = entry["real_judged"], entry["real_correct"]
    if judged >= MIN_JUDGED and entry["real_unjudged"] == 0:
        return correct / judged >= MIN_PRECISION
    if entry["real_fired"] == 0 and entry["holdout_findings"]:
        return entry["holdout_correct"] / entry["holdout_findings"] >= MIN_HOLDOUT_PRECISION
    return False
