"""Message templates: a rule's `message`, suggestion titles and replacements, with slots such as
{match}, {plain} or {problem} that a finding fills in."""

from __future__ import annotations

import re
from collections.abc import Mapping

_SLOT = re.compile(r"\{[a-z_]+\}")


class _Values(dict[str, str]):  # str.format_map that leaves unknown slots visible instead of failing
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, values: Mapping[str, str]) -> str:
    """The template with its slots filled from `values`; a slot with no value stays as written."""
    try:
        return template.format_map(_Values(values))
    except (ValueError, IndexError):
        return template


def as_prose(template: str) -> str:
    """The template as documentation shows it, with every slot ({match}, {plain}, ...) as "…"."""
    return _SLOT.sub("…", template)
