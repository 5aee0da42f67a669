"""The library entry points: `Linter`, and `check`, `check_file`, `fix`, `load_config` for one-off calls.

A `Linter` holds one compiled configuration. It is built once, may be shared between threads,
and lints drafts (`check`, `fix`) and files (`check_file`) exactly as `tonecheck check` does.
The module-level functions use a Linter per distinct configuration, built on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Literal

from ._config import DEFAULT_CONFIG, Config
from ._engine.linter import ENGINES_KEPT, Engine, get_engine
from ._exceptions import InputError
from ._fix.apply import fix_text
from ._language import is_language_code
from ._project.discovery import Project, load_project
from ._project.lint import Options, lint_file, lint_source
from ._types import CHANNELS, MODES, Channel, FileReport, FixResult, Mode, Report

TextFormat = Literal["text", "markdown", "html"]
TEXT_FORMATS: tuple[TextFormat, ...] = ("text", "markdown", "html")


class Linter:
    """A compiled configuration: build it once, then lint any number of replies and files.

        linter = tonecheck.Linter(tonecheck.load_config("macros/"))
        report = linter.check(draft_html, format="html", context={"customer_name": "Sara"})

    Safe to share between threads: the engine is built in the constructor, before any call.
    """

    def __init__(self, config: Config | None = None) -> None:
        if config is not None and not isinstance(config, Config):
            raise InputError(f"config must be a tonecheck.Config, not {type(config).__name__}")
        self._engine: Engine = get_engine(config)
        # a configuration from `load_config` brings its project: per-file ignores and mode globs
        self._project = _project_of(config) if config is not None else None

    @property
    def config(self) -> Config:
        return self._engine.config

    def check(
        self,
        text: str,
        *,
        format: TextFormat = "text",
        mode: Mode = "draft",
        channel: Channel | Literal["auto"] | None = None,
        context: Mapping[str, str] | None = None,
        ignore: Iterable[str] = (),
        language: str | None = None,
    ) -> Report:
        """Lint one reply.

        `format`: "text", or "markdown"/"html" for a draft as an editor or a helpdesk holds it
        (markup is skipped; findings carry offsets into the decoded text and, as `source_start`
        /`source_end` with line and column, into the markup given). `mode`: "draft" for a reply
        about to be sent, "saved" for a template. `channel`: "email", "chat", "social", or
        "auto"/None for the configuration's (auto: read from the reply). `context`: facts about
        the conversation, e.g. {"customer_name": "Sara"}. `ignore`: codes, prefixes, rule names
        or categories to drop for this call. `language`: the reply's language ("en", "ru"), or
        "auto"/None for the configuration's (auto: detected); a reply in a language without
        rules is not checked (`Report.notes` says so).
        """
        _check_text(text)
        _check_mode(mode)
        if format not in TEXT_FORMATS:
            raise InputError(f"format must be one of {', '.join(TEXT_FORMATS)}, not {format!r}")
        options = _options(mode=mode, channel=channel, context=context, ignore=ignore, language=language)
        if format == "text":
            return options.check(self._engine, text)
        # the reply inside the markup, as one report whose offsets also reach back into the markup
        linted = lint_source(
            self._engine, text, path=f"draft.{'md' if format == 'markdown' else format}", format=format, options=options
        )
        replies = linted.replies
        if len(replies) == 1:
            return replies[0]
        findings = tuple(f for reply in replies for f in reply.findings)
        first = replies[0] if replies else None
        return Report(
            text=text,
            mode=mode,
            channel=first.channel if first else "email",
            findings=findings,
            language=first.language if first else self._engine.language.code,
            notes=tuple(dict.fromkeys(note for reply in replies for note in reply.notes)),
        )

    def check_file(
        self,
        path: str | Path,
        *,
        mode: Mode | None = None,
        channel: Channel | None = None,
        context: Mapping[str, str] | None = None,
        language: str | None = None,
    ) -> FileReport:
        """Lint a file of any supported format with this Linter's configuration: one report per
        reply, inline suppressions applied and unused ones reported (TON100). The project's
        per-file ignores and mode globs apply when the configuration came from a project file
        (`load_config`); otherwise paths are taken relative to the current folder."""
        return self._check_file(
            _as_path(path), self._project, mode=mode, channel=channel, context=context, language=language
        )

    def _check_file(
        self,
        file: Path,
        project: Project | None,
        *,
        mode: Mode | None,
        channel: Channel | None,
        context: Mapping[str, str] | None,
        language: str | None = None,
    ) -> FileReport:
        options = _options(mode=mode, channel=channel, context=context, ignore=(), file_default=True, language=language)
        if project is None:
            project = Project(config=self.config, root=Path.cwd(), source=None)
        return lint_file(self._engine, file, project=project, shown=str(file), options=options)

    def fix(
        self,
        text: str,
        *,
        mode: Mode = "draft",
        channel: Channel | Literal["auto"] | None = None,
        context: Mapping[str, str] | None = None,
        ignore: Iterable[str] = (),
        unsafe: bool = False,
        max_rounds: int = 10,
        language: str | None = None,
    ) -> FixResult:
        """Apply every safe suggestion (and, with `unsafe=True`, tone rewrites too) until none
        is left (at most `max_rounds` rounds); returns the new text, the edits made and the
        findings that remain."""
        _check_text(text)
        _check_mode(mode)
        if not isinstance(unsafe, bool):
            raise InputError(f"unsafe must be True or False, not {type(unsafe).__name__}")
        if isinstance(max_rounds, bool) or not isinstance(max_rounds, int) or max_rounds < 1:
            raise InputError(f"max_rounds must be a whole number of at least 1, not {max_rounds!r}")
        options = _options(mode=mode, channel=channel, context=context, ignore=ignore, language=language)
        engine = self._engine
        return fix_text(text, lambda current: options.check(engine, current), unsafe=unsafe, max_rounds=max_rounds)


_PROJECTS: dict[int, tuple[Config, Project]] = {}  # configurations that came from a project file
_LINTERS: dict[str, Linter] = {}
_LAST: tuple[Config | None, Linter | None] = (None, None)  # the configuration of the last call, its linter
_LOCK = threading.Lock()


def load_config(path: str | Path = ".") -> Config:
    """The configuration `tonecheck check PATH` would use: the nearest pyproject.toml
    ([tool.tonecheck]), tonecheck.toml or .tonecheck.toml upward from `path`, or the defaults."""
    project = load_project(_as_path(path))
    with _LOCK:
        if len(_PROJECTS) > 256:
            _PROJECTS.clear()
        _PROJECTS[id(project.config)] = (project.config, project)
    return project.config


def _project_of(config: Config) -> Project | None:
    known = _PROJECTS.get(id(config))
    return known[1] if known is not None and known[0] is config else None


def _linter(config: Config | None) -> Linter:
    global _LAST
    # a configuration is frozen: the one met last (or None, the defaults) needs no key worked out
    last_config, last_linter = _LAST
    if last_config is config and last_linter is not None:
        return last_linter
    key = (config or DEFAULT_CONFIG).cache_key()
    linter = _LINTERS.get(key)
    if linter is None:
        with _LOCK:  # sixteen threads asking at once still build one engine
            linter = _LINTERS.get(key)
            if linter is None:
                if len(_LINTERS) >= ENGINES_KEPT:  # each holds an engine: no more than the engines kept
                    _LINTERS.pop(next(iter(_LINTERS)))
                linter = _LINTERS[key] = Linter(config)
    _LAST = (config, linter)  # rebound in one step: a thread reads the old pair or the new one
    return linter


def check(
    text: str,
    *,
    format: TextFormat = "text",
    mode: Mode = "draft",
    channel: Channel | Literal["auto"] | None = None,
    config: Config | None = None,
    context: Mapping[str, str] | None = None,
    ignore: Iterable[str] = (),
    language: str | None = None,
) -> Report:
    """Lint one reply (see `Linter.check`); the configuration's engine is built once."""
    return _linter(_config(config)).check(
        text, format=format, mode=mode, channel=channel, context=context, ignore=ignore, language=language
    )


