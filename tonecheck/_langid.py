"""Which language a reply is in: py3langid (its model ships inside the package; nothing is
downloaded), with rules for what a statistical detector gets wrong on support replies.

- Only the agent's words count: quoted history and code are blanked before this is called, and
  links, e-mail addresses, @handles, placeholders and numbers are dropped here.
- A short reply (fewer than MIN_LETTERS letters: "Thanks!", "Done, see you Friday") tells too
  little; it is taken to be in the language its script suggests: the one language pack written
  in that script (Cyrillic: Russian), else the configured default.
- A longer reply is classified; a language other than the fallback is taken only when the
  detector is confident (MIN_CONFIDENCE). Between languages of one script (Russian, Ukrainian,
  Bulgarian) the detector's probabilities are spread, so within a script the pack language wins
  unless another language of that script is clearly ahead.

The model loads in 2-3 s (it is stored xz-compressed); it is loaded once per process, on the
first reply long enough to need it, and kept uncompressed in tonecheck's cache folder (see
`_engine/cache.py`), where later processes map it into memory: it loads in no time, a process
holds only the pages of it that its replies use, and the processes of a pool share them.
"""

from __future__ import annotations

import os
import re
import string
import threading
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from ._lazy import Lazy
from ._text import word_runs

MIN_LETTERS = 40
SAMPLE_CHARS = 600
# a reply at least this share of whose words (of at least MIN_WORDS_FOR_SHARE) are the fallback
# language's most common words is in that language; English text runs at about 0.4, other
# languages' text at under 0.1 of English's list, but a close neighbour's higher (Dutch at 0.14 in a
# short reply, Ukrainian over 0.2 of Russian's list). benchmarks/languages.py prints the highest
# share in a text of another language: 0.086 in the replies of every corpus here; in 25,282 texts
# of 168 languages made from gettext catalogs (`--catalogs`), 0.25 of English's list and 0.26 of
# Russian's (Ukrainian), and a shortcut takes none of them.
COMMON_SHARE = 0.3
MIN_WORDS_FOR_SHARE = 8
# The first look, before any cleaning: a reply of at most QUICK_LOOK_CHARS whose words (its
# lower-cased runs of word characters outside links; handles and numbers count) are all ASCII (its
# other characters, curly quotes, dashes, emoji, may be anything) and at least this share the
# default language's common words (of at least MIN_WORDS_FOR_SHARE) is in that language. Noise
# mostly lowers the share; the bar is above COMMON_SHARE for noise that raises it (a placeholder's
# English words). It takes 9 in 10 such replies; of the 40,680 on every corpus here, none that the
# full path judges otherwise (tests/test_language.py). benchmarks/languages.py prints how far below
# the bar texts of other languages stay (0.16 on the gettext catalogs).
QUICK_SHARE = 0.35
QUICK_LOOK_CHARS = 2 * SAMPLE_CHARS
MIN_CONFIDENCE = 0.95
# a reply may be in another language of the same script only if the detector puts it this far
# ahead of the script's pack language (probabilities normalised over all languages)
SAME_SCRIPT_MARGIN = 0.5

# The alternatives, in order, each with a piece of text it cannot match without: those whose
# piece is not in the text are left out (same matches), so "\S+@\S+" and "\{\{.*?\}\}", which
# rescan the rest of a word or line from every position, run only when they may match (a long
# run of "-" or "{" made the one pattern quadratic), and the alternation `re` runs on most
# replies has a first character to skip to (5 us a reply; see _may_hold_address).
_NOISE_PARTS = (
    (r"https?://\S+", "http"),
    (r"www\.\S+", "www."),
    # an address from its word's start only, possessively: linear on a long run of non-spaces
    (r"(?<!\S)[^\s@]++@\S+", "@"),  # (only if _may_hold_address too)
    (r"@\w+", "@"),
    # (bounded: "{{.*?}}" rescanned the rest of the line from every "{{", quadratic on a long line
    # of them with no "}}" after; a placeholder is far shorter)
    (r"\{\{[^\n]{0,200}?\}\}", "}}"),
    (r"\{[^{}\n]{0,40}\}", "{"),
    (r"\[[^\[\]\n]{0,40}\]", "["),
    (r"<[^<>\n]{0,40}>", "<"),
    (r"%[A-Za-z_]+%", "%"),
    (r"\$\w+", "$"),
    (r"\d+", ""),
)
_NOISE: dict[tuple[bool, ...], Lazy] = {}
_ADDRESS_NOT_AFTER = frozenset("@ \t\n\r\v\f")
# The same alternatives for an ASCII text, in the standard library's `re` (twice as fast on a
# short text): on ASCII, `re` and `regex` agree on \w, \d and `.`; `regex`'s \s is
# [\t\n\v\f\r ], while `re`'s also takes \x1c-\x1f, so whitespace is spelt out.
_ASCII_NOISE: dict[tuple[bool, ...], re.Pattern[str]] = {}
_ASCII_SPACE = r"\t\n\v\f\r "


