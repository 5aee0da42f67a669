"""Keys of the engine's one phrase index. Every phrase list of every rule goes into that one
index, under a key that says whose list it is and what its matches do:

    CODE              rule CODE's phrases: a match is a finding
    CODE!except       its exceptions: a match of the rule that one overlaps is dropped
    CODE#n            entry n of its lexicon: a finding with that entry's plain wording
    CODE#n^           the same entry's terms written in capitals, which match capitals only
    CODE@set          phrase set `set` of its detector, handed back through Scan.phrase_hits
    CODE@set!except   that set's exceptions

Keys are made by the functions below and read back only through `parse`, once per key when the
engine is built (the index carries each key as the hash of its string).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

_EXCEPT = "!except"
_SET = "@"
_ENTRY = "#"
_CAPITALS = "^"

Role = Literal["phrases", "exceptions", "lexicon", "detector-set"]


def phrases(code: str) -> str:
    return code


def exceptions(key: str) -> str:
    """The key of the exceptions of the phrase list with key `key` (or of a detector set's name)."""
    return key + _EXCEPT


def lexicon_entry(code: str, index: int, *, capitals: bool) -> str:
    return f"{code}{_ENTRY}{index}{_CAPITALS if capitals else ''}"


def detector_set(code: str, name: str) -> str:
    return f"{code}{_SET}{name}"


@dataclass(frozen=True, slots=True)
class Key:
    role: Role
    code: str  # the rule's code
    # exceptions: the key whose matches they drop; any other role: the key itself
    target: str
    capitals_only: bool = False  # a lexicon entry's terms in capitals: "MX" must not match "Mx."


def parse(key: str) -> Key:
    if _SET in key:  # a detector's sets, its exception sets among them, go back to the detector as they are
        return Key("detector-set", key.split(_SET, 1)[0], key)
    if key.endswith(_EXCEPT):
        target = key[: -len(_EXCEPT)]
        return Key("exceptions", target.split(_ENTRY, 1)[0], target)
    if _ENTRY in key:
        return Key("lexicon", key.split(_ENTRY, 1)[0], key, capitals_only=key.endswith(_CAPITALS))
    return Key("phrases", key, key)
