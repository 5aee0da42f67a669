"""Speed benchmark: every row of the speed table, measured side by side in one run, as ratios.

What it measures (each comparison is timed in alternating or rotated passes in this one run)
  1. check() vs proselint 0.16's library: linting the reply set in-process with
     `tonecheck.check` and with proselint (`LintFile(...).lint()`, all of its default
     checks); replies/s of each, median of `--repeat` passes (default 3). Target >= 20x.
  2. check() vs its floor: tonecheck's own tokenizer + PhraseMatcher pass over the same
     replies (lower-cased, as the engine tokenizes them), timed in the same rotated passes.
     Reported as floor seconds / check() seconds. Target >= 1/3.
  3. A folder of `--folder-files` (default 2,000) reply files through the CLI
     (`python -m tonecheck check DIR`) against write-good's CLI on the same files, whole
     processes, A B A B... (`--folder-runs`, default 3). Target: tonecheck >= 2x faster.
  4. Cores used on that folder: CPU time (user + system, workers included) / wall time of
     the tonecheck process. Target: every core this machine has.
  5. Cost per KB at 1 MB vs at 1 KB: the same ~1 MB of plain reply text (real replies
     without quoted history), checked as ~1 KB texts and as one 1 MB text, rotated.
     Target <= 1.1x.
  6. Peak RSS of the largest single process: `tonecheck check reply.txt` (one reply) and
     the folder run. Target <= 120 MiB.
  Start-up of a fresh CLI on one reply against `python -c "import spacy"` is reported too.
  The cost of detecting each reply's language is reported too: check() with language auto
  (the default) against check() with the language given, and the detector's model load
  (from its file and from tonecheck's cache).
  With `--baseline DIR` (another checkout of tonecheck, e.g. the commit a change must not be
  slower than): check() of this tree against check() of that one on the same replies. A live
  process per tree, each importing tonecheck from its own folder (their dependencies from this
  Python), takes turns with the other a pass at a time (`--baseline-runs` pairs, default 30);
  the ratio is the median of the pairs' CPU-time ratios. A pair's two passes run seconds apart,
  so a noisy neighbour slows both alike: alternating whole processes instead, paired ratios
  spread from 0.85 to 1.57 on one quiet-looking machine. `--only instructions` (with
  `--baseline`) also counts the instructions one pass executes in each tree, under valgrind's
  callgrind: a figure the machine's load does not move (time also depends on caches).

How to run it (from the repo root; the comparators are benchmark-only dependencies)
    pip install -e ".[bench]"                                  # proselint 0.16
    npm install --prefix benchmarks/.node write-good@1.0.8     # write-good (git-ignored folder)
    python benchmarks/speed.py                                 # about 3 minutes on 2 cores
    python benchmarks/speed.py --repeat 5 --json speed.json
    python benchmarks/speed.py --only folder --only startup    # some parts only (rows 3, 4, 6 here)
    python benchmarks/speed.py --corpus some.jsonl --limit 500
    python benchmarks/speed.py --only throughput,language      # rows 1-2 and the language cost
    git worktree add ../base faed2e6 && python benchmarks/speed.py --only baseline --baseline ../base
    (add --baseline-language en to compare the same work with a tree from before languages: no detection)
    python benchmarks/speed.py --only baseline,instructions --baseline ../base   # + instructions (~6 min)

A comparator that is missing is reported as missing (with the command that installs it) and
its rows say "n/a"; the rest is still measured. The default reply set is every `text` of every
*.jsonl under ../shared/corpora/real/ (beside the repo) but the twcs_* tweet collections, plus
corpora/labelled.jsonl: about 1,900 replies, mean ~280 characters, as in the issue's measurement,
cycled to 2,000 (`--limit`; `--corpus` for another set). In-process passes are timed in CPU time
of the benchmark process (a shared machine's neighbours do not count); whole processes in wall
time, with their CPU time beside it.

tonecheck's cache (compiled rules, the language model) is a fresh folder of the run's own unless
TONECHECK_CACHE_DIR is set; the first, untimed run of each command fills it.

Compare the ratios, not the absolute numbers: the machines this runs on are shared and noisy,
and both sides of a ratio are slowed down alike by a busy neighbour.

Exit codes: 0 done, 2 set-up error (no replies, tonecheck broken).
"""

from __future__ import annotations

import argparse
import atexit
import concurrent.futures
import gc
import importlib.metadata
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REAL_CORPORA = REPO_ROOT.parent / "shared" / "corpora" / "real"
DEFAULT_LABELLED = REPO_ROOT / "corpora" / "labelled.jsonl"
PROSELINT_VERSION = "0.16.0"
WRITE_GOOD_VERSION = "1.0.8"

# Benchmark the working tree, not some installed copy of tonecheck.
sys.path.insert(0, str(REPO_ROOT))

# One realistic draft reply for the start-up runs: a greeting, a few paragraphs,
# a closing, and a couple of things a linter may well flag.
STARTUP_REPLY = """Hi Maria,

Thanks for getting back to us, and sorry for the wait over the weekend.

I've looked at order #48213: the blender was shipped on 3 June, but the courier
marked the parcel as damaged at their depot, so it was sent back to our warehouse.
Unfortunately we can't refund the delivery charge for this kind of return, as per
our policy, but I have already arranged a replacement at no extra cost.

The new parcel leaves tomorrow morning and you should receive a tracking link by
email within 24 hours. If it hasn't arrived by Friday, just reply to this email and
I'll chase the courier for you.

Kind regards,
Daniel
Customer Support, Kitchenly
"""


# the parts of a run, in the order they run (--only picks some): which table rows each gives
PARTS = {
    "throughput": "rows 1-2: check() vs proselint and vs its floor",
    "language": "the cost of language detection",
    "scaling": "row 5: cost per KB at 1 MB vs at 1 KB",
    "folder": "rows 3, 4 and 6 (a folder): the CLI on a folder vs write-good, cores used, its peak RSS",
    "startup": "row 6 (one reply) and start-up: the CLI on one reply vs import spacy",
    "baseline": "check() of this tree vs another checkout's (--baseline DIR; runs only with it)",
    "instructions": "the same in instructions counted by valgrind (--baseline DIR; only when asked: minutes)",
}
# (parts that run only when --only names them)
ASKED_ONLY = {"instructions"}


