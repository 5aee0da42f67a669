"""Prometheus metrics. With several workers, each writes its own files in the folder named by
PROMETHEUS_MULTIPROC_DIR (set by `tonecheck serve` before the workers start) and /metrics adds
them up, so a scrape sees the whole service whichever worker answers it."""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest

MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

REQUESTS = Counter("tonecheck_requests", "HTTP requests answered", ["endpoint", "method", "status"])
LATENCY = Histogram(
    "tonecheck_request_duration_seconds",
    "Time to answer a request, from the first byte read to the response",
    ["endpoint"],
    buckets=(0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
FINDINGS = Counter("tonecheck_findings", "Findings reported", ["category", "action"])
VERDICTS = Counter("tonecheck_verdicts", "Gate verdicts given", ["verdict", "profile"])
ERRORS = Counter("tonecheck_errors", "Requests answered with an error", ["kind"])
RULE_TIMEOUTS = Counter("tonecheck_rule_timeouts", "Rule regular expressions cut off by the regex timeout", ["rule"])
RECYCLES = Counter("tonecheck_worker_recycles", "Workers that restarted themselves", ["reason"])


_children: dict[tuple[int, tuple[str, ...]], Any] = {}


def labelled(metric: Counter | Histogram, *values: str) -> Any:
    """`metric.labels(*values)`, looked up once per label set (labels() costs a lock and a dict)."""
    key = (id(metric), values)
    child = _children.get(key)
    if child is None:
        child = _children[key] = metric.labels(*values)
    return child


def exposition() -> tuple[bytes, str]:
    if MULTIPROCESS:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
