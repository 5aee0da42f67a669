"""Command line: `tonecheck check`, `audit`, `rule`, `rules`, `config`, `serve`.

Exit codes: 0 no findings at or above the fail level, 1 findings, 2 usage or input error.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from ._exceptions import InputError, TonecheckError
from ._outputs import FORMATS
from ._project.discovery import Project, find_config_file, load_project
from ._ruleset.schema import MatchingRule, Rule
from ._types import FileReport, Mode, Severity

if TYPE_CHECKING:
    from ._engine.linter import Engine

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# below this many files one process is as quick as starting a pool and sharing the files out:
# on a (busy) 2-core machine, 300 short replies took the same time with --jobs 1 and --jobs 2
POOL_MIN_FILES = 300


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 too; keep its message short
        self.print_usage(sys.stderr)
        raise _UsageError(message)


class _UsageError(Exception):
    pass


_ENVIRONMENT = """environment:
  TONECHECK_CACHE_DIR  where compiled rule data is cached (default: $XDG_CACHE_HOME/tonecheck,
                       else ~/.cache/tonecheck); the 8 most recently used entries are kept,
                       `tonecheck clean` removes them
  TONECHECK_NO_CACHE   set to 1: no cache is read or written
  NO_COLOR             set: no colour in the text format (FORCE_COLOR forces it)