class Missing(Exception):
    """A comparator is not installed: its rows say so, the rest is measured."""


class SetupError(Exception):
    """Something the benchmark needs is missing or broken: exit 2."""


# --------------------------------------------------------------------------- replies


def _jsonl_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.rglob("*.jsonl"))
    if path.is_file():
        return [path]
    raise SetupError(f"--corpus {path}: no such file or folder")


def load_replies(corpora: Sequence[Path] | None, limit: int | None) -> tuple[list[tuple[str, str]], list[str]]:
    """Return [(text, mode)] and the files they came from, in a stable order."""
    if corpora:
        files = [f for p in corpora for f in _jsonl_files(p)]
    else:
        files = sorted(DEFAULT_REAL_CORPORA.rglob("*.jsonl")) if DEFAULT_REAL_CORPORA.is_dir() else []
        # the reply set (mean ~281 characters): the tweet collections added since (twcs_*,
        # 37,000 replies of ~110 characters) would otherwise be nearly all of it
        files = [f for f in files if not f.parent.name.startswith("twcs_")]
        if not files:
            print(f"warning: no *.jsonl under {DEFAULT_REAL_CORPORA}", file=sys.stderr)
        if DEFAULT_LABELLED.is_file():
            files.append(DEFAULT_LABELLED)
    replies: list[tuple[str, str]] = []
    used: list[str] = []
    for file in files:
        count_before = len(replies)
        with file.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise SetupError(f"{file}:{number}: not JSON ({exc.msg})") from None
                text = record.get("text") if isinstance(record, dict) else None
                # Empty texts say nothing about speed, and proselint's LintFile
                # cannot take one (it then tries to read a file of that name).
                if not isinstance(text, str) or not text.strip():
                    continue
                # Labelled records carry the mode they are meant for (templates are
                # "saved"); everything else is a draft reply.
                mode = record.get("mode") if record.get("mode") in ("draft", "saved") else "draft"
                replies.append((text, mode))
                if limit is not None and len(replies) >= limit:
                    break
        if len(replies) > count_before:
            used.append(str(file))
        if limit is not None and len(replies) >= limit:
            break
    if not replies:
        raise SetupError("no replies to lint (give --corpus PATH to a *.jsonl with 'text' fields)")
    return replies, used


# --------------------------------------------------------------------------- linters


def import_proselint() -> tuple[Callable[[str], list], int, int, str]:
    """Return (lint_one, number of enabled checks, max_errors, version) for proselint 0.16."""
    try:
        version = importlib.metadata.version("proselint")
    except importlib.metadata.PackageNotFoundError:
        raise Missing(
            "proselint is not installed; it is a benchmark-only dependency:\n"
            f'    {sys.executable} -m pip install -e ".[bench]"   (proselint=={PROSELINT_VERSION})'
        ) from None
    try:
        # 0.16 has no `proselint.tools.lint` any more: a LintFile wraps the text and
        # `.lint(config)` runs every enabled check of the global registry on it.
        from proselint.checks import __register__
        from proselint.config import DEFAULT
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile
    except ImportError as exc:
        raise Missing(
            f"proselint {version} does not have the 0.16 API this benchmark uses ({exc}); "
            f"install proselint=={PROSELINT_VERSION}"
        ) from None
    registry = CheckRegistry()
    # The registry starts empty: its CLI registers the built-in checks itself, and so
    # must we, or lint() silently runs nothing. Register once: it is a singleton.
    if not registry.checks:
        registry.register_many(__register__)
    # DEFAULT, not load_from(): the user's ~/.proselintrc.json must not change what is measured.
    config = DEFAULT
    enabled = len(registry.get_all_enabled(config["checks"]))
    if enabled == 0:
        raise Missing("proselint has no enabled checks; the comparison would be meaningless")

    def lint_one(text: str) -> list:
        return LintFile("<reply>", text).lint(config)

    if not lint_one(STARTUP_REPLY + "\nThis is very unique."):  # "very unique" is a sure hit
        raise Missing("proselint returned no results on a text it must flag; its checks are not running")
    return lint_one, enabled, int(config["max_errors"]), version


def write_good_command() -> list[str]:
    """write-good's CLI, installed by npm into benchmarks/.node (or on PATH)."""
    local = REPO_ROOT / "benchmarks" / ".node" / "node_modules" / ".bin" / "write-good"
    found = str(local) if local.is_file() else shutil.which("write-good")
    if not found:
        raise Missing(
            "write-good is not installed; it is a benchmark-only dependency:\n"
            f"    npm install --prefix {REPO_ROOT / 'benchmarks' / '.node'} write-good@{WRITE_GOOD_VERSION}"
        )
    return [found]


def import_tonecheck() -> tuple[Callable[[str, str], object], Callable[[str], int], str]:
    """(check_one, floor_one, version): `floor_one` is the engine's own tokenizer + PhraseMatcher
    pass over the lower-cased reply, the least check() must do."""
    try:
        import tonecheck
        from tonecheck._engine.linter import get_engine
    except Exception as exc:  # a broken working tree should say so, not print a traceback
        raise SetupError(f"cannot import tonecheck from {REPO_ROOT}: {exc!r}") from None

    def check_one(text: str, mode: str) -> object:
        return tonecheck.check(text, mode=mode)  # type: ignore[arg-type]

    engine = get_engine()
    tokenizer, matcher = engine.nlp.tokenizer, _spacy_phrase_matcher(engine)

    def floor_one(text: str) -> int:
        return len(matcher(tokenizer(text.lower())))

    try:
        check_one(STARTUP_REPLY, "draft")  # builds the engine outside the clock
    except Exception as exc:
        raise SetupError(f"tonecheck.check fails on a plain reply: {exc!r}") from None
    return check_one, floor_one, tonecheck.__version__


