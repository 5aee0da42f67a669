"""Logging for the service: one line a record on standard error. Records name requests by
method, path (without the query string), status and time; drafts are never logged."""

from __future__ import annotations

import logging
import sys


def configure(level: str) -> None:
    root = logging.getLogger()
    if not any(getattr(h, "_tonecheck", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"))
        handler._tonecheck = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).setLevel(level.upper())
