"""Code detectors: the escape hatch for checks a phrase list cannot express.

A rule names one with `detector:`; the function gets the reply's view and the rule and yields
Hits. Each detector module is imported here, explicitly, so that importing this package
registers every detector.
"""

from . import acronyms, closing, names, placeholders

__all__ = ["acronyms", "closing", "names", "placeholders"]