def _spacy_phrase_matcher(engine: Any) -> Any:
    """spaCy's PhraseMatcher over NORM with every phrase of the engine: the floor's matcher. (The
    engine matches phrases with an index of its own, slower per token in Python but a third of
    the memory; the floor stays the least a spaCy pass over the reply costs, as it always was.)"""
    from spacy.matcher import PhraseMatcher

    engine.prepare()
    matcher = PhraseMatcher(engine.nlp.vocab, attr="NORM")
    for key, phrases in engine._phrase_data["keywords"]:
        matcher.add(key, list(phrases))
    return matcher


# --------------------------------------------------------------------------- 1, 2: in-process


# In-process passes are timed in CPU time of this process (one thread): on a shared machine, wall
# time also counts the time neighbours hold the core, which moved single passes by 3x here.
_clock = time.process_time


def _timed(block: Callable[[], tuple[int, int, str | None]]) -> dict:
    gc.collect()  # start each pass from the same heap state, for every block
    start = _clock()
    found, errors, first_error = block()
    return {"seconds": _clock() - start, "found": found, "errors": errors, "first_error": first_error}


def throughput(replies: list[tuple[str, str]], repeat: int) -> dict:
    """check(), its floor and (when installed) proselint over the same replies, in rotated passes."""
    check_one, floor_one, _ = import_tonecheck()
    blocks: dict[str, Callable[[], tuple[int, int, str | None]]] = {}
    missing: dict[str, str] = {}

    def run_check() -> tuple[int, int, str | None]:
        found = errors = 0
        first = None
        for text, mode in replies:
            try:
                found += len(check_one(text, mode).findings)  # type: ignore[attr-defined]
            except Exception as exc:  # keep timing; report at the end
                errors += 1
                first = first or repr(exc)
        return found, errors, first

    def run_floor() -> tuple[int, int, str | None]:
        return sum(floor_one(text) for text, _ in replies), 0, None

    blocks["tonecheck"] = run_check
    blocks["floor"] = run_floor
    proselint_info: dict = {}
    try:
        lint_one, enabled, max_errors, _ = import_proselint()
    except Missing as exc:
        missing["proselint"] = str(exc)
    else:
        proselint_info = {"enabled_checks": enabled, "max_errors": max_errors}

        def run_proselint() -> tuple[int, int, str | None]:
            found = errors = capped = 0
            first = None
            for text, _mode in replies:
                try:
                    results = lint_one(text)
                except Exception as exc:  # its own CLI also carries on past a failing file
                    errors += 1
                    first = first or repr(exc)
                    continue
                found += len(results)
                capped += len(results) >= max_errors
            proselint_info["replies_at_max_errors"] = capped
            return found, errors, first

        blocks["proselint"] = run_proselint
    for block in blocks.values():  # one untimed warm-up pass of each
        block()
    names = list(blocks)
    runs: dict[str, list[dict]] = {name: [] for name in names}
    for i in range(repeat):
        # rotate the order, so a slow spell or a warm cache does not always favour the same block
        for name in names[i % len(names) :] + names[: i % len(names)]:
            runs[name].append(_timed(blocks[name]))
        print(
            f"  pass {i + 1}/{repeat}: " + ", ".join(f"{n} {runs[n][-1]['seconds']:.3f} s" for n in names),
            file=sys.stderr,
        )
    result: dict = {"repeat": repeat, "missing": missing}
    for name, samples in runs.items():
        seconds = statistics.median(x["seconds"] for x in samples)
        result[name] = {
            "seconds": seconds,
            "replies_per_s": len(replies) / seconds,
            "samples_s": [x["seconds"] for x in samples],
            "found": samples[-1]["found"],
            "errors": samples[-1]["errors"],
            "first_error": samples[-1]["first_error"],
        }
    if "proselint" in result:
        result["proselint"].update(proselint_info)
        result["vs_proselint"] = result["proselint"]["seconds"] / result["tonecheck"]["seconds"]
        result["vs_proselint_paired"] = [
            p["seconds"] / t["seconds"] for t, p in zip(runs["tonecheck"], runs["proselint"])
        ]
    result["vs_floor"] = result["floor"]["seconds"] / result["tonecheck"]["seconds"]
    result["vs_floor_paired"] = [f["seconds"] / t["seconds"] for t, f in zip(runs["tonecheck"], runs["floor"])]
    return result


# --------------------------------------------------------------------------- 5: cost per KB


def language_cost(replies: list[tuple[str, str]], repeat: int) -> dict:
    """What detecting each reply's language costs: `tonecheck.check` with language auto (the
    default) against the same with the language given (no detection), in alternating passes; and
    the detector's model load, from its xz file and from tonecheck's cache."""
    import tonecheck
    from tonecheck import _langid

    given = tonecheck.Config(language="en")
    # A whole untimed pass of each first: the two configurations are two engines, each with its
    # own caches to fill (warming one on 50 replies left the other's first timed pass cold, and
    # the "given" side came out slower than "auto" on 3 passes).
    for text, mode in replies:
        tonecheck.check(text, mode=mode)
        tonecheck.check(text, mode=mode, config=given)
    runs: dict[str, list[float]] = {"auto": [], "given": []}
    for _ in range(repeat):
        for name, config in (("auto", None), ("given", given)):
            gc.collect()
            start = time.process_time()  # (CPU time, as the baseline part: less of the machine's noise)
            for text, mode in replies:
                tonecheck.check(text, mode=mode, config=config)
            runs[name].append(time.process_time() - start)
    auto, fixed = statistics.median(runs["auto"]), statistics.median(runs["given"])
    from py3langid import langid

    start = time.perf_counter()
    langid._load_model_file(langid.MODEL_DIR / langid.MODEL_FILE)
    from_file = time.perf_counter() - start
    start = time.perf_counter()
    _langid._load()
    from_cache = time.perf_counter() - start
    return {
        "repeat": repeat,
        "auto_s": auto,
        "given_s": fixed,
        "ratio": auto / fixed,
        "per_reply_ms": (auto - fixed) / len(replies) * 1000,
        "model_load_file_s": from_file,
        "model_load_cache_s": from_cache,
    }


