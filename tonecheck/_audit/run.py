"""The audit from end to end: read → lint (one process, a pool, or Dask) → count → render."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from .._config import Config
from .._exceptions import InputError
from .aggregate import Aggregate
from .readers import Columns, read
from .records import Note, Reply, Skipped, Unreadable
from .redact import redact
from .render import CsvFindings, render_html, render_json
from .work import DaskRunner, InProcess, ProcessPool, Runner, default_workers

OUTPUT_FORMATS = ("html", "json", "csv")
MESSAGES_SHOWN = 20  # unreadable-record messages printed on standard error before "… and N more"


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


def _runner(options: AuditOptions) -> Runner:
    workers = options.workers or default_workers()
    if options.dask or options.scheduler:
        return DaskRunner(options.config, address=options.scheduler, workers=workers)
    if workers <= 1:
        return InProcess(options.config)
    return ProcessPool(options.config, workers)


def _batches(items: Iterator[Any], agg: Aggregate, err: TextIO, size: int) -> Iterator[list[Reply]]:
    """Replies in batches; skipped and unreadable records are counted on the way."""
    batch: list[Reply] = []
    for item in items:
        if isinstance(item, Reply):
            batch.append(item)
            if len(batch) >= size:
                yield batch
                batch = []
        elif isinstance(item, Skipped):
            agg.skip(item.reason)
        elif isinstance(item, Note):
            err.write(f"tonecheck: warning: {item.message}\n")
        elif isinstance(item, Unreadable):
            if agg.unreadable < MESSAGES_SHOWN:
                err.write(f"tonecheck: error: {item.message}\n")
            agg.error(item.message)
    if batch:
        yield batch


def run_audit(options: AuditOptions, out: TextIO, err: TextIO) -> AuditResult:
    """Run the audit and write the report to `out` (the CSV streams there as it goes)."""
    from .._version import __version__

    for path in (*options.paths, *options.users):
        if not path.is_file():
            raise InputError(f"{path}: no such file")
    agg = Aggregate()
    csv_out = CsvFindings(out) if options.output_format == "csv" else None
    fail_rank = options.config.fail_on.rank
    severities = _severities(options.config)
    failing = 0
    items = read(options.paths, fmt=options.input_format, columns=options.columns, users=options.users)
    runner = _runner(options)
    bar = None
    want_bar = options.progress
    try:
        for batch, results in runner.map(_batches(items, agg, err, runner.batch)):
            if want_bar:  # made once the workers run: no thread is alive when they fork
                bar, want_bar = _progress(err), False
            for reply, result in zip(batch, results, strict=True):
                agg.add(reply, result)
                failing += sum(1 for row in result[1] if severities.get(row[0], 1) >= fail_rank)
                if csv_out is not None and result[3] is None:
                    csv_out.write(reply, result[0], result[1])
            if bar is not None:
                bar.update(len(batch))
    finally:
        if bar is not None:
            bar.close()
        runner.close()
    if agg.unreadable > MESSAGES_SHOWN:
        err.write(f"tonecheck: … and {agg.unreadable - MESSAGES_SHOWN:,} more records that could not be read\n")
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
            err.write(f"tonecheck: error: {message}\n")
            agg.error(message)
        report["library"] = library
        report["records_unreadable"] = agg.unreadable
    if options.output_format == "html":
        out.write(render_html(report))
    elif options.output_format == "json":
        out.write(render_json(report))
    return AuditResult(report, agg.unreadable, failing)


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


def _severities(config: Config) -> dict[str, int]:
    from .._engine.linter import get_engine

    engine = get_engine(config)
    ranks = {code: severity.rank for code, severity in engine.severities.items()}
    if config.severity:  # the configuration's severities for the other languages' rules too
        from .._config import severity_override
        from .._engine.linter import OtherPacks

        for rule in OtherPacks(config, engine.language.code).rules():
            given = severity_override(config.severity, code=rule.code, name=rule.name, category=rule.category)
            ranks.setdefault(rule.code, (given or rule.severity).rank)
    return ranks


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