"""


def _cmd_clean(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._engine import cache

    folder, removed, freed = cache.clear()
    out.write(f"Removed {_count(removed, 'cache file')} ({freed / 1_000_000:.1f} MB) from {_escaped(str(folder))}.\n")
    return EXIT_OK


def _add_overrides(parser: argparse.ArgumentParser) -> None:
    """The options of `check` that override the configuration (`config` takes them too, to show them)."""
    parser.add_argument(
        "--channel",
        choices=("auto", "email", "chat", "social"),
        default=None,
        help="where the replies are read (default: the config's channel, else auto: an "
        "@handle opener is social, a short reply without greeting or sign-off is chat)",
    )
    parser.add_argument(
        "--language",
        default=None,
        metavar="auto|CODE",
        help="the replies' language, e.g. en or ru (default: the config's language globs and "
        "language, else auto: detected per reply; a language without rules is not checked)",
    )
    parser.add_argument(
        "--preview",
        action="store_true",
        default=None,
        help="run preview rules too (not yet measured right 9 times in 10 on real replies)",
    )
    parser.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="CODE|PREFIX|CATEGORY",
        help="check only these rules (repeatable, or comma-separated)",
    )
    parser.add_argument("--extend-select", action="append", default=[], metavar="CODE|PREFIX|CATEGORY")
    parser.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="CODE|PREFIX|CATEGORY",
        help="skip these rules (repeatable, or comma-separated)",
    )
    parser.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        default=None,
        help="lowest severity that makes the exit code 1 (default: warning)",
    )
    parser.add_argument(
        "--rule-path", action="append", default=[], metavar="PATH", help="extra rule file or folder (repeatable)"
    )


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tonecheck",
        description="Lint customer-support replies.",
        epilog=_ENVIRONMENT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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
    _add_overrides(check)
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
        "--baseline",
        type=Path,
        default=None,
        metavar="FILE",
        help="report only findings not recorded in this baseline (default: the configuration's baseline)",
    )
    check.add_argument(
        "--write-baseline",
        nargs="?",
        const=True,
        default=None,
        metavar="FILE",
        help="record every current finding in FILE (default: the configuration's baseline) and exit 0",
    )
    check.add_argument("--no-baseline", action="store_true", help="ignore the configuration's baseline")
    check.add_argument(
        "--output-file", "-o", type=Path, default=None, metavar="FILE", help="write the report to FILE, not stdout"
    )
    check.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text format (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it)",
    )
    check.add_argument(
        "--stdin-filename",
        default=None,
        metavar="NAME",
        help="read standard input as the file NAME: its format and configuration, positions in it",
    )
    check.add_argument("--statistics", action="store_true", help="print a count per rule instead of findings")
    check.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors; use the exit code")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=None,
        metavar="N",
        help=f"processes that lint files at once (default: every core for {POOL_MIN_FILES} files or more, "
        "else 1; 0 is every core)",
    )

    config = commands.add_parser(
        "config", help="print the effective configuration for a path: each key's value and where it came from"
    )
    config.add_argument("path", nargs="?", default=".")
    config.add_argument("--config", type=Path, default=None, metavar="FILE")
    config.add_argument(
        "--format",
        choices=("json", "toml"),
        default="json",
        help="json (default): the settings, their sources and each key's origin; toml: the settings "
        "as a configuration file, each key with a comment saying where it came from",
    )
    config.add_argument(
        "--show-files", action="store_true", help="list the files `tonecheck check PATH` would lint, and exit"
    )
    _add_overrides(config)  # check's options that override the configuration: their origin is the flag

    rule = commands.add_parser("rule", help="explain one rule (or --all)")
    rule.add_argument("code", nargs="?", default=None, help="the rule's code or name")
    rule.add_argument("--all", action="store_true", help="every rule in force, sorted by code")
    rules = commands.add_parser("rules", help="list all rules")
    for command in (rule, rules):
        command.add_argument("--format", choices=("text", "json"), default="text")
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
    commands.add_parser(
        "clean",
        help="remove the compiled-rules cache ($TONECHECK_CACHE_DIR, else ~/.cache/tonecheck)",
    )
    tests = commands.add_parser("test-rules", help="run every rule's flag and pass examples (the team's rules)")
    tests.add_argument(
        "paths", nargs="*", metavar="PATH", help="rule files or folders (default: the configuration's rule-paths)"
    )
    tests.add_argument("--config", type=Path, default=None, metavar="FILE", help="configuration file")
    tests.add_argument("--builtin", action="store_true", help="test tonecheck's own rules too")
    tests.add_argument("--quiet", "-q", action="store_true", help="print only failures")
    docs = commands.add_parser("docs", help="write the rule reference (ROOT/rules) and JSON Schemas (ROOT/schemas)")
    docs.add_argument("root", nargs="?", default="docs")
    docs.add_argument("--check", action="store_true", help="exit 1 when they are not current")
    _add_serve_parser(commands)
    _add_audit_parser(commands)
    return parser


def _add_audit_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    audit = commands.add_parser(
        "audit", help="a team lead's report from helpdesk conversation exports (needs tonecheck[audit])"
    )
    audit.add_argument("paths", nargs="+", metavar="PATH", help="export files: .json, .jsonl, .csv, .tsv, .parquet")
    audit.add_argument("-o", "--output", type=Path, default=None, metavar="FILE", help="write the report here")
    audit.add_argument(
        "--format", choices=("html", "json", "csv"), default=None, help="default: from -o's extension, else html"
    )
    audit.add_argument(
        "--input-format",
        choices=("auto", "zendesk", "helpscout", "freshdesk", "intercom", "table"),
        default="auto",
        help="what the export is (default: read from each record's shape)",
    )
    audit.add_argument("--users", action="append", type=Path, default=[], metavar="FILE", help="helpdesk users file")
    audit.add_argument(
        "--macros", action="append", type=Path, default=[], metavar="PATH", help="the saved-reply library"
    )
    for column, meaning in (
        ("text", "the reply text (default: text)"),
        ("agent", "the agent"),
        ("time", "when it was sent (ISO 8601 or Unix seconds)"),
        ("channel", "email, chat, twitter, ..."),
        ("id", "the reply id (default: file and record number)"),
        ("macro", "the macro used"),
    ):
        audit.add_argument(f"--{column}-column", default=None, metavar="NAME", help=f"table column: {meaning}")
    audit.add_argument("--jobs", "-j", type=int, default=None, help="worker processes (default: every core)")
    audit.add_argument("--dask", action="store_true", help="run on a local Dask cluster (needs tonecheck[dask])")
    audit.add_argument("--scheduler", default=None, metavar="ADDRESS", help="run on this Dask scheduler")
    audit.add_argument("--redact", action="store_true", help="mask e-mails, phones, card numbers, names in examples")
    audit.add_argument("--preview", action="store_true", default=None, help="run preview rules too")
    audit.add_argument("--select", action="append", default=[], metavar="CODE|PREFIX|CATEGORY")
    audit.add_argument("--ignore", action="append", default=[], metavar="CODE|PREFIX|CATEGORY")
    audit.add_argument("--config", type=Path, default=None, metavar="FILE", help="configuration file")
    audit.add_argument(
        "--fail-on", choices=[s.value for s in Severity], default=None, help="as check (default: warning)"
    )
    audit.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    audit.add_argument("--quiet", "-q", action="store_true", help="no progress bar")


def _cmd_audit(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._audit.readers import Columns
    from ._audit.run import AuditOptions, open_output, run_audit

    fmt = args.format or (
        args.output.suffix.lstrip(".").lower()
        if args.output is not None and args.output.suffix.lower() in (".html", ".json", ".csv")
        else "html"
    )
    if args.jobs is not None and args.jobs < 1:
        err.write("tonecheck: error: --jobs must be 1 or more\n")
        return EXIT_ERROR
    overrides = {
        "select": _split(args.select) or None,
        "ignore": _split(args.ignore) or None,
        "preview": args.preview,
        "fail-on": args.fail_on,
    }
    project = load_project(Path.cwd(), overrides=overrides, config_file=args.config)
    options = AuditOptions(
        paths=[Path(p) for p in args.paths],
        config=project.config,
        input_format=args.input_format,
        columns=Columns(
            text=args.text_column or "text",
            agent=args.agent_column,
            time=args.time_column,
            channel=args.channel_column,
            id=args.id_column,
            macro=args.macro_column,
        ),
        users=args.users,
        macros=args.macros,
        output_format=fmt,
        workers=args.jobs,
        dask=args.dask,
        scheduler=args.scheduler,
        redact=args.redact,
        progress=not args.quiet and err.isatty(),
    )
    with open_output(args.output, out) as stream:
        result = run_audit(options, stream, err)
    if args.output is not None and not args.quiet:
        report = result.report
        err.write(
            f"Linted {report['replies_linted']:,} replies ({report['findings']:,} findings), skipped "
            f"{sum(report['replies_skipped'].values()):,} records; report written to {args.output}.\n"
        )
    if result.unreadable:
        return EXIT_ERROR
    return EXIT_FINDINGS if result.findings_failing and not args.exit_zero else EXIT_OK


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


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number: {value!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError("must be 0 (every core) or more")
    return jobs


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
        "language": getattr(args, "language", None),
        "preview": args.preview,
    }


class _Projects:
    """One Project per configuration file, found upward from each path (once per folder)."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.by_source: dict[Path | None, Project] = {}
        self.source_of_folder: dict[Path, Path | None] = {}

    def for_path(self, path: Path, *, is_file: bool = False) -> Project:
        source = self.args.config or self._source(path, is_file)
        if source not in self.by_source:
            self.by_source[source] = load_project(path, overrides=_overrides(self.args), config_file=source)
        return self.by_source[source]

    def _source(self, path: Path, is_file: bool) -> Path | None:
        # a file's configuration is its folder's: the upward search runs once per folder
        folder = path.parent if is_file or not path.is_dir() else path
        if folder not in self.source_of_folder:
            self.source_of_folder[folder] = find_config_file(path)
        return self.source_of_folder[folder]