_NOISE_PIECES = tuple(piece for _, piece in _NOISE_PARTS)
_LINKS = tuple(piece in ("http", "www.") for piece in _NOISE_PIECES)  # the key of the link parts alone
_ADDRESS_AT = next(index for index, (part, _) in enumerate(_NOISE_PARTS) if part.startswith("(?<!\\S)"))


def _noise_key(text: str) -> tuple[bool, ...]:
    """Which of the noise parts may match in the text."""
    key = list(map(text.__contains__, _NOISE_PIECES))
    if key[_ADDRESS_AT]:
        key[_ADDRESS_AT] = _may_hold_address(text)
    return tuple(key)


def _may_hold_address(text: str) -> bool:
    """Whether an "@" follows a character that is neither "@" nor ASCII whitespace: where an
    address can be found at all. (Its pattern alone has no literal to look for: left out of the
    alternatives, the rest start with one, which `re` then skips to. Most "@" are @handles.) The
    answer is never False where an address can be: the characters this takes for whitespace are
    whitespace to `re`'s ASCII pattern and to `regex` alike."""
    at = text.find("@", 1)
    while at > 0:
        if text[at - 1] not in _ADDRESS_NOT_AFTER:
            return True
        at = text.find("@", at + 1)
    return False


def _noise(key: tuple[bool, ...]) -> Lazy:
    """The alternatives a text may match, from which pieces it holds (`key`: one bool per part)."""
    found = _NOISE.get(key)
    if found is None:
        found = _NOISE[key] = Lazy("|".join(part for (part, _), kept in zip(_NOISE_PARTS, key, strict=True) if kept))
    return found


def _ascii_noise(key: tuple[bool, ...]) -> re.Pattern[str]:
    found = _ASCII_NOISE.get(key)
    if found is None:
        source = _noise(key).source.replace(r"\S", f"[^{_ASCII_SPACE}]").replace(r"\s", _ASCII_SPACE)
        found = _ASCII_NOISE[key] = re.compile(source)
    return found


_LOCK = threading.Lock()
_IDENTIFIER: Any = None
loads = 0  # models loaded in this process (tests check it is loaded once, and only when needed)


_LATIN = Lazy(r"\p{Latin}")
_CYRILLIC = Lazy(r"\p{Cyrillic}")
_WORD = Lazy(r"[\p{L}']+")
# _WORD on lower-cased ASCII text, whose only letters are a-z: every other character a space
_ASCII_NOT_WORD = bytes(c if chr(c) in string.ascii_lowercase + "'" else ord(" ") for c in range(256))
_ASCII_LETTERS = string.ascii_letters.encode("ascii")


def _ascii_letters(text: str) -> int:
    encoded = text.encode("ascii")
    return len(encoded) - len(encoded.translate(None, _ASCII_LETTERS))


