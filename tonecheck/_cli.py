"""Command line: `tonecheck check`, `tonecheck rule`, `tonecheck rules`.

Exit codes: 0 no findings at or above the fail level, 1 findings, 2 usage or input error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from ._exceptions import TonecheckError
from ._outputs import FORMATS
from ._project.discovery import Project, find_config_file, load_project
from ._ruleset.schema import MatchingRule, Rule
from ._types import Finding, Severity

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 too; keep its message short
        self.print_usage(sys.stderr)
        raise _UsageError(message)


class _UsageError(Exception):
    pass


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tonecheck", description="Lint customer-support replies.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    check = commands.add_parser("check", help="lint replies: files, folders, or standard input")
    check.add_argument("paths", nargs="*", help="files or folders; none or '-' reads standard input")
    check.add_argument("--format", choices=FORMATS, default="text")
    check.add_argument(
        "--mode",
        choices=("draft", "saved"),
        default=None,
        help="draft or saved for every input (default: the config's mode globs, else saved "
        "for files and draft for standard input)",
    )
    check.add_argument(
        "--channel",
        choices=("auto", "email", "chat", "social"),
        default=None,
        help="where the replies are read (default: the config's channel, else auto: an "
        "@handle opener is social, a short reply without greeting or sign-off is chat)",
    )
    check.add_argument(
        "--preview",
        action="store_true",
        default=None,
        help="run preview rules too (not yet measured right 9 times in 10 on real replies)",
    )
    check.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="CODE|PREFIX|CATEGORY",
        help="check only these rules (repeatable, or comma-separated)",
    )
    check.add_argument("--extend-select", action="append", default=[], metavar="CODE|PREFIX|CATEGORY")
    check.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="CODE|PREFIX|CATEGORY",
        help="skip these rules (repeatable, or comma-separated)",
    )
    check.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        default=None,
        help="lowest severity that makes the exit code 1 (default: warning)",
    )
    check.add_argument(
        "--rule-path", action="append", default=[], metavar="PATH", help="extra rule file or folder (repeatable)"
    )
    check.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help="configuration file (default: found upward from each path)",
    )
    check.add_argument("--customer-name", default=None, help="the customer's name, for name checks")
    check.add_argument("--fix", action="store_true", help="apply safe fixes to the files in place")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: apply unsafe fixes too")
    check.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    check.add_argument(
        "--force-exclude",
        action="store_true",
        help="apply exclude globs to paths given explicitly too (as pre-commit passes them)",
    )
    check.add_argument(
        "--baseline", type=Path, default=None, metavar="FILE", help="report only findings not recorded in this baseline"
    )
    check.add_argument(
        "--write-baseline",
        type=Path,
        default=None,
        metavar="FILE",
        help="record every current finding in FILE and exit 0",
    )
    check.add_argument("--statistics", action="store_true", help="print a count per rule instead of findings")
    check.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors; use the exit code")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")

    config = commands.add_parser("config", help="print the effective configuration for a path")
    config.add_argument("path", nargs="?", default=".")
    config.add_argument("--config", type=Path, default=None, metavar="FILE")

    rule = commands.add_parser("rule", help="explain one rule")
    rule.add_argument("code")
    rules = commands.add_parser("rules", help="list all rules")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    for command in (rule, rules):  # the rules in force: the current folder's configuration, as `check` finds it
        command.add_argument(
            "--config",
            type=Path,
            default=None,
            metavar="FILE",
            help="configuration file (default: found upward from the current folder)",
        )
        command.add_argument(
            "--rule-path",
            action="append",
            default=[],
            metavar="PATH",
            help="extra rule file or folder (repeatable; replaces the configuration's rule-paths)",
        )
    _add_serve_parser(commands)
    return parser


def _add_serve_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    serve = commands.add_parser("serve", help="run the pre-send service (HTTP; needs tonecheck[serve])")
    serve.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=None, help="port (default 8790)")
    serve.add_argument(
        "--workers", type=int, default=None, help="worker processes, each with its own engine (default 1)"
    )
    serve.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help="configuration file: linting settings and its [serve] table (default: found upward "
        "from the working folder)",
    )
    serve.add_argument("--log-level", choices=("critical", "error", "warning", "info", "debug"), default=None)
    serve.add_argument("--no-access-log", action="store_true", help="do not log one line per request")


def _cmd_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        from ._serve.runner import serve
        from ._serve.settings import build_settings
    except ImportError as exc:
        err.write(
            f"tonecheck: error: `tonecheck serve` needs the serve extra ({exc.name} is missing): "
            'pip install "tonecheck[serve]"\n'
        )
        return EXIT_ERROR
    config_file = args.config or find_config_file(Path.cwd())
    if args.config is not None and not args.config.is_file():
        err.write(f"tonecheck: error: {args.config}: no such file\n")
        return EXIT_ERROR
    settings = build_settings(
        config_file,
        {
            "host": args.host,
            "port": args.port,
            "workers": args.workers,
            "log-level": args.log_level,
            "access-log": False if args.no_access_log else None,
        },
    )
    return serve(settings, err)


def _split(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _overrides(args: argparse.Namespace) -> dict[str, object]:
    return {
        "select": _split(args.select) or None,
        "extend-select": _split(args.extend_select) or None,
        "ignore": _split(args.ignore) or None,
        "rule-paths": tuple(str(Path(p).resolve()) for p in args.rule_path) or None,
        "fail-on": args.fail_on,
        "channel": args.channel,
        "preview": args.preview,
    }


class _Projects:
    """One Project per configuration file, found upward from each path."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.by_source: dict[Path | None, Project] = {}

    def for_path(self, path: Path) -> Project:
        source = self.args.config or find_config_file(path)
        if source not in self.by_source:
            self.by_source[source] = load_project(path, overrides=_overrides(self.args), config_file=source)
        return self.by_source[source]


