"""What the readers hand the audit: a reply to lint, a record skipped (and why), or a record that
could not be read. Plain, picklable values: they cross process and Dask boundaries."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import re
from typing import Any

from .._types import Channel


@dataclasses.dataclass(frozen=True, slots=True)
class Reply:
    """One agent's public reply. `channel` None: read from the reply (auto)."""

    id: str
    text: str
    is_html: bool = False
    agent: str | None = None
    time: str | None = None  # ISO 8601 (UTC) or None
    channel: Channel | None = None
    macro: str | None = None
    customer_names: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class Skipped:
    """A record that is not an agent's public reply; counted, never linted."""

    reason: str


@dataclasses.dataclass(frozen=True, slots=True)
class Unreadable:
    """A record (or the rest of a file) that could not be read; `message` names file and record."""

    message: str


@dataclasses.dataclass(frozen=True, slots=True)
class Note:
    """Something the user should know about an input that is not an error (printed as a warning)."""

    message: str


Item = Reply | Skipped | Unreadable | Note

# one finding: code, category, start, end, match, rewrite (or None), rewrite start, rewrite end
FindingRow = tuple[str, str, int, int, str, str | None, int, int]
# one reply: channel, findings, the text as linted when it differs from the reply's (HTML), error,
# language, and the note when no rules ran on it (a language without a rule pack)
ReplyResult = tuple[str, tuple[FindingRow, ...], str | None, str | None, str, str | None]

# the skip reasons the readers use, with what they mean (the report explains them)
SKIP_REASONS: dict[str, str] = {
    "internal-note": "an internal note (not public)",
    "customer-message": "written by the customer",
    "not-an-agent": "written by someone who is not an agent or admin (end user, bot, unknown role)",
    "author-unknown": "the author is not in the users side-load or users file",
    "not-published": "a draft or a reply held for review",
    "not-a-reply": "an event that is not a message (assignment, status change, line item)",
    "empty": "no text",
}

_CHANNELS: dict[str, Channel] = {
    "email": "email",
    "mail": "email",
    "web": "email",
    "web_form": "email",
    "api": "email",
    "portal": "email",
    "chat": "chat",
    "chat_transcript": "chat",
    "native_messaging": "chat",
    "messaging": "chat",
    "messenger": "chat",
    "conversation": "chat",
    "sms": "chat",
    "whatsapp": "chat",
    "any_channel": "chat",
    "twitter": "social",
    "twitter_dm": "chat",
    "facebook": "social",
    "facebook_post": "social",
    "instagram": "social",
    "social": "social",
}
# Freshdesk's numeric ticket sources
_FRESHDESK_SOURCES: dict[int, Channel] = {1: "email", 2: "email", 7: "chat", 9: "email", 10: "email", 6: "social"}


def channel_of(value: Any) -> Channel | None:
    """A helpdesk's channel name as tonecheck's channel; None (auto) for anything unknown."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return _FRESHDESK_SOURCES.get(value)
    if not isinstance(value, str):
        return None
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    if key in _CHANNELS:
        return _CHANNELS[key]
    if "twitter" in key or "facebook" in key or "instagram" in key:
        return "social"
    if "chat" in key or "messag" in key:
        return "chat"
    if "mail" in key:
        return "email"
    return None


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def iso_time(value: Any) -> str | None:
    """An ISO 8601 UTC timestamp from an ISO string or Unix seconds (or milliseconds); None when
    the value is missing or not a time."""
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, (int, float)) or (isinstance(value, str) and _NUMBER.fullmatch(value.strip())):
            seconds = float(value)
            if seconds > 1e11:  # milliseconds
                seconds /= 1000
            moment = _dt.datetime.fromtimestamp(seconds, _dt.UTC)
        elif isinstance(value, _dt.datetime):
            moment = value if value.tzinfo else value.replace(tzinfo=_dt.UTC)
        elif isinstance(value, str) and value.strip():
            moment = _dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=_dt.UTC)
        else:
            return None
    except (ValueError, OverflowError, OSError):
        return None
    return moment.astimezone(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_week(time: str | None) -> str | None:
    """ "2024-W09" for an ISO timestamp made by `iso_time`."""
    if not time:
        return None
    return _week(time[:10])


@functools.lru_cache(maxsize=4096)
def _week(day: str) -> str:
    year, week, _ = _dt.date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"