def script_of(text: str) -> str | None:
    """The script most of the text's letters are written in ("Latin", "Cyrillic", ...), or None."""
    sample = text[:2000]
    if sample.isascii():  # most replies: every letter is Latin, and no letter-by-letter count is needed
        return "Latin" if _ascii_letters(sample) else None
    total = letters(sample)
    # a-z and A-Z are Latin letters, so a text most of whose letters are those is Latin: counted in
    # its UTF-8 bytes, where no other character has a byte below 128, without a letter-by-letter pass
    encoded = sample.encode("utf-8", "surrogatepass")
    if (len(encoded) - len(encoded.translate(None, _ASCII_LETTERS))) * 2 > total:
        return "Latin"
    latin, cyrillic = len(_LATIN.findall(sample)), len(_CYRILLIC.findall(sample))
    if latin * 2 > total:
        return "Latin"
    if cyrillic * 2 > total:
        return "Cyrillic"
    counts: Counter[str] = Counter()
    for char in text[:2000]:
        if char.isalpha():
            name = unicodedata.name(char, "")
            counts[name.split(" ", 1)[0] if name else ""] += 1
    if not counts:
        return None
    script, _ = counts.most_common(1)[0]
    return script.capitalize() or None


def letters(text: str) -> int:
    if text.isascii():  # the letters of an ASCII text are a-z and A-Z: counted by deleting them, in C
        return _ascii_letters(text)
    return sum(map(str.isalpha, text))


# An ASCII text that holds none of the noise parts' pieces but numbers is cleaned in its bytes:
# digits made spaces as the patterns' substitution would, and \x1c-\x1f too, which str.split()
# splits at and bytes.split() would not.
_ASCII_DIGITS_TO_SPACES = bytes(ord(" ") if chr(c).isdigit() or 0x1C <= c <= 0x1F else c for c in range(128)) + bytes(
    range(128, 256)
)


def clean(text: str) -> str:
    """The words a person wrote: no links, addresses, handles, placeholders or numbers."""
    key = _noise_key(text)
    if text.isascii():
        if not any(key[:-1]):  # (the last piece, "", is in every text)
            return b" ".join(text.encode("ascii").translate(_ASCII_DIGITS_TO_SPACES).split()).decode("ascii")
        return " ".join(_ascii_noise(key).sub(" ", text).split())
    return " ".join(_noise(key).sub(" ", text).split())


def sample(text: str) -> str:
    """clean(text)[:SAMPLE_CHARS], cleaning no more of a long text than that needs. No noise
    pattern reads across a line break, so the text cut after a line break cleans to what the whole
    text cleans to up there: the text is cleaned a piece at a time, each piece ending at a line
    break and twice as long as the one before, until the pieces' words fill the sample."""
    step = 2 * SAMPLE_CHARS
    if len(text) <= step:
        return clean(text)[:SAMPLE_CHARS]
    pieces: list[str] = []
    size = 0
    start = 0
    while start < len(text) and size <= SAMPLE_CHARS:
        cut = text.find("\n", start + step)
        end = len(text) if cut < 0 else cut + 1
        piece = clean(text[start:end])
        if piece:
            pieces.append(piece)
            size += len(piece) + 1
        start = end
        step *= 2
    return " ".join(pieces)[:SAMPLE_CHARS]


def _identifier() -> Any:
    global _IDENTIFIER, loads
    if _IDENTIFIER is None:
        with _LOCK:
            if _IDENTIFIER is None:
                _IDENTIFIER = _load()
                loads += 1
    return _IDENTIFIER


def _load() -> Any:
    import numpy
    from py3langid import langid  # type: ignore[import-untyped]  # no type information shipped

    model = langid.MODEL_DIR / langid.MODEL_FILE
    try:
        import importlib.metadata

        name = f"py3langid-{importlib.metadata.version('py3langid')}-{model.stat().st_size}.model"
    except Exception:
        name = ""
    parts = _mapped(name) if name else None
    if parts is None:
        parts = langid._load_model_file(model)
        if name:
            _store(name, parts)
            parts = _mapped(name) or parts  # mapped, as every later process will have it
    ptc, pc, classes, nextmove, row, output = parts
    return _remembering(langid.LanguageIdentifier)(
        numpy.asarray(ptc), numpy.asarray(pc), classes, nextmove, output, norm_probs=True, tk_row=row
    )


# the words whose walk a process remembers, at most (then it starts again: a few MB)
MAX_REMEMBERED_WORDS = 100_000


