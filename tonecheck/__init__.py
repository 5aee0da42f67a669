"""tonecheck: lint customer-support replies before a customer reads them.

>>> import tonecheck
>>> report = tonecheck.check("No, that's impossible.")
>>> [f.code for f in report.findings]  # doctest: +SKIP
"""

from ._api import Linter, check, check_file, fix, load_config
from ._config import Config
from ._exceptions import ConfigError, FormatError, InputError, RuleError, TonecheckError
from ._types import (
    CATEGORIES,
    CHANNELS,
    Applicability,
    Category,
    Channel,
    Edit,
    FileReport,
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
    "CHANNELS",
    "Applicability",
    "Category",
    "Channel",
    "Config",
    "ConfigError",
    "Edit",
    "FileReport",
    "Finding",
    "FixResult",
    "FormatError",
    "InputError",
    "Linter",
    "Mode",
    "Region",
    "Report",
    "RuleError",
    "Severity",
    "Suggestion",
    "TonecheckError",
    "__version__",
    "check",
    "check_file",
    "fix",
    "load_config",
]

# public names report the package as their module (as httpx does), not the private module
for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type) or callable(_obj):
        _obj.__module__ = "tonecheck"
del _name, _obj
