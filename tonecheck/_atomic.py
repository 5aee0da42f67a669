"""Writing a file in one step: a crash leaves the old file or the new one, never half of one.

Where the system allows it (Linux, O_TMPFILE), the new content is written to an unnamed file in
the target's folder and given a name only for the instant of the rename, so a process killed
while writing leaves nothing behind. Elsewhere a hidden temporary file beside the target is
used, and removed if writing fails or the process is interrupted (SIGINT, or SIGTERM in the CLI).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


class OwnerNotKept(PermissionError):
    """The new file could not be given the old file's owner and group."""


def write_atomically(
    path: Path,
    data: bytes,
    *,
    mode: int | None = None,
    owner: tuple[int, int] | None = None,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Write data to a new file beside path, then rename it over path.

    `mode` sets the new file's permission bits and `owner` its (uid, gid) (e.g. those of the file
    it replaces; OwnerNotKept if that is not allowed); `before_replace` runs just before the
    rename and may raise to leave path as it was.
    """
    descriptor, temporary = _open_unnamed(path.parent)
    named = temporary is not None
    try:
        with os.fdopen(descriptor, "wb", closefd=False) as out:
            out.write(data)
        if mode is not None:
            os.chmod(descriptor, mode)
        if owner is not None and hasattr(os, "fchown") and owner != (os.geteuid(), os.getegid()):
            try:
                os.fchown(descriptor, *owner)
            except PermissionError:
                raise OwnerNotKept(f"cannot give {path} its owner back") from None
            if mode is not None:
                os.chmod(descriptor, mode)  # chown clears setuid and setgid bits
        if before_replace is not None:
            before_replace()
        if not named:
            temporary = _link_unnamed(descriptor, path)
            named = True
        assert temporary is not None
        os.replace(temporary, path)
    except BaseException:
        if named and temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass
        raise
    finally:
        os.close(descriptor)


def _open_unnamed(folder: Path) -> tuple[int, str | None]:
    """A file to write: unnamed (O_TMPFILE) where possible, else a hidden temporary file."""
    flag = getattr(os, "O_TMPFILE", 0)
    if flag and os.path.isdir("/proc/self/fd"):
        try:
            return os.open(folder, flag | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), 0o600), None
        except OSError:
            pass  # the file system does not support it
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tonecheck-", suffix=".tmp")
    return handle, temporary


def _link_unnamed(descriptor: int, path: Path) -> str:
    """Give the unnamed file a name beside path, for the rename. (A folder descriptor makes
    os.link call linkat with AT_SYMLINK_FOLLOW, which follows /proc/self/fd's link to the file.)"""
    folder = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        for _ in range(100):
            name = f".tonecheck-{os.urandom(6).hex()}.tmp"
            try:
                os.link(f"/proc/self/fd/{descriptor}", name, dst_dir_fd=folder, follow_symlinks=True)
                return os.path.join(path.parent, name)
            except FileExistsError:
                continue
    finally:
        os.close(folder)
    raise FileExistsError(f"no free temporary name beside {path}")
