"""Memory of a long-running process: RSS while linting replies made of words never seen before.

    python benchmarks/memory.py                     # 100,000 replies, a line every 10,000
    python benchmarks/memory.py --replies 1000000 --every 100000
    python benchmarks/memory.py --control           # the same replies, 100 of them over and over

Each reply is a short support reply with 30 random new "words" (names, order numbers and typos
are what real drafts bring), linted with `tonecheck.check` in one process. Before issue 11 the
spaCy vocabulary kept every word it had seen: RSS grew by about 12 MB per 1,000 replies. Now the
vocabulary learns words up to a bound (`tonecheck._engine.linter.VOCAB_GROWTH` strings) and, past
it, forgets a reply's new words when the reply is done (spaCy's memory zones).

Prints RSS (from /proc/self/status) and the size of the vocabulary's string store at each step,
and exits 1 when the final RSS is more than `--budget` MB above the RSS after warm-up.
"""

from __future__ import annotations

import argparse
import gc
import random
import string
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import tonecheck  # noqa: E402
from tonecheck._engine.linter import get_engine  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def reply(rng: random.Random) -> str:
    words = " ".join("".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 11))) for _ in range(30))
    return f"Hi Sam,\n\nAs I said, {words}. We can't refund order {rng.randint(10**6, 10**9)}.\n\nBest,\nAna\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replies", type=int, default=100_000)
    parser.add_argument("--every", type=int, default=10_000, help="print a line every this many replies")
    parser.add_argument("--budget", type=float, default=50.0, help="allowed growth in MB (default 50)")
    parser.add_argument("--control", action="store_true", help="100 replies repeated (no new words)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    fixed = [reply(rng) for _ in range(100)]
    strings = get_engine().nlp.vocab.strings
    for text in fixed:  # warm-up: the engine, caches and the allocator's first arenas
        tonecheck.check(text)
    gc.collect()
    start_rss = rss_mb()
    started = time.perf_counter()
    print(f"{'replies':>10} {'RSS MB':>9} {'growth MB':>10} {'strings':>9} {'replies/s':>10}")
    print(f"{0:>10,} {start_rss:>9.1f} {0:>10.1f} {len(strings):>9,} {'':>10}", flush=True)
    findings = 0
    for index in range(1, args.replies + 1):
        text = fixed[index % 100] if args.control else reply(rng)
        findings += len(tonecheck.check(text).findings)
        if index % args.every == 0 or index == args.replies:
            rss = rss_mb()
            rate = index / (time.perf_counter() - started)
            print(f"{index:>10,} {rss:>9.1f} {rss - start_rss:>10.1f} {len(strings):>9,} {rate:>10.0f}", flush=True)
    growth = rss_mb() - start_rss
    print(
        f"\n{args.replies:,} replies, {findings:,} findings; RSS grew {growth:.1f} MB "
        f"(budget {args.budget:.0f} MB): {'ok' if growth <= args.budget else 'OVER BUDGET'}"
    )
    return 0 if growth <= args.budget else 1


if __name__ == "__main__":
    raise SystemExit(main())
