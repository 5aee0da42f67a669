"""tonecheck: lint customer-support replies before a customer reads them.

    >>> import tonecheck
    >>> report = tonecheck.check("No, that's impossible.")
    >>> [f.code for f in report.findings]  # doctest: +SKIP
"""

from ._api import check
from ._fix.apply import fix
from ._config import Config
from ._exceptions import ConfigError, FormatError, InputError, RuleError, TonecheckError
from ._types import (
    CATEGORIES,
    Applicability,
    Category,
    Edit,
    Finding,
    FixResult,
    Mode,
    Region,
    Report,
    Severity,
    Suggestion,
)

from ._version import __version__

__all__ = [
    "CATEGORIES",
    "Applicability",
    "Category",
    "Config",
    "ConfigError",
    "FormatError",
    "Edit",
    "Finding",
    "FixResult",
    "InputError",
    "Mode",
    "Region",
    "Report",
    "RuleError",
    "Severity",
    "Suggestion",
    "TonecheckError",
    "__version__",
    "check",
    "fix",
]
