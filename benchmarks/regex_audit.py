"""Audit every built-in regular expression for super-linear backtracking.

    python benchmarks/regex_audit.py                 # every pattern, every adversarial shape
    python benchmarks/regex_audit.py --size 2000 --show 20

What it does: collects every pattern tonecheck compiles (module-level `Lazy`, `re` and `regex`
patterns, pattern tables, the literal patterns of inline `re.*`/`regex.*` calls, and every rule's
regex, rewrite, closing and placeholder pattern, plus the engine's context vetoes), then runs
`finditer` over adversarial strings built from the characters each pattern repeats: a long run
of one character, of a pair, of each literal piece of the pattern, and each literal piece
followed by a long run. Each shape is timed at `--size` and at four times that; a pattern whose
cost per character grows with the length (ratio above `--ratio`) is reported.

`finditer` over the whole string is the worst use of a pattern (every start position is
tried), so a pattern used only at one position may show up here without being a problem in
use; the report says where each pattern comes from, so that can be judged.

Exit code 0: every pattern is linear on every shape; 1: some are not (listed).
"""

from __future__ import annotations

import argparse
import ast
import gc
import importlib
import pkgutil
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import tonecheck  # noqa: E402
from tonecheck._lazy import Lazy  # noqa: E402

# characters that patterns repeat, beyond their own literals: classes (\w, \s, \d, \p{L}...),
# line breaks of every kind, and the punctuation the formats use
CORE = [
    " ",
    "\t",
    "\n",
    "\r",
    "a",
    "A",
    "0",
    "_",
    "é",
    "😀",
    ".",
    ",",
    "-",
    "'",
    '"',
    ":",
    ";",
    "!",
    "?",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "<",
    ">",
    "/",
    "\\",
    "|",
    "*",
    "#",
    "%",
    "$",
    "@",
    "&",
    "^",
    "~",
    "`",
    "=",
    "+",
    "\u2028",
    "\u00a0",
]
PAIR_CORE = [" ", "a", "A", "0", ".", ",", "-", "\n", "{", "}", "<", ">", "'", "_", "%", "(", "["]
MAX_PIECES = 16  # literal pieces of a pattern used in shapes (the shortest first)
# Patterns used only with .match/.fullmatch at one position (or .search in a short window): a
# finditer over a long run would try every start, which they never do in use, so they are timed as
# one attempt. Each entry says how the code uses the pattern.
ANCHORED = {
    "tonecheck._anatomy._FENCE": "match on one line",
    "tonecheck._anatomy._QUOTE_LINE": "match on one line",
    "tonecheck._anatomy._Patterns.greeting": "match on one line",
    "tonecheck._anatomy._Patterns.signoff": "match on one line",
    "tonecheck._anatomy._SIG_DELIMITER": "match on one line",
    "tonecheck._anatomy._SHORT_SIGNOFF": "match on one line",
    "tonecheck._anatomy._SOCIAL_OPENER": "match at the start of a reply",
    "tonecheck._detectors.acronyms._ACRONYM_SHAPE": "fullmatch on a run of capitals",
    "tonecheck._detectors.acronyms._Explanations.after": "match after a term, in a 120-character window",
    "tonecheck._detectors.acronyms._Explanations.plain_alternative": "match after a term, in an 80-character window",
    "tonecheck._detectors.acronyms._Explanations.subject_definition": "match after a term, in a 160-character window",
    "tonecheck._detectors.acronyms._Explanations.sentence_opening": "search in the 12 characters before a term",
    "tonecheck._detectors.closing._INITIALS": "fullmatch on one sentence",
    "tonecheck._engine.tidy._AFTER_REMOVAL": "match at the end of an edit",
    "tonecheck._engine.tidy._SPACES": "match at the end of an edit",
    "tonecheck._engine.tidy._FOLLOWING": "match at the end of an edit",
    "tonecheck._engine.tidy._OWN_CAPITALS": "match at the start of the word after an edit",
    "tonecheck._inputs.markdown._FRONT_MATTER_OPEN": "match at the start of a file",
    "tonecheck._inputs.markdown._FENCE_OPEN": "fullmatch on one line",
    "tonecheck._inputs.markdown._FENCE_CLOSE": "fullmatch on one line",
    "tonecheck._inputs.html._CHAR_REF": "match at an '&'",
    "tonecheck._inputs.html._TAG_NAME": "match after a '<'",
    "tonecheck._inputs.segment._ESCAPE_AT": "match at one offset",
    "tonecheck._detectors.acronyms._WORD_AFTER": "match after a term, in a 40-character window",
    "tonecheck._detectors.acronyms._capitals_around()": "search in the 20 characters before a term",
    "tonecheck._detectors.closing._CODE_LINE": "fullmatch on one line or sentence",
    "tonecheck._detectors.closing._LIST_ITEM": "match at the start of a sentence's line",
    "tonecheck._detectors.placeholders._SEGMENT": "finditer on a variable _PATH matched (its brackets are closed)",
    "tonecheck._engine.grammar._SENTENCE_BREAK": "finditer over the 300 characters before an offset",
    "tonecheck._engine.grammar._WORD_AFTER": "match at the end of a span",
    "tonecheck._engine.grammar._first_word()": "match at the start of a phrase",
    "tonecheck._engine.grammar._modifies()": "search in the 40 characters before a term",
}
TIMEOUT = 5.0  # seconds for one call at the large size; a pattern that needs more is reported