@dataclass(frozen=True)
class _Run:
    """What linting each file needs besides the file and its project: the same in every worker."""

    mode: Mode | None
    context: dict[str, str] | None
    fix: bool
    diff: bool
    unsafe_fixes: bool
    stdin_filename: str | None = None  # standard input is this file: its format, name and configuration
    language: str | None = None  # --language, before the config's language globs (None: those, then its `language`)


@dataclass
class _Outcome:
    """One file's result, in plain data, for the main process to report in the order given."""

    report: FileReport | None = None
    keyed: str = ""  # the path baselines record
    shown: str = ""  # the path as reported
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    output: str = ""  # a diff, or the fixed text of standard input
    fixes: int = 0
    error_at: tuple[int | None, int | None] = (None, None)  # (line, column) of a file's error, if known


# (path as shown, file or None for standard input, index of its project, standard input's text,
# the error reading it)
_Target = tuple[str, str | None, int, str | None, str | None]


def _prepare_engines(state: tuple[_Run, tuple[tuple[Project, Engine], ...]]) -> None:
    """Before workers fork: their engines' pipelines built once here, to be shared (see Engine.prepare)."""
    for _, engine in state[1]:
        engine.prepare()


def _setup(run: _Run, projects: tuple[Project, ...]) -> tuple[_Run, tuple[tuple[Project, Engine], ...]]:
    """Each worker's state: its engines, built once (the main process builds them before a fork)."""
    from ._engine.linter import get_engine

    return run, tuple((project, get_engine(project.config)) for project in projects)


def _lint_target(state: tuple[_Run, tuple[tuple[Project, Engine], ...]], target: _Target) -> _Outcome:
    """Lint (and with --fix or --diff, fix) one file or standard input. Whatever goes wrong with
    one file is reported for that file: the other files' results are never lost."""
    run, engines = state
    display, file, index, stdin_text, stdin_error = target
    project, engine = engines[index]
    path = None if file is None else Path(file)
    outcome = _Outcome()
    if stdin_error is not None:
        outcome.errors.append(stdin_error)
        return outcome
    shown = "<stdin>" if path is None else display  # as given, so it opens from the working folder
    if path is None and run.stdin_filename:
        shown = str(run.stdin_filename)
    outcome.shown = shown
    try:
        _lint_into(outcome, run, project, engine, display, path, stdin_text)
    except TonecheckError as exc:
        outcome.errors.append(str(exc))
        outcome.error_at = (getattr(exc, "line", None), getattr(exc, "column", None))
        outcome.report = None
    except (MemoryError, RecursionError) as exc:
        outcome.errors.append(f"{shown}: too large or too deeply nested to lint ({type(exc).__name__})")
        outcome.report = None
    except Exception as exc:  # a bug must not lose the other files' results
        if os.environ.get("TONECHECK_DEBUG"):
            raise
        outcome.errors.append(f"{shown}: internal error ({type(exc).__name__}: {exc}); please report it")
        outcome.report = None
    return outcome


