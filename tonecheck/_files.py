"""Reading and rewriting files safely: only regular files, within a size limit, never blocking.

Every file tonecheck reads (replies, configuration, rule packs, baselines) goes through
`read_regular`: it opens without blocking (a FIFO would otherwise wait for a writer forever),
checks that what it opened is a regular file (not a device, FIFO or socket) and not a kernel
pseudo-file under /proc or /sys, and reads at most the limit (a file that grows, or reports a
size of 0 as /proc files do, cannot make it read more).

`rewrite` replaces a file's content for `--fix` without losing data: see its docstring.
"""

from __future__ import annotations

import codecs
import errno
import functools
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ._atomic import OwnerNotKept, write_atomically
from ._exceptions import InputError, TonecheckError

_O_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_PSEUDO_ROOTS = ("/proc", "/sys")


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


@functools.cache
def _pseudo_devices() -> frozenset[int]:
    """The devices of /proc and /sys, found once a process (they were asked for every file read)."""
    devices = set()
    for root in _PSEUDO_ROOTS:
        try:
            devices.add(os.stat(root).st_dev)
        except OSError:
            pass
    return frozenset(devices)


def _is_pseudo(path: str, status: os.stat_result) -> bool:
    """A file of the kernel's /proc or /sys: regular files that report a size of 0 and may never end."""
    real = os.path.realpath(path)
    if any(real == root or real.startswith(root + os.sep) for root in _PSEUDO_ROOTS):
        return True
    return status.st_dev in _pseudo_devices()


def describe_os_error(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return exc.strerror or str(exc)


def read_regular(
    path: str | Path, *, limit: int, error: type[TonecheckError] = InputError, limit_hint: str = ""
) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file (at most `limit`) and its status, or `error` with a message
    that names the file and says what is wrong."""
    name = os.fspath(path)
    try:
        descriptor = os.open(name, _O_READ)
    except FileNotFoundError:
        raise error(f"{name}: no such file") from None
    except IsADirectoryError:
        raise error(f"{name}: is a folder") from None
    except OSError as exc:
        raise error(f"{name}: cannot read: {describe_os_error(exc)}") from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise error(f"{name}: {_kind(status.st_mode)}, not a file tonecheck reads")
        if _is_pseudo(name, status):
            raise error(f"{name}: a kernel pseudo-file (/proc, /sys), not a file tonecheck reads")
        if status.st_size > limit:
            raise error(_too_large(name, status.st_size, limit, limit_hint))
        chunks = []
        total = 0
        while True:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise error(_too_large(name, None, limit, limit_hint))
        return b"".join(chunks), status
    except OSError as exc:
        raise error(f"{name}: cannot read: {describe_os_error(exc)}") from None
    finally:
        os.close(descriptor)


def read_stream(stream: object, *, name: str, limit: int, limit_hint: str = "") -> bytes:
    """At most `limit` bytes of an open binary stream (standard input), or InputError."""
    data: bytes = stream.read(limit + 1)  # type: ignore[attr-defined]
    if len(data) > limit:
        raise InputError(_too_large(name, None, limit, limit_hint))
    return data


def _too_large(name: str, size: int | None, limit: int, hint: str) -> str:
    what = f"{size:,} bytes" if size is not None else "more than that"
    return f"{name}: larger than the limit of {limit:,} bytes ({what}){hint}"


# -- text encodings --------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM it starts with
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class Decoded:
    """A file's text, and how to write it back the same way."""

    text: str
    encoding: str  # "utf-8", "utf-16-le", ...
    bom: bytes  # the byte-order mark the file starts with, or b""

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.encoding, "surrogateescape" if self.encoding == "utf-8" else "strict")


def decode(data: bytes, name: str, *, error: type[TonecheckError] = InputError) -> Decoded:
    """UTF-8 (with or without a byte-order mark), or UTF-16/UTF-32 with one; NUL characters in
    the first 8 KB mean a binary file."""
    encoding, bom = "utf-8", b""
    for mark, candidate in _BOMS:
        if data.startswith(mark):
            encoding, bom = candidate, mark
            break
    try:
        text = data[len(bom) :].decode(encoding)
    except UnicodeDecodeError as exc:
        label = "UTF-8" if encoding == "utf-8" else encoding.upper()
        raise error(f"{name}: not valid {label} (byte {exc.start + len(bom)})") from None
    if "\x00" in text[:8192]:
        utf16 = _utf16_without_bom(data) if not bom else None
        if utf16 is not None:
            # not decoded on a guess: without a byte-order mark the byte order is a guess
            raise error(f"{name}: looks like UTF-16 ({utf16}) without a byte-order mark; re-save it as UTF-8")
        raise error(f"{name}: looks like a binary file, not text")
    return Decoded(text, encoding, bom)


