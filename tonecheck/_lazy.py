"""Regular expressions compiled on first use, and compiled once per machine.

`regex` compiles are slow (about 1 ms each, several for the large patterns, 116 ms for the
largest cue set), and a one-reply command-line run uses only some of tonecheck's patterns:
compiling all of them at import time was a tenth of the start-up. A `Lazy` behaves like the
compiled pattern for the methods used on it (`search`, `match`, `finditer`, `sub`...); after the
first use they are plain attributes, so later calls cost no more than on the pattern itself.

A `regex` pattern pickles as its compiled code, and unpickling it skips the parser (50 times
faster than compiling). `compile_pattern` keeps what each process compiled in one cache entry
(see `_engine/cache.py`) and reads a pattern from there when an earlier process compiled it: a
fresh process (a command-line run, each worker on a folder) no longer compiles its patterns again
(about 0.4 s of a 2,000-file folder). The entry is named by the versions of `regex` and Python,
whose compiled code it holds; a pattern it cannot give is compiled.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import pickle
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import regex

_STORE_LIMIT = 20_000  # patterns kept; past it the entry starts again from what this process compiled
_lock = threading.Lock()
_stored: dict[tuple[str, int], bytes] | None = None  # read on first use
_compiled: dict[tuple[str, int], regex.Pattern[str]] = {}  # compiled here, not yet written
_flush_registered_in: int | None = None  # the process that registered the write at its exit


def _entry_name() -> str:
    return f"regex-patterns-{regex.__version__}-py{sys.version_info[0]}.{sys.version_info[1]}-{sys.maxsize:x}"


def compile_pattern(source: str, flags: int = 0) -> regex.Pattern[str]:
    """regex.compile(source, flags), read from the cache when an earlier process compiled it."""
    global _stored
    key = (source, flags)
    if _stored is None:
        with _lock:
            if _stored is None:
                _stored = _read_store()
    data = _stored.get(key)
    if data is not None:
        try:
            pattern = pickle.loads(data)
            if isinstance(pattern, regex.Pattern) and pattern.pattern == source and pattern.flags & flags == flags:
                return pattern
        except Exception:  # a damaged entry is only a miss
            pass
    pattern = regex.compile(source, flags)
    with _lock:
        _compiled[key] = pattern
        _register_flush()
    return pattern


def _read_store() -> dict[tuple[str, int], bytes]:
    from ._engine import cache

    stored = cache.load(_entry_name())
    return stored if isinstance(stored, dict) else {}


def _register_flush() -> None:
    """Write what this process compiled when it ends: at exit, and in a pool's worker (which ends
    without running `atexit`) when multiprocessing runs its finalizers."""
    global _flush_registered_in
    if _flush_registered_in == os.getpid():
        return
    _flush_registered_in = os.getpid()
    atexit.register(flush)
    if "multiprocessing" in sys.modules:
        import multiprocessing.util

        multiprocessing.util.Finalize(None, flush, exitpriority=0)


def flush() -> None:
    """Add the patterns this process compiled to the cache entry, holding a lock on it while it is
    read and written again (where the system has `fcntl`), so that the workers on a folder, which
    end together, do not write over each other's patterns."""
    from ._engine import cache

    with _lock:
        if not _compiled or _flush_registered_in != os.getpid():
            return
        new = {key: pickle.dumps(pattern, protocol=pickle.HIGHEST_PROTOCOL) for key, pattern in _compiled.items()}
        _compiled.clear()
    lock = cache.file(LOCK_NAME)
    if lock is None:  # the cache is off
        return
    try:
        with _locked(lock):
            stored = _read_store()
            if len(stored) + len(new) > _STORE_LIMIT:
                stored = {}
            stored.update(new)
            cache.store(_entry_name(), stored)
    except OSError:  # (a lock the file system refuses) failing to write the cache is never an error
        pass


LOCK_NAME = ".tonecheck-regex-patterns.lock"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` while the block runs; none where there is no `fcntl`, or the
    lock file cannot be made (then a write may be lost: those patterns are compiled next time)."""
    try:
        import fcntl

        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "ab")  # noqa: SIM115 (closed below, after the lock is released)
    except (ImportError, OSError):
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        handle.close()  # (closing releases the lock)


class Lazy:
    def __init__(self, source: str, flags: int = 0) -> None:
        self.source = source
        self.flags = flags

    @functools.cached_property
    def compiled(self) -> regex.Pattern[str]:
        return compile_pattern(self.source, self.flags)

    def __getattr__(self, name: str) -> Any:  # only reached for names not yet on the instance
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(self.compiled, name)
        setattr(self, name, value)
        return value