@functools.lru_cache(maxsize=256)
def _fix_root(folder: Path, project_root: Path) -> Path:
    """The folder fixes stay inside (a symbolic link out of it is not followed): the repository
    holding `folder`, else the project's folder. Once per folder in each process."""
    from ._project.discovery import repository_root

    return repository_root(folder) or project_root


def _lint_into(
    outcome: _Outcome,
    run: _Run,
    project: Project,
    engine: Engine,
    display: str,
    path: Path | None,
    stdin_text: str | None,
) -> None:
    from ._files import NotWritten, rewrite
    from ._project.lint import Options, fix_source, lint_source, read_file, skip_reason

    # files in a repository are saved replies; standard input is a draft about to be sent
    options = Options(
        mode=run.mode, default_mode="draft" if path is None else "saved", context=run.context, language=run.language
    )
    shown = outcome.shown
    name = "stdin.txt" if path is None else display
    stdin_file = Path(run.stdin_filename) if path is None and run.stdin_filename else None
    if stdin_file is not None:  # standard input is this file: its format and name
        name = str(run.stdin_filename)
        options = Options(mode=run.mode, default_mode="saved", context=run.context, language=run.language)
    source = None if stdin_text is not None else read_file(display, limit=project.config.max_file_bytes)
    content = source.text if source is not None else stdin_text or ""
    skipped = None if path is None and stdin_file is None else skip_reason(name, content)
    if skipped is not None:
        outcome.notes.append(f"{shown}: {skipped}, skipped")
        return
    if run.fix or run.diff:
        fixed = fix_source(
            engine, content, path=name, project=project, file=path, options=options, unsafe=run.unsafe_fixes
        )
        if fixed is None:
            outcome.notes.append(f"{shown}: this format is read-only, fixes are not written into it")
        elif run.diff:
            outcome.fixes = len(fixed.edits)
            outcome.output, escaped = _diff_text(shown, content, fixed.text)
            if escaped:
                outcome.notes.append(
                    f"{shown}: the diff shows control characters or a workflow command escaped; "
                    "it may not apply as it is"
                )
        elif path is None:
            outcome.fixes = len(fixed.edits)
            outcome.output = fixed.text  # a filter: the text goes out whether or not it changed
        elif fixed.changed and source is not None:
            try:
                rewrite(
                    path,
                    source.encode(fixed.text),
                    expected=source.data,
                    root=_fix_root(path.parent, project.root),
                    limit=max(project.config.max_file_bytes, len(source.data)),
                )
            except NotWritten as exc:
                outcome.errors.append(str(exc))
                return
            outcome.fixes = len(fixed.edits)  # counted once written
            content = fixed.text
    outcome.report = lint_source(
        engine,
        content,
        path=name,
        format="text" if path is None and stdin_file is None else None,
        project=project,
        file=path or stdin_file,
        options=options,
    )
    outcome.keyed = "<stdin>" if path is None else project.relative(path)  # baselines key on the project path