@dataclass(frozen=True)
class Pattern:
    where: str
    source: str
    flags: int
    engine: str  # "regex" or "re"

    def compile(self):  # type: ignore[no-untyped-def]
        return regex.compile(self.source, self.flags) if self.engine == "regex" else re.compile(self.source, self.flags)


def _from_object(where: str, obj: object) -> Iterator[Pattern]:
    if isinstance(obj, Lazy):
        yield Pattern(where, obj.source, obj.flags, "regex")
    elif isinstance(obj, regex.Pattern):
        yield Pattern(where, obj.pattern, obj.flags & ~regex.UNICODE & ~regex.VERSION0, "regex")
    elif isinstance(obj, re.Pattern):
        yield Pattern(where, obj.pattern, obj.flags & ~re.UNICODE, "re")
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from _from_object(f"{where}[{key!r}]", value)
    elif isinstance(obj, (list, tuple)):
        for index, value in enumerate(obj):
            yield from _from_object(f"{where}[{index}]", value)


def _module_patterns() -> Iterator[Pattern]:
    package = Path(tonecheck.__file__).parent
    for info in pkgutil.walk_packages([str(package)], prefix="tonecheck."):
        # (_lazy's caches hold patterns compiled from elsewhere, each found where it is defined)
        if info.name.endswith("__main__") or info.name == "tonecheck._lazy":
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if name.startswith("__"):
                continue
            yield from _from_object(f"{info.name}.{name}", value)
        # literal patterns of inline calls: regex.search(r"...", ...), re.sub(r"...", ...)
        source_file = getattr(module, "__file__", None)
        if not source_file:
            continue
        tree = ast.parse(Path(source_file).read_text(encoding="utf-8"))
        # an inline pattern is named by the function it is in and its place there (lines move)
        seen: dict[str, int] = {}
        for function, node in _calls_by_function(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in ("re", "regex")
                and node.func.attr
                in ("compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                seen[function] = seen.get(function, 0) + 1
                where = f"{info.name}.{function}()" + (f"#{seen[function]}" if seen[function] > 1 else "")
                yield Pattern(where, node.args[0].value, 0, node.func.value.id)


def _calls_by_function(tree: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    """Every node with the name of the innermost function (or class) it is in, in source order."""

    def walk(node: ast.AST, scope: str) -> Iterator[tuple[str, ast.AST]]:
        for child in ast.iter_child_nodes(node):
            inner = scope
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                inner = f"{scope}.{child.name}" if scope != "<module>" else child.name
            yield inner, child
            yield from walk(child, inner)

    yield from walk(tree, "<module>")


def _rule_patterns() -> Iterator[Pattern]:
    from tonecheck._engine.linter import get_engine

    engine = get_engine(tonecheck.Config(preview=True))
    for code, sources, _, _ in engine.rule_regex:
        for index, pattern in enumerate(sources):
            yield Pattern(f"rule {code} regex[{index}]", pattern.source, pattern.flags, "regex")
    # the patterns built from each language's words (rules/<language>/language.yml), keyed by
    # module, class and attribute: one reply in each language builds them
    from tonecheck._language import language_data, packs

    for language_code in packs():
        engine.check("Hi Sam,\n\nThanks, it works (SSO).\n\nBest,\nAna", mode="draft", language=language_code)
        for build, derived in list(language_data(language_code)._derived.items()):
            owner = f"{build.__module__}.{getattr(build, '__qualname__', build)}"
            for name, value in getattr(derived, "__dict__", {}).items():  # (a word set has no patterns)
                yield from _from_object(f"{owner}.{name}", value)
    # the rewrite grammar's patterns, built from English's words on first use
    from tonecheck._engine import grammar

    for name, value in vars(grammar).items():
        if isinstance(value, grammar._Built):
            yield Pattern(f"tonecheck._engine.grammar.{name}", value.compiled.pattern, value.flags, "regex")
    for rule in engine.rules.values():
        for index, rewrite in enumerate(getattr(rule, "rewrites", ())):
            yield Pattern(f"rule {rule.code} rewrites[{index}]", rewrite.pattern, regex.IGNORECASE, "regex")
        options = getattr(rule, "options", None)
        for name, element in getattr(options, "elements", {}).items():
            for index, source in enumerate(element.patterns):
                yield Pattern(f"rule {rule.code} elements.{name}.patterns[{index}]", source, regex.IGNORECASE, "regex")
        for name, source in getattr(options, "syntaxes", {}).items():
            yield Pattern(f"rule {rule.code} syntaxes.{name}", source, 0, "regex")
    if engine.placeholder_syntaxes:
        joined = "|".join(f"(?:{source})" for source in engine.placeholder_syntaxes.values())
        yield Pattern("placeholder syntaxes, joined", joined, 0, "regex")
    for table_name, table in (("not_after", engine.not_after), ("not_before", engine.not_before)):
        for code, pattern in table.items():
            yield Pattern(f"rule {code} {table_name} veto", pattern.source, pattern.flags, "regex")


def patterns() -> list[Pattern]:
    seen: set[tuple[str, int, str]] = set()
    out = []
    for pattern in (*_module_patterns(), *_rule_patterns()):
        key = (pattern.source, pattern.flags, pattern.engine)
        if key not in seen:
            seen.add(key)
            out.append(pattern)
    return out


_LITERAL = re.compile(r"(?:\\[^A-Za-z0-9]|[^\\\[\](){}?*+|^$.])+")


def literals(source: str) -> list[str]:
    """Literal pieces of a pattern (2-6 characters, escapes resolved), the shapes repeated text has."""
    pieces: set[str] = set()
    # drop character classes, so "[^\n]" gives no literal "^\n"
    stripped = re.sub(r"\[(?:\\.|[^\]\\])*\]", " ", source)
    for m in _LITERAL.finditer(stripped):
        text = re.sub(r"\\(.)", r"\1", m.group())
        text = text.strip() if len(text.strip()) >= 2 else text
        if len(text) >= 2:
            pieces.add(text[:6])
    # single characters a pattern names literally, also from inside classes
    for char in re.findall(r"\\([^A-Za-z0-9])|([^\\\w\s\[\](){}?*+|^$.])", source):
        pieces.add("".join(char))
    return sorted(pieces)


QUICK_FOLLOWERS = [" ", "\t", "a", "\n", "-"]
# the quick set's two-character runs: a word character and what ends a word in addresses, paths,
# indexes and tags (a pattern that rescans a run from every word start in it: "a-a-a-...")
QUICK_PAIRS = ["a-", "a.", "a[", "a{", "a(", "a<", "a@", "a,"]


def shapes(pattern: Pattern, size: int, quick: bool = False) -> Iterator[tuple[str, str]]:
    """Adversarial strings of about `size` characters for a pattern. `quick`: runs of single
    characters, a few two-character runs, and each literal piece repeated or followed by a run
    (the test suite's set)."""
    pieces = literals(pattern.source)
    chars = sorted(set(CORE) | {p for p in pieces if len(p) == 1})
    for char in chars:
        yield f"{char!r}*n", char * size
    if quick:
        for pair in QUICK_PAIRS:
            yield f"({pair!r})*n", pair * (size // 2)
        for piece in sorted((p for p in pieces if len(p) > 1), key=lambda p: (len(p), p))[:MAX_PIECES]:
            yield f"{piece!r}*n", piece * (size // len(piece))
            for char in QUICK_FOLLOWERS:
                yield f"{piece!r}+{char!r}*n", piece + char * size
        return
    for first in PAIR_CORE:
        for second in PAIR_CORE:
            if first != second:
                yield f"({first + second!r})*n", (first + second) * (size // 2)
    # the pattern's own literal pieces: repeated, and each followed by a long run (a header, a
    # delimiter or an opener that a repeat after it then reads to the end)
    long_pieces = sorted((p for p in pieces if len(p) > 1), key=lambda p: (len(p), p))[:MAX_PIECES]
    for piece in long_pieces:
        yield f"{piece!r}*n", piece * (size // len(piece))
        yield f"({piece!r}+' ')*n", (piece + " ") * (size // (len(piece) + 1))
        for char in PAIR_CORE:
            yield f"{piece!r}+{char!r}*n", piece + char * size
            yield f"({piece + char!r})*n", (piece + char) * (size // (len(piece) + 1))


def _time(compiled, text: str) -> float:  # type: ignore[no-untyped-def]
    """CPU seconds to run finditer over the text (the `regex` module's timeout adds a cost per
    match, so it is not used here; `_hangs` guards against patterns that would not finish). CPU
    time of this process, not wall time: on a shared machine the time other processes take from
    this one would read as growth, or hide it."""
    gc.disable()  # a pattern with thousands of matches makes garbage the collector would time
    try:
        start = time.process_time()
        for _ in compiled.finditer(text):
            pass
        return time.process_time() - start
    finally:
        gc.enable()


def _time_match(compiled, text: str) -> float:  # type: ignore[no-untyped-def]
    start = time.process_time()
    compiled.match(text)
    return time.process_time() - start


def _hangs(compiled, text: str, engine: str) -> bool:  # type: ignore[no-untyped-def]
    """Whether finditer over the text takes longer than TIMEOUT (only the `regex` module has a
    timeout; `re` patterns are few and simple here)."""
    if engine != "regex":
        return False
    try:
        for _ in compiled.finditer(text, timeout=TIMEOUT):
            pass
    except TimeoutError:
        return True
    return False


@dataclass
class Slow:
    pattern: Pattern
    shape: str
    small: float
    large: float

    @property
    def ratio(self) -> float:
        return self.large / max(self.small, 1e-9)


def audit(
    pattern: Pattern,
    size: int,
    ratio: float,
    floor: float = 0.002,
    factor: int = 8,
    enough: int = 3,
    quick: bool = False,
) -> list[Slow]:
    """The shapes on which the pattern's cost per character grows by more than `ratio` from
    `size` to `factor` * `size`, and keeps growing (by more than 2) from there to four times
    that: a pattern that is quadratic grows on both steps, while the cost of memory and caches
    per match levels off. Shapes cheaper than `floor` seconds at the large size are not timed
    further (noise); the small text is timed best of three, and a suspect's large text again,
    best of three. Stops at `enough` slow shapes.
    Patterns in ANCHORED are timed as one `match` at the start (how they are used) instead of
    `finditer`."""
    compiled = pattern.compile()
    run = _time_match if pattern.where in ANCHORED else _time
    found = []
    large_shapes = dict(shapes(pattern, factor * size, quick))
    larger_shapes: dict[str, str] | None = None
    for name, small_text in shapes(pattern, size, quick):
        if _hangs(compiled, small_text, pattern.engine):  # exponential: it shows at the small size
            found.append(Slow(pattern, name, TIMEOUT, TIMEOUT))
            if len(found) >= enough:
                break
            continue
        large_text = large_shapes[name]
        large = run(compiled, large_text)
        if large < floor:
            continue
        # the small text best of three from the start: one slow run of it (a context switch)
        # would hide a pattern that grows; a slow run of the large one can only keep it in view
        small = min(run(compiled, small_text) for _ in range(3))
        if large / factor <= ratio * max(small, floor / factor**2):  # per character
            continue
        large = min(large, *(run(compiled, large_text) for _ in range(2)))
        if large / factor <= ratio * max(small, floor / factor**2):
            continue
        if larger_shapes is None:
            larger_shapes = dict(shapes(pattern, 4 * factor * size, quick))
        larger = run(compiled, larger_shapes[name])
        if larger / 4 > 2 * large:
            found.append(Slow(pattern, name, small, large))
        if len(found) >= enough:
            break
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=2000, help="length of the small shapes (default 2000)")
    parser.add_argument("--factor", type=int, default=8, help="the large shapes are this many times longer")
    parser.add_argument(
        "--ratio",
        type=float,
        default=3.5,
        help="growth of the cost per character, from size to factor x size, that counts as slow "
        "(a quadratic pattern grows by the factor; allocation and cache effects by up to ~3)",
    )
    parser.add_argument("--show", type=int, default=3, help="slow shapes to show per pattern")
    parser.add_argument("--match", default="", help="only patterns whose origin contains this")
    parser.add_argument("--verbose", action="store_true", help="one line per pattern as it is done")
    parser.add_argument("--quick", action="store_true", help="the test suite's smaller set of shapes")
    args = parser.parse_args(argv)
    every = [p for p in patterns() if args.match in p.where]
    print(f"{len(every)} patterns")
    bad = 0
    for pattern in every:
        slow = audit(pattern, args.size, args.ratio, factor=args.factor, quick=args.quick)
        if args.verbose:
            print(f"  {'SLOW' if slow else 'ok  '} {pattern.where}", flush=True)
        if slow:
            bad += 1
            slow.sort(key=lambda s: -s.large)
            print(f"\n{pattern.where} ({pattern.engine}): {pattern.source[:140]!r}", flush=True)
            for s in slow[: args.show]:
                print(
                    f"    {s.shape:<24} {s.small * 1000:9.2f} ms -> {s.large * 1000:9.2f} ms at {args.factor}x "
                    f"(x{s.ratio:.1f})"
                )
    print(f"\n{bad} of {len(every)} patterns grow faster than linearly on some shape")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
