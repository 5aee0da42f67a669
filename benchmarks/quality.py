"""Quality of tonecheck's detectors, per category, on labelled and on real (unlabelled) replies.

Labelled corpora (corpora/labelled.jsonl format, see corpora/LABELLING.md):
  - reply level: precision and recall of "this reply has a finding of category C";
  - span level: share of `must_flag` substrings overlapped by a finding of their category (hit
    rate), and share of `must_not_flag` substrings overlapped by one (violation rate).
Real corpora (../shared/corpora/real/*/*.jsonl, unlabelled): the share of replies flagged per
category, with a sample of what was flagged to read.

    python benchmarks/quality.py                          # corpora/labelled.jsonl
    python benchmarks/quality.py --corpus corpora/holdout.jsonl
    python benchmarks/quality.py --real ../shared/corpora/real --sample 5
    python benchmarks/quality.py --errors negative-language   # list misses and false alarms
    python benchmarks/quality.py --rewrites-judged        # rewrites offered, judged (rewrites_judged.py)

Note rules (`kind: note`, e.g. NEG005: a limit stated with an alternative) are left out of every
figure but --write-measured's: they remark on text that is fine, so their info-level findings are
no finding of their category (a labelled reply where NEG005 fires expects no negative language).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import tonecheck  # noqa: E402
from tonecheck import CATEGORIES  # noqa: E402
from tonecheck._ruleset.load import load_rules  # noqa: E402

# Folders of the shared corpus that hold saved replies / templates rather than sent replies.
SAVED_FOLDERS = {"github_saved_replies", "osticket", "django_helpdesk", "request_tracker", "zammad", "znuny", "uvdesk"}


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    spans, start = [], text.find(needle)
    while start != -1:
        spans.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return spans


def _overlaps(findings, category: str, spans: list[tuple[int, int]]) -> bool:
    for f in findings:
        if f.category != category:
            continue
        for s, e in spans:
            if (f.start < e and s < f.end) or (f.start == f.end and s <= f.start <= e):
                return True
    return False


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


# rules that only remark on acceptable text (kind: note): not counted as findings of their category
NOTES = tuple(rule.code for rule in load_rules().rules if rule.kind == "note")
CONFIG = tonecheck.Config()  # --preview: every rule but the notes


def evaluate_labelled(rows: list[dict], errors_for: set[str]) -> dict:
    counts = {c: Counter() for c in CATEGORIES}
    error_lines: list[str] = []
    for row in rows:
        report = tonecheck.check(row["text"], mode=row.get("mode", "draft"), config=CONFIG)
        flagged = {f.category for f in report.findings}
        for category in CATEGORIES:
            expected = bool(row["expect"].get(category, False))
            got = category in flagged
            counts[category]["tp" if expected and got else "fp" if got else "fn" if expected else "tn"] += 1
            if category in errors_for and expected != got:
                kind = "MISS" if expected else "FALSE ALARM"
                shown = [f"{f.code}:{f.match!r}" for f in report.findings if f.category == category]
                error_lines.append(f"{kind} {category} {row['id']}: {shown}\n    {row['text'][:600]!r}")
        for category, needle in row.get("must_flag", []):
            spans = _occurrences(row["text"], needle) if needle else [(0, len(row["text"]))]
            hit = _overlaps(report.findings, category, spans) if needle else category in flagged
            counts[category]["must_flag"] += 1
            counts[category]["must_flag_hit"] += hit
        for category, needle in row.get("must_not_flag", []):
            if not needle:
                continue
            violated = _overlaps(report.findings, category, _occurrences(row["text"], needle))
            counts[category]["must_not_flag"] += 1
            counts[category]["must_not_flag_violated"] += violated
            if category in errors_for and violated:
                error_lines.append(f"LOOK-ALIKE FLAGGED {category} {row['id']}: {needle!r}")
    result = {}
    for category, c in counts.items():
        result[category] = {
            "replies": sum(c[k] for k in ("tp", "fp", "fn", "tn")),
            "positives": c["tp"] + c["fn"],
            "precision": _ratio(c["tp"], c["tp"] + c["fp"]),
            "recall": _ratio(c["tp"], c["tp"] + c["fn"]),
            "tp": c["tp"],
            "fp": c["fp"],
            "fn": c["fn"],
            "must_flag_hit_rate": _ratio(c["must_flag_hit"], c["must_flag"]),
            "must_flag": c["must_flag"],
            "look_alike_violation_rate": _ratio(c["must_not_flag_violated"], c["must_not_flag"]),
            "look_alikes": c["must_not_flag"],
        }
    return {"categories": result, "errors": error_lines}


def _apply_first(text: str, finding) -> tuple[str, tuple[int, int]] | None:
    """Apply a finding's first suggestion that has a replacement; return the new text and the
    edited span in it (a suggestion is the whole edit: tidied by the engine)."""
    for suggestion in finding.suggestions:
        if suggestion.replacement is None or suggestion.applicability.value == "display-only":
            continue
        start = finding.start if suggestion.start is None else suggestion.start
        end = finding.end if suggestion.end is None else suggestion.end
        replacement = suggestion.replacement
        new = text[:start] + replacement + text[end:]
        return new, (start, start + len(replacement))
    return None


def _clean_for_rule(text: str, mode: str, code: str, span: tuple[int, int], context=None) -> bool:
    report = tonecheck.check(text, mode=mode, context=context, config=CONFIG)
    start, end = span
    return not any(f.code == code and f.start <= end + 1 and start - 1 <= f.end for f in report.findings)


def _normal(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).casefold()


def evaluate_rewrites(rows: list[dict], table: list[dict]) -> dict:
    """Suggestion coverage and the effect of applying suggestions, per category."""
    stats: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        mode = row.get("mode", "draft")
        for f in tonecheck.check(row["text"], mode=mode, config=CONFIG).findings:
            c = stats[f.category]
            c["findings"] += 1
            c["with_suggestion"] += bool(f.suggestions)
            applied = _apply_first(row["text"], f)
            if applied is None:
                continue
            c["with_rewrite"] += 1
            c["applied_clean"] += _clean_for_rule(applied[0], mode, f.code, applied[1])
    table_stats: dict[str, Counter] = defaultdict(Counter)
    misses: list[str] = []
    for case in table:
        context = case.get("context") or None
        c = table_stats[case["category"]]
        c["cases"] += 1
        original = case["original"]
        at = original.find(case["problem"])
        findings = [
            f
            for f in tonecheck.check(original, context=context, config=CONFIG).findings
            if f.category == case["category"] and f.start < at + len(case["problem"]) and at < f.end
        ]
        if not findings:
            c["not_flagged"] += 1
            misses.append(f"NOT FLAGGED {case['id']}: {original!r}")
            continue
        applied = _apply_first(original, findings[0])
        if applied is None:
            c["no_rewrite"] += 1
            continue
        c["rewritten"] += 1
        c["clean"] += _clean_for_rule(applied[0], "draft", findings[0].code, applied[1], context)
        if _normal(applied[0]) in {_normal(a) for a in case["acceptable"]}:
            c["acceptable"] += 1
        else:
            misses.append(f"NOT ACCEPTABLE {case['id']}: {applied[0]!r} (wanted {case['acceptable'][0]!r})")
    return {
        "findings": {
            cat: {
                "findings": c["findings"],
                "with_suggestion": _ratio(c["with_suggestion"], c["findings"]),
                "with_rewrite": _ratio(c["with_rewrite"], c["findings"]),
                "applied_clean": _ratio(c["applied_clean"], c["with_rewrite"]),
            }
            for cat, c in sorted(stats.items())
        },
        "table": {
            cat: {
                "cases": c["cases"],
                "flagged": _ratio(c["cases"] - c["not_flagged"], c["cases"]),
                "rewritten": _ratio(c["rewritten"], c["cases"]),
                "clean": _ratio(c["clean"], c["rewritten"]),
                "acceptable": _ratio(c["acceptable"], c["rewritten"]),
            }
            for cat, c in sorted(table_stats.items())
        },
        "misses": misses,
    }


# Placeholder syntaxes found in the real saved replies (as documented in their corpus README),
# written independently of the rules so the measurement does not grade itself.
REAL_PLACEHOLDER_SYNTAXES = {
    "{{ liquid / django }}": r"\{\{[^{}\n]+\}\}",
    "{% tag %} / {%uvdesk%}": r"\{%[^%\n]+%\}",
    "%{osticket}": r"%\{[^}\n]+\}",
    "#{zammad}": r"#\{[^}\n]+\}",
    "{$request_tracker}": r"\{\$[^}\n]+\}",
    "<OTRS_tag>": r"<OTRS_[A-Za-z0-9_]+>",
    "<ISSUE_NUMBER>": r"<[A-Z][A-Z0-9]*_[A-Z0-9_]+>",
    "{single}": r"(?<![{$#%\w])\{[A-Za-z_][\w.]*\}(?!\})",
}


def evaluate_placeholders(root: Path) -> dict:
    """Per syntax: occurrences in the real saved replies, the share that passes in saved mode
    (no template-leftover finding on it) and the share flagged in draft mode."""
    import regex

    counts: dict[str, Counter] = {name: Counter() for name in REAL_PLACEHOLDER_SYNTAXES}
    for path in sorted(root.glob("*/*.jsonl")):
        if path.parent.name not in SAVED_FOLDERS:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            text = json.loads(line)["text"]
            saved = tonecheck.check(text, mode="saved")
            draft = tonecheck.check(text, mode="draft")
            foreign = [(r.start, r.end) for r in draft.regions if r.kind in ("quoted", "code")]
            for name, source in REAL_PLACEHOLDER_SYNTAXES.items():
                for m in regex.finditer(source, text):
                    if any(s <= m.start() < e for s, e in foreign):
                        continue  # inside code or quoted text, where nothing is linted
                    c = counts[name]
                    c["occurrences"] += 1
                    c["passes_saved"] += not _overlaps(saved.findings, "template-leftover", [m.span()])
                    c["flagged_draft"] += _overlaps(draft.findings, "template-leftover", [m.span()])
    return {
        name: {
            "occurrences": c["occurrences"],
            "passes_in_saved": _ratio(c["passes_saved"], c["occurrences"]),
            "flagged_in_draft": _ratio(c["flagged_draft"], c["occurrences"]),
        }
        for name, c in counts.items()
        if c["occurrences"]
    }


def evaluate_real(root: Path, sample: int, seed: int) -> dict:
    by_folder: dict[str, dict] = {}
    flagged_examples: dict[str, list[str]] = defaultdict(list)
    for path in sorted(root.glob("*/*.jsonl")):
        folder = path.parent.name
        mode = "saved" if folder in SAVED_FOLDERS else "draft"
        stats = by_folder.setdefault(folder, {"mode": mode, "replies": 0, **dict.fromkeys(CATEGORIES, 0)})
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            report = tonecheck.check(row["text"], mode=mode, config=CONFIG)
            stats["replies"] += 1
            for category in {f.category for f in report.findings}:
                stats[category] += 1
            for f in report.findings:
                flagged_examples[f.category].append(f"[{folder}/{row['id']}] {f.code} {f.match!r}")
    rng = random.Random(seed)
    samples = {c: rng.sample(v, min(sample, len(v))) for c, v in flagged_examples.items()}
    return {"folders": by_folder, "samples": samples}


def write_measured() -> int:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import real_judged

    measured = real_judged.measure_rules(real_judged.every_rule())
    real_judged.MEASURED.write_text(json.dumps(measured, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    eligible = sorted(code for code, entry in measured.items() if real_judged.may_be_stable(entry))
    print(
        f"wrote {real_judged.MEASURED.relative_to(ROOT)}: {len(measured)} rules; may be stable: {', '.join(eligible)}"
    )
    return 0


def draw_supplement(codes: list[str], wanted: int) -> int:
    """Rule-targeted draws for rules with too few findings in the judged sample to measure."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import real_judged

    check = real_judged.every_rule()
    records = real_judged.read_judged()
    measured = real_judged.measured_precision(lambda r: check(r.text, r.mode), records)
    unjudged = real_judged.evaluate(lambda r: check(r.text, r.mode), part=None, records=records)
    short = {}
    for code in (c.strip().upper() for c in codes if c.strip()):
        have = measured.get(code, (0, 0))[1] + unjudged.per_rule.get(code, Counter())["unjudged"]
        if have < wanted:
            short[code] = wanted - have
    if not short:
        print("every rule named already has enough findings in the sample")
        return 0
    drawn = real_judged.draw_supplements(short, lambda r: check(r.text, r.mode), records=records)
    with real_judged.JUDGED.open("a", encoding="utf-8") as out:
        for code, replies in drawn.items():
            for record in replies:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            print(f"{code}: wanted {short[code]} more findings, drew {len(replies)} replies")
    return 0