def _error(err: TextIO, message: str, level: str = "error") -> None:
    """One line on standard error, whatever the message holds (a file name with a line break
    or an escape sequence is shown escaped)."""
    from ._outputs.common import escape_text

    err.write(f"tonecheck: {level}: {escape_text(message)}\n")


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._engine.linter import get_engine
    from ._outputs import FileError, colorize, github_step_summary, render, statistics
    from ._parallel import run_pool
    from ._project.baseline import Matcher
    from ._project.baseline import key as baseline_key
    from ._project.baseline import read as read_baseline
    from ._project.baseline import write as write_baseline
    from ._project.discovery import discover
    from ._project.lint import read_source
    from ._types import Report
    from ._version import __version__

    if not args.paths and _interactive(sys.stdin):  # nothing piped in: lint the folder, as ruff does
        err.write("tonecheck: note: no path given: checking . (give - or pipe a draft in for standard input)\n")
        args.paths = ["."]
    projects = _Projects(args)
    context = {"customer_name": args.customer_name} if args.customer_name else None
    baseline_file, write_to = _baseline_files(args, projects, err)
    baseline = Matcher(read_baseline(baseline_file)) if baseline_file is not None and write_to is None else None
    recorded: list[tuple[str, str, str, str]] = []
    results: list[FileReport] = []
    rules: dict[str, Rule] = {}  # what ran, for formats that describe rules: each file's own rule set
    errors = failing = fixes_applied = 0
    file_errors: list[FileError] = []  # what JSON, SARIF and JUnit report besides standard error
    targets: list[tuple[str, Path | None]] = []
    found_files: set[Path] = set()  # files found in the folders given

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
                file_errors.append(FileError(given, f"{given}: {problem}"))
                errors += 1
                continue
            project = projects.for_path(given_path)
            found = [
                (str(p), p) for p in discover([given_path], project, force_exclude=args.force_exclude, on_skip=skipped)
            ]
            if given_path.is_dir():
                found_files.update(p for _, p in found)
            if not found and given_path.is_dir():
                _error(err, f"{given}: no files to lint here (see include and exclude)", "warning")
            targets.extend(found)
    order: list[Project] = []  # the projects in use, in order of first use; targets refer to them by index
    index_of: dict[int, int] = {}  # id of a project -> its index in order
    items: list[_Target] = []
    for display, path in targets:
        # a path found by discovery is a file; one given on the command line may be anything
        stdin_file = Path(args.stdin_filename) if path is None and args.stdin_filename else None
        project = (
            projects.for_path(path, is_file=path in found_files)
            if path is not None
            else projects.for_path(stdin_file or Path.cwd())
        )
        if id(project) not in index_of:
            index_of[id(project)] = len(order)
            order.append(project)
        stdin_text = stdin_error = None
        if path is None:  # read here: workers have no standard input
            try:
                stdin_text = read_source("-", limit=project.config.max_file_bytes)
            except InputError as exc:
                stdin_error = str(exc)
        items.append((display, None if path is None else str(path), index_of[id(project)], stdin_text, stdin_error))
    for project in order:
        rules.update(get_engine(project.config).ruleset.by_code())
    run = _Run(
        mode=args.mode,
        context=context,
        fix=args.fix,
        diff=args.diff,
        unsafe_fixes=args.unsafe_fixes,
        stdin_filename=args.stdin_filename,
        language=None if args.language in (None, "auto") else args.language,
    )
    if args.fix:
        _terminate_cleanly()
    jobs = args.jobs if args.jobs is not None else (0 if len(items) >= POOL_MIN_FILES else 1)
    outcomes = run_pool(
        _lint_target,
        items,
        setup=functools.partial(_setup, run, tuple(order)),
        jobs=jobs or None,
        before_fork=_prepare_engines,
    )
    for (display, _, index, _, _), outcome in zip(items, outcomes, strict=True):
        for note in outcome.notes:
            _error(err, note, "note")
        for message in outcome.errors:
            _error(err, message)
            file_errors.append(FileError(outcome.shown or display, message, *outcome.error_at))
        errors += len(outcome.errors)
        fixes_applied += outcome.fixes
        out.write(outcome.output)
        report = outcome.report
        if report is None:
            continue
        replies: list[Report] = []
        for reply in report.replies:
            recorded.extend(baseline_key(outcome.keyed, reply.reply_id, f, reply.export_id) for f in reply.findings)
            kept = reply.findings if baseline is None else baseline.new_findings(outcome.keyed, reply)
            # a copy only where the baseline took something away
            replies.append(reply if len(kept) == len(reply.findings) else reply.model_copy(update={"findings": kept}))
        shown = outcome.shown
        if report.path != shown or any(new is not old for new, old in zip(replies, report.replies, strict=True)):
            report = report.model_copy(update={"path": shown, "replies": tuple(replies)})
        failing += sum(1 for f in report.findings if f.severity.rank >= order[index].config.fail_on.rank)
        results.append(report)
    if write_to is not None:
        count = write_baseline(write_to, recorded)
        err.write(f"Wrote {count} baseline entr{'ies' if count != 1 else 'y'} to {_escaped(str(write_to))}.\n")
        return EXIT_ERROR if errors else EXIT_OK
    if baseline is not None and not args.quiet and (baseline.hidden or baseline.stale()):
        stale = baseline.stale()
        note = f"tonecheck: note: the baseline {baseline_file} hid {_count(baseline.hidden, 'finding')}"
        if stale:
            note += (
                f"; {_count(stale, 'entry', 'entries')} no longer match (fixed or changed): "
                "rewrite it with --write-baseline"
            )
        err.write(note + "\n")
    if args.diff:
        return EXIT_ERROR if errors else (EXIT_FINDINGS if fixes_applied and not args.exit_zero else EXIT_OK)
    fixed_to_stdout = args.fix and any(path is None for _, path in targets)
    if args.fix and not fixed_to_stdout and not args.quiet:
        err.write(f"Applied {fixes_applied} fix{'es' if fixes_applied != 1 else ''}.\n")
    # nothing could be linted: the errors on standard error are the whole story, with no "Found 0
    # problems in 0 files" beside them (the structured formats still write a valid, empty document)
    nothing_linted = errors and not results and (args.statistics or args.format in ("text", "concise"))
    cwd = Path.cwd()
    top = _repository_top(cwd)
    if args.format in _REPOSITORY_PATH_FORMATS and top != cwd:
        results = [r.model_copy(update={"path": _from_top(r.path, top, cwd)}) for r in results]
        file_errors = [dataclasses.replace(e, path=_from_top(e.path, top, cwd)) for e in file_errors]
    if not fixed_to_stdout and not args.quiet and not nothing_linted:
        if args.statistics:
            report_text = statistics(results)
        else:
            report_text = render(args.format, results, rules=rules, version=__version__, errors=file_errors)
            if args.format == "text" and _use_color(args.color, out, args.output_file):
                report_text = colorize(report_text)
        if args.output_file is not None:
            try:
                args.output_file.write_text(report_text, encoding="utf-8")
            except OSError as exc:
                err.write(f"tonecheck: error: {args.output_file}: cannot write: {exc.strerror or exc}\n")
                return EXIT_ERROR
        else:
            out.write(report_text)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if args.format == "github" and summary_file:  # annotations are capped per step; the summary is not
        try:
            with open(summary_file, "a", encoding="utf-8") as handle:
                handle.write(github_step_summary(results))
        except OSError as exc:
            err.write(f"tonecheck: warning: GITHUB_STEP_SUMMARY {summary_file}: cannot write: {exc}\n")
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if failing and not args.exit_zero else EXIT_OK