def _plain_material(replies: list[tuple[str, str]], total_chars: int) -> list[str]:
    """Replies (cycled) with no quoted or code region, until their joined length reaches
    total_chars: joining replies with history would make the rest of a long text history."""
    from tonecheck._anatomy import analyse

    plain = list(dict.fromkeys(text for text, _ in replies if not analyse(text).foreign))
    if not plain:
        raise SetupError("no reply without quoted history to build long texts from")
    out: list[str] = []
    size = index = 0
    while size < total_chars:
        out.append(plain[index % len(plain)])
        size += len(out[-1]) + 2
        index += 1
    return out


def _chunks(parts: list[str], target: int) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    size = 0
    for part in parts:
        current.append(part)
        size += len(part) + 2
        if size >= target:
            out.append("\n\n".join(current))
            current, size = [], 0
    if current:
        out.append("\n\n".join(current))
    return out


def scaling(replies: list[tuple[str, str]], rounds: int) -> dict:
    """The same ~1 MB of plain text as ~1 KB texts and as one ~1 MB text; cost per KB of each."""
    import tonecheck

    material = _plain_material(replies, 1_000_000)
    sets = {"1 KB": _chunks(material, 1_000), "1 MB": ["\n\n".join(material)]}
    for texts in sets.values():  # warm-up
        for text in texts[:50]:
            tonecheck.check(text, mode="draft")
    samples: dict[str, list[float]] = {name: [] for name in sets}
    names = list(sets)
    for i in range(rounds):
        for name in names[i % 2 :] + names[: i % 2]:
            gc.collect()
            start = _clock()
            for text in sets[name]:
                tonecheck.check(text, mode="draft")
            samples[name].append(_clock() - start)
        print(f"  scaling round {i + 1}/{rounds} done", file=sys.stderr)
    chars = {name: sum(map(len, texts)) for name, texts in sets.items()}
    per_kb = {name: statistics.median(samples[name]) / chars[name] * 1000 for name in names}
    paired = [(b / chars["1 MB"]) / (a / chars["1 KB"]) for a, b in zip(samples["1 KB"], samples["1 MB"])]
    return {
        "texts": {name: len(texts) for name, texts in sets.items()},
        "chars": chars,
        "samples_s": samples,
        "s_per_kb": per_kb,
        "ratio": per_kb["1 MB"] / per_kb["1 KB"],
        "ratio_paired": paired,
    }


# --------------------------------------------------------------------------- processes


# Run by a fresh, small interpreter between this process and the command measured: a process
# forked from this one would carry this process's peak RSS as its own (Linux keeps the peak of the
# memory an exec replaces), so the command is forked from the small one. It writes wall seconds,
# CPU seconds (user + system, the command's and its waited-for children's: pool workers included)
# and the peak RSS of the largest single process of the command, from wait4().
_MEASURE = """
import json, os, sys, time
out, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    try:
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(out, "w") as handle:
    json.dump({"code": os.waitstatus_to_exitcode(status), "wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
               "maxrss": usage.ru_maxrss}, handle)
"""


def _run_process(argv: list[str], env: dict[str, str], cwd: str, ok_codes: tuple[int, ...] | None) -> dict:
    """Run a command to its end: wall seconds, CPU seconds and the peak RSS (MiB) of its largest
    single process."""
    out = Path(cwd) / "measure.json"
    done = subprocess.run(
        [sys.executable, "-S", "-c", _MEASURE, str(out), *argv],
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    try:
        measured = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise SetupError(f"could not run `{argv[0]}`: {done.stderr.decode(errors='replace').strip()[-500:]}") from None
    code = measured["code"]
    if (ok_codes is not None and code not in ok_codes) or code < 0 or code == 127:
        raise SetupError(
            f"`{' '.join(argv[:6])}{' ...' if len(argv) > 6 else ''}` exited {code}: "
            f"{done.stderr.decode(errors='replace').strip()[-500:]}"
        )
    # Linux reports ru_maxrss in KiB, macOS in bytes
    rss_mib = measured["maxrss"] / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return {"wall_s": measured["wall_s"], "cpu_s": measured["cpu_s"], "peak_rss_mib": rss_mib}


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    # The child processes must import the same working tree as the in-process runs.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    # Let the working tree get .pyc files like any installed package (pip writes them at install
    # time, and spaCy and proselint have theirs): with PYTHONDONTWRITEBYTECODE set, as on some
    # machines, every run would recompile tonecheck's source instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _rotated(commands: dict[str, tuple[list[str], tuple[int, ...] | None]], runs: int, cwd: str, what: str) -> dict:
    """Each command once untimed (cold file caches, .pyc files), then `runs` rounds in rotated order."""
    env = _child_env()
    first = {name: _run_process(argv, env, cwd, ok)["wall_s"] for name, (argv, ok) in commands.items()}
    samples: dict[str, list[dict]] = {name: [] for name in commands}
    names = list(commands)
    for i in range(runs):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            argv, ok = commands[name]
            samples[name].append(_run_process(argv, env, cwd, ok))
        print(f"  {what} round {i + 1}/{runs} done", file=sys.stderr)
    result: dict = {"runs": runs}
    for name in commands:
        result[name] = {
            "median_s": statistics.median(x["wall_s"] for x in samples[name]),
            "cpu_s": statistics.median(x["cpu_s"] for x in samples[name]),
            "peak_rss_mib": statistics.median(x["peak_rss_mib"] for x in samples[name]),
            "samples_s": [x["wall_s"] for x in samples[name]],
            "first_run_s": first[name],
        }
    return result


# A process per tree, kept alive for the whole comparison: it imports the tonecheck in a given
# folder, reads the replies from a JSON Lines file, checks them once untimed (the engine is built,
# caches fill), says "ready" with the module it imported, then checks them once more each time it
# reads a line and answers with that pass's CPU time. A tree whose check() takes no `mode` is
# called without it; a language (if given) is passed to a tree whose check() takes one (a tree from
# before languages checks English only).
_BASELINE_RUN = """
import inspect, json, sys, time
tree, replies_path, language = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, tree)
import tonecheck
with open(replies_path, encoding="utf-8") as handle:
    replies = [json.loads(line) for line in handle]
parameters = inspect.signature(tonecheck.check).parameters
options = {"language": language} if language and "language" in parameters else {}
takes_mode = "mode" in parameters
def run():
    for text, mode in replies:
        tonecheck.check(text, mode=mode, **options) if takes_mode else tonecheck.check(text, **options)
run()
print(json.dumps({"module": tonecheck.__file__}), flush=True)
for _ in sys.stdin:
    start = time.process_time()
    run()
    print(json.dumps({"seconds": time.process_time() - start}), flush=True)
"""


class _Tree:
    """One tree's live process (see _BASELINE_RUN)."""

    def __init__(self, tree: Path, replies_path: Path, language: str, env: dict[str, str], cwd: str) -> None:
        self.tree = tree
        # what it says on stderr goes to a file: a pipe nobody reads would fill and stop it
        self.errors = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-c", _BASELINE_RUN, str(tree), str(replies_path), language],
            env=env,
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            text=True,
        )
        self.module = str(self._answer()["module"])

    def _answer(self) -> dict:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            self.errors.seek(0)
            raise SetupError(f"check() of {self.tree} failed: {self.errors.read().strip()[-500:]}")
        answer: dict = json.loads(line)
        return answer

    def one_pass(self) -> float:
        assert self.process.stdin is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        return float(self._answer()["seconds"])

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()
        self.errors.close()


