"""Projects of saved replies: configuration files and which files to lint.

Configuration comes from `[tool.tonecheck]` in pyproject.toml, or the top level of
tonecheck.toml / .tonecheck.toml, in the nearest folder upward from the file or folder being
checked (the first of those three found in a folder wins). Paths and globs in it are relative
to that folder. Options given on the command line override it.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import stat
import subprocess
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .._config import Config
from .._engine.linter import OtherPacks, check_selectors, get_engine
from .._exceptions import ConfigError
from .._files import inside, read_regular
from .._types import Mode

CONFIG_FILES = ("pyproject.toml", "tonecheck.toml", ".tonecheck.toml")


@dataclass(frozen=True)
class Project:
    config: Config
    root: Path  # the folder of the configuration file (or the start folder when there is none)
    source: Path | None  # the configuration file, if any
    # each path's relative form, worked out once: discovery, globs and baselines all ask for it
    _relatives: dict[Path, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    # each folder's resolved form: the files of a folder are resolved through it
    _folders: dict[Path, Path] = field(default_factory=dict, init=False, repr=False, compare=False)

    def relative(self, path: Path) -> str:
        """The path relative to the project's folder (POSIX style), as globs and baselines see it;
        the path as given when it lies elsewhere (or is a symbolic link loop)."""
        known = self._relatives.get(path)
        if known is None:
            known = self._relatives[path] = self._relative(path)
        return known

    @functools.cached_property
    def _resolved_root(self) -> Path:
        return _absolute(self.root)

    def _relative(self, path: Path) -> str:
        try:
            return self._absolute(path).relative_to(self._resolved_root).as_posix()
        except ValueError:
            return path.as_posix()

    def _absolute(self, path: Path) -> Path:
        """`_absolute(path)`, with each folder resolved once: a file that is no symbolic link is
        its resolved folder and its name (one `lstat`, where resolving the whole path took one
        for every folder on the way: a fifth of a 2,000-file folder's run)."""
        name = path.name
        try:
            if name in ("", ".", "..") or path.is_symlink():
                return _absolute(path)
        except OSError:
            return _absolute(path)
        folder = path.parent
        resolved = self._folders.get(folder)
        if resolved is None:
            resolved = self._folders[folder] = _absolute(folder)
        return resolved / name

    def mode_for(self, path: Path) -> Mode | None:
        relative = self.relative(path)
        for pattern, mode in self.config.mode.items():
            if _matches(relative, pattern):
                return mode
        return None

    def language_for(self, path: Path) -> str | None:
        """The language the configuration's `languages` globs give this file, if any."""
        relative = self.relative(path)
        for pattern, language in self.config.languages.items():
            if _matches(relative, pattern):
                return language
        return None

    def ignored_codes(self, path: Path) -> tuple[str, ...]:
        relative = self.relative(path)
        return tuple(
            code
            for pattern, codes in self.config.per_file_ignores.items()
            if _matches(relative, pattern)
            for code in codes
        )

    def reply_ignored_codes(
        self, path: Path | None, reply_id: str | None, export_id: str | None = None
    ) -> tuple[str, ...]:
        """The rules `per-reply-ignores` skips for one reply of a file ("REPLY-GLOB" or
        "FILE-GLOB::REPLY-GLOB"; the reply glob matches its title or id)."""
        if reply_id is None or not self.config.per_reply_ignores:
            return ()
        relative = self.relative(path) if path is not None else ""
        found: list[str] = []
        for key, codes in self.config.per_reply_ignores.items():
            file_glob, reply_glob = "", key
            head, sep, tail = key.partition("::")
            # a file glob has a "/", "." or wildcard; otherwise "::" is part of a title ("Billing::Refund")
            if sep and any(ch in head for ch in "/.*?"):
                file_glob, reply_glob = head, tail
            if file_glob and not _matches(relative, file_glob):
                continue
            if fnmatch.fnmatchcase(reply_id, reply_glob) or (
                export_id is not None and fnmatch.fnmatchcase(export_id, reply_glob)
            ):
                found.extend(codes)
        return tuple(found)

    def excluded(self, path: Path) -> bool:
        return _matches_any(self.relative(path), (*self.config.exclude, *self.config.extend_exclude))

    def included(self, path: Path) -> bool:
        return _matches_any(self.relative(path), self.config.include)


def _matches_any(relative: str, patterns: tuple[str, ...]) -> bool:
    """`any(_matches(relative, p) for p in patterns)`, with the patterns compiled into two
    alternations once: a folder of files tests every file against every include glob."""
    names, paths = _alternations(patterns)
    if names is not None:
        folder, _, name = relative.rpartition("/")
        if name in ("", ".") or relative.startswith("/"):  # not a plain file name after the folder
            if any(names.fullmatch(part) for part in PurePosixPath(relative).parts):
                return True
        elif names.fullmatch(name) or _names_match_a_folder(names, folder):
            return True
    return paths is not None and paths.fullmatch(relative) is not None


@functools.lru_cache(maxsize=1024)
def _names_match_a_folder(names: re.Pattern[str], folder: str) -> bool:
    """A name pattern matches a folder on the way: asked once per folder, not once per file."""
    return any(names.fullmatch(part) for part in PurePosixPath(folder).parts)


@functools.lru_cache(maxsize=64)
def _alternations(patterns: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """The patterns that match a file or folder name, and those that match the whole path (with
    everything below it), each as one expression, in the terms of `_matches`."""
    names: list[str] = []
    paths: list[str] = []
    for pattern in patterns:
        pattern = _normalised(pattern)
        if "/" not in pattern:
            names.append(_glob(pattern).pattern)
        else:
            paths.extend((_glob(pattern).pattern, _glob(pattern + "/**").pattern))
    return (
        re.compile("|".join(f"(?:{p})" for p in names)) if names else None,
        re.compile("|".join(f"(?:{p})" for p in paths)) if paths else None,
    )


def _normalised(pattern: str) -> str:
    return pattern.strip().removeprefix("./").rstrip("/") if pattern.strip() else pattern


def _absolute(path: Path) -> Path:
    """path made absolute with its symbolic links resolved, as far as they resolve (a link loop
    is left as it is, not an error)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symbolic link loop
        return Path(os.path.abspath(path))


def _matches(relative: str, pattern: str) -> bool:
    """Glob match on a relative POSIX path. A pattern without "/" matches the file name or any
    folder name on the way; otherwise it matches the whole path, "*" within one folder and "**"
    across folders."""
    pattern = _normalised(pattern)
    if "/" not in pattern:
        return any(_glob(pattern).fullmatch(part) for part in PurePosixPath(relative).parts)
    return bool(_glob(pattern).fullmatch(relative)) or bool(_glob(pattern + "/**").fullmatch(relative))


@functools.lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
    # "**/**" is "**", and a run of stars is "**": repeated ones would only make the regex try
    # every way of sharing the path between them (exponential in their number)
    pattern = re.sub(r"\*{3,}", "**", pattern)
    while "**/**" in pattern:
        pattern = pattern.replace("**/**", "**")
    out, index = [], 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] == "*":
            out.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            out.append("[^/]")
            index += 1
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    return re.compile("".join(out))


def find_config_file(start: Path) -> Path | None:
    folder = _absolute(start)
    if folder.is_file() or not folder.exists():
        folder = folder.parent
    for candidate_folder in (folder, *folder.parents):
        for name in CONFIG_FILES:
            candidate = candidate_folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_section(candidate)):
                return candidate
    return None


MAX_CONFIG_BYTES = 10_000_000


def _read_toml(path: Path) -> dict[str, Any]:
    """A TOML file, read safely (a FIFO or device named tonecheck.toml is an error, not a hang);
    a UTF-8 byte-order mark at its start is accepted."""
    data, _ = read_regular(path, limit=MAX_CONFIG_BYTES, error=ConfigError)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read: not valid UTF-8 (byte {exc.start})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid TOML: nested too deeply") from None


def _has_tool_section(path: Path) -> bool:
    try:
        tool = _read_toml(path).get("tool", {})
    except ConfigError:
        return False
    return isinstance(tool, dict) and "tonecheck" in tool


def load_project(
    start: Path, *, overrides: Mapping[str, Any] | None = None, config_file: Path | None = None
) -> Project:
    """The configuration in force for `start`, with command-line overrides applied."""
    source = config_file or find_config_file(start)
    data: dict[str, Any] = {}
    root = _absolute(start if start.is_dir() else start.parent) if start.exists() else Path.cwd()
    if source is not None:
        data = _read_config(source)
        root = _absolute(source.parent)
    merged = {**data, **{k: v for k, v in (overrides or {}).items() if v not in (None, (), [])}}
    where = str(source) if source else "command line"
    config = Config.from_mapping(merged, source=where)
    try:
        # what only the rules can check: rule codes, selectors, helpdesk names, closing elements (the
        # file-level keys again here: an engine cached for an equal configuration did not see them)
        engine = get_engine(config)
        check_selectors(config, engine.ruleset, OtherPacks(config, engine.language.code))
    except ConfigError as exc:
        selector = getattr(exc, "selector", None)
        given = [s for key in ("select", "extend-select", "ignore") for s in (overrides or {}).get(key) or ()]
        origin = "command line" if selector is not None and selector in given else where
        raise ConfigError(str(exc).replace("configuration:", f"{origin}:", 1)) from None
    return Project(config=config, root=root, source=source)


def _read_config(source: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The settings of one configuration file, with `extend = "../tonecheck.toml"` applied: the
    extended file's settings first, this file's on top (key by key). Paths that name files
    (rule-paths, baseline) are made absolute against the file that sets them."""
    parsed = _read_toml(source)
    tool = parsed.get("tool", {}) if source.name == "pyproject.toml" else None
    data = (tool.get("tonecheck", {}) if isinstance(tool, dict) else {}) if tool is not None else parsed
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: [tool.tonecheck] must be a table")
    # the service's own table: read and checked by `tonecheck serve` (tonecheck/_serve/settings.py)
    data = {key: value for key, value in data.items() if key != "serve"}
    folder = _absolute(source.parent)
    if "rule-paths" in data and isinstance(data["rule-paths"], list):
        data["rule-paths"] = [str((folder / p).resolve()) for p in data["rule-paths"]]
    if isinstance(data.get("baseline"), str):
        data["baseline"] = str((folder / data["baseline"]).resolve())
    parent = data.pop("extend", None)
    if parent is None:
        return data
    if not isinstance(parent, str) or not parent.strip():
        raise ConfigError(f"{source}: key 'extend': a path to another configuration file")
    parent_path = _absolute(folder / parent)
    if parent_path in (*seen, _absolute(source)):
        raise ConfigError(f"{source}: key 'extend': {parent} extends itself in a loop")
    return {**_read_config(parent_path, (*seen, _absolute(source))), **data}


def config_origins(source: Path) -> dict[str, Path]:
    """Which file sets each top-level key of a configuration file's settings: the file itself,
    or a file it extends (`extend`, followed as `_read_config` follows it)."""
    origins: dict[str, Path] = {}
    seen: list[Path] = []
    path: Path | None = source
    while path is not None and _absolute(path) not in seen:
        seen.append(_absolute(path))
        parsed = _read_toml(path)
        tool = parsed.get("tool", {}) if path.name == "pyproject.toml" else None
        data = (tool.get("tonecheck", {}) if isinstance(tool, dict) else {}) if tool is not None else parsed
        if not isinstance(data, dict):
            break
        for key in data:
            if key not in ("extend", "serve"):
                origins.setdefault(key, path)
        parent = data.get("extend")
        path = _absolute(_absolute(path.parent) / parent) if isinstance(parent, str) and parent.strip() else None
    return origins


Skip = Callable[[Path, str], None]  # (path, why) for each file the walk leaves out


def discover(
    paths: list[Path], project: Project, *, force_exclude: bool = False, on_skip: Skip | None = None
) -> Iterator[Path]:
    """Files to lint: explicit files as given (unless excluded with force_exclude); folders
    walked, honouring .gitignore (through git, where the folder is in a work tree), the
    configured exclude globs, and the include globs.

    A walk stays inside the repository (the git work tree, else the folder walked) and reads only
    files: a symbolic link that leads out of it, or to something that is not a regular file (a
    FIFO, a device), a dangling link and a link loop are left out and reported to `on_skip`.
    """
    for path in paths:
        if path.is_dir():
            yield from _walk(path, project, on_skip or (lambda path, why: None))
        elif not (force_exclude and project.excluded(path)):
            yield path


def repository_root(folder: Path) -> Path | None:
    """The top folder of the git work tree holding `folder`, or None."""
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel"], capture_output=True, check=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return None
    top = result.stdout.decode("utf-8", "surrogateescape").strip()
    return _absolute(Path(top)) if top else None


def _walk(folder: Path, project: Project, on_skip: Skip) -> Iterator[Path]:
    tracked = _git_files(folder)
    root = (repository_root(folder) if tracked is not None else None) or _absolute(folder)
    if tracked is not None:
        candidates = tracked
    else:
        candidates = []
        for directory, subdirs, files in os.walk(folder):  # never follows links to folders
            subdirs[:] = sorted(d for d in subdirs if not d.startswith(".") or d == ".github")
            candidates.extend(Path(directory) / name for name in sorted(files))
    for path in candidates:
        if project.excluded(path) or not project.included(path):
            continue
        why = _not_readable(path, root)
        if why is not None:
            if why:  # a folder (a git submodule) is left out without a word
                on_skip(path, why)
            continue
        yield path


def _not_readable(path: Path, root: Path) -> str | None:
    """Why the walk leaves a file out, or None to lint it."""
    try:
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except FileNotFoundError:
                return "a symbolic link to nothing"
            except (OSError, RuntimeError):
                return "a symbolic link loop"
            if not inside(target, root):
                return "a symbolic link to a file outside the repository"
        status = path.stat()
    except OSError as exc:
        return f"cannot read it: {exc.strerror or exc}"
    if stat.S_ISDIR(status.st_mode):
        return ""
    if not stat.S_ISREG(status.st_mode):
        return "not a regular file (a FIFO, device or socket)"
    return None


def _git_files(folder: Path) -> list[Path] | None:
    """Files git would track below folder (tracked plus untracked-but-not-ignored), or None
    outside a git work tree or without git."""
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), "ls-files", "-z", "--cached", "--others", "--exclude-standard", "."],
            capture_output=True,
            check=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    names = [n for n in result.stdout.decode("utf-8", "surrogateescape").split("\0") if n]
    return sorted(p for p in (folder / n for n in names) if p.is_symlink() or p.exists())