def report_real_judged(args: argparse.Namespace) -> int:
    """Judged precision on real replies nobody here wrote: per rule and category, with recall
    on the replies read whole and the share of replies flagged, on one part of the sample."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import real_judged

    config = tonecheck.Config(preview=args.preview, ignore=NOTES)
    chosen = args.part or "report"
    part = None if chosen == "all" else chosen
    figures = real_judged.evaluate(lambda r: tonecheck.check(r.text, mode=r.mode, config=config).findings, part=part)
    label = f"{chosen} part" + (", preview rules on" if args.preview else ", default rules")
    print(f"\njudged precision on real replies ({label})")
    print(f"{'rule / category':<22} {'correct':>7} {'wrong':>6} {'precision':>9} {'unjudged':>8}")
    for name, c in [*sorted(figures.per_rule.items()), ("", None), *sorted(figures.per_category.items())]:
        if c is None:
            print()
            continue
        print(f"{name:<22} {c['correct']:>7} {c['wrong']:>6} {_fmt(real_judged.precision(c)):>9} {c['unjudged']:>8}")
    print("\nrecall on the replies read whole (expected spans found by a finding of their category)")
    for category, c in sorted(figures.recall.items()):
        print(f"{category:<22} {c['found']:>3} of {c['expected']:>3}  {_fmt(_ratio(c['found'], c['expected']))}")
    print("\nshare of replies with a finding")
    for genre, c in sorted(figures.flagged.items()):
        cats = ", ".join(f"{cat} {c[cat] / c['replies']:.1%}" for cat in CATEGORIES if c[cat])
        print(
            f"{genre:<10} {c['replies']:>5} replies, any finding {c['any'] / c['replies']:.1%}"
            + (f" ({cats})" if cats else "")
        )
    if figures.unjudged:
        print(f"\n{len(figures.unjudged)} findings are not judged yet: figures count only judged ones")
    if args.dump_unjudged:
        # the notes, left out of these figures, are judged too (--write-measured counts them);
        # with preview rules, so are the narrowing rules' own findings, which a run with their
        # sources selected never reports (every_rule: what --write-measured decides statuses on)
        if args.preview:
            every = real_judged.every_rule()
            unjudged = real_judged.evaluate(lambda r: every(r.text, r.mode), part=part).unjudged
        else:
            with_notes = tonecheck.Config()
            unjudged = real_judged.evaluate(
                lambda r: tonecheck.check(r.text, mode=r.mode, config=with_notes).findings, part=part
            ).unjudged
        with args.dump_unjudged.open("w", encoding="utf-8") as out:
            for row in unjudged:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        notes = sum(row["code"] in NOTES for row in unjudged)
        print(f"{len(unjudged)} unjudged findings ({notes} of them notes) written to {args.dump_unjudged}")
    return 0


def report_rewrites_judged(args: argparse.Namespace) -> int:
    """Every rewrite offered (every rule, preview included) on our own corpora and on a part of
    the judged real sample, against the verdicts in corpora/rewrites-judged.jsonl: the share
    judged grammatical, same meaning, better, and all three; and how many negative-language and
    passive-aggressive findings carry a rewrite, and a rewrite judged good, with the default rules
    and with preview rules.

    The tuning part (the default) is corpora/labelled.jsonl, corpora/rewrites.jsonl and the tuning
    part of the real sample, and lists what nobody has judged yet. `--part report` measures the
    held-out texts (the real sample's report part and corpora/holdout.jsonl): it lists nothing,
    and `--dump-unjudged` writes its unjudged rewrites for judges who do not change rules (see
    corpora/LABELLING.md); whoever tunes rules reads its figures only."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import rewrites_judged as rj

    part = "tuning" if args.part is None else args.part
    linters = {
        "default": tonecheck.Linter(tonecheck.Config()),
        "preview": tonecheck.Linter(tonecheck.Config(preview=True)),
    }

    def checker(name: str):
        def check(item):
            return linters[name].check(item.text, mode=item.mode, context=item.context)

        return check

    verdicts = rj.read_verdicts()
    items = list(rj.texts(part, own_only=args.own_only))
    per_category: dict[str, Counter] = defaultdict(Counter)
    per_source: dict[str, Counter] = defaultdict(Counter)
    coverage: dict[tuple[str, str], Counter] = defaultdict(Counter)
    unjudged: list[dict] = []
    offered_keys: set[tuple] = set()
    for item in items:
        for rules in linters:
            for code, category, carried in rj.findings_with_rewrite(item, checker(rules)):
                # a note (NEG005: a limit stated with its way forward) remarks on text that is
                # fine: it is no finding of its category here, as in every other figure
                if category not in rj.TONE or code in NOTES:
                    continue
                for c in (coverage[(rules, category)], coverage[(rules, f"real {category}")]):
                    c["findings"] += 1
                    c["with_rewrite"] += bool(carried)
                    c["with_good_rewrite"] += any(rj.good(verdicts.get(k)) for k in carried)
                    if item.source != "real":
                        break
        # what either selection offers: a finding that gives way to another under preview rules
        # may offer its own rewrite with the default rules
        rows_here = {rj.row_key(row): row for rules in linters for row in rj.offered(item, checker(rules))}
        for k, row in rows_here.items():
            offered_keys.add(k)
            verdict = verdicts.get(k)
            for c in (per_category[row["category"]], per_category["all"], per_source[row["source"]]):
                c["offered"] += 1
                if verdict is None:
                    c["unjudged"] += 1
                    continue
                c["judged"] += 1
                for q in rj.QUESTIONS:
                    c[q] += bool(verdict[q])
                c["all_three"] += rj.good(verdict)
            if verdict is None:
                unjudged.append(row)
    print(f"\nrewrites offered on the {part} texts (default or preview rules), and the verdicts on them")
    header = ("category / source", "offered", "judged", "grammatical", "same meaning", "better", "all three")
    widths = (22, 7, 6, 11, 12, 7, 9)
    print(" ".join(f"{h:<{w}}" if i == 0 else f"{h:>{w}}" for i, (h, w) in enumerate(zip(header, widths))))
    rows: list[tuple[str, Counter | None]] = [
        *sorted((k, v) for k, v in per_category.items() if k != "all"),
        ("", None),
        ("all", per_category["all"]),
        ("", None),
        *sorted(per_source.items()),
    ]
    for name, c in rows:
        if c is None:
            print()
            continue
        shares = [_fmt(_ratio(c[q], c["judged"])) for q in (*rj.QUESTIONS, "all_three")]
        cells = (name, c["offered"], c["judged"], *shares)
        print(" ".join(f"{v:<{w}}" if i == 0 else f"{v:>{w}}" for i, (v, w) in enumerate(zip(cells, widths))))
    print(
        "\nnegative-language and passive-aggressive findings that carry a rewrite (any / judged good; notes left out)"
    )
    for texts in ("", "real "):
        for rules in linters:
            total: Counter = Counter()
            parts = []
            for category in rj.TONE:
                c = coverage.get((rules, texts + category), Counter())
                total.update(c)
                parts.append(f"{category} {_carry(c)}")
            label = f"{rules} rules" + (", real texts" if texts else ", all texts")
            print(f"{label:<26} " + "; ".join(parts) + f"; both {_carry(total)}")
    stale = [v for k, v in verdicts.items() if k not in offered_keys and rj.in_part(v, part)]
    if stale:
        print(f"\n{len(stale)} verdicts are on rewrites no longer offered (kept as history, not counted)")
    if unjudged:
        print(f"\n{len(unjudged)} rewrites are not judged yet: figures count only judged ones")
        if part == "tuning":  # the report part is never listed here: its judges do not tune rules
            for row in unjudged[: args.show_unjudged]:
                print(
                    f"  {row['source']} {row['file']} {row['id']} {row['code']} {row['start']}-{row['end']} "
                    f"-> {row['replacement']!r}"
                )
        if args.dump_unjudged:
            with args.dump_unjudged.open("w", encoding="utf-8") as out:
                for row in unjudged:
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
            print(f"written to {args.dump_unjudged}")
    return 0


def _carry(c: Counter) -> str:
    n = c["findings"]
    return (
        f"{c['with_rewrite']}/{n} {_fmt(_ratio(c['with_rewrite'], n))} / "
        f"{c['with_good_rewrite']}/{n} {_fmt(_ratio(c['with_good_rewrite'], n))}"
    )


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", action="append", default=[], help="labelled JSONL file (repeatable)")
    parser.add_argument("--real", type=Path, default=None, help="folder of unlabelled real replies")
    parser.add_argument("--sample", type=int, default=5, help="flagged real findings to show per category")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--errors",
        action="append",
        default=[],
        metavar="CATEGORY",
        help="print misses and false alarms of a category (tuning on corpora/ only)",
    )
    parser.add_argument("--json", type=Path, default=None, help="write all figures to this file")
    parser.add_argument(
        "--rewrites",
        action="store_true",
        help="also measure suggestions: coverage, clean after applying, and agreement with corpora/rewrites.jsonl",
    )
    parser.add_argument("--show-rewrite-misses", action="store_true")
    parser.add_argument(
        "--real-judged",
        action="store_true",
        help="judged precision per rule and category, recall and flag rates on the judged "
        "sample of real replies (corpora/real-judged.jsonl)",
    )
    parser.add_argument(
        "--part",
        choices=("report", "tuning", "all"),
        default=None,
        help="with --real-judged: which part of the sample (default: report); with --rewrites-judged: "
        "tuning (our corpora and the sample's tuning part, default) or report (held-out texts, figures only)",
    )
    parser.add_argument("--preview", action="store_true", help="run preview rules too")
    parser.add_argument(
        "--write-measured",
        action="store_true",
        help="measure every rule (judged precision on real replies, firings on all real "
        "replies, holdout precision) into rules/measured.json, which `tonecheck rule` "
        "shows and the status test checks",
    )
    parser.add_argument(
        "--dump-unjudged",
        type=Path,
        default=None,
        metavar="FILE",
        help="with --real-judged or --rewrites-judged: write what nobody has judged yet (JSON Lines)",
    )
    parser.add_argument(
        "--rewrites-judged",
        action="store_true",
        help="every rewrite offered on the judged real sample and our corpora, against "
        "the verdicts in corpora/rewrites-judged.jsonl (grammatical, same meaning, "
        "better), and how many negative-language and passive-aggressive findings "
        "carry a rewrite",
    )
    parser.add_argument(
        "--own-only", action="store_true", help="with --rewrites-judged: our corpora only, not the real sample"
    )
    parser.add_argument(
        "--show-unjudged",
        type=int,
        default=50,
        metavar="N",
        help="with --rewrites-judged: list at most N rewrites not judged yet",
    )
    parser.add_argument(
        "--draw-supplement",
        default=None,
        metavar="CODES",
        help="comma-separated rule codes: add to corpora/real-judged.jsonl replies outside the sample on "
        "which each rule fires (seeded), until it has --wanted judged or unjudged findings; then judge "
        "them from --real-judged --part all --preview --dump-unjudged",
    )
    parser.add_argument("--wanted", type=int, default=25, help="with --draw-supplement: findings wanted per rule")
    args = parser.parse_args(argv)
    global CONFIG
    CONFIG = tonecheck.Config(preview=args.preview, ignore=NOTES)

    if args.write_measured:
        return write_measured()
    if args.draw_supplement:
        return draw_supplement(args.draw_supplement.split(","), args.wanted)
    if args.real_judged:
        return report_real_judged(args)
    if args.rewrites_judged:
        return report_rewrites_judged(args)
    corpora = args.corpus or ([] if args.real else [str(ROOT / "corpora" / "labelled.jsonl")])
    output: dict = {"labelled": {}, "real": None}
    for corpus in corpora:
        rows = [json.loads(line) for line in Path(corpus).read_text(encoding="utf-8").splitlines() if line.strip()]
        result = evaluate_labelled(rows, set(args.errors))
        output["labelled"][corpus] = result["categories"]
        print(f"\n{corpus}: {len(rows)} replies")
        print(
            f"{'category':<20} {'pos':>4} {'prec':>6} {'recall':>6} {'fp':>4} {'fn':>4} {'span hit':>9} "
            f"{'look-alike flagged':>19}"
        )
        for category, r in result["categories"].items():
            look = _fmt(r["look_alike_violation_rate"])
            print(
                f"{category:<20} {r['positives']:>4} {_fmt(r['precision']):>6} {_fmt(r['recall']):>6} "
                f"{r['fp']:>4} {r['fn']:>4} {_fmt(r['must_flag_hit_rate']):>9} {look:>12} of {r['look_alikes']:>3}"
            )
        for line in result["errors"]:
            print(line)
    if args.rewrites:
        rows = [
            json.loads(line)
            for corpus in corpora
            for line in Path(corpus).read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        table_path = ROOT / "corpora" / "rewrites.jsonl"
        table = (
            [json.loads(line) for line in table_path.read_text(encoding="utf-8").splitlines() if line.strip()]
            if table_path.exists()
            else []
        )
        rewrites = evaluate_rewrites(rows, table)
        output["rewrites"] = rewrites
        print("\nsuggestions on the findings above (first suggestion with a replacement applied alone)")
        print(f"{'category':<20} {'findings':>8} {'any sugg.':>9} {'rewrite':>8} {'clean after':>11}")
        for category, r in rewrites["findings"].items():
            print(
                f"{category:<20} {r['findings']:>8} {_fmt(r['with_suggestion']):>9} {_fmt(r['with_rewrite']):>8} "
                f"{_fmt(r['applied_clean']):>11}"
            )
        if table:
            print(f"\nrewrite table {table_path.name}: {len(table)} cases")
            print(f"{'category':<20} {'cases':>5} {'flagged':>8} {'rewritten':>9} {'clean':>6} {'acceptable':>10}")
            for category, r in rewrites["table"].items():
                print(
                    f"{category:<20} {r['cases']:>5} {_fmt(r['flagged']):>8} {_fmt(r['rewritten']):>9} "
                    f"{_fmt(r['clean']):>6} {_fmt(r['acceptable']):>10}"
                )
            if args.show_rewrite_misses:
                for line in rewrites["misses"]:
                    print("  " + line)
    if args.real:
        real = evaluate_real(args.real, args.sample, args.seed)
        output["real"] = real
        print(f"\n{args.real}: share of replies flagged per category")
        print(f"{'folder':<22} {'mode':<6} {'n':>5} " + " ".join(f"{c[:12]:>12}" for c in CATEGORIES))
        for folder, s in real["folders"].items():
            print(
                f"{folder:<22} {s['mode']:<6} {s['replies']:>5} "
                + " ".join(f"{s[c] / s['replies']:>12.3f}" for c in CATEGORIES)
            )
        placeholders = evaluate_placeholders(args.real)
        real["placeholders"] = placeholders
        print("\nplaceholder syntaxes in the real saved replies")
        print(f"{'syntax':<26} {'found':>6} {'pass (saved)':>13} {'flagged (draft)':>16}")
        for name, r in placeholders.items():
            print(
                f"{name:<26} {r['occurrences']:>6} {_fmt(r['passes_in_saved']):>13} {_fmt(r['flagged_in_draft']):>16}"
            )
        for category, examples in real["samples"].items():
            print(f"\nsample of {category} findings:")
            for example in examples:
                print("  " + example)
    if args.json:
        args.json.write_text(json.dumps(output, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
