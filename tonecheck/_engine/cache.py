"""On-disk cache of compiled rule data, so a fresh process does not re-parse and re-expand the
rule packs. The key hashes every rule file's bytes, tonecheck's own source files, the configuration and
the versions of spaCy and Python; any change gives a new key. Failing to read or write the cache is
never an error: the engine just builds from the files.

Location: $TONECHECK_CACHE_DIR, else $XDG_CACHE_HOME/tonecheck, else ~/.cache/tonecheck.
Set TONECHECK_NO_CACHE=1 to turn it off. It keeps the KEEP most recently used entries;
`tonecheck clean` removes them all. One entry holds the compiled `regex` patterns of all
configurations (`tonecheck/_lazy.py`); every process reads it, so it stays among the recent.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .._atomic import write_atomically

_FORMAT = 8


def _directory() -> Path | None:
    if os.environ.get("TONECHECK_NO_CACHE"):
        return None
    return location()


def location() -> Path:
    """The cache folder, whether or not caching is on."""
    explicit = os.environ.get("TONECHECK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tonecheck"


def key(files: Iterable[Path], *parts: str) -> str:
    """The entry's name for these rule files and parts (the caller's: the versions of what shapes
    the entry, e.g. spaCy's, and the configuration)."""
    from .._version import __version__

    digest = hashlib.sha256()
    for part in (str(_FORMAT), __version__, sys.version, *parts):
        digest.update(part.encode() + b"\0")
    # the package's own code shapes what is cached (schemas, phrase compilation): part of the key
    package_code = sorted(Path(__file__).resolve().parent.parent.rglob("*.py"))
    for path in [*package_code, *sorted(files)]:
        digest.update(str(path).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def file(name: str) -> Path | None:
    """Where a cache entry that is not a pickle lives (a file read in place, e.g. memory-mapped),
    or None when the cache is turned off."""
    directory = _directory()
    return None if directory is None else directory / name


def store_file(name: str, data: bytes) -> None:
    """Write a cache entry named `name` in one step (see `file`); failing is never an error."""
    directory = _directory()
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        write_atomically(directory / name, data)
    except Exception:
        pass


def load(cache_key: str) -> Any | None:
    directory = _directory()
    if directory is None:
        return None
    try:
        path = directory / f"{cache_key}.pickle"
        with open(path, "rb") as handle:
            value = pickle.load(handle)
    except Exception:  # a missing, partial or foreign file is just a miss
        return None
    try:  # used now: the newest entries are the ones kept (see `_prune`)
        os.utime(path)
    except OSError:
        pass
    return value


def store(cache_key: str, value: Any) -> None:
    directory = _directory()
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        # atomic, so a process reading the cache never sees half a file
        write_atomically(directory / f"{cache_key}.pickle", pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        _prune(directory)
    except Exception:
        pass


KEEP = 8  # entries kept: one per configuration (and language) in use, and the language model


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed by another process meanwhile
        return 0.0


def _prune(directory: Path) -> None:
    """Drop all but the KEEP most recently used entries (`load` marks an entry used): each change
    of rules, configuration or version writes a new one, and nothing else would remove the old."""
    entries = sorted(directory.glob("*.pickle"), key=_mtime, reverse=True)
    for stale in entries[KEEP:]:
        stale.unlink(missing_ok=True)


def clear() -> tuple[Path, int, int]:
    """Remove every cache entry (`tonecheck clean`): (the folder, files removed, bytes freed).
    Only tonecheck's own files are removed (its entries, their temporary files and locks), and the
    folder itself when nothing else is left in it."""
    directory = location()
    removed = freed = 0
    if not directory.is_dir():
        return directory, 0, 0
    for path in directory.iterdir():
        if path.suffix == ".pickle" or (path.name.startswith(".tonecheck-") and path.suffix in (".tmp", ".lock")):
            try:
                size = path.stat().st_size
                path.unlink()
            except OSError:
                continue
            removed += 1
            freed += size
    try:
        directory.rmdir()  # only when empty
    except OSError:
        pass
    return directory, removed, freed
