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
from collections.abc import Mapping
from typing import Any, Literal

from ._lazy import Lazy

MIN_LETTERS = 40
SAMPLE_CHARS = 600
# a reply at least this share of whose words (of at least MIN_WORDS_FOR_SHARE) are the fallback
# language's most common words is in that language; English text runs at about 0.4, other
# languages' text at under 0.1 of English's list
COMMON_SHARE = 0.3
MIN_WORDS_FOR_SHARE = 8
MIN_CONFIDENCE = 0.95
# a reply may be in another language of the same script only if the detector puts it this far
# ahead of the script's pack language (probabilities normalised over all languages)
SAME_SCRIPT_MARGIN = 0.5

# The alternatives, in order, each with a piece of text it cannot match without: those whose
# piece is not in the text are left out (same matches), so "\S+@\S+" and "\{\{.*?\}\}", which
# rescan the rest of a word or line from every position, run only when they may match (a long
# run of "-" or "{" made the one pattern quadratic).
_NOISE_PARTS = (
    (r"https?://\S+|www\.\S+", ""),
    # an address from its word's start only, possessively: linear on a long run of non-spaces
    (r"(?<!\S)[^\s@]++@\S+|@\w+", "@"),
    (r"\{\{.*?\}\}", "}}"),
    (r"\{[^{}\n]{0,40}\}|\[[^\[\]\n]{0,40}\]|<[^<>\n]{0,40}>|%[A-Za-z_]+%|\$\w+|\d+", ""),
)
_NOISE: dict[tuple[bool, ...], Lazy] = {}
# The same alternatives for an ASCII text, in the standard library's `re` (twice as fast on a
# short text): on ASCII, `re` and `regex` agree on \w, \d and `.`; `regex`'s \s is
# [\t\n\v\f\r ], while `re`'s also takes \x1c-\x1f, so whitespace is spelt out.
_ASCII_NOISE: dict[tuple[bool, ...], re.Pattern[str]] = {}
_ASCII_SPACE = r"\t\n\v\f\r "


def _noise(text: str) -> Lazy:
    key = tuple(piece in text for _, piece in _NOISE_PARTS)
    found = _NOISE.get(key)
    if found is None:
        found = _NOISE[key] = Lazy("|".join(part for (part, _), kept in zip(_NOISE_PARTS, key, strict=True) if kept))
    return found


def _ascii_noise(text: str) -> re.Pattern[str]:
    key = tuple(piece in text for _, piece in _NOISE_PARTS)
    found = _ASCII_NOISE.get(key)
    if found is None:
        source = _noise(text).source.replace(r"\S", f"[^{_ASCII_SPACE}]").replace(r"\s", _ASCII_SPACE)
        found = _ASCII_NOISE[key] = re.compile(source)
    return found


_LOCK = threading.Lock()
_IDENTIFIER: Any = None
loads = 0  # models loaded in this process (tests check it is loaded once, and only when needed)


_LATIN = Lazy(r"\p{Latin}")
_CYRILLIC = Lazy(r"\p{Cyrillic}")
_WORD = Lazy(r"[\p{L}']+")
# _WORD on lower-cased ASCII text, whose only letters are a-z: every other character a space
_ASCII_NOT_WORD = str.maketrans(dict.fromkeys((chr(c) for c in range(128) if not re.fullmatch(r"[a-z']", chr(c))), " "))
_ASCII_LETTERS = string.ascii_letters.encode("ascii")


def script_of(text: str) -> str | None:
    """The script most of the text's letters are written in ("Latin", "Cyrillic", ...), or None."""
    sample = text[:2000]
    if sample.isascii():  # most replies: every letter is Latin, and no letter-by-letter count is needed
        return "Latin" if letters(sample) else None
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
        return len(text) - len(text.encode("ascii").translate(None, _ASCII_LETTERS))
    return sum(map(str.isalpha, text))


# what the noise patterns need besides digits: an ASCII text without any of these holds no noise
# but numbers, which a translation to spaces removes as the patterns' substitution would
_NOISE_MARKS = ("http", "www.", "@", "{", "[", "<", "%", "$")
_DIGITS_TO_SPACES = str.maketrans(dict.fromkeys("0123456789", " "))


def clean(text: str) -> str:
    """The words a person wrote: no links, addresses, handles, placeholders or numbers."""
    if text.isascii() and not any(map(text.__contains__, _NOISE_MARKS)):
        return " ".join(text.translate(_DIGITS_TO_SPACES).split())
    # (`re` only without "}}": its lazy "{{.*?}}" rescans the rest of the line from every "{{",
    # quadratic on a long line of them, where `regex` stays linear)
    noise = _ascii_noise(text) if text.isascii() and "}}" not in text else _noise(text)
    return " ".join(noise.sub(" ", text).split())


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
    return langid.LanguageIdentifier(
        numpy.asarray(ptc), numpy.asarray(pc), classes, nextmove, output, norm_probs=True, tk_row=row
    )


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


def common_share(words: str, common: frozenset[str]) -> float:
    """The share of the words that are among a language's most common words."""
    lowered = words.lower()
    # (an ASCII text's words by one C pass: every character but a-z and ' made a space)
    found = lowered.translate(_ASCII_NOT_WORD).split() if lowered.isascii() else _WORD.findall(lowered)
    return sum(map(common.__contains__, found)) / len(found) if len(found) >= MIN_WORDS_FOR_SHARE else 0.0


def detect(
    text: str, *, default: str, by_script: dict[str, str], common: Mapping[str, frozenset[str]] | None = None
) -> str:
    """The language of a reply's own text. `default`: the language of a short or unclear reply
    in its own script, or in a script no pack claims; `by_script`: the pack language of each
    script that has exactly one ("Cyrillic": "ru"); `common`: each pack language's most common
    words: a reply that is mostly made of the fallback language's is taken to be in it without
    running the model (most replies; measured in benchmarks/speed.py)."""
    # a few hundred characters tell the language as well as a whole long reply, at a fraction of
    # the cost (the detector's time grows with the text)
    words = sample(text)
    script = script_of(words)
    fallback = default if script in (None, script_of_language(default)) else by_script.get(script, default)
    if letters(words) < MIN_LETTERS:
        return fallback
    if common and fallback in common and common_share(words, common[fallback]) >= COMMON_SHARE:
        return fallback
    # the detector's ranking, most likely first: its first is what its `classify` gives, and one
    # pass over the text gives the pack language's probability too (below)
    ranked = rank(words)
    top, probability = ranked[0]
    if top == fallback:
        return top
    if probability < MIN_CONFIDENCE:
        return fallback
    if script is not None and script in by_script and script_of_language(top) == script:
        # within a script the detector's probabilities are close: another language of the script
        # needs a clear lead over the pack language
        pack = dict(ranked).get(fallback, 0.0)
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
