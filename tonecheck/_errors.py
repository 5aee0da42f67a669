"""The exception tree. Everything tonecheck raises on purpose is a TonecheckError."""


class TonecheckError(Exception):
    """Base class of every error tonecheck raises on purpose."""


class RuleError(TonecheckError):
    """A rule file is malformed; the message names the file, rule and field."""


class ConfigError(TonecheckError):
    """A configuration value is unknown or invalid; the message names the key."""


class InputError(TonecheckError):
    """Input cannot be read as text (missing file, not UTF-8, binary)."""
