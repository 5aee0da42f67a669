"""Speed benchmark: tonecheck against proselint, measured side by side in one run.

What it measures
  1. Throughput: linting a set of replies in-process with `tonecheck.check` and with
     proselint 0.16 (`LintFile(...).lint()`, all of its default checks), after warming
     both up. The two are timed in alternating passes (`--repeat`, default 3); the
     median wall time of each gives replies/s and the ratio tonecheck/proselint
     (above 1 means tonecheck lints more replies per second).
     The default reply set is every `text` of every *.jsonl under
     ../shared/corpora/real/ (beside the repo) plus corpora/labelled.jsonl of the repo.
     The cost of detecting each reply's language is measured on the same replies: check with
     language auto (the default) against check with the language given, and the detector's
     model load (from its file and from tonecheck's cache).
  2. Start-up: the median wall time of a fresh `python -m tonecheck check reply.txt`
     against a fresh `python -c "import spacy"` (the floor tonecheck builds on), run
     alternately (`--startup-runs`, default 7), and their ratio. A fresh
     `python -m proselint check reply.txt` is timed too, for reference.

How to run it (from the repo root; proselint is a benchmark-only dependency)
    pip install proselint==0.16.0
    python benchmarks/speed.py                      # default run, well under 3 minutes on 2 cores
    python benchmarks/speed.py --repeat 5 --json speed.json
    python benchmarks/speed.py --corpus some.jsonl --limit 500

Compare the ratios, not the absolute numbers: the machines this runs on are shared
and noisy, and both tools are slowed down alike by a busy neighbour, so a ratio
measured in one run is stable where seconds and replies/s are not.

Exit codes: 0 done, 2 set-up error (proselint missing, no replies, tonecheck broken).
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REAL_CORPORA = REPO_ROOT.parent / "shared" / "corpora" / "real"
DEFAULT_LABELLED = REPO_ROOT / "corpora" / "labelled.jsonl"
PROSELINT_VERSION = "0.16.0"

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
        raise SetupError(
            "proselint is not installed; it is a benchmark-only dependency:\n"
            f"    {sys.executable} -m pip install proselint=={PROSELINT_VERSION}"
        ) from None
    try:
        # 0.16 has no `proselint.tools.lint` any more: a LintFile wraps the text and
        # `.lint(config)` runs every enabled check of the global registry on it.
        from proselint.checks import __register__
        from proselint.config import DEFAULT
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile
    except ImportError as exc:
        raise SetupError(
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
        raise SetupError("proselint has no enabled checks; the comparison would be meaningless")

    def lint_one(text: str) -> list:
        return LintFile("<reply>", text).lint(config)

    return lint_one, enabled, int(config["max_errors"]), version


def import_tonecheck() -> tuple[Callable[[str, str], object], str]:
    try:
        import tonecheck
    except Exception as exc:  # a broken working tree should say so, not print a traceback
        raise SetupError(f"cannot import tonecheck from {REPO_ROOT}: {exc!r}") from None

    def check_one(text: str, mode: str) -> object:
        return tonecheck.check(text, mode=mode)

    return check_one, tonecheck.__version__


def time_tonecheck(check_one: Callable[[str, str], object], replies: list[tuple[str, str]]) -> dict:
    findings = errors = 0
    first_error = None
    gc.collect()  # start each pass from the same heap state, for both tools
    start = time.perf_counter()
    for text, mode in replies:
        try:
            findings += len(check_one(text, mode).findings)
        except Exception as exc:  # keep timing; report at the end
            errors += 1
            first_error = first_error or repr(exc)
    return {"seconds": time.perf_counter() - start, "findings": findings, "errors": errors, "first_error": first_error}


def language_cost(replies: list[tuple[str, str]], repeat: int) -> dict:
    """What detecting each reply's language costs: `tonecheck.check` with language auto (the
    default) against the same with the language given (no detection), in alternating passes; and
    the detector's model load, from its xz file and from tonecheck's cache."""
    import tonecheck
    from tonecheck import _langid

    given = tonecheck.Config(language="en")
    for text, mode in replies[:50]:  # warm both engines (and load the model) before timing
        tonecheck.check(text, mode=mode)
        tonecheck.check(text, mode=mode, config=given)
    runs: dict[str, list[float]] = {"auto": [], "given": []}
    for _ in range(repeat):
        for name, config in (("auto", None), ("given", given)):
            gc.collect()
            start = time.perf_counter()
            for text, mode in replies:
                tonecheck.check(text, mode=mode, config=config)
            runs[name].append(time.perf_counter() - start)
    auto, fixed = statistics.median(runs["auto"]), statistics.median(runs["given"])
    from py3langid import langid

    start = time.perf_counter()
    langid._load_model_file(langid.MODEL_DIR / langid.MODEL_FILE)
    from_file = time.perf_counter() - start
    start = time.perf_counter()
    _langid._load()
    from_cache = time.perf_counter() - start
    return {
        "auto_s": auto,
        "given_s": fixed,
        "ratio": auto / fixed,
        "per_reply_ms": (auto - fixed) / len(replies) * 1000,
        "model_load_file_s": from_file,
        "model_load_cache_s": from_cache,
    }


def time_proselint(lint_one: Callable[[str], list], replies: list[tuple[str, str]], max_errors: int) -> dict:
    findings = errors = capped = 0
    first_error = None
    gc.collect()
    start = time.perf_counter()
    for text, _mode in replies:
        try:
            results = lint_one(text)
        except Exception as exc:  # its own CLI also carries on past a failing file
            errors += 1
            first_error = first_error or repr(exc)
            continue
        findings += len(results)
        capped += len(results) >= max_errors
    return {
        "seconds": time.perf_counter() - start,
        "findings": findings,
        "capped": capped,
        "errors": errors,
        "first_error": first_error,
    }


def throughput(replies: list[tuple[str, str]], repeat: int) -> dict:
    lint_one, enabled, max_errors, _ = import_proselint()
    check_one, _ = import_tonecheck()

    # Warm-up outside the clock: tonecheck builds its spaCy pipeline and rule
    # matchers on the first call, proselint compiles its regexes on the first lint.
    warm = STARTUP_REPLY
    start = time.perf_counter()
    try:
        check_one(warm, "draft")
    except Exception as exc:
        raise SetupError(f"tonecheck.check fails on a plain reply: {exc!r}") from None
    tonecheck_warmup = time.perf_counter() - start
    start = time.perf_counter()
    proselint_sanity = len(lint_one(warm + "\nThis is very unique."))  # "very unique" is a sure hit
    proselint_warmup = time.perf_counter() - start
    if proselint_sanity == 0:
        raise SetupError("proselint returned no results on a text it must flag; its checks are not running")

    runs: dict[str, list[dict]] = {"tonecheck": [], "proselint": []}
    for i in range(repeat):
        # Alternate which tool goes first, so a slow spell or a warm cache does not
        # always favour the same one.
        order = ("tonecheck", "proselint") if i % 2 == 0 else ("proselint", "tonecheck")
        for tool in order:
            if tool == "tonecheck":
                runs[tool].append(time_tonecheck(check_one, replies))
            else:
                runs[tool].append(time_proselint(lint_one, replies, max_errors))
            print(f"  pass {i + 1}/{repeat} {tool:<9} {runs[tool][-1]['seconds']:8.3f} s", file=sys.stderr)

    result: dict = {"repeat": repeat}
    for tool, samples in runs.items():
        seconds = statistics.median(s["seconds"] for s in samples)
        result[tool] = {
            "seconds": seconds,
            "replies_per_s": len(replies) / seconds,
            "samples_s": [s["seconds"] for s in samples],
            "findings": samples[-1]["findings"],
            "errors": samples[-1]["errors"],
            "first_error": samples[-1]["first_error"],
        }
    result["tonecheck"]["warmup_s"] = tonecheck_warmup
    result["proselint"].update(
        warmup_s=proselint_warmup,
        enabled_checks=enabled,
        max_errors=max_errors,
        replies_at_max_errors=runs["proselint"][-1]["capped"],
    )
    result["ratio"] = result["tonecheck"]["replies_per_s"] / result["proselint"]["replies_per_s"]
    # Ratios of each alternating pair, to show how much the noise moves the ratio.
    result["paired_ratios"] = [
        p["seconds"] / t["seconds"] for t, p in zip(runs["tonecheck"], runs["proselint"], strict=False)
    ]
    return result


# --------------------------------------------------------------------------- start-up


def _run_once(argv: list[str], env: dict[str, str], cwd: str, ok_codes: tuple[int, ...]) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in ok_codes:
        raise SetupError(
            f"`{' '.join(argv)}` exited {done.returncode}: {done.stderr.decode(errors='replace').strip()[-500:]}"
        )
    return elapsed


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    # The child processes must import the same working tree as the in-process runs.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    # Let the working tree get .pyc files like any installed package (pip writes them at install
    # time, and spaCy and proselint have theirs): with PYTHONDONTWRITEBYTECODE set, as on some
    # machines, every run would recompile tonecheck's source instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def startup(runs: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="tonecheck-speed-") as tmp:
        reply = Path(tmp) / "reply.txt"
        reply.write_text(STARTUP_REPLY, encoding="utf-8")
        env = _child_env()
        commands = {
            # exit 1 only means "findings"; 2 is a real error
            "tonecheck_cli": ([sys.executable, "-m", "tonecheck", "check", str(reply)], (0, 1)),
            # the same without the compiled-rule cache: what the first run on a machine pays
            "tonecheck_cli_cold": (
                ["env", "TONECHECK_NO_CACHE=1", sys.executable, "-m", "tonecheck", "check", str(reply)],
                (0, 1),
            ),
            "import_spacy": ([sys.executable, "-c", "import spacy"], (0,)),
            # 0.16's CLI needs the `check` subcommand; exit 1 again means findings.
            "proselint_cli": ([sys.executable, "-m", "proselint", "check", str(reply)], (0, 1)),
        }
        # The very first run of each command pays for cold file caches and for writing
        # .pyc files; record it, but keep it out of the medians.
        first = {name: _run_once(argv, env, tmp, ok) for name, (argv, ok) in commands.items()}
        samples: dict[str, list[float]] = {name: [] for name in commands}
        names = list(commands)
        for i in range(runs):
            # Rotate the order each round for the same reason as the throughput passes.
            for name in names[i % len(names) :] + names[: i % len(names)]:
                argv, ok = commands[name]
                samples[name].append(_run_once(argv, env, tmp, ok))
            print(f"  start-up round {i + 1}/{runs} done", file=sys.stderr)
    result: dict = {"runs": runs}
    for name in commands:
        result[name] = {
            "median_s": statistics.median(samples[name]),
            "samples_s": samples[name],
            "first_run_s": first[name],
        }
    result["ratio"] = result["tonecheck_cli"]["median_s"] / result["import_spacy"]["median_s"]
    result["ratio_cold"] = result["tonecheck_cli_cold"]["median_s"] / result["import_spacy"]["median_s"]
    return result


# --------------------------------------------------------------------------- a repository of files


def repository(replies: list[tuple[str, str]], files: int, runs: int = 2) -> dict:
    """Lint a generated repository of `files` saved replies with one CLI process (one pipeline
    for all files); report files/s. Files cycle through the reply set."""
    with tempfile.TemporaryDirectory(prefix="tonecheck-repo-") as tmp:
        root = Path(tmp)
        for index in range(files):
            folder = root / f"macros-{index // 500:02d}"
            folder.mkdir(exist_ok=True)
            (folder / f"reply-{index:05d}.txt").write_text(replies[index % len(replies)][0] or "Hi", encoding="utf-8")
        env = _child_env()
        argv = [sys.executable, "-m", "tonecheck", "check", str(root), "--quiet", "--exit-zero"]
        samples = [_run_once(argv, env, tmp, (0,)) for _ in range(runs)]
    seconds = statistics.median(samples)
    return {"files": files, "seconds": seconds, "files_per_s": files / seconds, "samples_s": samples}


# --------------------------------------------------------------------------- report


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def print_table(figures: dict) -> None:
    t, s, v = figures["throughput"], figures["startup"], figures["versions"]
    load = figures["machine"]["loadavg_start"]
    print()
    load_text = f", load at start {load[0]:.2f}" if load else ""
    print(
        f"tonecheck {v['tonecheck']} vs proselint {v['proselint']}  |  Python {v['python']}, "
        f"spaCy {v['spacy']}  |  {figures['machine']['cpus']} CPUs{load_text}"
    )
    print(
        f"{figures['replies']} replies ({figures['chars']:,} chars, mean {figures['chars'] / figures['replies']:.0f}) "
        f"from {len(figures['corpus_files'])} files"
    )
    print()
    print(f"Throughput, in-process (median of {t['repeat']} alternating pass{'es' if t['repeat'] != 1 else ''})")
    print(f"  {'':<40}{'seconds':>9}{'replies/s':>12}{'findings':>10}")
    tc, pl = t["tonecheck"], t["proselint"]
    print(f"  {'tonecheck.check':<40}{tc['seconds']:>9.3f}{tc['replies_per_s']:>12.1f}{tc['findings']:>10}")
    label = f"proselint LintFile.lint ({pl['enabled_checks']} checks)"
    print(f"  {label:<40}{pl['seconds']:>9.3f}{pl['replies_per_s']:>12.1f}{pl['findings']:>10}")
    print(f"  {'ratio tonecheck/proselint (replies/s)':<40}{'':>9}{t['ratio']:>11.2f}x")
    if t["repeat"] > 1:
        print(f"  paired ratios: {', '.join(f'{r:.2f}' for r in t['paired_ratios'])}")
    print(f"  warm-up call: tonecheck {tc['warmup_s']:.3f} s, proselint {pl['warmup_s']:.3f} s (not timed)")
    print(
        f"  note: proselint stops at max_errors={pl['max_errors']} results per text; "
        f"{pl['replies_at_max_errors']} replies reached it"
    )
    for tool in ("tonecheck", "proselint"):
        if t[tool]["errors"]:
            print(f"  WARNING: {tool} raised on {t[tool]['errors']} replies, e.g. {t[tool]['first_error']}")
    lang = figures["language"]
    print()
    print(f"Language detection (median of {t['repeat']} alternating passes of tonecheck.check)")
    print(f"  {'language auto (detected), s':<40}{lang['auto_s']:>9.3f}")
    print(f"  {'language given (no detection), s':<40}{lang['given_s']:>9.3f}")
    print(f"  {'ratio auto/given':<40}{lang['ratio']:>8.2f}x   ({lang['per_reply_ms']:.3f} ms a reply)")
    print(
        f"  model load: {lang['model_load_file_s']:.2f} s from its xz file, "
        f"{lang['model_load_cache_s']:.2f} s from tonecheck's cache (once a process)"
    )
    print()
    print(f"Start-up, fresh process (median of {s['runs']} alternating run{'s' if s['runs'] != 1 else ''} each)")
    print(f"  {'':<40}{'median s':>9}{'first run s':>13}")
    rows = (
        ("python -m tonecheck check reply.txt", "tonecheck_cli"),
        ('python -c "import spacy"', "import_spacy"),
        ("python -m proselint check reply.txt", "proselint_cli"),
    )
    for label, key in rows:
        print(f"  {label:<40}{s[key]['median_s']:>9.3f}{s[key]['first_run_s']:>13.3f}")
    print(
        f"  {'python -m tonecheck ... (no rule cache)':<40}{s['tonecheck_cli_cold']['median_s']:>9.3f}"
        f"{s['tonecheck_cli_cold']['first_run_s']:>13.3f}"
    )
    print(f"  {'ratio tonecheck CLI / import spacy':<40}{s['ratio']:>8.2f}x")
    print(f"  {'ratio, without the rule cache':<40}{s['ratio_cold']:>8.2f}x")
    r = figures.get("repository")
    if r:
        print()
        print(f"Repository: {r['files']} files in one `tonecheck check DIR` process (median of {len(r['samples_s'])})")
        print(f"  {r['seconds']:.2f} s, {r['files_per_s']:.0f} files/s")
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
    parser.add_argument("--limit", type=int, metavar="N", help="lint at most N replies")
    parser.add_argument("--repeat", type=int, default=3, help="alternating throughput passes (default 3)")
    parser.add_argument("--startup-runs", type=int, default=7, help="fresh processes per command (default 7)")
    parser.add_argument(
        "--repo-files",
        type=int,
        default=5000,
        help="files in the generated repository for files/s (default 5000; 0 skips it)",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write all figures to PATH as JSON")
    args = parser.parse_args(argv)
    for name in ("limit", "repeat", "startup_runs"):
        value = getattr(args, name)
        if value is not None and value < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")

    try:
        # Check the benchmark-only dependency first, before any long work.
        _, _, _, proselint_version = import_proselint()
        _, tonecheck_version = import_tonecheck()
        replies, files = load_replies(args.corpus, args.limit)
        print(f"{len(replies)} replies from {len(files)} files; throughput passes...", file=sys.stderr)
        loadavg = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
        throughput_figures = throughput(replies, args.repeat)
        print("language detection passes...", file=sys.stderr)
        language_figures = language_cost(replies, args.repeat)
        print("start-up runs...", file=sys.stderr)
        startup_figures = startup(args.startup_runs)
        repository_figures = repository(replies, args.repo_files) if args.repo_files > 0 else None
    except SetupError as exc:
        print(f"speed.py: error: {exc}", file=sys.stderr)
        return 2

    figures = {
        "replies": len(replies),
        "chars": sum(len(text) for text, _ in replies),
        "modes": {m: sum(1 for _, mode in replies if mode == m) for m in ("draft", "saved")},
        "corpus_files": files,
        "throughput": throughput_figures,
        "language": language_figures,
        "startup": startup_figures,
        "repository": repository_figures,
        "versions": {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "tonecheck": tonecheck_version,
            "proselint": proselint_version,
            "spacy": _version("spacy"),
            "google-re2": _version("google-re2"),
            "pydantic": _version("pydantic"),
            "regex": _version("regex"),
        },
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
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


if __name__ == "__main__":
    sys.exit(main())