# formats whose readers want paths from the repository's top folder: GitHub anchors annotations
# there, GitLab Code Quality and SARIF (code scanning) name files from the repository root
_REPOSITORY_PATH_FORMATS = ("github", "gitlab", "sarif")


def _repository_top(start: Path) -> Path:
    """The top folder of the repository holding `start`, found without running git: the nearest
    folder upward with a `.git` (a folder, or the file of a worktree or submodule); else
    $GITHUB_WORKSPACE when `start` is inside it; else `start`."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace:
        top = Path(os.path.abspath(workspace))
        if start == top or top in start.parents:
            return top
    return start


def _from_top(path: str, top: Path, cwd: Path) -> str:
    """A path as given (relative to `cwd`, or absolute) made relative to `top`, POSIX style; as
    given when it lies outside `top` (or is standard input)."""
    if path == "<stdin>":
        return path
    absolute = Path(os.path.normpath(cwd / path))
    for candidate in (absolute, _resolved(absolute)):
        try:
            return candidate.relative_to(top).as_posix()
        except ValueError:
            continue
    return path


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path


def _use_color(choice: str, out: TextIO, output_file: Path | None) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return output_file is None and _interactive(out)


def _interactive(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or replaced standard input
        return False


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _baseline_files(args: argparse.Namespace, projects: _Projects, err: TextIO) -> tuple[Path | None, Path | None]:
    """(baseline to read, baseline to write): --baseline/--write-baseline FILE, or the
    configuration's `baseline` (relative to its file) when the flag is given without FILE or
    not at all. A configured baseline that does not exist yet is not an error (it is written
    by `--write-baseline`)."""
    configured: Path | None = None
    first = next((Path(p) for p in args.paths if p != "-" and Path(p).exists()), Path.cwd())
    project = projects.for_path(first)
    if project.config.baseline:
        configured = project.root / project.config.baseline
    if args.write_baseline is not None:
        target = configured if args.write_baseline is True else Path(args.write_baseline)
        if target is None:
            raise InputError("--write-baseline needs a FILE, or `baseline` in the configuration")
        return None, target
    if args.baseline is not None:
        return Path(args.baseline), None
    if args.no_baseline or configured is None:
        return None, None
    if not configured.is_file():
        err.write(f"tonecheck: note: the configured baseline {configured} does not exist yet; not used\n")
        return None, None
    return configured, None


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


# the command-line flag that sets each configuration key (`tonecheck check` and `config` take them)
_FLAG_OF_KEY = {
    "select": "--select",
    "extend-select": "--extend-select",
    "ignore": "--ignore",
    "rule-paths": "--rule-path",
    "fail-on": "--fail-on",
    "channel": "--channel",
    "language": "--language",
    "preview": "--preview",
}


def _cmd_config(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._project.discovery import config_origins, discover

    path = Path(args.path)
    if not path.exists():
        _error(err, f"{args.path}: no such file or folder")
        return EXIT_ERROR
    overrides = _overrides(args)
    project = load_project(path, overrides=overrides, config_file=args.config)
    if args.show_files:
        skipped: list[str] = []
        for found in discover([path], project, on_skip=lambda p, why: skipped.append(f"{p}: skipped: {why}")):
            out.write(_escaped(str(found)) + "\n")
        for line in skipped:
            _error(err, line, "warning")
        return EXIT_OK
    settings = project.config.model_dump(mode="json", by_alias=True)
    from_files = config_origins(project.source) if project.source is not None else {}
    origins: dict[str, str] = {}
    for key in settings:
        if overrides.get(key) not in (None, (), []):
            origins[key] = f"command line ({_FLAG_OF_KEY[key]})"
        elif key in from_files:
            file = from_files[key]
            origins[key] = str(file) if file == project.source else f"{file} (extended by {project.source})"
        else:
            origins[key] = "default"
    if args.format == "toml":
        out.write(_config_toml(settings, origins, project))
        return EXIT_OK
    payload = {
        "source": str(project.source) if project.source else None,
        "root": str(project.root),
        "config": settings,
        "origins": origins,
    }
    out.write(json.dumps(payload, indent=2) + "\n")
    return EXIT_OK


def _config_toml(settings: dict[str, object], origins: dict[str, str], project: Project) -> str:
    """The settings as a tonecheck.toml, each key with a comment naming its origin. TOML has no
    null: a key with no value is written as a comment."""
    from ._outputs.common import escape_text

    def key(name: str) -> str:
        return name if name and all(c.isalnum() or c in "-_" for c in name) and name.isascii() else json.dumps(name)

    def value(item: object) -> str:
        if isinstance(item, bool):
            return "true" if item else "false"
        if isinstance(item, int | float):
            return str(item)
        if isinstance(item, str):
            return json.dumps(item)  # JSON string escapes are TOML basic-string escapes
        if isinstance(item, list | tuple):
            return "[" + ", ".join(value(v) for v in item) + "]"
        if isinstance(item, dict):
            return "{" + ", ".join(f"{key(k)} = {value(v)}" for k, v in item.items() if v is not None) + "}"
        raise TypeError(f"no TOML form for {item!r}")

    head = [
        "# the effective configuration of tonecheck "
        + (f"(from {escape_text(str(project.source))})" if project.source else "(no configuration file: defaults)"),
        f"# paths and globs are relative to {escape_text(str(project.root))}; in pyproject.toml these "
        "keys go under [tool.tonecheck]",
        "",
    ]
    lines: list[str] = []
    tables: list[str] = []
    for name, item in settings.items():
        origin = f"  # {escape_text(origins[name])}"
        if item is None:
            lines.append(f"# {key(name)} is not set{origin}")
        elif isinstance(item, dict):
            tables.append("")
            tables.append(f"[{key(name)}]{origin}")
            for sub, sub_item in item.items():
                if sub_item is None:
                    tables.append(f"# {key(sub)} is not set")
                else:
                    tables.append(f"{key(sub)} = {value(sub_item)}")
        else:
            lines.append(f"{key(name)} = {value(item)}{origin}")
    return "\n".join([*head, *lines, *tables]) + "\n"


def _diff_text(path: str, before: str, after: str) -> tuple[str, bool]:
    """The unified diff of a fix, and whether any of its lines had to be escaped (control
    characters, a line that would be a workflow command): such a diff may not apply as it is."""
    import difflib

    from ._outputs.common import escape_text, starts_a_command

    escaped = False
    lines: list[str] = []
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
        lines.append(safe + ending)
    if after and not after.endswith("\n") and before != after:
        lines.append("\n\\ No newline at end of file\n")
    return "".join(lines), escaped


def _rules_in_force(args: argparse.Namespace) -> list[tuple[Rule, str | None]]:
    """Every rule of the configuration `check` would use in the current folder (with --config
    and --rule-path applied): the built-in rules and the project's own, each with the language
    whose replies it checks (None: a tool rule, every language), sorted by code."""
    from ._engine.linter import get_engine
    from ._language import packs
    from ._ruleset.load import load_rules

    rule_paths = tuple(str(Path(p).resolve()) for p in args.rule_path)
    project = load_project(Path.cwd(), overrides={"rule-paths": rule_paths or None}, config_file=args.config)
    engine = get_engine(project.config)
    # every language's rules: those of the configuration's language first, tool rules once
    found = {rule.code: (rule, None if rule.kind == "tool" else engine.language.code) for rule in engine.ruleset.rules}
    for language in packs():
        if language != engine.language.code:
            for rule in load_rules(project.config.rule_paths, language).rules:
                found.setdefault(rule.code, (rule, language))
    return [found[code] for code in sorted(found)]


def _example_lines(marker: str, example: str) -> str:
    """One example under its marker; the lines of a multi-line example stay under its first."""
    first, *rest = example.split("\n")
    return f"  {marker} {first}\n" + "".join(f"    {line}".rstrip() + "\n" for line in rest)


def _rule_text(rule: Rule) -> str:
    from ._ruleset.docs import fix_availability, fixes
    from ._ruleset.templates import as_prose

    parts = [f"{rule.code} {rule.name} ({rule.category}, {rule.severity.value}, {rule.status}, kind: {rule.kind})\n\n"]
    parts.append(f"What it flags\n  {as_prose(rule.message)}\n\n")
    parts.append(f"Why\n  {rule.why}\n\n")
    parts.append(f"What to do\n  {rule.fix}\n\n")
    parts.append("Flagged\n" + "".join(_example_lines("✗", e) for e in rule.examples.flag) + "\n")
    parts.append("Not flagged\n" + "".join(_example_lines("✓", e) for e in rule.examples.pass_) + "\n")
    offered = fixes(rule)
    if offered:
        parts.append("Fixes\n")
        for fix in offered:
            how = f"{fix['applicability']}, {fix['applied_by']}" if fix["applied_by"] else fix["applicability"]
            parts.append(f"  - {fix['title']} [{how}]\n")
    parts.append("Fix is sometimes available\n" if fix_availability(rule) == "sometimes" else "No automatic fix\n")
    syntaxes = getattr(getattr(rule, "options", None), "syntaxes", None)
    if isinstance(syntaxes, dict) and syntaxes:  # the names config `helpdesk` takes
        from ._config import HELPDESK_SYNTAXES

        parts.append("\nPlaceholder syntaxes (config `helpdesk` takes these, or a helpdesk name)\n")
        parts.append("".join(f"  {name}\n" for name in syntaxes))
        parts.append("Helpdesk names\n")
        parts.append("".join(f"  {name}: {', '.join(found)}\n" for name, found in HELPDESK_SYNTAXES.items()))
    if isinstance(rule, MatchingRule) and rule.modes != ("draft", "saved"):
        parts.append(f"\nApplies in mode: {', '.join(rule.modes)}\n")
    if isinstance(rule, MatchingRule) and set(rule.channels) != {"email", "chat", "social"}:
        parts.append(f"\nApplies to replies read by: {', '.join(rule.channels)}\n")
    parts.append(f"\nMeasured\n  {_measured(rule.code)}\n")
    return "".join(parts)


def _cmd_rule(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._ruleset.docs import rule_record

    if args.all == (args.code is not None):
        err.write("tonecheck: error: give a rule CODE (or name), or --all\n")
        return EXIT_ERROR
    in_force = _rules_in_force(args)
    if args.all:
        chosen = in_force
    else:
        wanted = args.code.upper()
        found = next((pair for pair in in_force if pair[0].code == wanted or pair[0].name == args.code), None)
        if found is None:
            err.write(f"tonecheck: error: no rule {args.code!r}; `tonecheck rules` lists them\n")
            return EXIT_ERROR
        chosen = [found]
    if args.format == "json":
        records = [rule_record(rule, language) for rule, language in chosen]
        out.write(json.dumps(records if args.all else records[0], indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    out.write(("\n" + "-" * 72 + "\n\n").join(_rule_text(rule) for rule, _ in chosen))
    return EXIT_OK


def _measured(code: str) -> str:
    from ._ruleset.docs import measured

    return measured(code)


def _cmd_docs(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the rule reference (ROOT/rules) and the JSON Schemas (ROOT/schemas), or (--check)
    say whether they are current."""
    from ._config import Config
    from ._engine.linter import get_engine
    from ._outputs.schemas import schemas
    from ._ruleset.docs import pages

    root = Path(args.root)
    wanted = {root / "rules" / name: text for name, text in pages(list(get_engine(Config()).ruleset.rules)).items()}
    wanted.update({root / "schemas" / name: json.dumps(s, indent=2) + "\n" for name, s in schemas().items()})
    present = {p for folder in (root / "rules", root / "schemas") if folder.is_dir() for p in folder.iterdir()}
    if args.check:
        stale = [str(p) for p, text in wanted.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
        stale += [str(p) for p in sorted(present - set(wanted))]
        if stale:
            err.write(f"tonecheck: not current: {', '.join(sorted(stale))}; run `tonecheck docs {root}`\n")
            return EXIT_FINDINGS
        return EXIT_OK
    for path, text in wanted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for old in present - set(wanted):
        old.unlink()
    err.write(f"Wrote {len(wanted)} files to {root}.\n")
    return EXIT_OK


def _cmd_test_rules(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._rule_tests import run_rule_tests

    failed = run_rule_tests(args.paths, config_file=args.config, builtin=args.builtin, out=out, quiet=args.quiet)
    return EXIT_FINDINGS if failed else EXIT_OK


def _cmd_rules(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._ruleset.docs import fix_column, rule_record

    rules = _rules_in_force(args)
    if args.format == "json":
        out.write(json.dumps([rule_record(rule, language) for rule, language in rules], indent=2) + "\n")
        return EXIT_OK
    out.write(f"{'code':<8}{'name':<29}{'category':<21}{'severity':<9}{'status':<9}{'fix':<7}kind\n")
    for rule, _ in rules:
        out.write(
            f"{rule.code:<8}{rule.name:<29}{rule.category:<21}{rule.severity.value:<9}{rule.status:<9}"
            f"{fix_column(rule):<7}{rule.kind}\n"
        )
    out.write("fix: safe (--fix), unsafe (--fix --unsafe-fixes), - (advice only); a fix is offered where it fits\n")
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
    handlers = {
        "check": _cmd_check,
        "rule": _cmd_rule,
        "rules": _cmd_rules,
        "config": _cmd_config,
        "serve": _cmd_serve,
        "audit": _cmd_audit,
        "docs": _cmd_docs,
        "clean": _cmd_clean,
        "test-rules": _cmd_test_rules,
    }
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
