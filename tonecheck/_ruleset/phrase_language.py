"""The phrase language of rule files, expanded to literal phrases at load time.

    we (really|just)? (can't|cannot) help      alternation; `?` makes a group optional
    you @adv? (have|need) to                   @name inserts a vocabulary list (rules/en/vocab.yml)

Expansion happens once per configuration; the literal phrases then go into one phrase index,
which is far cheaper per reply than token patterns (see shared notes on measured costs).

One parser reads a pattern into a tree; two renderers read the tree: `expand` (the literal
phrases) and `to_regex` (one regular expression, for text checks).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any

from pydantic import AfterValidator, StrictStr

MAX_EXPANSIONS = 20_000


class PatternSyntaxError(ValueError):
    pass


def expand(pattern: str, vocab: Mapping[str, Sequence[str]], _active: tuple[str, ...] = ()) -> list[str]:
    """The literal phrases a pattern stands for. Raises PatternSyntaxError for bad syntax, an
    unknown or self-referencing vocabulary list, or more than MAX_EXPANSIONS phrases (checked
    before they are built, so a pattern cannot exhaust memory)."""
    parser = _Parser(pattern, vocab, _active)
    try:
        nodes = parser.parse()
        return _phrases(pattern, nodes, parser.pos)
    except RecursionError:
        raise PatternSyntaxError(f"{_short(pattern)} is nested too deeply") from None


# A pattern's parse tree, which both renderers read (`expand`: the literal phrases; `to_regex`:
# one regular expression). A node is ("lit", text), ("grp", alternatives, question) for a group,
# or ("mac", name, entries, question) for a vocabulary list: each alternative a list of nodes,
# each entry (its text, its nodes, where its parse stopped); `question` is a `?` after it.
_Node = tuple[Any, ...]
_Entry = tuple[str, list[_Node], int]


def _short(pattern: str) -> str:
    return repr(pattern) if len(pattern) <= 80 else repr(pattern[:77] + "...")


class _Parser:
    def __init__(self, text: str, vocab: Mapping[str, Sequence[str]], active: tuple[str, ...] = ()) -> None:
        self.text = text
        self.vocab = vocab
        self.active = active  # vocabulary lists being expanded, outermost first (to catch loops)
        self.pos = 0

    def _no_loop(self, name: str) -> None:
        if name in self.active:
            loop = " -> ".join(f"@{n}" for n in (*self.active[self.active.index(name) :], name))
            raise PatternSyntaxError(f"vocabulary @{name} refers to itself ({loop})")

    def parse(self) -> list[_Node]:
        """The nodes of a sequence, up to the end of the text or a `)` or `|` that ends it."""
        nodes: list[_Node] = []
        literal: list[str] = []
        while self.pos < len(self.text) and self.text[self.pos] not in ")|":
            char = self.text[self.pos]
            if char in "(@":
                if literal:
                    nodes.append(("lit", "".join(literal)))
                    literal = []
                node = self._group() if char == "(" else self._macro()
                question = self.pos < len(self.text) and self.text[self.pos] == "?"
                if question:
                    self.pos += 1
                nodes.append((*node, question))
            else:
                literal.append(char)
                self.pos += 1
        if literal:
            nodes.append(("lit", "".join(literal)))
        return nodes

    def _group(self) -> _Node:
        self.pos += 1  # "("
        alternatives: list[list[_Node]] = []
        while True:
            alternatives.append(self.parse())
            if self.pos >= len(self.text):
                raise PatternSyntaxError(f"unclosed '(' in {self.text!r}")
            closing = self.text[self.pos]
            self.pos += 1
            if closing == ")":
                return ("grp", alternatives)

    def _macro(self) -> _Node:
        start = self.pos + 1
        end = start
        while end < len(self.text) and (self.text[end].isalnum() or self.text[end] == "_"):
            end += 1
        name = self.text[start:end]
        if name not in self.vocab:
            raise PatternSyntaxError(f"unknown vocabulary @{name} in {self.text!r}")
        self._no_loop(name)
        self.pos = end
        entries: list[_Entry] = []
        for entry in self.vocab[name]:
            sub = _Parser(entry, self.vocab, (*self.active, name))
            nodes = sub.parse()
            entries.append((entry, nodes, sub.pos))
        return ("mac", name, entries)


# -- rendering the tree as literal phrases -------------------------------------------------------


def _phrases(pattern: str, nodes: list[_Node], end: int) -> list[str]:
    """The phrases of a whole pattern: every character parsed, whitespace normalised, each
    phrase once, at least one."""
    if end != len(pattern):
        raise PatternSyntaxError(f"unexpected {pattern[end]!r} at {end} in {pattern!r}")
    seen: dict[str, None] = {}
    for phrase in _sequence(pattern, nodes):
        normalised = " ".join(phrase.split())
        if normalised:
            seen[normalised] = None
    if not seen:
        raise PatternSyntaxError(f"{pattern!r} expands to nothing")
    return list(seen)


def _too_many(pattern: str, count: int) -> None:
    if count > MAX_EXPANSIONS:
        raise PatternSyntaxError(f"{_short(pattern)} expands to more than {MAX_EXPANSIONS} phrases")


def _sequence(pattern: str, nodes: list[_Node]) -> list[str]:
    results = [""]
    for node in nodes:
        if node[0] == "lit":
            results = [r + node[1] for r in results]
            continue
        alternatives = _alternatives(pattern, node)
        if node[-1]:  # "?"
            alternatives = [*alternatives, ""]
        _too_many(pattern, len(results) * len(alternatives))  # before the product is built
        results = [r + a for r in results for a in alternatives]
    return results


def _alternatives(pattern: str, node: _Node) -> list[str]:
    alternatives: list[str] = []
    if node[0] == "grp":
        for alternative in node[1]:
            alternatives.extend(_sequence(pattern, alternative))
            _too_many(pattern, len(alternatives))
        return alternatives
    for entry, nodes, end in node[2]:
        # an entry with no group or list is one phrase as written; any other is a pattern
        alternatives.extend(_phrases(entry, nodes, end) if ("(" in entry or "@" in entry) else [entry])
        _too_many(pattern, len(alternatives))
    return alternatives


def _compiles(source: str) -> str:
    import regex

    try:
        regex.compile(source)
    except regex.error as exc:
        raise ValueError(f"regular expression {source!r} does not compile: {exc}") from None
    return source


# A regular expression in a rule file or configuration, checked when it is loaded.
RegexSource = Annotated[StrictStr, AfterValidator(_compiles)]

# "{@doc}" in a rule's regex: a vocabulary list, as an alternation of its entries
_LIST_REFERENCE = r"\{@([A-Za-z_][\w-]*)\}"


def _listed(name: str, vocab: Mapping[str, Sequence[str]], where: str) -> Sequence[str]:
    """The entries of the vocabulary list `{@name}` named in `where`."""
    if name not in vocab:
        raise PatternSyntaxError(f"unknown vocabulary list {{@{name}}} in {where}")
    return vocab[name]


def with_lists(source: str, vocab: Mapping[str, Sequence[str]]) -> str:
    """A rule's regular expression with each `{@name}` replaced by the vocabulary list as an
    alternation of its entries, longest first (so that "terms and conditions" is matched whole
    where "terms" would also do), each entry rendered as `to_regex` renders a phrase: words
    separated by any run of whitespace. Raises PatternSyntaxError for an unknown list."""
    import regex as _regex

    if "{@" not in source:
        return source

    def alternation(found: Any) -> str:
        entries = sorted(dict.fromkeys(_listed(found.group(1), vocab, _short(source))), key=lambda e: (-len(e), e))
        return "(?:" + "|".join(to_regex(entry, vocab, str) for entry in entries) + ")"

    return str(_regex.sub(_LIST_REFERENCE, alternation, source))


def required_words(word: str, vocab: Mapping[str, Sequence[str]]) -> list[str]:
    """A rule's `requires` entry as the words it stands for: `{@name}` alone stands for every
    phrase of the vocabulary list (a regex that names the list needs one of them), any other
    entry for itself. Raises PatternSyntaxError for an unknown list."""
    import regex as _regex

    found = _regex.fullmatch(_LIST_REFERENCE, word)
    if found is None:
        if _regex.search(_LIST_REFERENCE, word):
            raise PatternSyntaxError(f"a vocabulary list stands alone in requires, not in {word!r}")
        return [word]
    return [phrase for entry in _listed(found.group(1), vocab, "requires") for phrase in expand(entry, vocab)]


# -- rendering the tree as one regular expression --------------------------------------------------


def _groups(nodes: list[_Node]) -> list[_Node]:
    """The tree as to_regex reads it: ("lit", text) and ("grp", alternatives, optional), a
    vocabulary list a group of its entries, an empty alternative making its group optional."""
    out: list[_Node] = []
    for node in nodes:
        if node[0] == "lit":
            out.append(node)
            continue
        raw = node[1] if node[0] == "grp" else [entry_nodes for _, entry_nodes, _ in node[2]]
        alternatives = [_groups(alternative) for alternative in raw]
        optional = node[-1] or any(not alternative for alternative in alternatives)
        out.append(("grp", [alternative for alternative in alternatives if alternative], optional))
    return out


def to_regex(pattern: str, vocab: Mapping[str, Sequence[str]], normalise: Callable[[str], str]) -> str:
    """The pattern as one regular expression, without expanding it: words separated by any run of
    whitespace (none needed before punctuation), groups and vocabulary lists as alternations.
    For text checks (context vetoes, cue words), where thousands of expanded phrases would make
    a pattern slow to compile and to search. `normalise` is applied to the literal text."""
    import regex as _regex

    parser = _Parser(pattern, vocab)
    try:
        nodes = _groups(parser.parse())
    except RecursionError:
        raise PatternSyntaxError(f"{_short(pattern)} is nested too deeply") from None
    if parser.pos != len(pattern):
        raise PatternSyntaxError(f"unexpected {pattern[parser.pos]!r} at {parser.pos} in {pattern!r}")

    def glued(node: _Node) -> bool:
        """Punctuation needs no space before it: "clearly ," matches "clearly,"."""
        if node[0] == "txt":
            return not node[1][0].isalnum()
        if node[0] == "ws":
            return False
        return all(alt and glued(alt[0]) for alt in node[1])

    def edge_space(alternatives: list[list[_Node]], first: bool) -> bool:
        """Every alternative of a group starts (ends) with a space: "(any )?" carries the space
        that separates it from the next word, which belongs between the words instead."""
        for alt in alternatives:
            end = alt[0] if first else alt[-1]
            if end[0] != "ws":
                return False
        return True

    def tokens(seq: list[_Node]) -> list[_Node]:
        """("ws",), ("txt", word) and ("grp", alternatives, optional), alternatives as tokens,
        with spaces at the edges of a group moved out of it and runs of spaces merged."""
        items: list[_Node] = []
        for node in seq:
            if node[0] == "lit":
                for piece in _regex.finditer(r"\s+|\S+", normalise(node[1])):
                    items.append(("ws",) if piece.group().isspace() else ("txt", piece.group()))
                continue
            alternatives = [tokens(alt) for alt in node[1]]
            alternatives = [alt for alt in alternatives if alt]
            lead = bool(alternatives) and edge_space(alternatives, True)
            trail = bool(alternatives) and edge_space(alternatives, False)
            if lead:
                alternatives = [alt[1:] for alt in alternatives]
            if trail:
                alternatives = [alt[:-1] for alt in alternatives]
            optional = node[2] or any(not alt for alt in alternatives)
            alternatives = [alt for alt in alternatives if alt]
            if lead:
                items.append(("ws",))
            if alternatives:
                items.append(("grp", alternatives, optional))
            if trail:
                items.append(("ws",))
        merged: list[_Node] = []
        for token in items:
            if token[0] == "ws" and merged and merged[-1][0] == "ws":
                continue
            merged.append(token)
        return merged

    def item(token: _Node) -> str:
        if token[0] == "txt":
            return str(_regex.escape(token[1]))
        return "(?:" + "|".join(sequence(alt) for alt in token[1]) + ")"

    def spaced(separator: str, token: _Node) -> str:
        """The token after a space: a group whose alternatives are partly punctuation ("(is|'s)")
        takes the space before its words only ("that is", "that's")."""
        if separator == r"\s+" and token[0] == "grp":
            tight = [alt for alt in token[1] if glued(alt[0])]
            if tight:
                loose = [alt for alt in token[1] if not glued(alt[0])]
                glued_alternatives = "|".join(sequence(alt) for alt in tight)
                spaced_alternatives = "|".join(sequence(alt) for alt in loose)
                return rf"(?:\s*(?:{glued_alternatives})|\s+(?:{spaced_alternatives}))"
        return separator + item(token)

    def sequence(items: list[_Node]) -> str:
        out: list[str] = []
        required_seen = False  # before the first required word, an optional one takes the space after it
        separator = ""  # what separates the next word from the previous one
        k = 0
        while k < len(items):
            token = items[k]
            if token[0] == "ws":
                following = items[k + 1] if k + 1 < len(items) else None
                if out or required_seen:
                    separator = r"\s*" if following is not None and glued(following) else r"\s+"
                elif following is not None and k == 0:
                    separator = r"\s*" if glued(following) else r"\s+"
                k += 1
                continue
            optional = token[0] == "grp" and token[2]
            if optional and not required_seen:
                after = items[k + 1] if k + 1 < len(items) else None
                space = ""
                if after is not None and after[0] == "ws":
                    next_word = items[k + 2] if k + 2 < len(items) else None
                    space = r"\s*" if next_word is not None and glued(next_word) else r"\s+"
                    k += 1  # the space goes inside the optional word
                out.append("(?:" + separator + item(token) + space + ")?")
                separator = ""
                k += 1
                continue
            if optional:
                out.append("(?:" + spaced(separator, token) + ")?")
            else:
                out.append(spaced(separator, token))
                required_seen = True
            separator = ""
            k += 1
        return "".join(out)

    return sequence(tokens(nodes))
