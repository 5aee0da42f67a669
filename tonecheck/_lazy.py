"""Regular expressions compiled on first use.

`regex` compiles are slow (about 1 ms each, several for the large patterns), and a one-reply
command-line run uses only some of tonecheck's patterns: compiling all of them at import time
was a tenth of the start-up. A `Lazy` behaves like the compiled pattern for the methods used on
it (`search`, `match`, `finditer`, `sub`...); after the first use they are plain attributes, so
later calls cost no more than on the pattern itself.
"""

from __future__ import annotations

import functools
from typing import Any

import regex


class Lazy:
    def __init__(self, source: str, flags: int = 0) -> None:
        self.source = source
        self.flags = flags

    @functools.cached_property
    def compiled(self) -> regex.Pattern[str]:
        return regex.compile(self.source, self.flags)

    def __getattr__(self, name: str) -> Any:  # only reached for names not yet on the instance
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(self.compiled, name)
        setattr(self, name, value)
        return value
