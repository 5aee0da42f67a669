"""The library entry points."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ._config import Config
from ._engine.linter import get_engine
from ._exceptions import InputError
from typing import Literal

from ._types import CHANNELS, Channel, Mode, Report


def check(
    text: str,
    *,
    mode: Mode = "draft",
    config: Config | None = None,
    context: Mapping[str, str] | None = None,
    ignore: Iterable[str] = (),
    channel: Channel | Literal["auto"] | None = None,
) -> Report:
    """Lint one reply.

    `mode` is "draft" for a reply about to be sent, "saved" for a saved reply or template.
    `context` carries facts about the conversation (e.g. {"customer_name": "Sara"}).
    `ignore` drops findings by code, code prefix, rule name or category, for this call only.
    """
    if not isinstance(text, str):
        raise InputError(f"text must be str, not {type(text).__name__}")
    if mode not in ("draft", "saved"):
        raise InputError(f"mode must be 'draft' or 'saved', not {mode!r}")
    if channel not in (None, "auto", *CHANNELS):
        raise InputError(f"channel must be one of auto, {', '.join(CHANNELS)}, not {channel!r}")
    fixed_channel = None if channel in (None, "auto") else channel
    report = get_engine(config).check(text, mode=mode, context=context, channel=fixed_channel)
    ignored = tuple(ignore)
    if not ignored:
        return report
    from ._config import selector_matches

    kept = tuple(
        f
        for f in report.findings
        if not any(selector_matches(s, code=f.code, name=f.name, category=f.category) for s in ignored)
    )
    return report.model_copy(update={"findings": kept})