def _remembering(identifier: type) -> type:
    """py3langid's detector, walking its automaton over a reply's words from memory: a text's
    features are those its bytes lead the automaton through, byte by byte (a Python loop over
    every byte, half the detector's time), and the walk over a word and the space after it depends
    only on the word and the state it starts in, so each (state, word) is walked once per process
    and replayed after that. The features come out in the same order as the byte-by-byte walk, so
    the scores are the same to the bit (tests/test_language.py). Without the parts this relies
    on (another py3langid), the detector as it is."""
    if not all(hasattr(identifier, name) for name in ("_raw_score", "_sparse_score", "_rowbase", "tk_output")):
        return identifier

    class Remembering(identifier):  # type: ignore[misc]
        __slots__ = ("_walks",)

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._walks: dict[tuple[Any, ...], tuple[int, tuple[int, ...]]] = {}

        def _raw_score(self, text: bytes) -> Any:
            visits = self.walk(text) if isinstance(text, bytes) else None
            if not visits:
                return super()._raw_score(text)
            return self._sparse_score(visits, self.nb_ptc)

        def walk(self, text: bytes) -> Counter[int]:
            """The features the automaton meets on `text`, counted, in the order it first meets them."""
            walks = self._walks
            if len(walks) > MAX_REMEMBERED_WORDS:
                walks.clear()
            moves, rows, outputs = self.tk_nextmove, self._rowbase, self.tk_output
            state = 0
            features: list[int] = []
            words = text.split(b" ")
            last = len(words) - 1
            for index, word in enumerate(words):
                key = (state, word) if index < last else (state, word, None)  # (the last has no space after it)
                known = walks.get(key)
                if known is None:
                    met = []
                    for byte in word if index == last else word + b" ":
                        state = moves[rows[state] + byte]
                        feature = outputs[state]
                        if feature >= 0:
                            met.append(feature)
                    walks[key] = known = (state, tuple(met))
                state, met_here = known
                features += met_here
            return Counter(features)

    return Remembering


# The model's arrays, uncompressed, in one file of tonecheck's cache that each process maps into
# memory instead of reading: loading costs no time (a pickled copy took 0.1 s, the xz file 0.6 s),
# and the arrays are read in place, never copied, so the processes of a pool share one copy of
# the model's 68 MB (the kernel's page cache) instead of holding one each. The header says what
# each array is and where it starts.
_MAGIC = b"tonecheck langid model 1\n"
# name, how the detector indexes it (numpy array, or a typed memoryview as py3langid's own arrays)
_ARRAYS: tuple[tuple[str, Literal["I", "H", "i"] | None], ...] = (
    ("ptc", None),
    ("pc", None),
    ("nextmove", "I"),
    ("row", "H"),
    ("output", "i"),
)


def _store(name: str, parts: tuple[Any, ...]) -> None:
    import json

    import numpy

    from ._engine import cache

    ptc, pc, classes, nextmove, row, output = parts
    if getattr(nextmove, "itemsize", 0) != 4 or getattr(row, "itemsize", 0) != 2:
        return  # another layout than the one this reads: the model is read from its file each time
    arrays = {
        "ptc": numpy.ascontiguousarray(ptc),
        "pc": numpy.ascontiguousarray(pc),
        "nextmove": numpy.frombuffer(nextmove, dtype=numpy.uint32),
        "row": numpy.frombuffer(row, dtype=numpy.uint16),
        "output": numpy.asarray(output, dtype=numpy.int32),
    }
    layout, blobs, offset = [], [], 0
    for key, _ in _ARRAYS:
        data = arrays[key].tobytes()
        layout.append([key, arrays[key].dtype.str, list(arrays[key].shape), offset, len(data)])
        padded = -len(data) % 64  # each array starts on a 64-byte boundary
        blobs += [data, b"\0" * padded]
        offset += len(data) + padded
    header = json.dumps({"classes": list(classes), "arrays": layout}).encode()
    header += b" " * (-(len(_MAGIC) + 8 + len(header)) % 64)
    cache.store_file(name, b"".join([_MAGIC, len(header).to_bytes(8, "little"), header, *blobs]))
    path = cache.file(name)
    if path is not None and hasattr(os, "posix_fadvise"):
        # Out of the page cache, where writing left it whole (in large blocks, which a process
        # mapping the file would map whole): read back page by page as processes use them, a
        # process holds only the pages of the model its replies use (28 of 68 MB for 111 replies)
        try:
            descriptor = os.open(path, os.O_RDONLY)
            try:
                os.fsync(descriptor)
                os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(descriptor)
        except OSError:
            pass


