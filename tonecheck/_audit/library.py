"""The saved-reply library section: the team's macros linted as `tonecheck check` lints them,
joined with how often each was used in the replies, near-duplicates, the placeholders in use per
helpdesk syntax, and how consistently the library greets and signs off."""

from __future__ import annotations

import collections
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import regex

from .._api import Linter
from .._config import Config
from .._engine.linter import get_engine
from .._exceptions import InputError
from .._project.discovery import discover, load_project
from .._types import Report

NEAR_DUPLICATE_SCORE = 90  # rapidfuzz ratio (0-100) of two macros' normalised texts
MAX_COMPARED = 5000  # macros compared pairwise for near-duplicates
_WS = re.compile(r"\s+")
_NAMEISH = re.compile(r"\b[A-Z][a-z]+\b")


def _files(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or folder (--macros)")
        yield from discover([path], load_project(path))


def _normalise(text: str) -> str:
    return _WS.sub(" ", text).strip().casefold()


def _shape(text: str, placeholders: regex.Pattern[str]) -> str:
    """A greeting or sign-off with its variable parts as "…": "Hi {{name}}," and "Hi Sam," read
    "hi …," alike."""
    text = placeholders.sub("…", text.strip())
    return _NAMEISH.sub("…", text[:1].lower() + text[1:]).casefold() if text else ""


def library_section(paths: Sequence[Path], config: Config, used: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The section's numbers and the messages for files that could not be read. `used` is the
    audit's by_macro (macro title → tallies)."""
    linter = Linter(config)
    syntaxes = get_engine(config).placeholder_syntaxes
    placeholder_re = regex.compile("|".join(f"(?P<s{i}>{src})" for i, src in enumerate(syntaxes.values())))
    names = list(syntaxes)
    macros: list[tuple[str, str, Report]] = []
    errors: list[str] = []
    for macro_file in _files(paths):
        try:
            linted = linter.check_file(macro_file, mode="saved")
        except InputError as exc:
            errors.append(str(exc))
            continue
        for reply in linted.replies:
            title = reply.reply_id or str(macro_file)
            macros.append((title, str(macro_file), reply))
    per_macro: list[dict[str, Any]] = []
    top_used = sorted(used.items(), key=lambda kv: (-int(kv[1]["findings"]), kv[0]))[:15]
    inventory: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    greetings: collections.Counter[str] = collections.Counter()
    signoffs: collections.Counter[str] = collections.Counter()
    for title, file, reply in macros:
        codes = collections.Counter(f.code for f in reply.findings)
        usage = used.get(title)
        per_macro.append(
            {
                "macro": title,
                "file": file,
                "findings": len(reply.findings),
                "by_rule": dict(sorted(codes.items())),
                "used_in_replies": usage["replies"] if usage else 0,
                "findings_in_replies": usage["findings"] if usage else 0,
            }
        )
        for m in placeholder_re.finditer(reply.text):
            inventory[names[int(m.lastgroup[1:])] if m.lastgroup else "unknown"][m.group()] += 1
        for region in reply.regions:
            if region.kind == "greeting":
                greetings[_shape(reply.text[region.start : region.end], placeholder_re)] += 1
            elif region.kind == "signoff":
                signoffs[_shape(reply.text[region.start : region.end], placeholder_re)] += 1
    with_greeting = sum(greetings.values())
    with_signoff = sum(signoffs.values())
    return (
        {
            "macros": len(macros),
            "macros_with_findings": sum(1 for m in per_macro if m["findings"]),
            "by_macro": sorted(per_macro, key=lambda m: (-m["findings"], m["macro"])),
            "most_findings_in_replies": [
                {"macro": title, **{k: v for k, v in tally.items() if k != "by_category"}}
                for title, tally in top_used
                if tally["findings"]
            ],
            "near_duplicates": _near_duplicates([(t, r.text) for t, _, r in macros]),
            "placeholders": {syntax: dict(counter.most_common(30)) for syntax, counter in sorted(inventory.items())},
            "greetings": {
                "macros_with_greeting": with_greeting,
                "macros_without_greeting": len(macros) - with_greeting,
                "forms": dict(greetings.most_common(10)),
            },
            "signoffs": {
                "macros_with_signoff": with_signoff,
                "macros_without_signoff": len(macros) - with_signoff,
                "forms": dict(signoffs.most_common(10)),
            },
        },
        errors,
    )


def _near_duplicates(macros: list[tuple[str, str]]) -> list[dict[str, Any]]:
    try:
        from rapidfuzz import fuzz, process
    except ImportError:
        raise InputError('finding near-duplicate macros needs rapidfuzz: pip install "tonecheck[audit]"') from None
    texts = [_normalise(text) for _, text in macros[:MAX_COMPARED]]
    if len(texts) < 2:
        return []
    scores = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE_SCORE, workers=1)
    import numpy as np

    upper = np.triu(np.asarray(scores), 1)
    found = sorted(
        (-round(float(upper[i, j]) / 100, 3), macros[i][0], macros[j][0])
        for i, j in np.argwhere(upper >= NEAR_DUPLICATE_SCORE).tolist()
    )
    return [{"a": a, "b": b, "similarity": -score} for score, a, b in found[:100]]
