"""Counting: findings per 1,000 replies by category, rule, agent, channel, macro and week, the
most frequent matched phrases, examples, and what was skipped. Results are added in input order,
so every runner (one process, a pool, Dask) gives the same numbers and the same examples."""

from __future__ import annotations

import collections
import dataclasses
from typing import Any

from .._types import CATEGORIES, normalised_match
from .records import Reply, ReplyResult, iso_week

EXAMPLES_PER_RULE = 2
EXAMPLE_CONTEXT = 160  # characters of the reply kept around an example's span
TOP_PHRASES = 25
_PHRASE_PRUNE = 50_000  # distinct phrases kept before the rarest are dropped (bounded memory)
KEEP_ERRORS = 100  # messages of unreadable records kept for the report
MESSAGES_SHOWN = 20  # unreadable-record messages printed on standard error before "… and N more"
UNKNOWN = "(unknown)"
NONE = "(none)"


@dataclasses.dataclass
class Tally:
    """Replies, and findings per category, for one agent / channel / macro / week."""

    replies: int = 0
    findings: int = 0
    replies_with_findings: int = 0
    by_category: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)

    def merge(self, other: Tally) -> None:
        self.replies += other.replies
        self.findings += other.findings
        self.replies_with_findings += other.replies_with_findings
        self.by_category.update(other.by_category)

    def add(self, categories: collections.Counter[str]) -> None:
        self.replies += 1
        total = sum(categories.values())
        self.findings += total
        self.replies_with_findings += bool(total)
        self.by_category.update(categories)

    def as_json(self) -> dict[str, Any]:
        return {
            "replies": self.replies,
            "findings": self.findings,
            "replies_with_findings": self.replies_with_findings,
            "findings_per_1000_replies": per_1000(self.findings, self.replies),
            "by_category": {c: self.by_category[c] for c in _categories(self.by_category) if self.by_category[c]},
        }


def _categories(counts: collections.Counter[str]) -> tuple[str, ...]:
    """The five categories, then any a team's rule pack declares (`category: house-style`)."""
    return (*CATEGORIES, *sorted(set(counts) - set(CATEGORIES)))


def per_1000(count: int, replies: int) -> float:
    return round(1000 * count / replies, 2) if replies else 0.0


@dataclasses.dataclass
class Example:
    reply_id: str
    agent: str | None
    channel: str
    code: str
    category: str
    before: str
    match: str
    after: str
    rewrite: str | None  # the span's replacement, or None
    rewrite_before: str  # text between the context start and the rewrite's span
    rewrite_after: str
    customer_names: tuple[str, ...]


