"""The blank spaCy pipeline: a vocabulary and a lean tokenizer."""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Iterable
from typing import Any

from .._exceptions import ConfigError
from .._ruleset.schema import Rule, TokenPatternRule
from .._text import MAX_CHARS


def spacy_version() -> str:
    """spaCy's version from its installed metadata: importing spaCy only for it would cost what the
    cache saves (the pipeline itself is built on first use)."""
    import importlib.metadata

    try:
        return importlib.metadata.version("spacy")
    except importlib.metadata.PackageNotFoundError:  # spaCy from a source tree: ask it
        return str(import_spacy().about.__version__)


def import_spacy() -> types.ModuleType:
    """`import spacy`, without importing its command line on the way.

    spaCy's package imports `spacy.cli` (for `spacy.info`), and with it weasel, typer, click and
    httpx: about 40% of `import spacy`'s time and several MiB of memory, none of which tonecheck
    uses. While spaCy is imported here, `spacy.cli` is a stand-in; afterwards the stand-in is gone,
    so `import spacy.cli`, `spacy.cli` and `spacy.info(...)` import and run the real command line
    when someone uses them.
    """
    loaded = sys.modules.get("spacy")
    if loaded is not None:
        return loaded
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []  # a package, as the real one
    info = types.ModuleType("spacy.cli.info")

    def real_info(*args: Any, **kwargs: Any) -> Any:
        return importlib.import_module("spacy.cli.info").info(*args, **kwargs)

    info.info = real_info  # type: ignore[attr-defined]
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
    if any(name in sys.modules for name in stand_ins):  # someone imported parts of it already
        return importlib.import_module("spacy")
    sys.modules.update(stand_ins)
    try:
        spacy = importlib.import_module("spacy")
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    if spacy.__dict__.get("cli", cli) is cli and "__getattr__" not in spacy.__dict__:
        spacy.__dict__.pop("cli", None)

        def module_getattr(name: str) -> Any:  # `spacy.cli` without importing it first, as before
            if name == "cli":
                return importlib.import_module("spacy.cli")
            raise AttributeError(f"module 'spacy' has no attribute {name!r}")

        spacy.__getattr__ = module_getattr  # type: ignore[method-assign]
    return spacy


class _LeanTokenizer:
    """The tokenizer of blank pipelines. Replies are tokenized lower-cased, only to match
    phrases whose words go through the same tokenizer, so all it must do is split words from
    punctuation and spell out contractions ("can't" -> "ca" "n't", NORM "can" "not").

    spaCy's own English affix rules (about 30,000 characters of regex, plus URL matching) were
    measured at about 40% of the per-reply tokenizing time and about 0.1 s of every start; these
    few rules keep every phrase match while skipping that work. Only tokenizer exceptions that
    split a word, change its NORM or hold an apostrophe are kept, in lower case, without
    curly-quote variants (the scan text has its quotes straightened): emoticons and "e.g." need
    no special case here.
    """

    # one punctuation mark or symbol at either end of a word (not the ^ or ~ that start an
    # agent's sign-off initials, "^QA": those are no acronym); a possessive 's
    PREFIXES = (r"[^\w\s^~]",)
    SUFFIXES = (r"[^\w\s]", r"'s")
    # between letters: hyphens, slashes, colons and the like; commas (after a closing bracket too:
    # "Hi {{first_name}},As I said" reads "As" as a word); runs of dots anywhere
    INFIXES = (
        r"(?<=[^\W\d_])[-\u2013\u2014/:<>=+](?=[^\W\d_])",
        r"(?<=[^\W\d_]),(?=[^\W\d_])",
        r"(?<=[)\]}]),(?=[^\W\d_])",
        r"\.{2,}",
        "\u2026",
    )

    @classmethod
    def build(cls, vocab: Any, language_defaults: Any) -> Any:
        spacy = import_spacy()
        from spacy.symbols import NORM
        from spacy.tokenizer import Tokenizer

        def needed(key: str, pieces: list[dict[int, str]]) -> bool:
            if key != key.lower() or "\u2019" in key or "\u2018" in key:
                return False
            # "'s" and "'d" stay whole, as phrases spell them on their own
            return len(pieces) > 1 or "'" in key or pieces[0].get(NORM, key) != key

        return Tokenizer(
            vocab,
            rules={k: v for k, v in language_defaults.tokenizer_exceptions.items() if needed(k, v)},
            prefix_search=spacy.util.compile_prefix_regex(cls.PREFIXES).search,
            suffix_search=spacy.util.compile_suffix_regex(cls.SUFFIXES).search,
            infix_finditer=spacy.util.compile_infix_regex(cls.INFIXES).finditer,
        )