def check_file(
    path: str | Path,
    *,
    config: Config | None = None,
    mode: Mode | None = None,
    channel: Channel | None = None,
    context: Mapping[str, str] | None = None,
    language: str | None = None,
) -> FileReport:
    """Lint a file the way `tonecheck check` does: configuration found upward from the file
    (unless `config` is given), suppressions, TON100, per-file ignores and modes by glob."""
    file = _as_path(path)
    if config is None:
        project = load_project(file)
    else:  # file-level settings (markdown-sections, ...) come from this config, not a cached equal one
        given = _config(config) or Config()
        project = _project_of(given) or Project(config=given, root=Path.cwd(), source=None)
    linter = _linter(project.config)
    return linter._check_file(file, project, mode=mode, channel=channel, context=context, language=language)


def fix(
    text: str,
    *,
    mode: Mode = "draft",
    channel: Channel | Literal["auto"] | None = None,
    config: Config | None = None,
    context: Mapping[str, str] | None = None,
    ignore: Iterable[str] = (),
    unsafe: bool = False,
    max_rounds: int = 10,
    language: str | None = None,
) -> FixResult:
    """Apply suggestions until none is left (see `Linter.fix`)."""
    return _linter(_config(config)).fix(
        text,
        mode=mode,
        channel=channel,
        context=context,
        ignore=ignore,
        unsafe=unsafe,
        max_rounds=max_rounds,
        language=language,
    )