class Aggregate:
    """The counts of a run of replies. A worker counts its task's replies in one; the reading
    process merges them in input order (`merge`), which gives what counting every reply in order
    in one would: the same numbers, the same first examples, the same messages."""

    def __init__(self) -> None:
        self.replies = 0
        self.findings = 0
        self.skipped: collections.Counter[str] = collections.Counter()
        self.unreadable = 0
        self.errors: list[str] = []  # the first messages, for the report
        self.category_findings: collections.Counter[str] = collections.Counter()
        self.category_replies: collections.Counter[str] = collections.Counter()
        self.rule_findings: collections.Counter[str] = collections.Counter()
        self.rule_replies: collections.Counter[str] = collections.Counter()
        self.rule_category: dict[str, str] = {}
        self.agents: dict[str, Tally] = collections.defaultdict(Tally)
        self.channels: dict[str, Tally] = collections.defaultdict(Tally)
        self.languages: dict[str, Tally] = collections.defaultdict(Tally)
        self.macros: dict[str, Tally] = collections.defaultdict(Tally)
        self.macro_rules: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
        self.weeks: dict[str, Tally] = collections.defaultdict(Tally)
        self.phrases: collections.Counter[tuple[str, str]] = collections.Counter()
        self.examples: dict[str, list[Example]] = collections.defaultdict(list)
        # for the reading process, from each task: replies read, findings at or above --fail-on,
        # warnings and the first read errors to print (in order), the CSV rows (text)
        self.read = 0
        self.failing = 0
        self.messages: list[tuple[str, str]] = []
        self.shown = 0
        self.csv = ""

    # ----------------------------------------------------------------------------------------
    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1

    def error(self, message: str, *, keep: int = KEEP_ERRORS) -> None:
        self.unreadable += 1
        if len(self.errors) < keep:
            self.errors.append(message)

    def unreadable_record(self, message: str) -> None:
        """A record that could not be read: counted, kept for the report, and printed (the first)."""
        self.error(message)
        if self.shown < MESSAGES_SHOWN:
            self.shown += 1
            self.messages.append(("error", message))

    def note(self, message: str) -> None:
        self.messages.append(("warning", message))

    def merge(self, other: Aggregate) -> None:
        """Add the counts of the replies that came after this aggregate's."""
        self.replies += other.replies
        self.findings += other.findings
        self.read += other.read
        self.failing += other.failing
        self.skipped.update(other.skipped)
        self.unreadable += other.unreadable
        self.errors.extend(other.errors[: max(0, KEEP_ERRORS - len(self.errors))])
        self.category_findings.update(other.category_findings)
        self.category_replies.update(other.category_replies)
        self.rule_findings.update(other.rule_findings)
        self.rule_replies.update(other.rule_replies)
        for code, category in other.rule_category.items():
            self.rule_category.setdefault(code, category)
        for mine, theirs in (
            (self.agents, other.agents),
            (self.channels, other.channels),
            (self.languages, other.languages),
            (self.macros, other.macros),
            (self.weeks, other.weeks),
        ):
            for key, tally in theirs.items():
                mine[key].merge(tally)
        for macro, rules in other.macro_rules.items():
            self.macro_rules[macro].update(rules)
        self.phrases.update(other.phrases)
        self._prune_phrases()
        for code, examples in other.examples.items():
            kept = self.examples[code]
            for example in examples:
                if len(kept) < EXAMPLES_PER_RULE and all(e.reply_id != example.reply_id for e in kept):
                    kept.append(example)

    def _prune_phrases(self) -> None:
        if len(self.phrases) > _PHRASE_PRUNE:
            self.phrases = collections.Counter(dict(self.phrases.most_common(_PHRASE_PRUNE // 2)))

    def add(self, reply: Reply, result: ReplyResult) -> None:
        channel, rows, linted_text, error, language, unchecked = result
        self.read += 1
        if error is not None:
            self.error(f"reply {reply.id}: {error}")
            return
        if unchecked is not None:  # a language without a rule pack: not linted
            self.skip(unchecked)
            return
        self.replies += 1
        self.findings += len(rows)
        categories: collections.Counter[str] = collections.Counter(row[1] for row in rows)
        rules: collections.Counter[str] = collections.Counter(row[0] for row in rows)
        for category, n in categories.items():
            self.category_findings[category] += n
            self.category_replies[category] += 1
        for row in rows:
            self.rule_category.setdefault(row[0], row[1])
        for code, n in rules.items():
            self.rule_findings[code] += n
            self.rule_replies[code] += 1
        self.agents[reply.agent or UNKNOWN].add(categories)
        self.channels[channel].add(categories)
        self.languages[language].add(categories)
        self.macros[reply.macro or NONE].add(categories)
        if reply.macro:
            self.macro_rules[reply.macro].update(rules)
        self.weeks[iso_week(reply.time) or UNKNOWN].add(categories)
        if rows:
            for row in rows:
                phrase = normalised_match(row[4])
                if phrase and row[1] != "missing-closing":
                    self.phrases[(row[0], phrase)] += 1
            self._prune_phrases()
            text = linted_text if linted_text is not None else reply.text
            for row in rows:
                kept = self.examples[row[0]]
                if len(kept) < EXAMPLES_PER_RULE and all(e.reply_id != reply.id for e in kept):
                    kept.append(_example(reply, channel, text, row))

    # ----------------------------------------------------------------------------------------
    def as_json(self) -> dict[str, Any]:
        """The numbers, as the JSON report holds them (see report.schema.json)."""
        n = self.replies
        by_category = {
            c: {
                "replies": self.category_replies[c],
                "findings": self.category_findings[c],
                "findings_per_1000_replies": per_1000(self.category_findings[c], n),
            }
            for c in _categories(self.category_findings)
        }
        by_rule = {
            code: {
                "category": self.rule_category[code],
                "replies": self.rule_replies[code],
                "findings": count,
                "findings_per_1000_replies": per_1000(count, n),
            }
            for code, count in sorted(self.rule_findings.items(), key=lambda kv: (-kv[1], kv[0]))
        }

        def table(tallies: dict[str, Tally], key: Any = None) -> dict[str, Any]:
            order = sorted(tallies, key=key or (lambda k: (-tallies[k].findings, k)))
            return {k: tallies[k].as_json() for k in order}

        return {
            "replies_linted": n,
            "findings": self.findings,
            "findings_per_1000_replies": per_1000(self.findings, n),
            "replies_skipped": dict(sorted(self.skipped.items())),
            "records_unreadable": self.unreadable,
            "errors": list(self.errors),
            "by_category": by_category,
            "by_rule": by_rule,
            "by_agent": table(self.agents),
            "by_channel": table(self.channels),
            "by_language": table(self.languages),
            "by_macro": {
                k: {**v, "by_rule": dict(self.macro_rules[k].most_common())}
                for k, v in table({k: t for k, t in self.macros.items() if k != NONE}).items()
            },
            "replies_without_macro": self.macros[NONE].replies if NONE in self.macros else 0,
            "by_week": table(self.weeks, key=lambda k: k),
            "top_phrases": [
                {"code": code, "phrase": phrase, "count": count}
                for (code, phrase), count in sorted(self.phrases.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_PHRASES]
            ],
            "examples": [
                dataclasses.asdict(e)
                for code in sorted(self.examples, key=lambda c: (-self.rule_findings[c], c))
                for e in self.examples[code]
            ],
        }


def _example(reply: Reply, channel: str, text: str, row: Any) -> Example:
    code, category, start, end, _match, rewrite, rs, re_ = row
    lo = max(0, min(start, rs) - EXAMPLE_CONTEXT // 2)
    hi = min(len(text), max(end, re_) + EXAMPLE_CONTEXT // 2)
    return Example(
        reply_id=reply.id,
        agent=reply.agent,
        channel=channel,
        code=code,
        category=category,
        before=("…" if lo > 0 else "") + text[lo:start],
        match=text[start:end],
        after=text[end:hi] + ("…" if hi < len(text) else ""),
        rewrite=rewrite,
        rewrite_before=("…" if lo > 0 else "") + text[lo:rs],
        rewrite_after=text[re_:hi] + ("…" if hi < len(text) else ""),
        customer_names=reply.customer_names,
    )