def baseline(replies: list[tuple[str, str]], tree: Path, pairs: int, language: str = "") -> dict:
    """check() of this tree against check() of another checkout: a live process per tree, each
    importing tonecheck from its own folder, taking turns a pass at a time (in the order A B, B A,
    A B...), so that both are measured in the same seconds of a noisy machine, `pairs` times;
    `language`: passed to check() (no detection) where check() takes it."""
    if not (tree / "tonecheck" / "__init__.py").is_file():
        raise SetupError(f"--baseline {tree}: no tonecheck package there (give a checkout's root folder)")
    trees = {"here": REPO_ROOT, "baseline": tree.resolve()}
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)  # each process imports tonecheck from its own tree only
    seconds: dict[str, list[float]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory(prefix="tonecheck-baseline-") as work:
        replies_path = Path(work) / "replies.jsonl"
        replies_path.write_text("".join(json.dumps(r) + "\n" for r in replies), encoding="utf-8")
        live: dict[str, _Tree] = {}
        try:
            for name, folder in trees.items():
                live[name] = _Tree(folder, replies_path, language, env, work)
            for i in range(pairs):
                for name in list(trees)[i % 2 :] + list(trees)[: i % 2]:
                    seconds[name].append(live[name].one_pass())
                if (i + 1) % 10 == 0 or i + 1 == pairs:
                    print(f"  baseline pair {i + 1}/{pairs} done", file=sys.stderr)
        finally:
            for process in live.values():
                process.close()
    commit = subprocess.run(
        ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    paired = [h / b for h, b in zip(seconds["here"], seconds["baseline"], strict=True)]
    quartiles = statistics.quantiles(paired, n=4) if len(paired) > 1 else [paired[0]] * 3
    return {
        "tree": str(tree),
        "commit": commit or None,
        "modules": {name: process.module for name, process in live.items()},
        "pairs": pairs,
        "language": language or None,
        "here_s": statistics.median(seconds["here"]),
        "baseline_s": statistics.median(seconds["baseline"]),
        "here_best_s": min(seconds["here"]),
        "baseline_best_s": min(seconds["baseline"]),
        "ratio": statistics.median(paired),
        "ratio_quartiles": [quartiles[0], quartiles[2]],
        "ratio_paired": paired,
    }


def _instructions(tree: Path, replies_path: Path, language: str, passes: int, env: dict[str, str], work: str) -> int:
    """Instructions a process of _BASELINE_RUN executes under valgrind's callgrind, with `passes`
    timed passes after its untimed one."""
    out = Path(tempfile.mkdtemp(dir=work)) / "callgrind.out"  # (two run at a time)
    callgrind = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
    done = subprocess.run(
        [*callgrind, sys.executable, "-c", _BASELINE_RUN, str(tree), str(replies_path), language],
        input="\n" * passes,
        env=env,
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not out.is_file():
        raise SetupError(f"check() of {tree} under callgrind failed: {done.stderr.strip()[-500:]}")
    for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise SetupError(f"callgrind wrote no instruction total to {out}")


def instructions(replies: list[tuple[str, str]], tree: Path, language: str = "", *, here: Path = REPO_ROOT) -> dict:
    """Instructions one pass of check() over the replies executes, this tree against another
    checkout: counted by valgrind's callgrind, the same on a busy machine as on a quiet one. A
    process that makes one pass after its untimed one, less one that makes none: each tree's two
    processes, two at a time, hash seed fixed, each tree's cache filled before."""
    if shutil.which("valgrind") is None:
        raise Missing("valgrind (apt-get install valgrind)")
    trees = {"here": here, "baseline": tree.resolve()}
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="tonecheck-instructions-") as work:
        replies_path = Path(work) / "replies.jsonl"
        replies_path.write_text("".join(json.dumps(r) + "\n" for r in replies), encoding="utf-8")
        for name, folder in trees.items():
            env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
            env.update(PYTHONHASHSEED="0", TONECHECK_CACHE_DIR=str(Path(work) / f"cache-{name}"))
            _Tree(folder, replies_path, language, env, work).close()  # fills the cache
            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                with_pass, without = pool.map(
                    lambda passes: _instructions(folder, replies_path, language, passes, env, work), (1, 0)
                )
            counts[name] = with_pass - without
            print(f"  instructions of {name} counted", file=sys.stderr)
    return {
        "here": counts["here"],
        "baseline": counts["baseline"],
        "ratio": counts["here"] / counts["baseline"],
        "language": language or None,
    }


def _or_missing(measure: Callable[[], dict]) -> dict:
    try:
        return measure()
    except Missing as exc:
        return {"missing": str(exc)}


def startup(runs: int) -> dict:
    """A fresh CLI on one reply, against `import spacy` (and proselint's CLI when installed)."""
    with tempfile.TemporaryDirectory(prefix="tonecheck-speed-") as tmp:
        reply = Path(tmp) / "reply.txt"
        reply.write_text(STARTUP_REPLY, encoding="utf-8")
        commands: dict[str, tuple[list[str], tuple[int, ...] | None]] = {
            # exit 1 only means "findings"; 2 is a real error
            "tonecheck_cli": ([sys.executable, "-m", "tonecheck", "check", str(reply)], (0, 1)),
            "import_spacy": ([sys.executable, "-c", "import spacy"], (0,)),
        }
        if _version("proselint"):  # 0.16's CLI needs the `check` subcommand; exit 1 again means findings
            commands["proselint_cli"] = ([sys.executable, "-m", "proselint", "check", str(reply)], (0, 1))
        result = _rotated(commands, runs, tmp, "start-up")
    result["ratio"] = result["tonecheck_cli"]["median_s"] / result["import_spacy"]["median_s"]
    return result


def folder(replies: list[tuple[str, str]], files: int, runs: int) -> dict:
    """`tonecheck check DIR` on a folder of `files` reply files, against write-good's CLI on the
    same files, whole processes in rotated order."""
    missing: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="tonecheck-folder-") as tmp:
        root = Path(tmp) / "replies"
        root.mkdir()
        paths = []
        for index in range(files):
            path = root / f"reply-{index:05d}.txt"
            path.write_text(replies[index % len(replies)][0], encoding="utf-8")
            paths.append(str(path))
        commands: dict[str, tuple[list[str], tuple[int, ...] | None]] = {
            "tonecheck": ([sys.executable, "-m", "tonecheck", "check", str(root), "--quiet", "--exit-zero"], (0,)),
        }
        try:
            # write-good exits with the number of its suggestions: any exit code is a run
            commands["write-good"] = ([*write_good_command(), *paths], None)
        except Missing as exc:
            missing["write-good"] = str(exc)
        result = _rotated(commands, runs, tmp, "folder")
    result["files"] = files
    result["missing"] = missing
    tc = result["tonecheck"]
    tc["files_per_s"] = files / tc["median_s"]
    tc["cores_used"] = tc["cpu_s"] / tc["median_s"]
    if "write-good" in result:
        result["vs_write_good"] = result["write-good"]["median_s"] / tc["median_s"]
        result["vs_write_good_paired"] = [
            w / t for t, w in zip(result["tonecheck"]["samples_s"], result["write-good"]["samples_s"], strict=True)
        ]
    return result


# --------------------------------------------------------------------------- report


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def table_rows(figures: dict) -> list[tuple[str, str, str, bool | None]]:
    """(measure, measured, target, met) for every row of the speed table that was measured (see
    --only); met None: a comparator is missing."""
    t, f, sc, s = (figures.get(k) for k in ("throughput", "folder", "scaling", "startup"))
    cores = figures["machine"]["cores"]
    rows: list[tuple[str, str, str, bool | None]] = []
    if t is not None and "vs_proselint" in t:
        rows.append(
            (
                "check() throughput vs proselint 0.16's library",
                f"{t['vs_proselint']:.1f}x",
                ">= 20x",
                t["vs_proselint"] >= 20,
            )
        )
    elif t is not None:
        rows.append(("check() throughput vs proselint 0.16's library", "n/a: proselint missing", ">= 20x", None))
    if t is not None:
        rows.append(
            (
                "check() vs its floor (tokenizer + PhraseMatcher pass)",
                f"1/{1 / t['vs_floor']:.1f}",
                ">= 1/3",
                t["vs_floor"] >= 1 / 3,
            )
        )
    if f is not None and "vs_write_good" in f:
        ratio = f["vs_write_good"]
        shown = f"{ratio:.2f}x faster" if ratio >= 1 else f"{1 / ratio:.2f}x slower"
        rows.append((f"{f['files']:,}-file folder through the CLI vs write-good", shown, ">= 2x faster", ratio >= 2))
    elif f is not None:
        rows.append(
            (
                f"{f['files']:,}-file folder through the CLI vs write-good",
                "n/a: write-good missing",
                ">= 2x faster",
                None,
            )
        )
    if f is not None:
        used = f["tonecheck"]["cores_used"]
        rows.append(
            ("cores used on a folder (CPU time / wall time)", f"{used:.2f} of {cores}", "all", used >= 0.8 * cores)
        )
    if sc is not None:
        rows.append(
            ("cost per KB at 1 MB vs at 1 KB (plain text)", f"{sc['ratio']:.2f}x", "<= 1.1x", sc["ratio"] <= 1.1)
        )
    if s is not None or f is not None:
        one = s["tonecheck_cli"]["peak_rss_mib"] if s is not None else None
        many = f["tonecheck"]["peak_rss_mib"] if f is not None else None
        shown = " / ".join("not run" if x is None else f"{x:.0f}" for x in (one, many))
        rows.append(
            (
                "peak RSS, one reply / a folder (largest process)",
                f"{shown} MiB",
                "<= 120 MiB",
                max(x for x in (one, many) if x is not None) <= 120,
            )
        )
    return rows


def print_table(figures: dict) -> None:
    t, s, f, sc, v = (figures.get(k) for k in ("throughput", "startup", "folder", "scaling", "versions"))
    assert v is not None
    load = figures["machine"]["loadavg_start"]
    print()
    load_text = f", load at start {load[0]:.2f}" if load else ""
    print(
        f"tonecheck {v['tonecheck']}  |  proselint {v['proselint'] or 'missing'}  |  "
        f"write-good {v['write-good'] or 'missing'}  |  Python {v['python']}, spaCy {v['spacy']}  |  "
        f"{figures['machine']['cores']} cores{load_text}"
    )
    print(
        f"{figures['replies']} replies ({figures['chars']:,} chars, mean {figures['chars'] / figures['replies']:.0f}) "
        f"from {len(figures['corpus_files'])} files"
    )
    if figures["parts"] != list(PARTS):
        print(f"parts measured (--only): {', '.join(figures['parts'])}")
    print()
    print("| measure | measured | target | met |")
    print("|---|---|---|---|")
    for measure, measured, target, met in table_rows(figures):
        print(f"| {measure} | {measured} | {target} | {'n/a' if met is None else 'yes' if met else 'NO'} |")
    for name, why in {**(t or {}).get("missing", {}), **(f or {}).get("missing", {})}.items():
        print(f"\nMISSING {name}: {why}")
    if t is not None:
        print()
        print(f"In-process, median of {t['repeat']} rotated passes:")
        print(f"  {'':<46}{'seconds':>9}{'replies/s':>12}{'found':>9}")
        labels = {"tonecheck": "tonecheck.check (findings)", "floor": "tokenizer + PhraseMatcher (matches)"}
        if "proselint" in t:
            labels["proselint"] = f"proselint LintFile.lint, {t['proselint']['enabled_checks']} checks (results)"
        for key, label in labels.items():
            row = t[key]
            print(f"  {label:<46}{row['seconds']:>9.3f}{row['replies_per_s']:>12.0f}{row['found']:>9}")
            if row["errors"]:
                print(f"  WARNING: {key} raised on {row['errors']} replies, e.g. {row['first_error']}")
        if "proselint" in t:
            print(f"  paired ratios vs proselint: {', '.join(f'{r:.2f}' for r in t['vs_proselint_paired'])}")
        print(f"  paired ratios floor/check(): {', '.join(f'{r:.3f}' for r in t['vs_floor_paired'])}")
    if f is not None:
        print()
        print(f"Folder of {f['files']:,} files, whole processes (median of {f['runs']} rotated runs):")
        for key in ("tonecheck", "write-good"):
            if key in f:
                row = f[key]
                print(
                    f"  {key:<12} wall {row['median_s']:7.3f} s  cpu {row['cpu_s']:7.3f} s  "
                    f"peak RSS {row['peak_rss_mib']:6.1f} MiB"
                )
        if "write-good" in f:
            print(
                f"  paired ratios write-good/tonecheck wall: {', '.join(f'{r:.2f}' for r in f['vs_write_good_paired'])}"
            )
    if sc is not None:
        print()
        print(
            f"Cost per KB: {sc['texts']['1 KB']} texts of ~1 KB {sc['s_per_kb']['1 KB'] * 1e6:.0f} us/KB, one 1 MB "
            f"text {sc['s_per_kb']['1 MB'] * 1e6:.0f} us/KB; paired ratios "
            f"{', '.join(f'{r:.2f}' for r in sc['ratio_paired'])}"
        )
    lang = figures.get("language")
    if lang is not None:
        print()
        print(f"Language detection (median of {lang['repeat']} alternating passes of tonecheck.check)")
        print(f"  {'language auto (detected), s':<40}{lang['auto_s']:>9.3f}")
        print(f"  {'language given (no detection), s':<40}{lang['given_s']:>9.3f}")
        print(f"  {'ratio auto/given':<40}{lang['ratio']:>8.2f}x   ({lang['per_reply_ms']:.3f} ms a reply)")
        print(
            f"  model load: {lang['model_load_file_s']:.2f} s from its xz file, "
            f"{lang['model_load_cache_s']:.2f} s from tonecheck's cache (once a process)"
        )
    if s is not None:
        print()
        print(f"Start-up on one reply, fresh processes (median of {s['runs']} rotated runs):")
        rows = (
            ("python -m tonecheck check reply.txt", "tonecheck_cli"),
            ('python -c "import spacy"', "import_spacy"),
            ("python -m proselint check reply.txt", "proselint_cli"),
        )
        for label, key in rows:
            if key in s:
                print(
                    f"  {label:<40}{s[key]['median_s']:>7.3f} s  cpu {s[key]['cpu_s']:6.3f} s  "
                    f"peak RSS {s[key]['peak_rss_mib']:6.1f} MiB"
                )
        print(f"  {'ratio tonecheck CLI / import spacy':<40}{s['ratio']:>6.2f}x")
    b = figures.get("baseline")
    if b is not None:
        print()
        where = f"{b['tree']}" + (f" at {b['commit']}" if b["commit"] else "")
        language = f", language={b['language']} where check() takes one" if b.get("language") else ""
        print(
            f"check() here vs {where} ({b['pairs']} pairs of passes, a live process per tree taking turns,"
            f" CPU time{language}):"
        )
        print(f"  {'this tree, s (median, best)':<40}{b['here_s']:>9.3f} {b['here_best_s']:>7.3f}")
        print(f"  {'baseline, s (median, best)':<40}{b['baseline_s']:>9.3f} {b['baseline_best_s']:>7.3f}")
        slower = "no" if b["ratio"] <= 1.0 else "YES"
        low, high = b["ratio_quartiles"]
        print(
            f"  {'ratio here/baseline, median of pairs':<40}{b['ratio']:>8.3f}x   (quartiles {low:.3f}-{high:.3f};"
            f" best/best {b['here_best_s'] / b['baseline_best_s']:.3f}; slower: {slower})"
        )
    n = figures.get("instructions")
    if n is not None:
        print()
        if "missing" in n:
            print(f"Instructions of check(): n/a ({n['missing']})")
        else:
            language = f", language={n['language']} where check() takes one" if n.get("language") else ""
            print(f"Instructions of one pass of check() (valgrind's callgrind{language}):")
            print(f"  {'this tree, millions':<40}{n['here'] / 1e6:>9.1f}")
            print(f"  {'baseline, millions':<40}{n['baseline'] / 1e6:>9.1f}")
            print(f"  {'ratio here/baseline':<40}{n['ratio']:>8.3f}x")
    print()
    print("Compare the ratios; absolute figures move with the load of the machine.")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--corpus",
        action="append",
        type=Path,
        metavar="PATH",
        help="a *.jsonl file, or a folder searched for them (repeatable); replaces the default reply set",
    )
    parser.add_argument("--limit", type=int, default=2000, metavar="N", help="replies, cycled (default 2000)")
    parser.add_argument("--repeat", type=int, default=3, help="rotated in-process passes (default 3)")
    parser.add_argument("--startup-runs", type=int, default=5, help="fresh processes per command (default 5)")
    parser.add_argument("--folder-files", type=int, default=2000, help="files in the folder (default 2000)")
    parser.add_argument("--folder-runs", type=int, default=3, help="whole-process runs per tool (default 3)")
    parser.add_argument("--scaling-rounds", type=int, default=5, help="rounds of the 1 KB / 1 MB texts (default 5)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write all figures to PATH as JSON")
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="DIR",
        help="another checkout of tonecheck to time check() against (the baseline part)",
    )
    parser.add_argument(
        "--baseline-runs", type=int, default=30, help="pairs of passes, one of each tree, taking turns (default 30)"
    )
    parser.add_argument(
        "--baseline-language",
        default="",
        metavar="CODE",
        help="pass language=CODE to check() where it takes one (no detection; an older tree may know English only)",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="PART[,PART]",
        help="run only these parts (repeatable or comma-separated; default: every part): "
        + "; ".join(f"{name}: {what}" for name, what in PARTS.items()),
    )
    args = parser.parse_args(argv)
    wanted = None if args.only is None else {p.strip() for arg in args.only for p in arg.split(",") if p.strip()}
    if wanted is not None and (not wanted or wanted - set(PARTS)):
        parser.error(f"--only takes parts among {', '.join(PARTS)}, not {', '.join(args.only)!r}")
    for part in ("baseline", "instructions"):
        if wanted is not None and part in wanted and args.baseline is None:
            parser.error(f"the {part} part needs --baseline DIR")
    parts = [
        name
        for name in PARTS
        if (name in wanted if wanted is not None else name not in ASKED_ONLY)
        and (name not in ("baseline", "instructions") or args.baseline)
    ]
    for name in ("limit", "repeat", "startup_runs", "folder_files", "folder_runs", "scaling_rounds", "baseline_runs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")

    if not os.environ.get("TONECHECK_CACHE_DIR") and not os.environ.get("TONECHECK_NO_CACHE"):
        # tonecheck's cache of its own for the run (the untimed first run of each command fills
        # it), as on a machine where tonecheck runs: a cache shared with other checkouts of
        # tonecheck (other versions of the rules and code) keeps only the newest entries, so
        # theirs would evict this run's between rounds and the rounds would measure its rebuilds
        own_cache = tempfile.mkdtemp(prefix="tonecheck-speed-cache-")
        os.environ["TONECHECK_CACHE_DIR"] = own_cache
        atexit.register(shutil.rmtree, own_cache, ignore_errors=True)
    try:
        _, _, tonecheck_version = import_tonecheck()
        unique, files = load_replies(args.corpus, None)
        # spread over every file of the set (a stride through it), cycled when the set is smaller
        replies = [unique[(i * len(unique)) // args.limit % len(unique)] for i in range(args.limit)]
        print(f"{len(replies)} replies ({len(unique)} unique) from {len(files)} files", file=sys.stderr)
        loadavg = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
        measures: dict[str, Callable[[], dict]] = {
            "throughput": lambda: throughput(replies, args.repeat),
            "language": lambda: language_cost(replies, args.repeat),
            "scaling": lambda: scaling(replies, args.scaling_rounds),
            "folder": lambda: folder(replies, args.folder_files, args.folder_runs),
            "startup": lambda: startup(args.startup_runs),
            "baseline": lambda: baseline(replies, args.baseline, args.baseline_runs, args.baseline_language),
            "instructions": lambda: _or_missing(lambda: instructions(replies, args.baseline, args.baseline_language)),
        }
        measured: dict[str, dict] = {}
        for name in parts:
            print(f"{name}...", file=sys.stderr)
            measured[name] = measures[name]()
    except SetupError as exc:
        print(f"speed.py: error: {exc}", file=sys.stderr)
        return 2

    figures = {
        "replies": len(replies),
        "chars": sum(len(text) for text, _ in replies),
        "modes": {m: sum(1 for _, mode in replies if mode == m) for m in ("draft", "saved")},
        "corpus_files": files,
        "parts": parts,
        **measured,
        "versions": {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "tonecheck": tonecheck_version,
            "proselint": _version("proselint"),
            "write-good": _write_good_version(),
            "spacy": _version("spacy"),
            "pydantic": _version("pydantic"),
            "regex": _version("regex"),
        },
        "machine": {
            "platform": platform.platform(),
            "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "loadavg_start": loadavg,
            "loadavg_end": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        },
        "python_executable": sys.executable,
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    print_table(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")
    return 0


def _write_good_version() -> str | None:
    package = REPO_ROOT / "benchmarks" / ".node" / "node_modules" / "write-good" / "package.json"
    try:
        return str(json.loads(package.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return None


if __name__ == "__main__":
    sys.exit(main())