def _mapped(name: str) -> tuple[Any, ...] | None:
    """The model's parts from its cache file, memory-mapped; None if there is none (or it is not
    whole)."""
    import json
    import mmap

    import numpy

    from ._engine import cache

    path = cache.file(name)
    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        if hasattr(mmap, "MADV_RANDOM"):  # only the pages used, not the ones around them
            mapped.madvise(mmap.MADV_RANDOM)
        if mapped[: len(_MAGIC)] != _MAGIC:
            return None
        size = int.from_bytes(mapped[len(_MAGIC) : len(_MAGIC) + 8], "little")
        start = len(_MAGIC) + 8 + size
        header = json.loads(mapped[len(_MAGIC) + 8 : start])
        view = memoryview(mapped)
        found: dict[str, Any] = {}
        for (key, dtype, shape, offset, length), (expected, code) in zip(header["arrays"], _ARRAYS, strict=True):
            if key != expected or start + offset + length > len(mapped):
                return None
            if code is None:
                found[key] = numpy.frombuffer(
                    mapped, dtype=dtype, count=length // numpy.dtype(dtype).itemsize, offset=start + offset
                ).reshape(shape)
            else:
                found[key] = view[start + offset : start + offset + length].cast(code)
        return found["ptc"], found["pc"], header["classes"], found["nextmove"], found["row"], found["output"]
    except (OSError, ValueError, TypeError, KeyError):
        return None


def rank(text: str) -> list[tuple[str, float]]:
    """The detector's languages for the text, most likely first, with normalised probabilities."""
    ranked = _identifier().rank(text)
    return [(str(code), float(probability)) for code, probability in ranked]


def top_and(text: str, other: str) -> tuple[str, float, float]:
    """rank(text)'s first language and its probability, and the probability rank gives `other`
    (0.0 for a language the detector does not know), without ordering all ~100 languages: a third
    of the detector's time on a reply. Read from the scores rank orders, where a language's first
    column holds its score (py3langid folds a second column of the same label into it)."""
    identifier = _identifier()
    decide = getattr(identifier, "_decide", None)
    if decide is None:  # (another py3langid than the one this was measured on)
        ranked = rank(text)
        return ranked[0][0], ranked[0][1], dict(ranked).get(other, 0.0)
    scores = decide(text)
    classes = identifier.nb_classes
    best = int(scores.argmax())  # the first of equal scores, as rank's stable sort puts first
    other_score = float(scores[classes.index(other)]) if other in classes else 0.0
    return str(classes[best]), float(scores[best]), other_score


def common_share(words: str, common: frozenset[str]) -> float:
    """The share of the words that are among a language's most common words."""
    if words.isascii():  # its words by one C pass over its bytes: every character but a-z and ' made a space
        found = words.encode("ascii").lower().translate(_ASCII_NOT_WORD).decode("ascii").split()
    else:
        found = _WORD.findall(words.lower())
    return sum(map(common.__contains__, found)) / len(found) if len(found) >= MIN_WORDS_FOR_SHARE else 0.0


def first_look_runs(lowered: str, runs: list[str] | None = None) -> list[str] | None:
    """What the engine hands `detect` as `runs` for a lower-cased reply: its runs of word
    characters (`runs`, when the caller has them) when it is at most QUICK_LOOK_CHARS long and
    every one of them is ASCII, else None (no first look)."""
    if len(lowered) > QUICK_LOOK_CHARS:
        return None
    if runs is None:
        runs = word_runs(lowered)
    return runs if lowered.isascii() or all(map(str.isascii, runs)) else None


