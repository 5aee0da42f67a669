"""The exception tree. Everything tonecheck raises on purpose is a TonecheckError."""


class TonecheckError(Exception):
    """Base class of every error tonecheck raises on purpose."""


class RuleError(TonecheckError):
    """A rule file is malformed; the message names the file, rule and field."""


class ConfigError(TonecheckError):
    """A configuration value is unknown or invalid; the message names the key."""


class InputError(TonecheckError):
    """Input cannot be read as text (missing file, not UTF-8, binary)."""


class FormatError(InputError, ValueError):
    """A file claims a format but cannot be parsed as it.

    The message names the file and what is wrong (with line:column where known); `path`, `line`
    and `column` carry the same facts (line and column are 1-based, None when unknown). It is a
    ValueError and also a tonecheck InputError, so callers that report input errors report it.
    """

    def __init__(
        self, message: str, *, path: str | None = None, line: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.column = column