def _config(config: object) -> Config | None:
    if config is not None and not isinstance(config, Config):
        raise InputError(f"config must be a tonecheck.Config, not {type(config).__name__}")
    return config


def _check_mode(mode: object) -> None:
    if mode not in MODES:
        raise InputError(f"mode must be 'draft' or 'saved', not {mode!r}")


def _check_text(text: object) -> None:
    if not isinstance(text, str):
        raise InputError(f"text must be str, not {type(text).__name__}")


def _as_path(path: object) -> Path:
    if not isinstance(path, (str, Path)):
        raise InputError(f"path must be a str or pathlib.Path, not {type(path).__name__}")
    return Path(path)


_PLAIN_OPTIONS = {
    (mode, file_default): Options(mode=mode, default_mode="saved" if file_default else "draft")
    for mode in (*MODES, None)
    for file_default in (False, True)
}

# the same for a call that also names the reply's language, kept as callers ask for them
_LANGUAGE_OPTIONS: dict[tuple[Mode | None, bool, str], Options] = {}


def _options(
    *,
    mode: object,
    channel: object,
    context: object,
    ignore: object,
    file_default: bool = False,
    language: object = None,
) -> Options:
    if context is None and channel is None and ignore == () and (mode is None or mode in MODES):
        if language is None:
            return _PLAIN_OPTIONS[mode, file_default]  # the usual call: nothing else to check
        if isinstance(language, str):  # a caller that names the language names it on every call
            found = _LANGUAGE_OPTIONS.get((mode, file_default, language))
            if found is not None:
                return found
    if mode is not None and mode not in MODES:
        raise InputError(f"mode must be 'draft' or 'saved', not {mode!r}")
    if channel not in (None, "auto", *CHANNELS):
        raise InputError(f"channel must be one of auto, {', '.join(CHANNELS)}, not {channel!r}")
    if context is not None and not (
        isinstance(context, Mapping) and all(isinstance(k, str) and isinstance(v, str) for k, v in context.items())
    ):
        raise InputError("context must be a mapping of str to str")
    if isinstance(ignore, str) or not isinstance(ignore, Iterable):
        raise InputError("ignore must be a list of codes, prefixes, rule names or categories")
    ignored = tuple(ignore)
    if not all(isinstance(item, str) for item in ignored):
        raise InputError("ignore must be a list of strings")
    if language is not None and language != "auto" and not is_language_code(language):
        raise InputError(f"language must be 'auto' or a language code such as 'en' or 'ru', not {language!r}")
    options = Options(
        mode=mode,  # checked above
        default_mode="saved" if file_default else "draft",
        context=context,
        channel=None if channel in (None, "auto") else channel,  # type: ignore[arg-type]
        ignore=ignored,
        language=None if language in (None, "auto") else str(language),
    )
    plain = context is None and channel is None and not ignored
    if plain and isinstance(language, str) and len(_LANGUAGE_OPTIONS) < 256:  # (a valid code: checked above)
        _LANGUAGE_OPTIONS[mode, file_default, language] = options
    return options