def first_look_counts(text: str, runs: Sequence[str], common: frozenset[str]) -> tuple[int, int]:
    """How many of the words the first look counts are among `common`, and how many it counts:
    the text's runs of word characters (`runs`), but those in links (a link's words may be English
    in a reply that is not)."""
    lowered = text.lower()
    found, counted = sum(map(common.__contains__, runs)), len(runs)
    if "http" in lowered or "www." in lowered:
        # The runs of the text without its links (each made a space) are its runs but those of
        # the links, where no run crosses a link's edge: a link ends at a space or at the end, and
        # one right after a word character ("xhttp://") is counted the long way.
        links = _ascii_noise(_LINKS) if lowered.isascii() else _noise(_LINKS)
        texts = []
        for link in links.finditer(lowered):
            before = lowered[link.start() - 1] if link.start() else " "
            if before.isalnum() or before == "_":  # (what \w is)
                runs = word_runs(links.sub(" ", lowered))
                return sum(map(common.__contains__, runs)), len(runs)
            texts.append(link.group())
        inside = word_runs(" ".join(texts))
        found -= sum(map(common.__contains__, inside))
        counted -= len(inside)
    return found, counted


def detect(
    text: str,
    *,
    default: str,
    by_script: dict[str, str],
    common: Mapping[str, frozenset[str]] | None = None,
    runs: Sequence[str] | None = None,
) -> str:
    """The language of a reply's own text. `default`: the language of a short or unclear reply
    in its own script, or in a script no pack claims; `by_script`: the pack language of each
    script that has exactly one ("Cyrillic": "ru"); `common`: each pack language's most common
    words: a reply that is mostly made of the fallback language's is taken to be in it without
    running the model (most replies; measured in benchmarks/speed.py). `runs`: the runs of word
    characters of the text lower-cased, when they are all ASCII, for the first look (QUICK_SHARE)."""
    words_of_default = common.get(default) if common else None
    if (
        runs is not None
        and words_of_default
        and len(text) <= QUICK_LOOK_CHARS
        and script_of_language(default) == "Latin"  # (the script of ASCII words)
    ):
        found, counted = first_look_counts(text, runs, words_of_default)
        if counted >= MIN_WORDS_FOR_SHARE and found >= QUICK_SHARE * counted:
            return default
    # a few hundred characters tell the language as well as a whole long reply, at a fraction of
    # the cost (the detector's time grows with the text)
    words = sample(text)
    if words.isascii():  # (its letters counted once: they tell its script too)
        count = _ascii_letters(words)
        script: str | None = "Latin" if count else None
    else:
        count, script = letters(words), script_of(words)
    fallback = default if script in (None, script_of_language(default)) else by_script.get(script, default)
    if count < MIN_LETTERS:
        return fallback
    # (only in the fallback's own script: a Korean reply's few Latin letters, "[y,n,q]", are no
    # evidence of English)
    if (
        common
        and fallback in common
        and script == script_of_language(fallback)
        and common_share(words, common[fallback]) >= COMMON_SHARE
    ):
        return fallback
    # the detector's most likely language (what its `classify` gives), and from the same pass over
    # the text the pack language's probability (below)
    top, probability, pack = top_and(words, fallback)
    if top == fallback:
        return top
    if probability < MIN_CONFIDENCE:
        return fallback
    if script is not None and script in by_script and script_of_language(top) == script:
        # within a script the detector's probabilities are close: another language of the script
        # needs a clear lead over the pack language
        return top if probability - pack >= SAME_SCRIPT_MARGIN else fallback
    return top


# the scripts of the languages py3langid knows that are not written in Latin letters
_SCRIPTS = {
    **dict.fromkeys(["ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "mn", "tg", "tt", "cv"], "Cyrillic"),
    **dict.fromkeys(["el"], "Greek"),
    **dict.fromkeys(["ar", "fa", "ur", "ps", "ug"], "Arabic"),
    **dict.fromkeys(["he", "yi"], "Hebrew"),
    **dict.fromkeys(["hi", "mr", "ne"], "Devanagari"),
    **dict.fromkeys(["zh", "ja", "ko"], "Cjk"),
    **dict.fromkeys(["hy"], "Armenian"),
    **dict.fromkeys(["ka"], "Georgian"),
    **dict.fromkeys(["th"], "Thai"),
}


def script_of_language(code: str) -> str:
    return _SCRIPTS.get(code, "Latin")