def _error(err: TextIO, message: str, level: str = "error") -> None:
    """One line on standard error, whatever the message holds (a file name with a line break
    or an escape sequence is shown escaped)."""
    from ._outputs.common import escape_text

    err.write(f"tonecheck: {level}: {escape_text(message)}\n")


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._engine.linter import get_engine
    from ._files import NotWritten, rewrite
    from ._outputs import render, statistics
    from ._project.baseline import key as baseline_key
    from ._project.baseline import read as read_baseline
    from ._project.baseline import write as write_baseline
    from ._project.discovery import discover, repository_root
    from ._project.lint import Options, fix_source, lint_source, read_file
    from ._types import FileReport, Report
    from ._version import __version__

    projects = _Projects(args)
    context = {"customer_name": args.customer_name} if args.customer_name else None
    baseline = read_baseline(args.baseline) if args.baseline else None
    recorded: list[tuple[str, str, str, str]] = []
    results: list[FileReport] = []
    rules: dict[str, Rule] = {}  # what ran, for formats that describe rules: each file's own rule set
    errors = failing = fixes_applied = 0
    targets: list[tuple[str, Path | None]] = []
    roots: dict[Path, Path | None] = {}  # folder -> its repository's top folder (fixes stay inside it)

    def skipped(path: Path, why: str) -> None:
        _error(err, f"{path}: skipped: {why}", "warning")

    if not args.paths or args.paths == ["-"]:
        targets.append(("-", None))
    else:
        for given in args.paths:
            if given == "-":
                targets.append(("-", None))
                continue
            given_path = Path(given)
            if not given_path.exists():
                problem = (
                    "a symbolic link to nothing, or a link loop"
                    if os.path.lexists(given_path)
                    else "no such file or folder"
                )
                _error(err, f"{given}: {problem}")
                errors += 1
                continue
            project = projects.for_path(given_path)
            found = [
                (str(p), p) for p in discover([given_path], project, force_exclude=args.force_exclude, on_skip=skipped)
            ]
            if not found and given_path.is_dir():
                _error(err, f"{given}: no files to lint here (see include and exclude)", "warning")
            targets.extend(found)
    if args.fix:
        _terminate_cleanly()
    for display, path in targets:
        shown = "<stdin>" if path is None else display  # as given, so it opens from the working folder
        try:
            project = projects.for_path(path if path is not None else Path.cwd())
            engine = get_engine(project.config)
            rules.update(engine.ruleset.by_code())
            # files in a repository are saved replies; standard input is a draft about to be sent
            options = Options(mode=args.mode, default_mode="draft" if path is None else "saved", context=context)
            name = "stdin.txt" if path is None else display
            source = read_file(display, limit=project.config.max_file_bytes)
            content = source.text
            if args.fix or args.diff:
                fixed = fix_source(
                    engine, content, path=name, project=project, file=path, options=options, unsafe=args.unsafe_fixes
                )
                if fixed is None:
                    _error(err, f"{shown}: fixes are not applied to files in this format", "note")
                elif args.diff:
                    fixes_applied += len(fixed.edits)
                    _write_diff(shown, content, fixed.text, out, err)
                elif path is None:
                    fixes_applied += len(fixed.edits)
                    out.write(fixed.text)  # a filter: the text goes out whether or not it changed
                elif fixed.changed:
                    folder = path.parent
                    if folder not in roots:
                        roots[folder] = repository_root(folder) or project.root
                    try:
                        rewrite(
                            path,
                            source.encode(fixed.text),
                            expected=source.data,
                            root=roots[folder],
                            limit=max(project.config.max_file_bytes, len(source.data)),
                        )
                    except NotWritten as exc:
                        _error(err, str(exc))
                        errors += 1
                        continue
                    fixes_applied += len(fixed.edits)  # counted once written
                    content = fixed.text
            report = lint_source(
                engine,
                content,
                path=name,
                format="text" if path is None else None,
                project=project,
                file=path,
                options=options,
            )
        except TonecheckError as exc:
            _error(err, str(exc))
            errors += 1
            continue
        except (MemoryError, RecursionError) as exc:
            _error(err, f"{shown}: too large or too deeply nested to lint ({type(exc).__name__})")
            errors += 1
            continue
        except Exception as exc:  # a bug must not lose the other files' results
            if os.environ.get("TONECHECK_DEBUG"):
                raise
            _error(err, f"{shown}: internal error ({type(exc).__name__}: {exc}); please report it")
            errors += 1
            continue
        keyed = "<stdin>" if path is None else project.relative(path)  # baselines key on the project path
        replies: list[Report] = []
        for reply in report.replies:
            kept: list[Finding] = []
            for finding in reply.findings:
                entry = baseline_key(keyed, reply.reply_id, finding)
                recorded.append(entry)
                if baseline is not None and baseline[entry] > 0:
                    baseline[entry] -= 1
                    continue
                kept.append(finding)
            replies.append(reply.model_copy(update={"findings": tuple(kept)}))
        report = report.model_copy(update={"path": shown, "replies": tuple(replies)})
        failing += sum(1 for f in report.findings if f.severity.rank >= project.config.fail_on.rank)
        results.append(report)
    if args.write_baseline:
        count = write_baseline(args.write_baseline, recorded)
        err.write(
            f"Wrote {count} baseline entr{'ies' if count != 1 else 'y'} to {_escaped(str(args.write_baseline))}.\n"
        )
        return EXIT_ERROR if errors else EXIT_OK
    if args.diff:
        return EXIT_ERROR if errors else (EXIT_FINDINGS if fixes_applied and not args.exit_zero else EXIT_OK)
    fixed_to_stdout = args.fix and any(path is None for _, path in targets)
    if args.fix and not fixed_to_stdout and not args.quiet:
        err.write(f"Applied {fixes_applied} fix{'es' if fixes_applied != 1 else ''}.\n")
    if not fixed_to_stdout and not args.quiet:
        if args.statistics:
            out.write(statistics(results))
        else:
            out.write(render(args.format, results, rules=rules, version=__version__))
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if failing and not args.exit_zero else EXIT_OK


