"""Command line: `tonecheck check`, `tonecheck rule`, `tonecheck rules`.

Exit codes: 0 no findings at or above the fail level, 1 findings, 2 usage or input error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from typing import Any

from ._config import selector_matches
from ._exceptions import InputError, TonecheckError
from ._types import Finding, Severity
from ._outputs import FORMATS
from ._project.discovery import Project, find_config_file, load_project

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
MAX_FILE_BYTES = 20_000_000


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep its message short
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
    check.add_argument("--mode", choices=("draft", "saved"), default=None,
                       help="draft or saved for every input (default: the config's mode globs, else saved "
                            "for files and draft for standard input)")
    check.add_argument("--channel", choices=("auto", "email", "chat", "social"), default=None,
                       help="where the replies are read (default: the config's channel, else auto: an "
                            "@handle opener is social, a short reply without greeting or sign-off is chat)")
    check.add_argument("--preview", action="store_true", default=None,
                       help="run preview rules too (not yet measured right 9 times in 10 on real replies)")
    check.add_argument("--select", action="append", default=[], metavar="CODE|PREFIX|CATEGORY",
                       help="check only these rules (repeatable, or comma-separated)")
    check.add_argument("--extend-select", action="append", default=[], metavar="CODE|PREFIX|CATEGORY")
    check.add_argument("--ignore", action="append", default=[], metavar="CODE|PREFIX|CATEGORY",
                       help="skip these rules (repeatable, or comma-separated)")
    check.add_argument("--fail-on", choices=[s.value for s in Severity], default=None,
                       help="lowest severity that makes the exit code 1 (default: warning)")
    check.add_argument("--rule-path", action="append", default=[], metavar="PATH",
                       help="extra rule file or folder (repeatable)")
    check.add_argument("--config", type=Path, default=None, metavar="FILE",
                       help="configuration file (default: found upward from each path)")
    check.add_argument("--customer-name", default=None, help="the customer's name, for name checks")
    check.add_argument("--fix", action="store_true", help="apply safe fixes to the files in place")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: apply unsafe fixes too")
    check.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    check.add_argument("--force-exclude", action="store_true",
                       help="apply exclude globs to paths given explicitly too (as pre-commit passes them)")
    check.add_argument("--baseline", type=Path, default=None, metavar="FILE",
                       help="report only findings not recorded in this baseline")
    check.add_argument("--write-baseline", type=Path, default=None, metavar="FILE",
                       help="record every current finding in FILE and exit 0")
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
    return parser


def _split(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _read(path: str) -> str:
    if path == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        target = Path(path)
        if target.is_dir():
            raise InputError(f"{path}: is a directory (give files, or use a shell glob)")
        try:
            if target.stat().st_size > MAX_FILE_BYTES:
                raise InputError(f"{path}: larger than {MAX_FILE_BYTES:,} bytes")
            data = target.read_bytes()
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
        name = path
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid UTF-8 (byte {exc.start})") from None


def _write_atomically(path: Path, text: str) -> None:
    """Replace a linted file with its fixed text in one step, keeping its permissions."""
    from ._atomic import write_atomically

    write_atomically(path, text.encode("utf-8"), mode=path.stat().st_mode & 0o7777)


_FIXABLE_FORMATS = ("text", "markdown", "liquid")  # formats whose reply is the file text itself


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


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from . import __version__
    from ._api import check
    from ._project.baseline import key as baseline_key
    from ._project.baseline import read as read_baseline
    from ._project.baseline import write as write_baseline
    from ._fix.apply import fix
    from ._inputs import detect_format, extract
    from ._outputs import FileResult, render, statistics
    from ._project.discovery import discover
    from ._engine.linter import get_engine
    from ._project.suppress import UNUSED_CODE, unused_finding
    from ._project.suppress import apply as apply_suppressions

    projects = _Projects(args)
    context = {"customer_name": args.customer_name} if args.customer_name else None
    baseline = read_baseline(args.baseline) if args.baseline else None
    recorded: list[tuple[str, str, str, str]] = []
    results: list[FileResult] = []
    errors = failing = fixes_applied = 0
    targets: list[tuple[str, Path | None]] = []
    if not args.paths or args.paths == ["-"]:
        targets.append(("-", None))
    else:
        for given in args.paths:
            if given == "-":
                targets.append(("-", None))
                continue
            path = Path(given)
            if not path.exists():
                err.write(f"tonecheck: error: {given}: no such file or folder\n")
                errors += 1
                continue
            project = projects.for_path(path)
            found = [(str(p), p) for p in discover([path], project, force_exclude=args.force_exclude)]
            if not found and path.is_dir():
                err.write(f"tonecheck: warning: {given}: no files to lint here (see include and exclude)\n")
            targets.extend(found)
    for display, path in targets:
        project = projects.for_path(path if path is not None else Path.cwd())
        config = project.config
        try:
            content = _read(display)
            format_name = detect_format(display, content) if path is not None else "text"
            segments = extract(display if path is not None else "stdin.txt", content, format=format_name)
        except InputError as exc:
            err.write(f"tonecheck: error: {exc}\n")
            errors += 1
            continue
        # shown as given (so it opens from the working folder); baselines key on the project path
        shown = "<stdin>" if path is None else display
        keyed = "<stdin>" if path is None else project.relative(path)
        ignored = project.ignored_codes(path) if path is not None else ()
        glob_mode = project.mode_for(path) if path is not None else None
        # files in a repository are saved replies; standard input is a draft about to be sent
        default_mode = "draft" if path is None else "saved"
        if (args.fix or args.diff) and len(segments) == 1 and format_name in _FIXABLE_FORMATS:
            mode = args.mode or glob_mode or segments[0].mode or default_mode
            fixed = fix(content, mode=mode, config=config, context=context, unsafe=args.unsafe_fixes, ignore=ignored)
            fixes_applied += len(fixed.edits)
            if args.diff:
                _write_diff(shown, content, fixed.text, out)
            elif path is None:
                out.write(fixed.text)  # a filter: the text goes out whether or not it changed
            elif fixed.changed:
                bom = "\ufeff" if path.read_bytes()[:3] == b"\xef\xbb\xbf" else ""  # keep a byte-order mark
                try:
                    _write_atomically(path, bom + fixed.text)
                except OSError as exc:
                    err.write(f"tonecheck: error: {display}: cannot write: {exc.strerror or exc}\n")
                    errors += 1
                    continue
                content = fixed.text
                segments = extract(display, content, format=format_name)
        elif args.fix or args.diff:
            err.write(f"tonecheck: note: {shown}: fixes are not applied to {format_name} files\n")
        findings: list[Finding] = []
        reply_ids: list[str | None] = []
        for segment in segments:
            mode = args.mode or glob_mode or segment.mode or default_mode
            report = check(segment.text, mode=mode, config=config, context=context, ignore=ignored)
            kept, unused = apply_suppressions(segment.text, report.findings)
            if not any(selector_matches(i, code=UNUSED_CODE, name="unused-suppression", category="suppression")
                       for i in (*ignored, *config.ignore)):
                kept.extend(unused_finding(segment.text, u) for u in unused)
            for finding in sorted(kept, key=lambda f: (f.start, f.end, f.code)):
                placed = _place(finding, segment)
                entry = baseline_key(keyed, segment.reply_id, finding.code, finding.match)
                recorded.append(entry)
                if baseline is not None and baseline[entry] > 0:
                    baseline[entry] -= 1
                    continue
                findings.append(placed)
                reply_ids.append(segment.reply_id)
        failing += sum(1 for f in findings if f.severity.rank >= config.fail_on.rank)
        results.append(FileResult(shown, findings, reply_ids, source=content))
    if args.write_baseline:
        count = write_baseline(args.write_baseline, recorded)
        err.write(f"Wrote {count} baseline entr{'ies' if count != 1 else 'y'} to {args.write_baseline}.\n")
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
            # the engine's rule set: already loaded (from the compiled-rule cache when warm)
            rules = get_engine(projects.for_path(Path.cwd()).config).ruleset.by_code()
            out.write(render(args.format, results, rules=rules, version=__version__))
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if failing and not args.exit_zero else EXIT_OK


def _place(finding: Finding, segment: Any) -> Finding:
    """The finding with line and column in the original file (offsets stay in the reply text)."""
    line, column = segment.position(finding.start)
    end_line, end_column = segment.end_position(finding.end)
    return finding.model_copy(update={"line": line, "column": column, "end_line": end_line,
                                      "end_column": end_column})


def _cmd_config(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    project = load_project(Path(args.path), config_file=args.config)
    payload = {"source": str(project.source) if project.source else None, "root": str(project.root),
               "config": project.config.model_dump(mode="json", by_alias=True)}
    out.write(json.dumps(payload, indent=2) + "\n")
    return EXIT_OK


def _write_diff(path: str, before: str, after: str, out: TextIO) -> None:
    import difflib

    out.writelines(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                        fromfile=path if path.startswith("/") else f"a/{path}",
                                        tofile=path if path.startswith("/") else f"b/{path}"))
    if after and not after.endswith("\n") and before != after:
        out.write("\n\\ No newline at end of file\n")


def _cmd_rule(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._ruleset.load import load_rules

    rules = load_rules().by_code()
    rule = rules.get(args.code.upper()) or next((r for r in rules.values() if r.name == args.code), None)
    if rule is None:
        err.write(f"tonecheck: error: no rule {args.code!r}; `tonecheck rules` lists them\n")
        return EXIT_ERROR
    out.write(f"{rule.code} {rule.name} ({rule.category}, {rule.severity.value})\n\n")
    out.write(f"What it flags\n  {rule.message.replace('{match}', '…')}\n\n")
    out.write(f"Why\n  {rule.why}\n\n")
    out.write(f"What to do\n  {rule.fix}\n\n")
    out.write("Flagged\n" + "".join(f"  ✗ {e}\n" for e in rule.examples.flag) + "\n")
    out.write("Not flagged\n" + "".join(f"  ✓ {e}\n" for e in rule.examples.pass_) + "\n")
    if rule.suggestions:
        out.write("Suggestions\n")
        for s in rule.suggestions:
            out.write(f"  - {s.title} [{s.applicability.value}]\n")
    if rule.modes != ("draft", "saved"):
        out.write(f"\nApplies in mode: {', '.join(rule.modes)}\n")
    if set(rule.channels) != {"email", "chat", "social"}:
        out.write(f"\nApplies to replies read by: {', '.join(rule.channels)}\n")
    return EXIT_OK


def _cmd_rules(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._ruleset.load import load_rules

    rules = load_rules().rules
    if args.format == "json":
        out.write(json.dumps([{"code": r.code, "name": r.name, "category": r.category,
                                "severity": r.severity.value, "fix": r.fix} for r in rules], indent=2) + "\n")
        return EXIT_OK
    for rule in sorted(rules, key=lambda r: r.code):
        out.write(f"{rule.code}  {rule.name:<28} {rule.category:<20} {rule.severity.value}\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        err.write(f"tonecheck: error: {exc}\n")
        return EXIT_ERROR
    if args.version:
        from . import __version__

        out.write(f"tonecheck {__version__}\n")
        return EXIT_OK
    handlers = {"check": _cmd_check, "rule": _cmd_rule, "rules": _cmd_rules, "config": _cmd_config}
    if args.command not in handlers:
        parser.print_help(err)
        return EXIT_ERROR
    try:
        return handlers[args.command](args, out, err)
    except TonecheckError as exc:
        err.write(f"tonecheck: error: {exc}\n")
        return EXIT_ERROR
    except BrokenPipeError:  # e.g. piped into `head`
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
