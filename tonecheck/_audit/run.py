"""The audit from end to end: read → lint (one process, a pool, or Dask) → count → render."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from .._config import Config
from .._exceptions import InputError
from .aggregate import MESSAGES_SHOWN, Aggregate
from .readers import Columns, Plan
from .records import Unreadable
from .redact import redact
from .render import CsvFindings, render_html, render_json, visible
from .work import AuditJob, DaskRunner, InProcess, ProcessPool, Runner, default_workers

OUTPUT_FORMATS = ("html", "json", "csv")


@dataclasses.dataclass
class AuditOptions:
    paths: Sequence[Path]
    config: Config
    input_format: str = "auto"
    columns: Columns = dataclasses.field(default_factory=Columns)
    users: Sequence[Path] = ()
    macros: Sequence[Path] = ()
    output_format: str = "html"
    workers: int | None = None  # None: every core
    dask: bool = False
    scheduler: str | None = None
    redact: bool = False
    progress: bool = False


@dataclasses.dataclass
class AuditResult:
    report: dict[str, Any]
    unreadable: int
    findings_failing: int


def _runner(options: AuditOptions, job: AuditJob) -> Runner:
    workers = options.workers or default_workers()
    if options.dask or options.scheduler:
        return DaskRunner(job, address=options.scheduler, workers=workers)
    if workers <= 1:
        return InProcess(job)
    return ProcessPool(job, workers)


def _print_messages(part: Aggregate, shown: int, err: TextIO) -> int:
    """A task's warnings, and its read errors while fewer than MESSAGES_SHOWN were printed."""
    for kind, message in part.messages:
        if kind == "warning":
            err.write(f"tonecheck: warning: {visible(message)}\n")
        elif shown < MESSAGES_SHOWN:
            err.write(f"tonecheck: error: {visible(message)}\n")
            shown += 1
    return shown


def run_audit(options: AuditOptions, out: TextIO, err: TextIO) -> AuditResult:
    """Run the audit and write the report to `out` (the CSV streams there as it goes)."""
    from .._version import __version__

    for path in (*options.paths, *options.users):
        if not path.is_file():
            raise InputError(f"{path}: no such file")
    agg = Aggregate()
    csv_out = CsvFindings(out) if options.output_format == "csv" else None
    plan = Plan(options.paths, fmt=options.input_format, columns=options.columns, users=options.users)
    for item in plan.load_users():  # users files: before the workers start, who need them
        if isinstance(item, Unreadable):
            agg.unreadable_record(item.message)
    shown = _print_messages(agg, 0, err)
    job = AuditJob(options.config, plan.settings, csv=csv_out is not None)
    runner = _runner(options, job)
    bar = None
    want_bar = options.progress
    try:
        for part in runner.map(plan.tasks()):
            if want_bar:  # made once the workers run: no thread is alive when they fork
                bar, want_bar = _progress(err), False
            shown = _print_messages(part, shown, err)
            agg.merge(part)
            if csv_out is not None:
                csv_out.write(part.csv)
            if bar is not None:
                bar.update(part.read)
    finally:
        if bar is not None:
            bar.close()
        runner.close()
    if agg.unreadable > shown:
        err.write(f"tonecheck: … and {agg.unreadable - shown:,} more records that could not be read\n")
    report = agg.as_json()
    names = _rule_names(options.config)
    for code, entry in report["by_rule"].items():
        entry["name"] = names.get(code, "")
    report = {
        "version": __version__,
        "inputs": [str(p) for p in options.paths],
        "redacted": options.redact,
        **report,
        "examples": [_example_json(e, options.redact) for e in report["examples"]],
    }
    if options.macros:
        from .library import library_section

        library, problems = library_section(options.macros, options.config, report["by_macro"])
        for message in problems:
            err.write(f"tonecheck: error: {visible(message)}\n")
            agg.error(message)
        report["library"] = library
        report["records_unreadable"] = agg.unreadable
    if options.output_format == "html":
        out.write(render_html(report))
    elif options.output_format == "json":
        out.write(render_json(report))
    return AuditResult(report, agg.unreadable, agg.failing)


def _example_json(example: dict[str, Any], redacted: bool) -> dict[str, Any]:
    names = example.pop("customer_names", ())
    if redacted:
        for key in ("before", "match", "after", "rewrite", "rewrite_before", "rewrite_after"):
            if example[key] is not None:
                example[key] = redact(example[key], names)
    return example


def _rule_names(config: Config) -> dict[str, str]:
    from .._engine.linter import get_engine

    return {rule.code: rule.name for rule in get_engine(config).ruleset.rules}


def _progress(err: TextIO) -> Any:
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(file=err, unit=" replies", unit_scale=True, desc="tonecheck audit", mininterval=0.5)


def open_output(path: Path | None, stdout: TextIO) -> contextlib.AbstractContextManager[TextIO]:
    if path is None:
        return contextlib.nullcontext(stdout)
    return path.open("w", encoding="utf-8", newline="")


__all__ = ["OUTPUT_FORMATS", "AuditOptions", "AuditResult", "run_audit"]
