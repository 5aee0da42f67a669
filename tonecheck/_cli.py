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

from ._config import Config
from ._errors import InputError, TonecheckError
from ._models import Finding, Report, Severity

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

    check = commands.add_parser("check", help="lint replies (files, or stdin)")
    check.add_argument("paths", nargs="*", help="files to lint; none or '-' reads standard input")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--mode", choices=("draft", "saved"), default="draft")
    check.add_argument("--select", action="append", default=[], metavar="CODE|PREFIX|CATEGORY",
                       help="check only these rules (repeatable, or comma-separated)")
    check.add_argument("--ignore", action="append", default=[], metavar="CODE|PREFIX|CATEGORY",
                       help="skip these rules (repeatable, or comma-separated)")
    check.add_argument("--fail-on", choices=[s.value for s in Severity], default=None,
                       help="lowest severity that makes the exit code 1 (default: warning)")
    check.add_argument("--rule-path", action="append", default=[], metavar="PATH",
                       help="extra rule file or folder (repeatable)")
    check.add_argument("--customer-name", default=None, help="the customer's name, for name checks")
    check.add_argument("--fix", action="store_true", help="apply safe fixes to the files in place")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: apply unsafe fixes too")
    check.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")

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


def _finding_json(finding: Finding) -> dict[str, object]:
    return finding.model_dump(mode="json")


def _render_text(path: str, report: Report, out: TextIO) -> None:
    from ._fix import tidy

    # split on "\n" only: line numbers count "\n", and str.splitlines also breaks on \r, \u2028, ...
    lines = [line.rstrip("\r") for line in report.text.split("\n")]
    line_starts = [0]
    for line in report.text.split("\n"):
        line_starts.append(line_starts[-1] + len(line) + 1)
    for finding in report.findings:
        out.write(f"{path}:{finding.line}:{finding.column}: {finding.code} [{finding.severity.value}] "
                  f"{finding.message}\n")
        if 0 < finding.line <= len(lines):
            source = lines[finding.line - 1]
            width = (finding.end_column - finding.column) if finding.end_line == finding.line else (
                len(source) - finding.column + 1)
            shown = "".join(" " if ch in "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029" else ch for ch in source)
            out.write(f"    {shown}\n    {' ' * (finding.column - 1)}{'^' * max(1, width)}\n")
        for suggestion in finding.suggestions:
            if suggestion.replacement is None:
                out.write(f"    help: {suggestion.title}\n")
                continue
            out.write(f"    fix ({suggestion.applicability.value}): {suggestion.title}\n")
            start = finding.start if suggestion.start is None else suggestion.start
            end = finding.end if suggestion.end is None else suggestion.end
            line_start = line_starts[finding.line - 1]
            line_end = line_start + len(lines[finding.line - 1]) if finding.line <= len(lines) else len(report.text)
            start, end, replacement = tidy(report.text, start, end, suggestion.replacement)
            if line_start <= start <= end <= line_end + 1:
                before = report.text[line_start:line_end]
                after = (report.text[line_start:start] + replacement + report.text[end:max(end, line_end)])
                out.write(f"      before: {before.strip()}\n      after:  {after.strip()}\n")
    out.write("\n" if report.findings else "")


def _write_atomically(path: Path, text: str) -> None:
    """Replace the file in one step: a crash leaves either the old or the new file, never half."""
    import os
    import tempfile

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tonecheck")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._api import check
    from ._fix import fix

    config = Config(
        select=_split(args.select),
        ignore=_split(args.ignore),
        rule_paths=tuple(args.rule_path),
        **({"fail_on": Severity(args.fail_on)} if args.fail_on else {}),
    )
    context = {"customer_name": args.customer_name} if args.customer_name else None
    paths = args.paths or ["-"]
    results: list[tuple[str, Report]] = []
    errors = 0
    fixes_applied = 0
    for path in paths:
        try:
            text = _read(path)
        except InputError as exc:
            err.write(f"tonecheck: error: {exc}\n")
            errors += 1
            continue
        display = "<stdin>" if path == "-" else path
        if args.fix or args.diff:
            fixed = fix(text, mode=args.mode, config=config, context=context, unsafe=args.unsafe_fixes)
            if args.diff:
                _write_diff(display, text, fixed.text, out)
            elif fixed.changed and path == "-":
                out.write(fixed.text)
            elif fixed.changed:
                try:
                    _write_atomically(Path(path), fixed.text)
                except OSError as exc:
                    err.write(f"tonecheck: error: {path}: cannot write: {exc.strerror or exc}\n")
                    errors += 1
                    continue
            fixes_applied += len(fixed.edits)
            results.append((display, check(fixed.text, mode=args.mode, config=config, context=context)))
            continue
        results.append((display, check(text, mode=args.mode, config=config, context=context)))
    failing = sum(len(report.at_least(config.fail_on)) for _, report in results)
    if args.diff:
        return EXIT_ERROR if errors else (EXIT_FINDINGS if fixes_applied else EXIT_OK)
    if args.fix and paths != ["-"]:
        err.write(f"Applied {fixes_applied} fix{'es' if fixes_applied != 1 else ''}.\n")
    if args.fix and paths == ["-"]:
        return EXIT_ERROR if errors else (EXIT_FINDINGS if failing else EXIT_OK)
    if args.format == "json":
        payload = {"version": 1, "files": [
            {"path": path, "findings": [_finding_json(f) for f in report.findings]}
            for path, report in results]}
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        total = 0
        for path, report in results:
            _render_text(path, report, out)
            total += len(report.findings)
        out.write(f"Found {total} problem{'s' if total != 1 else ''} in {len(results)} "
                  f"file{'s' if len(results) != 1 else ''}.\n")
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if failing else EXIT_OK


def _write_diff(path: str, before: str, after: str, out: TextIO) -> None:
    import difflib

    out.writelines(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                        fromfile=path if path.startswith("/") else f"a/{path}",
                                        tofile=path if path.startswith("/") else f"b/{path}"))
    if after and not after.endswith("\n") and before != after:
        out.write("\n\\ No newline at end of file\n")


def _cmd_rule(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._rules import load_rules

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
    return EXIT_OK


def _cmd_rules(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._rules import load_rules

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
    handlers = {"check": _cmd_check, "rule": _cmd_rule, "rules": _cmd_rules}
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