def _escaped(value: str) -> str:
    from ._outputs.common import escape_text

    return escape_text(value)


def _terminate_cleanly() -> None:
    """While --fix writes files, SIGTERM ends the run as Ctrl-C does, so a temporary file being
    written is removed (where the system has no unnamed temporary files)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, interrupt)
    except (ValueError, OSError):
        pass


def _cmd_config(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    project = load_project(Path(args.path), config_file=args.config)
    payload = {
        "source": str(project.source) if project.source else None,
        "root": str(project.root),
        "config": project.config.model_dump(mode="json", by_alias=True),
    }
    out.write(json.dumps(payload, indent=2) + "\n")
    return EXIT_OK


def _write_diff(path: str, before: str, after: str, out: TextIO, err: TextIO) -> None:
    import difflib

    from ._outputs.common import escape_text, starts_a_command

    escaped = False
    for line in difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=path if path.startswith("/") else f"a/{path}",
        tofile=path if path.startswith("/") else f"b/{path}",
    ):
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        if body and body[-1] in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029":  # a line break only str.splitlines sees
            ending = "\n"
        safe = escape_text(body)
        if starts_a_command(safe):
            safe = safe.replace(":", "\\x3a", 1)
        if safe != body:
            escaped = True
        out.write(safe + ending)
    if after and not after.endswith("\n") and before != after:
        out.write("\n\\ No newline at end of file\n")
    if escaped:
        _error(
            err,
            f"{path}: the diff shows control characters or a workflow command escaped; it may not apply as it is",
            "note",
        )


def _rules_in_force(args: argparse.Namespace) -> list[Rule]:
    """Every rule of the configuration `check` would use in the current folder (with --config
    and --rule-path applied): the built-in rules and the project's own."""
    from ._engine.linter import get_engine

    rule_paths = tuple(str(Path(p).resolve()) for p in args.rule_path)
    project = load_project(Path.cwd(), overrides={"rule-paths": rule_paths or None}, config_file=args.config)
    return list(get_engine(project.config).ruleset.rules)