class _BlankPipeline:
    """A blank pipeline: a vocabulary and a tokenizer, which is all of spacy.blank("en") that
    tonecheck uses. Built directly, because a Language object's configuration machinery cost a
    third of the engine's start-up."""

    pipe_names: tuple[str, ...] = ()

    def __init__(self, vocab: Any, tokenizer: Any) -> None:
        self.vocab = vocab
        self.tokenizer = tokenizer

    def make_doc(self, text: str) -> Any:
        return self.tokenizer(text)

    def memory_zone(self) -> Any:
        """Words first seen inside the block are forgotten at its end (see spaCy's Vocab.memory_zone)."""
        return self.vocab.memory_zone()

    __call__ = make_doc


def _lexeme_attributes(rules: Iterable[Rule]) -> frozenset[int]:
    """The word attributes anything reads: NORM and IS_SPACE (phrases), LOWER (token-rule
    anchors) and whatever the token rules' patterns name."""
    import_spacy()
    from spacy.attrs import IDS, IS_SPACE, LOWER, NORM

    needed = {NORM, LOWER, IS_SPACE}
    for rule in rules:
        for pattern in rule.patterns if isinstance(rule, TokenPatternRule) else ():
            for token in pattern:
                needed.update(IDS[key.upper()] for key in token if key.upper() in IDS)
    return frozenset(needed)


def _load_pipeline(name: str, lexeme_attributes: frozenset[int], *, lemmas: bool = False) -> Any:
    """The pipeline `name`; with `lemmas`, each word's NORM is its dictionary form (pymorphy3), so
    phrases match inflected forms ("мы не смогли" is "мы не мочь", as the phrase "мы не можем")."""
    spacy = import_spacy()

    if name.startswith("blank:"):
        from spacy.vocab import create_vocab

        try:
            language = spacy.util.get_lang_class(name.split(":", 1)[1])
        except ImportError as exc:
            raise ConfigError(f"configuration: key 'spacy-model': {exc}") from None
        # Every word the vocabulary has not seen runs every attribute getter (about twenty Python
        # functions: shape, like_url, like_num...). Keeping only the attributes something reads
        # makes new words, and the tokenizer's special cases at start-up, several times cheaper.
        vocab = create_vocab(language.lang, language.Defaults)
        getters = vocab.lex_attr_getters  # type: ignore[attr-defined]  # not in spaCy's stubs
        vocab.lex_attr_getters = {attr: get for attr, get in getters.items() if attr in lexeme_attributes}  # type: ignore[attr-defined]
        if lemmas:
            from spacy.attrs import NORM

            vocab.lex_attr_getters[NORM] = _lemmatizer()  # type: ignore[attr-defined]
        return _BlankPipeline(vocab, _LeanTokenizer.build(vocab, language.Defaults))
    try:
        nlp = spacy.load(name, exclude=["ner", "textcat"])
    except OSError as exc:
        raise ConfigError(
            f"configuration: key 'spacy-model': cannot load {name!r} ({exc.__class__.__name__}); "
            "the default 'blank:en' needs no download"
        ) from None
    nlp.max_length = MAX_CHARS + 1
    return nlp


def _lemmatizer() -> Any:
    """A word's dictionary form, from pymorphy3 and its dictionaries (a Python package, nothing
    downloaded): the first analysis's normal form, with ё written е so both spellings meet."""
    try:
        import pymorphy3  # type: ignore[import-untyped]  # no type information shipped
    except ImportError:
        raise ConfigError(
            "lemma matching needs pymorphy3 and its Russian dictionaries, which tonecheck depends on but "
            "which are missing here: pip install pymorphy3 pymorphy3-dicts-ru"
        ) from None
    analyzer = pymorphy3.MorphAnalyzer()
    parse = analyzer.parse

    def lemma(word: str) -> str:
        lowered = word.lower()
        if not lowered.isalpha():
            return lowered.replace("ё", "е")
        return str(parse(lowered)[0].normal_form).replace("ё", "е")

    return lemma
