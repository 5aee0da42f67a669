"""Projects of saved replies: configuration files and which files to lint.

Configuration comes from `[tool.tonecheck]` in pyproject.toml, or the top level of
tonecheck.toml / .tonecheck.toml, in the nearest folder upward from the file or folder being
checked (the first of those three found in a folder wins). Paths and globs in it are relative
to that folder. Options given on the command line override it.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .._config import Config
from .._engine.linter import get_engine
from .._exceptions import ConfigError
from .._types import Mode

CONFIG_FILES = ("pyproject.toml", "tonecheck.toml", ".tonecheck.toml")


@dataclass(frozen=True)
class Project:
    config: Config
    root: Path  # the folder of the configuration file (or the start folder when there is none)
    source: Path | None  # the configuration file, if any

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

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

    def excluded(self, path: Path) -> bool:
        relative = self.relative(path)
        return any(_matches(relative, p) for p in (*self.config.exclude, *self.config.extend_exclude))

    def included(self, path: Path) -> bool:
        relative = self.relative(path)
        return any(_matches(relative, p) for p in self.config.include)


def _matches(relative: str, pattern: str) -> bool:
    """Glob match on a relative POSIX path. A pattern without "/" matches the file name or any
    folder name on the way; otherwise it matches the whole path, "*" within one folder and "**"
    across folders."""
    pattern = pattern.strip().removeprefix("./").rstrip("/") if pattern.strip() else pattern
    if "/" not in pattern:
        return any(_glob(pattern).fullmatch(part) for part in PurePosixPath(relative).parts)
    return bool(_glob(pattern).fullmatch(relative)) or bool(_glob(pattern + "/**").fullmatch(relative))


@functools.lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
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
    folder = start.resolve()
    if folder.is_file() or not folder.exists():
        folder = folder.parent
    for candidate_folder in (folder, *folder.parents):
        for name in CONFIG_FILES:
            candidate = candidate_folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_section(candidate)):
                return candidate
    return None


def _has_tool_section(path: Path) -> bool:
    try:
        return "tonecheck" in tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def load_project(
    start: Path, *, overrides: Mapping[str, Any] | None = None, config_file: Path | None = None
) -> Project:
    """The configuration in force for `start`, with command-line overrides applied."""
    source = config_file or find_config_file(start)
    data: dict[str, Any] = {}
    root = (start if start.is_dir() else start.parent).resolve() if start.exists() else Path.cwd()
    if source is not None:
        try:
            parsed = tomllib.loads(source.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{source}: cannot read: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{source}: not valid TOML: {exc}") from None
        data = parsed.get("tool", {}).get("tonecheck", {}) if source.name == "pyproject.toml" else parsed
        if not isinstance(data, dict):
            raise ConfigError(f"{source}: [tool.tonecheck] must be a table")
        # the service's own table: read and checked by `tonecheck serve` (tonecheck/_serve/settings.py)
        data = {key: value for key, value in data.items() if key != "serve"}
        root = source.parent.resolve()
        if "rule-paths" in data and isinstance(data["rule-paths"], list):
            data["rule-paths"] = [str((root / p).resolve()) for p in data["rule-paths"]]
    merged = {**data, **{k: v for k, v in (overrides or {}).items() if v not in (None, (), [])}}
    where = str(source) if source else "command line"
    config = Config.from_mapping(merged, source=where)
    try:
        get_engine(config)  # what only the rules can check: rule codes, helpdesk names, closing elements
    except ConfigError as exc:
        raise ConfigError(str(exc).replace("configuration:", f"{where}:", 1)) from None
    return Project(config=config, root=root, source=source)


def discover(paths: list[Path], project: Project, *, force_exclude: bool = False) -> Iterator[Path]:
    """Files to lint: explicit files as given (unless excluded with force_exclude); folders
    walked, honouring .gitignore (through git, where the folder is in a work tree), the
    configured exclude globs, and the include globs."""
    for path in paths:
        if path.is_dir():
            yield from _walk(path, project)
        elif not (force_exclude and project.excluded(path)):
            yield path


def _walk(folder: Path, project: Project) -> Iterator[Path]:
    tracked = _git_files(folder)
    if tracked is not None:
        candidates = tracked
    else:
        candidates = []
        for directory, subdirs, files in os.walk(folder):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith(".") or d == ".github")
            candidates.extend(Path(directory) / name for name in sorted(files))
    for path in candidates:
        if project.excluded(path) or not project.included(path):
            continue
        yield path


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
    return sorted(p for p in (folder / n for n in names) if p.is_file())