def _cmd_rule(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._ruleset.templates import as_prose

    rules = {rule.code: rule for rule in _rules_in_force(args)}
    rule = rules.get(args.code.upper()) or next((r for r in rules.values() if r.name == args.code), None)
    if rule is None:
        err.write(f"tonecheck: error: no rule {args.code!r}; `tonecheck rules` lists them\n")
        return EXIT_ERROR
    out.write(f"{rule.code} {rule.name} ({rule.category}, {rule.severity.value}, {rule.status}, kind: {rule.kind})\n\n")
    out.write(f"What it flags\n  {as_prose(rule.message)}\n\n")
    out.write(f"Why\n  {rule.why}\n\n")
    out.write(f"What to do\n  {rule.fix}\n\n")
    out.write("Flagged\n" + "".join(f"  ✗ {e}\n" for e in rule.examples.flag) + "\n")
    out.write("Not flagged\n" + "".join(f"  ✓ {e}\n" for e in rule.examples.pass_) + "\n")
    if isinstance(rule, MatchingRule) and rule.suggestions:
        out.write("Suggestions\n")
        for s in rule.suggestions:
            out.write(f"  - {as_prose(s.title)} [{s.applicability.value}]\n")
    if isinstance(rule, MatchingRule) and rule.modes != ("draft", "saved"):
        out.write(f"\nApplies in mode: {', '.join(rule.modes)}\n")
    out.write(f"\nMeasured\n  {_measured(rule.code)}\n")
    return EXIT_OK


def _measured(code: str) -> str:
    """A rule's measured precision, from rules/measured.json (written by
    `python benchmarks/quality.py --write-measured`), in words."""
    from ._ruleset.load import builtin_rules_dir

    try:
        entry = json.loads((builtin_rules_dir() / "measured.json").read_text(encoding="utf-8")).get(code)
    except (OSError, ValueError):
        entry = None
    if not entry:
        return "not measured (a rule of your own, or a tool rule)"
    judged, correct = entry["real_judged"], entry["real_correct"]
    real = (
        f"judged precision on real replies {correct / judged:.2f} over {judged} findings"
        if judged
        else "no judged finding on real replies"
    )
    fired = (
        f"fires {entry['real_fired']} times on the real replies"
        if entry["real_fired"]
        else "never fires on real replies"
    )
    held = entry["holdout_findings"]
    holdout = (
        f"precision on the labelled holdout {entry['holdout_correct'] / held:.2f} over {held} findings"
        if held
        else "no finding on the labelled holdout"
    )
    return f"{real}; {fired}; {holdout}"


def _cmd_rules(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    rules = _rules_in_force(args)
    if args.format == "json":
        out.write(
            json.dumps(
                [
                    {
                        "code": r.code,
                        "name": r.name,
                        "category": r.category,
                        "severity": r.severity.value,
                        "status": r.status,
                        "kind": r.kind,
                        "fix": r.fix,
                    }
                    for r in rules
                ],
                indent=2,
            )
            + "\n"
        )
        return EXIT_OK
    for rule in sorted(rules, key=lambda r: r.code):
        out.write(
            f"{rule.code}  {rule.name:<28} {rule.category:<20} {rule.severity.value:<8} {rule.status:<8} {rule.kind}\n"
        )
    return EXIT_OK


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    if out is None:
        out = _tolerant(sys.stdout)
    if err is None:
        err = _tolerant(sys.stderr)
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        _error(err, str(exc))
        return EXIT_ERROR
    if args.version:
        from . import __version__

        out.write(f"tonecheck {__version__}\n")
        return EXIT_OK
    handlers = {"check": _cmd_check, "rule": _cmd_rule, "rules": _cmd_rules, "config": _cmd_config, "serve": _cmd_serve}
    if args.command not in handlers:
        parser.print_help(err)
        return EXIT_ERROR
    try:
        return handlers[args.command](args, out, err)
    except TonecheckError as exc:
        _error(err, str(exc))
        return EXIT_ERROR
    except BrokenPipeError:  # e.g. piped into `head`
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except (MemoryError, RecursionError) as exc:
        _error(err, f"out of memory or too deeply nested ({type(exc).__name__})")
        return EXIT_ERROR
    except Exception as exc:  # never a traceback: exit 2 and one line, which CI tells from findings
        if os.environ.get("TONECHECK_DEBUG"):
            raise
        _error(err, f"internal error ({type(exc).__name__}: {exc}); please report it")
        return EXIT_ERROR


def _tolerant(stream: TextIO) -> TextIO:
    """A standard stream that never fails on a character its encoding cannot hold (a terminal
    in the C locale, a strict PYTHONIOENCODING): it is written as a backslash escape."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="backslashreplace")
        except (ValueError, OSError):
            pass
    return stream
