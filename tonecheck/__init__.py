"""tonecheck: lint customer-support replies before a customer reads them.

    >>> import tonecheck
    >>> report = tonecheck.check("No, that's impossible.")
    >>> [f.code for f in report.findings]  # doctest: +SKIP
"""

from ._api import check
from ._fix import fix
from ._config import Config
from ._errors import ConfigError, InputError, RuleError, TonecheckError
from ._models import (
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

__version__ = "0.1.0"

__all__ = [
    "CATEGORIES",
    "Applicability",
    "Category",
    "Config",
    "ConfigError",
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