def _utf16_without_bom(data: bytes) -> str | None:
    """ "little-endian" or "big-endian" when the bytes read as UTF-16 text (mostly Latin script: every
    other byte NUL, and decodable with no control characters but line breaks and tabs), else None."""
    sample = data[:8192]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    for order, zeros, other in (("little-endian", odd, even), ("big-endian", even, odd)):
        if zeros.count(0) >= 0.5 * len(zeros) and other.count(0) <= 0.05 * len(other):
            try:
                text = sample.decode("utf-16-le" if order == "little-endian" else "utf-16-be")
            except UnicodeDecodeError:
                continue
            if all(ch.isprintable() or ch in "\r\n\t" for ch in text.rstrip("\x00")):
                return order
    return None


# -- rewriting (--fix) ------------------------------------------------------------------------------


class NotWritten(TonecheckError):
    """A fix was not written; the message says why (the file is left as it was)."""


def inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def rewrite(path: Path, data: bytes, *, expected: bytes, root: Path | None, limit: int) -> None:
    """Replace the content of the file at `path` with `data`, if it still holds `expected`.

    - a symbolic link is kept: its target is rewritten when it lies inside `root` (the
      repository), otherwise nothing is written;
    - a file tonecheck may not write (read-only, immutable, on a read-only file system) is left
      alone, as `echo >> file` would fail;
    - the file is compared with `expected` right before it is replaced: a file edited or deleted
      since it was read is not overwritten;
    - a file with other hard links is rewritten in place (they keep seeing it); any other file is
      replaced in one step (a crash leaves the old file or the new one, never half of one), with
      its permission bits and, where the process may set them, its owner and group.

    Raises NotWritten (nothing was changed) with the reason.
    """
    name = str(path)
    target = path
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except FileNotFoundError:
            raise NotWritten(f"{name}: symbolic link to a missing file; not fixed") from None
        except (OSError, RuntimeError):
            raise NotWritten(f"{name}: symbolic link loop; not fixed") from None
        if root is None or not inside(target, root.resolve()):
            raise NotWritten(f"{name}: symbolic link to a file outside the repository; not fixed")
    try:
        status = os.stat(target)
    except FileNotFoundError:
        raise NotWritten(f"{name}: deleted while tonecheck ran; not fixed") from None
    except OSError as exc:
        raise NotWritten(f"{name}: cannot write: {describe_os_error(exc)}") from None
    if not stat.S_ISREG(status.st_mode):
        raise NotWritten(f"{name}: {_kind(status.st_mode)}; not fixed")
    try:  # the permission a shell's ">>" would need; opening for writing changes nothing
        os.close(os.open(target, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)))
    except FileNotFoundError:
        raise NotWritten(f"{name}: deleted while tonecheck ran; not fixed") from None
    except OSError as exc:
        raise NotWritten(f"{name}: cannot write: {describe_os_error(exc)}; not fixed") from None

    def unchanged() -> None:
        try:
            current, _ = read_regular(target, limit=limit, error=NotWritten)
        except NotWritten as exc:
            if not os.path.lexists(target):
                raise NotWritten(f"{name}: deleted while tonecheck ran; not fixed") from None
            raise NotWritten(f"{exc}; not fixed") from None
        if current != expected:
            raise NotWritten(f"{name}: changed since tonecheck read it; not fixed (run again)")

    if status.st_nlink > 1:
        unchanged()
        _rewrite_in_place(target, data)
        return
    try:
        write_atomically(
            target,
            data,
            mode=stat.S_IMODE(status.st_mode),
            owner=(status.st_uid, status.st_gid),
            before_replace=unchanged,
        )
    except OwnerNotKept:  # not allowed to give the new file the old owner: keep it by writing in place
        unchanged()
        _rewrite_in_place(target, data)
    except PermissionError as exc:
        raise NotWritten(f"{name}: cannot write: {describe_os_error(exc)}; not fixed") from None
    except FileNotFoundError:
        raise NotWritten(f"{name}: deleted while tonecheck ran; not fixed") from None
    except OSError as exc:
        raise NotWritten(f"{name}: cannot write: {describe_os_error(exc)}; not fixed") from None


def _rewrite_in_place(path: Path, data: bytes) -> None:
    """Overwrite a file's content in place: its inode, links, owner and mode stay."""
    try:
        descriptor = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise NotWritten(f"{path}: cannot write: {describe_os_error(exc)}; not fixed") from None
    try:
        view = memoryview(data)
        while view:
            written = os.write(descriptor, view)
            view = view[written:]
        os.ftruncate(descriptor, len(data))
    finally:
        os.close(descriptor)
